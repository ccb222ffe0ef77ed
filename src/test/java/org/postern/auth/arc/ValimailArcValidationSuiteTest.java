package org.postern.auth.arc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.postern.dns.DnsjavaResolver;
import org.postern.dns.InProcessDnsServer;

/**
 * Every chain-validation case of the ValiMail ARC suite ({@code arc-draft-validation-tests.yml}), one dynamic test
 * each, through {@link ArcValidator} and the product's dnsjava resolver; each scenario's {@code txt-records} are
 * served by its own in-process DNS server. No case is excluded.
 *
 * <p>Expected values: {@code cv} as written ("Pass", "Fail", "None"); three cases ({@code cv_fail_i1_as_cv_fail},
 * {@code cv_fail_i2_as2_fail}, {@code cv_fail_i2_as1_fail}) have an empty {@code cv} because their YAML literal block
 * holds only whitespace; their names and RFC 8617 §5.2 step 2/3 (a seal with {@code cv=fail} ends the chain) make
 * "Fail" the intended result, as the conformance README notes.</p>
 */
class ValimailArcValidationSuiteTest {

    private static final String FILE = "arc-draft-validation-tests.yml";
    /** The suite's messages are dated 2015 to 2017 and carry t=12345; no signature has x=. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2017-01-04T00:00:00Z"), ZoneOffset.UTC);
    private static final List<InProcessDnsServer> SERVERS = new ArrayList<>();

    @AfterAll
    static void stopServers() {
        SERVERS.forEach(InProcessDnsServer::close);
    }

    @Test
    void suiteHasTheExpectedShape() throws Exception {
        List<ArcSuite.Scenario> scenarios = ArcSuite.load(FILE);
        assertThat(scenarios).hasSize(10);
        List<ArcSuite.Case> cases = scenarios.stream().flatMap(s -> s.cases().stream()).toList();
        // 171 distinct names; four names occur twice in "Arc Seal Fields".
        assertThat(cases).hasSize(175);
        assertThat(cases.stream().map(ArcSuite.Case::name).distinct()).hasSize(171);
        // README: 54 Pass, 109 Fail, 5 None, 3 empty; the four repeated names are all Pass cases.
        assertThat(cases.stream().map(ValimailArcValidationSuiteTest::expected).toList())
                .filteredOn("pass"::equals).hasSize(58);
        assertThat(cases.stream().map(ValimailArcValidationSuiteTest::expected).toList())
                .filteredOn("fail"::equals).hasSize(112);
        assertThat(cases.stream().map(ValimailArcValidationSuiteTest::expected).toList())
                .filteredOn("none"::equals).hasSize(5);
    }

    @TestFactory
    Stream<DynamicNode> everyValidationCase() throws Exception {
        return ArcSuite.load(FILE).stream().map(scenario -> {
            InProcessDnsServer dns = InProcessDnsServer.start();
            SERVERS.add(dns);
            scenario.txtRecords().forEach(dns::addTxt);
            ArcValidator validator = new ArcValidator(
                    new DnsjavaResolver(List.of(dns.address()), Duration.ofSeconds(2)), CLOCK);
            return DynamicContainer.dynamicContainer(scenario.description(), scenario.cases().stream()
                    .map(c -> DynamicTest.dynamicTest(c.displayName(), () -> {
                        byte[] message = c.text("message").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
                        ArcResult result = validator.validate(message);
                        assertThat(result.status().keyword())
                                .as("%s: %s (detail: %s)", c.displayName(), c.text("description"), result.detail())
                                .isEqualTo(expected(c));
                    })));
        });
    }

    /** See the class comment for the three empty {@code cv} values. */
    static String expected(ArcSuite.Case c) {
        String cv = c.text("cv").strip().toLowerCase(Locale.ROOT);
        return cv.isEmpty() ? "fail" : cv;
    }
}
