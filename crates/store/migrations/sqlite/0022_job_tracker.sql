-- Saved searches and the outside-application tracker (issue 28). Keep the two migration sets
-- in step.
--
-- A saved search remembers when its owner last ran it and the newest posting id then, so its
-- list can say how many postings are new since.
ALTER TABLE job_searches ADD COLUMN looked_at TEXT;
ALTER TABLE job_searches ADD COLUMN seen_posting_id BIGINT NOT NULL DEFAULT 0;

-- The tracker as 0019 made it had one date and no url or withdrawn stage, and nothing wrote
-- to it yet: it is made again with a date per stage. Private to its owner: no one else (not
-- their leader, HR or an administrator) reads it through any page or endpoint.
DROP TABLE outside_applications;
CREATE TABLE outside_applications (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    posting_id BIGINT REFERENCES job_postings(id) ON DELETE SET NULL,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    organisation TEXT CHECK (organisation IS NULL OR length(organisation) <= 200),
    url TEXT CHECK (url IS NULL OR length(url) <= 500),
    stage TEXT NOT NULL CHECK (stage IN ('saved', 'applied', 'interview', 'offer', 'rejected', 'withdrawn')),
    saved_on TEXT,
    applied_on TEXT,
    interview_on TEXT,
    offer_on TEXT,
    -- The day it was rejected or withdrawn.
    closed_on TEXT,
    remind_on TEXT,
    note TEXT CHECK (note IS NULL OR length(note) <= 4000),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX outside_applications_by_user ON outside_applications(user_id, updated_at);
