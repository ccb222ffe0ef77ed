package org.postern.content;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.TestGateway;
import org.postern.testsupport.TestSmtpClient;
import org.postern.trace.TraceRecord;
import org.xbill.DNS.Type;

import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * URI blocklists over real SMTP, with the zone served by the in-process DNS server: the registrable domain of a body
 * link listed on {@code dbl.test} becomes a named {@code blocklist.uri} reason that raises the SCL; the same message
 * with an unlisted domain does not get it; a message with more link domains than {@code uribl-max-domains} asks for
 * that many only; a zone that does not answer costs no more than the deadline and no reason.
 */
class UriBlocklistOverSmtpTest {

    @TempDir static Path dir;
    private static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = new TestGateway(dir.resolve("gw"), "mx.uribl.postern.test", """
                content: { uribl: [ { zone: dbl.test, weight: 10 }, { zone: multi.uribl.test, weight: 5 } ], uribl-max-domains: 3 }
                tenants:
                  - id: linked
                    domains: [linked.test]
                    delivery: "maildir:%1$s/mail/linked"
                    anti-spam: { mode: quarantine, junk-at: 5, quarantine-at: 9 }
                """.formatted(dir));
        gw.dns.addA("cheap-watches.example.dbl.test", "127.0.1.2");
        gw.dns.addA("cheap-watches.example.multi.uribl.test", "127.0.0.2");
        gw.dns.addA("refused.example.dbl.test", "127.255.255.254"); // the list refusing the query: no listing
    }

    @AfterAll
    static void stop() {
        if (gw != null) gw.close();
    }

    private static String withLink(String url) {
        return TestGateway.wellFormed("shop@offers.example", "Subject: your order\r\nContent-Type: text/html\r\n\r\n"
                + "<p>Your order is ready, <a href=\"" + url + "\">see it here</a>.</p>\r\n");
    }

    private static TraceRecord send(String message) {
        TestSmtpClient.Reply r = gw.send("client.example", "shop@offers.example", "user@linked.test", message);
        assertThat(r.code()).as(r.toString()).isEqualTo(250);
        return gw.traceOf(r);
    }

    @Test
    void aListedLinkDomainIsANamedReasonAndRaisesTheScl() {
        TraceRecord clean = send(withLink("https://www.clean-watches.example/order?id=1"));
        TraceRecord listed = send(withLink("https://www.shop.cheap-watches.example/order?id=1"));
        assertThat(clean.decisions().toString()).doesNotContain("blocklist.uri");
        String reasons = listed.decisions().toString();
        // The registrable domain was asked, not the host, and each zone is its own reason.
        assertThat(reasons).contains("blocklist.uri (dbl.test lists cheap-watches.example)")
                .contains("blocklist.uri (multi.uribl.test lists cheap-watches.example)");
        assertThat(listed.scl().orElseThrow()).isGreaterThan(clean.scl().orElseThrow());
        assertThat(gw.dns.queryCount("shop.cheap-watches.example.dbl.test", Type.A)).isZero();
    }

    @Test
    void refusedQueriesAreNoListing() {
        TraceRecord t = send(withLink("http://refused.example/x"));
        assertThat(gw.dns.queryCount("refused.example.dbl.test", Type.A)).isEqualTo(1);
        assertThat(t.decisions().toString()).doesNotContain("blocklist.uri");
    }

    @Test
    void atMostUriblMaxDomainsAreAsked() {
        String links = IntStream.range(0, 10).mapToObj(i -> "<a href=\"http://www.site" + i + "-many.example/\">" + i + "</a>")
                .collect(Collectors.joining(" "));
        send(TestGateway.wellFormed("shop@offers.example", "Subject: links\r\nContent-Type: text/html\r\n\r\n" + links + "\r\n"));
        var q3 = gw.dns.queries().stream().filter(q -> q.name().matches("(?i)site\\d-many\\.example\\.dbl\\.test\\.?")).toList();
        long asked = q3.size();
        assertThat(asked).isEqualTo(3);
    }

    @Test
    void aSilentZoneCostsTheDeadlineAtMostAndNoReason() {
        gw.dns.timeout("slow-shop.example.dbl.test");
        gw.dns.timeout("slow-shop.example.multi.uribl.test");
        long start = System.nanoTime();
        TraceRecord t = send(withLink("http://slow-shop.example/"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(t.decisions().toString()).doesNotContain("blocklist.uri");
        assertThat(millis).as("two resolver timeouts (1s) at most, plus the session").isLessThan(6_000);
    }
}
