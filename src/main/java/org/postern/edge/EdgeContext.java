package org.postern.edge;

import org.postern.auth.SenderAuthenticator;
import org.postern.quarantine.Quarantine;

import org.postern.dns.DnsResolver;
import org.postern.dnsbl.DnsLists;
import org.postern.policy.ClientCounters;
import org.postern.policy.PolicyPipeline;
import org.postern.policy.TenantTrusts;
import org.postern.queue.Spool;
import org.postern.tenant.TenantDirectory;
import org.postern.trace.TraceStore;

import java.time.Clock;

/**
 * What every inbound session shares: the node's pipeline, tenants, spool, quarantine, trace, DNS and clocks, the
 * operator's DNS lists and the tenants' compiled trust.
 */
public record EdgeContext(String hostname, String node, PolicyPipeline pipeline, TenantDirectory tenants,
                          Spool spool, TraceStore trace, ClientCounters counters, DnsResolver dns,
                          Clock clock, References references, ReplyCatalogue replies,
                          SenderAuthenticator authenticator, Quarantine quarantine,
                          DmarcResultRecorder dmarcResults, EndOfData endOfData,
                          DnsLists dnsLists, TenantTrusts trusts) {
}
