package org.postern.edge;

import org.postern.auth.SenderAuthentication;
import org.postern.auth.dkim.DkimResult;
import org.postern.config.OperatorConfig;
import org.postern.config.Units;
import org.postern.content.AuthResult;
import org.postern.content.ContentVerdict;
import org.postern.content.LinkDomains;
import org.postern.content.LiveClassifier;
import org.postern.content.MessageView;
import org.postern.content.SclCalculator;
import org.postern.content.SclInputs;
import org.postern.content.SclResult;
import org.postern.content.UriListing;
import org.postern.dns.DnsResolver;
import org.postern.dnsbl.DnsList;
import org.postern.dnsbl.UriBlocklists;
import org.postern.policy.AuthenticationVerdict;
import org.postern.policy.Evidence;
import org.postern.tenant.Tenant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The node's content filter: one classifier (following the model file, see {@link #classifier}) and the SCL calculator,
 * fed with what the session already knows about the sender, so heuristics and classifier speak in one number.
 */
final class ContentFilter {

    /** Classifier time, on Micrometer's global registry, which each node's {@link NodeMetrics} joins. */
    private static final io.micrometer.core.instrument.Timer CLASSIFIER_TIME = io.micrometer.core.instrument.Timer.builder("postern_classifier_seconds")
            .description("time to classify one message's content").publishPercentileHistogram().register(io.micrometer.core.instrument.Metrics.globalRegistry);

    private final LiveClassifier classifier;
    private final UriBlocklists uriBlocklists;
    private final int maxUriDomains;
    private final SclCalculator scl = SclCalculator.standard();
    private final String hostname;
    private final Clock clock;

    ContentFilter(LiveClassifier classifier, UriBlocklists uriBlocklists, int maxUriDomains, String hostname, Clock clock) {
        this.classifier = classifier;
        this.uriBlocklists = uriBlocklists;
        this.maxUriDomains = maxUriDomains;
        this.hostname = hostname;
        this.clock = clock;
    }

    /**
     * The classifier following the node's model file ({@code content.model}, else {@code <data-dir>/model.bin}; the
     * bundled model while it does not exist), so feedback rewriting that file takes effect without a restart.
     */
    static LiveClassifier classifier(OperatorConfig config) {
        Path file = config.modelFile();
        try {
            return LiveClassifier.following(file);
        } catch (IOException e) {
            throw new UncheckedIOException("content.model: cannot load " + file + ": " + e.getMessage(), e);
        }
    }

    /** The operator's URI blocklists; answers are waited for up to two resolver timeouts, as for the DNS lists. */
    static UriBlocklists uriBlocklists(OperatorConfig config, DnsResolver dns) {
        List<DnsList> zones = config.content().map(OperatorConfig.Content::uribl).orElse(List.of()).stream()
                .map(u -> DnsList.of(u.zone(), u.weight().orElseThrow())).toList();
        if (zones.isEmpty()) return UriBlocklists.none();
        return new UriBlocklists(zones, dns, Units.duration(config.dns().timeout()).multipliedBy(2));
    }

    /**
     * Inbound mail: the classifier and every heuristic. The classifier reads the message with {@code ourHop} on top,
     * the start of the Received line this gateway will write: in the mail a model learns from, the hop that describes
     * the connecting client (its HELO, reverse name, address, protocol) is written by the receiving server, so a model
     * trained on a mailbox or on mail delivered through Postern has learned from that line, and classified without it
     * a message from a spam bot that writes no Received line of its own loses the one hop it had. Cross-validated
     * on the SpamAssassin corpus, the receiving side's hops taken off the test mail (README, "The receiving hop"): with
     * the line, SCL 5 caught 0.5-0.7 points more spam (with 2 / 0 / 1 more ham on three seeds), and 2-5 fewer ham
     * scored as high as 99 % of spam.
     * The per-message end of the line (id, recipient, date) is left out, so {@code explain} classifies as the edge did
     * (for a client that said EHLO).
     * The heuristics judge the message as received: they weigh the same client facts from the session themselves.
     */
    SclResult score(MessageView view, Evidence e, Tenant tenant, String ourHop) {
        // The link domains' questions run while the classifier works; their answers are collected after it.
        UriBlocklists.Pending uri = uriBlocklists.lookup(uriBlocklists.isEmpty() ? List.of() : LinkDomains.of(view, maxUriDomains));
        SclInputs.Builder in = SclInputs.builder()
                .clientIp(e.clientIp())
                .tenantDomains(tenant.domains())
                .tenantAddresses(tenant.recipients().orElse(java.util.Set.of()))
                .gateway(hostname, 0) // our own fields are added at delivery, never in the spooled copy
                .receivedAt(clock.instant());
        e.helo().ifPresent(in::helo);
        e.clientName().ifPresent(in::clientName);
        e.mailFrom().ifPresent(in::mailFrom);
        // DMARC as the tenant sees it: a failure a trusted ARC sealer vouched for is no spam sign, and a From domain
        // that compauth finds authenticated without a DMARC record (an aligned DKIM or SPF pass) counts as aligned.
        boolean authenticated = AuthenticationVerdict.fromDomainAuthenticated(e);
        e.authentication().ifPresent(a -> in.spf(spf(a)).dkim(dkim(a)).dmarc(authenticated ? AuthResult.PASS : dmarc(a)));
        MessageView asDelivered = view.withFieldOnTop(ourHop);
        ContentVerdict verdict = CLASSIFIER_TIME.record(() -> classifier.classify(asDelivered));
        in.uriListings(uri.await().hits().stream().map(h -> new UriListing(h.domain(), h.zone(), h.weight())).toList());
        return scl.calculate(verdict, view, in.build());
    }

    /**
     * Outbound mail: the content alone. The client, its HELO and the sender's authentication describe the tenant's
     * own user agent here (an MUA's EHLO is rarely a host name, and nothing is DKIM-signed before delivery), and
     * impersonation of the tenant is no question for mail the tenant itself sends.
     */
    SclResult scoreOutbound(MessageView view) {
        SclInputs in = SclInputs.builder().gateway(hostname, 0).receivedAt(clock.instant()).build();
        return scl.calculate(CLASSIFIER_TIME.record(() -> classifier.classify(view)), view, in);
    }

    private static AuthResult spf(SenderAuthentication a) {
        return AuthResult.valueOf(a.spf().result().name());
    }

    /** The best signature's result: one passing signature is what counts. */
    private static AuthResult dkim(SenderAuthentication a) {
        if (a.dkim().stream().anyMatch(DkimResult::isStrongPass)) return AuthResult.PASS;
        return a.dkim().stream().map(r -> switch (r.result()) {
            case FAIL -> AuthResult.FAIL;
            case TEMPERROR -> AuthResult.TEMPERROR;
            case PERMERROR -> AuthResult.PERMERROR;
            default -> AuthResult.NEUTRAL;
        }).findFirst().orElse(AuthResult.NONE);
    }

    private static AuthResult dmarc(SenderAuthentication a) {
        return switch (a.dmarc().outcome()) {
            case PASS -> AuthResult.PASS;
            case FAIL -> AuthResult.FAIL;
            case NONE -> AuthResult.NONE;
            case TEMPERROR -> AuthResult.TEMPERROR;
            case PERMERROR -> AuthResult.PERMERROR;
        };
    }
}
