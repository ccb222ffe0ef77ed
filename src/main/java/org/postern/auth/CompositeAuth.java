package org.postern.auth;

import org.postern.auth.dmarc.DmarcPolicy;
import org.postern.auth.dmarc.DmarcResult;
import org.postern.auth.dmarc.OrganizationalDomain;
import org.postern.auth.spf.SpfOutcome;

import java.util.Optional;

/**
 * The composite verdict {@code compauth=} in the spirit of Exchange Online's: one word a mail client or a rule can
 * act on, and a reason number saying which evidence decided. The table is README's "Composite authentication".
 *
 * @param result pass, fail, softpass or none
 * @param reason three digits: 0xx fail, 1xx pass, 2xx softpass, 3xx/4xx none
 */
public record CompositeAuth(String result, String reason) {

    /**
     * @param effective  DMARC after the tenant's overrides (a trusted ARC sealer lowers the disposition)
     * @param arcRescuer the trusted sealer whose chain vouched for the message, when one did
     */
    public static CompositeAuth of(SenderAuthentication a, DmarcResult effective, Optional<String> arcRescuer,
                                   OrganizationalDomain org) {
        if (arcRescuer.isPresent()) return new CompositeAuth("pass", "130");
        boolean anyPass = a.spf().result() == SpfOutcome.PASS || a.dkim().stream().anyMatch(r -> r.isStrongPass());
        return switch (effective.outcome()) {
            case PASS -> new CompositeAuth("pass", "100");
            case FAIL -> {
                DmarcPolicy requested = effective.policy().map(p -> p.requested()).orElse(DmarcPolicy.NONE);
                if (requested != DmarcPolicy.NONE) yield new CompositeAuth("fail", "000");
                yield anyPass ? new CompositeAuth("softpass", "201") : new CompositeAuth("fail", "001");
            }
            case NONE -> {
                Optional<String> from = a.headerFromDomain();
                if (from.isPresent() && a.alignedDkimPass(from.get(), org)) yield new CompositeAuth("pass", "101");
                if (from.isPresent() && a.alignedSpfPass(from.get(), org)) yield new CompositeAuth("pass", "102");
                if (a.spf().result() == SpfOutcome.FAIL) yield new CompositeAuth("fail", "001");
                yield anyPass ? new CompositeAuth("softpass", "200") : new CompositeAuth("none", "300");
            }
            case PERMERROR -> new CompositeAuth("fail", "003");
            case TEMPERROR -> new CompositeAuth("none", "451");
        };
    }
}
