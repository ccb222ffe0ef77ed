package org.postern.admin;

import org.postern.content.MessageView;
import org.postern.content.ViewLimits;

import java.io.IOException;
import java.io.InputStream;

/**
 * A held message as plain text for a safe preview: the text the content filter reads (HTML reduced to its words), so
 * nothing of the message is ever rendered as markup, fetched or run. Cut at 20,000 characters.
 */
final class Preview {

    private static final int MAX = 20_000;

    private Preview() { }

    static String text(InputStream eml) throws IOException {
        try (MessageView view = MessageView.parse(eml, ViewLimits.forClassification())) {
            StringBuilder sb = new StringBuilder();
            view.from().ifPresent(f -> sb.append("From: ").append(f.displayName().isEmpty() ? "" : f.displayName() + " ").append("<").append(f.address()).append(">\n"));
            sb.append("Subject: ").append(view.subject()).append('\n');
            view.header("Date").ifPresent(d -> sb.append("Date: ").append(d).append('\n'));
            view.attachments().forEach(a -> sb.append("Attachment: ").append(a.filename().orElse("(no name)")).append(" (").append(a.declaredType()).append(", ").append(a.size()).append(" bytes)\n"));
            sb.append('\n').append(view.text());
            return sb.length() > MAX ? sb.substring(0, MAX) + "\n[... cut]" : sb.toString();
        }
    }
}
