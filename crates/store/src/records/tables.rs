//! A person's records, as bulk writers fill them.

use crate::table::Table;

pub const ACCOMPLISHMENTS: Table = Table::with_id(
    "accomplishments",
    "id, employee_id, date, title, details, impact_value, impact_unit, tags, kras, skills, shared, created_at",
);

pub const SKILL_ASSESSMENTS: Table =
    Table::with_id("skill_assessments", "id, employee_id, skill_id, level, assessor, assessed_by, assessed_at");

pub const CERTIFICATIONS: Table = Table::with_id(
    "certifications",
    "id, employee_id, certification_id, status, planned_date, earned_date, expires_date, evidence_url, \
     evidence_changed_at, claimed_by, verification, verified_by, verified_at, rejection_reason",
);

pub const TRAINING_ITEMS: Table = Table::with_id(
    "training_items",
    "id, employee_id, kind, title, provider, hours, status, skill_id, due_date, completed_date",
);

pub const CHECKINS: Table = Table::with_id(
    "checkins",
    "id, employee_id, month, highlights, accomplishment_ids, blockers, asks, submitted_at, acknowledged_at, \
     acknowledged_by, leader_comment",
);

pub const COACHING_NOTES: Table =
    Table::with_id("coaching_notes", "id, employee_id, checkin_id, author_id, metric, note, follow_up, created_at");

pub const CAREER_PLANS: Table = Table::new("career_plans", "employee_id, target_role, horizon_years, path, updated_at");
