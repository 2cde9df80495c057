-- Shift imports (issue 29): SQLite checks `kind IN ('day', 'night', 'rotating')` by building a
-- temporary B-tree of the list for every inserted row (`OpenEphemeral` in EXPLAIN), a fifth of
-- the insert's time. The same checks written as comparisons cost none. SQLite cannot alter a
-- CHECK in place, so the table is rebuilt (ids, order and index kept; nothing refers to it).
-- Keep the two migration sets in step.
CREATE TABLE shifts_checked (
    id INTEGER PRIMARY KEY,
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    record TEXT NOT NULL CHECK (record = 'scheduled' OR record = 'worked'),
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind = 'day' OR kind = 'night' OR kind = 'rotating'),
    breaks_minutes INTEGER NOT NULL DEFAULT 0 CHECK (breaks_minutes >= 0 AND breaks_minutes <= 1440),
    import_id BIGINT REFERENCES shift_imports(id)
);
INSERT INTO shifts_checked (id, employee_id, record, starts_at, ends_at, time_zone, kind, breaks_minutes, import_id)
    SELECT id, employee_id, record, starts_at, ends_at, time_zone, kind, breaks_minutes, import_id FROM shifts
    ORDER BY id;
DROP TABLE shifts;
ALTER TABLE shifts_checked RENAME TO shifts;
CREATE INDEX shifts_by_employee ON shifts(employee_id, record, starts_at);
