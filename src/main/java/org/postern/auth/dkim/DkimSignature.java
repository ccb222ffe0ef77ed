package org.postern.auth.dkim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A DKIM-Signature field whose tags passed the checks of RFC 6376 §6.1.1 (version, required tags, algorithm,
 * canonicalization, query method, {@code h=} signs From, {@code i=} within {@code d=}, numbers that are numbers).
 * Time checks need a clock and are the verifier's.
 *
 * @param identity the {@code i=} value, decoded; {@code "@" + domain} when absent (§3.5)
 */
record DkimSignature(
        HeaderField field,
        DkimAlgorithm algorithm,
        byte[] signature,
        byte[] bodyHash,
        Canonicalization headerCanonicalization,
        Canonicalization bodyCanonicalization,
        String domain,
        String selector,
        List<String> signedHeaders,
        String identity,
        OptionalLong bodyLength,
        OptionalLong timestamp,
        OptionalLong expiry) {

    /** The longest number we accept in t=, x= and l=: far beyond any time or size, and safe from overflow. */
    private static final int MAX_DIGITS = 18;

    static DkimSignature parse(HeaderField field, TagList tags) throws DkimProblem {
        String version = tags.require("v");
        if (!version.equals("1")) throw DkimProblem.permerror("incompatible version v=" + TagList.abbreviate(version));
        for (String required : List.of("a", "b", "bh", "d", "h", "s")) tags.require(required);

        String a = tags.require("a");
        DkimAlgorithm algorithm = DkimAlgorithm.fromTag(a)
                .orElseThrow(() -> DkimProblem.of(DkimOutcome.NEUTRAL, "unknown algorithm a=" + TagList.abbreviate(a)));
        if (algorithm == DkimAlgorithm.RSA_SHA1) {
            throw DkimProblem.policy("rsa-sha1 is not accepted (RFC 8301 §3.1)");
        }

        Canonicalization[] c = canonicalizations(tags.get("c").orElse("simple/simple"));
        queryMethod(tags.get("q"));

        String domain = DkimNames.domain("d", tags.require("d"));
        String selector = DkimNames.domain("s", tags.require("s"));
        List<String> signedHeaders = signedHeaders(tags.require("h"));
        String identity = identity(tags.get("i"), domain);

        OptionalLong bodyLength = number(tags, "l");
        OptionalLong timestamp = number(tags, "t");
        OptionalLong expiry = number(tags, "x");
        if (timestamp.isPresent() && expiry.isPresent() && expiry.getAsLong() < timestamp.getAsLong()) {
            throw DkimProblem.permerror("x= is before t=");
        }

        byte[] signature = TagList.decodeBase64("b", tags.require("b"));
        if (signature.length == 0) throw DkimProblem.permerror("b= is empty");
        byte[] bodyHash = TagList.decodeBase64("bh", tags.require("bh"));
        if (bodyHash.length == 0) throw DkimProblem.permerror("bh= is empty");

        return new DkimSignature(field, algorithm, signature, bodyHash, c[0], c[1], domain, selector,
                signedHeaders, identity, bodyLength, timestamp, expiry);
    }

    /** {@code c=header/body}; a lone {@code c=relaxed} means relaxed/simple (§3.5). */
    private static Canonicalization[] canonicalizations(String value) throws DkimProblem {
        int slash = value.indexOf('/');
        String header = slash < 0 ? value : value.substring(0, slash);
        String body = slash < 0 ? "simple" : value.substring(slash + 1);
        Optional<Canonicalization> h = Canonicalization.fromTag(header);
        Optional<Canonicalization> b = Canonicalization.fromTag(body);
        if (h.isEmpty() || b.isEmpty()) {
            throw DkimProblem.of(DkimOutcome.NEUTRAL, "unknown canonicalization c=" + TagList.abbreviate(value));
        }
        return new Canonicalization[] {h.get(), b.get()};
    }

    /** {@code q=} lists query methods; we (and the RFC) know only dns/txt, the default. */
    private static void queryMethod(Optional<String> q) throws DkimProblem {
        if (q.isEmpty()) return;
        for (String method : q.get().split(":")) {
            String m = TagList.trimFws(method).toLowerCase(Locale.ROOT);
            if (m.equals("dns/txt") || m.equals("dns")) return; // bare "dns" is the RFC 4871 draft spelling
        }
        throw DkimProblem.permerror("no supported query method in q=" + TagList.abbreviate(q.get()));
    }

    private static List<String> signedHeaders(String value) throws DkimProblem {
        List<String> names = new ArrayList<>();
        boolean from = false;
        for (String part : value.split(":", -1)) {
            String name = TagList.trimFws(part);
            if (name.isEmpty()) throw DkimProblem.permerror("empty header name in h=");
            for (int i = 0; i < name.length(); i++) {
                char ch = name.charAt(i);
                if (ch <= ' ' || ch > '~') throw DkimProblem.permerror("bad header name in h=");
            }
            from |= name.equalsIgnoreCase("from");
            names.add(name);
        }
        if (!from) throw DkimProblem.permerror("h= does not sign From (RFC 6376 §5.4)");
        return List.copyOf(names);
    }

    /** §3.5: i= is {@code [local-part] "@" domain}, the domain equal to d= or below it; the default is @d. */
    private static String identity(Optional<String> value, String domain) throws DkimProblem {
        if (value.isEmpty()) return "@" + domain;
        String i = decodeQuotedPrintable(TagList.base64(value.get()));
        int at = i.lastIndexOf('@');
        if (at < 0) throw DkimProblem.permerror("i= has no @");
        String iDomain = DkimNames.domain("i", i.substring(at + 1));
        if (!DkimNames.isWithin(iDomain, domain)) {
            throw DkimProblem.permerror("i= domain " + iDomain + " is not within d=" + domain);
        }
        return i.substring(0, at + 1) + iDomain;
    }

    /** dkim-quoted-printable (§2.11): =XX is one octet; the octets are UTF-8. */
    static String decodeQuotedPrintable(String s) throws DkimProblem {
        if (s.indexOf('=') < 0) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        for (int k = 0; k < in.length; k++) {
            if (in[k] != '=') {
                out.write(in[k]);
                continue;
            }
            if (k + 2 >= in.length) throw DkimProblem.permerror("bad quoted-printable in i=");
            int hi = Character.digit(in[k + 1], 16);
            int lo = Character.digit(in[k + 2], 16);
            if (hi < 0 || lo < 0) throw DkimProblem.permerror("bad quoted-printable in i=");
            out.write(hi * 16 + lo);
            k += 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static OptionalLong number(TagList tags, String name) throws DkimProblem {
        Optional<String> value = tags.get(name);
        if (value.isEmpty()) return OptionalLong.empty();
        String v = value.get();
        if (v.isEmpty() || v.length() > MAX_DIGITS || !v.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw DkimProblem.permerror(name + "= is not a number");
        }
        return OptionalLong.of(Long.parseLong(v));
    }
}
