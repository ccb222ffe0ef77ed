package org.postern.content;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.PosternCli;
import org.postern.testsupport.TestGateway;
import org.postern.testsupport.TestSmtpClient;
import org.postern.trace.TraceRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classifier reads mail over SMTP as the mail it learned from: with the Received line of the hop that took it from
 * the connecting client. A model is trained (with {@code ./postern train}) on mailbox copies whose only difference
 * between spam and ham is that receiving hop, as the recipient's server wrote it: spam came from a client greeting as
 * {@code spamcannon.example}, ham from {@code mail.friendly.example}. A message that carries no Received line of its
 * own, as a spam bot's, then sent to a gateway following that model, is judged by the client it came from: the same
 * message scores higher from the client greeting as the spam sender, and {@code explain} says the same.
 */
class ReceivingHopOverSmtpTest {

    private static final Pattern LOG_ODDS = Pattern.compile("log-odds (-?\\d+\\.\\d+)");
    private static final String[] WORDS = ("meeting agenda report quarter budget invoice garden library tomato "
            + "seedlings notes season rota weekend travel hotel booking review draft project schedule lunch "
            + "conference slides printer office update reminder").split(" ");

    @TempDir static Path dir;
    private static TestGateway gw;

    @BeforeAll
    static void trainAndStart() throws IOException {
        Path spam = Files.createDirectories(dir.resolve("corpus/spam"));
        Path ham = Files.createDirectories(dir.resolve("corpus/ham"));
        Random random = new Random(42);
        for (int i = 0; i < 80; i++) {
            Files.writeString(spam.resolve(i + ".eml"), mailboxCopy("spamcannon.example", "203.0.113." + (i % 200 + 1), random, i), StandardCharsets.US_ASCII);
            Files.writeString(ham.resolve(i + ".eml"), mailboxCopy("mail.friendly.example", "198.51.100." + (i % 200 + 1), random, i), StandardCharsets.US_ASCII);
        }
        gw = new TestGateway(dir.resolve("gw"), "mx.hop.postern.test", """
                tenants:
                  - id: hops
                    domains: [hops.test]
                    delivery: "maildir:%1$s/mail/hops"
                    anti-spam: { mode: quarantine, junk-at: 5, quarantine-at: 8 }
                """.formatted(dir));
        // The gateway follows <data-dir>/model.bin once it exists (LiveClassifier).
        PosternCli.run("train", "--model", gw.dir.resolve("model.bin").toString(),
                "--spam", spam.toString(), "--ham", ham.toString()).ok();
    }

    @AfterAll
    static void stop() {
        if (gw != null) gw.close();
    }

    /** A message as a mailbox keeps it: the receiving server's Received line on top, then what the sender wrote. */
    private static String mailboxCopy(String helo, String ip, Random random, int n) {
        StringBuilder body = new StringBuilder();
        for (int w = 0; w < 40; w++) body.append(WORDS[random.nextInt(WORDS.length)]).append(w % 10 == 9 ? "\r\n" : " ");
        return "Received: from " + helo + " (unknown [" + ip + "])\r\n\tby mx.isp.example (Postfix) with ESMTP id 4F"
                + (1000 + n) + "\r\n\tfor <user@isp.example>; Mon, 2 Nov 2026 10:" + (10 + n % 50) + ":00 +0000\r\n"
                + "From: Someone <someone" + n + "@sender.example>\r\nTo: user@isp.example\r\n"
                + "Subject: " + WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)] + "\r\n"
                + "Date: Mon, 2 Nov 2026 10:00:00 +0000\r\nMessage-ID: <" + n + "." + helo + "@sender.example>\r\n\r\n" + body;
    }

    @Test
    void theClientsHopCountsAsInTheMailTheModelLearnedFrom() throws Exception {
        String message = TestGateway.wellFormed("someone@sender.example", """
                Subject: budget review\r
                \r
                meeting agenda report quarter budget invoice garden library tomato seedlings notes season rota\r
                weekend travel hotel booking review draft project schedule lunch conference slides printer\r
                """);
        assertThat(message).doesNotContain("Received:");
        double fromSpamSender = logOdds(send("spamcannon.example", message));
        double fromHamSender = logOdds(send("mail.friendly.example", message));
        assertThat(fromSpamSender - fromHamSender)
                .as("the same message from the client the model knows as a spam sender (%.2f) and as a ham sender (%.2f)",
                        fromSpamSender, fromHamSender)
                .isGreaterThan(2.0);

        Path eml = dir.resolve("message.eml");
        Files.writeString(eml, message, StandardCharsets.US_ASCII);
        String explained = PosternCli.run("explain", "--config", gw.configFile.toString(), "--ip", "127.0.0.1",
                "--helo", "spamcannon.example", "--from", "someone@sender.example", "--to", "user@hops.test",
                "--message", eml.toString()).ok().out();
        Matcher m = LOG_ODDS.matcher(explained);
        assertThat(m.find()).as(explained).isTrue();
        assertThat(Double.parseDouble(m.group(1))).as("explain reads the message as the edge does").isEqualTo(fromSpamSender);
    }

    private static TraceRecord send(String helo, String message) {
        TestSmtpClient.Reply r = gw.send(helo, "someone@sender.example", "user@hops.test", message);
        assertThat(r.code()).as(r.toString()).isEqualTo(250);
        return gw.traceOf(r);
    }

    private static double logOdds(TraceRecord t) {
        List<?> decisions = t.decisions();
        Matcher m = LOG_ODDS.matcher(decisions.toString());
        if (!m.find()) throw new AssertionError("no classifier log-odds in " + decisions);
        return Double.parseDouble(m.group(1));
    }
}
