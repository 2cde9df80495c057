-- The talent pipeline kept per person (issue 25): readiness for the next role, the 9-box place
-- and the trend, computed by the service from the same rules the career plan page uses and
-- read by SQL over everyone in scope. Where the person sits (team, account, site, role, name)
-- is copied in so filters and sorts use one table's indexes. A row computed before today is
-- stale (tenure grows daily). Keep the two migration sets in step.
CREATE TABLE pipeline_snapshot (
    employee_id BIGINT PRIMARY KEY REFERENCES employees(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    team_id BIGINT,
    account_id BIGINT,
    site_id BIGINT,
    role_id TEXT NOT NULL,
    -- NULL: no next role (or not active), so not in the pipeline.
    next_role TEXT,
    readiness_percent DOUBLE PRECISION NOT NULL,
    ready BOOLEAN NOT NULL,
    stage TEXT NOT NULL,
    performance DOUBLE PRECISION,
    performance_band TEXT NOT NULL,
    readiness_band TEXT NOT NULL,
    trend_per_month DOUBLE PRECISION,
    slipping BOOLEAN NOT NULL,
    forecast TEXT,
    -- Sort keys that are never NULL, so a page resumes by one comparison.
    readiness_key DOUBLE PRECISION NOT NULL,
    performance_key DOUBLE PRECISION NOT NULL,
    trend_key DOUBLE PRECISION NOT NULL,
    computed_on TEXT NOT NULL,
    -- What it was computed from: the framework's version and the figures' version.
    framework_version TEXT NOT NULL,
    figures_version BIGINT NOT NULL
);
CREATE INDEX pipeline_snapshot_readiness ON pipeline_snapshot (readiness_key DESC, employee_id);
CREATE INDEX pipeline_snapshot_name ON pipeline_snapshot (name, employee_id);
CREATE INDEX pipeline_snapshot_performance ON pipeline_snapshot (performance_key DESC, employee_id);
CREATE INDEX pipeline_snapshot_trend ON pipeline_snapshot (trend_key, employee_id);
CREATE INDEX pipeline_snapshot_team ON pipeline_snapshot (team_id, readiness_key DESC, employee_id);
CREATE INDEX pipeline_snapshot_account ON pipeline_snapshot (account_id, next_role, readiness_key DESC, employee_id);
CREATE INDEX pipeline_snapshot_site ON pipeline_snapshot (site_id, readiness_key DESC, employee_id);
CREATE INDEX pipeline_snapshot_next_role ON pipeline_snapshot (next_role, readiness_key DESC, employee_id);
CREATE INDEX pipeline_snapshot_role ON pipeline_snapshot (role_id, readiness_key DESC, employee_id);
CREATE INDEX pipeline_snapshot_stage ON pipeline_snapshot (stage, readiness_key DESC, employee_id);
CREATE INDEX pipeline_snapshot_box ON pipeline_snapshot (performance_band, readiness_band, readiness_key DESC, employee_id);
-- next_role last: a count reads the index alone (people with no next role are not counted).
CREATE INDEX pipeline_snapshot_slipping ON pipeline_snapshot (slipping, trend_key, employee_id, next_role);
-- The 9-box and stage counts of everyone: one scan of this index.
CREATE INDEX pipeline_snapshot_counts ON pipeline_snapshot (performance_band, readiness_band, stage, next_role);
CREATE INDEX pipeline_snapshot_computed ON pipeline_snapshot (computed_on);
