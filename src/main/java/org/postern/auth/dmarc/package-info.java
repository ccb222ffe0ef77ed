/**
 * DMARC (RFC 7489): organizational domain from the Public Suffix List, policy record parsing, policy discovery over
 * DNS, identifier alignment, and the requested and effective disposition of one message, with the per-message row an
 * aggregate report needs later.
 *
 * <p>Inputs are this package's own small records ({@link org.postern.auth.dmarc.DmarcInput},
 * {@link org.postern.auth.dmarc.SpfIdentifier}, {@link org.postern.auth.dmarc.DkimIdentifier}), filled by the caller
 * from the SPF and DKIM results; this package does not know how SPF or DKIM are evaluated, nor anything of tenants,
 * SMTP replies or ARC. It states what the domain owner asked for and what sampling left of it; whether Postern
 * rejects, quarantines or only reports is the policy's decision.</p>
 */
package org.postern.auth.dmarc;
