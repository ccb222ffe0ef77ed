package org.postern.store;

import org.junit.jupiter.api.Test;
import org.postern.auth.dmarc.AuthOutcome;
import org.postern.auth.dmarc.DkimIdentifier;
import org.postern.auth.dmarc.DmarcEvaluator;
import org.postern.auth.dmarc.DmarcInput;
import org.postern.auth.dmarc.DmarcReportRow;
import org.postern.auth.dmarc.SpfIdentifier;
import org.postern.dns.DnsjavaResolver;
import org.postern.dns.InProcessDnsServer;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** DMARC results kept for aggregate reports: what one message contributes, found again by policy domain and time. */
abstract class DmarcResultStoreContract extends StoreContract {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void rowsAreFoundByPolicyDomainAndTimeRange() throws Exception {
        JdbcDmarcResultStore store = new JdbcDmarcResultStore(db.database().dataSource());
        DmarcReportRow failing = row("198.51.100.9", AuthOutcome.FAIL, AuthOutcome.NONE);
        DmarcReportRow passing = row("192.0.2.10", AuthOutcome.PASS, AuthOutcome.PASS);
        store.record(List.of(
                new JdbcDmarcResultStore.StoredResult("R1", "contoso", T0, failing),
                new JdbcDmarcResultStore.StoredResult("R2", "fabrikam", T0.plusSeconds(60), passing),
                new JdbcDmarcResultStore.StoredResult("R3", "contoso", T0.plus(Duration.ofDays(2)), passing)));

        var lines = store.rows("bank.example", T0, T0.plus(Duration.ofDays(1)));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).satisfies(l -> {
            assertThat(l.sourceIp()).isEqualTo("198.51.100.9");
            assertThat(l.headerFrom()).isEqualTo("bank.example");
            assertThat(l.disposition()).isEqualTo("reject");
            assertThat(l.spfAligned()).isFalse();
            assertThat(l.dkimAligned()).isFalse();
            assertThat(l.rowJson()).contains("\"policyDomain\":\"bank.example\"");
        });
        assertThat(lines.get(1).dkimAligned()).isTrue();
        assertThat(store.rows("other.example", T0, T0.plus(Duration.ofDays(3)))).isEmpty();
    }

    private static DmarcReportRow row(String ip, AuthOutcome spf, AuthOutcome dkim) throws Exception {
        try (InProcessDnsServer dns = InProcessDnsServer.start().addTxt("_dmarc.bank.example", "v=DMARC1; p=reject")) {
            var evaluator = new DmarcEvaluator(new DnsjavaResolver(List.of(dns.address()), Duration.ofSeconds(1)));
            var input = DmarcInput.of("bank.example", Optional.of(new SpfIdentifier("bank.example", SpfIdentifier.Scope.MFROM, spf)),
                    List.of(new DkimIdentifier("bank.example", "s1", dkim)), Optional.of(InetAddress.getByName(ip)));
            return evaluator.evaluate(input).reportRow().orElseThrow();
        }
    }
}
