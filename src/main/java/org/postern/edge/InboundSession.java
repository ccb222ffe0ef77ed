package org.postern.edge;

import org.postern.auth.SenderAuthenticator;
import org.postern.auth.spf.SpfOutcome;
import org.postern.auth.spf.SpfResult;
import org.postern.dnsbl.DnsLists;
import org.postern.policy.AuthenticationVerdict;
import org.postern.policy.Decision;
import org.postern.policy.Disposition;
import org.postern.policy.SpamConfidence;
import org.postern.policy.Evidence;
import org.postern.policy.Phase;
import org.postern.policy.Reason;
import org.postern.policy.ReasonCode;
import org.postern.policy.Verdict;
import org.postern.queue.Envelope;
import org.postern.queue.Spool;
import org.postern.rules.RuleOutcome;
import org.postern.quarantine.QuarantinedMessage;
import org.postern.smtp.ConnectionInfo;
import org.postern.smtp.HeloInfo;
import org.postern.smtp.MailFrom;
import org.postern.smtp.MessageSink;
import org.postern.smtp.RcptTo;
import org.postern.smtp.Reply;
import org.postern.smtp.SessionHandler;
import org.postern.smtp.TlsInfo;
import org.postern.store.JdbcDmarcResultStore;
import org.postern.store.StoreUnavailableException;
import org.postern.tenant.Domains;
import org.postern.tenant.Tenant;
import org.postern.trace.TraceRecord;
import org.postern.trace.TraceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One inbound SMTP session seen from the policy side: it turns each command into evidence, asks the phase's
 * stages, answers with the catalogue's reply and traces every refusal and every accepted message.
 * It owns no socket; {@link org.postern.smtp.SmtpSession} does.
 */
final class InboundSession implements SessionHandler {

    private static final Logger log = LoggerFactory.getLogger(InboundSession.class);

    private final EdgeContext ctx;
    private final Submission submission;
    private final String sessionRef;
    /** The submission user AUTH accepted, and the trace step saying so (part of every message it sends). */
    private Submission.Login.Accepted login;
    private Verdict.Step loginStep;
    private ConnectionInfo connection;
    private Evidence evidence;
    private boolean extended;
    private boolean refusedAtConnect;
    private CompletableFuture<Optional<String>> clientName = CompletableFuture.completedFuture(Optional.empty());
    /** DNS list lookups started at CONNECT; awaited once, at the first RCPT that has a tenant. */
    private DnsLists.Pending listings;
    private Transaction tx;
    /** A transaction whose content was just refused: the session's own refusal reply still belongs to it. */
    private Transaction aborted;

    /** The current transaction: its reference, sender, accepted recipients and the chain so far. */
    private static final class Transaction {
        final String ref;
        final MailFrom mailFrom;
        final List<String> recipients = new ArrayList<>();
        /** What the session and MAIL phases said: shared by the message and every refusal in it. */
        final List<Verdict.Step> chain = new ArrayList<>();
        /** What RCPT said about the accepted recipients: part of the message's record only, never of a
         *  refused recipient's (which may belong to another tenant). */
        final List<Verdict.Step> recipientChain = new ArrayList<>();
        Tenant tenant;
        /** The tenant's own mail to the internet: from an authenticated user, or relayed by its on-premises connector. */
        boolean outbound;
        /** SPF runs while the recipients and the content arrive; DATA's end waits for it. */
        SenderAuthenticator.Envelope authEnvelope;
        CompletableFuture<SpfResult> spf;

        Transaction(String ref, MailFrom mailFrom) {
            this.ref = ref;
            this.mailFrom = mailFrom;
        }
    }

    InboundSession(EdgeContext ctx, Submission submission) {
        this.ctx = ctx;
        this.submission = submission;
        this.sessionRef = ctx.references().next();
    }

    @Override
    public String reference() {
        if (tx != null) return tx.ref;
        return aborted != null ? aborted.ref : sessionRef;
    }

    @Override
    public Reply connect(ConnectionInfo c) {
        this.connection = c;
        InetAddress ip = c.clientAddress();
        ctx.counters().connectionOpened(ip);
        // Reverse DNS runs beside the session; only the Received line waits for it, briefly.
        if (!ip.isLoopbackAddress()) clientName = CompletableFuture.supplyAsync(() -> ctx.dns().verifiedName(ip), Threads.VIRTUAL);
        evidence = Evidence.connected(ip, Optional.empty(), c.listener());
        Verdict v = ctx.pipeline().run(Phase.CONNECT, evidence);
        if (!v.proceeds()) {
            refusedAtConnect = true;
            return refuse(v, sessionRef, Optional.empty(), List.of(), Optional.empty());
        }
        listings = ctx.dnsLists().lookup(ip);
        return ctx.replies().greeting();
    }

    @Override
    public Reply helo(HeloInfo helo) {
        extended = helo.extended();
        evidence = evidence.withHelo(helo.name()).withoutTransaction();
        tx = null;
        aborted = null;
        return ctx.replies().helo();
    }

    @Override
    public void tlsEstablished(TlsInfo tls) {
        var cert = tls.clientCertificate().filter(TlsInfo.ClientCertificate::verified);
        List<String> names = new ArrayList<>();
        cert.ifPresent(cc -> {
            cc.commonName().ifPresent(names::add);
            names.addAll(cc.dnsNames());
        });
        evidence = evidence.withTls(new Evidence.TlsFacts(tls.protocol(), tls.cipherSuite(),
                cert.map(TlsInfo.ClientCertificate::subject), names, cert.isPresent()));
    }

    /** The submission listeners ("submission", implicit-TLS "submissions") offer AUTH; the MX listener does not. */
    @Override
    public boolean offersAuth() {
        return connection != null && connection.listener().startsWith("submission");
    }

    @Override
    public Reply authenticate(String mechanism, String user, String password) {
        return switch (submission.authenticate(connection.clientAddress(), user, password)) {
            case Submission.Login.Accepted accepted -> {
                login = accepted;
                evidence = evidence.withAuthUser(accepted.account().email());
                loginStep = new Verdict.Step(Phase.AUTH, "WhoIsSubmitting", Decision.Continue.because(new Reason(ReasonCode.SUBMISSION_AUTHENTICATED,
                        "AUTH " + mechanism + " as " + accepted.account().email() + " of tenant " + accepted.tenant().id(),
                        "tenants." + accepted.tenant().id())));
                log.info("AUTH {} as {} (tenant {}) from {}", mechanism, accepted.account().email(), accepted.tenant().id(),
                        connection.clientAddress().getHostAddress());
                yield Reply.of(235, "2.7.0", "Authentication successful");
            }
            case Submission.Login.Refused refused -> refuse(new Verdict(Phase.AUTH, refused.decision(),
                    List.of(new Verdict.Step(Phase.AUTH, "WhoIsSubmitting", refused.decision()))), ctx.references().next(),
                    Optional.empty(), List.of(), Optional.empty());
        };
    }

    @Override
    public Reply mailFrom(MailFrom mailFrom) {
        aborted = null;
        tx = new Transaction(ctx.references().next(), mailFrom);
        if (login != null) return outboundMailFrom(mailFrom);
        evidence = evidence.withMailFrom(mailFrom.address());
        Verdict v = ctx.pipeline().run(Phase.MAIL, evidence);
        if (!v.proceeds()) {
            Transaction refused = tx;
            tx = null;
            return refuse(v, refused.ref, Optional.empty(), List.of(), Optional.of(mailFrom.address()));
        }
        tx.chain.addAll(v.chain());
        tx.authEnvelope = new SenderAuthenticator.Envelope(connection.clientAddress(), evidence.helo().orElse(""), mailFrom.address());
        var envelope = tx.authEnvelope;
        tx.spf = CompletableFuture.supplyAsync(() -> ctx.authenticator().checkSpf(envelope), Threads.VIRTUAL);
        return ctx.replies().senderOk();
    }

    /** MAIL from an authenticated user: the transaction is the user's tenant's, judged by the outbound questions. */
    private Reply outboundMailFrom(MailFrom mailFrom) {
        Tenant tenant = ctx.tenants().byId(login.tenant().id()).orElse(login.tenant());
        tx.outbound = true;
        tx.tenant = tenant;
        tx.chain.add(loginStep);
        evidence = evidence.withMailFrom(mailFrom.address()).withSendingTenant(tenant);
        Verdict v = submission.pipeline().run(Phase.MAIL, evidence);
        List<Verdict.Step> chain = new ArrayList<>(tx.chain);
        chain.addAll(v.chain());
        if (!v.proceeds()) {
            Transaction refused = tx;
            tx = null;
            return refuse(new Verdict(Phase.MAIL, v.decision(), chain), refused.ref, Optional.of(tenant), List.of(), Optional.of(mailFrom.address()));
        }
        tx.chain.clear();
        tx.chain.addAll(chain);
        return ctx.replies().senderOk();
    }

    @Override
    public Reply rcptTo(RcptTo rcpt) {
        String domain = Domains.ofAddress(rcpt.address());
        Optional<Tenant> owner = domain.isEmpty() ? Optional.empty() : ctx.tenants().forDomain(domain);
        if (tx.outbound && login != null) return outboundRcpt(rcpt, domain);
        if (offersAuth()) return unauthenticatedSubmission(rcpt, domain, owner);
        if (tx.outbound || (owner.isEmpty() && !domain.isEmpty())) {
            Optional<Reply> relayed = onPremisesRelay(rcpt, domain, owner);
            if (relayed.isPresent()) return relayed.get();
        }
        if (owner.isPresent() && listings != null) {
            evidence = evidence.withListings(listings.await());
            listings = null;
        }
        Evidence judged = evidence.judging(new Evidence.RecipientCandidate(rcpt.address(), domain, owner));
        Verdict v = ctx.pipeline().run(Phase.RCPT, judged);
        if (!v.proceeds()) {
            // A refused recipient is its own trace record, in its own tenant, with its own reference.
            List<Verdict.Step> chain = new ArrayList<>(tx.chain);
            chain.addAll(v.chain());
            return refuse(new Verdict(Phase.RCPT, v.decision(), chain), ctx.references().next(), owner,
                    List.of(rcpt.address()), Optional.of(tx.mailFrom.address()));
        }
        Tenant tenant = owner.orElseThrow();
        tx.tenant = tenant;
        tx.recipients.add(rcpt.address());
        tx.recipientChain.addAll(v.chain());
        evidence = judged.recipientAccepted(tenant).withConnector(ctx.trusts().of(tenant).matchedConnector(judged));
        return ctx.replies().recipientOk();
    }

    /** A recipient of an authenticated user's message: anywhere, within the tenant's outbound limits. */
    private Reply outboundRcpt(RcptTo rcpt, String domain) {
        Optional<Tenant> owner = domain.isEmpty() ? Optional.empty() : ctx.tenants().forDomain(domain);
        Evidence judged = evidence.judging(new Evidence.RecipientCandidate(rcpt.address(), domain, owner));
        Verdict v;
        if (domain.isEmpty() || domain.startsWith("[")) {
            // No MX to look up: an address literal or a bare local part is not routed to the internet.
            v = new Verdict(Phase.RCPT, Decision.Reject.because(new Reason(ReasonCode.RELAY_DENIED,
                    rcpt.address() + " has no domain to deliver to", "")), List.of());
        } else {
            v = submission.pipeline().run(Phase.RCPT, judged);
        }
        if (!v.proceeds()) {
            var reason = v.decision().primary();
            if (reason.code() == ReasonCode.OUTBOUND_LIMIT_REACHED || reason.code() == ReasonCode.OUTBOUND_LIMIT_ALERT) {
                submission.limitReached(tx.tenant, evidence.authUser(), reason);
            }
            List<Verdict.Step> chain = new ArrayList<>(tx.chain);
            chain.addAll(v.chain());
            return refuse(new Verdict(Phase.RCPT, v.decision(), chain), ctx.references().next(), Optional.of(tx.tenant),
                    List.of(rcpt.address()), Optional.of(tx.mailFrom.address()));
        }
        tx.recipients.add(rcpt.address());
        tx.recipientChain.addAll(v.chain());
        evidence = judged.recipientAccepted(tx.tenant);
        return ctx.replies().recipientOk();
    }

    /**
     * The submission port without AUTH takes nothing (RFC 6409 §4.3 — a submission server authenticates its
     * clients): 530 for a tenant's recipient, relay denied for anyone else.
     */
    private Reply unauthenticatedSubmission(RcptTo rcpt, String domain, Optional<Tenant> owner) {
        Decision d = owner.isPresent()
                ? Decision.Reject.because(new Reason(ReasonCode.SUBMISSION_AUTH_REQUIRED,
                        "submission to " + rcpt.address() + " without AUTH", "listeners.submission"))
                : Decision.Reject.because(new Reason(ReasonCode.RELAY_DENIED,
                        (domain.isEmpty() ? rcpt.address() : domain) + " is served by no tenant and the client has not authenticated",
                        "listeners.submission"));
        List<Verdict.Step> chain = new ArrayList<>(tx.chain);
        chain.add(new Verdict.Step(Phase.RCPT, "HasClientAuthenticated", d));
        return refuse(new Verdict(Phase.RCPT, d, chain), ctx.references().next(), owner, List.of(rcpt.address()), Optional.of(tx.mailFrom.address()));
    }

    /**
     * On the MX listener, a recipient no tenant owns may still be relayed: when the sender's domain is a tenant's
     * and one of that tenant's on-premises connectors identifies the client (certificate or address), it is the
     * tenant's own server sending to the internet. The first recipient sets the direction; the other one in the
     * same transaction gets 452 (the client sends it again in its own).
     */
    private Optional<Reply> onPremisesRelay(RcptTo rcpt, String domain, Optional<Tenant> owner) {
        if (!tx.outbound) {
            Optional<Tenant> sender = ctx.tenants().forDomain(Domains.ofAddress(tx.mailFrom.address()));
            Optional<org.postern.policy.MatchedConnector> connector = sender
                    .flatMap(t -> ctx.trusts().of(t).matchedConnector(evidence))
                    .filter(org.postern.policy.MatchedConnector::onPremises);
            if (connector.isEmpty()) return Optional.empty();
            if (!tx.recipients.isEmpty()) return Optional.of(mixedDirections(rcpt));
            tx.outbound = true;
            tx.tenant = sender.get();
            evidence = evidence.withSendingTenant(sender.get()).withConnector(connector);
            tx.chain.add(new Verdict.Step(Phase.RCPT, "IsClientTenantsOwnServer", Decision.Continue.because(new Reason(ReasonCode.OUTBOUND_RELAY,
                    "client identified by " + connector.get().identifiedBy() + ": relays " + sender.get().id() + "'s mail to the internet",
                    connector.get().setting()))));
        }
        if (owner.isPresent()) return Optional.of(mixedDirections(rcpt));
        return Optional.of(outboundRcpt(rcpt, domain));
    }

    private Reply mixedDirections(RcptTo rcpt) {
        Decision d = Decision.Reject.because(Reason.of(ReasonCode.MIXED_DIRECTIONS,
                rcpt.address() + " goes the other way than the recipients accepted before"));
        List<Verdict.Step> chain = new ArrayList<>(tx.chain);
        chain.add(new Verdict.Step(Phase.RCPT, "IsClientTenantsOwnServer", d));
        return refuse(new Verdict(Phase.RCPT, d, chain), ctx.references().next(), Optional.ofNullable(tx.tenant),
                List.of(rcpt.address()), Optional.of(tx.mailFrom.address()));
    }

    @Override
    public Reply dataStart() {
        if (tx == null || tx.recipients.isEmpty()) {
            String ref = reference();
            return ctx.replies().refusal(Decision.Reject.because(Reason.of(ReasonCode.NO_VALID_RECIPIENTS, "DATA without an accepted recipient")), ref);
        }
        return ctx.replies().dataOk();
    }

    @Override
    public MessageSink openMessage() {
        return new Sink(tx);
    }

    @Override
    public void reset() {
        tx = null;
        aborted = null;
        evidence = evidence.withoutTransaction();
    }

    @Override
    public void protocolRefusal(String command, Reply reply) {
        // The session refused on its own (syntax, sequence, smuggling, size): traced like any refusal, so the
        // [ref=...] it printed is found by trace --ref.
        if (refusedAtConnect) return; // every reply carries the CONNECT refusal's reference, already traced
        String ref = reference();
        Transaction t = tx != null ? tx : aborted;
        aborted = null;
        Optional<Tenant> tenant = t == null ? Optional.empty() : Optional.ofNullable(t.tenant);
        try {
            ctx.trace().record(Traces.protocolRefusal(ctx, ref, evidence, tenant,
                    t == null ? Optional.empty() : Optional.of(t.mailFrom.address()),
                    t == null ? List.of() : List.copyOf(t.recipients), command, reply));
        } catch (RuntimeException e) {
            log.warn("could not trace refusal {}: {}", ref, e.getMessage());
        }
    }

    @Override
    public Reply earlyTalker(int octets, java.time.Duration pause) {
        Decision d = Decision.Reject.because(new Reason(ReasonCode.CLIENT_TALKED_EARLY, octets + " octets sent during the "
                + pause.toMillis() + " ms greet pause, before the banner", "smtp.greet-pause"));
        refusedAtConnect = true;
        return refuse(new Verdict(Phase.CONNECT, d, List.of(new Verdict.Step(Phase.CONNECT, "DidClientWaitForGreeting", d))),
                sessionRef, Optional.empty(), List.of(), Optional.empty());
    }

    @Override
    public Reply proxyRefused(ConnectionInfo peer, String why) {
        // Who the client is is unknown: the trace names the peer (the proxy, or whoever connected in its place).
        evidence = Evidence.connected(peer.clientAddress(), Optional.empty(), peer.listener());
        Decision d = Decision.Reject.because(new Reason(ReasonCode.PROXY_HEADER_REFUSED, why, "listeners." + peer.listener() + ".trusted-proxies"));
        refusedAtConnect = true;
        return refuse(new Verdict(Phase.CONNECT, d, List.of(new Verdict.Step(Phase.CONNECT, "IsProxyHeaderValid", d))),
                sessionRef, Optional.empty(), List.of(), Optional.empty());
    }

    @Override
    public void closed(String reason) {
        if (connection != null) ctx.counters().connectionClosed(connection.clientAddress());
    }

    /** Receives one message: headers filtered on the way into the spool, then decided and made durable. */
    private final class Sink implements MessageSink {
        private final Transaction t;
        private Spool.Pending pending;
        private IncomingHeaderFilter filter;

        Sink(Transaction t) {
            this.t = t;
        }

        @Override
        public OutputStream content() throws IOException {
            if (filter == null) {
                pending = ctx.spool().begin();
                filter = new IncomingHeaderFilter(pending.content(), ctx.hostname());
            }
            return filter;
        }

        @Override
        public Reply complete(long size) {
            try {
                content().close();
            } catch (IOException e) {
                return failSpool(e);
            }
            // The transaction ends with this reply (RFC 5321 §4.1.1.4): later refusals get the session's reference.
            if (tx == t) tx = null;
            if (t.outbound) return completeOutbound(size);
            try {
                Evidence named = evidence.withClientName(clientName());
                evidence = ctx.endOfData().gather(named, t.tenant, t.recipients, t.authEnvelope, spfResult(t),
                        pending.contentFile(), filter.fromFields(), filter.hasArcFields(),
                        AddedHeaders.hop(named, ctx.hostname(), t.mailFrom.smtpUtf8(), extended));
            } catch (IOException e) {
                return failSpool(e);
            }
            evidence = EnhancedFiltering.withOriginalClient(ctx.trusts(), ctx.dnsLists(), evidence, t.tenant, filter.received());
            Verdict v = ctx.pipeline().run(Phase.DATA, evidence);
            List<Verdict.Step> chain = new ArrayList<>(t.chain);
            chain.addAll(t.recipientChain);
            chain.addAll(v.chain());
            // Kept for the domain owner's aggregate report, refused messages too (that is how owners learn of abuse);
            // not a temporary refusal, whose retry will be counted.
            if (!(v.decision() instanceof Decision.TempFail)) {
                AuthenticationVerdict.of(evidence).flatMap(a -> a.effective().reportRow()).ifPresent(row -> ctx.dmarcResults().record(
                        new JdbcDmarcResultStore.StoredResult(t.ref, t.tenant.id(), ctx.clock().instant(), row)));
            }
            if (!(v.decision() instanceof Decision.Accept accept)) {
                pending.discard();
                return refuse(new Verdict(Phase.DATA, v.decision(), chain), t.ref, Optional.of(t.tenant), t.recipients, Optional.of(t.mailFrom.address()));
            }
            boolean quarantined = accept.disposition() instanceof Disposition.Quarantine;
            boolean dropped = accept.disposition() instanceof Disposition.Drop;
            RuleOutcome rules = evidence.rules().orElse(RuleOutcome.NONE);
            List<String> recipients = RuleEffects.recipients(t.recipients, rules);
            Reply reply = ctx.replies().queued(t.ref);
            var traced = Traces.message(ctx, t.ref, evidence, t.tenant, t.mailFrom.address(), recipients,
                    filter.messageId(), filter.subject(), size, SpamConfidence.of(evidence).map(SpamConfidence::scl), chain, reply);
            if (quarantined) traced = traced.withStatus(Traces.statusOf(accept, TraceStatus.Quarantined));
            if (dropped) traced = traced.withStatus(TraceStatus.Deleted);
            // Junk keeps its own status through delivery, so "where did my mail go" reads Junk, not Delivered.
            if (accept.disposition() instanceof Disposition.Junk) traced = traced.withStatus(TraceStatus.Junk);
            try {
                ctx.trace().record(traced);
            } catch (StoreUnavailableException e) {
                return failTrace(e);
            }
            var results = evidence.authentication().orElseThrow();
            String headers = AddedHeaders.forAccepted(evidence, ctx.hostname(), t.ref, t.tenant.id(), recipients,
                    t.mailFrom.smtpUtf8(), extended, ctx.clock().instant().atZone(ZoneOffset.UTC), accept.disposition())
                    + RuleEffects.addedHeaders(rules);
            try {
                if (!dropped) pending = RuleEffects.rewritten(ctx.spool(), pending, rules);
                if (dropped) {
                    pending.discard();
                } else if (quarantined) {
                    String reason = accept.primary().code().id() + ": " + accept.primary().evidence();
                    ctx.quarantine().hold(QuarantinedMessage.held(t.ref, t.tenant.id(), ctx.clock().instant(), t.mailFrom.address(),
                            recipients, filter.subject().orElse(""), size, reason, t.tenant.delivery()), headers, pending.contentFile());
                    pending.discard();
                } else {
                    boolean senderVerified = results.spf().result() == SpfOutcome.PASS
                            || results.dkim().stream().anyMatch(r -> r.isStrongPass());
                    ctx.spool().commit(pending, new Envelope(t.ref, t.tenant.id(), t.mailFrom.address(), recipients,
                            t.tenant.delivery(), ctx.clock().instant(), headers, senderVerified));
                }
            } catch (IOException | RuntimeException e) {
                return failSpool(traced, e);
            }
            return reply;
        }

        /**
         * The tenant's own mail to the internet: the same one parse, malware scan and classifier as inbound mail,
         * judged by the outbound questions, then queued for MX delivery (high-risk pool for a spam verdict). Only
         * our Received line is added: verdict headers are for a tenant's own users, not for the internet.
         */
        private Reply completeOutbound(long size) {
            String domain = SenderAuthenticator.domainOf(t.mailFrom.address());
            SenderAuthenticator.Envelope envelope = new SenderAuthenticator.Envelope(connection.clientAddress(), evidence.helo().orElse(""), t.mailFrom.address());
            // SPF judges a sender's servers; here we are the sender's server.
            SpfResult spf = new SpfResult(SpfOutcome.NONE, domain, Optional.empty(), Optional.empty(), Optional.empty(), "outbound: not evaluated");
            try {
                evidence = ctx.endOfData().gather(evidence.withClientName(clientName()), t.tenant, t.recipients, envelope, spf,
                        pending.contentFile(), filter.fromFields(), filter.hasArcFields(), org.postern.rules.RuleSubject.Direction.OUTBOUND, "");
            } catch (IOException e) {
                return failSpool(e);
            }
            Verdict v = submission.pipeline().run(Phase.DATA, evidence);
            List<Verdict.Step> chain = new ArrayList<>(t.chain);
            chain.addAll(t.recipientChain);
            chain.addAll(v.chain());
            if (!(v.decision() instanceof Decision.Accept accept)) {
                pending.discard();
                return refuse(new Verdict(Phase.DATA, v.decision(), chain), t.ref, Optional.of(t.tenant), t.recipients, Optional.of(t.mailFrom.address()));
            }
            boolean highRisk = accept.reasons().stream().anyMatch(r -> r.code() == ReasonCode.OUTBOUND_HIGH_RISK);
            boolean dropped = accept.disposition() instanceof Disposition.Drop;
            RuleOutcome rules = evidence.rules().orElse(RuleOutcome.NONE);
            List<String> recipients = RuleEffects.recipients(t.recipients, rules);
            Reply reply = ctx.replies().queued(t.ref);
            var traced = Traces.message(ctx, t.ref, evidence, t.tenant, t.mailFrom.address(), recipients,
                    filter.messageId(), filter.subject(), size, SpamConfidence.of(evidence).map(SpamConfidence::scl), chain, reply);
            if (dropped) traced = traced.withStatus(TraceStatus.Deleted);
            try {
                ctx.trace().record(traced);
            } catch (StoreUnavailableException e) {
                return failTrace(e);
            }
            String headers = AddedHeaders.received(evidence, ctx.hostname(), t.ref, recipients, t.mailFrom.smtpUtf8(), extended,
                    ctx.clock().instant().atZone(ZoneOffset.UTC)) + RuleEffects.addedHeaders(rules);
            try {
                if (dropped) {
                    pending.discard();
                    return reply;
                }
                pending = RuleEffects.rewritten(ctx.spool(), pending, rules);
                OutboundSpooling.queue(ctx.spool(), pending, t.tenant, t.ref, t.mailFrom.address(), recipients, ctx.clock().instant(),
                        headers, evidence.authUser().orElse(""), highRisk, t.mailFrom.requireTls());
            } catch (IOException | RuntimeException e) {
                return failSpool(traced, e);
            }
            return reply;
        }

        private Reply failTrace(StoreUnavailableException e) {
            log.warn("trace store unavailable, refusing message {} temporarily: {}", t.ref, e.getMessage());
            pending.discard();
            return ctx.replies().refusal(Decision.TempFail.because(Reason.of(ReasonCode.STORE_UNAVAILABLE, e.getMessage())), t.ref);
        }

        /** The spool failed after the message was traced as accepted: the trace says Rejected (the client retries). */
        private Reply failSpool(TraceRecord traced, Exception e) {
            try {
                ctx.trace().record(traced.withStatus(TraceStatus.Rejected));
            } catch (RuntimeException ignored) {
                // The trace keeps "Queued" for a message the client was told to retry; the log says why.
            }
            return failSpool(e);
        }

        private Reply failSpool(Exception e) {
            log.error("spool write failed for {}: {}", t.ref, e.toString());
            if (pending != null) pending.discard();
            return ctx.replies().refusal(Decision.TempFail.because(Reason.of(ReasonCode.SPOOL_UNAVAILABLE, e.getMessage() == null ? e.toString() : e.getMessage())), t.ref);
        }

        @Override
        public void abort(String why) {
            if (tx == t) {
                tx = null;
                aborted = t;
            }
            if (pending != null) pending.discard();
            log.debug("message {} aborted: {}", t.ref, why);
        }
    }

    /** SPF has its own DNS timeouts and lookup limits; this bound only guards against a stuck resolver. */
    private static SpfResult spfResult(Transaction t) {
        try {
            return t.spf.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            return new SpfResult(SpfOutcome.TEMPERROR, SenderAuthenticator.domainOf(t.authEnvelope.mailFrom()), Optional.empty(),
                    Optional.empty(), Optional.empty(), "SPF evaluation did not finish: " + e);
        }
    }

    /** Awaits reverse DNS briefly; the Received line says "unknown" rather than holding the client. */
    Optional<String> clientName() {
        try {
            return clientName.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private Reply refuse(Verdict v, String ref, Optional<Tenant> tenant, List<String> recipients, Optional<String> mailFrom) {
        Reply reply = ctx.replies().refusal(v.decision(), ref);
        try {
            ctx.trace().record(Traces.refusal(ctx, ref, evidence, tenant, mailFrom, recipients, v, reply));
        } catch (RuntimeException e) {
            log.warn("could not trace refusal {}: {}", ref, e.getMessage());
        }
        return reply;
    }
}
