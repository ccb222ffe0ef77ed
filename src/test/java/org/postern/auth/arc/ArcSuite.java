package org.postern.auth.arc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the ValiMail ARC test suite ({@code ../shared/conformance/arc/valimail-arc-test-suite/}, a multi-document YAML
 * stream) with Jackson's streaming parser, so the four test names the file repeats inside one map
 * ({@code as_fields_b_head_case} and three others in "Arc Seal Fields") stay separate cases instead of a map
 * collapsing each pair to its last member.
 */
final class ArcSuite {

    record Scenario(String description, List<Case> cases, Map<String, String> txtRecords) { }

    /** One test; {@code occurrence} is 2 for the second case of a repeated name. */
    record Case(String name, int occurrence, JsonNode fields) {
        String displayName() {
            return occurrence == 1 ? name : name + " (#" + occurrence + ")";
        }

        String text(String field) {
            JsonNode n = fields.get(field);
            return n == null || n.isNull() ? "" : n.asText();
        }
    }

    private ArcSuite() {
    }

    static Path dir() {
        String property = System.getProperty("postern.conformance.dir");
        Path dir = (property != null ? Path.of(property) : Path.of("..", "shared", "conformance"))
                .resolve("arc/valimail-arc-test-suite");
        assertThat(Files.isDirectory(dir)).as("ARC suite directory %s", dir.toAbsolutePath()).isTrue();
        return dir;
    }

    static List<Scenario> load(String file) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<Scenario> scenarios = new ArrayList<>();
        try (JsonParser p = new YAMLFactory().createParser(dir().resolve(file).toFile())) {
            p.setCodec(mapper);
            JsonToken token;
            while ((token = p.nextToken()) != null) {
                if (token == JsonToken.START_OBJECT) scenarios.add(scenario(p));
            }
        }
        return scenarios;
    }

    private static Scenario scenario(JsonParser p) throws IOException {
        String description = "";
        List<Case> cases = new ArrayList<>();
        Map<String, String> txt = new LinkedHashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "description" -> description = p.getText().strip();
                case "tests" -> {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        p.nextToken();
                        JsonNode fields = p.readValueAsTree();
                        cases.add(new Case(name, seen.merge(name, 1, Integer::sum), fields));
                    }
                }
                case "txt-records" -> {
                    JsonNode records = p.readValueAsTree();
                    records.properties().forEach(e -> txt.put(e.getKey(), e.getValue().asText()));
                }
                default -> {
                    if (value.isStructStart()) p.skipChildren();
                }
            }
        }
        return new Scenario(description, cases, txt);
    }
}
