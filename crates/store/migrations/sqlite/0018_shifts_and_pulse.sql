-- Well-being (issue 29): each person's scheduled and worked shifts, the shift files they came
-- from, and the private weekly pulse. Instants are UTC (RFC 3339 text here); `time_zone` is the
-- site's IANA zone the schedule was written in, kept so local days and nights can be rebuilt.
-- Keep the two migration sets in step.
CREATE TABLE shift_imports (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    mapping TEXT NOT NULL DEFAULT '',
    rows INTEGER NOT NULL,
    shifts INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    imported_by BIGINT REFERENCES users(id)
);

CREATE TABLE shifts (
    id INTEGER PRIMARY KEY,
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    record TEXT NOT NULL CHECK (record IN ('scheduled', 'worked')),
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('day', 'night', 'rotating')),
    breaks_minutes INTEGER NOT NULL DEFAULT 0 CHECK (breaks_minutes >= 0 AND breaks_minutes <= 1440),
    import_id BIGINT REFERENCES shift_imports(id)
);
CREATE INDEX shifts_by_employee ON shifts(employee_id, record, starts_at);

CREATE TABLE wellbeing_pulses (
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    week TEXT NOT NULL,
    energy INTEGER NOT NULL CHECK (energy BETWEEN 1 AND 5),
    stress INTEGER NOT NULL CHECK (stress BETWEEN 1 AND 5),
    sleep INTEGER NOT NULL CHECK (sleep BETWEEN 1 AND 5),
    note TEXT CHECK (note IS NULL OR length(note) <= 500),
    answered_at TEXT NOT NULL,
    PRIMARY KEY (employee_id, week)
);
