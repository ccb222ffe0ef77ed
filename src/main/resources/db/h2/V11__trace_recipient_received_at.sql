-- Postern schema, version 11 on H2: the recipients carry their record's received_at, as on PostgreSQL (where it
-- is the partition key). H2 keeps one plain table; retention there is a DELETE (TraceRetention).
ALTER TABLE trace_recipient ADD COLUMN received_at TIMESTAMP WITH TIME ZONE;
