/**
 * DNS blocklists and allowlists (DNSxL, RFC 5782) as evidence: the query names for IPv4 and IPv6 clients, what a
 * list's answer means (return codes, weights, the TXT of a listing), and lookups that start when a client connects
 * and run concurrently, so their answers are usually there when the recipient's tenant judges them at RCPT.
 *
 * <p>This package weighs nothing against a tenant's trust: it reports which lists answered what, the summed weight and
 * the operator's threshold. A list that failed temporarily counts as "not listed" and is reported as such; a temporary
 * DNS failure never becomes a permanent refusal. Caching by TTL is the resolver's job ({@link org.postern.dns}).
 */
package org.postern.dnsbl;
