/**
 * The SMTP protocol, server side, and nothing else: it reads command lines and message content off the socket,
 * enforces RFC 5321 order, syntax and limits, and writes the replies a {@link org.postern.smtp.SessionHandler}
 * gives it. It knows no tenant, no policy, no storage: those answer through the handler.
 *
 * <p>Standards: RFC 5321 (SMTP), RFC 1870 (SIZE), RFC 2034/3463 (enhanced status codes), RFC 2920 (PIPELINING),
 * RFC 3030 (CHUNKING), RFC 3207 (STARTTLS), RFC 6152 (8BITMIME), RFC 6531 (SMTPUTF8), RFC 4954/4616 (AUTH PLAIN and
 * LOGIN, only under TLS; the handler judges the credentials), RFC 8314 (implicit TLS listeners).</p>
 *
 * <p>Security stance: every octet from the client is hostile until parsed. Lines end only in CRLF; DATA ends only
 * in CRLF.CRLF and any other end (bare LF, a dot beside a bare CR) is refused, against SMTP smuggling; plaintext
 * pipelined after STARTTLS is discarded (CVE-2011-0411); no input is buffered beyond fixed, small limits; every
 * refusal the session makes carries {@code [ref=...]} and is reported to the handler. Client mistakes are never
 * logged with stack traces.</p>
 *
 * <p>Entry points: {@link org.postern.smtp.SmtpServer}, {@link org.postern.smtp.SmtpSettings},
 * {@link org.postern.smtp.TlsContextFactory}. Everything else public here is the handler's vocabulary.</p>
 */
package org.postern.smtp;
