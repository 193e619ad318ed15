-- Accounts of the people who use the system, their sessions, and the two logs.

CREATE TABLE system_accounts (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL COLLATE NOCASE UNIQUE,
  display_name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL CHECK (role IN ('admin', 'clerk', 'auditor', 'enterprise')),
  -- scrypt$N$r$p$salt$hash (base64)
  password_hash TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  -- for the enterprise role (later): the one enterprise it may read
  enterprise_id INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  last_login_at INTEGER
);

CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  -- sha-256 of the bearer token; the token itself is never stored
  token_hash TEXT NOT NULL UNIQUE,
  account_id INTEGER NOT NULL REFERENCES system_accounts(id),
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  idle_expires_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  ended_at INTEGER,
  end_reason TEXT,
  address TEXT NOT NULL,
  user_agent TEXT
);
CREATE INDEX sessions_account ON sessions(account_id);

-- Every login attempt, successful or not. Append-only (see the triggers).
CREATE TABLE login_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  username TEXT NOT NULL COLLATE NOCASE,
  account_id INTEGER,
  ok INTEGER NOT NULL,
  reason TEXT NOT NULL,
  address TEXT NOT NULL,
  user_agent TEXT
);
CREATE INDEX login_log_at ON login_log(at);
CREATE INDEX login_log_username_at ON login_log(username, at);
CREATE INDEX login_log_address_at ON login_log(address, at);

-- Every change made through the API. Append-only (see the triggers).
CREATE TABLE operation_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  account_id INTEGER,
  username TEXT NOT NULL,
  method TEXT NOT NULL,
  target TEXT,
  -- JSON: { before?, after?, ... } with secrets left out
  summary TEXT,
  address TEXT NOT NULL
);
CREATE INDEX operation_log_at ON operation_log(at);
CREATE INDEX operation_log_username_at ON operation_log(username, at);
CREATE INDEX operation_log_method_at ON operation_log(method, at);

CREATE TRIGGER login_log_no_update BEFORE UPDATE ON login_log
BEGIN SELECT RAISE(ABORT, 'login_log is append-only'); END;
CREATE TRIGGER login_log_no_delete BEFORE DELETE ON login_log
BEGIN SELECT RAISE(ABORT, 'login_log is append-only'); END;
CREATE TRIGGER operation_log_no_update BEFORE UPDATE ON operation_log
BEGIN SELECT RAISE(ABORT, 'operation_log is append-only'); END;
CREATE TRIGGER operation_log_no_delete BEFORE DELETE ON operation_log
BEGIN SELECT RAISE(ABORT, 'operation_log is append-only'); END;

-- Settings as JSON values by key (billing interface, HTTP, retention, currency...).
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
