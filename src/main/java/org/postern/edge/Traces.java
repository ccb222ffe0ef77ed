package org.postern.edge;

import org.postern.policy.Decision;
import org.postern.policy.ReasonCode;

import org.postern.policy.Evidence;
import org.postern.policy.Verdict;
import org.postern.smtp.Reply;
import org.postern.tenant.Tenant;
import org.postern.trace.DecisionEntry;
import org.postern.trace.TraceRecord;
import org.postern.trace.TraceStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/** Builds trace records from what a session knows; the chain is the same one the reply and explain show. */
final class Traces {

    private static final Pattern REF_SUFFIX = Pattern.compile(" ?\\[ref=[0-9A-Z]+]$");

    private Traces() { }

    static TraceRecord message(EdgeContext ctx, String ref, Evidence e, Tenant tenant, String mailFrom,
                               List<String> recipients, Optional<String> messageId, Optional<String> subject, long size,
                               Optional<Integer> scl, List<Verdict.Step> chain, Reply reply) {
        return new TraceRecord(ref, Optional.of(tenant.id()), ctx.clock().instant(), e.clientIp().getHostAddress(), e.helo(), tls(e),
                Optional.of(mailFrom), recipients, messageId, subject, size, scl.map(OptionalInt::of).orElse(OptionalInt.empty()),
                TraceStatus.Queued,
                "DATA", reply.toString(), entries(chain), ctx.node());
    }

    static TraceRecord refusal(EdgeContext ctx, String ref, Evidence e, Optional<Tenant> tenant, Optional<String> mailFrom,
                               List<String> recipients, Verdict v, Reply reply) {
        return new TraceRecord(ref, tenant.map(Tenant::id), ctx.clock().instant(), e.clientIp().getHostAddress(), e.helo(),
                tls(e), mailFrom, recipients, Optional.empty(), Optional.empty(), 0, OptionalInt.empty(),
                statusOf(v.decision(), TraceStatus.Rejected), v.phase().name(), reply.toString(), entries(v.chain()), ctx.node());
    }

    /** Malware has its own status, whether refused or held, so an admin finds it with one filter. */
    static TraceStatus statusOf(Decision decision, TraceStatus otherwise) {
        return decision.primary().code() == ReasonCode.MALWARE_DETECTED ? TraceStatus.Malware : otherwise;
    }

    /** A refusal the SMTP layer made itself: the command and the reply are the whole chain. */
    static TraceRecord protocolRefusal(EdgeContext ctx, String ref, Evidence e, Optional<Tenant> tenant, Optional<String> mailFrom,
                                       List<String> recipients, String command, Reply reply) {
        String phase = command.toUpperCase(java.util.Locale.ROOT).startsWith("DATA") || command.toUpperCase(java.util.Locale.ROOT).startsWith("BDAT")
                ? "DATA" : "PROTOCOL";
        return new TraceRecord(ref, tenant.map(Tenant::id), ctx.clock().instant(), e.clientIp().getHostAddress(), e.helo(),
                tls(e), mailFrom, recipients, Optional.empty(), Optional.empty(), 0, OptionalInt.empty(),
                TraceStatus.Rejected, phase, reply.toString(),
                List.of(new DecisionEntry("smtp/" + command, reply.isTransient() ? "tempfail" : "reject",
                        "protocol." + reply.enhanced() + ": " + REF_SUFFIX.matcher(reply.text()).replaceAll(""), "")), ctx.node());
    }

    static List<DecisionEntry> entries(List<Verdict.Step> chain) {
        List<DecisionEntry> out = new ArrayList<>();
        for (Verdict.Step step : chain) {
            for (var reason : step.decision().reasons()) {
                out.add(new DecisionEntry(step.phase().name() + "/" + step.stage(), step.decision().outcome(),
                        reason.code().id() + ": " + reason.evidence(), reason.setting()));
            }
        }
        return out;
    }

    private static Optional<String> tls(Evidence e) {
        return e.tls().map(t -> t.protocol() + " " + t.cipher()
                + (t.certificateVerified() ? " client=" + t.certificateSubject().orElse("?") : ""));
    }
}
