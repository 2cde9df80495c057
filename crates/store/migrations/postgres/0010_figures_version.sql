-- A number every write of KRA figures or of who is in which team raises, in the same
-- transaction. Roll-ups computed at one version are kept (by each app server) until it moves,
-- so a change made through any server is seen by all. Keep the two migration sets in step.
CREATE TABLE data_versions (subject TEXT PRIMARY KEY, version BIGINT NOT NULL);
INSERT INTO data_versions (subject, version) VALUES ('figures', 0);
