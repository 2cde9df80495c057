-- Daily KRA facts packed a row per employee, month and metric (PostgreSQL). Keep in step with
-- ../sqlite/0004_kpi_month_days.sql.
--
-- `days` holds each day's (numerator, denominator) in the layout of crates/store/src/daily.rs;
-- the month's sums go to kra_actuals (source 'import') in the same transaction as the row. A row
-- per fact (kpi_daily) made a year of 10,000 agents 13.5 M inserts; packed it is 0.7 M.
-- The rows of kpi_daily are packed into this table by the code that runs the migrations
-- (ladder_store::daily::pack_legacy), which then drops kpi_daily.
CREATE TABLE kpi_month_days (
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    month DATE NOT NULL,
    metric TEXT NOT NULL,
    days BYTEA NOT NULL,
    -- The name of the file that last changed the row.
    source_file TEXT NOT NULL,
    PRIMARY KEY (employee_id, month, metric)
);
