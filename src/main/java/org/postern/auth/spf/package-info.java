/**
 * SPF (RFC 7208): who may send mail for a domain. {@link org.postern.auth.spf.SpfEvaluator} runs check_host()
 * for the MAIL FROM and HELO identities against TXT records fetched through the injected
 * {@link org.postern.dns.DnsResolver}, and returns a typed {@link org.postern.auth.spf.SpfResult} carrying the
 * record and mechanism that decided, or the problem behind a temperror/permerror.
 *
 * <p>This package knows DNS and the SPF grammar only. It must not know tenants, SMTP replies or DMARC: what a
 * result means for a message is decided by the policy stages that read it. Type SPF (99) records are never
 * queried (RFC 7208 §3.1).
 */
package org.postern.auth.spf;
