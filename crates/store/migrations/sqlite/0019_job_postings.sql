-- Outside job postings (issue 28): read from schema.org JobPosting JSON-LD (core::postings),
-- one row per posting identity (identifier, else url, else organisation + title + location +
-- date posted), so importing the same postings again updates them. Pay is a monthly range in
-- minor units of `currency`. Dates are 'YYYY-MM-DD' text, instants RFC 3339 text, booleans 0/1.
-- Keep the two migration sets in step.
CREATE TABLE job_postings (
    id INTEGER PRIMARY KEY,
    identity TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    organisation TEXT,
    -- organisation and location lower-cased (Rust's Unicode rule), for the search's "contains".
    organisation_key TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    url TEXT,
    location TEXT,
    location_key TEXT NOT NULL DEFAULT '',
    date_posted TEXT,
    -- date_posted, else the day it was first imported: the search's order.
    posted_on TEXT NOT NULL,
    valid_through TEXT,
    employment_types TEXT NOT NULL DEFAULT '',
    occupational_category TEXT,
    role_id TEXT,
    matched_by TEXT NOT NULL CHECK (matched_by IN ('code', 'title', 'none')),
    pay_month_min BIGINT,
    pay_month_max BIGINT,
    currency TEXT,
    pay_unit TEXT CHECK (pay_unit IN ('hour', 'day', 'week', 'month', 'year')),
    arrangement TEXT NOT NULL CHECK (arrangement IN ('remote', 'hybrid', 'on-site')),
    -- 0 remote, 1 hybrid, 2 on-site: remote first in search.
    arrangement_rank INTEGER NOT NULL,
    shift TEXT CHECK (shift IN ('day', 'night', 'rotating')),
    signing_bonus INTEGER NOT NULL,
    night_differential INTEGER NOT NULL,
    industry TEXT,
    channel TEXT CHECK (channel IN ('voice', 'non-voice')),
    degree_required INTEGER,
    experience_months INTEGER,
    source TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX job_postings_by_order ON job_postings(arrangement_rank, posted_on DESC, id DESC);
CREATE INDEX job_postings_by_role ON job_postings(role_id, valid_through);
-- Covers the search's count under its closed-set filters (no table rows read).
CREATE INDEX job_postings_filters ON job_postings(valid_through, arrangement, shift, signing_bonus,
    night_differential, channel, industry, degree_required, experience_months, role_id, currency, pay_month_max, organisation_key, location_key);

-- A person's saved searches: the search's filters as a query string.
CREATE TABLE job_searches (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    query TEXT NOT NULL CHECK (length(query) <= 2000),
    created_at TEXT NOT NULL
);
CREATE INDEX job_searches_by_user ON job_searches(user_id);

-- A person's own tracker of outside applications: private to them (never shown to their
-- employer's leaders or HR).
CREATE TABLE outside_applications (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    posting_id BIGINT REFERENCES job_postings(id) ON DELETE SET NULL,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    organisation TEXT CHECK (organisation IS NULL OR length(organisation) <= 200),
    stage TEXT NOT NULL CHECK (stage IN ('saved', 'applied', 'interview', 'offer', 'rejected')),
    applied_on TEXT,
    remind_on TEXT,
    note TEXT CHECK (note IS NULL OR length(note) <= 4000),
    updated_at TEXT NOT NULL
);
CREATE INDEX outside_applications_by_user ON outside_applications(user_id, updated_at);
