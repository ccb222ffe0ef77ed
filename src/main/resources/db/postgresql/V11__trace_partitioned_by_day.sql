-- Postern schema, version 11 on PostgreSQL (issue 10): trace and trace_recipient partitioned by day on
-- received_at, so retention drops whole partitions instead of deleting rows. Partitions are named
-- trace_pYYYYMMDD / trace_recipient_pYYYYMMDD (UTC days); the nodes create them a week ahead
-- (postern_trace_partition) and drop those past `trace.retention`. A DEFAULT partition catches a record whose
-- day has no partition (a clock far off), so a write never fails for want of one.
-- The primary keys include received_at (PostgreSQL requires the partition key in them); a ref is still unique in
-- practice (references are random), and the code upserts on (ref, received_at). The foreign key from
-- trace_recipient to trace cannot exist on partitioned tables: recipients go with their record's partition.

CREATE FUNCTION postern_trace_partition(day DATE) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
    suffix TEXT := to_char(day, 'YYYYMMDD');
    lower_bound TIMESTAMPTZ := (day::TIMESTAMP AT TIME ZONE 'UTC');
    upper_bound TIMESTAMPTZ := ((day + 1)::TIMESTAMP AT TIME ZONE 'UTC');
BEGIN
    EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF trace FOR VALUES FROM (%L) TO (%L)',
                   'trace_p' || suffix, lower_bound, upper_bound);
    EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF trace_recipient FOR VALUES FROM (%L) TO (%L)',
                   'trace_recipient_p' || suffix, lower_bound, upper_bound);
END $$;

ALTER TABLE trace_recipient DROP CONSTRAINT trace_recipient_ref_fkey;
ALTER TABLE trace RENAME TO trace_unpartitioned;
ALTER TABLE trace_unpartitioned RENAME CONSTRAINT trace_pkey TO trace_unpartitioned_pkey;
ALTER TABLE trace_recipient RENAME TO trace_recipient_unpartitioned;
ALTER TABLE trace_recipient_unpartitioned RENAME CONSTRAINT trace_recipient_pkey TO trace_recipient_unpartitioned_pkey;

CREATE TABLE trace (
    ref             VARCHAR(128) NOT NULL,
    tenant_id       VARCHAR(255),
    received_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    client_ip       VARCHAR(64) NOT NULL,
    helo            VARCHAR(1024),
    tls             VARCHAR(1024),
    mail_from       VARCHAR(1024),
    mail_from_lower VARCHAR(1024),
    recipients      TEXT NOT NULL,
    message_id      VARCHAR(1024),
    subject         VARCHAR(4096),
    size_bytes      BIGINT NOT NULL,
    scl             INTEGER,
    status          VARCHAR(32) NOT NULL,
    verdict         VARCHAR(32) NOT NULL,
    phase           VARCHAR(32) NOT NULL,
    smtp_reply      VARCHAR(4096) NOT NULL,
    decisions       TEXT NOT NULL,
    node            VARCHAR(255) NOT NULL,
    PRIMARY KEY (ref, received_at)
) PARTITION BY RANGE (received_at);

CREATE TABLE trace_recipient (
    ref         VARCHAR(128) NOT NULL,
    address     VARCHAR(1024) NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (ref, address, received_at)
) PARTITION BY RANGE (received_at);

CREATE TABLE trace_default PARTITION OF trace DEFAULT;
CREATE TABLE trace_recipient_default PARTITION OF trace_recipient DEFAULT;

-- Partitions for the days already traced and the week ahead, before any row arrives (a row in DEFAULT would
-- block creating its day's partition later).
SELECT postern_trace_partition(d::DATE)
FROM generate_series(
        COALESCE((SELECT min(received_at AT TIME ZONE 'UTC')::DATE FROM trace_unpartitioned), (now() AT TIME ZONE 'UTC')::DATE),
        (now() AT TIME ZONE 'UTC')::DATE + 7, INTERVAL '1 day') AS d;

INSERT INTO trace SELECT * FROM trace_unpartitioned;
INSERT INTO trace_recipient (ref, address, received_at)
SELECT r.ref, r.address, t.received_at FROM trace_recipient_unpartitioned r JOIN trace_unpartitioned t ON t.ref = r.ref;
DROP TABLE trace_recipient_unpartitioned;
DROP TABLE trace_unpartitioned;

CREATE INDEX trace_ref ON trace (ref);
CREATE INDEX trace_tenant_received ON trace (tenant_id, received_at);
CREATE INDEX trace_received ON trace (received_at);
CREATE INDEX trace_mail_from ON trace (mail_from_lower);
CREATE INDEX trace_status ON trace (status, received_at);
CREATE INDEX trace_recipient_address ON trace_recipient (address);
