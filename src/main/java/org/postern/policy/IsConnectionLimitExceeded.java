package org.postern.policy;

/** CONNECT: does this client hold more connections than the operator allows one address? */
public final class IsConnectionLimitExceeded implements Stage {

    private final ClientCounters counters;
    private final int perIp;

    public IsConnectionLimitExceeded(ClientCounters counters, int perIp) {
        this.counters = counters;
        this.perIp = perIp;
    }

    @Override
    public Decision decide(Evidence e) {
        int open = counters.openConnections(e.clientIp());
        if (open > perIp) {
            return Decision.TempFail.because(new Reason(ReasonCode.TOO_MANY_CONNECTIONS,
                    open + " connections from " + e.clientIp().getHostAddress() + ", limit " + perIp, "limits.connections-per-ip"));
        }
        return Decision.Continue.silent();
    }
}
