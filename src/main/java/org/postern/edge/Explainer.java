package org.postern.edge;

import org.postern.policy.Decision;
import org.postern.policy.Evidence;
import org.postern.policy.Phase;
import org.postern.policy.PolicyPipeline;
import org.postern.policy.Verdict;
import org.postern.smtp.Reply;
import org.postern.tenant.Domains;
import org.postern.tenant.Tenant;
import org.postern.tenant.TenantDirectory;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the gateway would decide for a described client and message, phase by phase, without sending mail:
 * the same pipeline, evidence and reply catalogue as a live session, so explain never disagrees with the edge.
 */
public final class Explainer {

    /** The client and envelope to judge. */
    public record Question(InetAddress ip, Optional<String> helo, Optional<String> tlsCertName, Optional<String> authUser,
                           String mailFrom, List<String> recipients) { }

    /** One phase's verdict and the reply a client would have seen. */
    public record Step(Phase phase, Optional<String> recipient, Verdict verdict, Optional<Reply> reply) { }

    public record Explanation(List<Step> steps, String outcome, Optional<Reply> finalReply) { }

    private final PolicyPipeline pipeline;
    private final TenantDirectory tenants;
    private final ReplyCatalogue replies;

    public Explainer(PolicyPipeline pipeline, TenantDirectory tenants, ReplyCatalogue replies) {
        this.pipeline = pipeline;
        this.tenants = tenants;
        this.replies = replies;
    }

    public Explanation explain(Question q) {
        List<Step> steps = new ArrayList<>();
        Evidence e = Evidence.connected(q.ip(), Optional.empty(), "smtp");
        Verdict connect = pipeline.run(Phase.CONNECT, e);
        if (!record(steps, connect, Optional.empty())) return end(steps);
        e = e.withHelo(q.helo().orElse("unknown"));
        if (q.tlsCertName().isPresent()) {
            e = e.withTls(new Evidence.TlsFacts("TLSv1.3", "(explain)", Optional.of("CN=" + q.tlsCertName().get()),
                    List.of(q.tlsCertName().get()), true));
        }
        if (q.authUser().isPresent()) e = e.withAuthUser(q.authUser().get());
        e = e.withMailFrom(q.mailFrom());
        if (!record(steps, pipeline.run(Phase.MAIL, e), Optional.empty())) return end(steps);
        boolean anyAccepted = false;
        for (String rcpt : q.recipients()) {
            String domain = Domains.ofAddress(rcpt);
            Optional<Tenant> owner = domain.isEmpty() ? Optional.empty() : tenants.forDomain(domain);
            Evidence judged = e.judging(new Evidence.RecipientCandidate(rcpt, domain, owner));
            Verdict v = pipeline.run(Phase.RCPT, judged);
            if (record(steps, v, Optional.of(rcpt))) {
                e = judged.recipientAccepted(owner.orElseThrow());
                anyAccepted = true;
            }
        }
        if (!anyAccepted) return end(steps);
        record(steps, pipeline.run(Phase.DATA, e), Optional.empty());
        return end(steps);
    }

    private boolean record(List<Step> steps, Verdict v, Optional<String> recipient) {
        Optional<Reply> reply = v.proceeds() ? Optional.empty() : Optional.of(replies.refusal(v.decision(), "EXPLAIN"));
        steps.add(new Step(v.phase(), recipient, v, reply));
        return v.proceeds();
    }

    private Explanation end(List<Step> steps) {
        Step last = steps.get(steps.size() - 1);
        boolean someRecipientAccepted = steps.stream().anyMatch(s -> s.phase() == Phase.DATA && s.verdict().decision() instanceof Decision.Accept);
        String outcome = someRecipientAccepted ? "accept" : last.verdict().decision().outcome();
        Optional<Reply> reply = steps.stream().filter(s -> s.reply().isPresent()).reduce((a, b) -> b).flatMap(Step::reply);
        return new Explanation(steps, outcome, someRecipientAccepted ? Optional.empty() : reply);
    }
}
