-- A person's own Ladder (issue 30): reminder e-mails sent (claimed before sending, so a restart
-- never sends one twice), the kinds of reminder a person turned off, self sign-ups waiting for
-- their e-mail to be confirmed, each person's secret calendar feed, and the personal plan of an
-- account with no employee record. Tokens are stored as SHA-256 hashes. Keep the two
-- migration sets in step.
CREATE TABLE mail_sent (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    -- What the reminder is about: a month, a certification and its expiry, a note, a stage.
    about TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (user_id, kind, about)
);

-- A row turns one kind of reminder e-mail off for one person.
CREATE TABLE mail_opt_outs (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

CREATE TABLE signups (
    token_hash TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX signups_by_email ON signups(email);
CREATE INDEX signups_by_expiry ON signups(expires_at);

-- One feed per person: a new one replaces the old, revoking deletes the row.
CREATE TABLE calendar_feeds (
    user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- The plan of an account with no employee record (a self sign-up): the role they hold or aim
-- to start in, the role they want, and the horizon in years.
CREATE TABLE personal_plans (
    user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    from_role TEXT NOT NULL,
    to_role TEXT NOT NULL,
    horizon_years INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
