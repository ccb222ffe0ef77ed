package org.postern.policy;

/**
 * CONNECT: does this client hold more connections than the operator allows one address or one network (a /24, a
 * /64: a botnet's neighbours or one host's many addresses), or is the node holding as many connections as it may?
 */
public final class IsConnectionLimitExceeded implements Stage {

    private final ClientCounters counters;
    private final int perIp;
    private final int total;
    private final int perNetwork;

    public IsConnectionLimitExceeded(ClientCounters counters, int perIp, int total) {
        this(counters, perIp, total, Integer.MAX_VALUE);
    }

    /** @param perNetwork connections from one /24 (IPv4) or /64 (IPv6) together */
    public IsConnectionLimitExceeded(ClientCounters counters, int perIp, int total, int perNetwork) {
        this.counters = counters;
        this.perIp = perIp;
        this.total = total;
        this.perNetwork = perNetwork;
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
        int inNetwork = counters.openConnectionsInNetwork(e.clientIp());
        if (inNetwork > perNetwork) {
            return Decision.TempFail.because(new Reason(ReasonCode.TOO_MANY_CONNECTIONS_NETWORK, inNetwork + " connections from "
                    + LocalClientCounters.network(e.clientIp()) + ", limit " + perNetwork, "limits.connections-per-network"));
        }
        return Decision.Continue.silent();
    }
}
