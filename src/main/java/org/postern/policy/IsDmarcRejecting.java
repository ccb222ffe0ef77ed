package org.postern.policy;

/**
 * DATA: the From domain's owner asked for rejection (or quarantine) of mail that fails DMARC; the tenant decides how
 * far to follow ({@code anti-spoofing.honor-dmarc}), and a trusted ARC sealer may vouch for a forwarded message.
 * A quarantine is only noted here; {@link WhatToDoWithMessage} turns it into the disposition after later stages.
 */
public final class IsDmarcRejecting implements Stage {

    @Override
    public Decision decide(Evidence e) {
        var found = AuthenticationVerdict.of(e);
        if (found.isEmpty()) return Decision.Continue.silent();
        AuthenticationVerdict v = found.get();
        String from = v.effective().headerFromDomain().orElse("(none)");
        String detail = "header.from=" + from + ": " + v.effective().detail();
        return switch (v.action()) {
            case REJECT -> Decision.Reject.because(new Reason(ReasonCode.DMARC_REJECT, detail, v.setting()));
            case QUARANTINE -> Decision.Continue.because(new Reason(ReasonCode.DMARC_QUARANTINE, detail, v.setting()));
            case REPORT_ONLY -> Decision.Continue.because(new Reason(ReasonCode.DMARC_REPORT_ONLY, detail, v.setting()));
            case RETRY -> Decision.TempFail.because(new Reason(ReasonCode.DNS_TEMPORARY_FAILURE,
                    "DMARC for header.from=" + from + " needs a DNS answer that did not come: " + e.authentication().orElseThrow().summary(), ""));
            case NONE -> v.rescuedBy().isPresent()
                    ? Decision.Continue.because(new Reason(ReasonCode.DMARC_ARC_OVERRIDE, detail, v.setting()))
                    : Decision.Continue.silent();
        };
    }
}
