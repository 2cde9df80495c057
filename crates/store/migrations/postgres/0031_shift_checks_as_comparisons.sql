-- Shift imports (issue 29): the `kind` and `record` checks written as comparisons, as on SQLite
-- (where an `IN` list built a temporary B-tree for every inserted row). The same rule; kept in
-- step with the SQLite set.
ALTER TABLE shifts DROP CONSTRAINT shifts_record_check;
ALTER TABLE shifts ADD CONSTRAINT shifts_record_check CHECK (record = 'scheduled' OR record = 'worked');
ALTER TABLE shifts DROP CONSTRAINT shifts_kind_check;
ALTER TABLE shifts ADD CONSTRAINT shifts_kind_check CHECK (kind = 'day' OR kind = 'night' OR kind = 'rotating');
