-- Forms that create things carry a one-time key (issue 26, bug 10): the first post with a key
-- claims it and records where its result is; a second post with the same key (a double tap,
-- two tabs, a retry) is sent to that result instead of creating a duplicate. Keys are per
-- user, and swept after a day. Keep the two migration sets in step.
CREATE TABLE form_keys (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    result TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX form_keys_by_age ON form_keys(created_at);

-- A self-rating no longer counts towards readiness until a leader assesses the skill (issue 26):
-- mark every pipeline row stale so the server's start refresh recomputes them at once, not only
-- the rows computed before today (as store::pipeline::mark_stale does).
UPDATE pipeline_snapshot SET computed_on = '1970-01-01';
