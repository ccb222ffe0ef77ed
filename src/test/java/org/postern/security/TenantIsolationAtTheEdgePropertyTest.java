package org.postern.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.TestSmtpClient;
import org.postern.trace.DecisionEntry;
import org.postern.trace.TraceQuery;
import org.postern.trace.TraceRecord;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Tenants stay apart at the shared SMTP edge. A seeded random set of 3-6 tenants (random ids, 1-3 domains each, some
 * a subdomain of another tenant's or an IDN, some with a recipient list, each delivering to its own Maildir) and about
 * 150 random transactions whose recipients mix tenants, unknown recipients, unowned look-alike domains and case
 * variants. What should happen is computed from the test's own model of the tenants (INTERFACES §5), never asked of
 * the product:
 * <ol>
 *   <li>(a) a transaction never reaches two tenants: a recipient of another tenant than the first accepted one gets
 *       {@code 452 4.5.3};</li>
 *   <li>(b) each delivered copy lands only in the Maildir of the tenant owning the recipient's domain;</li>
 *   <li>(c) every refusal's trace record carries the refused recipient's tenant (none for relay denied), and neither
 *       its decisions nor its reply name another tenant's id or domains (accepted messages' records likewise);</li>
 *   <li>(d) a trace search for tenant X never returns another tenant's record, and finds all of X's.</li>
 * </ol>
 * The seed is printed and in every failure; {@code -Dpostern.seed=N} replays a run.
 */
class TenantIsolationAtTheEdgePropertyTest {

    static final String HOST = "mx.isolation.postern.test";
    private static final int TRANSACTIONS = Integer.getInteger("postern.isolation.transactions", 150);
    private static final String[] NAMES = {"acme", "globex", "initech", "umbrella", "contoso", "fabrikam", "hooli",
            "stark", "wayne", "tyrell", "cyberdyne", "soylent"};
    private static final Pattern MARKER = Pattern.compile("Message-ID: <(iso-\\d+)@");
    private static final Pattern REPORT_TENANT = Pattern.compile("X-Postern-Report: ref=[0-9A-Za-z]+; tenant=([a-z0-9-]+);");
    private static final Pattern DELIVERED_TO = Pattern.compile("(?m)^Delivered-To: ([^\r\n]*)\r\n");

    @TempDir Path dir;

    /** A tenant as the test understands it. Domains are kept in the comparable form: lower-case A-labels. */
    record TenantModel(String id, List<String> configuredDomains, Set<String> domains, Optional<Set<String>> recipients,
                       List<String> listedAsConfigured) {
        boolean knows(String local, String domain) {
            return recipients.map(r -> r.contains(local.toLowerCase(Locale.ROOT) + "@" + domain)).orElse(true);
        }
    }

    enum Outcome {
        ACCEPTED(250, "2.1.5"), RELAY_DENIED(554, "5.7.1"), OTHER_TENANT(452, "4.5.3"), UNKNOWN_RECIPIENT(550, "5.1.1");

        final int code;
        final String enhanced;

        Outcome(int code, String enhanced) {
            this.code = code;
            this.enhanced = enhanced;
        }
    }

    /** A refusal the model expects a trace record for: the reference, whose record it is, what was refused. */
    record Refusal(String ref, Optional<TenantModel> tenant, Optional<String> recipient, String context) { }

    record Delivery(String marker, String ref, TenantModel tenant, List<String> recipients) { }

    @Test
    void tenantsNeverMixAtTheEdge() {
        long seed = Seeds.seed(getClass());
        Random random = new Random(seed);
        List<TenantModel> tenants = tenants(random);
        Path mail = dir.resolve("mail");
        Violations violations = new Violations();
        List<Refusal> refusals = new ArrayList<>();
        List<Delivery> deliveries = new ArrayList<>();

        try (GatewayFixture gw = new GatewayFixture(dir.resolve("gw"), HOST, yaml(tenants, mail))) {
            TestSmtpClient client = null;
            int sessionLeft = 0;
            try {
                for (int t = 0; t < TRANSACTIONS; t++) {
                    if (sessionLeft-- <= 0) {
                        if (client != null) {
                            client.quit();
                            client.close();
                        }
                        client = gw.client("client" + t + ".example.net");
                        sessionLeft = random.nextInt(8);
                    } else if (random.nextInt(10) == 0) {
                        client.ehlo("again" + t + ".example.net").assertCode(250); // a new EHLO resets the transaction
                    }
                    transaction(t, client, tenants, random, violations, refusals, deliveries);
                }
            } finally {
                if (client != null) client.close();
            }

            long t0 = System.nanoTime();
            checkDeliveries(mail, tenants, deliveries, violations);
            long t1 = System.nanoTime();
            checkRefusalRecords(gw, tenants, refusals, violations);
            checkMessageRecords(gw, tenants, deliveries, violations);
            long t2 = System.nanoTime();
            checkTenantSearches(gw, tenants, refusals, deliveries, violations, random);
            System.out.printf("deliveries %d ms, records %d ms, searches %d ms%n", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000);
        }
        violations.assertNone(seed, describe(tenants) + "; " + TRANSACTIONS + " transactions, " + refusals.size()
                + " refusals, " + deliveries.size() + " messages");
    }

    // --- one transaction --------------------------------------------------------------------------------------------

    private void transaction(int t, TestSmtpClient client, List<TenantModel> tenants, Random random, Violations v,
                             List<Refusal> refusals, List<Delivery> deliveries) {
        List<String> planned = new ArrayList<>();
        Set<String> distinct = new HashSet<>();
        int wanted = 1 + random.nextInt(6);
        while (planned.size() < wanted) {
            String address = recipient(tenants, random);
            if (distinct.add(comparable(address))) planned.add(address);
        }
        boolean utf8 = planned.stream().anyMatch(a -> !StandardCharsets.US_ASCII.newEncoder().canEncode(a));
        String sender = "sender" + t + "@client" + random.nextInt(5) + ".example.net";
        String context = "transaction " + t + " RCPT " + planned;
        client.mailFrom(sender, utf8 ? new String[]{"SMTPUTF8"} : new String[0]).assertCode(250);

        TenantModel transactionTenant = null;
        List<String> accepted = new ArrayList<>();
        for (String address : planned) {
            Optional<TenantModel> owner = owner(tenants, address);
            Outcome expected;
            if (owner.isEmpty()) {
                expected = Outcome.RELAY_DENIED;
            } else if (transactionTenant != null && transactionTenant != owner.get()) {
                expected = Outcome.OTHER_TENANT;
            } else if (!owner.get().knows(local(address), domain(address))) {
                expected = Outcome.UNKNOWN_RECIPIENT;
            } else {
                expected = Outcome.ACCEPTED;
            }
            TestSmtpClient.Reply reply = client.rcptTo(address);
            if (reply.code() != expected.code || !reply.enhancedCode().equals(expected.enhanced)) {
                v.add(expected == Outcome.OTHER_TENANT ? "(a) recipient of a second tenant not refused with 452 4.5.3"
                        : "RCPT answered otherwise than the tenants' model says (" + expected + ")",
                        context + ": " + address + " -> " + reply + " (owner " + owner.map(TenantModel::id).orElse("none")
                                + ", transaction tenant " + (transactionTenant == null ? "none" : transactionTenant.id()) + ")");
                client.rset(); // the model and the gateway disagree: drop this transaction and go on
                return;
            }
            if (expected == Outcome.ACCEPTED) {
                transactionTenant = owner.get();
                accepted.add(address);
            } else {
                refusals.add(new Refusal(GatewayFixture.ref(reply), owner, Optional.of(address), context + ": " + address + " -> " + reply));
            }
        }

        int choice = random.nextInt(10);
        if (accepted.isEmpty()) {
            if (choice < 5) {
                TestSmtpClient.Reply reply = client.command("DATA");
                if (reply.code() != 554) {
                    v.add("DATA without an accepted recipient not refused", context + " -> " + reply);
                    if (reply.code() == 354) client.sendMessageBody("Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
                    client.rset();
                } else {
                    refusals.add(new Refusal(GatewayFixture.ref(reply), Optional.empty(), Optional.empty(), context + ": DATA -> " + reply));
                    client.rset().assertCode(250); // a refused DATA leaves the (empty) transaction open (RFC 5321 §3.3)
                }
            } else {
                client.rset().assertCode(250);
            }
            return;
        }
        if (choice == 0) {
            client.rset().assertCode(250); // abandoned: nothing may be delivered
            return;
        }
        String marker = "iso-" + t;
        TestSmtpClient.Reply reply = client.data("From: " + sender + "\r\nTo: " + String.join(", ", accepted)
                + "\r\nSubject: isolation " + t + "\r\nMessage-ID: <" + marker + "@client.example.net>\r\n\r\nfor "
                + transactionTenant.id() + " only\r\n");
        if (reply.code() != 250) {
            v.add("message not accepted", context + " -> " + reply);
            return;
        }
        deliveries.add(new Delivery(marker, GatewayFixture.ref(reply), transactionTenant, List.copyOf(accepted)));
    }

    // --- checks -----------------------------------------------------------------------------------------------------

    /** (b): every copy in the Maildir of the recipient's own tenant, and nowhere else. */
    private static void checkDeliveries(Path mail, List<TenantModel> tenants, List<Delivery> deliveries, Violations v) {
        Map<String, Integer> expected = new TreeMap<>();
        for (Delivery d : deliveries) {
            for (String r : d.recipients()) {
                expected.merge(d.marker() + " -> " + owner(tenants, r).orElseThrow().id() + " " + r.toLowerCase(Locale.ROOT), 1, Integer::sum);
            }
        }
        int total = expected.values().stream().mapToInt(Integer::intValue).sum();
        long deadline = System.nanoTime() + 30_000_000_000L;
        List<Path> files = GatewayFixture.delivered(mail);
        while (files.size() < total && System.nanoTime() < deadline) {
            GatewayFixture.sleep(50);
            files = GatewayFixture.delivered(mail);
        }
        GatewayFixture.sleep(200); // a copy delivered twice or to a second tenant shows up now
        files = GatewayFixture.delivered(mail);

        Map<String, Integer> actual = new TreeMap<>();
        for (Path file : files) {
            String tenantDir = mail.relativize(file).getName(0).toString();
            String text = new String(GatewayFixture.read(file), StandardCharsets.UTF_8);
            Matcher marker = MARKER.matcher(text);
            Matcher to = DELIVERED_TO.matcher(text);
            Matcher report = REPORT_TENANT.matcher(text);
            if (!marker.find() || !to.find() || !report.find()) {
                v.add("(b) unrecognisable delivered file", file.toString());
                continue;
            }
            if (!report.group(1).equals(tenantDir)) {
                v.add("(b) X-Postern-Report names another tenant than the Maildir it is in", file + ": tenant=" + report.group(1));
            }
            actual.merge(marker.group(1) + " -> " + tenantDir + " " + to.group(1).toLowerCase(Locale.ROOT), 1, Integer::sum);
        }
        if (!actual.equals(expected)) {
            Set<String> keys = new LinkedHashSet<>(expected.keySet());
            keys.addAll(actual.keySet());
            for (String k : keys) {
                int e = expected.getOrDefault(k, 0);
                int a = actual.getOrDefault(k, 0);
                if (e != a) v.add(a > e ? "(b) delivered where it does not belong (or twice)" : "(b) not delivered", k + ": expected " + e + ", found " + a);
            }
        }
    }

    /** (c): each refusal's record is its own tenant's and names no other tenant. */
    private static void checkRefusalRecords(GatewayFixture gw, List<TenantModel> tenants, List<Refusal> refusals, Violations v) {
        for (Refusal r : refusals) {
            List<TraceRecord> found = gw.gateway.trace().search(TraceQuery.all().withRef(r.ref()));
            if (found.size() != 1) {
                v.add("(c) refusal without exactly one trace record", r.context() + ": " + found.size() + " records");
                continue;
            }
            TraceRecord record = found.get(0);
            Optional<String> tenant = r.tenant().map(TenantModel::id);
            if (!record.tenant().equals(tenant)) {
                v.add("(c) refusal traced in the wrong tenant", r.context() + ": record tenant " + record.tenant() + ", expected " + tenant);
            }
            if (r.recipient().isPresent() && !record.recipients().equals(List.of(r.recipient().get()))) {
                v.add("(c) refusal record lists other recipients", r.context() + ": " + record.recipients());
            }
            String mentions = mentionsOfOthers(text(record), tenants, r.tenant());
            if (!mentions.isEmpty()) v.add("(c) refusal record names another tenant", r.context() + ": " + mentions + " in " + text(record));
        }
    }

    private static void checkMessageRecords(GatewayFixture gw, List<TenantModel> tenants, List<Delivery> deliveries, Violations v) {
        for (Delivery d : deliveries) {
            List<TraceRecord> found = gw.gateway.trace().search(TraceQuery.all().withRef(d.ref()));
            if (found.size() != 1) {
                v.add("(c) message without exactly one trace record", d.marker() + " ref=" + d.ref() + ": " + found.size());
                continue;
            }
            TraceRecord record = found.get(0);
            if (!record.tenant().equals(Optional.of(d.tenant().id()))) {
                v.add("(c) message traced in the wrong tenant", d.marker() + ": " + record.tenant() + ", expected " + d.tenant().id());
            }
            if (!record.recipients().equals(d.recipients())) {
                v.add("(c) message record lists other recipients than were accepted", d.marker() + ": " + record.recipients() + " vs " + d.recipients());
            }
            String mentions = mentionsOfOthers(text(record), tenants, Optional.of(d.tenant()));
            if (!mentions.isEmpty()) v.add("(c) message record names another tenant", d.marker() + ": " + mentions + " in " + text(record));
        }
    }

    /** (d): a tenant's search returns its own records, all of them, and never another tenant's. */
    private static void checkTenantSearches(GatewayFixture gw, List<TenantModel> tenants, List<Refusal> refusals,
                                            List<Delivery> deliveries, Violations v, Random random) {
        Map<String, Set<String>> refsOf = new HashMap<>();
        for (Refusal r : refusals) r.tenant().ifPresent(t -> refsOf.computeIfAbsent(t.id(), k -> new HashSet<>()).add(r.ref()));
        for (Delivery d : deliveries) refsOf.computeIfAbsent(d.tenant().id(), k -> new HashSet<>()).add(d.ref());
        for (TenantModel t : tenants) {
            for (String query : List.of(t.id(), t.id().toUpperCase(Locale.ROOT))) {
                List<TraceRecord> found = gw.gateway.trace().search(TraceQuery.all().withTenant(query));
                for (TraceRecord record : found) {
                    if (!record.tenant().equals(Optional.of(t.id()))) {
                        v.add("(d) tenant search returned another tenant's record", "withTenant(" + query + ") -> " + record.ref() + " of " + record.tenant());
                    }
                }
                if (query.equals(t.id())) {
                    Set<String> missing = new HashSet<>(refsOf.getOrDefault(t.id(), Set.of()));
                    found.forEach(record -> missing.remove(record.ref()));
                    if (!missing.isEmpty()) v.add("(d) tenant search misses the tenant's own records", t.id() + ": " + missing);
                }
            }
            // Another tenant's reference, asked for under this tenant: nothing.
            for (TenantModel other : tenants) {
                if (other == t) continue;
                List<String> theirs = new ArrayList<>(refsOf.getOrDefault(other.id(), Set.of()));
                if (theirs.isEmpty()) continue;
                String ref = theirs.get(random.nextInt(theirs.size()));
                if (!gw.gateway.trace().search(TraceQuery.all().withTenant(t.id()).withRef(ref)).isEmpty()) {
                    v.add("(d) tenant search returned another tenant's reference", "withTenant(" + t.id() + ").withRef(" + ref + ") of " + other.id());
                }
            }
        }
        for (Refusal r : refusals) {
            if (r.tenant().isPresent()) continue;
            for (TenantModel t : tenants) {
                if (!gw.gateway.trace().search(TraceQuery.all().withTenant(t.id()).withRef(r.ref())).isEmpty()) {
                    v.add("(d) a tenant-less refusal is found under a tenant", r.context() + " under " + t.id());
                }
            }
        }
        if (!gw.gateway.trace().search(TraceQuery.all().withTenant("no-such-tenant")).isEmpty()) {
            v.add("(d) search for an unknown tenant returned records", "no-such-tenant");
        }
    }

    private static String text(TraceRecord record) {
        StringBuilder sb = new StringBuilder("reply: ").append(record.smtpReply());
        for (DecisionEntry d : record.decisions()) {
            sb.append(" | ").append(d.stage()).append(' ').append(d.outcome()).append(' ').append(d.reason()).append(' ').append(d.setting());
        }
        return sb.toString();
    }

    /** Ids and domains of tenants other than {@code own} that {@code text} names, as whole words / whole names. */
    static String mentionsOfOthers(String text, List<TenantModel> tenants, Optional<TenantModel> own) {
        List<String> found = new ArrayList<>();
        String lower = text.toLowerCase(Locale.ROOT);
        for (TenantModel t : tenants) {
            if (own.isPresent() && own.get() == t) continue;
            if (Pattern.compile("(?<![a-z0-9-])" + Pattern.quote(t.id()) + "(?![a-z0-9-])").matcher(lower).find()) found.add("id " + t.id());
            Set<String> names = new LinkedHashSet<>(t.domains());
            t.configuredDomains().forEach(d -> names.add(d.toLowerCase(Locale.ROOT)));
            for (String d : names) {
                // a name, not the tail of a longer name (sub.acme.test) nor the head of one (acme.test.evil.example)
                Pattern p = Pattern.compile("(?<![\\p{L}0-9.-])" + Pattern.quote(d) + "(?![\\p{L}0-9-]|\\.[\\p{L}0-9])");
                if (p.matcher(lower).find()) found.add("domain " + d + " of " + t.id());
            }
        }
        return String.join(", ", found);
    }

    // --- the tenants ------------------------------------------------------------------------------------------------

    private static List<TenantModel> tenants(Random random) {
        int n = 3 + random.nextInt(4);
        List<TenantModel> tenants = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> allDomains = new HashSet<>();
        while (tenants.size() < n) {
            String id = NAMES[random.nextInt(NAMES.length)] + "-" + alnum(random, 3);
            if (!ids.add(id)) continue;
            List<String> configured = new ArrayList<>();
            Set<String> domains = new LinkedHashSet<>();
            int count = 1 + random.nextInt(3);
            while (configured.size() < count) {
                String d = switch (random.nextInt(6)) {
                    // a subdomain of a domain another tenant owns: attribution must be exact, not by suffix
                    case 0 -> allDomains.isEmpty() ? plainDomain(random, id) : "mail." + List.copyOf(allDomains).get(random.nextInt(allDomains.size()));
                    case 1 -> "bücher-" + alnum(random, 4) + ".test";
                    default -> plainDomain(random, id);
                };
                String key = normalize(d);
                if (!allDomains.add(key)) continue;
                domains.add(key);
                configured.add(random.nextBoolean() || !isAscii(d) ? d : mixedCase(d, random));
            }
            Optional<Set<String>> recipients = Optional.empty();
            List<String> listed = List.of();
            if (random.nextBoolean()) {
                listed = new ArrayList<>();
                Set<String> normalized = new HashSet<>();
                int r = 1 + random.nextInt(4);
                for (int i = 0; i < r; i++) {
                    String local = pickLocal(random);
                    String d = configured.get(random.nextInt(configured.size()));
                    if (normalized.add(local + "@" + normalize(d))) listed.add(local + "@" + d);
                }
                recipients = Optional.of(normalized);
            }
            tenants.add(new TenantModel(id, List.copyOf(configured), domains, recipients, listed));
        }
        return tenants;
    }

    private static String yaml(List<TenantModel> tenants, Path mail) {
        StringBuilder sb = new StringBuilder("tenants:\n");
        for (TenantModel t : tenants) {
            sb.append("  - id: ").append(t.id()).append('\n');
            sb.append("    domains: [").append(t.configuredDomains().stream().map(d -> "\"" + d + "\"").collect(Collectors.joining(", "))).append("]\n");
            if (t.recipients().isPresent()) {
                sb.append("    recipients: [").append(t.listedAsConfigured().stream().map(d -> "\"" + d + "\"").collect(Collectors.joining(", "))).append("]\n");
            }
            sb.append("    delivery: \"maildir:").append(mail.resolve(t.id())).append("\"\n");
        }
        return sb.toString();
    }

    /** A recipient address of one of the kinds that matter, in one of the spellings that must not matter. */
    private static String recipient(List<TenantModel> tenants, Random random) {
        TenantModel t = tenants.get(random.nextInt(tenants.size()));
        String domain = t.configuredDomains().get(random.nextInt(t.configuredDomains().size()));
        return switch (random.nextInt(8)) {
            case 0, 1, 2 -> {
                // known (listed, or any local part when the tenant has no list)
                if (t.recipients().isPresent()) {
                    String listed = t.listedAsConfigured().get(random.nextInt(t.listedAsConfigured().size()));
                    yield local(listed) + "@" + spell(domain(listed), random);
                }
                yield pickLocal(random) + "@" + spell(domain, random);
            }
            case 3 -> "nobody-" + alnum(random, 4) + "@" + spell(domain, random); // unknown where there is a list
            case 4 -> pickLocal(random) + "@" + switch (random.nextInt(6)) {        // look-alikes nobody owns
                case 0 -> "sub." + asciiForm(domain);
                case 1 -> asciiForm(domain) + ".evil.example";
                case 2 -> "x" + asciiForm(domain);
                case 3 -> "[192.0.2." + (1 + random.nextInt(250)) + "]";
                case 4 -> asciiForm(domain).replace(".test", ".example");
                default -> alnum(random, 6) + ".example";
            };
            default -> pickLocal(random) + "@" + spell(domain, random);
        };
    }

    private static String spell(String domain, Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> domain.toUpperCase(Locale.ROOT);
            case 1 -> mixedCase(domain, random);
            case 2 -> asciiForm(domain); // the A-label form of an IDN
            default -> domain;
        };
    }

    private static Optional<TenantModel> owner(List<TenantModel> tenants, String address) {
        String d = domain(address);
        return tenants.stream().filter(t -> t.domains().contains(d)).findFirst();
    }

    /** Comparable form of a recipient's domain, or "" when it has none (address literal). */
    private static String domain(String address) {
        String d = address.substring(address.lastIndexOf('@') + 1);
        if (d.startsWith("[")) return d;
        return normalize(d);
    }

    private static String local(String address) {
        return address.substring(0, address.lastIndexOf('@'));
    }

    private static String comparable(String address) {
        return local(address).toLowerCase(Locale.ROOT) + "@" + domain(address);
    }

    private static String normalize(String domain) {
        return IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    }

    private static String asciiForm(String domain) {
        return normalize(domain);
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 128);
    }

    private static String plainDomain(Random random, String id) {
        return id.substring(0, id.indexOf('-')) + "-" + alnum(random, 3) + "." + (random.nextBoolean() ? "test" : "example");
    }

    private static String pickLocal(Random random) {
        String[] locals = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "postmaster", "info", "billing"};
        return locals[random.nextInt(locals.length)] + (random.nextInt(3) == 0 ? "." + alnum(random, 2) : "");
    }

    private static String alnum(Random random, int n) {
        String chars = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append(chars.charAt(random.nextInt(chars.length())));
        return sb.toString();
    }

    private static String mixedCase(String s, Random random) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) sb.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
        return sb.toString();
    }

    private static String describe(List<TenantModel> tenants) {
        return tenants.stream().map(t -> t.id() + t.configuredDomains() + t.recipients().map(r -> " list" + r).orElse(""))
                .collect(Collectors.joining("; ", "tenants {", "}"));
    }
}
