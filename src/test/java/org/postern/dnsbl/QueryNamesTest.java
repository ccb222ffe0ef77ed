package org.postern.dnsbl;

import com.google.common.net.InetAddresses;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QueryNamesTest {

    @Test
    void ipv4ReversesTheOctets() {
        // RFC 5782 §2.1
        assertThat(QueryNames.of(InetAddresses.forString("192.168.42.23"), "dnsxl.example.com"))
                .isEqualTo("23.42.168.192.dnsxl.example.com");
    }

    @Test
    void ipv6ReversesAllThirtyTwoNibbles() {
        // RFC 5782 §2.4
        assertThat(QueryNames.of(InetAddresses.forString("2001:db8:1:2:3:4:567:89ab"), "ugly.example.com"))
                .isEqualTo("b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ugly.example.com");
    }

    @Test
    void anIpv4MappedAddressIsAskedAsIpv4() {
        assertThat(QueryNames.of(InetAddresses.forString("::ffff:192.0.2.1"), "zen.test")).isEqualTo("1.2.0.192.zen.test");
    }
}
