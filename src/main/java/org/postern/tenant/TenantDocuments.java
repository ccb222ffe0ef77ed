package org.postern.tenant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.postern.config.ConfigLoader;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads tenant documents (YAML or JSON: one document or a list) and writes their canonical stored form.
 * Reading validates everything: a document with any error is refused whole, naming the tenant and the field.
 */
public final class TenantDocuments {

    private static final ObjectMapper YAML = ConfigLoader.yamlMapper();
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new Jdk8Module())
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private TenantDocuments() { }

    /** Parses and validates; the text may hold one tenant or a list of tenants. */
    public static List<Tenant> parse(String yamlOrJson) {
        JsonNode tree;
        try {
            tree = YAML.readTree(yamlOrJson);
        } catch (JsonProcessingException e) {
            throw new TenantValidationException("not valid YAML: " + e.getOriginalMessage());
        }
        return fromTree(tree);
    }

    public static List<Tenant> fromTree(JsonNode tree) {
        if (tree == null || tree.isNull() || tree.isMissingNode()) return List.of();
        List<JsonNode> nodes = new ArrayList<>();
        if (tree.isArray()) tree.forEach(nodes::add);
        else if (tree.isObject() && tree.has("tenants")) tree.get("tenants").forEach(nodes::add);
        else nodes.add(tree);
        List<Tenant> tenants = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode node = nodes.get(i);
            String name = node.hasNonNull("id") ? "tenant '" + node.get("id").asText() + "'" : "tenant #" + (i + 1);
            TenantDocument doc;
            try {
                doc = YAML.treeToValue(node, TenantDocument.class);
            } catch (JsonProcessingException e) {
                throw new TenantValidationException(name + ": " + e.getOriginalMessage() + ConfigLoader.where(e));
            }
            tenants.add(TenantValidator.validate(doc));
        }
        TenantValidator.requireDistinct(tenants);
        return tenants;
    }

    /** The stored form: canonical JSON of the document. */
    public static String toJson(TenantDocument doc) {
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("tenant document cannot be written", e);
        }
    }

    public static String toYaml(TenantDocument doc) {
        try {
            return YAML.copy().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("tenant document cannot be written", e);
        }
    }

    /** Reads a stored document back; it was validated when applied, and is validated again. */
    public static Tenant fromJson(String json) {
        try {
            return TenantValidator.validate(JSON.readValue(json, TenantDocument.class));
        } catch (JsonProcessingException e) {
            throw new TenantValidationException("stored tenant document unreadable: " + e.getOriginalMessage());
        }
    }
}
