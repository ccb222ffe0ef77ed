package org.postern.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postern.auth.dkim.DkimSigner;
import org.postern.queue.Envelope;
import org.postern.queue.OutboundSigner;
import org.postern.tenant.TenantDocument;

/**
 * Signs a tenant's outbound mail with the tenant's keys when the header From's domain is one the tenant lists
 * under {@code dkim:} — the domain DMARC aligns on (RFC 7489 §3.1.1). Every key the entry selects signs (RSA and
 * Ed25519: dual signing, RFC 8463 §2), relaxed/relaxed, From over-signed. Keys are read from the store at most
 * once a minute per entry.
 */
public final class DkimSigning implements OutboundSigner {

    private static final Duration CACHE = Duration.ofMinutes(1);
    private static final Pattern ANGLE = Pattern.compile("<([^<>]*@[^<>]*)>");
    private static final Pattern BARE = Pattern.compile("([^\\s<>\",;:()]+@[^\\s<>\",;:()]+)");

    private final Function<String, List<TenantDocument.DkimKey>> tenantEntries;
    private final DkimKeyring keyring;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Instant loaded, List<DkimKeyring.SigningKey> keys) { }

    /** {@code tenantEntries}: the tenant's {@code dkim:} list by tenant id (empty for an unknown tenant). */
    public DkimSigning(Function<String, List<TenantDocument.DkimKey>> tenantEntries, DkimKeyring keyring, Clock clock) {
        this.tenantEntries = tenantEntries;
        this.keyring = keyring;
        this.clock = clock;
    }

    @Override
    public String sign(Envelope envelope, MessageSource message) throws IOException {
        if (!envelope.outbound() || envelope.isDsn()) return "";
        Optional<String> fromDomain;
        try (InputStream in = message.open()) {
            fromDomain = fromDomain(in);
        }
        if (fromDomain.isEmpty()) return "";
        StringBuilder fields = new StringBuilder();
        for (TenantDocument.DkimKey entry : tenantEntries.apply(envelope.tenant())) {
            if (!entry.domain().equalsIgnoreCase(fromDomain.get())) continue;
            for (DkimKeyring.SigningKey k : keys(envelope.tenant(), entry)) {
                DkimSigner signer = DkimSigner.builder(k.domain(), k.selector(), k.key()).clock(clock).build();
                try (InputStream in = message.open()) {
                    fields.append(signer.sign(in));
                }
            }
        }
        return fields.toString();
    }

    private List<DkimKeyring.SigningKey> keys(String tenant, TenantDocument.DkimKey entry) {
        String key = tenant + "\u0000" + entry.domain().toLowerCase(Locale.ROOT) + "\u0000" + entry.selector().toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        Cached c = cache.get(key);
        if (c == null || now.isAfter(c.loaded().plus(CACHE))) {
            c = new Cached(now, keyring.signingKeys(tenant, entry.domain(), entry.selector()));
            cache.put(key, c);
        }
        return c.keys();
    }

    /** The domain of the (single) header From address, from the header section (unfolded); empty if none. */
    static Optional<String> fromDomain(InputStream in) throws IOException {
        byte[] head = in.readNBytes(256 * 1024);
        String text = new String(head, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end >= 0) text = text.substring(0, end + 2);
        String from = null;
        StringBuilder current = null;
        List<String> fields = new ArrayList<>();
        for (String line : text.split("\r\n")) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current.append(line);
            } else {
                if (current != null) fields.add(current.toString());
                current = new StringBuilder(line);
            }
        }
        if (current != null) fields.add(current.toString());
        for (String f : fields) {
            int colon = f.indexOf(':');
            if (colon > 0 && f.substring(0, colon).strip().equalsIgnoreCase("From")) {
                if (from != null) return Optional.empty();   // two From fields: no signature (RFC 6376 §5.4)
                from = f.substring(colon + 1);
            }
        }
        if (from == null) return Optional.empty();
        Matcher m = ANGLE.matcher(from);
        String address = m.find() ? m.group(1) : null;
        if (address == null) {
            Matcher b = BARE.matcher(from);
            if (!b.find()) return Optional.empty();
            address = b.group(1);
        }
        String domain = address.substring(address.lastIndexOf('@') + 1).strip().toLowerCase(Locale.ROOT);
        return domain.isEmpty() ? Optional.empty() : Optional.of(domain);
    }
}
