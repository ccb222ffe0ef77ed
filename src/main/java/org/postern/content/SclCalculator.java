package org.postern.content;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SCL of a message: the classifier's log-odds (clamped) plus the weight of every heuristic reason that applies,
 * read off the bands in {@link SclWeights}. Detections live in small classes ({@link HeaderAnomalies},
 * {@link LinkSigns}, {@link PhishingSigns}, {@link BulkLevel}); the numbers in {@code scl-weights.properties}.
 * A trusted message is −1 whatever it says. Stateless and thread-safe.
 */
public final class SclCalculator {

    private final SclWeights weights;

    public SclCalculator(SclWeights weights) {
        this.weights = weights;
    }

    /** With the weights shipped with Postern. */
    public static SclCalculator standard() {
        return new SclCalculator(SclWeights.bundled());
    }

    public SclResult calculate(ContentVerdict verdict, MessageView view, SclInputs in) {
        BulkLevel.Level bulk = BulkLevel.of(view);
        if (in.trusted()) {
            return new SclResult(-1, bulk.bcl(), 0, verdict.spamProbability(),
                    List.of(new ContentReason(ContentReasonCode.TRUSTED, "filtering bypassed", 0)));
        }
        List<ContentReason> reasons = new ArrayList<>();
        double limit = weights.classifierLimit();
        // The message's own signs are reasons of their own below, with their weights: not counted twice.
        double classifier = Math.max(-limit, Math.min(limit, verdict.logOdds() - verdict.signs()));
        String detail = verdict.reasons().stream().filter(r -> r.code() == ContentReasonCode.CLASSIFIER)
                .map(ContentReason::detail).findFirst()
                .orElse(String.format(Locale.ROOT, "p=%.4f", verdict.spamProbability()));
        reasons.add(new ContentReason(ContentReasonCode.CLASSIFIER, detail, classifier));
        reasons.addAll(senderEvidence(in));
        reasons.addAll(HeaderAnomalies.find(view, in, weights));
        reasons.addAll(MessageSigns.reasons(view, weights, in.storedCopy()));
        reasons.addAll(PhishingSigns.find(view, in, weights));
        if (bulk.bcl() >= in.bulkThreshold()) {
            reasons.add(new ContentReason(ContentReasonCode.BULK,
                    "BCL " + bulk.bcl() + " >= " + in.bulkThreshold() + ": " + String.join(", ", bulk.signs()),
                    weights.of(ContentReasonCode.BULK)));
        }
        double score = reasons.stream().mapToDouble(ContentReason::weight).sum();
        return new SclResult(weights.sclFor(score), bulk.bcl(), score, verdict.spamProbability(), reasons);
    }

    private List<ContentReason> senderEvidence(SclInputs in) {
        List<ContentReason> reasons = new ArrayList<>();
        // An aligned pass authenticates the From domain, and either mechanism suffices (RFC 7489 §4.2): SPF failing
        // for the envelope then says the mail was forwarded or sent through another path, not that it was forged.
        if (in.dmarc() != AuthResult.PASS) {
            if (in.spf() == AuthResult.FAIL) add(reasons, ContentReasonCode.SPF_FAIL, "spf=fail");
            if (in.spf() == AuthResult.SOFTFAIL) add(reasons, ContentReasonCode.SPF_SOFTFAIL, "spf=softfail");
        }
        if (in.dkim() == AuthResult.FAIL) add(reasons, ContentReasonCode.DKIM_FAIL, "dkim=fail");
        if (in.dmarc() == AuthResult.FAIL) add(reasons, ContentReasonCode.DMARC_FAIL, "dmarc=fail");
        if (in.dmarc() == AuthResult.PASS) add(reasons, ContentReasonCode.AUTH_ALIGNED_PASS, "the From domain authenticated by an aligned pass");
        if (in.blocklistScore() > 0) {
            double w = weights.of(ContentReasonCode.IP_BLOCKLISTED) * in.blocklistScore() / 10.0;
            reasons.add(new ContentReason(ContentReasonCode.IP_BLOCKLISTED, "blocklist score " + in.blocklistScore(), w));
        }
        if (!in.uriBlocklistHits().isEmpty()) {
            add(reasons, ContentReasonCode.URI_BLOCKLISTED, String.join(", ", in.uriBlocklistHits()));
        }
        // One reason per zone, as one DNS list counts once at RCPT: a message linking ten listed domains is not
        // ten times as likely spam as one linking one.
        Map<String, List<UriListing>> byZone = new TreeMap<>();
        for (UriListing l : in.uriListings()) byZone.computeIfAbsent(l.zone(), z -> new ArrayList<>()).add(l);
        byZone.forEach((zone, listed) -> {
            int weight = listed.stream().mapToInt(UriListing::weight).max().orElseThrow();
            String domains = String.join(" ", listed.stream().map(UriListing::domain).toList());
            reasons.add(new ContentReason(ContentReasonCode.URI_BLOCKLISTED, zone + " lists " + domains,
                    weights.of(ContentReasonCode.URI_BLOCKLISTED) * weight / 10.0));
        });
        return reasons;
    }

    private void add(List<ContentReason> reasons, ContentReasonCode code, String detail) {
        reasons.add(new ContentReason(code, detail, weights.of(code)));
    }
}
