package org.postern.auth.dkim;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Signing without DNS: key loading, field layout, and byte-for-byte reproduction of published signatures. */
class DkimSignerTest {

    static PrivateKey rfc8463Ed25519() {
        return DkimKeys.ed25519PrivateKey(Vectors.base64File(Vectors.DKIMPY.resolve("rfc8032_7_1.key")));
    }

    static PrivateKey rfc8463Rsa() {
        return DkimKeys.privateKeyFromPem(Vectors.text(Vectors.DKIMPY.resolve("test.private")));
    }

    @Test
    void rfc8463SeedGivesThePublishedPublicKey() {
        assertThat(DkimKeys.keyRecord(DkimKeys.publicKeyOf(rfc8463Ed25519())))
                .isEqualTo("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
    }

    @Test
    void rfc8463RsaPemGivesThePublishedPublicKey() {
        String published = Vectors.text(Vectors.DKIMPY.resolve("test.txt")).replaceAll(".*p=", "");
        assertThat(DkimKeys.keyRecord(DkimKeys.publicKeyOf(rfc8463Rsa()))).isEqualTo("v=DKIM1; k=rsa; p=" + published);
    }

    @Test
    void fieldCarriesTheExpectedTagsAndFoldsBelow78Columns() {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1528637909), ZoneOffset.UTC);
        String field = DkimSigner.builder("football.example.com", "brisbane", rfc8463Ed25519())
                .clock(clock).expiry(Duration.ofDays(7)).identity("joe@football.example.com").build()
                .sign(Vectors.crlf(Vectors.bytes(Vectors.DKIMPY.resolve("rfc6376.msg"))));
        assertThat(field).startsWith("DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;").endsWith("\r\n");
        String unfolded = field.replace("\r\n\t", " ");
        assertThat(unfolded).contains("d=football.example.com;", "s=brisbane;", "i=joe@football.example.com;",
                "t=1528637909;", "x=" + (1528637909 + 7 * 86400) + ";",
                "bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;");
        assertThat(unfolded).contains("h=from:from:subject:date:to:message-id;");
        for (String line : field.split("\r\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(78);
            assertThat(line).doesNotEndWith(" ").doesNotEndWith("\t");
        }
    }

    @Test
    void refusesTwoFromFields() {
        DkimSigner signer = DkimSigner.builder("example.com", "sel", rfc8463Ed25519()).build();
        byte[] message = "From: a@example.com\r\nFrom: b@example.com\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> signer.sign(message)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesSettingsThatCouldNotVerify() {
        assertThatThrownBy(() -> DkimSigner.builder("example.com", "sel", rfc8463Ed25519())
                .signedHeaders(List.of("To", "Subject"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DkimSigner.builder("example.com", "sel", rfc8463Ed25519())
                .identity("joe@example.net")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DkimSigner.builder("exa mple.com", "sel", rfc8463Ed25519()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsPkcs8PemKeysOfBothTypes() {
        PrivateKey rsa = DkimKeys.privateKeyFromPem(Vectors.text(Vectors.FIXTURES.resolve("rsa2048.key")));
        assertThat(DkimSigner.builder("dkimpy.example", "rsa2048", rsa).build().algorithm()).isEqualTo("rsa-sha256");
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(rfc8463Ed25519().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        assertThat(DkimSigner.builder("example.com", "sel", pem).build().algorithm()).isEqualTo("ed25519-sha256");
    }
}
