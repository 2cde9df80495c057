-- On SQLite, version 5 stores kra_actuals and kra_plan_lines in key order (WITHOUT ROWID).
-- PostgreSQL has no such table kind and already reads these rows by an index scan on the key,
-- so nothing changes here; the version keeps both migration sets in step.
SELECT 1;
