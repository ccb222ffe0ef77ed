package org.postern.content;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import java.util.List;
import java.util.Optional;

/** HTML to the text a reader sees, and the links with what they show, with jsoup (which never throws on tag soup). */
final class HtmlText {

    record Result(String text, List<Link> links) { }

    private HtmlText() {
    }

    static Result of(String html, int maxLinks) {
        Document doc = Jsoup.parse(html);
        LinkCollector links = new LinkCollector(maxLinks);
        for (Element a : doc.select("a[href], area[href]")) {
            links.add(LinkAnalysis.of(a.attr("href"), Optional.of(a.text()), Link.Source.HTML_ANCHOR));
        }
        for (Element form : doc.select("form[action]")) {
            links.add(LinkAnalysis.of(form.attr("action"), Optional.empty(), Link.Source.HTML_FORM));
        }
        for (Element img : doc.select("img[src]")) {
            links.add(LinkAnalysis.of(img.attr("src"), Optional.empty(), Link.Source.HTML_IMAGE));
        }
        // Script and style never show; the title often repeats the subject. Only the body's text is what the reader sees.
        doc.select("script, style, head").remove();
        return new Result(doc.text(), links.links());
    }
}
