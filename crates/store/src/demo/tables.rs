//! The tables the demo writes and their columns, in one list: the writer and the digest take
//! their shape from it, so a new column is added here once.

/// A table's name and the columns a demo row gives, in order.
pub(super) type Table = (&'static str, &'static [&'static str]);

/// The tables the demo writes, in foreign-key order, with their columns.
pub(super) const TABLES: &[Table] = &[
    ("organisations", &["id", "name", "allow_self_entry"]),
    ("sites", &["id", "organisation_id", "name", "country", "timezone"]),
    ("accounts", &["id", "site_id", "name", "client", "line_of_business"]),
    ("teams", &["id", "account_id", "name"]),
    (
        "employees",
        &[
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
    ),
    ("role_history", &["id", "employee_id", "role_id", "team_id", "from_date", "to_date"]),
    ("team_leaders", &["team_id", "employee_id"]),
    (
        "users",
        &[
            "id",
            "organisation_id",
            "email",
            "name",
            "access",
            "employee_id",
            "password_hash",
            "disabled",
            "session_epoch",
            "created_at",
        ],
    ),
    ("manager_scopes", &["user_id", "site_id", "account_id"]),
    (
        "kra_plans",
        &[
            "id",
            "employee_id",
            "year",
            "effective_from",
            "name",
            "role_id",
            "variable_pay_minor",
            "currency",
            "updated_at",
        ],
    ),
    ("kra_plan_lines", &["plan_id", "position", "metric", "weight", "threshold", "target", "stretch"]),
    ("kra_actuals", &["employee_id", "month", "metric", "numerator", "denominator", "source", "updated_at"]),
    (
        "accomplishments",
        &[
            "id",
            "employee_id",
            "date",
            "title",
            "details",
            "impact_value",
            "impact_unit",
            "tags",
            "kras",
            "skills",
            "shared",
            "created_at",
        ],
    ),
    ("skill_assessments", &["id", "employee_id", "skill_id", "level", "assessor", "assessed_by", "assessed_at"]),
    (
        "certifications",
        &["id", "employee_id", "certification_id", "status", "planned_date", "earned_date", "expires_date"],
    ),
    (
        "training_items",
        &[
            "id",
            "employee_id",
            "kind",
            "title",
            "provider",
            "hours",
            "status",
            "skill_id",
            "due_date",
            "completed_date",
        ],
    ),
    (
        "checkins",
        &[
            "id",
            "employee_id",
            "month",
            "highlights",
            "accomplishment_ids",
            "blockers",
            "asks",
            "submitted_at",
            "acknowledged_at",
            "acknowledged_by",
            "leader_comment",
        ],
    ),
    ("coaching_notes", &["id", "employee_id", "checkin_id", "author_id", "metric", "note", "follow_up", "created_at"]),
    ("career_plans", &["employee_id", "target_role", "horizon_years", "path", "updated_at"]),
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
pub(super) const IDENTITY_TABLES: &[&str] = &[
    "organisations",
    "sites",
    "accounts",
    "teams",
    "employees",
    "role_history",
    "users",
    "kra_plans",
    "accomplishments",
    "skill_assessments",
    "certifications",
    "training_items",
    "checkins",
    "coaching_notes",
];

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
            assert_eq!(TABLES[index].0, name);
        }
        for table in IDENTITY_TABLES {
            let (_, columns) = TABLES.iter().find(|(t, _)| t == table).expect("a written table");
            assert_eq!(columns[0], "id", "{table} is written with its id");
        }
    }
}
