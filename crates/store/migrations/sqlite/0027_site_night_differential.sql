-- The night differential per site (issue 29): the local window (HH:MM, closing the next day when
-- before the opening) and the premium in percent of the hourly wage. NULL everywhere is the
-- default rule, the Philippine Labor Code's 10 % for 22:00–06:00. Keep the two sets in step.
ALTER TABLE sites ADD COLUMN night_start TEXT;
ALTER TABLE sites ADD COLUMN night_end TEXT;
ALTER TABLE sites ADD COLUMN night_percent INTEGER CHECK (night_percent IS NULL OR (night_percent >= 0 AND night_percent <= 100));
