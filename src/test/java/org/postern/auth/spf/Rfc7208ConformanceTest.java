package org.postern.auth.spf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.postern.dns.DnsjavaResolver;
import org.postern.dns.InProcessDnsServer;
import org.xbill.DNS.Type;

/**
 * Runs every case of the openspf RFC 7208 suite ({@code ../shared/conformance/spf/rfc7208-tests.yml}) through
 * {@link SpfEvaluator} and the product's {@link DnsjavaResolver}, with each scenario's zone data served over UDP
 * and TCP by an {@link InProcessDnsServer}. One dynamic test per case, named "scenario / case".
 *
 * <p>Zone data follows the suite's own driver (pyspf {@code testspf.py}): a name with type-SPF records and no
 * TXT entry also gets them as TXT; {@code TXT: NONE} suppresses that; a {@code TIMEOUT} entry (always last) makes
 * queries time out for every type without records listed before it. An expected explanation of {@code DEFAULT} means "no exp= text".
 */
class Rfc7208ConformanceTest {

    static final Path SUITE = Path.of("..", "shared", "conformance", "spf", "rfc7208-tests.yml");
    private static final Duration DNS_TIMEOUT = Duration.ofMillis(300);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);
    /** Every type an SPF check or the suite could ask for; a TIMEOUT entry applies to those not answered. */
    private static final int[] QUERY_TYPES = {Type.A, Type.AAAA, Type.MX, Type.PTR, Type.TXT, Type.SPF, Type.CNAME,
            Type.NS, Type.SOA, Type.ANY};
    private static final List<InProcessDnsServer> SERVERS = new ArrayList<>();

    @AfterAll
    static void stopServers() {
        SERVERS.forEach(InProcessDnsServer::close);
    }

    @TestFactory
    Stream<DynamicNode> rfc7208Suite() throws IOException {
        if (!Files.isRegularFile(SUITE)) {
            throw new AssertionError("SPF conformance suite not found at " + SUITE.toAbsolutePath().normalize()
                    + ": check out the shared/ directory next to this repository (as CI does)");
        }
        List<DynamicNode> scenarios = new ArrayList<>();
        int[] cases = {0};
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (MappingIterator<JsonNode> documents = yaml.readerFor(JsonNode.class).readValues(SUITE.toFile())) {
            while (documents.hasNext()) {
                JsonNode scenario = documents.next();
                if (scenario == null || scenario.isNull() || !scenario.has("tests")) continue;
                cases[0] += scenario.path("tests").size();
                scenarios.add(scenario(scenario));
            }
        }
        assertThat(cases[0]).as("cases in the published suite").isEqualTo(203);
        return scenarios.stream();
    }

    private static DynamicNode scenario(JsonNode scenario) {
        String name = scenario.path("description").asText();
        InProcessDnsServer server = InProcessDnsServer.start();
        SERVERS.add(server);
        loadZone(server, scenario.path("zonedata"));
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, JsonNode> test : scenario.path("tests").properties()) {
            String caseName = name + " / " + test.getKey();
            tests.add(DynamicTest.dynamicTest(caseName, () -> run(caseName, server, test.getValue())));
        }
        return DynamicContainer.dynamicContainer(name, tests);
    }

    /** Assertion messages repeat the case name: surefire's XML report numbers dynamic tests instead. */
    private static void run(String caseName, InProcessDnsServer server, JsonNode test) {
        DnsjavaResolver resolver = new DnsjavaResolver(List.of(server.address()), DNS_TIMEOUT);
        SpfEvaluator evaluator = new SpfEvaluator(resolver, CLOCK);
        server.resetQueries();
        SpfResult result = evaluator.checkMailFrom(InetAddresses.forString(test.path("host").asText()),
                test.path("mailfrom").asText(""), test.path("helo").asText(""));

        Set<String> expected = new HashSet<>();
        JsonNode results = test.path("result");
        if (results.isArray()) results.forEach(r -> expected.add(r.asText()));
        else expected.add(results.asText());
        assertThat(result.result().keyword()).as("%s: result of %s", caseName, result).isIn(expected);
        if (test.has("explanation")) {
            String text = test.path("explanation").asText();
            Optional<String> wanted = text.equals("DEFAULT") ? Optional.empty() : Optional.of(text);
            assertThat(result.explanation()).as("%s: explanation of %s", caseName, result).isEqualTo(wanted);
        }
        assertThat(server.queries()).as("%s: RFC 7208 §3.1, type SPF (99) is never queried", caseName)
                .noneMatch(q -> q.type() == Type.SPF);
    }

    private static void loadZone(InProcessDnsServer server, JsonNode zone) {
        for (Map.Entry<String, JsonNode> entry : zone.properties()) {
            String name = entry.getKey();
            boolean explicitTxt = false;
            List<List<byte[]>> spf = new ArrayList<>();
            Set<Integer> answeredBeforeTimeout = new HashSet<>();
            boolean timeout = false;
            for (JsonNode record : entry.getValue()) {
                if (record.isTextual() && record.asText().equals("TIMEOUT")) {
                    timeout = true;
                    break;
                }
                Map.Entry<String, JsonNode> typed = record.properties().iterator().next();
                String type = typed.getKey().toUpperCase(Locale.ROOT);
                JsonNode value = typed.getValue();
                if (type.equals("TXT")) explicitTxt = true;
                if (value.isTextual() && value.asText().equals("NONE")) continue;
                answeredBeforeTimeout.add(Type.value(type));
                add(server, name, type, value, spf);
            }
            if (!explicitTxt) spf.forEach(strings -> server.addTxtBytes(name, strings));
            if (timeout) {
                server.timeout(name, java.util.Arrays.stream(QUERY_TYPES)
                        .filter(t -> !answeredBeforeTimeout.contains(t)).toArray());
            }
        }
    }

    private static void add(InProcessDnsServer server, String name, String type, JsonNode value, List<List<byte[]>> spf) {
        switch (type) {
            case "TXT" -> server.addTxtBytes(name, strings(value));
            case "SPF" -> {
                server.addSpfType(name, strings(value));
                spf.add(strings(value));
            }
            case "A" -> server.addA(name, value.asText());
            case "AAAA" -> server.addAAAA(name, value.asText());
            case "MX" -> server.addMx(name, value.get(0).asInt(), value.get(1).asText());
            case "PTR" -> server.addPtr(name, value.asText());
            case "CNAME" -> server.addCname(name, value.asText());
            default -> throw new AssertionError("record type " + type + " not supported by the harness");
        }
    }

    /**
     * The character-strings of a TXT/SPF value. YAML {@code \xNN} escapes stand for bytes, so characters up to
     * U+00FF are written as single bytes (ISO-8859-1), anything else as UTF-8.
     */
    private static List<byte[]> strings(JsonNode value) {
        List<byte[]> out = new ArrayList<>();
        if (value.isArray()) value.forEach(v -> out.add(bytes(v.asText())));
        else out.add(bytes(value.asText()));
        return out;
    }

    private static byte[] bytes(String s) {
        boolean latin1 = s.chars().allMatch(c -> c <= 0xFF);
        return s.getBytes(latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }
}
