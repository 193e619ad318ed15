-- CDR ingestion: received calls (one row each, raw record inline), unreadable records, polled files, daily counts.
-- Every instant is UTC epoch milliseconds. CHECKs list their values with OR: SQLite evaluates `x IN (...)` in a CHECK
-- through a temporary table on every insert, which more than doubled the cost of storing a CDR.

CREATE TABLE cdrs (
  id INTEGER PRIMARY KEY,
  device_id INTEGER NOT NULL REFERENCES devices (id),
  -- Unique per device: the PBX's native id plus a hash of the normalized fields, or a hash alone (DESIGN §7)
  dedup_key TEXT NOT NULL,
  native_id TEXT,
  format TEXT NOT NULL,
  start_at INTEGER NOT NULL,
  -- NULL: never answered
  answer_at INTEGER,
  end_at INTEGER NOT NULL,
  duration INTEGER NOT NULL,
  billsec INTEGER NOT NULL,
  caller TEXT NOT NULL,
  caller_name TEXT NOT NULL DEFAULT '',
  -- the number as dialled, before route prefix rules
  callee TEXT NOT NULL,
  original_callee TEXT,
  final_callee TEXT,
  direction TEXT NOT NULL CHECK (direction = 'outbound' OR direction = 'inbound' OR direction = 'internal' OR direction = 'unknown'),
  trunk_in TEXT,
  trunk_out TEXT,
  disposition TEXT NOT NULL CHECK (disposition = 'answered' OR disposition = 'no_answer' OR disposition = 'busy' OR disposition = 'failed' OR disposition = 'unknown'),
  cause TEXT,
  account_code TEXT,
  pin TEXT,
  -- the record as received (several lines joined by "\n" when a call spans records)
  raw TEXT NOT NULL,
  joined_records INTEGER NOT NULL DEFAULT 1,
  source_kind TEXT NOT NULL CHECK (source_kind = 'tcp' OR source_kind = 'http' OR source_kind = 'sftp' OR source_kind = 'import'),
  -- connection id and remote address, file path, or file name
  source_name TEXT NOT NULL,
  source_line INTEGER,
  source_offset INTEGER,
  -- 0-based index of the record inside a body that holds several
  source_index INTEGER,
  received_at INTEGER NOT NULL,
  -- Filled by the rating/charging pipeline; 'pending' = not yet rated.
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status = 'pending' OR status = 'rated' OR status = 'unrated'),
  status_reason TEXT,
  call_type TEXT,
  normalized TEXT,
  rating_number TEXT,
  area_code TEXT,
  region TEXT,
  country TEXT,
  rate_id INTEGER,
  rate_group_id INTEGER,
  billed_seconds INTEGER,
  -- 1/10000 of the currency unit
  cost INTEGER,
  account_id INTEGER,
  enterprise_id INTEGER,
  user_account_id INTEGER,
  gateway_id INTEGER,
  rated_at INTEGER,
  UNIQUE (device_id, dedup_key)
);

-- Time-ordered reads (latest first, keyset by id). Search indexes are added with the search views: each index
-- costs ingestion speed.
CREATE INDEX cdrs_start_at ON cdrs (start_at, id);
-- The queue of CDRs not yet rated.
CREATE INDEX cdrs_pending ON cdrs (id) WHERE status = 'pending';

-- Records that could not be read: kept with the reason and where they came from, re-processable after a fix.
CREATE TABLE cdr_rejects (
  id INTEGER PRIMARY KEY,
  device_id INTEGER NOT NULL REFERENCES devices (id),
  -- sha-256 of the raw record (of the reason when the raw text is empty): a re-sent bad record is kept once
  raw_key TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  source_kind TEXT NOT NULL CHECK (source_kind = 'tcp' OR source_kind = 'http' OR source_kind = 'sftp' OR source_kind = 'import'),
  source_name TEXT NOT NULL,
  source_line INTEGER,
  source_offset INTEGER,
  -- 0-based index of the record inside a body that holds several
  source_index INTEGER,
  raw TEXT NOT NULL,
  -- 0: the raw text is only the start of the record (a line over the length cap): it cannot be reprocessed
  raw_complete INTEGER NOT NULL DEFAULT 1,
  -- the header line(s) of the file the record came from, fed to the parser before it when it is reprocessed
  context TEXT,
  reason TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status = 'open' OR status = 'reprocessed' OR status = 'dismissed'),
  resolved_at INTEGER,
  -- what the last reprocess attempt said (the reason it still fails, or how many CDRs it gave)
  resolution TEXT,
  -- the CDR the record became when reprocessed (or the already stored one it duplicates)
  cdr_id INTEGER REFERENCES cdrs (id) ON DELETE SET NULL,
  UNIQUE (device_id, raw_key)
);

CREATE INDEX cdr_rejects_device_status ON cdr_rejects (device_id, status, id);
CREATE INDEX cdr_rejects_status ON cdr_rejects (status, id);

-- Polled files (SFTP): how far each was read, so a growing file is read incrementally and a rotated one again.
-- The row moves in the same transaction as the records read from the file.
CREATE TABLE ingest_sources (
  id INTEGER PRIMARY KEY,
  device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  -- remote path of the file
  path TEXT NOT NULL,
  -- size and modification time (UTC ms) at the last read
  size INTEGER,
  mtime INTEGER,
  -- bytes and lines consumed so far (the next read starts here)
  offset INTEGER NOT NULL DEFAULT 0,
  line INTEGER NOT NULL DEFAULT 0,
  -- sha-256 of the bytes [0, offset) read so far
  sha256 TEXT,
  -- sha-256 of the first head_bytes bytes: a different head means the file was rotated or rewritten
  head_sha256 TEXT,
  head_bytes INTEGER,
  -- e.g. 'reading', 'growing' (complete lines read, more may come), 'done', 'moved', 'deleted', 'error'
  status TEXT NOT NULL DEFAULT 'reading',
  error TEXT,
  -- records stored from this file (CDRs + rejects)
  records INTEGER NOT NULL DEFAULT 0,
  first_seen_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (device_id, path)
);

-- Per device and day (the workstation's zone): what was received; written in the same transaction as the records.
CREATE TABLE ingest_daily (
  device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  -- YYYY-MM-DD
  day TEXT NOT NULL,
  received INTEGER NOT NULL DEFAULT 0,
  stored INTEGER NOT NULL DEFAULT 0,
  duplicates INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,
  last_received_at INTEGER NOT NULL,
  PRIMARY KEY (device_id, day)
) WITHOUT ROWID;
