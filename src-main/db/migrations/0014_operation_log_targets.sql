-- The operation log names what it touched, as a clerk reads it: who (display name at the time), the target's kind,
-- id and name at the time, and for updates the fields that changed (JSON [{ field, before, after }], secrets masked).

ALTER TABLE operation_log ADD COLUMN actor_name TEXT;
ALTER TABLE operation_log ADD COLUMN target_kind TEXT;
ALTER TABLE operation_log ADD COLUMN target_id TEXT;
ALTER TABLE operation_log ADD COLUMN target_name TEXT;
ALTER TABLE operation_log ADD COLUMN changes TEXT;

-- Filters by person and by target.
CREATE INDEX operation_log_account_at ON operation_log(account_id, at);
CREATE INDEX operation_log_target_at ON operation_log(target_kind, target_id, at);

-- Rows written before this migration get their target's kind and id from the "kind:id" text they carry, so the
-- filter by target finds them too. The log stays append-only for the product: the update trigger is lifted for this
-- one backfill, inside the migration's transaction, and put back as it was.
DROP TRIGGER operation_log_no_update;
UPDATE operation_log
SET target_kind = substr(target, 1, instr(target, ':') - 1),
    target_id = substr(target, instr(target, ':') + 1)
WHERE instr(target, ':') > 1;
-- "account:5" was written by the money methods: name the account's own kind, as the new rows do.
UPDATE operation_log
SET target_kind = CASE (SELECT kind FROM accounts WHERE accounts.id = CAST(operation_log.target_id AS INTEGER))
    WHEN 'enterprise' THEN 'enterprise' WHEN 'user' THEN 'userAccount' WHEN 'gateway' THEN 'gateway' ELSE 'account' END
WHERE target_kind = 'account';
UPDATE operation_log
SET actor_name = (SELECT NULLIF(display_name, '') FROM system_accounts WHERE system_accounts.id = operation_log.account_id)
WHERE account_id IS NOT NULL;
CREATE TRIGGER operation_log_no_update BEFORE UPDATE ON operation_log
BEGIN SELECT RAISE(ABORT, 'operation_log is append-only'); END;
