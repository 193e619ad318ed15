-- CDR search indexes that cost ingestion little (replacing part of 0011_cdr_search).
--
-- A CDR is stored once with its rated columns (call type, cost, accounts), so every search index takes one entry per
-- stored CDR. What an entry costs depends on where it lands: an index led by a key of many values (a caller, a
-- user, a cost) puts each new CDR on another leaf page of a large index, so a batch of 2,000 CDRs touches up to
-- 2,000 pages of each such index (read from disk once the index outgrows the cache, and all written again through
-- the WAL at commit). An index led by the day (`start_at / 86400000`, whole days since 1970 UTC) puts every new CDR
-- into the small part of today: the same few leaf pages stay in the cache and a batch writes a few of them.
--
-- The search (cdrs/cdr-query.ts) reads a day-led index a few days at a time from the page position backwards
-- (`start_at / 86400000 IN (day, day - 1, ...)` with the key's equality or range: one seek per day), sorts the few
-- matches of those days by (start_at, id) and stops when the page is full; days hold disjoint, ordered periods, so the
-- result is the same as reading a (key, start_at, id) index. A key with many matches a day (a 2-digit caller prefix)
-- is read through the time index instead, checking the key row by row: it fills a page after a few rows.
--
-- Keys of few values stay led by the key: the device (20 or so), the call type (5), the disposition (4, answered calls
-- left out): each has one "newest" leaf page per value, always in the cache, and its index is read in time order
-- without sorting (0011: cdrs_device_time, cdrs_disposition_time unchanged; cdrs_call_type_time below). So do the
-- indexes other code reads: the dedup key (UNIQUE), cdrs_start_at (time order, purge), cdrs_pending, cdrs_unrated,
-- the leg indexes (0012).
--
-- The names of 0011 are kept: each index still serves the same filter (the search names the index it reads).
-- Partial indexes leave out the CDRs without the value (a user's index has no gateway-paid calls, a gateway's no
-- user-paid ones, unrated CDRs have no cost or accounts): that saves the entry at insert, and `x = ?` or a cost range
-- implies `x IS NOT NULL`, so the search can read them.

DROP INDEX cdrs_enterprise_time;
DROP INDEX cdrs_user_time;
DROP INDEX cdrs_gateway_time;
DROP INDEX cdrs_caller;
DROP INDEX cdrs_callee;
DROP INDEX cdrs_cost;
DROP INDEX cdrs_call_type_time;

-- Whose calls: the paying enterprise (200 or so at a large site), user (thousands) and gateway accounts. The number
-- most often searched with the account is carried after (start_at, id): an enterprise's calls by extension (caller), a
-- user's by dialled number (callee) are then checked in the index entries, without reading the rows they leave out.
CREATE INDEX cdrs_enterprise_time ON cdrs (start_at / 86400000, enterprise_id, start_at, id, caller) WHERE enterprise_id IS NOT NULL;
CREATE INDEX cdrs_user_time ON cdrs (start_at / 86400000, user_account_id, start_at, id, callee) WHERE user_account_id IS NOT NULL;
CREATE INDEX cdrs_gateway_time ON cdrs (start_at / 86400000, gateway_id, start_at, id) WHERE gateway_id IS NOT NULL;

-- Number prefixes (caller, callee as dialled): within a day, `caller >= '8001' AND caller < '8002'` reads the matching
-- entries only, and (start_at, id) in the entry orders them without reading the rows.
CREATE INDEX cdrs_caller ON cdrs (start_at / 86400000, caller, start_at, id);
CREATE INDEX cdrs_callee ON cdrs (start_at / 86400000, callee, start_at, id);

-- Cost ranges ("calls above 10.00"), day by day.
CREATE INDEX cdrs_cost ON cdrs (start_at / 86400000, cost, start_at, id) WHERE cost IS NOT NULL;

-- Call types stay led by the type (5 values); the device is carried after (start_at, id) so that "a device's
-- international calls" checks the device in the index: about 1 international call in 20 is of one device, and reading
-- each one's row was a disk read each at 10M CDRs.
CREATE INDEX cdrs_call_type_time ON cdrs (call_type, start_at, id, device_id) WHERE call_type IS NOT NULL;
