-- Each employee-month's score, kept when its inputs change rather than computed on every read
-- (issue 25): the organisation-wide views read totals of 100,000 people from here. `version`
-- names the framework that produced it (ladder_store::scores::framework_version); `gates` and
-- `kras` are JSON. The key serves "the last months of these people"; the index "one month".
-- Keep the two migration sets in step (../sqlite/0015_stored_scores.sql).
CREATE TABLE employee_scores (
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    month DATE NOT NULL,
    version TEXT NOT NULL,
    state TEXT NOT NULL,
    total DOUBLE PRECISION,
    rating INTEGER,
    rating_label TEXT,
    gates TEXT NOT NULL,
    kras TEXT NOT NULL,
    computed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (employee_id, month)
);
CREATE INDEX employee_scores_month ON employee_scores(month, employee_id);
-- The employee-months whose stored score is stale: written in the transaction of the change
-- that made it so, removed by the worker in the transaction that stores the new score. `stamp`
-- moves on every new change, so a worker that read older inputs leaves the key queued.
CREATE TABLE score_queue (
    employee_id BIGINT NOT NULL,
    month DATE NOT NULL,
    stamp BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (employee_id, month)
);
-- Every employee-month that already has figures is scored once.
INSERT INTO score_queue (employee_id, month)
    SELECT employee_id, month FROM kra_actuals UNION SELECT employee_id, month FROM kpi_employee_months;
