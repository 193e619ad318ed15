-- SFTP pollers: what a poll needs to read a growing file on from where it stopped without downloading it again.

-- Running state of the sha-256 over [0, offset), so the next read continues the same hash (hash-wasm save()).
ALTER TABLE ingest_sources ADD COLUMN sha256_state BLOB;
-- sha-256 of the (up to 4096) bytes just before offset: with head_sha256, tells a grown file from a rewritten one.
ALTER TABLE ingest_sources ADD COLUMN anchor_sha256 TEXT;
