package org.postern.edge;

import org.postern.auth.SenderAuthenticator;
import org.postern.auth.spf.SpfResult;
import org.postern.content.Attachment;
import org.postern.content.ContentReason;
import org.postern.content.ContentReasonCode;
import org.postern.content.MessageHeader;
import org.postern.content.MessageView;
import org.postern.content.SclResult;
import org.postern.content.TextPart;
import org.postern.malware.AntiMalwarePolicy;
import org.postern.malware.MalwareVerdict;
import org.postern.malware.ScannedPart;
import org.postern.config.OperatorConfig;
import org.postern.content.ViewLimits;
import org.postern.malware.MalwareScanner;
import org.postern.policy.Evidence;
import org.postern.rules.RuleOutcome;
import org.postern.rules.RuleSubject;
import org.postern.tenant.Tenant;

import java.io.ByteArrayInputStream;
import org.postern.dns.DnsResolver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What the end of DATA learns from the message itself, over the spooled copy: sender authentication, then one
 * MIME parse that the content stages share — the malware scan and the classifier run side by side on it.
 */
final class EndOfData {

    private final SenderAuthenticator authenticator;
    private final ContentFilter content;
    private final MalwareScanner malware;
    private final ViewLimits limits;
    private final Clock clock;

    EndOfData(SenderAuthenticator authenticator, ContentFilter content, MalwareScanner malware, ViewLimits limits, Clock clock) {
        this.authenticator = authenticator;
        this.content = content;
        this.malware = malware;
        this.limits = limits;
        this.clock = clock;
    }

    /** The node's whole end-of-DATA set from its configuration (live sessions and explain share it). */
    static EndOfData of(OperatorConfig config, SenderAuthenticator authenticator, MalwareScanner malware, DnsResolver dns,
                        Clock clock) throws IOException {
        return new EndOfData(authenticator,
                new ContentFilter(ContentFilter.classifier(config), ContentFilter.uriBlocklists(config, dns),
                        config.content().map(OperatorConfig.Content::maxUriblDomains).orElse(OperatorConfig.Content.DEFAULT_URIBL_MAX_DOMAINS),
                        config.node().hostname(), clock),
                malware, ViewLimits.defaults().withSpillDirectory(Files.createDirectories(Path.of(config.node().dataDir(), "tmp"))), clock);
    }

    SenderAuthenticator authenticator() {
        return authenticator;
    }

    /**
     * The message's facts added to the session's evidence; {@code ourHop} is the start of the Received line this
     * gateway will write ({@link AddedHeaders#hop}), which the content classifier reads inbound.
     */
    Evidence gather(Evidence e, Tenant tenant, List<String> recipients, SenderAuthenticator.Envelope envelope, SpfResult spf,
                    Path message, List<String> fromFields, boolean hasArcFields, String ourHop) throws IOException {
        return gather(e, tenant, recipients, envelope, spf, message, fromFields, hasArcFields, RuleSubject.Direction.INBOUND, ourHop);
    }

    /** As above, for mail in either direction (the tenant's transport rules see which: {@code direction: outbound}). */
    Evidence gather(Evidence e, Tenant tenant, List<String> recipients, SenderAuthenticator.Envelope envelope, SpfResult spf,
                    Path message, List<String> fromFields, boolean hasArcFields, RuleSubject.Direction direction,
                    String ourHop) throws IOException {
        Evidence authenticated = e.withAuthentication(authenticator.authenticate(envelope, spf, message, fromFields, hasArcFields));
        try (MessageView view = MessageView.parse(message, limits)) {
            AntiMalwarePolicy policy = AntiMalwarePolicy.from(tenant.document().antiMalware());
            CompletableFuture<MalwareVerdict> scan = CompletableFuture.supplyAsync(
                    () -> malware.scan(message, parts(view), policy), Threads.VIRTUAL);
            RuleSubject subject = ruleSubject(authenticated, view, recipients, direction);
            Instant now = clock.instant();
            // A rule that trusts the message on envelope and headers alone (SCL -1) saves the classifier's cost;
            // malware is scanned all the same.
            SclResult scl = tenant.transportRules().envelopeOnlySclBypass(subject, now).isPresent()
                    ? new SclResult(-1, 0, 0, 0, List.of(new ContentReason(ContentReasonCode.TRUSTED, "classifier skipped: a transport rule sets SCL -1 on envelope and headers", 0)))
                    : direction == RuleSubject.Direction.OUTBOUND ? content.scoreOutbound(view) : content.score(view, authenticated, tenant, ourHop);
            RuleOutcome rules = tenant.transportRules().evaluate(subject.withScl(scl.scl()), now);
            MalwareVerdict verdict;
            try {
                verdict = scan.join();
            } catch (CompletionException failed) {
                // The scanner reports its own failures as verdicts; anything else still must not let mail through.
                verdict = new MalwareVerdict.ScanUnavailable(String.valueOf(failed.getCause()));
            }
            return authenticated.withContent(scl).withMalware(verdict).withRules(rules);
        }
    }

    /** The message as the tenant's transport rules see it (header values raw: the engine decodes what it asks). */
    static RuleSubject ruleSubject(Evidence e, MessageView view, List<String> recipients) {
        return ruleSubject(e, view, recipients, RuleSubject.Direction.INBOUND);
    }

    static RuleSubject ruleSubject(Evidence e, MessageView view, List<String> recipients, RuleSubject.Direction direction) {
        RuleSubject.Builder b = RuleSubject.builder(direction)
                .sender(e.mailFrom().orElse(""))
                .senderIp(e.clientIp())
                .recipients(recipients)
                .subject(view.headers().stream().filter(h -> h.is("Subject")).findFirst().map(MessageHeader::raw).orElse(""))
                .body(view::text)
                .size(view.size());
        for (MessageHeader h : view.headers()) b.header(h.name(), h.raw());
        for (Attachment a : view.attachments()) b.attachment(a.filename().orElse(""), a.declaredType());
        e.authentication().ifPresent(a -> b.auth(RuleSubject.AuthResults.of(a)));
        e.connector().ifPresent(c -> b.connector(c.name()));
        return b.build();
    }

    /** Every attachment and inline part, and the decoded text bodies (EICAR and friends hide there too). */
    static List<ScannedPart> parts(MessageView view) {
        List<ScannedPart> parts = new ArrayList<>();
        for (Attachment a : view.attachments()) {
            parts.add(new ScannedPart(a.filename().orElse(""), a.declaredType(), a.size(), a::open));
        }
        for (TextPart t : view.textParts()) {
            byte[] text = t.text().getBytes(StandardCharsets.UTF_8);
            parts.add(new ScannedPart("", t.mimeType(), text.length, () -> new ByteArrayInputStream(text)));
        }
        return parts;
    }
}
