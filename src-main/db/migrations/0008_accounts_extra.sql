-- Numbers that called from a device (outgoing and internal calls), so extensions that appear in CDRs but are not
-- configured can be listed and adopted (extensions.unknown) without scanning the CDRs. Kept up to date in the
-- transaction that stores each batch of CDRs; only numbers an extension could have (digits, * # +, at most 20).
CREATE TABLE caller_sightings (
  device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  caller TEXT NOT NULL,
  calls INTEGER NOT NULL,
  first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  PRIMARY KEY (device_id, caller)
) WITHOUT ROWID;

INSERT INTO caller_sightings (device_id, caller, calls, first_seen_at, last_seen_at)
SELECT device_id, caller, COUNT(*), MIN(start_at), MAX(start_at) FROM cdrs
WHERE direction <> 'inbound' AND length(caller) BETWEEN 1 AND 20 AND caller NOT GLOB '*[^0-9*#+]*'
GROUP BY device_id, caller;
