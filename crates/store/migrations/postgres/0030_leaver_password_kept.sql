-- The leaver's download link unlocks private log entries only with the password the person had
-- when they left (issue 30): a copy is kept with the link, so an administrator who resets the
-- closed account's password cannot use the new one to read them. Keep the two sets in step.
ALTER TABLE leaver_links ADD COLUMN password_hash TEXT;

-- One waiting supervisor link per team, kept by the database: two invites made at once cannot
-- both stay live.
CREATE UNIQUE INDEX supervisor_invites_one_waiting ON supervisor_invites(team_id) WHERE used_at IS NULL;
