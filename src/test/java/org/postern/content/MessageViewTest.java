package org.postern.content;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class MessageViewTest {

    static MessageView view(String message) throws IOException {
        return view(message.getBytes(StandardCharsets.ISO_8859_1));
    }

    static MessageView view(byte[] message) throws IOException {
        try (InputStream in = new ByteArrayInputStream(message)) {
            return MessageView.parse(in, ViewLimits.defaults());
        }
    }

    @Test
    void aFieldPutOnTopIsReadAsTheParserReadsOneAndLeavesTheMessageAlone() throws IOException {
        MessageView v = view("Received: from relay.example.test ([192.0.2.1]) by mx.example.test\r\n"
                + "From: a@example.test\r\nSubject: hi\r\n\r\nHello\r\n");
        MessageView delivered = v.withFieldOnTop("Received: from bot.example (unknown [203.0.113.9])\r\n\tby gw.example (Postern) with SMTP");
        assertThat(delivered.headers()).extracting(MessageHeader::name).containsExactly("Received", "Received", "From", "Subject");
        assertThat(delivered.headers().get(0).raw()).isEqualTo("from bot.example (unknown [203.0.113.9])\tby gw.example (Postern) with SMTP");
        assertThat(delivered.headerValues("Received")).hasSize(2).last().asString().startsWith("from relay.example.test");
        assertThat(delivered.text()).isEqualTo(v.text());
        assertThat(v.headers()).hasSize(3);
        // The same message folded by a parser (a folding line break goes, the white space stays) reads alike.
        MessageView parsed = view("Received: from bot.example (unknown [203.0.113.9])\r\n\tby gw.example (Postern) with SMTP\r\n"
                + "Received: from relay.example.test ([192.0.2.1]) by mx.example.test\r\n"
                + "From: a@example.test\r\nSubject: hi\r\n\r\nHello\r\n");
        assertThat(delivered.headers()).isEqualTo(parsed.headers());
    }

    @Test
    void decodesEncodedWordHeadersAndSkipsTheMboxEnvelopeLine() throws IOException {
        MessageView v = view("""
                From someone@example.test  Thu Aug 22 12:36:23 2002
                From: =?UTF-8?B?SsO8cmdlbiBNw7xsbGVy?= <juergen@example.test>
                Subject: =?ISO-8859-1?Q?Gr=FC=DFe_aus_K=F6ln?=
                Date: Thu, 22 Aug 2002 12:36:23 +0200

                Hallo
                """);
        assertThat(v.subject()).isEqualTo("Grüße aus Köln");
        assertThat(v.from()).hasValueSatisfying(m -> {
            assertThat(m.displayName()).isEqualTo("Jürgen Müller");
            assertThat(m.domain()).hasValue("example.test");
        });
        assertThat(v.headers()).extracting(MessageHeader::name).containsExactly("From", "Subject", "Date");
        assertThat(v.text()).isEqualTo("Hallo\n");
        assertThat(v.problems()).isEmpty();
    }

    @Test
    void decodesQuotedPrintableAndBase64InTheirCharsets() throws IOException {
        String koi8 = Base64.getEncoder().encodeToString("Привет, мир".getBytes("KOI8-R"));
        MessageView v = view("""
                From: a@example.test
                Subject: charsets
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="b1"

                --b1
                Content-Type: text/plain; charset=iso-8859-1
                Content-Transfer-Encoding: quoted-printable

                Caf=E9 cr=E8me =
                br=FBl=E9e
                --b1
                Content-Type: text/plain; charset="koi8-r"
                Content-Transfer-Encoding: base64

                %s
                --b1
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: 8bit

                """.formatted(koi8) + "Gr\u00c3\u00bc\u00c3\u009fe\n--b1--\n");
        assertThat(v.textParts()).extracting(TextPart::text)
                .containsExactly("Café crème brûlée", "Привет, мир", "Grüße");
        assertThat(v.problems()).isEmpty();
    }

    @Test
    void readsUndeclaredEightBitTextAsUtf8OrWindows1252() throws IOException {
        byte[] utf8 = "From: a@example.test\n\nnaïve café\n".getBytes(StandardCharsets.UTF_8);
        byte[] latin = "From: a@example.test\n\nna\u00efve caf\u00e9 \u20ac\n".getBytes("windows-1252");
        assertThat(view(utf8).text()).isEqualTo("naïve café\n");
        assertThat(view(latin).text()).isEqualTo("naïve café €\n");
    }

    /** As SpamAssassin (MISSING_HB_SEP) and mail clients read it; mime4j's default dropped every line to the first blank one. */
    @Test
    void aHeaderRunningIntoTheBodyWithoutABlankLineEndsAtTheFirstLineThatIsNoField() throws IOException {
        MessageView v = view("""
                From: a@example.test
                Subject: cheap meds online
                get your pills now at low prices
                visit http://pills.example/buy today

                second paragraph
                """);
        assertThat(v.subject()).isEqualTo("cheap meds online");
        assertThat(v.headers()).extracting(MessageHeader::name).containsExactly("From", "Subject");
        assertThat(v.text()).startsWith("get your pills now at low prices\n").contains("second paragraph");
        assertThat(v.linkHosts()).contains("pills.example");
        assertThat(v.problems()).contains(ParseProblem.MALFORMED_HEADER);
    }

    @Test
    void unknownCharsetIsAProblemAndStillGivesText() throws IOException {
        MessageView v = view("""
                From: a@example.test
                Content-Type: text/plain; charset=x-no-such-charset

                plain words
                """);
        assertThat(v.text()).isEqualTo("plain words\n");
        assertThat(v.problems()).contains(ParseProblem.UNKNOWN_CHARSET);
    }

    @Test
    void walksNestedMultipartsAndForwardedMessages() throws IOException {
        MessageView v = view("""
                From: a@example.test
                Subject: outer
                Content-Type: multipart/mixed; boundary=outer

                --outer
                Content-Type: multipart/alternative; boundary=inner

                --inner
                Content-Type: text/plain

                plain version
                --inner
                Content-Type: text/html

                <html><head><title>t</title><style>p{}</style></head><body><p>html <b>version</b></p></body></html>
                --inner--
                --outer
                Content-Type: message/rfc822

                From: b@example.test
                Subject: inner

                forwarded body
                --outer
                Content-Type: application/pdf; name="report.pdf"
                Content-Disposition: attachment; filename="report.pdf"
                Content-Transfer-Encoding: base64

                JVBERi0xLjQK
                --outer--
                """);
        assertThat(v.subject()).isEqualTo("outer");
        assertThat(v.headerValues("Subject")).containsExactly("outer");
        assertThat(v.textParts()).extracting(TextPart::text)
                .containsExactly("plain version", "html version", "forwarded body");
        assertThat(v.parts()).extracting(MimePart::mimeType).containsExactly(
                "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/plain", "application/pdf");
        assertThat(v.parts()).extracting(MimePart::depth).containsExactly(0, 1, 2, 2, 2, 1);
        assertThat(v.attachments()).singleElement().satisfies(a -> {
            assertThat(a.filename()).hasValue("report.pdf");
            assertThat(a.extension()).hasValue("pdf");
            assertThat(a.declaredType()).isEqualTo("application/pdf");
            assertThat(a.size()).isEqualTo(9);
            assertThat(new String(a.firstBytes(), StandardCharsets.US_ASCII)).isEqualTo("%PDF-1.4\n");
            assertThat(a.sha256()).hasSize(64);
            assertThat(a.spilledToFile()).isFalse();
            try (InputStream in = a.open()) {
                assertThat(in.readAllBytes()).hasSize(9);
            }
        });
    }

    @Test
    void findsLinksAndTheirPhishingSigns() throws IOException {
        MessageView v = view("""
                From: a@example.test
                Content-Type: text/html

                <a href="http://paypal.com.secure-login.example.ru/x">https://www.paypal.com/signin</a>
                <a href="https://www.paypal.com/">paypal.com</a>
                <a href="http://198.51.100.7/login">Click here</a>
                <a href="http://3325256711/a">Decimal</a>
                <a href="https://bit.ly/3abc">short</a>
                <a href="http://xn--pypal-4ve.com/">p&#1072;ypal</a>
                <a href="http://www.bank.example@evil.example/">bank</a>
                <a href="mailto:x@example.test">mail me</a>
                <form action="https://collect.example.net/post"></form>
                <img src="https://track.example.org/p.gif">
                """);
        assertThat(v.links()).extracting(l -> l.host().orElseThrow()).containsExactly(
                "paypal.com.secure-login.example.ru", "www.paypal.com", "198.51.100.7", "3325256711", "bit.ly",
                "xn--pypal-4ve.com", "evil.example", "collect.example.net", "track.example.org");
        assertThat(v.links().get(0).mismatch()).isTrue();
        assertThat(v.links().get(0).shownHost()).hasValue("www.paypal.com");
        assertThat(v.links().get(1).mismatch()).as("same organisation").isFalse();
        assertThat(v.links().get(2).ipLiteral()).isTrue();
        assertThat(v.links().get(2).mismatch()).as("no host shown").isFalse();
        assertThat(v.links().get(3).ipLiteral()).isTrue();
        assertThat(v.links().get(4).shortener()).isTrue();
        assertThat(v.links().get(5).punycode()).isTrue();
        assertThat(v.links().get(6).userInfo()).isTrue();
        assertThat(v.links().get(7).source()).isEqualTo(Link.Source.HTML_FORM);
        assertThat(v.links().get(8).source()).isEqualTo(Link.Source.HTML_IMAGE);
    }

    /** As a browser reads an href (WHATWG URL): line breaks inside are dropped, a space left in the host breaks it. */
    @Test
    void anHrefSplitByLineWrappingIsReadAsABrowserReadsIt() throws IOException {
        MessageView v = view("From: a@example.test\nContent-Type: text/html\n\n"
                + "<a href='http://www.berkshire\neagle.example/Stories/1.html'>Local</a>\n"
                + "<a href='http://www.berkshire\n e!\nagle.example/Stories/2.html'>Sports</a>\n");
        assertThat(v.links()).extracting(l -> l.host().orElseThrow()).containsExactly("www.berkshireeagle.example");
        assertThat(v.links().get(0).url()).isEqualTo("http://www.berkshireeagle.example/Stories/1.html");
    }

    @Test
    void findsLinksInPlainTextIncludingUnicodeHosts() throws IOException {
        MessageView v = view(("From: a@example.test\nContent-Type: text/plain; charset=utf-8\n\n"
                + "See http://www.example.com/a?b=c, or www.example.org. Or http://bücher.example/ now.\n")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(v.links()).extracting(Link::url)
                .containsExactly("http://www.example.com/a?b=c", "www.example.org", "http://bücher.example/");
        assertThat(v.links().get(2).host()).hasValue("xn--bcher-kva.example");
        assertThat(v.links().get(2).punycode()).isTrue();
        assertThat(v.linkHosts()).containsExactly("www.example.com", "www.example.org", "xn--bcher-kva.example");
    }
}
