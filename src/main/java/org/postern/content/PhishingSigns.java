package org.postern.content;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Signs of a message pretending to come from inside the tenant: a From display name naming a tenant user or domain
 * on an outside address, and domains (From, Reply-To, envelope sender, links) imitating the tenant's own.
 */
final class PhishingSigns {

    private static final int MAX_LINK_DOMAINS = 50;

    private PhishingSigns() {
    }

    static List<ContentReason> find(MessageView view, SclInputs in, SclWeights weights) {
        List<ContentReason> reasons = new ArrayList<>();
        if (in.tenantDomains().isEmpty()) return reasons;
        displayName(view, in).ifPresent(d ->
                reasons.add(new ContentReason(ContentReasonCode.DISPLAY_NAME_SPOOF, d, weights.of(ContentReasonCode.DISPLAY_NAME_SPOOF))));
        Set<String> candidates = new LinkedHashSet<>();
        view.from().flatMap(Mailbox::domain).ifPresent(candidates::add);
        view.header("Reply-To").map(Mailbox::parse).flatMap(Mailbox::domain).ifPresent(candidates::add);
        in.mailFrom().map(Mailbox::parse).flatMap(Mailbox::domain).ifPresent(candidates::add);
        view.linkHosts().stream().filter(h -> !LinkAnalysis.isIpLiteral(h)).limit(MAX_LINK_DOMAINS).forEach(candidates::add);
        for (String domain : candidates) {
            Optional<String> imitated = LookalikeDomains.imitates(domain, in.tenantDomains());
            if (imitated.isPresent()) {
                reasons.add(new ContentReason(ContentReasonCode.LOOKALIKE_DOMAIN, domain + " imitates " + imitated.get(),
                        weights.of(ContentReasonCode.LOOKALIKE_DOMAIN)));
                break; // one lookalike is enough; more would count the same deceit twice
            }
        }
        return reasons;
    }

    private static Optional<String> displayName(MessageView view, SclInputs in) {
        Optional<Mailbox> from = view.from();
        if (from.isEmpty() || from.get().name().isEmpty()) return Optional.empty();
        String fromOrg = from.get().domain().map(LinkAnalysis::organisationOf).orElse("");
        for (String own : in.tenantDomains()) {
            if (LinkAnalysis.organisationOf(own).equals(fromOrg)) return Optional.empty(); // inside: not this sign
        }
        String name = from.get().displayName().toLowerCase(Locale.ROOT).strip();
        for (String address : in.tenantAddresses()) {
            if (name.contains(address.toLowerCase(Locale.ROOT))) return Optional.of("name shows " + address);
        }
        for (String domain : in.tenantDomains()) {
            if (name.contains(domain.toLowerCase(Locale.ROOT))) return Optional.of("name shows " + domain);
        }
        for (String user : in.tenantUserNames()) {
            if (name.replace("\"", "").equalsIgnoreCase(user.strip())) return Optional.of("name is tenant user " + user);
        }
        return Optional.empty();
    }
}
