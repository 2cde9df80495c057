-- In-app notifications (issue 26): what happened that someone should see, written in the same
-- transaction as the event (a check-in sent or reviewed, a skill confirmed, an application
-- moved) or by the daily pass (a coaching follow-up coming up). The text is made when shown,
-- from the kind and `params` (JSON), so wording can change without rewriting rows. `about`
-- makes a pass's notification once only (a follow-up's note); NULLs never collide. Keep the two
-- migration sets in step.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    -- Whom it is about (the person whose check-in, skill or application it is).
    employee_id BIGINT REFERENCES employees(id) ON DELETE CASCADE,
    link TEXT NOT NULL,
    params TEXT NOT NULL DEFAULT '{}',
    about TEXT,
    created_at TEXT NOT NULL,
    read_at TEXT,
    UNIQUE (user_id, kind, about)
);
-- A person's list, newest first, and the header's unread count.
CREATE INDEX notifications_by_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id) WHERE read_at IS NULL;
