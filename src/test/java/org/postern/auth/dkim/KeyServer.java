package org.postern.auth.dkim;

import org.postern.dns.DnsjavaResolver;
import org.postern.dns.InProcessDnsServer;

import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Key records served over the real DNS wire protocol by an {@link InProcessDnsServer} on loopback, and verifiers
 * whose {@link DnsjavaResolver} asks it: the product's resolver code runs, no lookup is faked.
 */
final class KeyServer implements AutoCloseable {

    final InProcessDnsServer dns = InProcessDnsServer.start();

    KeyServer publish(String name, String record) {
        dns.addTxt(name, record);
        return this;
    }

    KeyServer publish(String selector, String domain, PublicKey key) {
        return publish(selector + "._domainkey." + domain, DkimKeys.keyRecord(key));
    }

    KeyServer publishAll(Map<String, String> records) {
        records.forEach(this::publish);
        return this;
    }

    DkimVerifier verifier(Clock clock) {
        return verifier(clock, Duration.ofSeconds(2));
    }

    DkimVerifier verifier(Clock clock, Duration timeout) {
        return new DkimVerifier(new DnsjavaResolver(List.of(dns.address()), timeout), clock);
    }

    @Override
    public void close() {
        dns.close();
    }
}
