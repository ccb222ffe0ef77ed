package org.postern.content;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The bulk complaint level (0–9): how much a message looks like mass mail, from what bulk senders put in it
 * (List-Unsubscribe and its RFC 8058 one-click form, Precedence, feedback-loop ids, the marks of email service
 * providers, unsubscribe wording, link-heavy HTML). A discussion list scores around 4; marketing through an email
 * service provider 7 and above. Bulk is not spam: the tenant's threshold decides.
 */
final class BulkLevel {

    record Level(int bcl, List<String> signs) { }

    /** Unsubscribe wording in a few languages; plain substring search, since the text may be megabytes long. */
    private static final String[] UNSUBSCRIBE = {"unsubscribe", "opt-out", "opt out", "optout", "abbestellen",
            "abmelden", "désinscri", "desinscri", "darse de baja", "cancelar suscripci", "cancelar la suscripci"};
    private static final Pattern ESP_MAILER = Pattern.compile(
            "(?i)mailchimp|sendgrid|constant ?contact|campaign|newsletter|mailgun|sendinblue|brevo|hubspot|marketo|"
                    + "klaviyo|exacttarget|salesforce marketing|acoustic|responsys|emarsys|mailjet|listrak|cheetahmail");
    private static final String[] ESP_HEADERS = {"X-Campaign", "X-CampaignID", "X-Mailgun-Tag", "X-Mailgun-Sid",
            "X-SG-EID", "X-SES-Outgoing", "X-MC-User", "X-CSA-Complaints", "X-Mailjet-Campaign", "X-Marketo",
            "X-Report-Abuse", "X-rpcampaign", "X-Job"};

    private BulkLevel() {
    }

    static Level of(MessageView view) {
        int level = 0;
        List<String> signs = new ArrayList<>();
        if (view.header("List-Unsubscribe").isPresent()) {
            level += 2;
            signs.add("List-Unsubscribe");
        }
        if (view.header("List-Unsubscribe-Post").map(v -> v.toLowerCase(Locale.ROOT).contains("one-click")).orElse(false)) {
            level += 2;
            signs.add("one-click unsubscribe");
        }
        String precedence = view.header("Precedence").orElse("").strip().toLowerCase(Locale.ROOT);
        if (precedence.equals("bulk") || precedence.equals("junk")) {
            level += 1;
            signs.add("Precedence: " + precedence);
        }
        if (view.header("Feedback-ID").isPresent()) {
            level += 2;
            signs.add("Feedback-ID");
        }
        if (espMark(view)) {
            level += 2;
            signs.add("email service provider");
        }
        if (mentionsUnsubscribe(view.text())) {
            level += 1;
            signs.add("unsubscribe wording");
        }
        boolean html = view.textParts().stream().anyMatch(TextPart::isHtml);
        if (html && view.links().size() >= 10) {
            level += 1;
            signs.add(view.links().size() + " links in HTML");
        }
        return new Level(Math.min(9, level), List.copyOf(signs));
    }

    private static boolean mentionsUnsubscribe(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String word : UNSUBSCRIBE) if (lower.contains(word)) return true;
        return false;
    }

    private static boolean espMark(MessageView view) {
        for (String h : ESP_HEADERS) if (view.header(h).isPresent()) return true;
        return view.header("X-Mailer").map(m -> ESP_MAILER.matcher(m).find()).orElse(false);
    }
}
