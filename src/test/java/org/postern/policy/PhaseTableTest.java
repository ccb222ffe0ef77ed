package org.postern.policy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The phase table is code; these tests fail when it drifts from ARCHITECTURE.md. */
class PhaseTableTest {

    private static final List<String> ARCHITECTURE_PHASES = List.of("CONNECT", "EHLO/HELO", "STARTTLS", "AUTH (submission)",
            "MAIL FROM", "RCPT TO", "DATA/BDAT end");

    private final PolicyPipeline pipeline = StandardPipeline.build(
            new StandardPipeline.Settings(List.of(), 20, 10_000, 600, 500), new LocalClientCounters(Clock.systemUTC()));

    @Test
    void phasesFollowTheArchitectureTableInOrder() throws IOException {
        List<String> expected = ARCHITECTURE_PHASES;
        Path spec = Path.of("..", "shared", "spec", "ARCHITECTURE.md");
        if (Files.exists(spec)) expected = phasesIn(Files.readAllLines(spec));
        assertThat(expected).hasSize(Phase.values().length);
        for (int i = 0; i < expected.size(); i++) {
            String word = expected.get(i).split("[ /]")[0].toUpperCase(Locale.ROOT);
            assertThat(word.startsWith(Phase.values()[i].name()) || (Phase.values()[i] == Phase.HELO && word.equals("EHLO")))
                    .as("phase %d: architecture says %s, code says %s", i, expected.get(i), Phase.values()[i]).isTrue();
        }
    }

    @Test
    void connectAsksOnlyOperatorQuestions() {
        // No tenant is known at CONNECT: only operator limits may act there.
        assertThat(pipeline.stages(Phase.CONNECT)).extracting(Stage::name)
                .containsExactly("IsClientHardBanned", "IsConnectionLimitExceeded", "IsMessageRateExceeded", "IsRecipientRateExceeded");
    }

    @Test
    void rcptJudgesLimitsThenTenantThenRecipientThenTheTenantsTrust() {
        assertThat(pipeline.stages(Phase.RCPT)).extracting(Stage::name)
                .containsExactly("IsRecipientRateExceeded", "IsRecipientLimitReached", "WhichTenantOwnsRecipient", "AreRecipientsOfOneTenant",
                        "IsRecipientKnown", "DoesTenantTrustClient");
    }

    @Test
    void outboundAsksOwnershipAndRestrictionAtMailLimitsAtRcptAndFiltersAtData() {
        PolicyPipeline outbound = StandardPipeline.outbound(new StandardPipeline.Settings(List.of(), 20, 10_000, 600, 500),
                new LocalClientCounters(Clock.systemUTC()), new org.postern.counters.LocalCounters(Clock.systemUTC())::tryTake, SubmitterRestrictions.NONE,
                WhatToDoWithOutboundMessage.SpamAction.HIGH_RISK_POOL);
        assertThat(outbound.stages(Phase.CONNECT)).isEmpty();
        assertThat(outbound.stages(Phase.MAIL)).extracting(Stage::name)
                .containsExactly("IsMessageRateExceeded", "IsSubmitterRestricted", "DoesSenderOwnAddress");
        assertThat(outbound.stages(Phase.RCPT)).extracting(Stage::name)
                .containsExactly("IsRecipientRateExceeded", "IsRecipientLimitReached", "IsColleagueKnown", "IsOutboundLimitReached");
        assertThat(outbound.stages(Phase.DATA)).extracting(Stage::name).containsExactly("DoesHeaderFromBelongToSender",
                "IsMalwareDetected", "WhatDoTransportRulesSay", "WhatIsTheSpamConfidence", "WhatToDoWithOutboundMessage");
    }

    @Test
    void aStageThatThrowsFailsClosedNamingTheStage() throws Exception {
        Stage broken = new Stage() {
            @Override public Decision decide(Evidence e) { throw new IllegalStateException("boom"); }
            @Override public String name() { return "IsBroken"; }
        };
        PolicyPipeline p = new PolicyPipeline(java.util.Map.of(Phase.CONNECT, List.of(broken)));
        Verdict v = p.run(Phase.CONNECT, Evidence.connected(InetAddress.getLoopbackAddress(), java.util.Optional.empty(), "smtp"));
        assertThat(v.decision()).isInstanceOf(Decision.TempFail.class);
        assertThat(v.decision().primary().code()).isEqualTo(ReasonCode.STAGE_FAILED);
        assertThat(v.decision().primary().evidence()).contains("IsBroken");
    }

    @Test
    void reasonCodeIdsAreUnique() {
        assertThat(java.util.Arrays.stream(ReasonCode.values()).map(ReasonCode::id).distinct().count())
                .isEqualTo(ReasonCode.values().length);
    }

    private static List<String> phasesIn(List<String> lines) {
        List<String> phases = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines) {
            if (line.startsWith("| phase |")) { inTable = true; continue; }
            if (inTable && line.startsWith("|---")) continue;
            if (inTable && line.startsWith("|")) phases.add(line.split("\\|")[1].trim());
            else if (inTable) break;
        }
        return phases;
    }
}
