-- One account per employee (issue 27): a second account linked to someone's record read their
-- private entries. Where a database already has several, the first made (lowest id) keeps the
-- link; each later one is unlinked, disabled and signed out everywhere (its API tokens stop
-- working with it), so nothing is deleted and an administrator can look at it. Keep the two
-- migration sets in step.
UPDATE users SET employee_id = NULL, disabled = TRUE, session_epoch = session_epoch + 1
WHERE employee_id IS NOT NULL
  AND id > (SELECT min(earlier.id) FROM users earlier WHERE earlier.employee_id = users.employee_id);
CREATE UNIQUE INDEX users_one_per_employee ON users(employee_id) WHERE employee_id IS NOT NULL;
