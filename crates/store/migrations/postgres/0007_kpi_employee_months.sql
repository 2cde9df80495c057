-- Daily KRA facts packed a row per employee and month, every metric in the one value, instead of
-- a row per metric (kpi_month_days): a year of 10,000 agents is 0.12 M rows instead of 0.72 M,
-- and an import spent most of its writing time on the rows and their key index rather than on
-- the bytes (BENCHMARKS.md, issue 5). Keep in step with ../sqlite/0007_kpi_employee_months.sql.
--
-- `metrics` holds, per metric, its id, the import that last changed its days (imports.id) and
-- the days in the layout of crates/store/src/daily.rs. The rows of kpi_month_days are moved
-- here by the code that runs the migrations (ladder_store::daily::pack_metrics_by_month), which then
-- drops kpi_month_days: SQL alone cannot pack them.
CREATE TABLE kpi_employee_months (
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    month DATE NOT NULL,
    metrics BYTEA NOT NULL,
    PRIMARY KEY (employee_id, month)
);
