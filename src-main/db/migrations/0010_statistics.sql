-- Statistics rollups and closed monthly bills (DESIGN §9, §12).
--
-- stats_daily: the rated CDRs counted per local day x account x call type, kept in the transaction that charges,
-- rerates or charges again a CDR, so statistics read these rows and never scan CDRs. A CDR counts once for its
-- enterprise ('enterprise' rows, account_id = enterprise_id) and once more for the user or the gateway account it was
-- charged to ('user' / 'gateway' rows). Days are calendar days in the zone recorded in stats_state (the statistics
-- time zone), numbered as days since 1970-01-01 of that calendar. Rows are kept when old CDRs are purged: past
-- statistics stay. Money is INTEGER 1/10000 of the currency unit.
CREATE TABLE stats_daily (
  -- an OR list: SQLite evaluates an IN list in a CHECK through a temporary table on every write
  kind TEXT NOT NULL CHECK (kind = 'enterprise' OR kind = 'user' OR kind = 'gateway'),
  enterprise_id INTEGER NOT NULL,
  day INTEGER NOT NULL,
  account_id INTEGER NOT NULL,
  call_type TEXT NOT NULL,
  calls INTEGER NOT NULL DEFAULT 0,
  -- calls with talk time (billsec > 0)
  answered INTEGER NOT NULL DEFAULT 0,
  -- billsec, and the seconds the rate billed (after minimums and increments)
  seconds INTEGER NOT NULL DEFAULT 0,
  billed_seconds INTEGER NOT NULL DEFAULT 0,
  amount INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (kind, enterprise_id, day, account_id, call_type)
) WITHOUT ROWID;
-- All enterprises (or all users, all gateways) of a period.
CREATE INDEX stats_daily_by_day ON stats_daily (kind, day);

-- One row: the zone of stats_daily's days; NULL until the rollups were first counted (at start, from the CDRs).
CREATE TABLE stats_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  time_zone TEXT,
  built_at INTEGER,
  -- CDRs that started before this instant were purged (retention): days before it stay as they were counted, and the
  -- check compares rollups with a recount from here on only. NULL: no CDR was ever purged.
  counted_from INTEGER,
  -- While the rollups are recounted for another zone (src-main/statistics/rebuild.ts, oldest days first): the zone,
  -- and the instant before which days are already counted in it.
  rebuild_zone TEXT,
  rebuild_until INTEGER
);
INSERT INTO stats_state (id) VALUES (1);

-- Bills: the statement of a closed month per enterprise, as it was when the month was closed. Immutable: a later
-- rerate or correction is a ledger entry dated when it was written, so it appears in the next month's statement.
CREATE TABLE bills (
  id INTEGER PRIMARY KEY,
  enterprise_id INTEGER NOT NULL REFERENCES accounts (id),
  -- 'YYYY-MM' in time_zone
  month TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  -- the ledger entries of the statement: at >= period_from AND at < period_to (the next month starts at period_to)
  period_from INTEGER NOT NULL,
  period_to INTEGER NOT NULL,
  opening INTEGER NOT NULL,
  closing INTEGER NOT NULL,
  -- postpaid: what the customer owes at the end of the period; NULL for prepaid
  amount_due INTEGER,
  -- the whole statement (BillStatement, API form) as it was closed
  statement TEXT NOT NULL,
  closed_at INTEGER NOT NULL,
  closed_by TEXT NOT NULL,
  UNIQUE (enterprise_id, month)
);
CREATE INDEX bills_month ON bills (month, enterprise_id);
CREATE TRIGGER bills_no_update BEFORE UPDATE ON bills
BEGIN SELECT RAISE(ABORT, 'a closed bill never changes'); END;
CREATE TRIGGER bills_no_delete BEFORE DELETE ON bills
BEGIN SELECT RAISE(ABORT, 'a closed bill never changes'); END;

-- A statement reads one month of an account's entries, and its opening balance is the entry just before the month;
-- kind and amount in the index let the monthly sums of every enterprise be read from the index alone.
CREATE INDEX ledger_account_at ON ledger (account_id, at, kind, amount);
