package org.postern.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.postern.trace.DecisionEntry;
import org.postern.trace.DeliveryEvent;
import org.postern.trace.TraceRecord;
import org.postern.trace.TraceStatus;

/**
 * Trace records and delivery attempts to and from rows. Text that came from the network (HELO, subject, replies)
 * is cut to its column's length and cleared of NUL characters, which PostgreSQL refuses: a hostile HELO must
 * never make the trace write — and so the whole transaction — fail.
 */
final class TraceRows {

    static final int MAX_REF = 128;

    /** The trace columns after {@code ref}, in the order {@link #bind} sets them. */
    static final List<String> COLUMNS = List.of("tenant_id", "received_at", "client_ip", "helo", "tls", "mail_from",
            "mail_from_lower", "recipients", "message_id", "subject", "size_bytes", "scl", "status", "verdict",
            "phase", "smtp_reply", "decisions", "node");

    static final String SELECT = "SELECT ref, " + String.join(", ", COLUMNS) + " FROM trace t";

    static final String DELIVERY_COLUMNS =
            "ref, tenant_id, recipient, attempted_at, outcome, attempt, target, detail, node";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<List<DecisionEntry>> DECISIONS = new TypeReference<>() { };

    private TraceRows() {
    }

    /** Binds the {@link #COLUMNS} of {@code r} starting at parameter {@code first}; returns the next index. */
    static int bind(PreparedStatement ps, int first, TraceRecord r) throws SQLException {
        int i = first;
        ps.setString(i++, r.tenant().map(t -> text(t, 255)).orElse(null));
        ps.setObject(i++, Jdbc.timestamp(r.receivedAt()));
        ps.setString(i++, text(r.clientIp(), 64));
        ps.setString(i++, r.helo().map(h -> text(h, 1024)).orElse(null));
        ps.setString(i++, r.tls().map(t -> text(t, 1024)).orElse(null));
        ps.setString(i++, r.mailFrom().map(m -> text(m, 1024)).orElse(null));
        ps.setString(i++, r.mailFrom().map(m -> text(m, 1024).toLowerCase(Locale.ROOT)).orElse(null));
        ps.setString(i++, json(storedRecipients(r)));
        ps.setString(i++, r.messageId().map(m -> text(m, 1024)).orElse(null));
        ps.setString(i++, r.subject().map(s -> text(s, 4096)).orElse(null));
        ps.setLong(i++, r.size());
        if (r.scl().isPresent()) {
            ps.setInt(i++, r.scl().getAsInt());
        } else {
            ps.setNull(i++, Types.INTEGER);
        }
        ps.setString(i++, r.status().name());
        ps.setString(i++, r.status().name()); // verdict: the status as recorded
        ps.setString(i++, text(r.phase(), 32));
        ps.setString(i++, text(r.smtpReply(), 4096));
        ps.setString(i++, json(r.decisions().stream().map(TraceRows::clean).toList()));
        ps.setString(i++, text(r.node(), 255));
        return i;
    }

    static TraceRecord record(ResultSet rs) throws SQLException {
        int scl = rs.getInt("scl");
        OptionalInt sclValue = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(scl);
        return new TraceRecord(rs.getString("ref"), optional(rs, "tenant_id"), Jdbc.instant(rs, "received_at"),
                rs.getString("client_ip"), optional(rs, "helo"), optional(rs, "tls"), optional(rs, "mail_from"),
                parse(rs.getString("recipients"), STRINGS), optional(rs, "message_id"), optional(rs, "subject"),
                rs.getLong("size_bytes"), sclValue, TraceStatus.valueOf(rs.getString("status")),
                rs.getString("phase"), rs.getString("smtp_reply"), parse(rs.getString("decisions"), DECISIONS),
                rs.getString("node"));
    }

    /** The recipients as the {@code recipients} column holds them. */
    static List<String> storedRecipients(TraceRecord r) {
        return r.recipients().stream().map(a -> text(a, 1024)).toList();
    }

    /** The {@code recipients} column read back. */
    static List<String> recipients(String json) throws SQLException {
        return parse(json, STRINGS);
    }

    /** The distinct lower-cased recipients, the keys of {@code trace_recipient}. */
    static Set<String> recipientKeys(List<String> recipients) {
        Set<String> keys = new LinkedHashSet<>();
        recipients.forEach(r -> keys.add(recipientKey(r)));
        return keys;
    }

    static String recipientKey(String address) {
        return text(address, 1024).toLowerCase(Locale.ROOT);
    }

    static void bindDelivery(PreparedStatement ps, DeliveryEvent e) throws SQLException {
        ps.setString(1, e.ref());
        ps.setString(2, e.tenant() == null ? null : text(e.tenant(), 255));
        ps.setString(3, text(e.recipient(), 1024));
        ps.setObject(4, Jdbc.timestamp(e.at()));
        ps.setString(5, e.outcome().name());
        ps.setInt(6, e.attempt());
        ps.setString(7, text(e.target(), 1024));
        ps.setString(8, text(e.detail(), 4096));
        ps.setString(9, text(e.node(), 255));
    }

    static DeliveryEvent delivery(ResultSet rs) throws SQLException {
        return new DeliveryEvent(rs.getString("ref"), rs.getString("tenant_id"), rs.getString("recipient"),
                Jdbc.instant(rs, "attempted_at"), TraceStatus.valueOf(rs.getString("outcome")), rs.getInt("attempt"),
                rs.getString("target"), rs.getString("detail"), rs.getString("node"));
    }

    /** Network text made storable: NUL replaced, cut to {@code max} characters (null stays null). */
    static String text(String value, int max) {
        if (value == null) {
            return null;
        }
        String clean = value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD');
        if (clean.length() <= max) {
            return clean;
        }
        int end = Character.isHighSurrogate(clean.charAt(max - 1)) ? max - 1 : max;
        return clean.substring(0, end);
    }

    private static DecisionEntry clean(DecisionEntry d) {
        return new DecisionEntry(text(d.stage(), 4096), text(d.outcome(), 4096), text(d.reason(), 4096),
                text(d.setting(), 4096));
    }

    private static Optional<String> optional(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getString(column));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise trace field", e);
        }
    }

    private static <T> T parse(String json, TypeReference<T> type) throws SQLException {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable JSON in trace row: " + e.getOriginalMessage(), "22000", e);
        }
    }
}
