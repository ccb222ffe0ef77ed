/**
 * DKIM (RFC 6376) verification and signing, with ed25519-sha256 (RFC 8463) beside rsa-sha256.
 *
 * <p>{@link org.postern.auth.dkim.DkimVerifier} turns a message into one {@link org.postern.auth.dkim.DkimResult}
 * per DKIM-Signature; {@link org.postern.auth.dkim.DkimSigner} makes a DKIM-Signature header for outbound mail.
 * Both share the canonicalization ({@link org.postern.auth.dkim.Canonicalization},
 * {@link org.postern.auth.dkim.BodyHasher}) and the header hash input
 * ({@link org.postern.auth.dkim.HeaderHashInput}), so what the signer hashes is by construction what the verifier
 * hashes.</p>
 *
 * <p>Security stance: every tag of a signature and of a key record is hostile until parsed; a message may carry
 * many signatures and each gets its own result; a DNS temporary failure is {@code temperror}, never {@code fail};
 * rsa-sha1 and RSA keys under 1024 bits are refused as local policy (RFC 8301); an {@code l=} body length is
 * honoured but reported, because what follows it is unsigned. The body is hashed while it streams, so memory
 * is bounded by the header section, not by the message.</p>
 *
 * <p>This package knows DNS only through {@link org.postern.dns.DnsResolver#txt}; it knows no tenant, no policy,
 * no SMTP and no Authentication-Results syntax beyond {@link org.postern.auth.dkim.DkimOutcome#keyword()}. DMARC
 * alignment and the A-R header are for later stages, which get typed results from here.</p>
 */
package org.postern.auth.dkim;
