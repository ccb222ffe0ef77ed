package org.postern.content;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;

/** Collects links up to a cap, dropping links without a host (mailto:, anchors) and plain-text repeats. */
final class LinkCollector {

    private final int max;
    private final List<Link> links = new ArrayList<>();

    LinkCollector(int max) {
        this.max = max;
    }

    void add(Link link) {
        if (links.size() < max && link.host().isPresent()) links.add(link);
    }

    void addAll(List<Link> more) {
        more.forEach(this::add);
    }

    void addFromText(String text) {
        Matcher m = LinkAnalysis.TEXT_URL.matcher(text);
        while (m.find() && links.size() < max) {
            add(LinkAnalysis.of(m.group(), Optional.empty(), Link.Source.TEXT));
        }
    }

    boolean full() {
        return links.size() >= max;
    }

    List<Link> links() {
        return List.copyOf(links);
    }
}
