package org.postern.auth.arc;

/**
 * One ARC set as the result reports it: who sealed it ({@code d=} and {@code s=} of the ARC-Seal), the {@code cv} it
 * recorded, who signed the message ({@code d=} of the ARC-Message-Signature, usually the same), and the raw
 * ARC-Authentication-Results payload that sealer recorded.
 */
public record ArcSealer(int instance, String sealerDomain, String sealSelector, String chainValidation,
                        String messageSignatureDomain, String authenticationResults) {
}
