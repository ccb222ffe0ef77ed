package org.postern.policy;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrTest {

    @Test
    void matchesIpv4AndIpv6Networks() throws Exception {
        assertThat(Cidr.parse("192.0.2.0/24").contains(InetAddress.getByName("192.0.2.77"))).isTrue();
        assertThat(Cidr.parse("192.0.2.0/24").contains(InetAddress.getByName("192.0.3.1"))).isFalse();
        assertThat(Cidr.parse("2001:db8::/32").contains(InetAddress.getByName("2001:db8:ffff::1"))).isTrue();
        assertThat(Cidr.parse("2001:db8::/32").contains(InetAddress.getByName("192.0.2.1"))).isFalse();
        assertThat(Cidr.parse("198.51.100.66").contains(InetAddress.getByName("198.51.100.66"))).isTrue();
        assertThat(Cidr.parse("198.51.100.66").contains(InetAddress.getByName("198.51.100.67"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("203.0.113.9"))).isTrue();
    }

    @Test
    void ipv4MappedClientMatchesIpv4List() throws Exception {
        assertThat(Cidr.parse("192.0.2.0/24").contains(InetAddress.getByName("::ffff:192.0.2.5"))).isTrue();
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> Cidr.parse("mail.example.org")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("192.0.2.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("192.0.2.0/x")).isInstanceOf(IllegalArgumentException.class);
    }
}
