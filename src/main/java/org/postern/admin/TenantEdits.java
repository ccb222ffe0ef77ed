package org.postern.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.postern.tenant.Tenant;
import org.postern.tenant.TenantCatalog;
import org.postern.tenant.TenantDocuments;
import org.postern.tenant.TenantValidationException;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Changes to one tenant document, as {@code apply} makes them (validated whole, all or nothing), each written to
 * the audit log with the document before and after.
 */
final class TenantEdits {

    static final ObjectMapper JSON = new ObjectMapper();

    private final TenantCatalog catalog;
    private final AuditLog audit;

    TenantEdits(TenantCatalog catalog, AuditLog audit) {
        this.catalog = catalog;
        this.audit = audit;
    }

    /** The tenant's document as JSON (its stored, canonical form). */
    ObjectNode document(String tenant) {
        Tenant t = catalog.get(tenant).orElseThrow(() -> new NotFound("no tenant " + tenant));
        try {
            return (ObjectNode) JSON.readTree(TenantDocuments.toJson(t.document()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Applies {@code change} to the document; returns the new document. */
    ObjectNode edit(String tenant, String actor, String action, UnaryOperator<ObjectNode> change) {
        ObjectNode before = document(tenant);
        ObjectNode after = change.apply(before.deepCopy());
        if (!tenant.equals(after.path("id").asText())) throw new TenantValidationException("the document's id must be " + tenant);
        List<Tenant> parsed = TenantDocuments.fromTree(after);
        catalog.apply(parsed);
        ObjectNode stored = document(tenant);
        audit.record(tenant, actor, action, before.toString(), stored.toString());
        return stored;
    }

    /** Creates a tenant (operator) or replaces one; audited with an empty "before" for a new tenant. */
    ObjectNode put(String tenant, String actor, JsonNode doc) {
        if (!doc.isObject()) throw new TenantValidationException("a tenant document is a JSON object");
        ObjectNode after = ((ObjectNode) doc).deepCopy();
        if (!after.has("id")) after.put("id", tenant);
        if (!tenant.equals(after.path("id").asText())) throw new TenantValidationException("the document's id must be " + tenant);
        String before = catalog.get(tenant).map(t -> TenantDocuments.toJson(t.document())).orElse("");
        catalog.apply(TenantDocuments.fromTree(after));
        ObjectNode stored = document(tenant);
        audit.record(tenant, actor, before.isEmpty() ? "tenant create" : "tenant replace", before, stored.toString());
        return stored;
    }

    static ArrayNode array(ObjectNode doc, String field) {
        JsonNode n = doc.get(field);
        return n instanceof ArrayNode a ? a : doc.putArray(field);
    }

    /** Removes the entries of {@code field} whose {@code key} equals {@code value}; 404 when none did. */
    static ObjectNode removeWhere(ObjectNode doc, String field, String key, String value) {
        ArrayNode a = array(doc, field);
        boolean removed = false;
        for (int i = a.size() - 1; i >= 0; i--) {
            if (value.equals(a.get(i).path(key).asText())) {
                a.remove(i);
                removed = true;
            }
        }
        if (!removed) throw new NotFound("no " + field + " entry with " + key + " " + value);
        if (a.isEmpty()) doc.remove(field);
        return doc;
    }

    /** A missing resource: 404. */
    static final class NotFound extends RuntimeException {
        NotFound(String message) { super(message); }
    }
}
