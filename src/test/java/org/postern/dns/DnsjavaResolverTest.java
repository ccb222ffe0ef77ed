package org.postern.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postern.dns.DnsResolver.Absence;
import org.postern.dns.DnsResolver.Answer;
import org.postern.dns.InProcessDnsServer;
import org.xbill.DNS.Type;

/** The resolver against an in-process server speaking the wire protocol. */
class DnsjavaResolverTest {

    private final InProcessDnsServer server = InProcessDnsServer.start();
    private final DnsjavaResolver resolver = new DnsjavaResolver(List.of(server.address()), Duration.ofMillis(300));

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void keepsNxdomainNodataAndTemporaryFailureApart() {
        server.addA("host.example.com", "192.0.2.1").timeout("slow.example.com").servfail("broken.example.com");
        assertThat(resolver.a("host.example.com")).isEqualTo(new Answer.Found<>(List.of(InetAddresses.forString("192.0.2.1"))));
        assertThat(resolver.txt("host.example.com")).isEqualTo(new Answer.NotFound<String>(Absence.NO_DATA));
        assertThat(resolver.txt("nowhere.example.com")).isEqualTo(new Answer.NotFound<String>(Absence.NO_SUCH_NAME));
        assertThat(resolver.txt("example.com")).isEqualTo(new Answer.NotFound<String>(Absence.NO_DATA)); // empty non-terminal
        assertThat(resolver.txt("slow.example.com")).isInstanceOf(Answer.TempFail.class);
        assertThat(resolver.a("broken.example.com")).isInstanceOf(Answer.TempFail.class);
        assertThat(resolver.txt("bad..name")).isEqualTo(new Answer.NotFound<String>(Absence.NO_SUCH_NAME));
    }

    @Test
    void joinsTxtStringsByteForByteWithoutEscaping() {
        server.addTxt("example.com", "v=spf1 ", "a:\"quoted\\\" -all");
        server.addTxtBytes("bytes.example.com", List.of(new byte[] {'a', (byte) 0x96}));
        assertThat(resolver.txt("example.com")).isEqualTo(new Answer.Found<>(List.of("v=spf1 a:\"quoted\\\" -all")));
        assertThat(((Answer.Found<String>) resolver.txt("bytes.example.com")).values().get(0)).isEqualTo("a\uFFFD");
    }

    @Test
    void readsMxPtrAndAaaa() {
        server.addMx("example.com", 20, "b.example.com").addMx("example.com", 10, "a.example.com").addMx("null.example.com", 0, "");
        server.addPtr("2001:db8::1", "host.example.com").addAAAA("host.example.com", "2001:db8::1");
        assertThat(((Answer.Found<DnsResolver.Mx>) resolver.mx("example.com")).values())
                .containsExactlyInAnyOrder(new DnsResolver.Mx(10, "a.example.com"), new DnsResolver.Mx(20, "b.example.com"));
        assertThat(resolver.mx("null.example.com")).isEqualTo(new Answer.Found<>(List.of(new DnsResolver.Mx(0, ""))));
        assertThat(resolver.ptr(InetAddresses.forString("2001:db8::1"))).isEqualTo(new Answer.Found<>(List.of("host.example.com")));
        assertThat(resolver.aaaa("host.example.com")).isEqualTo(new Answer.Found<>(List.of(InetAddresses.forString("2001:db8::1"))));
        assertThat(resolver.a("host.example.com")).isEqualTo(new Answer.NotFound<>(Absence.NO_DATA));
        assertThat(resolver.verifiedName(InetAddresses.forString("2001:db8::1"))).contains("host.example.com");
    }

    @Test
    void followsCnamesAndFallsBackToTcpForLargeAnswers() {
        for (int i = 0; i < 40; i++) server.addTxt("big.example.com", "record " + i + " " + "x".repeat(80));
        server.addCname("alias.example.com", "big.example.com");
        Answer<String> answer = resolver.txt("alias.example.com");
        assertThat(((Answer.Found<String>) answer).values()).hasSize(40);
        assertThat(server.queries()).anyMatch(InProcessDnsServer.Query::tcp);
    }

    @Test
    void cachesAnswersForTheirTtl() {
        server.addTxt("example.com", "hello");
        resolver.txt("example.com");
        resolver.txt("example.com");
        assertThat(server.queryCount("example.com", Type.TXT)).isEqualTo(1);
        assertThat("hello".getBytes(StandardCharsets.UTF_8)).hasSize(5);
    }
}
