-- A personal Ladder's supervisor (issue 30): the owner hands a one-time link to someone who then
-- leads the owner's team from an account with no employee record. The link is kept as its
-- SHA-256 only; one link waits at a time (a new one deletes the pending one, revoking deletes it).
-- Keep the two migration sets in step.
CREATE TABLE supervisor_invites (
    token_hash TEXT PRIMARY KEY,
    team_id BIGINT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    created_by BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ,
    -- The account the link made, once used.
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX supervisor_invites_by_team ON supervisor_invites(team_id);

-- Who supervises a team without an employee record of their own (a team leader's `led_teams`).
-- Removing a supervisor disables their account; the row stays, so enabling it again restores them.
CREATE TABLE team_supervisors (
    user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    team_id BIGINT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX team_supervisors_by_team ON team_supervisors(team_id);
