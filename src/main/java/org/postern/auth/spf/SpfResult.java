package org.postern.auth.spf;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one check_host() evaluation, with its evidence.
 *
 * @param result      the SPF result
 * @param domain      the domain whose policy was checked (the MAIL FROM or HELO domain)
 * @param explanation the expanded {@code exp=} text (RFC 7208 §6.2); present only for {@link SpfOutcome#FAIL}
 *                    when the record published a usable explanation
 * @param mechanism   the directive that matched, as written (e.g. {@code -all}, {@code include:_spf.example.com})
 * @param record      the SPF record that produced the result (after any {@code redirect=})
 * @param problem     why the result is temperror or permerror; empty otherwise
 */
public record SpfResult(SpfOutcome result, String domain, Optional<String> explanation, Optional<String> mechanism,
                        Optional<String> record, String problem) {

    public SpfResult {
        Objects.requireNonNull(result);
        Objects.requireNonNull(domain);
        Objects.requireNonNull(explanation);
        Objects.requireNonNull(mechanism);
        Objects.requireNonNull(record);
        Objects.requireNonNull(problem);
    }

    static SpfResult error(SpfOutcome result, String domain, Optional<String> record, String problem) {
        return new SpfResult(result, domain, Optional.empty(), Optional.empty(), record, problem);
    }
}
