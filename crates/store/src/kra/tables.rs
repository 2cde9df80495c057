//! The KRA tables kept as rows, as bulk writers fill them (the packed days of
//! `kpi_employee_months` are written by the import's own path, `bulk`).

use crate::table::Table;

pub const KRA_PLANS: Table = Table {
    name: "kra_plans",
    columns: &[
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
    identity: true,
};

pub const KRA_PLAN_LINES: Table = Table {
    name: "kra_plan_lines",
    columns: &["plan_id", "position", "metric", "weight", "threshold", "target", "stretch"],
    identity: false,
};

pub const KRA_ACTUALS: Table = Table {
    name: "kra_actuals",
    columns: &["employee_id", "month", "metric", "numerator", "denominator", "source", "updated_at"],
    identity: false,
};
