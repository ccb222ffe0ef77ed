package org.postern.auth.dkim;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A DKIM key record (RFC 6376 §3.6.1; {@code k=ed25519} from RFC 8463 §4), parsed and checked against the
 * signature that wants to use it.
 *
 * @param key            the public key; empty when {@code p=} is empty, i.e. the key is revoked
 * @param acceptedHashes {@code h=}; empty list means any
 * @param services       {@code s=}; {@code *} or {@code email} is needed for mail
 * @param flags          {@code t=}: {@code y} testing, {@code s} strict identity domain
 */
record DkimKeyRecord(String keyType, Optional<PublicKey> key, List<String> acceptedHashes,
                     List<String> services, List<String> flags) {

    static DkimKeyRecord parse(String text) throws DkimProblem {
        TagList tags;
        try {
            tags = TagList.parse(text);
        } catch (DkimProblem e) {
            throw DkimProblem.permerror("key record: " + e.getMessage());
        }
        Optional<String> version = tags.get("v");
        if (version.isPresent() && (!version.get().equals("DKIM1") || !tags.firstName().orElse("").equals("v"))) {
            throw DkimProblem.permerror("key record: v= must come first and be DKIM1");
        }
        String keyType = tags.get("k").orElse("rsa").toLowerCase(Locale.ROOT);
        if (!keyType.equals("rsa") && !keyType.equals("ed25519")) {
            throw DkimProblem.permerror("key record: unknown key type k=" + TagList.abbreviate(keyType));
        }
        String p = tags.get("p").orElseThrow(() -> DkimProblem.permerror("key record: missing p="));
        Optional<PublicKey> key = TagList.base64(p).isEmpty() ? Optional.empty() : Optional.of(decode(keyType, p));
        return new DkimKeyRecord(keyType, key, list(tags.get("h"), ""), list(tags.get("s"), "*"),
                list(tags.get("t"), ""));
    }

    boolean testing() {
        return flags.contains("y");
    }

    /** {@code t=s}: the i= domain must be d= itself, not a subdomain. */
    boolean strict() {
        return flags.contains("s");
    }

    /** Whether this record may verify mail signed with {@code algorithm} (RFC 6376 §6.1.2, steps 4 to 7). */
    void checkUsableFor(DkimAlgorithm algorithm) throws DkimProblem {
        if (!services.contains("*") && !services.contains("email")) {
            throw DkimProblem.permerror("key record is not for email (s=" + String.join(":", services) + ")");
        }
        if (!acceptedHashes.isEmpty() && !acceptedHashes.contains(algorithm.hashName())) {
            throw DkimProblem.permerror("key record does not accept " + algorithm.hashName() + " (h=)");
        }
        if (!keyType.equals(algorithm.keyType())) {
            throw DkimProblem.permerror("key type k=" + keyType + " does not suit a=" + algorithm.tag());
        }
    }

    private static PublicKey decode(String keyType, String p) throws DkimProblem {
        byte[] der = TagList.decodeBase64("p", p);
        try {
            return keyType.equals("ed25519") ? DkimKeys.ed25519PublicKey(der) : DkimKeys.rsaPublicKey(der);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw DkimProblem.permerror("key record: p= is not a valid " + keyType + " key");
        }
    }

    /** A colon-separated list (§3.6.1), lower-cased; {@code absent} when the tag is missing. */
    private static List<String> list(Optional<String> value, String absent) {
        List<String> out = new ArrayList<>();
        for (String part : value.orElse(absent).split(":")) {
            String v = TagList.trimFws(part).toLowerCase(Locale.ROOT);
            if (!v.isEmpty()) out.add(v);
        }
        return List.copyOf(out);
    }
}
