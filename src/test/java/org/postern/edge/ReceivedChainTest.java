package org.postern.edge;

import com.google.common.net.InetAddresses;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

class ReceivedChainTest {

    private static final Predicate<InetAddress> HOPS = ip -> ip.getHostAddress().startsWith("203.0.113.");

    @Test
    void theFirstAddressThatIsNotAHopIsTheOriginalClient() {
        List<String> chain = List.of(
                "from hop2.filter.test (hop2.filter.test [203.0.113.2]) by hop3.filter.test with ESMTP id A; Sat, 28 Nov 2026 10:00:02 +0000",
                "from sender.example (sender.example [198.51.100.7]) by hop2.filter.test with ESMTP id B; Sat, 28 Nov 2026 10:00:01 +0000",
                "from forged.example (forged.example [192.0.2.66]) by sender.example; Sat, 28 Nov 2026 10:00:00 +0000");
        var found = ReceivedChain.originalClient(chain, HOPS).orElseThrow();
        assertThat(found.ip()).isEqualTo(InetAddresses.forString("198.51.100.7"));
        assertThat(found.field()).isEqualTo(2);
    }

    @Test
    void readsIpv6LiteralsAndParenthesisedAddressesAndIgnoresTheByClause() {
        assertThat(ReceivedChain.fromAddress("from a.example ([IPv6:2001:db8::7]) by b.example ([192.0.2.1])"))
                .contains(InetAddresses.forString("2001:db8::7"));
        assertThat(ReceivedChain.fromAddress("from EX01.corp.example (10.1.2.3) by EX02.corp.example (10.1.2.4)"))
                .contains(InetAddresses.forString("10.1.2.3"));
        assertThat(ReceivedChain.fromAddress("by local.example with LMTP id 1; Sat, 28 Nov 2026")).isEmpty();
        assertThat(ReceivedChain.fromAddress("from nothing.example by x.example ([192.0.2.1])")).isEmpty();
    }

    @Test
    void aHopThatNamesNoAddressEndsTheWalk() {
        assertThat(ReceivedChain.originalClient(List.of("from unknown by hop.filter.test; Sat, 28 Nov 2026",
                "from sender.example ([198.51.100.7]) by x"), HOPS)).isEmpty();
        assertThat(ReceivedChain.originalClient(List.of(), HOPS)).isEmpty();
    }
}
