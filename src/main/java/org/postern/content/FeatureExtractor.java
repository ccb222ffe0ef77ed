package org.postern.content;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classifier's view of a message: hashed binary features from the places the TREC spam track's best filters
 * looked at. Word unigrams and orthogonal sparse bigrams (pairs of words up to {@value #OSB_DISTANCE} apart) of
 * subject and body; character 4-grams of the subject; the From display name and domain; the origin side of the
 * Received path; link hosts and their phishing signs; the MIME structure; a few telling headers.
 *
 * <p>Headers that only say which mail client or archive stored a message (X-Keywords, X-Status, Delivered-To...)
 * are left out on purpose: they teach a model its training corpus, not spam.</p>
 *
 * <p>Changing what this class emits changes the meaning of every weight: bump {@link #FEATURE_SET}, and models of
 * the old set are refused on load.</p>
 */
final class FeatureExtractor {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern COMMENT_SEPARATORS = Pattern.compile("[\\s\\[\\]()]+");
    private static final Pattern ONE_SPACE = Pattern.compile("\\s");
    private static final Pattern ID_TAIL = Pattern.compile("[>\\s].*$");

    /**
     * The version of the features below; stored in every model file. 2: header field names and order, Received words.
     * 3: the header view ({@link #headerGrams}). 4: the receiving side's fields ({@link #RECEIVING_SIDE}) and
     * signature values left out. 5: what a corpus's collection taught left out: the Received hops' dates and
     * {@code for} clauses ({@link #hopWithoutDateOrRecipient}), the delivery agent's fields ({@link #ARCHIVE_HEADERS})
     * and repeated dates ({@link #PER_MESSAGE_HEADERS}); the list server's fields out of the header view
     * ({@link #LIST_SERVER_FIELDS}). 6: a stored copy without its header block gives the header view the opening of
     * its text ({@link #openingOfTheText}).
     */
    static final int FEATURE_SET = 6;
    /** How much of the header block the header view reads. */
    static final int MAX_HEADER_CHARS = 3000;
    /** How much of the text the header view reads of a message without a header block. */
    static final int STORED_TEXT_CHARS = 500;
    static final int MAX_BODY_TOKENS = 3000;
    static final int OSB_DISTANCE = 4;
    private static final int MAX_LINKS = 60;
    private static final int ORIGIN_HOPS = 3;

    private static final int SUBJECT = FeatureHash.namespace("subject");
    private static final int SUBJECT_PAIR = FeatureHash.namespace("subject-pair");
    private static final int SUBJECT_CHARS = FeatureHash.namespace("subject-4gram");
    private static final int BODY = FeatureHash.namespace("body");
    private static final int BODY_PAIR = FeatureHash.namespace("body-osb");
    private static final int META = FeatureHash.namespace("meta");
    private static final int HEADER_CHARS = FeatureHash.namespace("header-4gram");
    private static final int TEXT_CHARS = FeatureHash.namespace("text-4gram");

    private static final Pattern RECEIVED_FROM = Pattern.compile("(?i)^from\\s+(\\S+)(?:\\s+\\(([^)]*)\\))?");
    private static final Pattern RECEIVED_IP = Pattern.compile("\\[(\\d{1,3})\\.(\\d{1,3})\\.\\d{1,3}\\.\\d{1,3}\\]");
    private static final Pattern RECEIVED_WITH = Pattern.compile("(?i)\\swith\\s+(\\w+)");
    private static final Pattern HOSTNAME = Pattern.compile("(?i)^[a-z0-9-]+(\\.[a-z0-9-]+)+$");
    private static final Pattern HOP_RECIPIENT = Pattern.compile("(?i)\\sfor\\s+<?[^\\s;>]*>?");

    private FeatureExtractor() {
    }

    static Features extract(MessageView view) {
        return extract(view, Features.plain());
    }

    /** Extracts into {@code f}, which may remember where each feature came from (see {@link Features#recording}). */
    static Features extract(MessageView view, Features f) {
        subject(view, f);
        from(view, f);
        received(view, f);
        headers(view, f);
        links(view, f);
        structure(view, f);
        body(view, f);
        headerNames(view, f);
        receivedWords(view, f);
        return f;
    }

    /**
     * The header view: character 4-grams of the header block as the sender's side wrote it, which catch the
     * spelling of a bulk mailer's fields (Sculley's TREC 2007 features) that words miss. Left out: the fields
     * {@link #ARCHIVE_HEADERS} names and the X-Spam ones, the per-recipient and per-message fields
     * ({@link #PER_MESSAGE_HEADERS}), and every Received hop but the {@value #ORIGIN_HOPS} nearest the
     * sender, since the hops after those say which mailbox a message reached, not what it is (cross-validated: with all
     * hops the corpus's receiving servers taught the model the labels).
     */
    static Features headerGrams(MessageView view, Features f) {
        List<MessageHeader> headers = view.headers();
        long received = headers.stream().filter(h -> h.is("Received")).count();
        StringBuilder block = new StringBuilder();
        int hop = 0;
        for (MessageHeader h : headers) {
            String name = h.lowerName();
            if (name.equals("received")) {
                if (hop++ < received - ORIGIN_HOPS) continue;
            } else if (archived(name) || PER_MESSAGE_HEADERS.contains(name) || LIST_SERVER_FIELDS.contains(name)) {
                continue;
            }
            String value = SIGNATURES.contains(name) ? SIGNATURE_VALUES.matcher(h.raw()).replaceAll("$1=")
                    : name.equals("received") ? hopWithoutDateOrRecipient(h.raw()) : h.raw();
            block.append(h.name()).append(": ").append(WHITESPACE.matcher(value.strip()).replaceAll(" ")).append(' ');
            if (block.length() >= MAX_HEADER_CHARS) break;
        }
        fourGrams(block.length() > MAX_HEADER_CHARS ? block.substring(0, MAX_HEADER_CHARS) : block.toString(),
                HEADER_CHARS, "header 4-gram", f);
        if (view.keptWithoutHeaderBlock()) openingOfTheText(view, f);
        return f;
    }

    /**
     * A stored copy without its header block (no From, no Received: the Subject and the text, as some corpora and
     * exports keep mail) leaves the header view next to nothing to read; it reads the opening of the text instead,
     * where a sender's template shows as the header block's spelling does. Mail with its header block, and all mail
     * at the gateway (which classifies with its own Received line on top), is read as before. Cross-validated on
     * the SpamAssassin corpus kept as Subject and decoded text, seeds 2002 / 7: 55 / 60 ham above the score that
     * catches 99 % of spam before, 42 / 43 after; 500 characters did better there than 1,000.
     */
    private static void openingOfTheText(MessageView view, Features f) {
        String text = WHITESPACE.matcher(view.text()).replaceAll(" ").strip();
        fourGrams(text.length() > STORED_TEXT_CHARS ? text.substring(0, STORED_TEXT_CHARS) : text, TEXT_CHARS,
                "text 4-gram", f);
    }

    /**
     * Signature fields: their tags say how the sender signs (domain, selector, algorithm, signed fields), their
     * {@code b=} and {@code bh=} values are base64 that differs in every message, some 400 characters of 4-grams that
     * would push the fields after them out of the {@value #MAX_HEADER_CHARS} characters read.
     */
    private static final java.util.Set<String> SIGNATURES = java.util.Set.of("dkim-signature", "domainkey-signature");
    private static final Pattern SIGNATURE_VALUES = Pattern.compile("(?i)\\b(bh?)\\s*=[^;]*");

    /**
     * Fields only a mailing-list server writes. They say which list carried a message, and the word view keeps that
     * as a few facts (the field names, {@code list-id}, {@code precedence}); as 4-grams they were some hundreds of
     * features that outvoted what the sender wrote, so a spam posted to a list read as that list's ham (59 % of the
     * spam a model of the corpus's earlier archives missed in its later ones came through a list). List-Unsubscribe
     * stays: bulk senders write it themselves.
     */
    private static final java.util.Set<String> LIST_SERVER_FIELDS = java.util.Set.of("list-id", "list-help", "list-post",
            "list-subscribe", "list-archive", "list-owner", "x-beenthere", "x-mailman-version", "errors-to",
            "x-mailing-list", "mailing-list", "x-loop", "x-list-admin", "x-unsubscription-info", "x-google-loop");

    /**
     * Fields written per recipient or per message, and the other fields that hold when the message was sent: their
     * 4-grams would tell messages apart or teach a corpus's months (as the hops' dates did), not kinds. Their names
     * still count in the word view.
     */
    private static final java.util.Set<String> PER_MESSAGE_HEADERS = java.util.Set.of("to", "cc", "message-id", "date",
            "references", "in-reply-to", "resent-date", "x-original-date", "x-originalarrivaltime");

    /** Every character 4-gram of {@code text}, named "{@code where} 'gram'". */
    private static void fourGrams(String text, int namespace, String where, Features f) {
        for (int i = 0; i + 4 <= text.length(); i++) f.gram(FeatureHash.of(namespace, text, i, i + 4), where, text, i, 4);
    }

    /**
     * Fields a mailbox, archive, delivery agent or earlier filter adds (Exim's Delivery-date and Envelope-to, Yahoo's
     * X-Apparently-To): they say where a message was stored, not what it is, and would teach the model its training
     * corpus (Delivery-date: 176 of the SpamAssassin corpus's 4,149 ham, 532 of its 1,897 spam).
     */
    private static final java.util.Set<String> ARCHIVE_HEADERS = java.util.Set.of("x-keywords", "x-status", "delivered-to",
            "status", "x-uid", "return-path", "x-original-to", "received", "delivery-date", "envelope-to", "x-apparently-to");

    /**
     * Fields the receiving side adds on top of the message, after the point where a gateway classifies it: the
     * receiver's authentication verdicts and their ARC seals, Gmail's internal hop. In a corpus they name the mailbox
     * a message reached (nearly its label, as the receiving Received hops did); at the gateway they are absent or
     * an upstream's claims, which Postern checks itself.
     */
    private static final java.util.Set<String> RECEIVING_SIDE = java.util.Set.of("authentication-results",
            "arc-authentication-results", "arc-message-signature", "arc-seal", "received-spf", "x-received");

    /** Whether a field is one a mailbox, archive, earlier filter or the receiving side added (X-Spam-* included). */
    private static boolean archived(String lowerName) {
        return ARCHIVE_HEADERS.contains(lowerName) || RECEIVING_SIDE.contains(lowerName) || lowerName.startsWith("x-spam");
    }

    /**
     * Which header fields a message has, and the order of its first six: mail programs write their own set in their
     * own order, bulk senders theirs (cross-validated on the corpus: fewer false positives at SCL 5, higher recall).
     */
    private static void headerNames(MessageView view, Features f) {
        StringBuilder order = new StringBuilder();
        int n = 0;
        for (MessageHeader h : view.headers()) {
            String name = h.lowerName();
            if (archived(name)) continue;
            meta(f, "header-name", name);
            if (n++ < 6) order.append(name).append(' ');
        }
        meta(f, "header-order", order.toString());
    }

    /** The words of the hops nearest the sender (host and software names, protocols), numbers left out. */
    private static void receivedWords(MessageView view, Features f) {
        for (String hop : originHops(view.headerValues("Received"))) {
            for (String w : Tokenizer.words(hopWithoutDateOrRecipient(hop), 40)) {
                if (w.chars().allMatch(Character::isDigit)) continue;
                meta(f, "received-word", w);
            }
        }
    }

    /**
     * A Received hop as the views read it: without its date (after the last {@code ;}) and without its {@code for}
     * clause. The date says when a corpus was collected, not what a message is: trained on it, a model learned which
     * months and daylight-saving zones its spam and ham came in (in the SpamAssassin corpus "received-word=jul" and
     * "pdt" were among the strongest ham signs), and at the gateway, where every message arrives today, its verdicts
     * would drift with the season. The {@code for} clause names the recipient: in a corpus, which mailbox (spam trap
     * or person) a message reached; at the gateway a tenant's user, whose own mail must not be judged by how much spam
     * that address gets. Postern's own hop leaves both out for the same reasons ({@code AddedHeaders.hop}).
     */
    static String hopWithoutDateOrRecipient(String hop) {
        int semicolon = hop.lastIndexOf(';');
        return HOP_RECIPIENT.matcher(semicolon < 0 ? hop : hop.substring(0, semicolon)).replaceAll(" ");
    }

    private static void subject(MessageView view, Features f) {
        String subject = view.subject();
        words(Tokenizer.words(subject, 100), SUBJECT, SUBJECT_PAIR, 1, "subject", f);
        String s = WHITESPACE.matcher(subject.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
        if (s.length() > 200) s = s.substring(0, 200);
        fourGrams(" " + s + " ", SUBJECT_CHARS, "subject 4-gram", f);
        meta(f, "subject-empty", subject.isBlank());
        meta(f, "subject-length", bucket(subject.length()));
        meta(f, "subject-caps", capsShare(subject));
        meta(f, "subject-non-ascii", subject.chars().anyMatch(c -> c > 127));
        meta(f, "subject-reply", s.startsWith("re:") || s.startsWith("fw") || s.startsWith("aw:"));
        view.headers().stream().filter(h -> h.is("Subject")).findFirst()
                .ifPresent(h -> meta(f, "subject-encoded", encodedWordCharset(h.raw())));
    }

    private static void from(MessageView view, Features f) {
        Optional<Mailbox> from = view.from();
        meta(f, "from-missing", from.isEmpty());
        if (from.isEmpty()) return;
        Mailbox m = from.get();
        for (String w : Tokenizer.words(m.displayName(), 10)) meta(f, "from-name", w);
        meta(f, "from-name-empty", m.displayName().isBlank());
        meta(f, "from-name-has-at", m.displayName().contains("@"));
        m.domain().ifPresentOrElse(d -> {
            meta(f, "from-domain", d);
            meta(f, "from-org", LinkAnalysis.organisationOf(d));
            meta(f, "from-tld", d.substring(d.lastIndexOf('.') + 1));
        }, () -> meta(f, "from-domain", "(none)"));
        String local = m.localPart();
        meta(f, "from-local-digits", bucket((int) local.chars().filter(Character::isDigit).count()));
        meta(f, "from-local-length", bucket(local.length()));
        view.header("Reply-To").map(Mailbox::parse).flatMap(Mailbox::domain).ifPresent(reply ->
                meta(f, "reply-to-other-org", !m.domain().map(LinkAnalysis::organisationOf)
                        .equals(Optional.of(LinkAnalysis.organisationOf(reply)))));
    }

    /** The last {@value #ORIGIN_HOPS} Received values, nearest the sender (fields are listed top first). */
    private static List<String> originHops(List<String> hops) {
        return hops.subList(Math.max(0, hops.size() - ORIGIN_HOPS), hops.size());
    }

    /** The hops nearest the sender: the ones the gateway and its neighbours did not write. */
    private static void received(MessageView view, Features f) {
        List<String> hops = view.headerValues("Received");
        meta(f, "received-count", Math.min(hops.size(), 12));
        for (String hop : originHops(hops)) {
            Matcher from = RECEIVED_FROM.matcher(hop.strip());
            if (from.find()) {
                String helo = from.group(1).toLowerCase(Locale.ROOT);
                meta(f, "received-helo", HOSTNAME.matcher(helo).matches() ? LinkAnalysis.organisationOf(helo) : "(not a name)");
                String comment = from.group(2) == null ? "" : from.group(2).toLowerCase(Locale.ROOT);
                for (String word : COMMENT_SEPARATORS.split(comment)) {
                    if (HOSTNAME.matcher(word).matches() && !Character.isDigit(word.charAt(0))) {
                        meta(f, "received-rdns", LinkAnalysis.organisationOf(word));
                    }
                }
                meta(f, "received-unknown", comment.contains("unknown"));
            }
            Matcher ip = RECEIVED_IP.matcher(hop);
            if (ip.find()) meta(f, "received-net16", ip.group(1) + "." + ip.group(2));
            Matcher with = RECEIVED_WITH.matcher(hop);
            if (with.find()) meta(f, "received-with", with.group(1).toLowerCase(Locale.ROOT));
        }
    }

    private static void headers(MessageView view, Features f) {
        view.header("X-Mailer").or(() -> view.header("User-Agent")).ifPresentOrElse(
                mailer -> Tokenizer.words(mailer, 6).forEach(w -> meta(f, "mailer", w)),
                () -> meta(f, "mailer", "(none)"));
        view.header("X-Priority").ifPresent(p -> meta(f, "priority", ONE_SPACE.split(p.strip())[0]));
        meta(f, "msmail-priority", view.header("X-MSMail-Priority").isPresent());
        view.header("Message-ID").ifPresentOrElse(id -> {
            int at = id.lastIndexOf('@');
            String right = at < 0 ? "" : ID_TAIL.matcher(id.substring(at + 1)).replaceAll("").toLowerCase(Locale.ROOT);
            meta(f, "message-id-domain", HOSTNAME.matcher(right).matches() ? LinkAnalysis.organisationOf(right) : "(odd)");
        }, () -> meta(f, "message-id", "(none)"));
        meta(f, "date-missing", view.header("Date").isEmpty());
        view.header("Date").ifPresent(d -> {
            String[] parts = WHITESPACE.split(d.strip());
            meta(f, "date-zone", parts[parts.length - 1]);
        });
        meta(f, "mime-version", view.header("MIME-Version").isPresent());
        meta(f, "list-unsubscribe", view.header("List-Unsubscribe").isPresent());
        meta(f, "list-id", view.header("List-Id").isPresent());
        view.header("Precedence").ifPresent(p -> meta(f, "precedence", p.strip().toLowerCase(Locale.ROOT)));
        int to = view.headerValues("To").stream().mapToInt(v -> v.split(",").length).sum();
        meta(f, "to-count", Math.min(to, 10));
        meta(f, "to-undisclosed", view.header("To").map(t -> t.toLowerCase(Locale.ROOT).contains("undisclosed")).orElse(false));
        meta(f, "cc-present", view.header("Cc").isPresent());
    }

    private static void links(MessageView view, Features f) {
        List<Link> links = view.links();
        meta(f, "link-count", bucket(links.size()));
        for (Link l : links.subList(0, Math.min(links.size(), MAX_LINKS))) {
            String host = l.host().orElse("");
            meta(f, "link-host", host);
            meta(f, "link-org", LinkAnalysis.organisationOf(host));
            meta(f, "link-tld", host.substring(host.lastIndexOf('.') + 1));
            meta(f, "link-ip", l.ipLiteral());
            meta(f, "link-shortener", l.shortener());
            meta(f, "link-mismatch", l.mismatch());
            meta(f, "link-punycode", l.punycode());
            meta(f, "link-userinfo", l.userInfo());
            meta(f, "link-source", l.source().name());
        }
    }

    private static void structure(MessageView view, Features f) {
        StringBuilder shape = new StringBuilder();
        boolean plain = false;
        boolean html = false;
        int n = 0;
        for (MimePart p : view.parts()) {
            if (n++ < 8) shape.append(p.depth()).append(p.mimeType()).append(' ');
            meta(f, "part-type", p.mimeType());
            meta(f, "part-encoding", p.transferEncoding());
            if (!p.charset().isEmpty()) meta(f, "part-charset", p.charset().toLowerCase(Locale.ROOT));
            plain |= p.mimeType().equals("text/plain");
            html |= p.mimeType().equals("text/html");
        }
        meta(f, "mime-shape", shape.toString());
        meta(f, "html-only", html && !plain);
        meta(f, "attachment-count", Math.min(view.attachments().size(), 5));
        for (Attachment a : view.attachments()) {
            meta(f, "attachment-type", a.declaredType());
            a.extension().ifPresent(x -> meta(f, "attachment-extension", x));
        }
        for (ParseProblem p : view.problems()) meta(f, "problem", p.id());
    }

    private static void body(MessageView view, Features f) {
        String text = view.text();
        meta(f, "text-length", bucket(text.length()));
        words(Tokenizer.words(text, MAX_BODY_TOKENS), BODY, BODY_PAIR, OSB_DISTANCE, "body", f);
    }

    /** Unigrams, and pairs up to {@code distance} apart with the distance in the feature (OSB). */
    private static void words(List<String> tokens, int single, int pair, int distance, String where, Features f) {
        int[] hashes = new int[tokens.size()];
        for (int i = 0; i < hashes.length; i++) {
            String t = tokens.get(i);
            hashes[i] = FeatureHash.of(single, t);
            f.word(hashes[i], where, tokens, i, 0);
        }
        for (int i = 0; i < hashes.length; i++) {
            for (int d = 1; d <= distance && i + d < hashes.length; d++) {
                int hash = FeatureHash.pair(pair, hashes[i], d, hashes[i + d]);
                f.word(hash, where, tokens, i, d);
            }
        }
    }

    private static void meta(Features f, String name, Object value) {
        String text = name + "=" + value;
        f.add(FeatureHash.of(META, text), text);
    }

    /** Powers of two, so lengths and counts generalise: 0, 1, 2-3, 4-7, ... */
    private static int bucket(int n) {
        return n <= 0 ? 0 : 32 - Integer.numberOfLeadingZeros(n);
    }

    private static String capsShare(String s) {
        long letters = s.chars().filter(Character::isLetter).count();
        if (letters < 4) return "few-letters";
        long caps = s.chars().filter(Character::isUpperCase).count();
        double share = (double) caps / letters;
        return share > 0.7 ? "mostly" : share > 0.3 ? "some" : "few";
    }

    private static String encodedWordCharset(String raw) {
        int start = raw.indexOf("=?");
        if (start < 0) return "no";
        int end = raw.indexOf('?', start + 2);
        return end < 0 ? "broken" : raw.substring(start + 2, end).toLowerCase(Locale.ROOT);
    }
}
