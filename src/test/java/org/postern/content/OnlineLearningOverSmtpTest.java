package org.postern.content;

import org.postern.testsupport.PosternCli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.TestGateway;
import org.postern.testsupport.TestSmtpClient;
import org.postern.trace.TraceRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Online learning without a restart: {@code ./postern report junk --config} rewrites the model file the running
 * gateway follows ({@code <data-dir>/model.bin} here), and the next copy of the reported message, sent over SMTP to
 * the same gateway, is scored higher — until it is junked. Then "not junk" brings it back.
 */
class OnlineLearningOverSmtpTest {

    private static final Pattern LOG_ODDS = Pattern.compile("log-odds (-?\\d+\\.\\d+)");

    @TempDir static Path dir;
    private static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = new TestGateway(dir.resolve("gw"), "mx.learn.postern.test", """
                tenants:
                  - id: learner
                    domains: [learner.test]
                    delivery: "maildir:%1$s/mail/learner"
                    anti-spam: { mode: quarantine, junk-at: 5, quarantine-at: 8 }
                """.formatted(dir));
    }

    @AfterAll
    static void stop() {
        if (gw != null) gw.close();
    }

    @Test
    void reportedJunkIsScoredHigherByTheRunningGatewayWithoutRestart() throws Exception {
        String message = TestGateway.wellFormed("newsletter@garden-club.example", """
                Subject: Our meeting on Thursday about the tomato seedlings\r
                \r
                Hello all, the garden club meets on Thursday evening at the library. Please bring your tomato\r
                seedlings and the notes from last season; we will plan the allotment rota together.\r
                """);
        Path eml = dir.resolve("reported.eml");
        Files.writeString(eml, message, StandardCharsets.ISO_8859_1);
        Path model = gw.dir.resolve("model.bin");
        assertThat(model).doesNotExist();

        Scored first = send(message);
        assertThat(first.scl()).as("starts below junk-at: " + first).isLessThan(5);

        Scored previous = first;
        int reports = 0;
        while (previous.scl() < 5 && reports < 5) {
            assertThat(report("junk", eml)).contains("learned 1 message(s) as junk").contains(model.toString());
            reports++;
            Scored next = send(message); // no restart, no reload command: the gateway follows the file
            assertThat(next.logOdds()).as("after report " + reports + ": " + next + " vs " + previous).isGreaterThan(previous.logOdds());
            previous = next;
        }
        assertThat(previous.scl()).as("junked after " + reports + " report(s): " + previous).isGreaterThanOrEqualTo(5);
        assertThat(model).isRegularFile();

        assertThat(report("not-junk", eml)).contains("as not junk");
        Scored forgiven = send(message);
        assertThat(forgiven.logOdds()).as(forgiven + " vs " + previous).isLessThan(previous.logOdds());
        assertThat(forgiven.scl()).isLessThan(5);
    }

    @Test
    void aDamagedModelFileKeepsThePreviousModelInUse() throws Exception {
        String message = TestGateway.wellFormed("friend@example.org", "Subject: lunch\r\n\r\nLunch at noon tomorrow?\r\n");
        Scored before = send(message);
        Path model = gw.dir.resolve("model.bin");
        Path junk = gw.dir.resolve("model.bin.new");
        Files.writeString(junk, "not a model");
        Files.move(junk, model, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        try {
            TestSmtpClient.Reply r = gw.send("client.example", "friend@example.org", "user@learner.test", message);
            assertThat(r.code()).as(r.toString()).isEqualTo(250);
            assertThat(logOdds(gw.traceOf(r))).as("the previous model still classifies").isEqualTo(before.logOdds());
        } finally {
            Files.delete(model); // gone: back to the bundled model for the other test
        }
    }

    private record Scored(int scl, double logOdds) { }

    private static Scored send(String message) {
        TestSmtpClient.Reply r = gw.send("client.example", "newsletter@garden-club.example", "user@learner.test", message);
        assertThat(r.code()).as(r.toString()).isEqualTo(250);
        TraceRecord t = gw.traceOf(r);
        return new Scored(t.scl().orElseThrow(), logOdds(t));
    }

    private static double logOdds(TraceRecord t) {
        String reasons = t.decisions().toString();
        Matcher m = LOG_ODDS.matcher(reasons);
        if (!m.find()) throw new AssertionError("no classifier log-odds in " + reasons);
        return Double.parseDouble(m.group(1));
    }

    /** {@code ./postern report KIND --config <the gateway's config> FILE}, in-process; its output. */
    private static String report(String kind, Path eml) {
        return PosternCli.run("report", kind, "--config", gw.configFile.toString(), eml.toString()).ok().out();
    }
}
