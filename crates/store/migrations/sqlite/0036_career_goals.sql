-- A person's own short-term goals under the milestones of their career plan (issue 26). Keep
-- the two migration sets in step.
--
-- Each goal sits under one role of the plan's route (`milestone_role`); a goal whose role later
-- leaves the route stays, shown apart. Done goals keep the day they were ticked; reopening
-- clears it. Only the person writes them (the service checks); the store audits each change.
CREATE TABLE career_goals (
    id INTEGER PRIMARY KEY,
    employee_id BIGINT NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
    milestone_role TEXT NOT NULL CHECK (length(milestone_role) BETWEEN 1 AND 80),
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    due_on TEXT NOT NULL,
    done_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- A person's goals, and the open ones by due date (home's to-dos, the calendar).
CREATE INDEX career_goals_by_employee ON career_goals(employee_id, due_on);
