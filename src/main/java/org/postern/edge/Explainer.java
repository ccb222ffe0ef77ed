package org.postern.edge;

import org.postern.auth.SenderAuthentication;
import org.postern.auth.SenderAuthenticator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.postern.dnsbl.DnsLists;
import org.postern.policy.Decision;
import org.postern.policy.TenantTrusts;
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

    /**
     * The client and envelope to judge.
     *
     * @param tls the client used STARTTLS (implied by a certificate name, which explain takes as verified)
     */
    public record Question(InetAddress ip, Optional<String> helo, Optional<String> tlsCertName, Optional<String> authUser,
                           String mailFrom, List<String> recipients, Optional<Path> message, boolean tls) {
        public Question(InetAddress ip, Optional<String> helo, Optional<String> tlsCertName, Optional<String> authUser,
                        String mailFrom, List<String> recipients, Optional<Path> message) {
            this(ip, helo, tlsCertName, authUser, mailFrom, recipients, message, false);
        }
    }

    /** One phase's verdict and the reply a client would have seen. */
    public record Step(Phase phase, Optional<String> recipient, Verdict verdict, Optional<Reply> reply) { }

    public record Explanation(List<Step> steps, String outcome, Optional<Reply> finalReply) { }

    private final PolicyPipeline pipeline;
    private final TenantDirectory tenants;
    private final ReplyCatalogue replies;
    private final EndOfData endOfData;
    private final String hostname;
    private final DnsLists dnsLists;
    private final TenantTrusts trusts;
    private final Optional<Outbound> outbound;

    /**
     * What explain needs to judge a submission user's mail (explain {@code --auth USER}): the outbound questions and
     * the tenant of a user.
     */
    public record Outbound(PolicyPipeline pipeline, java.util.function.Function<String, Optional<Tenant>> tenantOfUser) { }

    /** @param trusts the same compiled trust the pipeline's stages use */
    public Explainer(PolicyPipeline pipeline, TenantDirectory tenants, ReplyCatalogue replies, EndOfData endOfData,
                     String hostname, DnsLists dnsLists, TenantTrusts trusts) {
        this(pipeline, tenants, replies, endOfData, hostname, dnsLists, trusts, Optional.empty());
    }

    /** @param outbound how to explain an authenticated user's mail; empty: {@code --auth} is only evidence */
    public Explainer(PolicyPipeline pipeline, TenantDirectory tenants, ReplyCatalogue replies, EndOfData endOfData,
                     String hostname, DnsLists dnsLists, TenantTrusts trusts, Optional<Outbound> outbound) {
        this.outbound = outbound;
        this.pipeline = pipeline;
        this.tenants = tenants;
        this.replies = replies;
        this.endOfData = endOfData;
        this.hostname = hostname;
        this.dnsLists = dnsLists;
        this.trusts = trusts;
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
        } else if (q.tls()) {
            e = e.withTls(new Evidence.TlsFacts("TLSv1.3", "(explain)", Optional.empty(), List.of(), false));
        }
        if (q.authUser().isPresent()) e = e.withAuthUser(q.authUser().get());
        Optional<Tenant> sender = outbound.flatMap(o -> q.authUser().flatMap(o.tenantOfUser()));
        if (sender.isPresent()) return explainSubmission(q, e, sender.get(), steps);
        e = e.withMailFrom(q.mailFrom());
        if (!record(steps, pipeline.run(Phase.MAIL, e), Optional.empty())) return end(steps);
        boolean anyAccepted = false;
        List<String> accepted = new ArrayList<>();
        boolean listingsAsked = false;
        for (String rcpt : q.recipients()) {
            String domain = Domains.ofAddress(rcpt);
            Optional<Tenant> owner = domain.isEmpty() ? Optional.empty() : tenants.forDomain(domain);
            if (owner.isPresent() && !listingsAsked) {
                e = e.withListings(dnsLists.lookup(q.ip()).await()); // as the edge: asked once, when a tenant needs them
                listingsAsked = true;
            }
            Evidence judged = e.judging(new Evidence.RecipientCandidate(rcpt, domain, owner));
            Verdict v = pipeline.run(Phase.RCPT, judged);
            if (record(steps, v, Optional.of(rcpt))) {
                accepted.add(rcpt);
                e = judged.recipientAccepted(owner.orElseThrow()).withConnector(trusts.of(owner.get()).matchedConnector(judged));
                anyAccepted = true;
            }
        }
        if (!anyAccepted) return end(steps);
        if (q.message().isPresent()) {
            e = EnhancedFiltering.withOriginalClient(trusts, dnsLists, e, e.transactionTenant().orElseThrow(), received(q.message().get()));
            e = gather(q, e, accepted, q.message().get());
        }
        record(steps, pipeline.run(Phase.DATA, e), Optional.empty());
        return end(steps);
    }

    /** An authenticated user's mail, as the submission listener judges it: the outbound questions, for the user's tenant. */
    private Explanation explainSubmission(Question q, Evidence connected, Tenant tenant, List<Step> steps) {
        PolicyPipeline questions = outbound.orElseThrow().pipeline();
        Evidence e = connected.withMailFrom(q.mailFrom()).withSendingTenant(tenant);
        if (!record(steps, questions.run(Phase.MAIL, e), Optional.empty())) return end(steps);
        List<String> accepted = new ArrayList<>();
        for (String rcpt : q.recipients()) {
            String domain = Domains.ofAddress(rcpt);
            Optional<Tenant> owner = domain.isEmpty() ? Optional.empty() : tenants.forDomain(domain);
            Evidence judged = e.judging(new Evidence.RecipientCandidate(rcpt, domain, owner));
            if (record(steps, questions.run(Phase.RCPT, judged), Optional.of(rcpt))) {
                accepted.add(rcpt);
                e = judged.recipientAccepted(tenant);
            }
        }
        if (accepted.isEmpty()) return end(steps);
        if (q.message().isPresent()) e = gather(q, e, accepted, q.message().get(), org.postern.rules.RuleSubject.Direction.OUTBOUND);
        record(steps, questions.run(Phase.DATA, e), Optional.empty());
        return end(steps);
    }

    private Evidence gather(Question q, Evidence e, List<String> recipients, Path message) {
        return gather(q, e, recipients, message, org.postern.rules.RuleSubject.Direction.INBOUND);
    }

    /**
     * As the edge does it: the message through the incoming-header filter into a file, then authentication, the
     * malware scan, the content filter and the tenant's transport rules.
     */
    private Evidence gather(Question q, Evidence e, List<String> recipients, Path message, org.postern.rules.RuleSubject.Direction direction) {
        Path filtered = null;
        try {
            filtered = Files.createTempFile("postern-explain", ".eml");
            IncomingHeaderFilter filter;
            try (OutputStream out = Files.newOutputStream(filtered)) {
                filter = new IncomingHeaderFilter(out, hostname);
                Files.copy(message, filter);
                filter.finish();
            }
            var envelope = new SenderAuthenticator.Envelope(q.ip(), q.helo().orElse("unknown"), q.mailFrom());
            // Outbound, SPF judges nobody (we are the sender's server), as at the edge.
            var spf = direction == org.postern.rules.RuleSubject.Direction.OUTBOUND
                    ? new org.postern.auth.spf.SpfResult(org.postern.auth.spf.SpfOutcome.NONE, SenderAuthenticator.domainOf(q.mailFrom()),
                            Optional.empty(), Optional.empty(), Optional.empty(), "outbound: not evaluated")
                    : endOfData.authenticator().checkSpf(envelope);
            // The edge's Received line as it would start for this client (EHLO assumed; SMTPUTF8 when the sender needs it).
            String ourHop = AddedHeaders.hop(e, hostname, !q.mailFrom().chars().allMatch(c -> c < 128), true);
            return endOfData.gather(e, e.transactionTenant().orElseThrow(), recipients, envelope, spf, filtered,
                    filter.fromFields(), filter.hasArcFields(), direction, ourHop);
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot read " + message + ": " + failed.getMessage(), failed);
        } finally {
            if (filtered != null) {
                try {
                    Files.deleteIfExists(filtered);
                } catch (IOException ignored) {
                    // a temporary file left in /tmp
                }
            }
        }
    }

    /** The message's Received field values, top first, as the edge's header filter notes them. */
    private List<String> received(Path message) {
        try (IncomingHeaderFilter filter = new IncomingHeaderFilter(OutputStream.nullOutputStream(), hostname)) {
            Files.copy(message, filter);
            filter.finish();
            return filter.received();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + message + ": " + e.getMessage(), e);
        }
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
