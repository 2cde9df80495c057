-- kra_actuals loses its (month, employee_id) index on SQLite. Every imported monthly sum paid for
-- a second B-tree insert (12 % of an import of 10,000 agents, BENCHMARKS.md, issue 5), and the one
-- query that used it, the roll-up by month, is faster without it: the planner walks teams and
-- employees and reads each one's months by the primary key, or scans the table in key order.
-- Keep in step with ../postgres/0008_actuals_without_month_index.sql.
DROP INDEX IF EXISTS kra_actuals_month;
