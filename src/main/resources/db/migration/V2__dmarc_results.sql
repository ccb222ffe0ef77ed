-- Postern schema, version 2: DMARC results kept for aggregate reports (RFC 7489 §7.2).
-- One row per message whose From domain publishes DMARC; reports group rows by policy domain and day.
-- The row's identity columns are stored for grouping; the rest (policy published, raw SPF/DKIM results,
-- override reasons) is the report row as JSON.
CREATE TABLE dmarc_result (
    ref             VARCHAR(64) NOT NULL,
    tenant_id       VARCHAR(255) NOT NULL,
    received_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    policy_domain   VARCHAR(255) NOT NULL,
    header_from     VARCHAR(255) NOT NULL,
    source_ip       VARCHAR(64) NOT NULL,
    disposition     VARCHAR(16) NOT NULL,
    dkim_aligned    BOOLEAN NOT NULL,
    spf_aligned     BOOLEAN NOT NULL,
    report_row      TEXT NOT NULL
);
CREATE INDEX dmarc_result_domain_time ON dmarc_result (policy_domain, received_at);
