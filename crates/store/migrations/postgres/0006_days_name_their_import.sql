-- A row of packed days names the import that last changed it (imports.id) instead of carrying
-- the file's path: the path, repeated on every row (0.7 M rows for a year of 10,000 agents), was
-- a fifth of the table and of the time an import spends writing it (BENCHMARKS.md, issue 5).
-- Keep in step with ../sqlite/0006_days_name_their_import.sql.
-- No foreign key: the imports log is only ever appended to, and a key checked on every row
-- costs a lookup per row. NULL when no import of the row's file was recorded.
ALTER TABLE kpi_month_days ADD COLUMN import_id BIGINT;
UPDATE kpi_month_days d SET import_id = latest.id
    FROM (SELECT file_name, max(id) AS id FROM imports WHERE kind = 'kpi' GROUP BY file_name) latest
    WHERE latest.file_name = d.source_file;
ALTER TABLE kpi_month_days DROP COLUMN source_file;
