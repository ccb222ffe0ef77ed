package org.postern.content;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The heuristic signs a message shows by itself, without the session or the tenant: a required field missing,
 * malformed MIME, a suspicious kind of link. Unlike the session's evidence, the training corpus shows them too, so
 * the classifier trains on its log-odds plus their {@link #weight} (see {@link Trainer}): the SCL adds the two, and
 * a model trained on mail where every message lacks a Date, or every newsletter's links show one host and lead to
 * another, learns to offset what the signs add there instead of counting them twice.
 */
final class MessageSigns {

    /** Problems of malformed input; a long message being cut short is not a spam sign. */
    private static final Set<ParseProblem> MALFORMED = EnumSet.complementOf(EnumSet.of(ParseProblem.TEXT_TRUNCATED));

    private MessageSigns() {
    }

    /**
     * What the message's signs add to the total the classifier learns and judges: the sum of their weights. The
     * classifier reads mail as stored, so a copy kept without its header block is not held to the fields it lost.
     */
    static double weight(MessageView view, SclWeights weights) {
        return reasons(view, weights, true).stream().mapToDouble(ContentReason::weight).sum();
    }

    /**
     * Each sign the message shows, as a reason with its weight. A copy kept without its header block (its Subject and
     * text, {@link MessageView#keptWithoutHeaderBlock}) lost its Date, Message-ID and From when it was stored, not when
     * it was sent, and its header's end is where the one who stored it cut: when {@code storedCopy}, those signs are
     * still named but weigh 0. A model trained on mail with headers never learned to offset them; with them, the
     * bundled model junked 619 of the SpamAssassin corpus's 4,149 ham kept as Enron-Spam keeps mail. At the gateway
     * ({@code storedCopy} false) a message that arrives without them is held to them.
     */
    static List<ContentReason> reasons(MessageView view, SclWeights weights, boolean storedCopy) {
        boolean notCounted = storedCopy && view.keptWithoutHeaderBlock();
        List<ContentReason> reasons = new ArrayList<>();
        if (view.header("Date").isEmpty()) reasons.add(headerSign(ContentReasonCode.MISSING_DATE, notCounted, weights));
        if (view.header("Message-ID").isEmpty()) reasons.add(headerSign(ContentReasonCode.MISSING_MESSAGE_ID, notCounted, weights));
        if (view.from().map(m -> m.address().isBlank()).orElse(true)) {
            reasons.add(headerSign(ContentReasonCode.MISSING_FROM, notCounted, weights));
        }
        List<ParseProblem> problems = view.problems().stream().filter(MALFORMED::contains).toList();
        boolean headerEndNotCounted = notCounted && problems.contains(ParseProblem.MALFORMED_HEADER);
        List<ParseProblem> counted = headerEndNotCounted
                ? problems.stream().filter(p -> p != ParseProblem.MALFORMED_HEADER).toList() : problems;
        if (!counted.isEmpty()) {
            reasons.add(new ContentReason(ContentReasonCode.MALFORMED_MIME, ids(counted)
                    + (headerEndNotCounted ? "; " + ParseProblem.MALFORMED_HEADER.id() + " " + NOT_COUNTED : ""),
                    weights.of(ContentReasonCode.MALFORMED_MIME)));
        } else if (headerEndNotCounted) {
            reasons.add(new ContentReason(ContentReasonCode.MALFORMED_MIME, ParseProblem.MALFORMED_HEADER.id() + "; " + NOT_COUNTED, 0));
        }
        link(view, ContentReasonCode.LINK_MISMATCH, Link::mismatch, weights, reasons);
        link(view, ContentReasonCode.LINK_IP_LITERAL, Link::ipLiteral, weights, reasons);
        link(view, ContentReasonCode.LINK_SHORTENER, Link::shortener, weights, reasons);
        link(view, ContentReasonCode.LINK_PUNYCODE, Link::punycode, weights, reasons);
        link(view, ContentReasonCode.LINK_USERINFO, Link::userInfo, weights, reasons);
        return reasons;
    }

    private static final String NOT_COUNTED = "not counted: a copy kept without its header block";

    private static ContentReason headerSign(ContentReasonCode code, boolean notCounted, SclWeights weights) {
        return notCounted ? new ContentReason(code, NOT_COUNTED, 0) : new ContentReason(code, "", weights.of(code));
    }

    private static String ids(List<ParseProblem> problems) {
        return problems.stream().map(ParseProblem::id).sorted().collect(Collectors.joining(", "));
    }

    /** One sign per kind of suspicious link, naming the first such link and how many there were. */
    private static void link(MessageView view, ContentReasonCode code, Predicate<Link> test, SclWeights weights,
                             List<ContentReason> reasons) {
        var hits = view.links().stream().filter(test).toList();
        if (hits.isEmpty()) return;
        Link first = hits.get(0);
        String shown = first.shownHost().map(h -> " shown as " + h).orElse("");
        reasons.add(new ContentReason(code, first.host().orElse(first.url()) + shown
                + (hits.size() > 1 ? " and " + (hits.size() - 1) + " more" : ""), weights.of(code)));
    }
}
