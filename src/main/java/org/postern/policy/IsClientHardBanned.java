package org.postern.policy;

import java.util.List;

/** CONNECT: is the client on the operator's hard-ban list? No tenant can override this. */
public final class IsClientHardBanned implements Stage {

    private final List<Cidr> banned;

    public IsClientHardBanned(List<Cidr> banned) {
        this.banned = List.copyOf(banned);
    }

    @Override
    public Decision decide(Evidence e) {
        for (Cidr cidr : banned) {
            if (cidr.contains(e.clientIp())) {
                return Decision.Reject.because(new Reason(ReasonCode.CLIENT_HARD_BANNED,
                        e.clientIp().getHostAddress() + " in " + cidr, "operator.blocked-ips"));
            }
        }
        return Decision.Continue.silent();
    }
}
