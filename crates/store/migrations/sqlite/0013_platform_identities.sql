-- Who is who on the contact-centre platforms (issue 24): a person's user id, login or display
-- name on each platform, so a platform's export matches people without renaming its agents.
-- One identifier per person and platform; an identifier names one person on its platform,
-- except a WFM display name (two people may share a name: it matches only where unique).
-- Keep the two migration sets in step.
CREATE TABLE employee_identities (
    employee_id BIGINT NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
    platform TEXT NOT NULL,
    identifier TEXT NOT NULL,
    PRIMARY KEY (employee_id, platform)
);
CREATE UNIQUE INDEX employee_identities_unique ON employee_identities(platform, identifier)
    WHERE platform <> 'wfm';
CREATE INDEX employee_identities_platform ON employee_identities(platform, identifier);

-- How the hire date is known: 'given' by the file, 'derived' from years of service, or
-- 'unknown' (the date stored is then a placeholder and tenure counts from the first figures).
-- A flag beside the date rather than a nullable date: every reader of hire_date keeps working.
ALTER TABLE employees ADD COLUMN hire_date_basis TEXT NOT NULL DEFAULT 'given'
    CHECK (hire_date_basis IN ('given', 'derived', 'unknown'));
