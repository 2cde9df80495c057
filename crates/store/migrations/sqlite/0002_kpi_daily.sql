-- Daily KRA facts from bulk imports, and the log of imports (SQLite). Keep in step with
-- ../postgres/0002_kpi_daily.sql.
--
-- One row per employee, day and metric, as sums (numerator, denominator) so any roll-up is a
-- ratio of sums. The monthly sums in kra_actuals (source 'import') are recomputed from these rows
-- by the import that changes them, in the same transaction. WITHOUT ROWID: the primary key is the
-- table, so the rows are stored once, clustered by employee.
CREATE TABLE kpi_daily (
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    day TEXT NOT NULL,
    metric TEXT NOT NULL,
    numerator REAL NOT NULL,
    denominator REAL NOT NULL,
    -- The name of the file the row last came from.
    source_file TEXT NOT NULL,
    PRIMARY KEY (employee_id, day, metric)
) WITHOUT ROWID;

-- Every real (not dry-run) import, successful ones only: a failed import writes nothing.
CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('people', 'kpi')),
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    mapping TEXT NOT NULL DEFAULT '',
    rows INTEGER NOT NULL,
    rows_new INTEGER NOT NULL DEFAULT 0,
    rows_updated INTEGER NOT NULL DEFAULT 0,
    rows_unchanged INTEGER NOT NULL DEFAULT 0,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    imported_by BIGINT REFERENCES users(id)
);
CREATE INDEX imports_sha256 ON imports(sha256);
