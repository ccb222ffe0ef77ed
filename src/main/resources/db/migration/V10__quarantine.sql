-- Postern schema, version 10: quarantine in the store (issue 10), so every node of a fleet lists, previews and
-- releases every held message. The body is kept in chunks of at most 256 KiB, written before the message's row
-- (the row is the commit point: chunks without a row are never listed and are swept by retention), and read back
-- chunk by chunk, so neither side holds a large message in memory.
CREATE TABLE quarantine (
    id               VARCHAR(128) NOT NULL PRIMARY KEY,
    tenant_id        VARCHAR(255) NOT NULL,
    held_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    mail_from        VARCHAR(1024) NOT NULL,
    recipients       TEXT NOT NULL,
    subject          VARCHAR(4096) NOT NULL,
    size_bytes       BIGINT NOT NULL,
    reason           VARCHAR(4096) NOT NULL,
    delivery_target  VARCHAR(1024) NOT NULL,
    chunks           INTEGER NOT NULL,
    released_by      VARCHAR(1024),
    released_at      TIMESTAMP WITH TIME ZONE,
    release_node     VARCHAR(255),
    claimed_by       VARCHAR(255)
);
CREATE INDEX quarantine_tenant_held ON quarantine (tenant_id, held_at);
CREATE INDEX quarantine_released ON quarantine (released_at);

CREATE TABLE quarantine_chunk (
    id          VARCHAR(128) NOT NULL,
    seq         INTEGER NOT NULL,
    data        BYTEA NOT NULL,
    written_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (id, seq)
);
