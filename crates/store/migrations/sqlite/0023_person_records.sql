-- Issue 30: the record that goes with a person. Keep the two migration sets in step.
-- The parts of an imported record that belong to another organisation (roles held there,
-- coaching notes by its people, applications to its openings), kept as the file gave them
-- (JSON) and written back into every later export of the person.
CREATE TABLE carried_records (
    employee_id BIGINT PRIMARY KEY REFERENCES employees(id),
    body TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
-- One-time links for a person who left to download their record: only the SHA-256 of the
-- token is kept; `used_at` is set by the one download the link allows.
CREATE TABLE leaver_links (
    token_hash TEXT PRIMARY KEY,
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX leaver_links_by_employee ON leaver_links(employee_id);
