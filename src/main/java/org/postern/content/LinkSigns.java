package org.postern.content;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** One reason per kind of suspicious link, naming the first such link and how many there were. */
final class LinkSigns {

    private LinkSigns() {
    }

    static List<ContentReason> find(MessageView view, SclWeights w) {
        List<ContentReason> reasons = new ArrayList<>();
        sign(view, w, ContentReasonCode.LINK_MISMATCH, Link::mismatch, reasons);
        sign(view, w, ContentReasonCode.LINK_IP_LITERAL, Link::ipLiteral, reasons);
        sign(view, w, ContentReasonCode.LINK_SHORTENER, Link::shortener, reasons);
        sign(view, w, ContentReasonCode.LINK_PUNYCODE, Link::punycode, reasons);
        sign(view, w, ContentReasonCode.LINK_USERINFO, Link::userInfo, reasons);
        return reasons;
    }

    private static void sign(MessageView view, SclWeights w, ContentReasonCode code, Predicate<Link> test,
                             List<ContentReason> reasons) {
        List<Link> hits = view.links().stream().filter(test).toList();
        if (hits.isEmpty()) return;
        Link first = hits.get(0);
        String shown = first.shownHost().map(h -> " shown as " + h).orElse("");
        String detail = first.host().orElse(first.url()) + shown + (hits.size() > 1 ? " and " + (hits.size() - 1) + " more" : "");
        reasons.add(new ContentReason(code, detail, w.of(code)));
    }
}
