package org.postern.auth.spf;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postern.dns.DnsjavaResolver;
import org.postern.dns.InProcessDnsServer;
import org.xbill.DNS.Type;

/** Evaluator behaviour the published suite does not pin down, over the real resolver and wire protocol. */
class SpfEvaluatorTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
    private static final InetAddress CLIENT = InetAddresses.forString("192.0.2.10");

    private final InProcessDnsServer dns = InProcessDnsServer.start();

    @AfterEach
    void stop() {
        dns.close();
    }

    private SpfEvaluator evaluator(Clock clock) {
        return new SpfEvaluator(new DnsjavaResolver(List.of(dns.address()), Duration.ofMillis(300)), clock,
                SpfLimits.rfc7208(), "mx.receiver.example");
    }

    @Test
    void passesTheMailFromIdentityAndReportsTheEvidence() {
        dns.addTxt("example.com", "v=spf1 -ip4:192.0.2.99 ", "ip4:192.0.2.0/24 -all");
        SpfResult result = evaluator(CLOCK).checkMailFrom(CLIENT, "alice@example.com", "mail.example.com");
        assertThat(result.result()).isEqualTo(SpfOutcome.PASS);
        assertThat(result.result().keyword()).isEqualTo("pass");
        assertThat(result.domain()).isEqualTo("example.com");
        assertThat(result.mechanism()).contains("ip4:192.0.2.0/24");
        assertThat(result.record()).contains("v=spf1 -ip4:192.0.2.99 ip4:192.0.2.0/24 -all");
        assertThat(result.explanation()).isEmpty();
        assertThat(result.problem()).isEmpty();
    }

    @Test
    void aNullReversePathChecksPostmasterAtTheHeloDomain() {
        dns.addTxt("helo.example.net", "v=spf1 -all exp=why.example.net");
        dns.addTxt("why.example.net", "%{s} may not send from %{c}");
        SpfResult result = evaluator(CLOCK).checkMailFrom(CLIENT, "", "helo.example.net");
        assertThat(result.result()).isEqualTo(SpfOutcome.FAIL);
        assertThat(result.domain()).isEqualTo("helo.example.net");
        assertThat(result.explanation()).contains("postmaster@helo.example.net may not send from 192.0.2.10");
        assertThat(evaluator(CLOCK).checkMailFrom(CLIENT, "<>", "helo.example.net").result()).isEqualTo(SpfOutcome.FAIL);
        assertThat(evaluator(CLOCK).checkMailFrom(CLIENT, null, "helo.example.net").result()).isEqualTo(SpfOutcome.FAIL);
    }

    @Test
    void checksTheHeloIdentity() {
        dns.addTxt("mail.example.org", "v=spf1 a -all").addA("mail.example.org", "192.0.2.10");
        assertThat(evaluator(CLOCK).checkHelo(CLIENT, "mail.example.org").result()).isEqualTo(SpfOutcome.PASS);
        assertThat(evaluator(CLOCK).checkHelo(CLIENT, "localhost").result()).isEqualTo(SpfOutcome.NONE);
        assertThat(evaluator(CLOCK).checkHelo(CLIENT, "[192.0.2.10]").result()).isEqualTo(SpfOutcome.NONE);
    }

    @Test
    void explanationsExpandReceiverTimeAndClientAddress() {
        dns.addTxt("example.com", "v=spf1 -all exp=%{d}.exp.example.net");
        dns.addTxt("example.com.exp.example.net", "%{c} refused by %{r} at %{t} for %{d}");
        SpfResult result = evaluator(CLOCK).checkHost(CLIENT, "example.com", "bob@example.com", "h.example");
        assertThat(result.explanation()).contains("192.0.2.10 refused by mx.receiver.example at 1700000000 for example.com");
    }

    @Test
    void anIpv4MappedIpv6ClientIsEvaluatedAsIpv4() throws Exception {
        dns.addTxt("example.com", "v=spf1 ip4:192.0.2.10 -all");
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 10};
        InetAddress client = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(client).isInstanceOf(Inet6Address.class);
        assertThat(evaluator(CLOCK).checkMailFrom(client, "a@example.com", "h.example").result()).isEqualTo(SpfOutcome.PASS);
    }

    @Test
    void neverQueriesTypeSpfRecords() {
        dns.addSpfType("example.com", List.of("v=spf1 +all".getBytes()));
        assertThat(evaluator(CLOCK).checkMailFrom(CLIENT, "a@example.com", "h.example").result()).isEqualTo(SpfOutcome.NONE);
        assertThat(dns.queries()).extracting(InProcessDnsServer.Query::type).containsExactly(Type.TXT);
    }

    @Test
    void servfailIsATemporaryErrorNamingTheLookup() {
        dns.addTxt("example.com", "v=spf1 include:broken.example.net -all").servfail("broken.example.net");
        SpfResult result = evaluator(CLOCK).checkMailFrom(CLIENT, "a@example.com", "h.example");
        assertThat(result.result()).isEqualTo(SpfOutcome.TEMPERROR);
        assertThat(result.problem()).contains("broken.example.net");
        assertThat(result.record()).contains("v=spf1 include:broken.example.net -all");
    }

    @Test
    void stopsAtTheThirdVoidLookupWithoutQueryingFurther() {
        dns.addTxt("example.com", "v=spf1 a:n1.example.com a:n2.example.com a:n3.example.com a:n4.example.com ?all");
        SpfResult result = evaluator(CLOCK).checkMailFrom(CLIENT, "a@example.com", "h.example");
        assertThat(result.result()).isEqualTo(SpfOutcome.PERMERROR);
        assertThat(result.problem()).contains("void lookups").contains("a:n3.example.com");
        assertThat(dns.queryCount()).isEqualTo(4); // the TXT and three A lookups
    }

    @Test
    void includeOfADomainWithoutRecordIsAPermanentError() {
        dns.addTxt("example.com", "v=spf1 include:nothing.example.net -all").addA("nothing.example.net", "192.0.2.1");
        SpfResult result = evaluator(CLOCK).checkMailFrom(CLIENT, "a@example.com", "h.example");
        assertThat(result.result()).isEqualTo(SpfOutcome.PERMERROR);
        assertThat(result.problem()).contains("nothing.example.net has no SPF record");
    }

    @Test
    void redirectReportsTheRecordThatDecided() {
        dns.addTxt("example.com", "v=spf1 ip4:198.51.100.1 redirect=_spf.example.net");
        dns.addTxt("_spf.example.net", "v=spf1 ~all");
        SpfResult result = evaluator(CLOCK).checkMailFrom(CLIENT, "a@example.com", "h.example");
        assertThat(result.result()).isEqualTo(SpfOutcome.SOFTFAIL);
        assertThat(result.domain()).isEqualTo("example.com");
        assertThat(result.mechanism()).contains("~all");
        assertThat(result.record()).contains("v=spf1 ~all");
    }

    @Test
    void aSlowEvaluationBecomesATemporaryError() {
        dns.addTxt("example.com", "v=spf1 a:one.example.com -all").addA("one.example.com", "192.0.2.1");
        Clock jumping = new Clock() {
            private long millis = 0;
            @Override public ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(ZoneId zone) { return this; }
            @Override public Instant instant() { millis += 15_000; return Instant.ofEpochMilli(millis); }
        };
        SpfResult result = evaluator(jumping).checkMailFrom(CLIENT, "a@example.com", "h.example");
        assertThat(result.result()).isEqualTo(SpfOutcome.TEMPERROR);
        assertThat(result.problem()).contains("longer than");
    }

    @Test
    void mxNullRecordsAreSkippedAndMatchesUseTheClientFamily() {
        dns.addTxt("example.com", "v=spf1 mx -all").addMx("example.com", 0, "").addMx("example.com", 10, "mx.example.com")
                .addA("mx.example.com", "192.0.2.10").addAAAA("mx.example.com", "2001:db8::10");
        assertThat(evaluator(CLOCK).checkMailFrom(CLIENT, "a@example.com", "h.example").result()).isEqualTo(SpfOutcome.PASS);
        assertThat(evaluator(CLOCK).checkMailFrom(InetAddresses.forString("2001:db8::10"), "a@example.com", "h.example")
                .result()).isEqualTo(SpfOutcome.PASS);
        assertThat(evaluator(CLOCK).checkMailFrom(InetAddresses.forString("2001:db8::11"), "a@example.com", "h.example")
                .result()).isEqualTo(SpfOutcome.FAIL);
    }
}
