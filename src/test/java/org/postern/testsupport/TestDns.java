package org.postern.testsupport;

import org.postern.dns.InProcessDnsServer;

/**
 * One empty authoritative DNS server on loopback for tests that start a gateway in a child process and need no
 * records: every name is NXDOMAIN, so SPF and DMARC find nothing and no lookup leaves the machine.
 */
public final class TestDns {

    private static InProcessDnsServer shared;

    private TestDns() { }

    /** {@code host:port} for the {@code dns.servers} setting. */
    public static synchronized String sharedAddress() {
        if (shared == null) shared = InProcessDnsServer.start();
        return shared.address();
    }
}
