package org.postern.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads the operator configuration: the embedded defaults with the operator's file merged over them, so a file
 * names only what it changes. Unknown keys fail the load with the key's path, as a mistyped limit must not be
 * silently ignored.
 */
public final class ConfigLoader {

    private static final ObjectMapper YAML = yamlMapper();

    private ConfigLoader() { }

    /** A YAML mapper that refuses unknown properties and understands Optional and java.time. */
    public static ObjectMapper yamlMapper() {
        return new ObjectMapper(new YAMLFactory())
                .registerModule(new Jdk8Module())
                .registerModule(new JavaTimeModule())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
    }

    public static OperatorConfig defaults() {
        return fromTree(defaultsTree());
    }

    public static OperatorConfig load(Path file) {
        JsonNode user;
        try {
            user = YAML.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (user == null || user.isMissingNode() || user.isNull()) return defaults();
        if (!user.isObject()) throw new ConfigException(file + ": the configuration must be a YAML mapping");
        ObjectNode merged = defaultsTree();
        merge(merged, (ObjectNode) user);
        return fromTree(merged);
    }

    static OperatorConfig fromTree(JsonNode tree) {
        try {
            OperatorConfig config = YAML.treeToValue(tree, OperatorConfig.class);
            ConfigValidator.validate(config);
            return config;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException("configuration: " + e.getOriginalMessage() + where(e), e);
        }
    }

    /** " (at a.b[2].c)" for a mapping error with a path, else "": how config and tenant errors name the key. */
    public static String where(com.fasterxml.jackson.core.JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (var ref : m.getPath()) {
                if (ref.getFieldName() != null) path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
                else path.append('[').append(ref.getIndex()).append(']');
            }
            return " (at " + path + ")";
        }
        return "";
    }

    private static ObjectNode defaultsTree() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("defaults.yaml")) {
            if (in == null) throw new IllegalStateException("defaults.yaml missing from the build");
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Objects merge key by key; lists and scalars from the operator's file replace the default. */
    private static void merge(ObjectNode target, ObjectNode source) {
        Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode existing = target.get(f.getKey());
            if (existing instanceof ObjectNode eo && f.getValue() instanceof ObjectNode so) {
                merge(eo, so);
            } else {
                target.set(f.getKey(), f.getValue());
            }
        }
    }
}
