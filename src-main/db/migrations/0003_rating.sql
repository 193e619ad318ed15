-- Rating configuration (DESIGN §5, §6): route prefix rules per device, rate groups and their rates, number
-- attribution with its import versions, and special numbers. Money is INTEGER 1/10000 of the currency unit.

-- Rules that rewrite the dialled number of a device, tried in `position` order (1, 2, ...; renumbering passes through
-- negative positions, so UNIQUE (device_id, position) holds at every step).
CREATE TABLE route_prefixes (
  id INTEGER PRIMARY KEY,
  device_id INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  prefix TEXT NOT NULL CHECK (prefix <> '' AND prefix NOT GLOB '*[^0-9]*'),
  min_remaining_length INTEGER NOT NULL DEFAULT 0 CHECK (min_remaining_length >= 0),
  replacement TEXT NOT NULL DEFAULT '' CHECK (replacement NOT GLOB '*[^0-9+]*'),
  notes TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (device_id, position)
);

CREATE TABLE rate_groups (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE,
  currency TEXT NOT NULL DEFAULT 'CNY',
  notes TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE rates (
  id INTEGER PRIMARY KEY,
  rate_group_id INTEGER NOT NULL REFERENCES rate_groups(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  call_type TEXT NOT NULL CHECK (call_type IN ('internal', 'local', 'domestic', 'international', 'special')),
  -- national form for local/domestic ("21", "138"), international form for international ("44"); '' = default
  prefix TEXT NOT NULL DEFAULT '' CHECK (prefix NOT GLOB '*[^0-9]*'),
  connect_fee INTEGER NOT NULL DEFAULT 0 CHECK (connect_fee >= 0),
  -- JSON [{ "start": s, "price": 1/10000 units, "unit": s, "increment": s }], ascending from start 0
  intervals TEXT NOT NULL,
  free_seconds INTEGER NOT NULL DEFAULT 0 CHECK (free_seconds >= 0),
  min_seconds INTEGER NOT NULL DEFAULT 0 CHECK (min_seconds >= 0),
  -- epoch ms from which the rate applies; NULL = always
  effective_from INTEGER,
  -- time band: ISO days "1,2,3,4,5" (sorted, no repeats) and a device-local [from, to) "HH:MM"; all NULL = none
  band_days TEXT,
  band_from TEXT,
  band_to TEXT,
  notes TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK ((band_days IS NULL) = (band_from IS NULL) AND (band_from IS NULL) = (band_to IS NULL))
);
-- One rate per (group, call type, prefix, band, effective date). NULL never equals NULL in SQL, so "no band" and
-- "always" are compared through values a real band or instant cannot take.
CREATE UNIQUE INDEX rates_identity ON rates (
  rate_group_id, call_type, prefix,
  IFNULL(band_days, ''), IFNULL(band_from, ''), IFNULL(band_to, ''),
  IFNULL(effective_from, -1)
);

-- Each change to the attribution data: the default data of a fresh install, or an imported file.
CREATE TABLE attribution_versions (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  account_id INTEGER,
  username TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('default', 'import')),
  file_name TEXT,
  -- merge: rows of the file are added or changed, others kept; replace: the file's countries hold only its rows
  mode TEXT NOT NULL CHECK (mode IN ('merge', 'replace')),
  -- JSON array of the country codes the version touched
  country_codes TEXT NOT NULL,
  rows_in_file INTEGER NOT NULL,
  rows_added INTEGER NOT NULL,
  rows_changed INTEGER NOT NULL,
  rows_removed INTEGER NOT NULL,
  rows_unchanged INTEGER NOT NULL,
  millis INTEGER NOT NULL
);

-- National-number prefix -> region, area code, carrier, kind; the longest matching prefix wins.
CREATE TABLE attribution (
  id INTEGER PRIMARY KEY,
  country_code TEXT NOT NULL CHECK (country_code <> '' AND country_code NOT GLOB '*[^0-9]*'),
  prefix TEXT NOT NULL CHECK (prefix <> '' AND prefix NOT GLOB '*[^0-9]*'),
  region TEXT NOT NULL DEFAULT '',
  region_en TEXT NOT NULL DEFAULT '',
  area_code TEXT NOT NULL DEFAULT '' CHECK (area_code NOT GLOB '*[^0-9]*'),
  carrier TEXT NOT NULL DEFAULT '',
  carrier_en TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL CHECK (kind IN ('mobile', 'fixed')),
  -- the version that added or last changed the row (attribution_versions.id; no foreign key: the default data's
  -- rows are written in batches before their version row, which marks the load complete)
  version_id INTEGER,
  UNIQUE (country_code, prefix)
);
CREATE INDEX attribution_area ON attribution (country_code, area_code);

-- Special numbers dialled without trunk prefix (emergency, carrier service, 95xxx, 400/800...), per country:
-- an exact `number`, or every number starting with `prefix` whose length is within [min_length, max_length].
CREATE TABLE special_numbers (
  id INTEGER PRIMARY KEY,
  country_code TEXT NOT NULL,
  position INTEGER NOT NULL,
  number TEXT CHECK (number <> '' AND number NOT GLOB '*[^0-9]*'),
  prefix TEXT CHECK (prefix <> '' AND prefix NOT GLOB '*[^0-9]*'),
  min_length INTEGER,
  max_length INTEGER,
  category TEXT NOT NULL,
  name_en TEXT NOT NULL,
  name_zh TEXT NOT NULL,
  CHECK ((number IS NULL) <> (prefix IS NULL)),
  CHECK (prefix IS NULL OR (min_length IS NOT NULL AND max_length IS NOT NULL AND max_length >= min_length))
);
CREATE UNIQUE INDEX special_numbers_exact ON special_numbers (country_code, number) WHERE number IS NOT NULL;
CREATE INDEX special_numbers_country ON special_numbers (country_code, position);

-- Who last set a country's special-number list; a missing row for a country whose defaults ship means "not seeded".
CREATE TABLE special_number_lists (
  country_code TEXT PRIMARY KEY,
  source TEXT NOT NULL CHECK (source IN ('default', 'edited')),
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL
);
