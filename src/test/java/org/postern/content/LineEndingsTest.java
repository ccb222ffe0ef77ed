package org.postern.content;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.content.MessageViewTest.view;

/**
 * Corpora and exported mail are files with Unix line ends; the gateway receives the same mail over SMTP with CRLF.
 * The classifier must see one message either way, or a model trained on files learns something the gateway never
 * sees (5 % of the SpamAssassin corpus, its quoted-printable mail, was counted a broken encoding when read from files).
 */
class LineEndingsTest {

    private static final String QUOTED_PRINTABLE_NEWSLETTER = """
            From: "Deals" <news@shop.example>
            To: you@example.org
            Subject: This week's offers
            Date: Mon, 3 Feb 2025 10:00:00 +0100
            Message-ID: <1@shop.example>
            MIME-Version: 1.0
            Content-Type: text/html; charset="iso-8859-1"
            Content-Transfer-Encoding: quoted-printable

            <html><body><p style=3D"font-size: 12px">Garden furniture, barbecues and pa=
            rasols at reduced prices: caf=E9 tables from =A399.</p>
            <a href=3D"http://shop.example/offers">See the offers</a></body></html>
            """;

    private static String crlf(String message) {
        return message.replace("\n", "\r\n");
    }

    @Test
    void quotedPrintableStoredWithUnixLineEndsIsNotABrokenEncoding() throws IOException {
        try (MessageView lf = view(QUOTED_PRINTABLE_NEWSLETTER); MessageView smtp = view(crlf(QUOTED_PRINTABLE_NEWSLETTER))) {
            assertThat(lf.problems()).isEmpty();
            assertThat(smtp.problems()).isEmpty();
            assertThat(lf.text()).contains("parasols").contains("café").contains("£99");
        }
    }

    @Test
    void theClassifierSeesTheSameMessageWhicheverLineEndsItWasStoredWith() throws IOException {
        try (MessageView lf = view(QUOTED_PRINTABLE_NEWSLETTER); MessageView smtp = view(crlf(QUOTED_PRINTABLE_NEWSLETTER))) {
            assertThat(FeatureExtractor.extract(lf).indexes(20)).isEqualTo(FeatureExtractor.extract(smtp).indexes(20));
            assertThat(FeatureExtractor.headerGrams(lf, Features.plain()).indexes(20))
                    .isEqualTo(FeatureExtractor.headerGrams(smtp, Features.plain()).indexes(20));
            assertThat(MessageSigns.weight(lf, SclWeights.bundled())).isEqualTo(MessageSigns.weight(smtp, SclWeights.bundled()));
            SpamClassifier bundled = SpamClassifier.bundled();
            assertThat(bundled.spamProbability(lf)).isEqualTo(bundled.spamProbability(smtp));
        }
    }

    @Test
    void aReallyBrokenQuotedPrintableStillCountsWithEitherLineEnds() throws IOException {
        try (MessageView lf = view(MalformedMail.BROKEN_QUOTED_PRINTABLE);
             MessageView smtp = view(crlf(MalformedMail.BROKEN_QUOTED_PRINTABLE))) {
            assertThat(lf.problems()).contains(ParseProblem.BROKEN_ENCODING);
            assertThat(smtp.problems()).contains(ParseProblem.BROKEN_ENCODING);
        }
    }
}
