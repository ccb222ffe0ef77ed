-- Postern schema, version 8: DKIM signing keys of tenants (`postern dkim keygen`).
-- The private key is sealed (AES-256-GCM, key in <data-dir>/secrets/dkim-master.key): a copy of the database
-- alone cannot sign mail. `selector` is the DNS selector; `base_selector` the one the tenant's `dkim:` names
-- (both keys of a dual RSA + Ed25519 pair share it).
CREATE TABLE dkim_key (
    tenant_id      VARCHAR(255) NOT NULL,
    domain         VARCHAR(255) NOT NULL,
    selector       VARCHAR(63) NOT NULL,
    base_selector  VARCHAR(63) NOT NULL,
    algorithm      VARCHAR(16) NOT NULL,
    sealed_key     VARCHAR(8000) NOT NULL,
    key_record     VARCHAR(2000) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant_id, domain, selector)
);
