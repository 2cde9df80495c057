//! The KRA tables kept as rows, as bulk writers fill them (the packed days of
//! `kpi_employee_months` are written by the import's own path, `bulk`).

use crate::table::Table;

pub const KRA_PLANS: Table = Table::with_id(
    "kra_plans",
    "id, employee_id, year, effective_from, name, role_id, variable_pay_minor, currency, updated_at",
);

pub const KRA_PLAN_LINES: Table =
    Table::new("kra_plan_lines", "plan_id, position, metric, weight, threshold, target, stretch");

pub const KRA_ACTUALS: Table =
    Table::new("kra_actuals", "employee_id, month, metric, numerator, denominator, source, updated_at");
