/**
 * DNS lookups for policy (dnsjava): injected as {@link org.postern.dns.DnsResolver} so tests can point it at an
 * in-process DNS server speaking the wire protocol. Temporary failures are kept apart from "no such name".
 */
package org.postern.dns;
