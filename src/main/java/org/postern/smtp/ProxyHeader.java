package org.postern.smtp;

import java.net.InetSocketAddress;

/**
 * What a PROXY protocol header said (HAProxy's proxy-protocol.txt, versions 1 and 2): the client the load balancer
 * accepted, or that the connection is the balancer's own (a health check) and the peer is the client.
 */
public sealed interface ProxyHeader {

    /** PROXY TCP4/TCP6 (v1) or PROXY with AF_INET/AF_INET6 over STREAM (v2): the real client and the address it reached. */
    record Proxied(InetSocketAddress source, InetSocketAddress destination, int version) implements ProxyHeader { }

    /** v2 LOCAL or v1 UNKNOWN: the proxy speaks for itself; the connection's own peer is the client. */
    record Local(int version) implements ProxyHeader { }
}
