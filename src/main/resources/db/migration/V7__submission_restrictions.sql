-- Postern schema, version 7: submission users restricted from sending after reaching an outbound recipient limit
-- (tenant outbound.on-limit: restrict). A row stays until an admin lifts it (CLI `user unrestrict` or the API);
-- kept in the store so that every node refuses the user and a restart does not lift it.
-- (Versions 5 and 6 are left to the branches working beside this one: DKIM keys, shared counters.)
CREATE TABLE submission_restriction (
    email_lower    VARCHAR(320) NOT NULL PRIMARY KEY,
    tenant_id      VARCHAR(255) NOT NULL,
    restricted_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    reason         VARCHAR(1000) NOT NULL
);
CREATE INDEX submission_restriction_tenant ON submission_restriction (tenant_id);
