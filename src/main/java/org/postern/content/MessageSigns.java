package org.postern.content;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
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

    /** What the message's signs add to the SCL's total: the sum of their weights. */
    static double weight(MessageView view, SclWeights weights) {
        return find(view).keySet().stream().mapToDouble(weights::of).sum();
    }

    /** Each sign the message shows, with what a reason says about it. */
    static Map<ContentReasonCode, String> find(MessageView view) {
        Map<ContentReasonCode, String> signs = new EnumMap<>(ContentReasonCode.class);
        if (view.header("Date").isEmpty()) signs.put(ContentReasonCode.MISSING_DATE, "");
        if (view.header("Message-ID").isEmpty()) signs.put(ContentReasonCode.MISSING_MESSAGE_ID, "");
        if (view.from().map(m -> m.address().isBlank()).orElse(true)) signs.put(ContentReasonCode.MISSING_FROM, "");
        String problems = view.problems().stream().filter(MALFORMED::contains).map(ParseProblem::id).sorted()
                .collect(Collectors.joining(", "));
        if (!problems.isEmpty()) signs.put(ContentReasonCode.MALFORMED_MIME, problems);
        link(view, ContentReasonCode.LINK_MISMATCH, Link::mismatch, signs);
        link(view, ContentReasonCode.LINK_IP_LITERAL, Link::ipLiteral, signs);
        link(view, ContentReasonCode.LINK_SHORTENER, Link::shortener, signs);
        link(view, ContentReasonCode.LINK_PUNYCODE, Link::punycode, signs);
        link(view, ContentReasonCode.LINK_USERINFO, Link::userInfo, signs);
        return signs;
    }

    /** One sign per kind of suspicious link, naming the first such link and how many there were. */
    private static void link(MessageView view, ContentReasonCode code, Predicate<Link> test, Map<ContentReasonCode, String> signs) {
        var hits = view.links().stream().filter(test).toList();
        if (hits.isEmpty()) return;
        Link first = hits.get(0);
        String shown = first.shownHost().map(h -> " shown as " + h).orElse("");
        signs.put(code, first.host().orElse(first.url()) + shown + (hits.size() > 1 ? " and " + (hits.size() - 1) + " more" : ""));
    }
}
