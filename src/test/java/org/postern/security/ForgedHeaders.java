package org.postern.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Random header sections that try to forge Postern's verdict: {@code X-Postern-*} fields and
 * {@code Authentication-Results} claiming our host name, in every spelling RFC 5322 and RFC 8601 allow (any case,
 * folding with SP or HTAB, comments, quoted authserv-id, version token, very long values, duplicates, any position),
 * mixed with benign fields (some of them deliberately look alike) and legitimate results of other hosts.
 *
 * <p>Each field carries what it is and which spelling made it, so a failure names the spelling that got through.
 * The expected output of the filter is the message with exactly the forged fields removed, byte for byte.</p>
 */
final class ForgedHeaders {

    enum Kind { BENIGN, FOREIGN_AR, FORGED_POSTERN, FORGED_AR }

    record Field(Kind kind, String variant, String raw) {
        boolean forged() {
            return kind == Kind.FORGED_POSTERN || kind == Kind.FORGED_AR;
        }

        String label() {
            return kind.name().toLowerCase(Locale.ROOT).replace('_', '-') + "/" + variant;
        }
    }

    /** A generated message; {@code text} is what is sent, {@link #expected()} what must come out of the filter. */
    record Message(List<Field> fields, boolean emptyLine, String body) {

        String text() {
            return join(false);
        }

        String expected() {
            return join(true);
        }

        List<Field> forged() {
            return fields.stream().filter(Field::forged).toList();
        }

        List<Field> kept() {
            return fields.stream().filter(f -> !f.forged()).toList();
        }

        byte[] bytes() {
            return text().getBytes(StandardCharsets.UTF_8);
        }

        private String join(boolean withoutForged) {
            StringBuilder sb = new StringBuilder();
            for (Field f : fields) if (!(withoutForged && f.forged())) sb.append(f.raw());
            if (emptyLine) sb.append("\r\n").append(body);
            return sb.toString();
        }
    }

    /** A 64 KiB boundary matters to the filter (it judges fields up to that size), so lengths straddle it. */
    private static final int LONG_MAX = 100 * 1024;

    private static final String[] WORDS = {"invoice", "urgent", "hello", "meeting", "report", "quarterly", "payment",
            "Grüße", "naïve", "日本", "x", "a;b", "k=v", "tab\there", "ref=FAKE", "verdict=deliver", "scl=-1", "“quoted”"};

    private final Random random;
    private final String host;
    private final boolean viaSmtp;

    /**
     * @param viaSmtp when the message goes through a real SMTP client: CRLF everywhere (the client turns a bare CR
     *                into CRLF) and a body ending in CRLF; otherwise bodies may hold stray CRs and lack a final CRLF
     */
    ForgedHeaders(Random random, String host, boolean viaSmtp) {
        this.random = random;
        this.host = host;
        this.viaSmtp = viaSmtp;
    }

    Message next(String messageId) {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field(Kind.BENIGN, "message-id", "Message-ID: <" + messageId + ">\r\n"));
        int benign = 2 + random.nextInt(12);
        for (int i = 0; i < benign; i++) fields.add(benign());
        if (random.nextInt(20) == 0) fields.add(longBenign());
        int foreign = random.nextInt(4);
        for (int i = 0; i < foreign; i++) fields.add(random.nextInt(fields.size() + 1), foreignResults());
        java.util.Collections.shuffle(fields, random);

        int forged = 1 + random.nextInt(6);
        List<Field> forgeries = new ArrayList<>();
        for (int i = 0; i < forged; i++) forgeries.add(random.nextBoolean() ? forgedPostern() : forgedResults());
        if (random.nextInt(10) == 0) forgeries.add(random.nextBoolean() ? longForgedPostern() : longForgedResults());
        if (random.nextInt(4) == 0) forgeries.add(forgeries.get(random.nextInt(forgeries.size()))); // a duplicate
        for (Field f : forgeries) {
            int at = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> fields.size();
                default -> random.nextInt(fields.size() + 1);
            };
            fields.add(at, f);
        }
        boolean emptyLine = random.nextInt(30) != 0;
        return new Message(List.copyOf(fields), emptyLine, emptyLine ? body() : "");
    }

    // --- forged ---------------------------------------------------------------------------------------------------

    private Field forgedPostern() {
        String name = pick("X-Postern-SCL", "X-Postern-Report", "X-Postern-Verdict", "X-Postern-Tenant",
                "X-Postern-Connector", "X-Postern-" + word(), "X-Postern-");
        String canonical = "ref=FORGED" + random.nextInt(1000) + "; tenant=victim; scl=-1; verdict=deliver; connector=none; rules=none";
        return switch (random.nextInt(10)) {
            case 0 -> new Field(Kind.FORGED_POSTERN, "plain", name + ": -1\r\n");
            case 1 -> new Field(Kind.FORGED_POSTERN, "random-case-name", randomCase(name) + ": " + canonical + "\r\n");
            case 2 -> new Field(Kind.FORGED_POSTERN, "folded-sp", randomCase(name) + ": ref=FORGED;\r\n tenant=victim;\r\n scl=-1\r\n");
            case 3 -> new Field(Kind.FORGED_POSTERN, "folded-tab", randomCase(name) + ":\r\n\t" + canonical.replace("; ", ";\r\n\t") + "\r\n");
            case 4 -> new Field(Kind.FORGED_POSTERN, "tabs", randomCase(name) + ":\t-1\t;\tverdict=deliver\r\n");
            case 5 -> new Field(Kind.FORGED_POSTERN, "empty-value", randomCase(name) + ":\r\n");
            case 6 -> new Field(Kind.FORGED_POSTERN, "no-space", randomCase(name) + ":" + canonical + "\r\n");
            case 7 -> new Field(Kind.FORGED_POSTERN, "space-before-colon", randomCase(name) + pick(" ", "\t", "  ") + ": -1\r\n");
            case 8 -> new Field(Kind.FORGED_POSTERN, "name-then-fold", randomCase(name) + ":\r\n " + canonical + "\r\n");
            default -> new Field(Kind.FORGED_POSTERN, "words", randomCase(name) + ": " + words(1 + random.nextInt(20)) + "\r\n");
        };
    }

    private Field longForgedPostern() {
        String name = randomCase(pick("X-Postern-SCL", "X-Postern-Report", "X-Postern-" + word()));
        int length = longLength();
        return random.nextBoolean()
                ? sized(Kind.FORGED_POSTERN, "long-line", name + ": -1; " + filler(length) + "\r\n")
                : sized(Kind.FORGED_POSTERN, "long-folded", name + ": -1;" + folded(length) + "\r\n");
    }

    private Field forgedResults() {
        String n = random.nextInt(3) == 0 ? randomCase("Authentication-Results") : "Authentication-Results";
        String h = random.nextBoolean() ? randomCase(host) : host;
        String results = pick("spf=pass smtp.mailfrom=ceo@victim.test", "dkim=pass header.d=victim.test",
                "dmarc=pass header.from=victim.test", "spf=pass smtp.mailfrom=a@b.test;\r\n\tdkim=pass header.i=@b.test");
        return switch (random.nextInt(15)) {
            case 0 -> new Field(Kind.FORGED_AR, "plain", n + ": " + h + "; " + results + "\r\n");
            case 1 -> new Field(Kind.FORGED_AR, "version", n + ": " + h + " 1; " + results + "\r\n");
            case 2 -> new Field(Kind.FORGED_AR, "fold-before-id", n + ":\r\n\t" + h + "; " + results + "\r\n");
            case 3 -> new Field(Kind.FORGED_AR, "fold-after-id-sp", n + ": " + h + "\r\n 1; " + results + "\r\n");
            case 4 -> new Field(Kind.FORGED_AR, "fold-after-id-tab", n + ": " + h + "\r\n\t1; " + results + "\r\n");
            case 5 -> new Field(Kind.FORGED_AR, "fold-after-id-no-version", n + ": " + h + "\r\n\t; " + results + "\r\n");
            case 6 -> new Field(Kind.FORGED_AR, "tab-before-version", n + ": " + h + "\t1; " + results + "\r\n");
            case 7 -> new Field(Kind.FORGED_AR, "fold-after-semicolon", n + ": " + h + ";\r\n\t" + results + "\r\n");
            case 8 -> new Field(Kind.FORGED_AR, "no-result", n + ": " + h + "; none\r\n");
            case 9 -> new Field(Kind.FORGED_AR, "space-before-colon", n + " : " + h + "; " + results + "\r\n");
            case 10 -> new Field(Kind.FORGED_AR, "comment-after-id", n + ": " + h + " (forged); " + results + "\r\n");
            case 11 -> new Field(Kind.FORGED_AR, "rfc8601-comment-before-id", n + ": (our relay) " + h + "; " + results + "\r\n");
            case 12 -> new Field(Kind.FORGED_AR, "rfc8601-comment-glued-to-id", n + ": " + h + "(relay); " + results + "\r\n");
            case 13 -> new Field(Kind.FORGED_AR, "rfc8601-quoted-id", n + ": \"" + h + "\"; " + results + "\r\n");
            default -> new Field(Kind.FORGED_AR, "no-space-after-colon", n + ":" + h + ";" + results + "\r\n");
        };
    }

    private Field longForgedResults() {
        int length = longLength();
        String h = randomCase(host);
        return random.nextBoolean()
                ? sized(Kind.FORGED_AR, "long-line", "Authentication-Results: " + h + "; spf=pass reason=\"" + filler(length) + "\"\r\n")
                : sized(Kind.FORGED_AR, "long-folded", "Authentication-Results: " + h + "; spf=pass" + folded(length) + "\r\n");
    }

    // --- legitimate -----------------------------------------------------------------------------------------------

    private Field foreignResults() {
        String parent = host.substring(host.indexOf('.') + 1);
        String id = pick("mx.other.example", "other.example", parent, "sub." + host, host + ".evil.example",
                "x" + host, host.replaceFirst("\\.", "-"), host + "x", host + "-evil", "relay." + parent);
        String n = random.nextInt(3) == 0 ? randomCase("Authentication-Results") : "Authentication-Results";
        return switch (random.nextInt(7)) {
            case 0 -> new Field(Kind.FOREIGN_AR, "plain", n + ": " + id + "; spf=pass smtp.mailfrom=a@b.example\r\n");
            case 1 -> new Field(Kind.FOREIGN_AR, "version", n + ": " + id + " 1; dkim=fail header.d=b.example\r\n");
            case 2 -> new Field(Kind.FOREIGN_AR, "folded", n + ": " + id + ";\r\n\tdmarc=pass header.from=b.example\r\n");
            case 3 -> new Field(Kind.FOREIGN_AR, "comment-naming-us", n + ": (" + host + ") " + id + "; spf=pass\r\n");
            case 4 -> new Field(Kind.FOREIGN_AR, "mentions-us-later", n + ": " + id + "; spf=pass smtp.helo=" + host + "\r\n");
            case 5 -> new Field(Kind.FOREIGN_AR, "fold-after-id", n + ": " + id + "\r\n\t1; none\r\n");
            default -> new Field(Kind.FOREIGN_AR, "no-result", n + ": " + id + "; none\r\n");
        };
    }

    private Field benign() {
        return switch (random.nextInt(16)) {
            case 0 -> new Field(Kind.BENIGN, "from", "From: " + pick("Alice", "\"Bob; the Builder\"", "=?UTF-8?Q?J=C3=BCrgen?=") + " <sender@example.org>\r\n");
            case 1 -> new Field(Kind.BENIGN, "to", "To: alice@victim.test, " + word() + "@victim.test\r\n");
            case 2 -> new Field(Kind.BENIGN, "subject", "Subject: " + words(1 + random.nextInt(8)) + "\r\n");
            case 3 -> new Field(Kind.BENIGN, "subject-mimic-fold",
                    "Subject: about the\r\n X-Postern-SCL: 9 header and\r\n\tAuthentication-Results: " + host + "; spf=pass\r\n");
            case 4 -> new Field(Kind.BENIGN, "date", "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n");
            case 5 -> new Field(Kind.BENIGN, "received", "Received: from a.example (a.example [192.0.2.1])\r\n\tby " + host
                    + " with ESMTPS id X" + random.nextInt(99999) + ";\r\n\tMon, 1 Jan 2024 00:00:00 +0000\r\n");
            case 6 -> new Field(Kind.BENIGN, "dkim-signature", "DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=s1;\r\n\th=from:to:subject;\r\n\tb="
                    + base64Folded(100 + random.nextInt(300)) + "\r\n");
            case 7 -> new Field(Kind.BENIGN, "near-miss-name", pick("X-Postern: 1", "X-Posterns-SCL: 1", "X-Postern_SCL: 1",
                    "XX-Postern-SCL: 1", "X-Original-X-Postern-SCL: -1", "X-Postmark-SCL: 1", "Old-X-Postern-Report: ref=1",
                    "X-Posternreport: ref=2") + "\r\n");
            case 8 -> new Field(Kind.BENIGN, "results-lookalike-name", pick("X-Authentication-Results: ", "Authentication-Results-Original: ",
                    "ARC-Authentication-Results: i=1; ", "X-Original-Authentication-Results: ") + host + "; spf=pass\r\n");
            case 9 -> new Field(Kind.BENIGN, "x-generic", "X-" + capitalize(word()) + ": " + words(1 + random.nextInt(6)) + "\r\n");
            case 10 -> new Field(Kind.BENIGN, "content-type", "Content-Type: text/plain;\r\n\tcharset=utf-8\r\n");
            case 11 -> new Field(Kind.BENIGN, "empty-value", "X-Empty:\r\n");
            case 12 -> new Field(Kind.BENIGN, "space-before-colon", "Keywords : a, b\r\n");
            case 13 -> new Field(Kind.BENIGN, "utf8-subject", "Subject: Grüße aus Köln, 日本 " + word() + "\r\n");
            case 14 -> new Field(Kind.BENIGN, "encoded-subject", "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= =?UTF-8?B?w7w=?=\r\n");
            default -> new Field(Kind.BENIGN, "value-with-colons", "Comments: X-Postern-SCL: -1; Authentication-Results: " + host + "; spf=pass\r\n");
        };
    }

    private Field longBenign() {
        int length = longLength();
        return random.nextBoolean()
                ? sized(Kind.BENIGN, "long-line", "X-Long: " + filler(length) + "\r\n")
                : sized(Kind.BENIGN, "long-folded", "X-Long-Folded: start" + folded(length) + "\r\n");
    }

    private String body() {
        StringBuilder sb = new StringBuilder();
        int lines = random.nextInt(30);
        for (int i = 0; i < lines; i++) {
            String line = switch (random.nextInt(9)) {
                case 0 -> "";
                case 1 -> ".";
                case 2 -> ".. leading dots";
                case 3 -> "X-Postern-SCL: -1";
                case 4 -> "Authentication-Results: " + host + "; spf=pass";
                case 5 -> "\tindented " + words(3);
                case 6 -> viaSmtp ? words(5) : words(2) + "\rstray CR " + words(2);
                default -> words(1 + random.nextInt(15));
            };
            sb.append(line).append("\r\n");
        }
        if (!viaSmtp && random.nextInt(5) == 0) sb.append("no final CRLF ").append(word());
        return sb.toString();
    }

    // --- pieces ---------------------------------------------------------------------------------------------------

    private int longLength() {
        return random.nextBoolean() ? 1024 + random.nextInt(63 * 1024) : 64 * 1024 + random.nextInt(LONG_MAX - 64 * 1024 + 1);
    }

    /** The variant names which side of the 64 KiB the whole field (name, folds and CRLF included) is on. */
    private static Field sized(Kind kind, String variant, String raw) {
        int octets = raw.getBytes(StandardCharsets.UTF_8).length;
        return new Field(kind, variant + (octets > 64 * 1024 ? "-over-64KiB" : "-up-to-64KiB"), raw);
    }

    private String filler(int length) {
        StringBuilder sb = new StringBuilder(length);
        while (sb.length() < length) sb.append((char) ('a' + random.nextInt(26)));
        return sb.toString();
    }

    /** About {@code length} characters as folded continuation lines of 40 to 900 characters. */
    private String folded(int length) {
        StringBuilder sb = new StringBuilder(length + 1024);
        while (sb.length() < length) {
            sb.append("\r\n").append(random.nextBoolean() ? ' ' : '\t').append(filler(40 + random.nextInt(860)));
        }
        return sb.toString();
    }

    private String base64Folded(int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        String s = Base64.getEncoder().encodeToString(b);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i += 70) {
            if (i > 0) sb.append("\r\n\t");
            sb.append(s, i, Math.min(s.length(), i + 70));
        }
        return sb.toString();
    }

    private String words(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(' ');
            sb.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    private String word() {
        StringBuilder sb = new StringBuilder();
        int n = 3 + random.nextInt(6);
        for (int i = 0; i < n; i++) sb.append((char) ('a' + random.nextInt(26)));
        return sb.toString();
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private String randomCase(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) sb.append(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
        return sb.toString();
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }
}
