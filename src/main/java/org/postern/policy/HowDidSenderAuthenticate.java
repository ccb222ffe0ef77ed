package org.postern.policy;

/** DATA: records what SPF, DKIM, DMARC and ARC found, with the records they used, so the trace and explain show it. */
public final class HowDidSenderAuthenticate implements Stage {

    @Override
    public Decision decide(Evidence e) {
        var verdict = AuthenticationVerdict.of(e);
        if (verdict.isEmpty()) return Decision.Continue.silent();
        var a = e.authentication().orElseThrow();
        return Decision.Continue.because(Reason.of(ReasonCode.SENDER_AUTHENTICATION,
                a.summary() + "; compauth=" + verdict.get().compauth().result() + " reason=" + verdict.get().compauth().reason()));
    }
}
