package org.postern.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DeliveryTargetTest {

    @Test
    void parsesSmtpWithHostAndPort() {
        assertThat(DeliveryTarget.parse("smtp://127.0.0.1:2626")).isEqualTo(new DeliveryTarget.Smtp("127.0.0.1", 2626));
        assertThat(DeliveryTarget.parse("SMTP://mail.contoso.test:25/")).isEqualTo(new DeliveryTarget.Smtp("mail.contoso.test", 25));
    }

    @Test
    void defaultsToPort25ForSmtpAnd24ForLmtp() {
        assertThat(DeliveryTarget.parse("smtp://mail.contoso.test")).isEqualTo(new DeliveryTarget.Smtp("mail.contoso.test", 25));
        assertThat(DeliveryTarget.parse("lmtp://dovecot.contoso.test")).isEqualTo(new DeliveryTarget.Lmtp("dovecot.contoso.test", 24));
    }

    @Test
    void parsesLmtpAndBracketedIpv6() {
        assertThat(DeliveryTarget.parse("lmtp://127.0.0.1:24")).isEqualTo(new DeliveryTarget.Lmtp("127.0.0.1", 24));
        DeliveryTarget v6 = DeliveryTarget.parse("smtp://[::1]:2525");
        assertThat(v6).isEqualTo(new DeliveryTarget.Smtp("::1", 2525));
        assertThat(v6).hasToString("smtp://[::1]:2525");
    }

    @Test
    void keepsMaildirPathAsWrittenRelativeOrAbsolute() {
        assertThat(DeliveryTarget.parse("maildir:./data/mail/contoso")).isEqualTo(new DeliveryTarget.Maildir(Path.of("./data/mail/contoso")));
        assertThat(DeliveryTarget.parse("maildir:/var/mail/contoso")).isEqualTo(new DeliveryTarget.Maildir(Path.of("/var/mail/contoso")));
    }

    @Test
    void refusesUnknownSchemesAndMalformedTargetsNamingTheProblem() {
        assertThatThrownBy(() -> DeliveryTarget.parse("http://x:80")).hasMessageContaining("unknown delivery target");
        assertThatThrownBy(() -> DeliveryTarget.parse("smtp://host:99999")).hasMessageContaining("port out of range");
        assertThatThrownBy(() -> DeliveryTarget.parse("smtp://host:abc")).hasMessageContaining("port is not a number");
        assertThatThrownBy(() -> DeliveryTarget.parse("smtp://user@host:25")).hasMessageContaining("not a host name");
        assertThatThrownBy(() -> DeliveryTarget.parse("smtp://:25")).hasMessageContaining("no host");
        assertThatThrownBy(() -> DeliveryTarget.parse("smtp://[::1")).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> DeliveryTarget.parse("maildir:")).hasMessageContaining("needs a path");
        assertThatThrownBy(() -> DeliveryTarget.parse(" ")).hasMessageContaining("empty");
    }
}
