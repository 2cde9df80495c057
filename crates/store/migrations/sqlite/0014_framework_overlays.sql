-- An organisation's changes to the built-in framework (the `--extend` form), stored with its
-- data and kept version by version: the last one is in force (issue 24). Who applied each and
-- when is the audit. Keep the two migration sets in step.
CREATE TABLE framework_overlays (
    version BIGINT PRIMARY KEY,
    overlay TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    applied_by TEXT NOT NULL,
    applied_at TEXT NOT NULL
);
