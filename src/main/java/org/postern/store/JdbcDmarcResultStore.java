package org.postern.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import org.postern.auth.dmarc.DmarcReportRow;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * DMARC results for aggregate reports in {@code dmarc_result}: written in batches (one statement batch per flush,
 * off the SMTP path), read by policy domain and time range when a report is built.
 */
public final class JdbcDmarcResultStore {

    /** One message's report row, with where and when it was seen. */
    public record StoredResult(String ref, String tenant, Instant receivedAt, DmarcReportRow row) { }

    /** What a report needs per row; the full row stays available as JSON. */
    public record ReportLine(String headerFrom, String sourceIp, String disposition, boolean dkimAligned,
                             boolean spfAligned, String rowJson) { }

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module());
    private static final String INSERT = "INSERT INTO dmarc_result (ref, tenant_id, received_at, policy_domain, header_from,"
            + " source_ip, disposition, dkim_aligned, spf_aligned, report_row) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final DataSource dataSource;

    public JdbcDmarcResultStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void record(List<StoredResult> results) {
        if (results.isEmpty()) return;
        Jdbc.inTransaction(dataSource, "recording " + results.size() + " DMARC results", c -> {
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (StoredResult r : results) {
                    DmarcReportRow row = r.row();
                    ps.setString(1, r.ref());
                    ps.setString(2, r.tenant());
                    ps.setObject(3, Jdbc.timestamp(r.receivedAt()));
                    ps.setString(4, row.policyDomain());
                    ps.setString(5, row.headerFrom());
                    ps.setString(6, row.sourceIp().map(InetAddress::getHostAddress).orElse(""));
                    ps.setString(7, row.disposition().name().toLowerCase(Locale.ROOT));
                    ps.setBoolean(8, row.dkimAligned());
                    ps.setBoolean(9, row.spfAligned());
                    ps.setString(10, JSON.writeValueAsString(row));
                    ps.addBatch();
                }
                ps.executeBatch();
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("cannot serialise a DMARC report row", e);
            }
            return null;
        });
    }

    /** Rows for one policy domain received in [from, to). */
    public List<ReportLine> rows(String policyDomain, Instant from, Instant to) {
        return Jdbc.query(dataSource, "reading DMARC results of " + policyDomain, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT header_from, source_ip, disposition, dkim_aligned, spf_aligned, report_row"
                    + " FROM dmarc_result WHERE policy_domain = ? AND received_at >= ? AND received_at < ? ORDER BY received_at")) {
                ps.setString(1, policyDomain);
                ps.setObject(2, Jdbc.timestamp(from));
                ps.setObject(3, Jdbc.timestamp(to));
                List<ReportLine> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ReportLine(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                                rs.getBoolean(5), rs.getString(6)));
                    }
                }
                return out;
            }
        });
    }
}
