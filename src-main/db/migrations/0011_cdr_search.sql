-- CDR search (cdrs.search, exports.cdrs): every filter's first page, latest first, without scanning the table.
-- Each index ends with (start_at, id) so that rows of one value come out in the order the records page shows them
-- (keyset pagination on (start_at, id), no sorting). Each index also costs ingestion: the ones on columns that the
-- charging pipeline fills (accounts, call type, cost) are partial, so a stored-but-not-yet-rated CDR adds no entry to
-- them, and the disposition index leaves out answered calls (the common case a plain time scan finds at once).

-- Whose calls: the device that reported them, the paying enterprise, user and gateway accounts.
CREATE INDEX cdrs_device_time ON cdrs (device_id, start_at, id);
CREATE INDEX cdrs_enterprise_time ON cdrs (enterprise_id, start_at, id) WHERE enterprise_id IS NOT NULL;
CREATE INDEX cdrs_user_time ON cdrs (user_account_id, start_at, id) WHERE user_account_id IS NOT NULL;
CREATE INDEX cdrs_gateway_time ON cdrs (gateway_id, start_at, id) WHERE gateway_id IS NOT NULL;

-- Number prefixes (caller, callee as dialled): a range `caller >= '8001' AND caller < '8002'` reads the matching
-- entries only; (start_at, id) in the entry lets the newest be picked without reading the rows.
CREATE INDEX cdrs_caller ON cdrs (caller, start_at, id);
CREATE INDEX cdrs_callee ON cdrs (callee, start_at, id);

-- Kinds of calls. Answered calls are most of them: the time index finds their latest at once.
CREATE INDEX cdrs_call_type_time ON cdrs (call_type, start_at, id) WHERE call_type IS NOT NULL;
CREATE INDEX cdrs_disposition_time ON cdrs (disposition, start_at, id) WHERE disposition <> 'answered';

-- Cost ranges ("calls above 10.00"): matching entries are read from the range and the newest picked.
CREATE INDEX cdrs_cost ON cdrs (cost, start_at, id) WHERE cost IS NOT NULL;
