package org.postern.cli;

import org.postern.Postern;
import org.postern.config.ConfigLoader;
import org.postern.dns.InProcessDnsServer;
import org.postern.edge.Gateway;
import org.postern.trace.TraceQuery;
import org.postern.trace.TraceRecord;
import org.postern.trace.TraceStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts a gateway on the embedded defaults with two demo tenants, sends real scenarios through it over SMTP,
 * prints what happened to each and how to look it up, then keeps serving (or exits with --once).
 * Each scenario states what it expects; a surprise makes the demo fail, so the demo doubles as a smoke test.
 */
@Command(name = "demo", description = "Run a gateway with two demo tenants and send real scenarios through it")
public final class DemoCommand implements Runnable {

    private static final Pattern REF = Pattern.compile("\\[ref=([0-9A-Z]+)]");

    @Option(names = "--once", description = "exit 0 after printing the scenarios") boolean once;
    @Option(names = "--data-dir", defaultValue = "./data/demo", description = "where the demo keeps its store, spool and Maildirs (default: ${DEFAULT-VALUE})") Path dataDir;
    @Option(names = "--verbose", description = "show the gateway's log lines too") boolean verbose;
    @Option(names = "--port", defaultValue = "2525", description = "SMTP port; a free one is chosen when it is taken") int port;

    private final List<String> surprises = new ArrayList<>();

    @Override
    public void run() {
        Path dir = dataDir.toAbsolutePath().normalize();
        if (!verbose && org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logs) {
            // The demo's own lines tell the story; the gateway's log would interleave with them.
            logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
        }
        InProcessDnsServer dns = demoZones(InProcessDnsServer.start());
        Path configFile = writeConfig(dir, freePort(port), dns.address(), freePort(8025));
        Gateway gateway;
        try {
            gateway = Gateway.start(ConfigLoader.load(configFile));
        } catch (RuntimeException e) {
            dns.close();
            throw e;
        }
        try {
            int smtp = gateway.smtpPort();
            System.out.println();
            System.out.println("Postern demo: SMTP on 127.0.0.1:" + smtp + ", data in " + dir);
            System.out.println("Tenants: contoso (contoso.test, contoso-corp.test; recipients alice, bob) and fabrikam (fabrikam.test)");
            System.out.println();
            scenarios(gateway, smtp, configFile, dir);
            consoleAccess(configFile, gateway.adminPort());
            System.out.println("Maildirs:  " + dir.resolve("mail"));
            System.out.println("Trace:     ./postern trace --config " + configFile + " --since 1h");
            System.out.println("Try it:    swaks --server 127.0.0.1:" + smtp + " --to alice@contoso.test --from you@example.org");
            if (!surprises.isEmpty()) {
                throw new Postern.CliFailure("demo: unexpected outcomes: " + String.join("; ", surprises));
            }
            if (once) return;
            System.out.println("\nServing on 127.0.0.1:" + smtp + " until Ctrl-C.");
            if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logs) {
                logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.INFO);
            }
            CountDownLatch forever = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                gateway.close();
                dns.close();
            }));
            forever.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new Postern.CliFailure("demo: " + e.getMessage());
        } finally {
            if (once || !surprises.isEmpty()) {
                gateway.close();
                dns.close();
            }
        }
    }

    private void scenarios(Gateway gw, int smtp, Path configFile, Path dir) throws IOException {
        String marker = "demo-" + System.currentTimeMillis();
        // 1. Clean mail to a listed recipient: accepted, then delivered to contoso's Maildir.
        try (DemoClient c = client(smtp)) {
            c.send("EHLO client.example.org");
            c.send("MAIL FROM:<sender@example.org>");
            c.send("RCPT TO:<alice@contoso.test>");
            String reply = c.data("From: sender@example.org\nTo: alice@contoso.test\nSubject: Quarterly report " + marker
                    + "\nMessage-ID: <" + marker + "@example.org>\nX-Postern-SCL: -1\nAuthentication-Results: "
                    + gw.hostname() + "; spf=pass\n\nHello Alice,\n.here is a line starting with a dot.\n");
            c.send("QUIT");
            String ref = ref(reply);
            Optional<TraceRecord> delivered = awaitDelivery(gw, ref);
            Optional<Path> file = delivered.flatMap(r -> deliveredFile(dir.resolve("mail/contoso/alice@contoso.test/new"), marker));
            String headers = file.map(DemoCommand::headerSection).orElse("");
            boolean forgedGone = !headers.contains("X-Postern-SCL: -1") && !headers.contains(gw.hostname() + "; spf=pass");
            boolean reported = headers.contains("X-Postern-Report: ref=" + ref)
                    && headers.contains("Authentication-Results: " + gw.hostname() + ";\r\n\tspf=pass smtp.mailfrom=example.org")
                    && headers.contains("compauth=pass reason=100");
            show("1. Clean mail to alice@contoso.test (carrying forged X-Postern-SCL and Authentication-Results)", reply, "250", ref, configFile,
                    file.map(f -> "delivered to " + f + (forgedGone ? "; forged headers removed" : "; FORGED HEADERS KEPT")
                            + (reported ? "; Authentication-Results (spf=pass, dmarc=pass, compauth=pass) and X-Postern-Report added" : "")).orElse("not delivered"));
            if (file.isEmpty() || !forgedGone || !reported) surprises.add("scenario 1 was not delivered as expected");
        }
        // 2. Unknown recipient of a tenant that lists its recipients.
        String unknown = rcptReply(smtp, "carol@contoso.test");
        show("2. Unknown recipient carol@contoso.test", unknown, "550 5.1.1", ref(unknown), configFile, "refused at RCPT");
        // 3. Relay attempt: no tenant serves example.net.
        String relay = rcptReply(smtp, "victim@example.net");
        show("3. Relay attempt to victim@example.net", relay, "554 5.7.1", ref(relay), configFile, "refused: Postern is no open relay");
        // 4. Two tenants in one transaction: the second recipient is deferred, then sent in its own transaction.
        try (DemoClient c = client(smtp)) {
            c.send("EHLO client.example.org");
            c.send("MAIL FROM:<sender@example.org>");
            c.send("RCPT TO:<bob@contoso.test>");
            String second = c.send("RCPT TO:<dave@fabrikam.test>");
            String first = c.data("Subject: Shared news " + marker + "\n\nfor bob\n");
            c.send("MAIL FROM:<sender@example.org>");
            c.send("RCPT TO:<dave@fabrikam.test>");
            String retried = c.data("Subject: Shared news " + marker + "\n\nfor dave\n");
            c.send("QUIT");
            show("4. Two tenants in one transaction (bob@contoso.test + dave@fabrikam.test)", second, "452 4.5.3", ref(second), configFile,
                    "bob's copy: " + first + " / dave's retry in its own transaction: " + retried);
            awaitDelivery(gw, ref(retried));
            if (!first.startsWith("250") || !retried.startsWith("250")) surprises.add("scenario 4 copies were not accepted");
        }
        // 5. SMTP smuggling: an end of data with a bare LF must not end the message.
        try (DemoClient c = client(smtp)) {
            c.send("EHLO client.example.org");
            c.send("MAIL FROM:<sender@example.org>");
            c.send("RCPT TO:<alice@contoso.test>");
            c.send("DATA");
            c.raw(("Subject: smuggling " + marker + "\r\n\r\nhello\n.\r\nMAIL FROM:<ceo@contoso.test>\r\n").getBytes(StandardCharsets.US_ASCII));
            String reply = c.reply();
            show("5. SMTP smuggling attempt (<LF>.<CR><LF> inside DATA)", reply, "5", ref(reply), configFile, "refused, nothing accepted");
        }
        // 6. A forged bank: SPF fails for bank.example and its owner publishes DMARC p=reject.
        String phish = send(smtp, "security@bank.example", "alice@contoso.test",
                "From: Bank Security <security@bank.example>\nSubject: Verify your account " + marker + "\n\nclick here\n");
        show("6. Forged sender security@bank.example (SPF fail, DMARC p=reject)", phish, "550 5.7.26", ref(phish), configFile,
                "refused at end of data; no bounce to the forged sender");
        // 7. Someone outside pretends to be contoso's CEO when writing to contoso.
        String spoof = send(smtp, "ceo@contoso.test", "bob@contoso.test",
                "From: CEO <ceo@contoso.test>\nSubject: Urgent wire transfer " + marker + "\n\nplease pay\n");
        show("7. Spoof of the tenant's own domain (ceo@contoso.test from outside, no SPF or DKIM)", spoof, "550 5.7.1", ref(spoof),
                configFile, "refused: the tenant's own domain must authenticate");
        // 8. Malware: the EICAR test file as an attachment, found by the built-in checks (no clamd needed).
        String eicar = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
        String malware = send(smtp, "sender@example.org", "alice@contoso.test", "From: sender@example.org\nSubject: Invoice " + marker
                + "\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee attached\n"
                + "--b\nContent-Type: application/octet-stream; name=invoice.com\nContent-Disposition: attachment; filename=invoice.com\n\n"
                + eicar + "\n--b--\n");
        show("8. Malware attachment (the EICAR test file as invoice.com)", malware, "550 5.7.1", ref(malware), configFile,
                "refused naming the detection; never delivered");
    }

    /** One whole transaction from a client at 127.0.0.1: the reply to the end of data. */
    private static String send(int smtp, String mailFrom, String recipient, String message) throws IOException {
        try (DemoClient c = client(smtp)) {
            c.send("EHLO client.example.org");
            c.send("MAIL FROM:<" + mailFrom + ">");
            c.send("RCPT TO:<" + recipient + ">");
            String reply = c.data(message);
            c.send("QUIT");
            return reply;
        }
    }

    /**
     * The demo's own authoritative DNS (loopback): example.org authorizes 127.0.0.1 (where the demo's client
     * connects from), bank.example and contoso.test authorize only their own servers and publish DMARC policies.
     */
    private static InProcessDnsServer demoZones(InProcessDnsServer dns) {
        return dns.addTxt("example.org", "v=spf1 ip4:127.0.0.0/8 -all")
                .addTxt("_dmarc.example.org", "v=DMARC1; p=none")
                .addTxt("bank.example", "v=spf1 ip4:198.51.100.0/24 -all")
                .addTxt("_dmarc.bank.example", "v=DMARC1; p=reject")
                .addTxt("contoso.test", "v=spf1 ip4:192.0.2.0/24 -all")
                .addTxt("_dmarc.contoso.test", "v=DMARC1; p=quarantine");
    }

    /** One session up to RCPT TO: the reply to that recipient. */
    private static String rcptReply(int smtp, String recipient) throws IOException {
        try (DemoClient c = client(smtp)) {
            c.send("EHLO client.example.org");
            c.send("MAIL FROM:<sender@example.org>");
            String reply = c.send("RCPT TO:<" + recipient + ">");
            c.send("QUIT");
            return reply;
        }
    }

    private void show(String title, String reply, String expected, String ref, Path configFile, String outcome) {
        boolean ok = reply.startsWith(expected);
        if (!ok) surprises.add(title + ": expected " + expected + ", got " + reply);
        System.out.println(title);
        System.out.println("   server said: " + reply);
        System.out.println("   outcome:     " + outcome + (ok ? "" : "  (UNEXPECTED)"));
        if (!ref.isEmpty()) System.out.println("   look it up:  ./postern trace --config " + configFile + " --ref " + ref);
        System.out.println();
    }

    private static Optional<TraceRecord> awaitDelivery(Gateway gw, String ref) {
        if (ref.isEmpty()) return Optional.empty();
        long until = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < until) {
            List<TraceRecord> found = gw.trace().search(TraceQuery.all().withRef(ref));
            if (!found.isEmpty() && found.get(0).status() == TraceStatus.Delivered) return Optional.of(found.get(0));
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> deliveredFile(Path maildirNew, String marker) {
        try (var files = Files.list(maildirNew)) {
            return files.filter(f -> headerSection(f).contains(marker)).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String headerSection(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? text : text.substring(0, end);
        } catch (IOException e) {
            return "";
        }
    }

    private static String ref(String reply) {
        Matcher m = REF.matcher(reply);
        return m.find() ? m.group(1) : "";
    }

    private static DemoClient client(int port) throws IOException {
        DemoClient c = new DemoClient("127.0.0.1", port);
        c.reply();
        return c;
    }

    private static int freePort(int wanted) {
        try (ServerSocket s = new ServerSocket(wanted, 1, java.net.InetAddress.getLoopbackAddress())) {
            return wanted;
        } catch (IOException busy) {
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException e) {
                throw new Postern.CliFailure("no free port for the demo: " + e.getMessage());
            }
        }
    }

    /** A console user for contoso and an operator token, new on every run, printed with the console's address. */
    private static void consoleAccess(Path configFile, int adminPort) {
        byte[] bits = new byte[12];
        new java.security.SecureRandom().nextBytes(bits);
        String password = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
        String token;
        try (var services = org.postern.edge.NodeServices.open(ConfigLoader.load(configFile))) {
            services.accounts().add("contoso", "admin@contoso.test", org.postern.account.Role.TENANT_ADMIN, password);
            token = services.tokens().create(org.postern.account.Role.OPERATOR, Optional.empty());
        }
        System.out.println("Console:   http://127.0.0.1:" + adminPort + "/  (contoso admin: admin@contoso.test / " + password
                + "; operator: the token below in the password field)");
        System.out.println("API:       curl -H 'Authorization: Bearer " + token + "' http://127.0.0.1:" + adminPort + "/api/v1/tenants");
        System.out.println("Metrics:   http://127.0.0.1:" + adminPort + "/metrics");
    }

    private static Path writeConfig(Path dir, int smtpPort, String dnsServer, int adminPort) {
        String yaml = """
                # Written by `postern demo`; use it with trace/apply/explain: --config %1$s/postern.yaml
                node: { hostname: mx.demo.postern.test, data-dir: "%1$s" }
                listeners:
                  smtp: { address: 127.0.0.1, port: %2$d }
                  admin: { address: 127.0.0.1, port: %4$d }
                store: { url: "jdbc:h2:file:%1$s/postern" }
                dns: { servers: ["%3$s"] }      # the demo's own DNS, up while the demo runs
                tenants:
                  - id: contoso
                    domains: [contoso.test, contoso-corp.test]
                    recipients: [alice@contoso.test, bob@contoso.test]
                    delivery: "maildir:%1$s/mail/contoso"
                  - id: fabrikam
                    domains: [fabrikam.test]
                    delivery: "maildir:%1$s/mail/fabrikam"
                """.formatted(dir, smtpPort, dnsServer, adminPort);
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("postern.yaml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new Postern.CliFailure("cannot write the demo configuration in " + dir + ": " + e.getMessage());
        }
    }

}
