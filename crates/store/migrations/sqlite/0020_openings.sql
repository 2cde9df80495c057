-- Internal openings and applications (issue 28): a role to fill at a site, with its shift, work
-- arrangement, pay band (integer minor units a month, ISO 4217 currency) and the opening's own
-- rules (a small closed set, one column each); who applied with which packet, the stage, the
-- leader's endorsement, and every stage move with its note. Keep the two migration sets in step.
CREATE TABLE openings (
    id INTEGER PRIMARY KEY,
    role_id TEXT NOT NULL,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    site_id BIGINT NOT NULL REFERENCES sites(id),
    account_id BIGINT REFERENCES accounts(id),
    team_id BIGINT REFERENCES teams(id),
    headcount INTEGER NOT NULL CHECK (headcount BETWEEN 1 AND 1000),
    shift TEXT NOT NULL CHECK (shift IN ('day', 'night', 'rotating')),
    shift_hours TEXT NOT NULL CHECK (length(shift_hours) <= 100),
    hours_per_week INTEGER NOT NULL CHECK (hours_per_week BETWEEN 1 AND 80),
    arrangement TEXT NOT NULL CHECK (arrangement IN ('on-site', 'hybrid', 'remote')),
    pay_min BIGINT NOT NULL CHECK (pay_min >= 0),
    pay_max BIGINT NOT NULL CHECK (pay_max >= pay_min),
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    allowances BIGINT NOT NULL DEFAULT 0 CHECK (allowances >= 0),
    allowances_note TEXT NOT NULL DEFAULT '' CHECK (length(allowances_note) <= 200),
    night_differential_percent INTEGER NOT NULL DEFAULT 0 CHECK (night_differential_percent BETWEEN 0 AND 100),
    signing_bonus BIGINT NOT NULL DEFAULT 0 CHECK (signing_bonus >= 0),
    description TEXT NOT NULL CHECK (length(description) <= 10000),
    posted_on TEXT NOT NULL,
    closing_date TEXT NOT NULL,
    rule_no_final_warning INTEGER NOT NULL DEFAULT 0,
    rule_min_company_months INTEGER NOT NULL DEFAULT 0 CHECK (rule_min_company_months BETWEEN 0 AND 600),
    rule_same_site INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    published INTEGER NOT NULL DEFAULT 0,
    hiring_manager_id BIGINT REFERENCES users(id),
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX openings_by_status ON openings(status, closing_date);

CREATE TABLE applications (
    id INTEGER PRIMARY KEY,
    opening_id BIGINT NOT NULL REFERENCES openings(id),
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    stage TEXT NOT NULL CHECK (stage IN ('applied', 'screening', 'interview', 'offer', 'hired', 'not-selected', 'withdrawn')),
    packet TEXT NOT NULL,
    endorsed_by BIGINT REFERENCES users(id),
    endorsement TEXT CHECK (endorsement IS NULL OR length(endorsement) <= 2000),
    endorsed_at TEXT,
    start_date TEXT,
    applied_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (opening_id, employee_id)
);
CREATE INDEX applications_by_employee ON applications(employee_id);

CREATE TABLE application_events (
    id INTEGER PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications(id),
    at TEXT NOT NULL,
    actor_id BIGINT REFERENCES users(id),
    from_stage TEXT,
    to_stage TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 2000)
);
CREATE INDEX application_events_by_application ON application_events(application_id, id);
