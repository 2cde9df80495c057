-- Ladder schema v1 (SQLite). Keep in step with ../postgres/0001_initial.sql.
-- SQLite stores dates as ISO text (YYYY-MM-DD) and instants as RFC 3339 text; money is integer minor units.

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    allow_self_entry INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE sites (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    country TEXT NOT NULL DEFAULT '',
    timezone TEXT NOT NULL DEFAULT 'UTC',
    UNIQUE (organisation_id, name)
);

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites(id),
    name TEXT NOT NULL,
    client TEXT NOT NULL DEFAULT '',
    line_of_business TEXT NOT NULL DEFAULT '',
    UNIQUE (site_id, name)
);

CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    name TEXT NOT NULL,
    UNIQUE (account_id, name)
);

CREATE TABLE employees (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT,
    team_id BIGINT REFERENCES teams(id),
    role_id TEXT NOT NULL,
    role_since TEXT NOT NULL,
    hire_date TEXT NOT NULL,
    manager_id BIGINT REFERENCES employees(id),
    active INTEGER NOT NULL DEFAULT 1,
    UNIQUE (organisation_id, code)
);
CREATE INDEX employees_team ON employees(team_id);
CREATE INDEX employees_manager ON employees(manager_id);

-- Who leads a team: a team leader employee (reporting line).
CREATE TABLE team_leaders (
    team_id BIGINT NOT NULL REFERENCES teams(id),
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    PRIMARY KEY (team_id, employee_id)
);
CREATE INDEX team_leaders_employee ON team_leaders(employee_id);

CREATE TABLE role_history (
    id INTEGER PRIMARY KEY,
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    role_id TEXT NOT NULL,
    team_id BIGINT REFERENCES teams(id),
    from_date TEXT NOT NULL,
    to_date TEXT
);
CREATE INDEX role_history_employee ON role_history(employee_id, from_date);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    access TEXT NOT NULL CHECK (access IN ('agent', 'team-leader', 'manager', 'hr', 'admin')),
    employee_id BIGINT REFERENCES employees(id),
    password_hash TEXT,
    disabled INTEGER NOT NULL DEFAULT 0,
    -- Bumped by "sign out everywhere": sessions minted before it are refused.
    session_epoch BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

-- The sites and accounts a manager answers for.
CREATE TABLE manager_scopes (
    user_id BIGINT NOT NULL REFERENCES users(id),
    site_id BIGINT REFERENCES sites(id),
    account_id BIGINT REFERENCES accounts(id),
    CHECK ((site_id IS NULL) <> (account_id IS NULL))
);
CREATE INDEX manager_scopes_user ON manager_scopes(user_id);

CREATE TABLE invitations (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    expires_at TEXT NOT NULL,
    used_at TEXT
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    data BLOB NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expires_at);

CREATE TABLE login_attempts (
    key TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_attempts_key ON login_attempts(key, at);

CREATE TABLE career_plans (
    employee_id BIGINT PRIMARY KEY REFERENCES employees(id),
    target_role TEXT NOT NULL,
    horizon_years INTEGER NOT NULL,
    path TEXT NOT NULL DEFAULT '[]',
    updated_at TEXT NOT NULL
);

-- A yearly KRA plan; a new row starting mid-year (effective_from) replaces the previous one from then.
CREATE TABLE kra_plans (
    id INTEGER PRIMARY KEY,
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    year INTEGER NOT NULL,
    effective_from TEXT NOT NULL,
    name TEXT NOT NULL,
    role_id TEXT NOT NULL,
    variable_pay_minor BIGINT,
    currency TEXT NOT NULL DEFAULT 'PHP',
    updated_at TEXT NOT NULL,
    UNIQUE (employee_id, effective_from)
);

CREATE TABLE kra_plan_lines (
    plan_id BIGINT NOT NULL REFERENCES kra_plans(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    metric TEXT NOT NULL,
    weight REAL NOT NULL,
    threshold REAL NOT NULL,
    target REAL NOT NULL,
    stretch REAL NOT NULL,
    PRIMARY KEY (plan_id, position)
);

-- Monthly KRA facts as sums, so every roll-up is a ratio of sums.
CREATE TABLE kra_actuals (
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    month TEXT NOT NULL,
    metric TEXT NOT NULL,
    numerator REAL NOT NULL,
    denominator REAL NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('manual', 'import')),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (employee_id, month, metric)
);
CREATE INDEX kra_actuals_month ON kra_actuals(month, employee_id);

CREATE TABLE accomplishments (
    id INTEGER PRIMARY KEY,
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    date TEXT NOT NULL,
    title TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '',
    impact_value REAL,
    impact_unit TEXT,
    tags TEXT NOT NULL DEFAULT '',
    kras TEXT NOT NULL DEFAULT '',
    skills TEXT NOT NULL DEFAULT '',
    shared INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX accomplishments_employee ON accomplishments(employee_id, date);

-- Insert-only: the history of self and leader assessments.
CREATE TABLE skill_assessments (
    id INTEGER PRIMARY KEY,
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    skill_id TEXT NOT NULL,
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    assessor TEXT NOT NULL CHECK (assessor IN ('self', 'leader')),
    assessed_by BIGINT REFERENCES users(id),
    assessed_at TEXT NOT NULL
);
CREATE INDEX skill_assessments_employee ON skill_assessments(employee_id, skill_id, assessed_at);

CREATE TABLE certifications (
    id INTEGER PRIMARY KEY,
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    certification_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('planned', 'in-progress', 'earned')),
    planned_date TEXT,
    earned_date TEXT,
    expires_date TEXT,
    UNIQUE (employee_id, certification_id)
);

CREATE TABLE training_items (
    id INTEGER PRIMARY KEY,
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    kind TEXT NOT NULL CHECK (kind IN ('course', 'bootcamp', 'mentoring', 'on-the-job', 'other')),
    title TEXT NOT NULL,
    provider TEXT NOT NULL DEFAULT '',
    hours REAL NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ('planned', 'in-progress', 'done')),
    skill_id TEXT,
    due_date TEXT,
    completed_date TEXT
);
CREATE INDEX training_items_employee ON training_items(employee_id);

CREATE TABLE checkins (
    id INTEGER PRIMARY KEY,
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    month TEXT NOT NULL,
    highlights TEXT NOT NULL DEFAULT '',
    accomplishment_ids TEXT NOT NULL DEFAULT '',
    blockers TEXT NOT NULL DEFAULT '',
    asks TEXT NOT NULL DEFAULT '',
    submitted_at TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by BIGINT REFERENCES users(id),
    leader_comment TEXT,
    UNIQUE (employee_id, month)
);

CREATE TABLE coaching_notes (
    id INTEGER PRIMARY KEY,
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    checkin_id BIGINT REFERENCES checkins(id),
    author_id BIGINT NOT NULL REFERENCES users(id),
    metric TEXT NOT NULL,
    note TEXT NOT NULL,
    follow_up TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX coaching_notes_employee ON coaching_notes(employee_id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id BIGINT REFERENCES users(id),
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    before TEXT,
    after TEXT
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
