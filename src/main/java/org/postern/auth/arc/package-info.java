/**
 * ARC (RFC 8617) chain validation: parse the ARC sets of a message's header section, check their structure, verify
 * the newest ARC-Message-Signature and every ARC-Seal (rsa-sha256, RFC 6376 canonicalization) with keys from DNS, and
 * report the chain status, the sealers, the oldest passing AMS and the newest ARC-Authentication-Results.
 *
 * <p>Self-contained on purpose: the DKIM-style crypto and canonicalization it needs are small and live here, so ARC
 * does not depend on the DKIM verifier's internals. This package does not sign (no ARC sealing yet), does not decide
 * whom to trust (the tenant's {@code trusted-arc-sealers} belongs to the policy), and does not know DMARC.</p>
 */
package org.postern.auth.arc;
