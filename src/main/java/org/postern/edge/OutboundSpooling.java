package org.postern.edge;

import org.postern.queue.Envelope;
import org.postern.queue.Spool;
import org.postern.tenant.Domains;
import org.postern.tenant.Tenant;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;

/**
 * Queues an accepted message of a tenant's own: colleagues in the sender's tenant get it inside, through the
 * tenant's {@code delivery} (as Exchange Online keeps mail within an organization); everyone else by MX, marked
 * outbound with the user and the high-risk flag. One spooled copy per direction.
 */
final class OutboundSpooling {

    private OutboundSpooling() { }

    /**
     * Commits {@code pending} (and a copy when both directions have recipients). {@code requireTls} (RFC 8689) goes
     * with the outside copy; the inside one goes to the tenant's own delivery target as configured. On failure nothing of the copy is
     * left behind. Known compromise: when the outside copy was queued and the inside one failed, the client's retry
     * sends the outside recipients a second copy (as any MTA whose second queue file failed would).
     */
    static void queue(Spool spool, Spool.Pending pending, Tenant tenant, String ref, String mailFrom, List<String> recipients,
                      Instant now, String headers, String authUser, boolean highRisk, boolean requireTls) throws IOException {
        List<String> inside = recipients.stream().filter(r -> tenant.ownsDomain(Domains.ofAddress(r))).toList();
        List<String> outside = recipients.stream().filter(r -> !inside.contains(r)).toList();
        Spool.Pending insideCopy = null;
        try {
            insideCopy = inside.isEmpty() ? null : outside.isEmpty() ? pending : copyOf(spool, pending);
            if (!outside.isEmpty()) {
                spool.commit(pending, Envelope.outbound(ref, tenant.id(), mailFrom, outside, now, headers, authUser, highRisk, requireTls));
            }
            if (insideCopy != null) {
                spool.commit(insideCopy, new Envelope(ref, tenant.id(), mailFrom, inside, tenant.delivery(), now, headers, true));
            }
        } catch (IOException | RuntimeException e) {
            if (insideCopy != null && insideCopy != pending) insideCopy.discard();
            throw e;
        }
    }

    /** A second spooled copy of the received content (the spool moves a committed file). */
    private static Spool.Pending copyOf(Spool spool, Spool.Pending original) throws IOException {
        Spool.Pending copy = spool.begin();
        try (OutputStream out = copy.content()) {
            Files.copy(original.contentFile(), out);
        } catch (IOException | RuntimeException e) {
            copy.discard();
            throw e;
        }
        return copy;
    }
}
