package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line parser on its own: RFC 5321 §4.1 syntax, ESMTP parameters, and its refusals. */
class CommandParserTest {

    private static Command parse(String line) throws SmtpSyntaxException {
        return CommandParser.parse(line.getBytes(StandardCharsets.UTF_8));
    }

    private static MailFrom mail(String line) throws SmtpSyntaxException {
        return ((Command.Mail) parse(line)).mailFrom();
    }

    private static String rcpt(String line) throws SmtpSyntaxException {
        return ((Command.Rcpt) parse(line)).rcptTo().address();
    }

    private static int refusal(String line) {
        try {
            parse(line);
        } catch (SmtpSyntaxException e) {
            return e.reply().code();
        }
        throw new AssertionError("accepted: " + line);
    }

    @Test
    void parsesMailWithSizeBodyAndSmtpUtf8() throws Exception {
        MailFrom m = mail("mail from:<Alice@Example.org> size=1234 body=8bitmime SMTPUTF8");
        assertThat(m.address()).isEqualTo("Alice@Example.org");
        assertThat(m.declaredSize()).isEqualTo(OptionalLong.of(1234));
        assertThat(m.body()).isEqualTo("8BITMIME");
        assertThat(m.smtpUtf8()).isTrue();
        assertThat(m.parameters()).containsKeys("SIZE", "BODY", "SMTPUTF8");
    }

    @Test
    void parsesTheNullSenderAndPostmaster() throws Exception {
        assertThat(mail("MAIL FROM:<>").isNullSender()).isTrue();
        assertThat(mail("MAIL FROM:<> BODY=7BIT").body()).isEqualTo("7BIT");
        assertThat(rcpt("RCPT TO:<Postmaster>")).isEqualTo("Postmaster");
        assertThat(rcpt("RCPT TO:<postmaster@example.net>")).isEqualTo("postmaster@example.net");
        assertThat(refusal("RCPT TO:<>")).isEqualTo(501);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
            "RCPT TO:<user@example.net> => user@example.net",
            "RCPT TO:<first.last+tag@sub.example.net> => first.last+tag@sub.example.net",
            "RCPT TO:<\"quoted local\"@example.net> => \"quoted local\"@example.net",
            "RCPT TO:<\"a\\\"b\"@example.net> => \"a\\\"b\"@example.net",
            "RCPT TO:<user@[192.0.2.1]> => user@[192.0.2.1]",
            "RCPT TO:<user@[IPv6:2001:db8::1]> => user@[IPv6:2001:db8::1]",
            "RCPT TO:<@a.example,@b.example:user@c.example> => user@c.example",
            "RCPT TO:<!#$%&'*+-/=?^_`{|}~@example.net> => !#$%&'*+-/=?^_`{|}~@example.net",
            "RCPT TO: <one.space@example.net> => one.space@example.net",
    })
    void acceptsValidForwardPaths(String line, String address) throws Exception {
        assertThat(rcpt(line)).isEqualTo(address);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "RCPT TO:user@example.net", "RCPT TO:<user@example.net", "RCPT TO:<user>", "RCPT TO:<.user@example.net>",
            "RCPT TO:<us..er@example.net>", "RCPT TO:<user.@example.net>", "RCPT TO:<user@-example.net>",
            "RCPT TO:<user@example-.net>", "RCPT TO:<user@example..net>", "RCPT TO:<user@example.net.>",
            "RCPT TO:<user@[300.1.1.1]>", "RCPT TO:<user@[1.2.3]>", "RCPT TO:<user@[IPv6:zz::1]>",
            "RCPT TO:<us er@example.net>", "RCPT TO:<\"open@example.net>", "RCPT TO:<@a.example:>",
            "RCPT TO:<@a.example user@example.net>", "RCPT TO:<user@exa_mple.net>", "RCPT TO:<a@b>x",
            "RCPT TO:  <two.spaces@example.net>", "RCPT <a@b>", "RCPT", "RCPT TO:",
    })
    void refusesMalformedForwardPathsWith501(String line) {
        assertThat(refusal(line)).isEqualTo(501);
    }

    @Test
    void refusesALabelLongerThanDnsAllows() throws Exception {
        assertThat(refusal("RCPT TO:<a@" + "x".repeat(64) + ".example>")).isEqualTo(501);
        assertThat(rcpt("RCPT TO:<a@" + "x".repeat(63) + ".example>")).endsWith(".example");
    }

    @Test
    void usesRfc3463CodesForAddressAndArgumentErrors() {
        assertThat(replyOf("MAIL FROM:<bad address>").enhanced()).isEqualTo("5.1.7");
        assertThat(replyOf("RCPT TO:<bad address>").enhanced()).isEqualTo("5.1.3");
        assertThat(replyOf("MAIL TO:<a@example.org>").enhanced()).isEqualTo("5.5.4");
        assertThat(replyOf("FROB").enhanced()).isEqualTo("5.5.2");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "MAIL FROM:<a@b.example> SIZE=abc|501",
            "MAIL FROM:<a@b.example> SIZE=|501",
            "MAIL FROM:<a@b.example> SIZE=1 SIZE=2|501",
            "MAIL FROM:<a@b.example> BODY=9BIT|501",
            "MAIL FROM:<a@b.example> BODY=BINARYMIME|555",
            "MAIL FROM:<a@b.example> SMTPUTF8=yes|501",
            "MAIL FROM:<a@b.example> -BAD|501",
            "MAIL FROM:<a@b.example>SIZE=1|501",
            "RCPT TO:<a@b.example> NOTIFY=NEVER|555",
            "RCPT TO:<a@b.example> ORCPT=rfc822;a@b.example|555",
    })
    void refusesBadOrUnsupportedParameters(String line, int code) {
        assertThat(refusal(line)).isEqualTo(code);
    }

    @Test
    void readsAnAbsurdSizeAsLargerThanAnyLimit() throws Exception {
        assertThat(mail("MAIL FROM:<a@b.example> SIZE=99999999999999999999").declaredSize())
                .isEqualTo(OptionalLong.of(Long.MAX_VALUE));
        assertThat(refusal("MAIL FROM:<a@b.example> SIZE=999999999999999999999")).isEqualTo(501);
    }

    @Test
    void flagsNonAsciiPathsForTheSessionToJudge() throws Exception {
        Command.Mail m = (Command.Mail) parse("MAIL FROM:<jürgen@münchen.example> SMTPUTF8");
        assertThat(m.nonAscii()).isTrue();
        assertThat(m.mailFrom().address()).isEqualTo("jürgen@münchen.example");
        assertThat(((Command.Rcpt) parse("RCPT TO:<\"ünï\"@example.net>")).nonAscii()).isTrue();
        assertThat(((Command.Rcpt) parse("RCPT TO:<a@example.net>")).nonAscii()).isFalse();
    }

    @Test
    void refusesControlCharactersAndNonAsciiOutsideAddresses() {
        assertThat(refusal("NOOP \0")).isEqualTo(500);
        assertThat(refusal("NOOP \t")).isEqualTo(500);
        assertThat(refusal("MAIL FROM:<a@b.example>\r")).isEqualTo(500);
        assertThat(refusal("EHLO hé.example")).isEqualTo(500);
        assertThatThrownBy(() -> CommandParser.parse(new byte[] {'N', 'O', 'O', 'P', ' ', (byte) 0xc3}))
                .isInstanceOf(SmtpSyntaxException.class);
    }

    @Test
    void parsesBdatSizesAndTheLastMarker() throws Exception {
        assertThat(parse("BDAT 1000")).isEqualTo(new Command.Bdat(1000, false));
        assertThat(parse("bdat 0 last")).isEqualTo(new Command.Bdat(0, true));
        assertThat(refusal("BDAT")).isEqualTo(501);
        assertThat(refusal("BDAT -1")).isEqualTo(501);
        assertThat(refusal("BDAT 5 LAST extra")).isEqualTo(501);
        assertThat(refusal("BDAT 9999999999999999999")).isEqualTo(501);
    }

    @Test
    void checksArgumentsOfTheSimpleVerbs() throws Exception {
        assertThat(parse("DATA")).isEqualTo(new Command.Simple(Verb.DATA));
        assertThat(parse("quit  ")).isEqualTo(new Command.Simple(Verb.QUIT));
        assertThat(parse("NOOP anything at all")).isEqualTo(new Command.Simple(Verb.NOOP));
        assertThat(refusal("DATA now")).isEqualTo(501);
        assertThat(refusal("RSET please")).isEqualTo(501);
        assertThat(refusal("STARTTLS x")).isEqualTo(501);
        assertThat(refusal("VRFY")).isEqualTo(501);
        assertThat(refusal("HELO")).isEqualTo(501);
        assertThat(refusal("EHLO two words")).isEqualTo(501);
        assertThat(((Command.Hello) parse("EHLO [192.0.2.1]")).helo()).isEqualTo(new HeloInfo("[192.0.2.1]", true));
        assertThat(((Command.Hello) parse("helo my_host")).helo()).isEqualTo(new HeloInfo("my_host", false));
    }

    private static Reply replyOf(String line) {
        try {
            parse(line);
        } catch (SmtpSyntaxException e) {
            return e.reply();
        }
        throw new AssertionError("accepted: " + line);
    }
}
