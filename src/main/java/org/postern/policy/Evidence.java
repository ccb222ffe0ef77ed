package org.postern.policy;

import org.postern.auth.SenderAuthentication;
import org.postern.content.SclResult;
import org.postern.malware.MalwareVerdict;
import org.postern.rules.RuleOutcome;
import org.postern.dnsbl.Listings;
import org.postern.tenant.Tenant;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * What is known about a session so far. Each phase adds to it by making a new value; no stage mutates it.
 *
 * @param clientName          the client's verified reverse DNS name, when it has one
 * @param mailFrom            the reverse-path of the current transaction ("" for the null sender)
 * @param transactionTenant   the tenant of the recipients accepted so far in this transaction
 * @param recipient           the recipient being judged, during RCPT only
 * @param authentication      what SPF, DKIM, DMARC and ARC found, at the end of DATA
 * @param content             the content filter's SCL and reasons, at the end of DATA
 * @param malware             the malware scan's verdict, at the end of DATA
 * @param trust               connection filtering: DNS list answers, the tenant connector that matched, the original
 *                            client behind a skip-listed hop
 * @param rules               what the tenant's transport rules did, at the end of DATA
 */
public record Evidence(InetAddress clientIp, Optional<String> clientName, String listener,
                       Optional<String> helo, Optional<TlsFacts> tls, Optional<String> authUser,
                       Optional<String> mailFrom, Optional<Tenant> transactionTenant, int acceptedRecipients,
                       Optional<RecipientCandidate> recipient, Optional<SenderAuthentication> authentication,
                       Optional<SclResult> content, Optional<MalwareVerdict> malware, TrustFacts trust,
                       Optional<RuleOutcome> rules) {

    /** TLS facts; certificate names only from a certificate whose chain was verified. */
    public record TlsFacts(String protocol, String cipher, Optional<String> certificateSubject,
                           List<String> certificateNames, boolean certificateVerified) {
        public TlsFacts { certificateNames = List.copyOf(certificateNames); }
    }

    /**
     * @param address the recipient as given
     * @param domain  its normalized domain (A-label, lower-case)
     * @param owner   the tenant owning that domain, if any
     */
    public record RecipientCandidate(String address, String domain, Optional<Tenant> owner) { }

    /**
     * What connection filtering learned. {@code listings} belong to the connection (asked at CONNECT, awaited at the
     * first RCPT); {@code connector} and {@code originalClient} to the transaction and its one tenant.
     *
     * @param connector      the transaction tenant's connector that identified the client (on-premises: the tenant's own mail)
     * @param originalClient the client in front of a hop the tenant lists in enhanced-filtering.skip-ips (end of data)
     */
    public record TrustFacts(Listings listings, Optional<MatchedConnector> connector, Optional<OriginalClient> originalClient) {
        static final TrustFacts NONE = new TrustFacts(Listings.notLooked(), Optional.empty(), Optional.empty());
        TrustFacts forNewTransaction() { return new TrustFacts(listings, Optional.empty(), Optional.empty()); }
    }

    /** The original client taken from the Received chain, where it was found, and what the DNS lists say of it. */
    public record OriginalClient(InetAddress ip, String foundIn, Listings listings) { }

    public static Evidence connected(InetAddress clientIp, Optional<String> clientName, String listener) {
        return new Evidence(clientIp, clientName, listener, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), TrustFacts.NONE, Optional.empty());
    }

    public Evidence withClientName(Optional<String> name) {
        return new Evidence(clientIp, name, listener, helo, tls, authUser, mailFrom, transactionTenant, acceptedRecipients, recipient, authentication, content, malware, trust, rules);
    }

    public Evidence withHelo(String name) {
        return new Evidence(clientIp, clientName, listener, Optional.of(name), tls, authUser, mailFrom, transactionTenant, acceptedRecipients, recipient, authentication, content, malware, trust, rules);
    }

    public Evidence withTls(TlsFacts facts) {
        return new Evidence(clientIp, clientName, listener, helo, Optional.of(facts), authUser, mailFrom, transactionTenant, acceptedRecipients, recipient, authentication, content, malware, trust, rules);
    }

    public Evidence withAuthUser(String user) {
        return new Evidence(clientIp, clientName, listener, helo, tls, Optional.of(user), mailFrom, transactionTenant, acceptedRecipients, recipient, authentication, content, malware, trust, rules);
    }

    /** A new transaction: sender known, no tenant and no recipients yet. */
    public Evidence withMailFrom(String reversePath) {
        return new Evidence(clientIp, clientName, listener, helo, tls, authUser, Optional.of(reversePath), Optional.empty(), 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), trust.forNewTransaction(), Optional.empty());
    }

    /**
     * Outbound: the transaction's tenant is the sender's (from AUTH or the on-premises connector), known before any
     * recipient; every recipient the transaction accepts is sent on that tenant's behalf.
     */
    public Evidence withSendingTenant(Tenant tenant) {
        return new Evidence(clientIp, clientName, listener, helo, tls, authUser, mailFrom, Optional.of(tenant), acceptedRecipients, recipient, authentication, content, malware, trust, rules);
    }

    public Evidence judging(RecipientCandidate candidate) {
        return new Evidence(clientIp, clientName, listener, helo, tls, authUser, mailFrom, transactionTenant, acceptedRecipients, Optional.of(candidate), authentication, content, malware, trust, rules);
    }

    /** The judged recipient was accepted: it joins the transaction (and fixes its tenant). */
    public Evidence recipientAccepted(Tenant tenant) {
        return new Evidence(clientIp, clientName, listener, helo, tls, authUser, mailFrom, Optional.of(tenant), acceptedRecipients + 1, Optional.empty(), authentication, content, malware, trust, rules);
    }

    public Evidence withoutTransaction() {
        return new Evidence(clientIp, clientName, listener, helo, tls, authUser, Optional.empty(), Optional.empty(), 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), trust.forNewTransaction(), Optional.empty());
    }

    /** The message's sender authentication results, known once its content is on disk. */
    public Evidence withAuthentication(SenderAuthentication results) {
        return new Evidence(clientIp, clientName, listener, helo, tls, authUser, mailFrom, transactionTenant, acceptedRecipients, recipient, Optional.of(results), content, malware, trust, rules);
    }

    /** The content filter's verdict on the message. */
    public Evidence withContent(SclResult verdict) {
        return new Evidence(clientIp, clientName, listener, helo, tls, authUser, mailFrom, transactionTenant, acceptedRecipients, recipient, authentication, Optional.of(verdict), malware, trust, rules);
    }

    /** The malware scan's verdict on the message. */
    public Evidence withMalware(MalwareVerdict verdict) {
        return new Evidence(clientIp, clientName, listener, helo, tls, authUser, mailFrom, transactionTenant, acceptedRecipients, recipient, authentication, content, Optional.of(verdict), trust, rules);
    }

    /** The DNS lists' answers about the connecting client (awaited at the first RCPT that has a tenant). */
    public Evidence withListings(Listings listings) {
        return withTrust(new TrustFacts(listings, trust.connector(), trust.originalClient()));
    }

    public Evidence withConnector(Optional<MatchedConnector> connector) {
        return withTrust(new TrustFacts(trust.listings(), connector, trust.originalClient()));
    }

    public Evidence withOriginalClient(OriginalClient original) {
        return withTrust(new TrustFacts(trust.listings(), trust.connector(), Optional.of(original)));
    }

    /** What the tenant's transport rules did with the message. */
    public Evidence withRules(RuleOutcome outcome) {
        return new Evidence(clientIp, clientName, listener, helo, tls, authUser, mailFrom, transactionTenant, acceptedRecipients, recipient,
                authentication, content, malware, trust, Optional.of(outcome));
    }

    private Evidence withTrust(TrustFacts t) {
        return new Evidence(clientIp, clientName, listener, helo, tls, authUser, mailFrom, transactionTenant, acceptedRecipients, recipient,
                authentication, content, malware, t, rules);
    }

    /** The tenant connector that identified this transaction's client, if one did. */
    public Optional<MatchedConnector> connector() {
        return trust.connector();
    }
}
