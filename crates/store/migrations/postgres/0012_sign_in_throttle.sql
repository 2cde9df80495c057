-- Sign-in throttling as one counter row per key (an email and address pair, an address, an
-- email), changed by compare-and-swap, so parallel attempts cannot all pass one check (issue 27).
-- Keep the two migration sets in step.
DROP TABLE login_attempts;
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    -- Raised by every change: the compare-and-swap compares it.
    version BIGINT NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    last_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_throttle_last ON login_throttle(last_at);

-- Secrets the servers share (the key that signs anonymous forms' tokens), made on first use.
CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Session ids are now stored hashed; sessions stored under the plain id can never be found again.
DELETE FROM sessions;
