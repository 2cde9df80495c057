-- A row of packed days names the import that last changed it (imports.id) instead of carrying
-- the file's path: the path, repeated on every row (0.7 M rows for a year of 10,000 agents), was
-- a fifth of the table and of the time an import spends writing it (BENCHMARKS.md, issue 5).
-- Keep in step with ../postgres/0006_days_name_their_import.sql.
-- No foreign key: the imports log is only ever appended to, and a key checked on every row
-- costs PostgreSQL a lookup per row.
CREATE TABLE kpi_month_days_by_import (
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    month TEXT NOT NULL,
    metric TEXT NOT NULL,
    days BLOB NOT NULL,
    -- NULL when no import of the row's file was recorded.
    import_id BIGINT,
    PRIMARY KEY (employee_id, month, metric)
);
INSERT INTO kpi_month_days_by_import (employee_id, month, metric, days, import_id)
    SELECT d.employee_id, d.month, d.metric, d.days, latest.id
    FROM kpi_month_days d
    LEFT JOIN (SELECT file_name, max(id) AS id FROM imports WHERE kind = 'kpi' GROUP BY file_name) latest
        ON latest.file_name = d.source_file
    ORDER BY d.employee_id, d.month, d.metric;
DROP TABLE kpi_month_days;
ALTER TABLE kpi_month_days_by_import RENAME TO kpi_month_days;
