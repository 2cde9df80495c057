-- The leader's endorsement on an agent's promotion packet: one current text per agent.
CREATE TABLE endorsements (
    employee_id BIGINT PRIMARY KEY REFERENCES employees(id),
    author_id BIGINT NOT NULL REFERENCES users(id),
    text TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
