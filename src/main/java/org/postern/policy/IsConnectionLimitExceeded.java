package org.postern.policy;

/**
 * CONNECT: does this client hold more connections than the operator allows one address, or is the node
 * holding as many connections as it may in all?
 */
public final class IsConnectionLimitExceeded implements Stage {

    private final ClientCounters counters;
    private final int perIp;
    private final int total;

    public IsConnectionLimitExceeded(ClientCounters counters, int perIp, int total) {
        this.counters = counters;
        this.perIp = perIp;
        this.total = total;
    }

    @Override
    public Decision decide(Evidence e) {
        int all = counters.totalConnections();
        if (all > total) {
            return Decision.TempFail.because(new Reason(ReasonCode.TOO_MANY_CONNECTIONS_TOTAL,
                    all + " connections open on this node, limit " + total, "smtp.max-connections"));
        }
        int open = counters.openConnections(e.clientIp());
        if (open > perIp) {
            return Decision.TempFail.because(new Reason(ReasonCode.TOO_MANY_CONNECTIONS,
                    open + " connections from " + e.clientIp().getHostAddress() + ", limit " + perIp, "limits.connections-per-ip"));
        }
        return Decision.Continue.silent();
    }
}
