-- The learning catalogue and mentoring (issue 26). Keep the two migration sets in step.
--
-- The organisation's own catalogue entries, shown before the starter list that ships in the
-- binary. Each helps with one skill or one certification of the framework (checked by the
-- service: a framework may change). Retired entries stay, so the training they led to still
-- names them; they are no longer suggested. A price is in minor units with its currency;
-- none (or 0) is free.
CREATE TABLE learning_items (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    provider TEXT NOT NULL CHECK (length(provider) BETWEEN 1 AND 120),
    format TEXT NOT NULL CHECK (format IN ('course', 'programme', 'boot-camp', 'book', 'shadowing')),
    hours DOUBLE PRECISION CHECK (hours IS NULL OR (hours > 0 AND hours <= 2000)),
    price_minor BIGINT CHECK (price_minor IS NULL OR price_minor BETWEEN 0 AND 1000000000),
    currency TEXT CHECK (currency IS NULL OR length(currency) = 3),
    link TEXT NOT NULL DEFAULT '' CHECK (length(link) <= 500),
    skill_id TEXT CHECK (skill_id IS NULL OR length(skill_id) <= 80),
    certification_id TEXT CHECK (certification_id IS NULL OR length(certification_id) <= 80),
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    retired_at TEXT,
    CHECK ((skill_id IS NULL) <> (certification_id IS NULL))
);
CREATE INDEX learning_items_by_skill ON learning_items(skill_id);
CREATE INDEX learning_items_by_certification ON learning_items(certification_id);

-- A person asks for a mentor or a shadowing day towards a target role; their team leader or HR
-- pairs them with a mentor (an employee in a role at or above the target, checked by the
-- service). Closed requests stay as the record of what happened.
CREATE TABLE mentoring_requests (
    id INTEGER PRIMARY KEY,
    employee_id BIGINT NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('mentor', 'shadowing')),
    target_role TEXT NOT NULL CHECK (length(target_role) BETWEEN 1 AND 80),
    note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    mentor_id BIGINT REFERENCES employees(id) ON DELETE SET NULL,
    paired_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    paired_at TEXT,
    created_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE INDEX mentoring_requests_by_employee ON mentoring_requests(employee_id);
CREATE INDEX mentoring_requests_by_mentor ON mentoring_requests(mentor_id);

-- Sessions the mentor or the mentee logged: evidence in the promotion packet.
CREATE TABLE mentoring_sessions (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES mentoring_requests(id) ON DELETE CASCADE,
    held_on TEXT NOT NULL,
    minutes INTEGER NOT NULL CHECK (minutes BETWEEN 15 AND 480),
    note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    logged_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX mentoring_sessions_by_request ON mentoring_sessions(request_id, held_on);
