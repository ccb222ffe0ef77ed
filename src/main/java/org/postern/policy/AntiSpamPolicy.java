package org.postern.policy;

import org.postern.tenant.Tenant;
import org.postern.tenant.TenantDocument;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A tenant's anti-spam settings with their defaults (ARCHITECTURE's SCL table): what an SCL means for this tenant,
 * and whether a sender is on its allowed or blocked list.
 *
 * @param rejectMode spam at or over {@code rejectAt} is refused in the SMTP session and nothing is quarantined;
 *                   otherwise high-confidence spam is quarantined
 */
public record AntiSpamPolicy(String tenant, boolean rejectMode, int junkAt, int quarantineAt, int rejectAt,
                             List<String> allowedSenders, List<String> blockedSenders) {

    public static final int DEFAULT_JUNK_AT = 5;
    public static final int DEFAULT_QUARANTINE_AT = 7;
    public static final int DEFAULT_REJECT_AT = 9;

    /** What the SCL asks for. */
    public enum Action { DELIVER, JUNK, QUARANTINE, REJECT }

    public static AntiSpamPolicy of(Tenant t) {
        Optional<TenantDocument.AntiSpam> a = t.document().antiSpam();
        return new AntiSpamPolicy(t.id(),
                a.flatMap(TenantDocument.AntiSpam::mode).filter("reject"::equals).isPresent(),
                a.flatMap(TenantDocument.AntiSpam::junkAt).orElse(DEFAULT_JUNK_AT),
                a.flatMap(TenantDocument.AntiSpam::quarantineAt).orElse(DEFAULT_QUARANTINE_AT),
                a.flatMap(TenantDocument.AntiSpam::rejectAt).orElse(DEFAULT_REJECT_AT),
                a.map(TenantDocument.AntiSpam::allowedSenders).orElse(List.of()),
                a.map(TenantDocument.AntiSpam::blockedSenders).orElse(List.of()));
    }

    public Action actionFor(int scl) {
        if (rejectMode && scl >= rejectAt) return Action.REJECT;
        if (!rejectMode && scl >= quarantineAt) return Action.QUARANTINE;
        if (scl >= junkAt) return Action.JUNK;
        return Action.DELIVER;
    }

    /** The setting that decided {@link #actionFor}, for the trace. */
    public String settingFor(Action action) {
        String base = "tenants." + tenant + ".anti-spam.";
        return switch (action) {
            case REJECT -> base + "reject-at";
            case QUARANTINE -> base + "quarantine-at";
            case JUNK -> base + "junk-at";
            case DELIVER -> base + "junk-at";
        };
    }

    /** The allowed-senders entry (address or domain) matching one of the senders, if any. */
    public Optional<String> allowedEntry(List<String> senders) {
        return matching(allowedSenders, senders);
    }

    /** The blocked-senders entry (address or domain) matching one of the senders, if any. */
    public Optional<String> blockedEntry(List<String> senders) {
        return matching(blockedSenders, senders);
    }

    /** An entry with {@code @} is an address; one without is a domain, matching its subdomains too. */
    private static Optional<String> matching(List<String> entries, List<String> senders) {
        for (String entry : entries) {
            String e = entry.strip().toLowerCase(Locale.ROOT);
            for (String sender : senders) {
                String s = sender.strip().toLowerCase(Locale.ROOT);
                if (s.isEmpty()) continue;
                String domain = s.substring(s.lastIndexOf('@') + 1);
                boolean hit = e.contains("@") ? s.equals(e) : domain.equals(e) || domain.endsWith("." + e);
                if (hit) return Optional.of(entry);
            }
        }
        return Optional.empty();
    }
}
