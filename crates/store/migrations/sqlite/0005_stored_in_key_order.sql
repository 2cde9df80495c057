-- The rows every scorecard reads, stored in key order (WITHOUT ROWID): an employee's months and
-- a plan's lines lie side by side, so a read is one range scan instead of a lookup from the
-- key's index into the table for every row, and an import writes one B-tree instead of a table
-- and its key index. Rows are under 100 bytes, small enough to sit in the key's B-tree.
CREATE TABLE kra_actuals_by_key (
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    month TEXT NOT NULL,
    metric TEXT NOT NULL,
    numerator REAL NOT NULL,
    denominator REAL NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('manual', 'import')),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (employee_id, month, metric)
) WITHOUT ROWID;
INSERT INTO kra_actuals_by_key (employee_id, month, metric, numerator, denominator, source, updated_at)
    SELECT employee_id, month, metric, numerator, denominator, source, updated_at FROM kra_actuals
    ORDER BY employee_id, month, metric;
DROP TABLE kra_actuals;
ALTER TABLE kra_actuals_by_key RENAME TO kra_actuals;
CREATE INDEX kra_actuals_month ON kra_actuals(month, employee_id);

CREATE TABLE kra_plan_lines_by_key (
    plan_id BIGINT NOT NULL REFERENCES kra_plans(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    metric TEXT NOT NULL,
    weight REAL NOT NULL,
    threshold REAL NOT NULL,
    target REAL NOT NULL,
    stretch REAL NOT NULL,
    PRIMARY KEY (plan_id, position)
) WITHOUT ROWID;
INSERT INTO kra_plan_lines_by_key (plan_id, position, metric, weight, threshold, target, stretch)
    SELECT plan_id, position, metric, weight, threshold, target, stretch FROM kra_plan_lines
    ORDER BY plan_id, position;
DROP TABLE kra_plan_lines;
ALTER TABLE kra_plan_lines_by_key RENAME TO kra_plan_lines;
