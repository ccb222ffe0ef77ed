package org.postern.content;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each {@code fixtures/*.eml} is headed by the reasons it must raise ({@code # expect: a, b} or {@code none}) and
 * the session facts it assumes ({@code # tenant:}, {@code # helo:}, {@code # gateway:}); no other heuristic reason
 * may fire. The classifier is left out (a neutral verdict), so only the heuristics speak.
 */
class SclFixturesTest {

    @TestFactory
    Stream<DynamicTest> fixturesRaiseExactlyTheirReasons() throws IOException, URISyntaxException {
        Path dir = Path.of(SclFixturesTest.class.getResource("fixtures").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".eml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(6);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    private static void check(Path fixture) throws IOException {
        List<String> expected = new ArrayList<>();
        SclInputs.Builder inputs = SclInputs.builder();
        StringBuilder message = new StringBuilder();
        for (String line : Files.readAllLines(fixture, StandardCharsets.UTF_8)) {
            if (line.startsWith("# expect:")) {
                Arrays.stream(line.substring(9).split(",")).map(String::strip).filter(s -> !s.equals("none")).forEach(expected::add);
            } else if (line.startsWith("# tenant:")) {
                inputs.tenantDomains(Set.of(line.substring(9).strip()));
            } else if (line.startsWith("# helo:")) {
                inputs.helo(line.substring(7).strip());
            } else if (line.startsWith("# gateway:")) {
                inputs.gateway(line.substring(10).strip(), 0);
            } else {
                message.append(line).append("\r\n");
            }
        }
        try (MessageView view = MessageView.parse(new ByteArrayInputStream(message.toString().getBytes(StandardCharsets.UTF_8)),
                ViewLimits.defaults())) {
            SclResult r = SclCalculator.standard().calculate(new ContentVerdict(0.5, List.of()), view, inputs.build());
            List<String> raised = r.reasonIds().stream().filter(id -> !id.equals("classifier.score")).toList();
            assertThat(raised).as(r.reasons().toString()).containsExactlyInAnyOrderElementsOf(expected);
        }
    }
}
