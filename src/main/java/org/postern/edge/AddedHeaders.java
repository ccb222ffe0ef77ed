package org.postern.edge;

import org.postern.auth.AuthenticationResultsHeader;
import org.postern.policy.AuthenticationVerdict;
import org.postern.policy.Disposition;
import org.postern.policy.SpamConfidence;
import java.util.Optional;

import org.postern.policy.Evidence;
import org.postern.policy.MatchedConnector;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The header lines Postern puts on top of an accepted message: the trace line (Received, RFC 5321 §4.4, with
 * the TLS facts in a comment as Postfix writes them) and our own report fields.
 */
final class AddedHeaders {

    private static final DateTimeFormatter RFC5322 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private AddedHeaders() { }

    static String received(Evidence e, String ourHost, String ref, List<String> recipients, boolean smtpUtf8,
                           boolean extended, ZonedDateTime at) {
        StringBuilder sb = new StringBuilder(hop(e, ourHost, smtpUtf8, extended)).append(" id ").append(ref);
        if (recipients.size() == 1) sb.append("\r\n\tfor <").append(clean(recipients.get(0))).append(">");
        sb.append("; ").append(RFC5322.format(at)).append("\r\n");
        return sb.toString();
    }

    /**
     * The start of the Received line: who connected (HELO, reverse name, address, TLS) and how (by us, with which
     * protocol), without the per-message id, recipient and date. The content classifier reads it as the message's top
     * hop ({@link ContentFilter#score}); it is the same for the edge and {@code explain} (which assumes the client said
     * EHLO, as nearly every client does).
     */
    static String hop(Evidence e, String ourHost, boolean smtpUtf8, boolean extended) {
        String ip = e.clientIp().getHostAddress();
        StringBuilder sb = new StringBuilder("Received: from ")
                .append(clean(e.helo().orElse("unknown")))
                .append(" (").append(clean(e.clientName().orElse("unknown"))).append(" [").append(ip).append("])");
        e.tls().ifPresent(t -> sb.append("\r\n\t(using ").append(clean(t.protocol())).append(" with cipher ")
                .append(clean(t.cipher())).append(")"));
        // RFC 3848 / RFC 6531 §4.3 protocol names: S for TLS, A for authenticated, UTF8 prefix for SMTPUTF8.
        String with = (smtpUtf8 ? "UTF8" : "") + (extended || smtpUtf8 ? "ESMTP" : "SMTP")
                + (e.tls().isPresent() ? "S" : "") + (e.authUser().isPresent() ? "A" : "");
        if (smtpUtf8) with = with.replace("UTF8ESMTP", "UTF8SMTP");
        return sb.append("\r\n\tby ").append(ourHost).append(" (Postern) with ").append(with).toString();
    }

    /**
     * Everything put on top of an accepted message, in order: our Authentication-Results, the Received line, the
     * SCL, {@code X-Spam-Flag: YES} for junk (what Sieve scripts and mail clients understand) and the report.
     */
    static String forAccepted(Evidence e, String ourHost, String ref, String tenant, List<String> recipients, boolean smtpUtf8,
                              boolean extended, ZonedDateTime at, Disposition disposition) {
        StringBuilder sb = new StringBuilder();
        AuthenticationVerdict.of(e).ifPresent(v -> sb.append(AuthenticationResultsHeader.render(ourHost,
                e.authentication().orElseThrow(), v.effective(), v.compauth())));
        sb.append(received(e, ourHost, ref, recipients, smtpUtf8, extended, at));
        Optional<Integer> scl = SpamConfidence.of(e).map(SpamConfidence::scl);
        scl.ifPresent(n -> sb.append("X-Postern-SCL: ").append(n).append("\r\n"));
        if (disposition instanceof Disposition.Junk) sb.append("X-Spam-Flag: YES\r\n");
        List<String> rules = e.rules().map(o -> o.enforcedRules()).orElse(List.of());
        sb.append(report(ref, tenant, scl.map(String::valueOf).orElse("none"), disposition.verdict(),
                e.connector().map(MatchedConnector::name).map(AddedHeaders::clean).orElse("none"),
                rules.isEmpty() ? "none" : clean(String.join(",", rules))));
        return sb.toString();
    }

    static String report(String ref, String tenant, String scl, String verdict, String connector, String rules) {
        return "X-Postern-Report: ref=" + ref + "; tenant=" + tenant + "; scl=" + scl + "; verdict=" + verdict
                + "; connector=" + connector + "; rules=" + rules + "\r\n";
    }

    /** Client-supplied words go into our header: no CR, LF or parentheses that could break out of it. */
    private static String clean(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length() && sb.length() < 255; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f || c == '(' || c == ')' || c == '[' || c == ']' || c == '<' || c == '>' ? '?' : c);
        }
        return sb.toString();
    }
}
