//! The organisation's tables, as bulk writers fill them.

use crate::table::Table;

pub const ORGANISATIONS: Table = Table::with_id("organisations", "id, name, allow_self_entry");

pub const SITES: Table = Table::with_id("sites", "id, organisation_id, name, country, timezone");

pub const ACCOUNTS: Table = Table::with_id("accounts", "id, site_id, name, client, line_of_business");

pub const TEAMS: Table = Table::with_id("teams", "id, account_id, name");

pub const EMPLOYEES: Table = Table::with_id(
    "employees",
    "id, organisation_id, code, name, email, team_id, role_id, role_since, hire_date, manager_id, active",
);

pub const ROLE_HISTORY: Table = Table::with_id("role_history", "id, employee_id, role_id, team_id, from_date, to_date");

pub const TEAM_LEADERS: Table = Table::new("team_leaders", "team_id, employee_id");
