package org.postern.auth.arc;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Test-only ARC sealer (RFC 8617 §5.1) for building chains the suite does not have: it adds one ARC set, signed with
 * an RSA key, to a CRLF message. Tag text can be bent per test ({@code amsExtra}, {@code sealExtra}).
 */
final class TestSealer {

    final KeyPair keys;
    final String domain;
    final String selector;

    TestSealer(String domain, String selector, int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            this.keys = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        this.domain = domain;
        this.selector = selector;
    }

    /** The key record to publish at {@code <selector>._domainkey.<domain>}. */
    String keyRecord() {
        return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    }

    String keyName() {
        return selector + "._domainkey." + domain;
    }

    String seal(String message, int instance, String cv, String aarPayload) {
        return seal(message, instance, cv, aarPayload, "", "");
    }

    String seal(String message, int instance, String cv, String aarPayload, String amsExtra, String sealExtra) {
        MessageSections parsed = MessageSections.parse(message.getBytes(StandardCharsets.ISO_8859_1));
        String aar = "ARC-Authentication-Results: i=" + instance + "; " + aarPayload;
        String bodyHash = Base64.getEncoder().encodeToString(sha256(Canonicalization.RELAXED.body(parsed.body())));
        String amsUnsigned = "ARC-Message-Signature: i=" + instance + "; a=rsa-sha256; c=relaxed/relaxed; d=" + domain
                + "; s=" + selector + "; t=1700000000; h=from:to:subject; bh=" + bodyHash + amsExtra + "; b=";
        StringBuilder amsInput = new StringBuilder();
        Set<HeaderField> used = Collections.newSetFromMap(new IdentityHashMap<>());
        for (String name : List.of("from", "to", "subject")) {
            for (int i = parsed.headers().size() - 1; i >= 0; i--) {
                HeaderField h = parsed.headers().get(i);
                if (h.isNamed(name) && used.add(h)) {
                    amsInput.append(Canonicalization.RELAXED.header(h));
                    break;
                }
            }
        }
        String ams = amsUnsigned + sign(amsInput + withoutCrlf(amsUnsigned));

        StringBuilder sealInput = new StringBuilder();
        List<HeaderField> previous = previousSets(parsed.headers(), instance);
        for (HeaderField h : previous) sealInput.append(Canonicalization.RELAXED.header(h));
        sealInput.append(canonical(aar)).append(canonical(ams));
        String sealUnsigned = "ARC-Seal: i=" + instance + "; a=rsa-sha256; cv=" + cv + "; d=" + domain + "; s="
                + selector + "; t=1700000000" + sealExtra + "; b=";
        String seal = sealUnsigned + sign(sealInput + withoutCrlf(sealUnsigned));
        return seal + "\r\n" + ams + "\r\n" + aar + "\r\n" + message;
    }

    /** AAR, AMS, AS of each instance below {@code instance}, in signing order. */
    private static List<HeaderField> previousSets(List<HeaderField> headers, int instance) {
        List<HeaderField> out = new ArrayList<>();
        for (int i = 1; i < instance; i++) {
            for (String name : List.of(ArcChain.AUTHENTICATION_RESULTS, ArcChain.MESSAGE_SIGNATURE, ArcChain.SEAL)) {
                for (HeaderField h : headers) {
                    if (h.isNamed(name) && h.value().replace(" ", "").matches("(?s)(.*;)?i=" + i + ";.*")) {
                        out.add(h);
                        break;
                    }
                }
            }
        }
        return out;
    }

    private static String canonical(String field) {
        return Canonicalization.RELAXED.header(field.substring(0, field.indexOf(':')), field);
    }

    private static String withoutCrlf(String field) {
        String c = canonical(field);
        return c.substring(0, c.length() - 2);
    }

    private String sign(String input) {
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(keys.getPrivate());
            rsa.update(input.getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.ISO_8859_1));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
