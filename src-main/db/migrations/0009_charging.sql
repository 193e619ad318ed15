-- The unrated queue (CDRs no account or rate could charge), read latest first and grouped by reason.
CREATE INDEX cdrs_unrated ON cdrs (start_at, id) WHERE status = 'unrated';
