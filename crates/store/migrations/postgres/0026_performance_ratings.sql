-- Past performance ratings (issue 24, point 4): one a person and year, as an HR system's
-- history has them (`ladder import history --kind ratings`), on the framework's rating scale.
-- Keep the two migration sets in step (../sqlite/0026_performance_ratings.sql).
CREATE TABLE performance_ratings (
    employee_id BIGINT NOT NULL REFERENCES employees(id),
    year INTEGER NOT NULL CHECK (year BETWEEN 1970 AND 9999),
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 9),
    imported_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (employee_id, year)
);
