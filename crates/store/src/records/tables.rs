//! A person's records, as bulk writers fill them.

use crate::table::Table;

pub const ACCOMPLISHMENTS: Table = Table {
    name: "accomplishments",
    columns: &[
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
    identity: true,
};

pub const SKILL_ASSESSMENTS: Table = Table {
    name: "skill_assessments",
    columns: &["id", "employee_id", "skill_id", "level", "assessor", "assessed_by", "assessed_at"],
    identity: true,
};

pub const CERTIFICATIONS: Table = Table {
    name: "certifications",
    columns: &["id", "employee_id", "certification_id", "status", "planned_date", "earned_date", "expires_date"],
    identity: true,
};

pub const TRAINING_ITEMS: Table = Table {
    name: "training_items",
    columns: &[
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
    identity: true,
};

pub const CHECKINS: Table = Table {
    name: "checkins",
    columns: &[
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
    identity: true,
};

pub const COACHING_NOTES: Table = Table {
    name: "coaching_notes",
    columns: &["id", "employee_id", "checkin_id", "author_id", "metric", "note", "follow_up", "created_at"],
    identity: true,
};

pub const CAREER_PLANS: Table = Table {
    name: "career_plans",
    columns: &["employee_id", "target_role", "horizon_years", "path", "updated_at"],
    identity: false,
};
