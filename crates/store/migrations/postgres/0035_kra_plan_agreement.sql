-- The KRA sheet signed off (issue 26, "My KRAs for the year as agreed"): who last set each plan,
-- and the person's agreement to their year's plan. A change to the plan after the agreement
-- stamps `changed_at`, keeping who agreed and when for the page's "needs agreeing again"; a new
-- agreement clears it. Keep the two migration sets in step.
ALTER TABLE kra_plans ADD COLUMN updated_by BIGINT REFERENCES users(id) ON DELETE SET NULL;

CREATE TABLE kra_plan_agreements (
    employee_id BIGINT NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    agreed_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    agreed_at TIMESTAMPTZ NOT NULL,
    changed_at TIMESTAMPTZ,
    PRIMARY KEY (employee_id, year)
);
