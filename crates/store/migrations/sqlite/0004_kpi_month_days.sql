-- Daily KRA facts packed a row per employee, month and metric (SQLite). Keep in step with
-- ../postgres/0004_kpi_month_days.sql.
--
-- `days` holds each day's (numerator, denominator) in the layout of crates/store/src/daily.rs;
-- the month's sums go to kra_actuals (source 'import') in the same transaction as the row. A row
-- per fact (kpi_daily) made a year of 10,000 agents 13.5 M B-tree inserts; packed it is 0.7 M.
-- A rowid table, not WITHOUT ROWID: a row is ~360 bytes, and a WITHOUT ROWID B-tree keeps whole
-- rows in its interior pages, so few fit per page; here the key index stays small.
-- The rows of kpi_daily are packed into this table by the code that runs the migrations
-- (ladder_store::daily::pack_legacy), which then drops kpi_daily.
CREATE TABLE kpi_month_days (
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    month TEXT NOT NULL,
    metric TEXT NOT NULL,
    days BLOB NOT NULL,
    -- The name of the file that last changed the row.
    source_file TEXT NOT NULL,
    PRIMARY KEY (employee_id, month, metric)
);
