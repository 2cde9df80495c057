//! The tables the demo writes, in foreign-key order. Each table's columns are declared once, by
//! the module that owns the table (`org::tables`, `users::tables`, `kra::tables`,
//! `records::tables`); the writer and the digest take their shape from this list.

use crate::table::Table;
use crate::{kra, org, records, users};

/// The tables the demo writes, in foreign-key order. The digest reads them in this order.
pub const TABLES: &[Table] = &[
    org::tables::ORGANISATIONS,
    org::tables::SITES,
    org::tables::ACCOUNTS,
    org::tables::TEAMS,
    org::tables::EMPLOYEES,
    org::tables::ROLE_HISTORY,
    org::tables::TEAM_LEADERS,
    users::tables::USERS,
    users::tables::MANAGER_SCOPES,
    kra::tables::KRA_PLANS,
    kra::tables::KRA_PLAN_LINES,
    kra::tables::KRA_ACTUALS,
    records::tables::ACCOMPLISHMENTS,
    records::tables::SKILL_ASSESSMENTS,
    records::tables::CERTIFICATIONS,
    records::tables::TRAINING_ITEMS,
    records::tables::CHECKINS,
    records::tables::COACHING_NOTES,
    records::tables::CAREER_PLANS,
];

// Each table's place in `TABLES`, for `Writer::row`.
pub(super) const T_ORG: usize = 0;
pub(super) const T_SITES: usize = 1;
pub(super) const T_ACCOUNTS: usize = 2;
pub(super) const T_TEAMS: usize = 3;
pub(super) const T_EMPLOYEES: usize = 4;
pub(super) const T_ROLE_HISTORY: usize = 5;
pub(super) const T_TEAM_LEADERS: usize = 6;
pub(super) const T_USERS: usize = 7;
pub(super) const T_SCOPES: usize = 8;
pub(super) const T_PLANS: usize = 9;
pub(super) const T_PLAN_LINES: usize = 10;
pub(super) const T_ACTUALS: usize = 11;
pub(super) const T_ACCOMPLISHMENTS: usize = 12;
pub(super) const T_SKILLS: usize = 13;
pub(super) const T_CERTS: usize = 14;
pub(super) const T_TRAINING: usize = 15;
pub(super) const T_CHECKINS: usize = 16;
pub(super) const T_COACHING: usize = 17;
pub(super) const T_CAREER: usize = 18;

/// Tables with an identity `id` column whose PostgreSQL sequence must move past the ids written.
pub(super) fn identity_tables() -> impl Iterator<Item = &'static str> {
    TABLES.iter().filter(|t| t.identity).map(|t| t.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_index_names_its_table_and_identities_are_written_tables() {
        let named = [
            (T_ORG, "organisations"),
            (T_SITES, "sites"),
            (T_ACCOUNTS, "accounts"),
            (T_TEAMS, "teams"),
            (T_EMPLOYEES, "employees"),
            (T_ROLE_HISTORY, "role_history"),
            (T_TEAM_LEADERS, "team_leaders"),
            (T_USERS, "users"),
            (T_SCOPES, "manager_scopes"),
            (T_PLANS, "kra_plans"),
            (T_PLAN_LINES, "kra_plan_lines"),
            (T_ACTUALS, "kra_actuals"),
            (T_ACCOMPLISHMENTS, "accomplishments"),
            (T_SKILLS, "skill_assessments"),
            (T_CERTS, "certifications"),
            (T_TRAINING, "training_items"),
            (T_CHECKINS, "checkins"),
            (T_COACHING, "coaching_notes"),
            (T_CAREER, "career_plans"),
        ];
        assert_eq!(named.len(), TABLES.len(), "an index for every table");
        for (index, name) in named {
            assert_eq!(TABLES[index].name, name);
        }
        assert_eq!(identity_tables().count(), 14);
        for table in TABLES.iter().filter(|t| t.identity) {
            assert_eq!(table.column_names().next(), Some("id"), "{} is written with its id", table.name);
        }
    }
}
