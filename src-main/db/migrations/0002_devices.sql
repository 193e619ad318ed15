-- IPPBX devices: their CDR format, time zone, numbering plan, allowed addresses and SFTP pull settings.

CREATE TABLE devices (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE,
  format TEXT NOT NULL,
  -- JSON: format-specific settings (generic-csv column map, date format...)
  format_options TEXT,
  time_zone TEXT NOT NULL,
  country_code TEXT NOT NULL,
  area_code TEXT NOT NULL,
  national_prefix TEXT NOT NULL,
  international_prefix TEXT NOT NULL,
  extension_pattern TEXT NOT NULL DEFAULT '',
  -- JSON array of subscriber-number lengths dialled without area code; empty = the country's default
  local_number_lengths TEXT NOT NULL DEFAULT '[]',
  -- JSON array of source addresses (IPv4/IPv6, or CIDR) allowed to push CDRs for this device
  addresses TEXT NOT NULL DEFAULT '[]',
  default_enterprise_id INTEGER,
  -- JSON: { host, port, username, folder, pattern, intervalSeconds, afterFetch, moveTo? } or NULL for no polling
  sftp TEXT,
  -- sealed (AES-GCM, key in the data folder): { password?, privateKey?, passphrase? }
  sftp_secret TEXT,
  enabled INTEGER NOT NULL DEFAULT 1,
  notes TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
