-- (CHECKs use OR lists: SQLite evaluates an IN list through a temporary table on every write.)
-- Accounts and money (DESIGN §8): enterprises, their user and gateway accounts, extensions, and the append-only
-- ledger that every balance is the sum of. Money is INTEGER 1/10000 of the currency unit.

CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind = 'enterprise' OR kind = 'user' OR kind = 'gateway'),
  -- the enterprise a user or gateway account belongs to; NULL for an enterprise
  enterprise_id INTEGER REFERENCES accounts (id),
  name TEXT NOT NULL,
  -- the customer's own number or code for the account (optional)
  code TEXT,
  -- required for enterprises; an optional override for users and gateways
  rate_group_id INTEGER REFERENCES rate_groups (id),
  -- prepaid | postpaid for enterprises; users and gateways with their own balance are prepaid
  billing_mode TEXT NOT NULL DEFAULT 'prepaid' CHECK (billing_mode = 'prepaid' OR billing_mode = 'postpaid'),
  -- 1: the account holds its own balance (always for enterprises); 0: its calls draw on the enterprise balance
  own_balance INTEGER NOT NULL DEFAULT 1,
  -- how far below zero a prepaid balance may go before the account is exhausted
  credit_limit INTEGER NOT NULL DEFAULT 0 CHECK (credit_limit >= 0),
  -- alert when a prepaid balance falls below this (NULL: no low-balance alert)
  low_balance INTEGER,
  -- freeze the account automatically when its prepaid balance is exhausted
  freeze_when_exhausted INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status = 'active' OR status = 'frozen'),
  -- written only by the ledger trigger below
  balance INTEGER NOT NULL DEFAULT 0,
  -- alert state, so an alert is raised when the balance crosses a threshold, not on every call below it
  alert_state TEXT NOT NULL DEFAULT 'ok' CHECK (alert_state = 'ok' OR alert_state = 'low' OR alert_state = 'exhausted'),
  contact TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  -- card-number billing (users): a CDR whose account code / PIN field carries the card number is billed to the user
  card_number TEXT,
  -- scrypt hash of the card's PIN (checked by the authorization endpoint)
  pin_hash TEXT,
  -- gateway accounts: calls through this device trunk are charged here
  device_id INTEGER REFERENCES devices (id),
  trunk TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK ((kind = 'enterprise') = (enterprise_id IS NULL)),
  CHECK (kind <> 'enterprise' OR (rate_group_id IS NOT NULL AND own_balance = 1)),
  CHECK ((kind = 'gateway') = (device_id IS NOT NULL AND trunk IS NOT NULL)),
  CHECK (kind = 'user' OR card_number IS NULL)
);
CREATE UNIQUE INDEX accounts_enterprise_name ON accounts (name COLLATE NOCASE) WHERE kind = 'enterprise';
CREATE UNIQUE INDEX accounts_member_name ON accounts (enterprise_id, kind, name COLLATE NOCASE) WHERE kind <> 'enterprise';
CREATE UNIQUE INDEX accounts_card_number ON accounts (card_number) WHERE card_number IS NOT NULL;
CREATE UNIQUE INDEX accounts_gateway_trunk ON accounts (device_id, trunk) WHERE kind = 'gateway';
CREATE INDEX accounts_enterprise ON accounts (enterprise_id, kind, id);

-- A device's extensions and who they belong to (unique per device).
CREATE TABLE extensions (
  id INTEGER PRIMARY KEY,
  device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  number TEXT NOT NULL CHECK (number <> '' AND number NOT GLOB '*[^0-9*#+]*'),
  name TEXT NOT NULL DEFAULT '',
  user_account_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (device_id, number)
);
CREATE INDEX extensions_user ON extensions (user_account_id);

-- The ledger: every movement of money, append-only. A balance is the sum of its account's entries.
--   charge (-cost of a rated CDR, one per CDR), recharge (+), refund (-: money paid back to the customer),
--   adjustment (+/-), rerate (+/-: difference after re-rating a CDR), freeze / unfreeze (0).
CREATE TABLE ledger (
  id INTEGER PRIMARY KEY,
  -- the account whose balance moves (an enterprise, or a user/gateway with its own balance)
  account_id INTEGER NOT NULL REFERENCES accounts (id),
  at INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind = 'charge' OR kind = 'recharge' OR kind = 'refund' OR kind = 'adjustment' OR kind = 'rerate' OR kind = 'freeze' OR kind = 'unfreeze'),
  amount INTEGER NOT NULL,
  balance_after INTEGER NOT NULL,
  -- charge and rerate entries: the CDR (kept as a number: CDRs are archived and purged after the retention period,
  -- the ledger is kept) and the account the call was charged to (a user or gateway drawing on this balance)
  cdr_id INTEGER,
  charged_account_id INTEGER,
  -- who did it ('system' for charges)
  operator_id INTEGER,
  operator TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  -- recharges: how it was paid (cash, transfer...) and the payment's reference
  method TEXT,
  reference TEXT,
  CHECK ((kind <> 'freeze' AND kind <> 'unfreeze') OR amount = 0),
  CHECK (kind <> 'charge' OR (amount <= 0 AND cdr_id IS NOT NULL)),
  CHECK (kind <> 'rerate' OR cdr_id IS NOT NULL),
  CHECK (kind <> 'recharge' OR amount > 0),
  CHECK (kind <> 'refund' OR amount < 0),
  CHECK (kind <> 'adjustment' OR amount <> 0)
);
-- One charge per CDR: a CDR can never be charged twice.
CREATE UNIQUE INDEX ledger_charge_per_cdr ON ledger (cdr_id) WHERE kind = 'charge';
CREATE INDEX ledger_account ON ledger (account_id, id);
CREATE INDEX ledger_at ON ledger (at, id);
CREATE INDEX ledger_cdr ON ledger (cdr_id) WHERE cdr_id IS NOT NULL;

-- The entry must state the balance it leaves; the trigger then moves the balance. Nothing else writes balances.
CREATE TRIGGER ledger_balance_check BEFORE INSERT ON ledger
WHEN NEW.balance_after <> (SELECT balance FROM accounts WHERE id = NEW.account_id) + NEW.amount
BEGIN SELECT RAISE(ABORT, 'ledger entry balance_after does not follow the account balance'); END;
CREATE TRIGGER ledger_moves_balance AFTER INSERT ON ledger
BEGIN UPDATE accounts SET balance = balance + NEW.amount WHERE id = NEW.account_id; END;
-- A balance always equals the balance_after of its account's latest entry: a direct write is refused.
CREATE TRIGGER accounts_balance_only_by_ledger BEFORE UPDATE OF balance ON accounts
WHEN NEW.balance IS NOT (SELECT balance_after FROM ledger WHERE account_id = NEW.id ORDER BY id DESC LIMIT 1)
BEGIN SELECT RAISE(ABORT, 'a balance changes only through a ledger entry'); END;
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER accounts_no_delete BEFORE DELETE ON accounts
WHEN EXISTS (SELECT 1 FROM ledger WHERE account_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'an account with ledger entries cannot be deleted'); END;
