package org.postern.policy;

/** DATA: records the SCL that counts for the tenant and why (content filter reasons, or the tenant's sender lists). */
public final class WhatIsTheSpamConfidence implements Stage {

    @Override
    public Decision decide(Evidence e) {
        return SpamConfidence.of(e).<Decision>map(c -> Decision.Continue.because(c.reason())).orElse(Decision.Continue.silent());
    }
}
