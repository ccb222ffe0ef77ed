package org.postern.dnsbl;

import com.google.common.net.InetAddresses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postern.dns.DnsjavaResolver;
import org.postern.dns.InProcessDnsServer;
import org.xbill.DNS.Type;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The lists are asked over the wire, of an in-process DNS server. */
class DnsListsTest {

    private final InProcessDnsServer server = InProcessDnsServer.start();
    private final DnsjavaResolver resolver = new DnsjavaResolver(List.of(server.address()), Duration.ofMillis(500));

    @AfterEach
    void stop() {
        server.close();
    }

    private Listings ask(String ip, int threshold, DnsList... lists) {
        return new DnsLists(List.of(lists), threshold, resolver, Duration.ofSeconds(3)).lookup(InetAddresses.forString(ip)).await();
    }

    @Test
    void aListedAddressCarriesWeightAnswerAndTheTxtOfTheListing() {
        server.addA("2.0.0.127.zen.test", "127.0.0.2").addTxt("2.0.0.127.zen.test", "Listed: see https://zen.test/q/127.0.0.2");
        Listings l = ask("127.0.0.2", 10, DnsList.of("zen.test", 10));
        assertThat(l.hits()).singleElement().satisfies(h -> {
            assertThat(h.zone()).isEqualTo("zen.test");
            assertThat(h.weight()).isEqualTo(10);
            assertThat(h.answers()).containsExactly("127.0.0.2");
            assertThat(h.txt()).contains("Listed: see https://zen.test/q/127.0.0.2");
        });
        assertThat(l.refuse()).isTrue();
    }

    @Test
    void anUnlistedAddressIsNeitherHitNorFailure() {
        Listings l = ask("192.0.2.1", 10, DnsList.of("zen.test", 10));
        assertThat(l.hits()).isEmpty();
        assertThat(l.failures()).isEmpty();
        assertThat(l.refuse()).isFalse();
        assertThat(l.looked()).isTrue();
    }

    @Test
    void weightsAddUpAgainstTheThresholdAndAnAllowlistSubtracts() {
        server.addA("9.2.0.192.a.test", "127.0.0.2").addA("9.2.0.192.b.test", "127.0.0.2").addA("9.2.0.192.wl.test", "127.0.0.3");
        assertThat(ask("192.0.2.9", 10, DnsList.of("a.test", 5)).refuse()).isFalse();
        assertThat(ask("192.0.2.9", 10, DnsList.of("a.test", 5), DnsList.of("b.test", 5)).refuse()).isTrue();
        Listings withAllowlist = ask("192.0.2.9", 10, DnsList.of("a.test", 5), DnsList.of("b.test", 5), DnsList.of("wl.test", -5));
        assertThat(withAllowlist.score()).isEqualTo(5);
        assertThat(withAllowlist.refuse()).isFalse();
    }

    @Test
    void returnCodesWeighOnlyTheMappedAnswers() {
        server.addA("3.2.0.192.combined.test", "127.0.0.10").addA("4.2.0.192.combined.test", "127.0.0.2", "127.0.0.10");
        DnsList combined = new DnsList("combined.test", 0, Map.of("127.0.0.2", 10, "127.0.0.10", 3));
        assertThat(ask("192.0.2.3", 10, combined).score()).isEqualTo(3);
        assertThat(ask("192.0.2.4", 10, combined).score()).as("the heaviest code counts, once").isEqualTo(10);
        server.addA("5.2.0.192.combined.test", "127.0.0.99");
        assertThat(ask("192.0.2.5", 10, combined).hits()).as("an unmapped code is not a listing").isEmpty();
    }

    @Test
    void ipv6ClientsAreAskedByNibbles() {
        server.addA("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.zen.test", "127.0.0.2");
        assertThat(ask("2001:db8::1", 10, DnsList.of("zen.test", 10)).refuse()).isTrue();
    }

    @Test
    void temporaryFailuresCountAsNotListedAndAreReported() {
        server.servfail("1.2.0.192.broken.test").timeout("1.2.0.192.slow.test");
        server.addA("1.2.0.192.quota.test", "127.255.255.254");
        server.addA("1.2.0.192.hijacked.test", "198.51.100.1");
        Listings l = ask("192.0.2.1", 10, DnsList.of("broken.test", 10), DnsList.of("slow.test", 10),
                DnsList.of("quota.test", 10), DnsList.of("hijacked.test", 10));
        assertThat(l.hits()).as("no failure and no answer outside 127/8 is a listing").isEmpty();
        assertThat(l.failures()).extracting(Listings.Failure::zone).containsExactlyInAnyOrder("broken.test", "slow.test", "quota.test");
        assertThat(l.refuse()).isFalse();
    }

    @Test
    void aSilentListIsWaitedForOnlyUntilTheDeadline() {
        server.timeout("1.2.0.192.slow.test");
        long t0 = System.nanoTime();
        Listings l = new DnsLists(List.of(DnsList.of("slow.test", 10)), 10, resolver, Duration.ofMillis(300))
                .lookup(InetAddresses.forString("192.0.2.1")).await();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        assertThat(l.failures()).singleElement().satisfies(f -> assertThat(f.why()).contains("no answer within 300 ms"));
    }

    @Test
    void answersAreCachedForTheirTtl() {
        server.addA("2.0.0.127.zen.test", "127.0.0.2");
        DnsLists lists = new DnsLists(List.of(DnsList.of("zen.test", 10)), 10, resolver, Duration.ofSeconds(3));
        lists.lookup(InetAddresses.forString("127.0.0.2")).await();
        lists.lookup(InetAddresses.forString("127.0.0.2")).await();
        assertThat(server.queryCount("2.0.0.127.zen.test", Type.A)).isEqualTo(1);
    }

    @Test
    void aListingTxtIsMadeSafeForAReplyLine() {
        assertThat(DnsLists.printable("bad\r\n250 ok [ref=FAKE] \u00e9")).isEqualTo("bad??250 ok (ref=FAKE) ?");
    }

    @Test
    void lookupsRunConcurrently() {
        for (String zone : List.of("a.test", "b.test", "c.test", "d.test")) server.timeout("1.2.0.192." + zone);
        long t0 = System.nanoTime();
        new DnsLists(List.of(DnsList.of("a.test", 1), DnsList.of("b.test", 1), DnsList.of("c.test", 1), DnsList.of("d.test", 1)),
                10, resolver, Duration.ofMillis(700)).lookup(InetAddresses.forString("192.0.2.1")).await();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("four silent lists cost one wait, not four").isLessThan(Duration.ofMillis(1500));
    }
}
