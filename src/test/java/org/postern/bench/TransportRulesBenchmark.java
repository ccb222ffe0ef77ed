package org.postern.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.postern.config.ConfigLoader;
import org.postern.rules.RuleOutcome;
import org.postern.rules.RuleSet;
import org.postern.rules.RuleSubject;
import org.postern.rules.RuleSubject.AuthResults;
import org.postern.rules.RuleSubject.Direction;
import org.postern.rules.TransportRules;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Transport rules per message at the end of DATA: a tenant with 100 rules of mixed, realistic conditions (trusted
 * senders, executive protection, IP ranges, subject words and patterns, mailer headers, attachments, body words,
 * size and SCL, connectors), evaluated for a typical newsletter and for a suspicious message that gets past the
 * literal prefilters of the subject patterns. The baseline is the same message against a single rule, so the ratio
 * is the cost of the other 99. Target: 100 rules in at most 50 µs. Run with {@code bench/rules/run.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TransportRulesBenchmark {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    private RuleSet hundred;
    private RuleSet one;
    private RuleSubject newsletter;
    private RuleSubject suspicious;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        hundred = compile(hundredRules());
        one = compile("- { name: trust-payroll, priority: 1, when: { sender-domain-is: [payroll.test] }, then: { set-scl: -1 } }\n");
        if (hundred.size() != 100) throw new IllegalStateException("setup broken: " + hundred.size() + " rules");
        newsletter = message("Your weekly deals: 20% off garden furniture", "newsletter@shop.example.com", "198.51.100.23",
                "Dear customer, this week only: garden furniture, barbecues and parasols at reduced prices. ");
        suspicious = message("=?UTF-8?Q?URGENT:_wire_transfer_request_-_invoice_483920?=", "ceo.office@contoso-mail.example",
                "203.0.113.77", "Please process the wire transfer to the account below before noon. Reply to confirm. ");
        RuleOutcome warm = hundred.evaluate(suspicious, NOW);
        if (warm.hits().isEmpty()) throw new IllegalStateException("setup broken: the suspicious message matched no rule");
        if (!hundred.evaluate(newsletter, NOW).hits().isEmpty()) throw new IllegalStateException("setup broken: newsletter matched");
    }

    @Benchmark
    public RuleOutcome hundredRulesNewsletter() {
        return hundred.evaluate(newsletter, NOW);
    }

    @Benchmark
    public RuleOutcome hundredRulesSuspicious() {
        return hundred.evaluate(suspicious, NOW);
    }

    /** Baseline: one envelope rule, same message. */
    @Benchmark
    public RuleOutcome oneRuleBaseline() {
        return one.evaluate(newsletter, NOW);
    }

    private static RuleSet compile(String yaml) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        ConfigLoader.yamlMapper().readTree(yaml).forEach(nodes::add);
        return TransportRules.compile(nodes);
    }

    private static RuleSubject message(String subject, String sender, String ip, String paragraph) throws Exception {
        String body = paragraph.repeat(20); // ~2 KB of text
        return RuleSubject.builder(Direction.INBOUND)
                .sender(sender).recipient("alice@contoso.test").recipient("bob@contoso.test")
                .senderIp(InetAddress.getByName(ip))
                .subject(subject)
                .header("From", "Sender <" + sender + ">").header("To", "alice@contoso.test, bob@contoso.test")
                .header("Subject", subject).header("Date", "Sat, 28 Nov 2026 10:00:00 +0000")
                .header("Message-ID", "<a1b2c3@example.com>").header("MIME-Version", "1.0")
                .header("Content-Type", "multipart/mixed; boundary=\"b1\"")
                .header("List-Id", "Weekly deals <deals.shop.example.com>").header("X-Mailer", "ShopMailer 4.2")
                .header("Received", "from mail.example.com (mail.example.com [198.51.100.23]) by mx1.postern.test")
                .header("Received", "from internal (10.0.0.1) by mail.example.com")
                .body(() -> body)
                .attachment("catalogue.pdf", "application/pdf")
                .size(48_213).scl(3)
                .auth(new AuthResults("pass", "pass", "pass"))
                .build();
    }

    /** 100 rules as a tenant admin would write them; few match a given message, as in real rule sets. */
    static String hundredRules() {
        StringBuilder y = new StringBuilder();
        int p = 0;
        for (int i = 0; i < 15; i++) { // trusted senders, authenticated
            y.append(rule("trust-vendor-" + i, ++p, "{ sender-domain-is: [vendor" + i + ".test, billing.vendor" + i + ".test], auth-result: { dmarc: pass } }",
                    "{ subject-contains: [\"[external]\"] }", "{ set-scl: -1 }"));
        }
        for (int i = 0; i < 10; i++) { // executive protection
            y.append(rule("exec-" + i, ++p, "{ recipient-is: [exec" + i + "@contoso.test], direction: inbound }",
                    "{ sender-domain-is: [contoso.test] }", "{ add-header: { X-Exec-Protection: \"on\" }, prepend-subject: \"[EXEC] \" }"));
        }
        for (int i = 0; i < 10; i++) { // known bad ranges
            y.append(rule("bad-range-" + i, ++p, "{ sender-ip-in: [\"192.0." + (i + 2) + ".0/24\", \"2001:db8:" + i + "::/48\"] }",
                    null, "{ set-scl: 7 }"));
        }
        String[][] words = {{"gift card", "itunes card"}, {"lottery", "you have won"}, {"crypto", "bitcoin"}, {"password expires", "verify your account"},
                {"overdue invoice", "final notice"}, {"inheritance", "beneficiary"}, {"loan approved", "low interest"}, {"pharmacy", "pills"},
                {"work from home", "earn money"}, {"delivery failed", "parcel on hold"}, {"tax refund", "hmrc"}, {"dating", "singles"},
                {"casino", "free spins"}, {"seo services", "rank first"}, {"shipping notice", "dhl express"}};
        for (int i = 0; i < words.length; i++) { // subject words
            y.append(rule("subject-words-" + i, ++p, "{ subject-contains: [\"" + words[i][0] + "\", \"" + words[i][1] + "\"] }",
                    "{ sender-domain-is: [contoso.test] }", "{ set-scl: 6 }"));
        }
        String[] patterns = {"wire\\\\s+transfer", "(?:urgent|immediate)\\\\s+payment", "invoice\\\\s*#?\\\\d{6,}", "\\\\bIBAN\\\\b.{0,20}\\\\d{10}",
                "bitcoin\\\\s+wallet", "[A-Z]{4}-\\\\d{6}-[A-Z]{2}", "account\\\\s+(?:suspended|locked)", "^re:\\\\s*re:\\\\s*re:",
                "\\\\$\\\\d{1,3}(,\\\\d{3})+", "(?:ceo|cfo)\\\\s+request"};
        for (int i = 0; i < patterns.length; i++) { // subject patterns
            y.append(rule("subject-pattern-" + i, ++p, "{ subject-matches: \"" + patterns[i] + "\", direction: inbound }",
                    "{ sender-domain-is: [contoso.test] }", i == 0 ? "{ set-scl: 8, prepend-subject: \"[FRAUD?] \" }" : "{ set-scl: 6 }"));
        }
        String[] mailers = {"MassMailer", "BulkSender", "PHPMailer 5", "Sendblaster", "GroupMail"};
        for (int i = 0; i < 10; i++) { // mailer and list headers
            String when = i < 5 ? "{ header-contains: { X-Mailer: [\"" + mailers[i] + "\"] } }"
                    : "{ header-contains: { List-Id: [\"promo" + i + ".example.net\"] } }";
            y.append(rule("header-" + i, ++p, when, null, "{ add-header: { X-Bulk: \"yes\" } }"));
        }
        for (int i = 0; i < 5; i++) { // header patterns
            y.append(rule("header-pattern-" + i, ++p, "{ header-matches: { Reply-To: \"@(?:mail|inbox)" + i + "\\\\.example\\\\.ru$\" } }",
                    null, "{ set-scl: 7 }"));
        }
        String[] types = {"exe", "scr", "js", "vbs", "iso", "lnk", "hta", "msi"};
        for (int i = 0; i < 10; i++) { // attachments
            String when = i < 8 ? "{ attachment-type-is: [" + types[i] + "] }"
                    : "{ attachment-name-matches: [\"\\\\.(docm|xlsm|pptm)$\", \"invoice.*\\\\.zip$\"] }";
            y.append(rule("attachment-" + i, ++p, when, null, "{ quarantine: true }"));
        }
        String[] bodyWords = {"western union", "moneygram", "send the code", "gift cards", "confidential acquisition"};
        for (int i = 0; i < 5; i++) { // body words, scoped to inbound as admins do
            y.append(rule("body-" + i, ++p, "{ body-contains: [\"" + bodyWords[i] + "\"], direction: inbound }",
                    "{ sender-domain-is: [contoso.test] }", "{ set-scl: 7 }"));
        }
        for (int i = 0; i < 5; i++) { // size and SCL
            String when = i < 2 ? "{ size-over: " + (20 + i * 10) + "MB }" : "{ scl-at-least: " + (5 + i) + " }";
            y.append(rule("size-scl-" + i, ++p, when, null, i < 2 ? "{ reject: \"Message too large for this mailbox\" }" : "{ quarantine: true }"));
        }
        for (int i = 0; i < 5; i++) { // connectors and outbound
            String when = i < 3 ? "{ connector-is: [partner-" + i + "] }" : "{ direction: outbound, recipient-domain-is: [competitor" + i + ".test] }";
            y.append(rule("flow-" + i, ++p, when, null, i < 3 ? "{ set-scl: -1 }" : "{ add-recipient: compliance@contoso.test }"));
        }
        return y.toString();
    }

    private static String rule(String name, int priority, String when, String except, String then) {
        return "- { name: " + name + ", priority: " + priority + ", when: " + when
                + (except == null ? "" : ", except: " + except) + ", then: " + then + " }\n";
    }
}
