-- Evidence people can trust (issue 26). Keep the two migration sets in step.
--
-- An earned certification carries evidence (a link, or a small file in certification_files)
-- and counts as held only once the person's team leader, a QA/trainer over them, HR or an
-- administrator verifies it. `verification` is NULL while it waits; changing the evidence sets
-- it back to NULL. `evidence_changed_at` orders the "to verify" list (oldest first).
ALTER TABLE certifications ADD COLUMN evidence_url TEXT CHECK (evidence_url IS NULL OR length(evidence_url) <= 2000);
ALTER TABLE certifications ADD COLUMN evidence_changed_at TIMESTAMPTZ;
ALTER TABLE certifications ADD COLUMN verification TEXT
    CHECK (verification IS NULL OR verification IN ('verified', 'rejected'));
-- Who last changed the claim: they may not verify it themselves.
ALTER TABLE certifications ADD COLUMN claimed_by BIGINT REFERENCES users(id);
ALTER TABLE certifications ADD COLUMN verified_by BIGINT REFERENCES users(id);
ALTER TABLE certifications ADD COLUMN verified_at TIMESTAMPTZ;
ALTER TABLE certifications ADD COLUMN rejection_reason TEXT
    CHECK (rejection_reason IS NULL OR length(rejection_reason) <= 500);

-- One evidence file per certification row, kept apart so lists never read the bytes.
CREATE TABLE certification_files (
    certification_row_id BIGINT PRIMARY KEY REFERENCES certifications(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
    content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),
    size BIGINT NOT NULL CHECK (size BETWEEN 1 AND 2097152),
    content BYTEA NOT NULL,
    uploaded_by BIGINT REFERENCES users(id),
    uploaded_at TIMESTAMPTZ NOT NULL
);

-- Earned certifications from before wait for a verification like any new claim.
UPDATE certifications SET evidence_changed_at = now() WHERE status = 'earned';
CREATE INDEX certifications_to_verify ON certifications(evidence_changed_at) WHERE status = 'earned' AND verification IS NULL;

-- The QA/trainer access; a trainer's sites are rows of manager_scopes, as a manager's are.
ALTER TABLE users DROP CONSTRAINT users_access_check;
ALTER TABLE users ADD CONSTRAINT users_access_check
    CHECK (access IN ('agent', 'team-leader', 'manager', 'hr', 'admin', 'qa-trainer'));

-- An unverified certification is no longer held: recompute every pipeline row on start.
UPDATE pipeline_snapshot SET computed_on = '1970-01-01';
