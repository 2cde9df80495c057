-- A personal Ladder (issue 30, `ladder me`): one person on their own machine, who is the agent
-- and their own admin. Only there may a person review their own check-ins. Keep the two
-- migration sets in step.
ALTER TABLE organisations ADD COLUMN personal BOOLEAN NOT NULL DEFAULT FALSE;
