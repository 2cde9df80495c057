//! The organisation's tables, as bulk writers fill them.

use crate::table::Table;

pub const ORGANISATIONS: Table =
    Table { name: "organisations", columns: &["id", "name", "allow_self_entry"], identity: true };

pub const SITES: Table =
    Table { name: "sites", columns: &["id", "organisation_id", "name", "country", "timezone"], identity: true };

pub const ACCOUNTS: Table =
    Table { name: "accounts", columns: &["id", "site_id", "name", "client", "line_of_business"], identity: true };

pub const TEAMS: Table = Table { name: "teams", columns: &["id", "account_id", "name"], identity: true };

pub const EMPLOYEES: Table = Table {
    name: "employees",
    columns: &[
        "id",
        "organisation_id",
        "code",
        "name",
        "email",
        "team_id",
        "role_id",
        "role_since",
        "hire_date",
        "manager_id",
        "active",
    ],
    identity: true,
};

pub const ROLE_HISTORY: Table = Table {
    name: "role_history",
    columns: &["id", "employee_id", "role_id", "team_id", "from_date", "to_date"],
    identity: true,
};

pub const TEAM_LEADERS: Table = Table { name: "team_leaders", columns: &["team_id", "employee_id"], identity: false };
