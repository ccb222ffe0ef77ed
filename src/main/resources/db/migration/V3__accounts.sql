-- Postern schema, version 3: accounts (console users, later submission users) of a tenant.
-- The e-mail address is the login name, unique across tenants; the password is an encoded Argon2id hash.
CREATE TABLE account (
    email_lower    VARCHAR(320) NOT NULL PRIMARY KEY,
    email          VARCHAR(320) NOT NULL,
    tenant_id      VARCHAR(255) NOT NULL,
    role           VARCHAR(32) NOT NULL,
    password_hash  VARCHAR(512) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX account_tenant ON account (tenant_id);
