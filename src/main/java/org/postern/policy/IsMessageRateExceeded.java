package org.postern.policy;

/**
 * Has this client sent more messages this minute than the operator allows? At CONNECT it only looks (a client
 * already over its rate is turned away early); at MAIL every transaction uses one message of the budget.
 */
public final class IsMessageRateExceeded implements Stage {

    private final ClientCounters counters;
    private final int perMinute;
    private final boolean consume;

    private IsMessageRateExceeded(ClientCounters counters, int perMinute, boolean consume) {
        this.counters = counters;
        this.perMinute = perMinute;
        this.consume = consume;
    }

    public static IsMessageRateExceeded atConnect(ClientCounters counters, int perMinute) {
        return new IsMessageRateExceeded(counters, perMinute, false);
    }

    public static IsMessageRateExceeded atMail(ClientCounters counters, int perMinute) {
        return new IsMessageRateExceeded(counters, perMinute, true);
    }

    @Override
    public Decision decide(Evidence e) {
        boolean ok = consume ? counters.takeMessage(e.clientIp(), perMinute) : counters.hasMessageBudget(e.clientIp(), perMinute);
        if (!ok) {
            return Decision.TempFail.because(new Reason(ReasonCode.MESSAGE_RATE_EXCEEDED,
                    e.clientIp().getHostAddress() + " over " + perMinute + " messages per minute", "limits.messages-per-ip-per-minute"));
        }
        return Decision.Continue.silent();
    }
}
