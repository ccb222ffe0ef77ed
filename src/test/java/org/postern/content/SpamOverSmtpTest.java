package org.postern.content;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.TestGateway;
import org.postern.testsupport.TestSmtpClient;
import org.postern.trace.TraceRecord;
import org.postern.trace.TraceStatus;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The content filter at the end of DATA over real SMTP, with held-out corpus mail the bundled model never saw:
 * a reject-mode tenant refuses spam in the session with the SCL and a reference (nothing stored), a quarantine-mode
 * tenant junks or quarantines it, and ham arrives with its SCL. Bounds are the measured accuracy with margin.
 */
class SpamOverSmtpTest {

    private static final int EACH = 25;

    @TempDir static Path dir;
    private static TestGateway gw;
    private static final List<String> spam = new ArrayList<>();
    private static final List<String> ham = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path corpus = Corpus.require();
        take(corpus.resolve("spam_2.tar.gz"), spam);
        take(corpus.resolve("easy_ham.tar.gz"), ham);
        gw = new TestGateway(dir.resolve("gw"), "mx.spam.postern.test", """
                tenants:
                  - id: strict
                    domains: [strict.test]
                    delivery: "maildir:%1$s/mail/strict"
                    anti-spam: { mode: reject, reject-at: 7 }
                  - id: relaxed
                    domains: [relaxed.test]
                    delivery: "maildir:%1$s/mail/relaxed"
                    anti-spam: { mode: quarantine, junk-at: 5, quarantine-at: 7 }
                """.formatted(dir));
    }

    @AfterAll
    static void stop() {
        if (gw != null) gw.close();
    }

    @Test
    void rejectModeRefusesSpamInSessionWithItsScl() {
        int refused = 0;
        for (String m : spam) {
            TestSmtpClient.Reply r = gw.send("client.example", "sender@example.org", "user@strict.test", m);
            if (r.code() == 550) {
                assertThat(r.enhancedCode()).isEqualTo("5.7.1");
                assertThat(r.text()).containsPattern("refused as spam \\(SCL [789] at or over reject-at 7\\) \\[ref=");
                assertThat(gw.traceOf(r).status()).isEqualTo(TraceStatus.Rejected);
                refused++;
            } else {
                assertThat(r.code()).as(r.toString()).isEqualTo(250);
            }
        }
        assertThat(refused).as("spam refused of " + spam.size()).isGreaterThanOrEqualTo(spam.size() * 3 / 5);
    }

    @Test
    void quarantineModeJunksOrQuarantinesSpamAndDeliversHamWithItsScl() {
        int caught = 0;
        for (String m : spam) {
            TestSmtpClient.Reply r = gw.send("client.example", "sender@example.org", "user@relaxed.test", m);
            assertThat(r.code()).isEqualTo(250);
            TraceRecord t = gw.traceOf(r);
            if (t.scl().orElseThrow() >= 5) {
                assertThat(t.decisions()).anySatisfy(d -> assertThat(d.reason()).matches("disposition\\.(junk|quarantine): SCL .*"));
                assertThat(t.status()).isEqualTo(t.scl().orElseThrow() >= 7 ? TraceStatus.Quarantined : TraceStatus.Junk);
                caught++;
            }
        }
        assertThat(caught).as("spam junked or quarantined of " + spam.size()).isGreaterThanOrEqualTo(spam.size() * 4 / 5);
        int clean = 0;
        for (String m : ham) {
            TestSmtpClient.Reply r = gw.send("client.example", "sender@example.org", "user@relaxed.test", m);
            assertThat(r.code()).isEqualTo(250);
            if (gw.traceOf(r).scl().orElseThrow() < 5) clean++;
        }
        assertThat(clean).as("ham below junk-at of " + ham.size()).isGreaterThanOrEqualTo(ham.size() - 1);
    }

    /** The first held-out messages of an archive, with CRLF line ends as SMTP carries them. */
    private static void take(Path archive, List<String> into) throws Exception {
        MailInputs.forEach(archive, (name, in) -> {
            String entry = name.substring(archive.toString().length() + 1);
            if (into.size() >= EACH || !Corpus.heldOut(entry)) return;
            String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            if (text.startsWith("From ")) text = text.substring(text.indexOf('\n') + 1); // mbox envelope line
            into.add(text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n"));
        });
    }


}
