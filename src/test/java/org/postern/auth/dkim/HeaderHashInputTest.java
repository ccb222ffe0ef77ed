package org.postern.auth.dkim;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderHashInputTest {

    private static String strip(String field) {
        return new String(HeaderHashInput.withoutSignatureValue(field.getBytes(StandardCharsets.ISO_8859_1)),
                StandardCharsets.ISO_8859_1);
    }

    @Test
    void deletesTheSignatureValueWithItsFoldingButKeepsBodyHash() {
        assertThat(strip("DKIM-Signature: v=1; bh=AAAA; b=\r\n\tsEM2P\r\n\tfv1N=")).isEqualTo("DKIM-Signature: v=1; bh=AAAA; b=");
        assertThat(strip("DKIM-Signature: b=xyz; bh=AAAA")).isEqualTo("DKIM-Signature: b=; bh=AAAA");
        assertThat(strip("DKIM-Signature: bh=AAAA;b = xyz ;d=x")).isEqualTo("DKIM-Signature: bh=AAAA;b = ;d=x");
    }

    @Test
    void upperCaseBIsAnotherTag() {
        assertThat(strip("DKIM-Signature: B=keep; b=drop")).isEqualTo("DKIM-Signature: B=keep; b=");
    }

    @Test
    void oversignedNamesContributeNothingAndInstancesAreTakenFromTheBottom() {
        HeaderSection headers = HeaderSection.parse(
                "Received: one\r\nFrom: a@x\r\nReceived: two\r\nSubject: s\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII));
        List<Optional<HeaderField>> picked = headers.select(List.of("received", "RECEIVED", "received", "from"));
        assertThat(picked.get(0)).map(HeaderField::toString).contains("Received: two");
        assertThat(picked.get(1)).map(HeaderField::toString).contains("Received: one");
        assertThat(picked.get(2)).isEmpty();
        assertThat(picked.get(3)).map(HeaderField::toString).contains("From: a@x");

        byte[] input = HeaderHashInput.of(picked, "DKIM-Signature: h=received:received:received:from; b=zz"
                .getBytes(StandardCharsets.US_ASCII), Canonicalization.RELAXED);
        assertThat(new String(input, StandardCharsets.US_ASCII)).isEqualTo(
                "received:two\r\nreceived:one\r\nfrom:a@x\r\ndkim-signature:h=received:received:received:from; b=");
    }

    @Test
    void headerSectionAcceptsBareLfAndEndsAtTheFirstEmptyLine() {
        HeaderSection h = HeaderSection.parse("A: 1\n folded\nB: 2\n\nC: body\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(h.fields()).extracting(HeaderField::toString).containsExactly("A: 1\r\n folded", "B: 2");
    }
}
