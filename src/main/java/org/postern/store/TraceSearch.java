package org.postern.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.postern.trace.TraceQuery;

/**
 * A {@link TraceQuery} as SQL: every present filter is one indexed condition, all must hold. Sender and recipient
 * compare with the lower-cased copies the writer stored; "any recipient is X" is an EXISTS on
 * {@code trace_recipient}. Paging is standard {@code OFFSET ... FETCH FIRST}, which H2 and PostgreSQL share.
 */
record TraceSearch(String sql, List<Object> parameters) {

    static TraceSearch of(TraceQuery q, int maxLimit) {
        StringBuilder sql = new StringBuilder(TraceRows.SELECT).append(" WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        q.tenant().ifPresent(t -> {
            sql.append(" AND t.tenant_id = ?");
            params.add(t);
        });
        q.ref().ifPresent(r -> {
            sql.append(" AND t.ref = ?");
            params.add(r);
        });
        q.sender().ifPresent(s -> {
            sql.append(" AND t.mail_from_lower = ?");
            params.add(s.strip().toLowerCase(Locale.ROOT));
        });
        q.recipient().ifPresent(r -> {
            sql.append(" AND EXISTS (SELECT 1 FROM trace_recipient r WHERE r.ref = t.ref AND r.address = ?)");
            params.add(TraceRows.recipientKey(r.strip()));
        });
        q.since().ifPresent(s -> {
            sql.append(" AND t.received_at >= ?");
            params.add(Jdbc.timestamp(s));
        });
        q.status().ifPresent(s -> {
            sql.append(" AND t.status = ?");
            params.add(s.name());
        });
        sql.append(" ORDER BY t.received_at DESC, t.ref DESC OFFSET ? ROWS FETCH FIRST ? ROWS ONLY");
        params.add(q.offset());
        params.add(Math.min(q.limit(), maxLimit));
        return new TraceSearch(sql.toString(), List.copyOf(params));
    }

    void bind(PreparedStatement ps) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            ps.setObject(i + 1, parameters.get(i));
        }
    }
}
