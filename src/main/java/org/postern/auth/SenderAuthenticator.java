package org.postern.auth;

import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.postern.auth.arc.ArcResult;
import org.postern.auth.arc.ArcValidator;
import org.postern.auth.dkim.DkimOutcome;
import org.postern.auth.dkim.DkimResult;
import org.postern.auth.dkim.DkimVerifier;
import org.postern.auth.dmarc.AuthOutcome;
import org.postern.auth.dmarc.DkimIdentifier;
import org.postern.auth.dmarc.DmarcEvaluator;
import org.postern.auth.dmarc.DmarcInput;
import org.postern.auth.dmarc.SpfIdentifier;
import org.postern.auth.spf.SpfEvaluator;
import org.postern.auth.spf.SpfResult;
import org.postern.dns.DnsResolver;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Runs SPF, DKIM, ARC and DMARC for one message with one resolver (whose cache makes the shared lookups cheap).
 * SPF is asked separately because it can start at MAIL FROM, long before the content has arrived.
 */
public final class SenderAuthenticator {

    private final SpfEvaluator spf;
    private final DkimVerifier dkim;
    private final ArcValidator arc;
    private final DmarcEvaluator dmarc;

    public SenderAuthenticator(DnsResolver dns, Clock clock) {
        this.spf = new SpfEvaluator(dns, clock);
        this.dkim = new DkimVerifier(dns, clock);
        this.arc = new ArcValidator(dns, clock);
        this.dmarc = new DmarcEvaluator(dns);
    }

    /** The content-independent facts of a transaction. */
    public record Envelope(InetAddress clientIp, String helo, String mailFrom) { }

    /** SPF for the reverse-path, or for HELO when it is null (RFC 7208 §2.4). */
    public SpfResult checkSpf(Envelope envelope) {
        return spf.checkMailFrom(envelope.clientIp(), envelope.mailFrom(), envelope.helo());
    }

    /**
     * Everything else, once the message is on disk.
     *
     * @param fromFields the unfolded values of every From header field, as received
     * @param hasArcFields whether any ARC-* field is present; ARC validation (which reads the message into memory)
     *                   runs only then
     */
    public SenderAuthentication authenticate(Envelope envelope, SpfResult spfResult, Path message,
                                             List<String> fromFields, boolean hasArcFields) throws IOException {
        List<DkimResult> signatures = dkim.verify(message);
        ArcResult chain = hasArcFields ? arc.validate(Files.readAllBytes(message)) : arc.validate(new byte[0]);
        String mailFromDomain = domainOf(envelope.mailFrom());
        boolean helo = mailFromDomain.isEmpty();
        List<String> fromDomains = fromDomains(fromFields);
        Optional<SpfIdentifier> spfId = spfResult.domain().isEmpty() ? Optional.empty()
                : Optional.of(new SpfIdentifier(spfResult.domain(), helo ? SpfIdentifier.Scope.HELO : SpfIdentifier.Scope.MFROM,
                AuthOutcome.valueOf(spfResult.result().name())));
        List<DkimIdentifier> dkimIds = signatures.stream()
                .filter(r -> !r.domain().isEmpty())
                .map(r -> new DkimIdentifier(r.domain(), r.selector(), r.isStrongPass() ? AuthOutcome.PASS : dkimOutcome(r)))
                .toList();
        var result = dmarc.evaluate(new DmarcInput(fromDomains, spfId, dkimIds, Optional.of(envelope.clientIp())));
        return new SenderAuthentication(spfResult, helo, mailFromDomain, signatures, result, chain, fromDomains);
    }

    /** A pass DMARC must not rely on (testing key, l= partial body) counts as neutral, never as pass. */
    private static AuthOutcome dkimOutcome(DkimResult r) {
        return r.result() == DkimOutcome.PASS ? AuthOutcome.NEUTRAL : AuthOutcome.valueOf(r.result().name());
    }

    public static String domainOf(String address) {
        String a = address == null ? "" : address.strip();
        if (a.startsWith("<") && a.endsWith(">")) a = a.substring(1, a.length() - 1);
        int at = a.lastIndexOf('@');
        return at < 0 ? "" : a.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /** Mailbox domains of the From fields; a field that does not parse contributes nothing (DMARC permerror). */
    static List<String> fromDomains(List<String> fromFields) {
        List<String> domains = new ArrayList<>();
        for (String field : fromFields) {
            try {
                for (Mailbox m : LenientAddressParser.DEFAULT.parseAddressList(field).flatten()) {
                    if (m.getDomain() != null && !m.getDomain().isBlank()) domains.add(m.getDomain().strip().toLowerCase(Locale.ROOT));
                }
            } catch (RuntimeException e) {
                // An unparsable From leaves no domain to align with: DMARC reports permerror, which is the point.
            }
        }
        return domains;
    }
}
