//! "My KRAs for the year as agreed" (issue 26): the year's plans as a KRA sheet — each plan with
//! its dates, KRAs by name, weights, limits, variable pay, who set it and when — and the
//! person's agreement to it, which only they give and a later change to the plan clears.

use chrono::{DateTime, NaiveDate, Utc};
use ladder_core::access::Action;
use ladder_core::metric::Direction;
use ladder_core::EmployeeId;
use ladder_store::kra::{self, Agreement, StoredPlan};
use ladder_store::org::Employee;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The years a plan, its agreement or a year's summary may name.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Refuses a year outside [`YEARS`], naming the field.
pub fn check_year(year: i32) -> ApiResult<()> {
    if YEARS.contains(&year) {
        Ok(())
    } else {
        Err(ApiError::invalid("year", format!("{year} is not a plan year ({} to {})", YEARS.start(), YEARS.end())))
    }
}

/// Where the person stands with agreeing to the year's plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgreementView {
    /// `agreed`; `needs-agreeing-again` (the plan changed after it was agreed); `not-agreed`;
    /// `no-plan` (no plan set for the year: nothing to agree to yet).
    #[schema(value_type = String, example = "agreed")]
    pub state: &'static str,
    /// Who agreed (the person's name), when they did.
    pub agreed_by: Option<String>,
    pub agreed_at: Option<DateTime<Utc>>,
    /// When the plan changed after the agreement.
    pub changed_at: Option<DateTime<Utc>>,
    /// Whether the caller may agree now (the person, with a plan not agreed as it stands).
    pub may_agree: bool,
    /// The version of the year's plans' terms as they stand (none without a plan): give it back
    /// when agreeing, so terms changed since the person read them are refused with 409.
    #[schema(example = "9f2c4e1a7b3d5c60")]
    pub version: Option<String>,
}

impl AgreementView {
    fn of(agreement: Option<Agreement>, plans: &[StoredPlan], may_agree: bool) -> AgreementView {
        let has_plan = !plans.is_empty();
        let state = agreement_state(agreement.as_ref(), has_plan);
        let agreed = agreement.as_ref();
        AgreementView {
            state,
            agreed_by: agreed.and_then(|a| a.agreed_by_name.clone()),
            agreed_at: agreed.map(|a| a.agreed_at),
            changed_at: agreed.and_then(|a| a.changed_at),
            may_agree: may_agree && has_plan && state != "agreed",
            version: has_plan.then(|| kra::terms_version(plans)),
        }
    }

    pub fn agreed(&self) -> bool {
        self.state == "agreed"
    }
}

/// The person's agreement to the year's plan as the caller sees it.
pub async fn agreement(state: &AppState, me: &Me, employee: &Employee, year: i32) -> ApiResult<AgreementView> {
    me.require(Action::ViewPerson(employee.placement()))?;
    check_year(year)?;
    let plans = kra::plans_for_year(&state.db, employee.id, year).await?;
    let agreement = kra::agreement(&state.db, employee.id, year).await?;
    let may = ladder_core::access::allowed(&me.actor, Action::AgreeKraPlan(employee.placement()));
    Ok(AgreementView::of(agreement, &plans, may))
}

/// [`AgreementView::state`] of an agreement (if any) to a year with or without a plan.
fn agreement_state(agreement: Option<&Agreement>, has_plan: bool) -> &'static str {
    match agreement {
        _ if !has_plan => "no-plan",
        Some(a) if a.holds() => "agreed",
        Some(_) => "needs-agreeing-again",
        None => "not-agreed",
    }
}

/// The agreement's state in a few words, for a tag: "KRAs agreed", "no KRA plan", …
pub fn agreement_words(state: &str) -> &'static str {
    match state {
        "agreed" => "KRAs agreed",
        "needs-agreeing-again" => "KRAs changed since agreed",
        "no-plan" => "no KRA plan",
        _ => "KRAs not agreed",
    }
}

/// Each of these people's [`AgreementView::state`] for the year (a team board): `no-plan`
/// when no plan is set, so a year without one is not shown as "not agreed".
pub async fn agreement_states(
    state: &AppState,
    ids: &[EmployeeId],
    year: i32,
) -> ApiResult<std::collections::HashMap<EmployeeId, &'static str>> {
    let with_plan: std::collections::HashSet<EmployeeId> =
        kra::plan_heads_for_employees(&state.db, ids, year).await?.into_iter().map(|h| h.employee_id).collect();
    let agreements: std::collections::HashMap<EmployeeId, Agreement> =
        kra::agreements_of(&state.db, ids, year).await?.into_iter().map(|a| (a.employee_id, a)).collect();
    Ok(ids.iter().map(|id| (*id, agreement_state(agreements.get(id), with_plan.contains(id)))).collect())
}

/// The longest plan version an agreement may name (they are 16 characters).
const VERSION_MAX: usize = 64;

/// The person agrees to their year's plan as it stands: recorded with who and when, audited,
/// and their leaders notified. Only the person may; a year without a plan is a 409, and so is
/// a `version` (from [`AgreementView::version`]) that no longer names the plan's terms.
pub async fn agree(
    state: &AppState,
    me: &Me,
    employee: &Employee,
    year: i32,
    version: Option<&str>,
) -> ApiResult<AgreementView> {
    me.require(Action::ViewPerson(employee.placement()))?;
    me.require(Action::AgreeKraPlan(employee.placement()))?;
    check_year(year)?;
    let seen = version.map(str::trim).filter(|v| !v.is_empty());
    if let Some(v) = seen {
        super::limits::check_line("version", v, VERSION_MAX)?;
    }
    kra::agree(&state.db, employee.id, year, me.user.id, seen).await?;
    agreement(state, me, employee, year).await
}

/// One KRA of a plan, by name, with its limits on the metric's scale.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SheetKra {
    pub metric: String,
    /// The metric's plain name.
    pub name: String,
    /// `seconds`, `percent`, `count`, …
    pub unit: String,
    /// "higher is better", "lower is better" or "best inside the band".
    pub direction: String,
    /// Per cent of the score.
    pub weight: f64,
    pub threshold: f64,
    pub target: f64,
    pub stretch: f64,
}

/// One plan of the year, from its first day to the day before the next (or 31 December).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SheetPlan {
    pub name: String,
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub role_id: String,
    pub role_name: String,
    /// Monthly variable pay at 100 % payout, in minor units (hundredths) of `currency`.
    pub variable_pay_minor: Option<i64>,
    pub currency: String,
    pub set_at: DateTime<Utc>,
    /// Who set the plan (a name); `None` when an import or the demo wrote it.
    pub set_by: Option<String>,
    pub kras: Vec<SheetKra>,
}

/// The year's KRA sheet: the plans and the person's agreement.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KraSheet {
    #[schema(value_type = i64)]
    pub employee_id: EmployeeId,
    pub employee_name: String,
    pub year: i32,
    /// In the order they took effect; empty when no plan is set (the role's template applies).
    pub plans: Vec<SheetPlan>,
    pub agreement: AgreementView,
}

/// The words for a metric's direction.
pub fn direction_words(d: Direction) -> &'static str {
    match d {
        Direction::Higher => "higher is better",
        Direction::Lower => "lower is better",
        Direction::Band => "best inside the band from target to stretch",
    }
}

/// The year's plans as a sheet, for whoever may see the person.
pub async fn sheet(state: &AppState, me: &Me, employee: &Employee, year: i32) -> ApiResult<KraSheet> {
    me.require(Action::ViewPerson(employee.placement()))?;
    check_year(year)?;
    let stored = kra::plans_for_year(&state.db, employee.id, year).await?;
    let dec31 = NaiveDate::from_ymd_opt(year, 12, 31).expect("a year in range");
    let mut plans = Vec::with_capacity(stored.len());
    for (i, p) in stored.iter().enumerate() {
        let until = stored.get(i + 1).and_then(|next| next.effective_from.pred_opt()).unwrap_or(dec31);
        plans.push(sheet_plan(state, p, until).await?);
    }
    Ok(KraSheet {
        employee_id: employee.id,
        employee_name: employee.name.clone(),
        year,
        agreement: agreement(state, me, employee, year).await?,
        plans,
    })
}

async fn sheet_plan(state: &AppState, p: &StoredPlan, until: NaiveDate) -> ApiResult<SheetPlan> {
    let set_by = match p.updated_by {
        Some(id) => ladder_store::users::user(&state.db, id).await.ok().map(|u| u.name),
        None => None,
    };
    let kras = p
        .lines
        .iter()
        .map(|l| {
            let metric = state.framework.metric(&l.metric);
            SheetKra {
                metric: l.metric.clone(),
                name: metric.map_or_else(|| l.metric.clone(), |m| m.name.clone()),
                unit: metric.map_or("count", |m| m.unit.as_str()).to_string(),
                direction: metric.map_or("", |m| direction_words(m.direction)).to_string(),
                weight: l.weight,
                threshold: l.threshold,
                target: l.target,
                stretch: l.stretch,
            }
        })
        .collect();
    Ok(SheetPlan {
        name: p.name.clone(),
        from: p.effective_from,
        until,
        role_name: state.framework.role(&p.role_id).map_or_else(|| p.role_id.clone(), |r| r.name.clone()),
        role_id: p.role_id.clone(),
        variable_pay_minor: p.variable_pay_minor,
        currency: p.currency.clone(),
        set_at: p.updated_at,
        set_by,
        kras,
    })
}
