package org.postern.edge;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class IncomingHeaderFilterTest {

    private static String filter(String message, int chunk) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IncomingHeaderFilter f = new IncomingHeaderFilter(out, "mx1.postern.test");
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i += chunk) f.write(b, i, Math.min(chunk, b.length - i));
        f.close();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void stripsForgedVerdictHeadersAndKeepsEverythingElse() throws Exception {
        String in = "Received: from a\r\n\tby b\r\n"
                + "X-Postern-SCL: -1\r\n"
                + "x-postern-report: ref=FAKE;\r\n\t verdict=deliver\r\n"
                + "Authentication-Results: MX1.postern.test; spf=pass smtp.mailfrom=ceo@contoso.test\r\n"
                + "Authentication-Results: other.example; spf=fail\r\n"
                + "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n"
                + "Message-ID: <abc@example.org>\r\n"
                + "\r\n"
                + "X-Postern-SCL: -1 in the body stays\r\n";
        String out = filter(in, 7);
        assertThat(out).doesNotContain("ref=FAKE");
        assertThat(out).doesNotContain("MX1.postern.test");
        assertThat(out).contains("Authentication-Results: other.example; spf=fail\r\n");
        assertThat(out).startsWith("Received: from a\r\n\tby b\r\n");
        assertThat(out).endsWith("\r\n\r\nX-Postern-SCL: -1 in the body stays\r\n");
        assertThat(out.split("\r\n\r\n")[0]).doesNotContainIgnoringCase("x-postern");
    }

    @Test
    void notesSubjectAndMessageIdDecoded() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IncomingHeaderFilter f = new IncomingHeaderFilter(out, "mx1.postern.test");
        f.write("Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\nMessage-ID: <abc@example.org>\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        f.close();
        assertThat(f.subject()).contains("Grüße");
        assertThat(f.messageId()).contains("<abc@example.org>");
    }

    @Test
    void bodyBytesPassUnchangedWhateverTheChunking() throws Exception {
        Random random = new Random(42);
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 2000; i++) body.append((char) ('a' + random.nextInt(26))).append(i % 77 == 0 ? "\r\n" : "");
        String in = "Subject: x\r\nX-Postern-Report: fake\r\n\r\n" + body;
        for (int chunk : new int[]{1, 3, 64, 8192}) {
            assertThat(filter(in, chunk)).isEqualTo("Subject: x\r\n\r\n" + body);
        }
    }

    @Test
    void aMessageWithoutBodyKeepsItsHeaders() throws Exception {
        assertThat(filter("Subject: only headers\r\nX-Postern-SCL: 1\r\nTo: a@b\r\n", 5)).isEqualTo("Subject: only headers\r\nTo: a@b\r\n");
    }

    @Test
    void anOversizeFieldPassesThroughWithoutBuffering() throws Exception {
        String huge = "X-Long: " + "a".repeat(200_000) + "\r\n";
        String in = huge + "X-Postern-SCL: 1\r\n\r\nbody\r\n";
        assertThat(filter(in, 4096)).isEqualTo(huge + "\r\nbody\r\n");
    }

    @Test
    void stripsOurAuthenticationResultsHoweverTheAuthservIdIsWritten() throws Exception {
        for (String forged : new String[]{
                "Authentication-Results: (relay) mx1.postern.test; spf=pass\r\n",
                "Authentication-Results: \"mx1.postern.test\"; spf=pass\r\n",
                "Authentication-Results: mx1.postern.test\r\n\t1; spf=pass\r\n",
                "Authentication-Results: mx1.postern.test(c); spf=pass\r\n",
                "Authentication-Results: mx1.post\rern.test; spf=pass\r\n",
                "Subject: hi\rX-Postern-SCL: -1\r\n"}) {
            assertThat(filter("To: a@b\r\n" + forged + "\r\nbody\r\n", 3)).as(forged).isEqualTo("To: a@b\r\n\r\nbody\r\n");
        }
    }

    @Test
    void anOversizeFieldOfOursIsDroppedNotPassed() throws Exception {
        String longValue = "X-Postern-SCL: -1; " + "a".repeat(70_000) + "\r\n";
        String manyFolds = "X-Postern-SCL: -1\r\n" + " pad\r\n".repeat(20_000);
        String longResults = "Authentication-Results: mx1.postern.test; spf=pass " + "x".repeat(70_000) + "\r\n";
        for (String forged : new String[]{longValue, manyFolds, longResults}) {
            assertThat(filter("To: a@b\r\n" + forged + "Cc: c@d\r\n\r\nbody\r\n", 4096))
                    .isEqualTo("To: a@b\r\nCc: c@d\r\n\r\nbody\r\n");
        }
    }
}
