-- A person imported from a record (`ladder import record`, issue 30) gets an open role spell
-- here so the role-based views work; that spell repeats the record's own current spell, which the
-- record keeps in `carried_records`, so `carried` marks it to keep it out of the exported work
-- history (a round trip changes nothing). Keep the two sets in step.
ALTER TABLE role_history ADD COLUMN carried BOOLEAN NOT NULL DEFAULT FALSE;
