/**
 * DNS lookups for policy (dnsjava): injected as {@link org.postern.dns.DnsResolver} so tests can point it at an
 * in-process DNS server speaking the wire protocol. Every answer keeps three outcomes apart: records found; none
 * (NXDOMAIN or NODATA, told apart); and a temporary failure (timeout, SERVFAIL), which callers must never turn
 * into a permanent verdict. Answers are cached for their TTL.
 *
 * <p>This package knows record types, not what they mean: SPF, DKIM and DMARC interpret TXT records in their own
 * packages.
 */
package org.postern.dns;
