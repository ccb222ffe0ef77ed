package org.postern.policy;

/**
 * Has this client asked for more recipients this minute than the operator allows? Every RCPT uses one recipient of
 * the budget, accepted or not: a client guessing addresses (a directory harvest) spends it as fast as a spammer. At
 * CONNECT it only looks, so a client already over its rate is turned away early.
 */
public final class IsRecipientRateExceeded implements Stage {

    private final ClientCounters counters;
    private final int perMinute;
    private final boolean consume;

    private IsRecipientRateExceeded(ClientCounters counters, int perMinute, boolean consume) {
        this.counters = counters;
        this.perMinute = perMinute;
        this.consume = consume;
    }

    public static IsRecipientRateExceeded atConnect(ClientCounters counters, int perMinute) {
        return new IsRecipientRateExceeded(counters, perMinute, false);
    }

    public static IsRecipientRateExceeded atRcpt(ClientCounters counters, int perMinute) {
        return new IsRecipientRateExceeded(counters, perMinute, true);
    }

    @Override
    public Decision decide(Evidence e) {
        boolean ok = consume ? counters.takeRecipient(e.clientIp(), perMinute) : counters.hasRecipientBudget(e.clientIp(), perMinute);
        if (!ok) {
            return Decision.TempFail.because(new Reason(ReasonCode.RECIPIENT_RATE_EXCEEDED,
                    e.clientIp().getHostAddress() + " over " + perMinute + " recipients per minute", "limits.recipients-per-ip-per-minute"));
        }
        return Decision.Continue.silent();
    }
}
