package org.postern.policy;

import org.postern.auth.SenderAuthentication;
import org.postern.content.SclResult;
import org.postern.malware.MalwareVerdict;
import org.postern.rules.RuleOutcome;
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
 * @param rules               what the tenant's transport rules did, at the end of DATA
 */
public record Evidence(InetAddress clientIp, Optional<String> clientName, String listener,
                       Optional<String> helo, Optional<TlsFacts> tls, Optional<String> authUser,
                       Optional<String> mailFrom, Optional<Tenant> transactionTenant, int acceptedRecipients,
                       Optional<RecipientCandidate> recipient, Optional<SenderAuthentication> authentication,
                       Optional<SclResult> content, Optional<MalwareVerdict> malware, Optional<RuleOutcome> rules) {

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

    public static Evidence connected(InetAddress clientIp, Optional<String> clientName, String listener) {
        return new Evidence(clientIp, clientName, listener, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public Evidence withClientName(Optional<String> name) {
        return new Evidence(clientIp, name, listener, helo, tls, authUser, mailFrom, transactionTenant, acceptedRecipients, recipient, authentication, content, malware, rules);
    }

    public Evidence withHelo(String name) {
        return new Evidence(clientIp, clientName, listener, Optional.of(name), tls, authUser, mailFrom, transactionTenant, acceptedRecipients, recipient, authentication, content, malware, rules);
    }

    public Evidence withTls(TlsFacts facts) {
        return new Evidence(clientIp, clientName, listener, helo, Optional.of(facts), authUser, mailFrom, transactionTenant, acceptedRecipients, recipient, authentication, content, malware, rules);
    }

    public Evidence withAuthUser(String user) {
        return new Evidence(clientIp, clientName, listener, helo, tls, Optional.of(user), mailFrom, transactionTenant, acceptedRecipients, recipient, authentication, content, malware, rules);
    }

    /** A new transaction: sender known, no tenant and no recipients yet. */
    public Evidence withMailFrom(String reversePath) {
        return new Evidence(clientIp, clientName, listener, helo, tls, authUser, Optional.of(reversePath), Optional.empty(), 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public Evidence judging(RecipientCandidate candidate) {
        return new Evidence(clientIp, clientName, listener, helo, tls, authUser, mailFrom, transactionTenant, acceptedRecipients, Optional.of(candidate), authentication, content, malware, rules);
    }

    /** The judged recipient was accepted: it joins the transaction (and fixes its tenant). */
    public Evidence recipientAccepted(Tenant tenant) {
        return new Evidence(clientIp, clientName, listener, helo, tls, authUser, mailFrom, Optional.of(tenant), acceptedRecipients + 1, Optional.empty(), authentication, content, malware, rules);
    }

    public Evidence withoutTransaction() {
        return new Evidence(clientIp, clientName, listener, helo, tls, authUser, Optional.empty(), Optional.empty(), 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The message's sender authentication results, known once its content is on disk. */
    public Evidence withAuthentication(SenderAuthentication results) {
        return new Evidence(clientIp, clientName, listener, helo, tls, authUser, mailFrom, transactionTenant, acceptedRecipients, recipient, Optional.of(results), content, malware, rules);
    }

    /** The content filter's verdict on the message. */
    public Evidence withContent(SclResult verdict) {
        return new Evidence(clientIp, clientName, listener, helo, tls, authUser, mailFrom, transactionTenant, acceptedRecipients, recipient, authentication, Optional.of(verdict), malware, rules);
    }

    /** The malware scan's verdict on the message. */
    public Evidence withMalware(MalwareVerdict verdict) {
        return new Evidence(clientIp, clientName, listener, helo, tls, authUser, mailFrom, transactionTenant, acceptedRecipients, recipient, authentication, content, Optional.of(verdict), rules);
    }

    /** What the tenant's transport rules did with the message. */
    public Evidence withRules(RuleOutcome outcome) {
        return new Evidence(clientIp, clientName, listener, helo, tls, authUser, mailFrom, transactionTenant, acceptedRecipients, recipient, authentication, content, malware, Optional.of(outcome));
    }
}
