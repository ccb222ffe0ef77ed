package org.postern.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.edge.IncomingHeaderFilter;
import org.postern.testsupport.TestSmtpClient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * No sender can forge Postern's verdict (INTERFACES §6): whatever {@code X-Postern-*} fields and
 * {@code Authentication-Results} claiming our host name a message brings, what is delivered carries exactly our own
 * {@code X-Postern-Report}, no results under our name, and everything else byte for byte.
 *
 * <p>Randomized and seeded: the seed is printed and named in every failure; {@code -Dpostern.seed=N} replays it.
 * A failure lists which spellings got through (see {@link ForgedHeaders} for the catalogue), counted over the run.</p>
 */
class SpoofProofHeadersPropertyTest {

    static final String HOST = "mx.spoof.postern.test";
    private static final int SMTP_MESSAGES = Integer.getInteger("postern.spoof.messages", 200);
    private static final int FILTER_CASES = Integer.getInteger("postern.spoof.filterCases", 5000);
    private static final Pattern MESSAGE_ID = Pattern.compile("Message-ID: <(spoof-\\d+)-");

    @TempDir Path dir;

    /** Over real SMTP into a running gateway, read back from the tenant's Maildir. */
    @Test
    void deliveredMailCarriesOnlyOurVerdict() {
        long seed = Seeds.seed(getClass());
        Random random = new Random(seed);
        ForgedHeaders generator = new ForgedHeaders(random, HOST, true);
        Path mail = dir.resolve("mail");
        Violations violations = new Violations();
        Map<String, ForgedHeaders.Message> byMarker = new LinkedHashMap<>();
        Map<String, String> refOf = new HashMap<>();
        try (GatewayFixture gw = new GatewayFixture(dir.resolve("gw"), HOST, """
                tenants:
                  - id: victim
                    domains: [victim.test]
                    delivery: "maildir:%s/victim"
                    anti-spam: { allowed-senders: [example.org] }
                """.formatted(mail))) {
            // The generated messages are deliberately odd (forged Received lines, missing fields): their sender is
            // trusted (SPF pass + allowed-senders) so every one is delivered and its header can be checked.
            gw.dns.addTxt("example.org", "v=spf1 ip4:127.0.0.1 -all");
            TestSmtpClient client = null;
            try {
                for (int i = 0; i < SMTP_MESSAGES; i++) {
                    if (i % 40 == 0) {
                        if (client != null) client.close();
                        client = gw.client("client" + i + ".example.org");
                    }
                    String marker = "spoof-" + i;
                    ForgedHeaders.Message m = generator.next(marker + "-" + seed + "@example.org");
                    client.mailFrom("sender@example.org").assertCode(250);
                    client.rcptTo("user" + random.nextInt(3) + "@victim.test").assertCode(250);
                    TestSmtpClient.Reply reply = client.data(m.text());
                    if (reply.code() != 250) {
                        violations.add("not accepted", marker + ": " + reply);
                        client.rset();
                        continue;
                    }
                    byMarker.put(marker, m);
                    refOf.put(marker, GatewayFixture.ref(reply));
                }
            } finally {
                if (client != null) client.close();
            }

            List<Path> files = awaitFiles(mail, byMarker.size());
            Map<String, Integer> seen = new HashMap<>();
            for (Path file : files) {
                byte[] delivered = GatewayFixture.read(file);
                String text = latin1(delivered);
                Matcher id = MESSAGE_ID.matcher(text);
                if (!id.find()) {
                    violations.add("delivered message without its Message-ID", file + ": " + MessageHeaders.excerpt(text));
                    continue;
                }
                String marker = id.group(1);
                seen.merge(marker, 1, Integer::sum);
                ForgedHeaders.Message m = byMarker.get(marker);
                if (m == null) {
                    violations.add("delivered message that was not accepted", marker);
                    continue;
                }
                checkDelivered(marker, refOf.get(marker), m, delivered, violations);
            }
            for (String marker : byMarker.keySet()) {
                if (seen.getOrDefault(marker, 0) != 1) {
                    violations.add("not delivered exactly once", marker + " ref=" + refOf.get(marker) + " copies=" + seen.getOrDefault(marker, 0));
                }
            }
        }
        violations.assertNone(seed, SMTP_MESSAGES + " messages over SMTP");
    }

    /** The same catalogue straight through {@link IncomingHeaderFilter}, written in random pieces. */
    @Test
    void theFilterRemovesExactlyTheForgedFieldsWhateverTheChunking() throws IOException {
        long seed = Seeds.seed(getClass());
        Random random = new Random(seed);
        ForgedHeaders generator = new ForgedHeaders(random, HOST, false);
        Violations violations = new Violations();
        for (int i = 0; i < FILTER_CASES; i++) {
            ForgedHeaders.Message m = generator.next("unit-" + i + "@example.org");
            byte[] in = m.bytes();
            ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
            IncomingHeaderFilter filter = new IncomingHeaderFilter(out, HOST);
            String chunking = writeInPieces(filter, in, random);
            filter.close();
            byte[] actual = out.toByteArray();
            byte[] expected = m.expected().getBytes(StandardCharsets.UTF_8);
            if (!Arrays.equals(actual, expected)) {
                for (String label : diagnose(m, actual)) violations.add(label, "case " + i + " (" + chunking + ")");
            }
            for (MessageHeaders.Field f : MessageHeaders.fields(MessageHeaders.split(actual).header())) {
                if (f.isPostern()) violations.add("X-Postern-* field let through", "case " + i + ": " + MessageHeaders.excerpt(f.raw()));
            }
            checkNoForgery("case " + i, MessageHeaders.split(actual).header(), violations);
        }
        violations.assertNone(seed, FILTER_CASES + " messages through IncomingHeaderFilter");
    }

    // --- checks ---------------------------------------------------------------------------------------------------

    private static void checkDelivered(String marker, String ref, ForgedHeaders.Message m, byte[] delivered, Violations v) {
        String where = marker + " ref=" + ref;
        MessageHeaders.Section section = MessageHeaders.split(delivered);
        List<MessageHeaders.Field> fields = MessageHeaders.fields(section.header());
        List<MessageHeaders.Field> postern = fields.stream().filter(MessageHeaders.Field::isPostern).toList();
        if (postern.size() != 2 || !postern.get(0).lowerName().equals("x-postern-scl")
                || !postern.get(0).value().trim().matches("-?\\d")
                || !postern.get(1).lowerName().equals("x-postern-report")
                || !postern.get(1).value().trim().startsWith("ref=" + ref + ";")) {
            v.add("not exactly our X-Postern-SCL and X-Postern-Report", where + ": " + postern.stream()
                    .map(f -> MessageHeaders.excerpt(f.raw())).toList());
        }
        // Exactly one Authentication-Results claims our host name: the one we put third, with our composite verdict.
        List<Integer> claiming = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) if (fields.get(i).claims(HOST)) claiming.add(i);
        if (!claiming.equals(List.of(2)) || !fields.get(2).value().contains("compauth=")) {
            for (int i : claiming) {
                if (i != 2) v.add("Authentication-Results claiming " + HOST + " delivered", where + ": " + MessageHeaders.excerpt(fields.get(i).raw()));
            }
            if (!claiming.contains(2)) v.add("our Authentication-Results missing", where);
        }

        // What we prepend, then the client's message minus exactly the forged fields, byte for byte.
        // (X-Spam-Flag only for mail the content filter junked: the generated messages are not spam.)
        List<String> prepended = fields.stream().limit(6).map(MessageHeaders.Field::lowerName).toList();
        if (!prepended.equals(List.of("return-path", "delivered-to", "authentication-results", "received", "x-postern-scl", "x-postern-report"))) {
            v.add("unexpected fields before the message", where + ": " + prepended);
            return;
        }
        int contentStart = fields.stream().limit(6).mapToInt(f -> f.raw().length()).sum();
        byte[] content = Arrays.copyOfRange(delivered, contentStart, delivered.length);
        if (!Arrays.equals(content, m.expected().getBytes(StandardCharsets.UTF_8))) {
            for (String label : diagnose(m, content)) v.add(label, where);
        }
    }

    /** The properties proper, judged by our own reading of the header section. */
    private static void checkNoForgery(String where, byte[] header, Violations v) {
        for (MessageHeaders.Field f : MessageHeaders.fields(header)) {
            if (f.claims(HOST)) v.add("Authentication-Results claiming " + HOST + " delivered", where + ": " + MessageHeaders.excerpt(f.raw()));
        }
    }

    /** Which generated fields came through although forged, or went missing although legitimate. */
    private static List<String> diagnose(ForgedHeaders.Message m, byte[] actual) {
        MessageHeaders.Section section = MessageHeaders.split(actual);
        String header = latin1(section.header());
        List<String> labels = new ArrayList<>();
        for (ForgedHeaders.Field f : m.fields()) {
            String raw = latin1(f.raw().getBytes(StandardCharsets.UTF_8));
            boolean present = header.startsWith(raw) || header.contains("\r\n" + raw);
            if (f.forged() && present) labels.add("forged field delivered: " + f.label());
            if (!f.forged() && !header.contains(raw)) labels.add("legitimate field lost or altered: " + f.label());
        }
        if (m.emptyLine() && !Arrays.equals(section.body(), m.body().getBytes(StandardCharsets.UTF_8))) labels.add("body altered");
        if (labels.isEmpty()) labels.add("output differs otherwise");
        return labels;
    }

    // --- plumbing -------------------------------------------------------------------------------------------------

    /** Random pieces: single octets through write(int), and slices of a larger array at an offset. */
    private static String writeInPieces(IncomingHeaderFilter filter, byte[] in, Random random) throws IOException {
        int maxPiece = switch (random.nextInt(5)) {
            case 0 -> 1;
            case 1 -> 7;
            case 2 -> 100;
            case 3 -> 8192;
            default -> in.length + 1;
        };
        int offset = random.nextInt(16);
        byte[] backing = new byte[in.length + offset + 16];
        System.arraycopy(in, 0, backing, offset, in.length);
        int pos = 0;
        while (pos < in.length) {
            if (maxPiece == 1 || random.nextInt(20) == 0) {
                filter.write(in[pos++]);
            } else {
                int n = Math.min(1 + random.nextInt(maxPiece), in.length - pos);
                filter.write(backing, offset + pos, n);
                pos += n;
            }
        }
        return "pieces of at most " + maxPiece + " octets";
    }

    private static List<Path> awaitFiles(Path root, int expected) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        List<Path> files = GatewayFixture.delivered(root);
        while (files.size() < expected && System.nanoTime() < deadline) {
            GatewayFixture.sleep(50);
            files = GatewayFixture.delivered(root);
        }
        GatewayFixture.sleep(200); // anything delivered twice shows up now
        return GatewayFixture.delivered(root);
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
