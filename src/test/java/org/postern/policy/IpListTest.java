package org.postern.policy;

import com.google.common.net.InetAddresses;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class IpListTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    private static IpList.Entry entry(String cidr, int index) {
        return new IpList.Entry(Cidr.parse(cidr), Optional.empty(), Optional.empty(), index);
    }

    private static IpList.Entry expiring(String cidr, String expires, int index) {
        return new IpList.Entry(Cidr.parse(cidr), Optional.of(Instant.parse(expires)), Optional.empty(), index);
    }

    private static InetAddress ip(String s) {
        return InetAddresses.forString(s);
    }

    @Test
    void findsTheMostSpecificEntryContainingTheAddress() {
        IpList list = IpList.of(List.of(entry("192.0.2.0/24", 0), entry("192.0.2.128/25", 1), entry("10.0.0.0/8", 2), entry("192.0.2.7", 3)));
        assertThat(list.lookup(ip("192.0.2.7"), NOW).active()).hasValueSatisfying(e -> assertThat(e.index()).isEqualTo(3));
        assertThat(list.lookup(ip("192.0.2.200"), NOW).active()).hasValueSatisfying(e -> assertThat(e.index()).isEqualTo(1));
        assertThat(list.lookup(ip("192.0.2.8"), NOW).active()).hasValueSatisfying(e -> assertThat(e.index()).isEqualTo(0));
        assertThat(list.lookup(ip("10.255.0.1"), NOW).active()).hasValueSatisfying(e -> assertThat(e.index()).isEqualTo(2));
        assertThat(list.lookup(ip("192.0.3.1"), NOW).active()).isEmpty();
    }

    @Test
    void ipv6AndIpv4NeverMatchEachOther() {
        IpList list = IpList.of(List.of(entry("::/0", 0), entry("2001:db8::/32", 1), entry("0.0.0.0/0", 2)));
        assertThat(list.lookup(ip("2001:db8::1"), NOW).active()).hasValueSatisfying(e -> assertThat(e.index()).isEqualTo(1));
        assertThat(list.lookup(ip("2001:db9::1"), NOW).active()).hasValueSatisfying(e -> assertThat(e.index()).isEqualTo(0));
        assertThat(list.lookup(ip("198.51.100.1"), NOW).active()).hasValueSatisfying(e -> assertThat(e.index()).isEqualTo(2));
    }

    @Test
    void anExpiredEntryStopsActingByItselfButIsReported() {
        IpList list = IpList.of(List.of(expiring("203.0.113.0/24", "2026-11-28T13:00:00Z", 0)));
        assertThat(list.lookup(ip("203.0.113.5"), NOW).active()).isPresent();
        IpList.Match later = list.lookup(ip("203.0.113.5"), Instant.parse("2026-11-28T13:00:00Z"));
        assertThat(later.active()).isEmpty();
        assertThat(later.expired()).hasValueSatisfying(e -> assertThat(e.describe()).contains("expires 2026-11-28T13:00:00Z"));
    }

    @Test
    void aLessSpecificActiveEntryStillActsWhenTheSpecificOneExpired() {
        IpList list = IpList.of(List.of(expiring("203.0.113.5/32", "2026-01-01T00:00:00Z", 0), entry("203.0.113.0/24", 1)));
        IpList.Match m = list.lookup(ip("203.0.113.5"), NOW);
        assertThat(m.active()).hasValueSatisfying(e -> assertThat(e.index()).isEqualTo(1));
    }

    /** The index answers exactly what a scan of every entry answers (most specific active entry, first listed on ties). */
    @Test
    void agreesWithALinearScanOnRandomLists() {
        Random random = new Random(20261128);
        for (int round = 0; round < 200; round++) {
            List<IpList.Entry> entries = new ArrayList<>();
            int n = 1 + random.nextInt(60);
            for (int i = 0; i < n; i++) entries.add(randomEntry(random, i));
            IpList list = IpList.of(entries);
            for (int q = 0; q < 200; q++) {
                InetAddress probe = random.nextBoolean() ? near(entries.get(random.nextInt(n)).cidr(), random) : randomIp(random);
                Optional<IpList.Entry> expected = entries.stream().filter(e -> e.cidr().contains(probe) && e.activeAt(NOW))
                        .min(Comparator.comparingInt((IpList.Entry e) -> -e.cidr().prefixLength()).thenComparingInt(IpList.Entry::index));
                assertThat(list.lookup(probe, NOW).active()).as("round %d, %s in %s", round, probe, entries).isEqualTo(expected);
            }
        }
    }

    private static IpList.Entry randomEntry(Random r, int index) {
        boolean v6 = r.nextInt(4) == 0;
        byte[] b = new byte[v6 ? 16 : 4];
        r.nextBytes(b);
        b[0] = (byte) (v6 ? 0x20 : 10 + r.nextInt(3)); // dense prefixes, so entries overlap
        int[] lengths = v6 ? new int[] {0, 32, 48, 64, 127, 128} : new int[] {0, 8, 16, 23, 24, 31, 32};
        Optional<Instant> expires = r.nextInt(4) == 0 ? Optional.of(NOW.plusSeconds(r.nextBoolean() ? -60 : 60)) : Optional.empty();
        try {
            return new IpList.Entry(new Cidr(InetAddress.getByAddress(b), lengths[r.nextInt(lengths.length)]), expires, Optional.empty(), index);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static InetAddress near(Cidr c, Random r) {
        byte[] b = c.network().getAddress();
        int bits = b.length * 8;
        for (int i = Math.min(bits, c.prefixLength() + (r.nextInt(3) == 0 ? -1 : 0)); i < bits; i++) {
            if (i >= 0 && r.nextBoolean()) b[i / 8] ^= (byte) (0x80 >>> (i % 8));
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static InetAddress randomIp(Random r) {
        byte[] b = new byte[r.nextInt(4) == 0 ? 16 : 4];
        r.nextBytes(b);
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
