-- One call, one charge: PBXs that report a call in several records (FreeSWITCH A and B legs with legs="ab", loopback
-- legs, a Grandstream UCM main CDR with its sub-CDRs, CUCM recording calls) have every record stored, linked by a
-- shared call id, and only the billed one charged. A linked leg keeps status 'pending' (the status CHECK of 0004 has
-- no other value for "never charged" and changing it means rebuilding the table) and leg_billed = 0: charging, the
-- charge queue, the unrated queue and the statistics never see it.

-- NULL: the record is a call by itself. Otherwise its part: an OR list, like every CHECK of 0004.
ALTER TABLE cdrs ADD COLUMN leg_role TEXT CHECK (
  leg_role IS NULL OR leg_role = 'a' OR leg_role = 'b' OR leg_role = 'loopback' OR leg_role = 'main' OR leg_role = 'sub'
  OR leg_role = 'recording'
);
-- Shared by the records of one call (FreeSWITCH: the A leg's uuid; UCM: the main CDR's id; CUCM: the recorded leg's id).
ALTER TABLE cdrs ADD COLUMN leg_call_id TEXT;
-- 1: the record charged for its call; 0: a linked leg, never charged; NULL: not part of a multi-record call.
ALTER TABLE cdrs ADD COLUMN leg_billed INTEGER CHECK (leg_billed IS NULL OR leg_billed = 0 OR leg_billed = 1);
-- The other leg this record names (a FreeSWITCH CSV A leg's bleg_uuid), until that leg is found and linked.
ALTER TABLE cdrs ADD COLUMN leg_other_id TEXT;

-- The records of one call of a device (linking on arrival, the CDR detail's "legs of this call").
CREATE INDEX cdrs_leg_call ON cdrs (device_id, leg_call_id) WHERE leg_call_id IS NOT NULL;
-- A record named as the other leg by one stored earlier.
CREATE INDEX cdrs_leg_other ON cdrs (device_id, leg_other_id) WHERE leg_other_id IS NOT NULL;
-- The charge queue and "not yet rated": pending CDRs that are to be charged. It replaces the index of every pending
-- CDR (0004) rather than sitting beside it: each CDR passes through pending on its way to rated, so every partial
-- index on pending costs an insert and a delete per CDR; linked legs, pending forever, stay out of it.
DROP INDEX cdrs_pending;
CREATE INDEX cdrs_pending ON cdrs (id) WHERE status = 'pending' AND leg_billed IS NOT 0;
