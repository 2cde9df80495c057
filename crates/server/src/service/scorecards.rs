//! KRA plans, actuals and the scorecards the core computes from them: an employee's month and
//! year to date, their trend, a team's month, and roll-ups by team, account and site.
//!
//! Every figure that is summed across months or people is summed as numerator and denominator
//! (in SQL or in [`Actuals::merge`]) and only then divided: a ratio of sums.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;
use ladder_core::access::Action;
use ladder_core::figures::{FigureError, FigureRule};
use ladder_core::framework::KraTemplate;
use ladder_core::metric::Sums;
use ladder_core::period::Month;
use ladder_core::scoring::{combine, Actuals, KraPlan, Scorecard, Scorer};
use ladder_core::{EmployeeId, TeamId};
use ladder_store::kra::{self, Actual, Figure, Level, ManualFigure, PlanLine, StoredPlan};
use ladder_store::org::Employee;
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

use super::plans::{self, PlanSlice, YearPlans};
pub use super::score_state::{explain, metric_name, DataState};

/// Scores a period's actuals under the plans in force, combining them by their share.
/// `pay_months` scales variable pay (1 for a month, n for n months to date); `data_months`
/// (the months with figures) scales each metric's minimum volume.
pub fn score(
    state: &AppState,
    slices: &[PlanSlice],
    actuals: &Actuals,
    pay_months: u32,
    data_months: u32,
) -> Option<Scorecard> {
    let rules = &state.framework.scoring;
    let mut parts = Vec::with_capacity(slices.len());
    for s in slices {
        let pay = s.variable_pay.map(|p| p * Decimal::from(pay_months));
        let card = Scorer::new(rules, &s.plan, &state.metrics).score_over(actuals, pay, data_months);
        parts.push((s.share, card));
    }
    if parts.len() == 1 {
        return parts.pop().map(|(_, c)| c);
    }
    let pay = slices.iter().find_map(|s| s.variable_pay).map(|p| p * Decimal::from(pay_months));
    combine(rules, parts, pay)
}

/// Sums the rows into one [`Actuals`], each metric in the rows' order (rows for metrics the
/// framework lacks are skipped).
pub fn to_actuals<'a>(state: &AppState, rows: impl IntoIterator<Item = &'a Actual>) -> Actuals {
    sums_to_actuals(state, rows.into_iter().map(|r| (r.metric.as_str(), r.numerator, r.denominator)))
}

/// Adds (metric, numerator, denominator) sums into one [`Actuals`].
fn sums_to_actuals<'a>(state: &AppState, sums: impl IntoIterator<Item = (&'a str, f64, f64)>) -> Actuals {
    let mut out = state.metrics.empty_actuals();
    for (metric, numerator, denominator) in sums {
        if let Some(position) = state.metrics.position(metric) {
            out.add(position, Sums::new(numerator, denominator));
        }
    }
    out
}

fn month_date(m: Month) -> NaiveDate {
    m.first_day()
}

/// The number of distinct months among rows (at least 1): a minimum volume counts per month.
fn months_in<'a>(rows: impl IntoIterator<Item = &'a Actual>) -> u32 {
    let months: std::collections::BTreeSet<NaiveDate> = rows.into_iter().map(|r| r.month).collect();
    (months.len() as u32).max(1)
}

// ---- Views ---------------------------------------------------------------------------------

/// One month's figure of one metric as entered or imported.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActualView {
    pub metric: String,
    pub metric_name: String,
    pub numerator: f64,
    pub denominator: f64,
    /// The value on the metric's display scale (ratio of the sums).
    pub value: Option<f64>,
    pub unit: String,
    /// `manual` or `import`; imported figures cannot be changed by hand.
    #[schema(value_type = String)]
    pub source: ladder_store::kra::Source,
}

/// An employee's scorecard for a month and for the year to date.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmployeeScorecard {
    #[schema(value_type = i64)]
    pub employee_id: EmployeeId,
    #[schema(value_type = String, example = "2026-03")]
    pub month: Month,
    /// `None` when there is no plan for the role and month. Its `state` is `scored` or
    /// `not-enough-data`; `short_of_data` lists why.
    #[schema(value_type = Option<Object>)]
    pub scorecard: Option<Scorecard>,
    /// Whether the month is scored, and what is missing when it is not.
    pub month_state: DataState,
    /// Whether the year to date is scored, and what is missing when it is not.
    pub year_to_date_state: DataState,
    /// The monthly score in plain words, line by line.
    pub explanation: Vec<String>,
    #[schema(value_type = Option<Object>)]
    pub year_to_date: Option<Scorecard>,
    pub year_to_date_explanation: Vec<String>,
    pub actuals: Vec<ActualView>,
    /// Stored plan ids in force (empty: the role's default template).
    pub plan_ids: Vec<i64>,
}

pub async fn employee_scorecard(
    state: &AppState,
    me: &Me,
    employee: &Employee,
    month: Month,
) -> ApiResult<EmployeeScorecard> {
    me.require(Action::ViewPerson(employee.placement()))?;
    let slices = plans::for_employee(state, employee.id, &employee.role_id, month.year).await?.slices(month);
    let jan = Month::new(month.year, 1).expect("January");
    // One read of the year to date; the month is its last part.
    let rows = kra::actuals(&state.db, employee.id, month_date(jan), month_date(month)).await?;
    let this_month: Vec<&Actual> = rows.iter().filter(|a| a.month == month_date(month)).collect();
    let to_date = to_actuals(state, &rows);
    let card = score(state, &slices, &to_actuals(state, this_month.iter().copied()), 1, 1);
    // The year's minimum volumes count the months that have figures, not months before a hire.
    let ytd = score(state, &slices, &to_date, month.month, months_in(&rows));
    Ok(EmployeeScorecard {
        employee_id: employee.id,
        month,
        explanation: card.as_ref().map(|c| explain(state, c)).unwrap_or_default(),
        month_state: DataState::of(state, if this_month.is_empty() { None } else { card.as_ref() }),
        scorecard: card,
        year_to_date_explanation: ytd.as_ref().map(|c| explain(state, c)).unwrap_or_default(),
        year_to_date_state: DataState::of(state, if rows.is_empty() { None } else { ytd.as_ref() }),
        year_to_date: ytd,
        actuals: this_month.into_iter().map(|a| actual_view(state, a)).collect(),
        plan_ids: slices.iter().filter_map(|s| s.stored_id).collect(),
    })
}

pub fn actual_view(state: &AppState, a: &Actual) -> ActualView {
    let metric = state.framework.metric(&a.metric);
    let value = metric.and_then(|m| Sums::new(a.numerator, a.denominator).value(m.denominator.is_some(), m.scale));
    ActualView {
        metric: a.metric.clone(),
        metric_name: metric.map_or_else(|| a.metric.clone(), |m| m.name.clone()),
        numerator: a.numerator,
        denominator: a.denominator,
        value,
        unit: metric.map(|m| m.unit.as_str().to_string()).unwrap_or_default(),
        source: a.source,
    }
}

/// One month of a trend.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrendPoint {
    #[schema(value_type = String, example = "2026-03")]
    pub month: Month,
    pub total: Option<f64>,
    pub rating: Option<u8>,
    pub rating_label: Option<String>,
    /// Whether the month is scored, and what is missing when it is not.
    pub data: DataState,
}

/// Monthly totals and ratings for `months` months up to `through`.
pub async fn trend(
    state: &AppState,
    me: &Me,
    employee: &Employee,
    through: Month,
    months: u32,
) -> ApiResult<Vec<TrendPoint>> {
    me.require(Action::ViewPerson(employee.placement()))?;
    let months = months.clamp(1, 36);
    let mut first = through;
    for _ in 1..months {
        first = first.prev();
    }
    let rows = kra::actuals(&state.db, employee.id, month_date(first), month_date(through)).await?;
    let mut years: BTreeMap<i32, YearPlans> = BTreeMap::new();
    let mut out = Vec::with_capacity(months as usize);
    let mut m = first;
    loop {
        if let std::collections::btree_map::Entry::Vacant(v) = years.entry(m.year) {
            v.insert(plans::for_employee(state, employee.id, &employee.role_id, m.year).await?);
        }
        let of_month: Vec<&Actual> = rows.iter().filter(|r| r.month == month_date(m)).collect();
        let card = if of_month.is_empty() {
            None
        } else {
            score(state, &years[&m.year].slices(m), &to_actuals(state, of_month.iter().copied()), 1, 1)
        };
        out.push(TrendPoint {
            month: m,
            data: DataState::of(state, card.as_ref()),
            total: card.as_ref().and_then(|c| c.total),
            rating: card.as_ref().and_then(|c| c.rating),
            rating_label: card.as_ref().and_then(|c| c.rating_label.as_deref().map(str::to_string)),
        });
        if m == through {
            break;
        }
        m = m.next();
    }
    Ok(out)
}

/// Monthly totals of many employees at once (for the pipeline and readiness): employee id →
/// (month, total) for the months `first..=through` that are scored. A month with not enough
/// data has no total, so it never counts towards a rating requirement or a 9-box place.
///
/// Read from the stored scores; the people with a month still queued for recomputing (or
/// stored under another framework) are computed on read instead ([`computed_monthly_totals`]).
pub async fn monthly_totals(
    state: &AppState,
    employees: &[Employee],
    first: Month,
    through: Month,
) -> ApiResult<BTreeMap<EmployeeId, Vec<(Month, f64)>>> {
    super::stored_scores::monthly_totals(state, employees, first, through).await
}

/// [`monthly_totals`] computed from the figures and plans, as a scorecard on read is.
pub async fn computed_monthly_totals(
    state: &AppState,
    employees: &[Employee],
    first: Month,
    through: Month,
) -> ApiResult<BTreeMap<EmployeeId, Vec<(Month, f64)>>> {
    let ids: Vec<EmployeeId> = employees.iter().map(|e| e.id).collect();
    let mut out: BTreeMap<EmployeeId, Vec<(Month, f64)>> = BTreeMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows = kra::actuals_of(&state.db, &ids, month_date(first), month_date(through)).await?;
    let people: Vec<(EmployeeId, &str)> = employees.iter().map(|e| (e.id, e.role_id.as_str())).collect();
    let mut year_plans: BTreeMap<(EmployeeId, i32), YearPlans> = BTreeMap::new();
    for year in first.year..=through.year {
        for (id, of_year) in plans::for_employees(state, &people, year).await? {
            year_plans.insert((id, year), of_year);
        }
    }
    let mut by_employee_month: BTreeMap<(EmployeeId, Month), Vec<&Actual>> = BTreeMap::new();
    for r in &rows {
        by_employee_month.entry((r.employee_id, Month::of(r.month))).or_default().push(r);
    }
    for ((employee_id, month), of_month) in by_employee_month {
        let Some(of_year) = year_plans.get(&(employee_id, month.year)) else { continue };
        if let Some(total) = score(state, &of_year.slices(month), &to_actuals(state, of_month.iter().copied()), 1, 1)
            .and_then(|c| c.total)
        {
            out.entry(employee_id).or_default().push((month, total));
        }
    }
    Ok(out)
}

// ---- Team scorecard ----------------------------------------------------------------------------

/// One cell of the team grid: an agent's figure on one KRA.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TeamCell {
    #[schema(value_type = String)]
    pub metric: Arc<str>,
    pub value: Option<f64>,
    pub attainment: Option<f64>,
    /// The attainment's band, 1 (no credit) to 5, by the framework's `attainment_bands`.
    pub band: Option<u8>,
    /// `below-threshold`, `below-target`, `at-target`, `above-target`, `at-stretch`.
    #[schema(value_type = Option<String>)]
    pub zone: Option<&'static str>,
    /// False when the KRA has a value but too little volume to count (then no attainment).
    pub counted: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TeamRow {
    #[schema(value_type = i64)]
    pub employee_id: EmployeeId,
    pub name: String,
    pub role_id: String,
    pub total: Option<f64>,
    pub rating: Option<u8>,
    #[schema(value_type = Option<String>)]
    pub rating_label: Option<Arc<str>>,
    /// Gates that capped the rating (ids).
    pub gates: Vec<String>,
    /// Whether the month is scored, and what is missing when it is not.
    pub data: DataState,
    pub cells: Vec<TeamCell>,
}

/// The team's figure on a metric: the ratio of the members' summed numerators and denominators.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TeamTotal {
    pub metric: String,
    pub metric_name: String,
    pub unit: String,
    pub numerator: f64,
    pub denominator: f64,
    pub value: Option<f64>,
    pub people: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TeamScorecard {
    #[schema(value_type = i64)]
    pub team_id: TeamId,
    pub team_name: String,
    #[schema(value_type = String, example = "2026-03")]
    pub month: Month,
    /// The KRAs shown as columns, in the order of the members' plans.
    pub metrics: Vec<String>,
    pub rows: Vec<TeamRow>,
    pub totals: Vec<TeamTotal>,
}

pub async fn team_scorecard(state: &AppState, me: &Me, team_id: TeamId, month: Month) -> ApiResult<TeamScorecard> {
    let team = crate::service::people::visible_team(state, me, team_id).await?;
    let members = ladder_store::org::team_members(&state.db, team_id).await?;
    let ids: Vec<EmployeeId> = members.iter().map(|e| e.id).collect();
    let people: Vec<(EmployeeId, &str)> = members.iter().map(|e| (e.id, e.role_id.as_str())).collect();
    let mut year_plans = plans::for_employees(state, &people, month.year).await?;
    // By the members' ids: each is one seek into actuals stored in (employee, month) order.
    let figures = if ids.is_empty() { Vec::new() } else { kra::figures_of(&state.db, &ids, month_date(month)).await? };
    let mut figures_of: HashMap<EmployeeId, Vec<&Figure>> = HashMap::with_capacity(members.len());
    for f in &figures {
        figures_of.entry(f.employee_id).or_default().push(f);
    }
    let mut metrics: Vec<String> = Vec::new();
    let mut out_rows = Vec::with_capacity(members.len());
    for e in &members {
        let slices = year_plans.remove(&e.id).map(|p| p.slices(month)).unwrap_or_default();
        let of_member = figures_of.get(&e.id).map_or(&[][..], Vec::as_slice);
        let actuals = sums_to_actuals(state, of_member.iter().map(|f| (f.metric.as_str(), f.numerator, f.denominator)));
        let card = score(state, &slices, &actuals, 1, 1);
        let data = DataState::of(state, if of_member.is_empty() { None } else { card.as_ref() });
        let mut cells = Vec::new();
        if let Some(c) = &card {
            for k in &c.kras {
                if !metrics.iter().any(|m| **m == *k.metric) {
                    metrics.push(k.metric.to_string());
                }
                cells.push(TeamCell {
                    metric: k.metric.clone(),
                    value: k.value,
                    attainment: k.attainment,
                    band: k.attainment.map(|a| state.framework.settings.attainment_band(a)),
                    zone: k.zone.map(zone_name),
                    counted: k.counted,
                });
            }
        }
        out_rows.push(TeamRow {
            employee_id: e.id,
            name: e.name.clone(),
            role_id: e.role_id.clone(),
            total: card.as_ref().and_then(|c| c.total),
            rating: card.as_ref().and_then(|c| c.rating),
            rating_label: card.as_ref().and_then(|c| c.rating_label.clone()),
            gates: card.as_ref().map(|c| c.gates.iter().map(|g| g.id.clone()).collect()).unwrap_or_default(),
            data,
            cells,
        });
    }
    let totals = metrics
        .iter()
        .map(|metric| {
            let of_metric: Vec<&Figure> = figures.iter().filter(|r| &r.metric == metric).collect();
            let numerator = of_metric.iter().map(|r| r.numerator).sum();
            let denominator = of_metric.iter().map(|r| r.denominator).sum();
            total_view(state, metric, numerator, denominator, of_metric.len())
        })
        .collect();
    Ok(TeamScorecard { team_id, team_name: team.name, month, metrics, rows: out_rows, totals })
}

fn total_view(state: &AppState, metric: &str, numerator: f64, denominator: f64, people: usize) -> TeamTotal {
    let m = state.framework.metric(metric);
    TeamTotal {
        metric: metric.to_string(),
        metric_name: m.map_or_else(|| metric.to_string(), |m| m.name.clone()),
        unit: m.map(|m| m.unit.as_str().to_string()).unwrap_or_default(),
        numerator,
        denominator,
        value: m.and_then(|m| Sums::new(numerator, denominator).value(m.denominator.is_some(), m.scale)),
        people,
    }
}

pub fn zone_name(z: ladder_core::metric::Zone) -> &'static str {
    use ladder_core::metric::Zone::*;
    match z {
        BelowThreshold => "below-threshold",
        BelowTarget => "below-target",
        AtTarget => "at-target",
        AboveTarget => "above-target",
        AtStretch => "at-stretch",
    }
}

// ---- Roll-ups ------------------------------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct RollupGroup {
    pub id: i64,
    pub name: String,
    pub totals: Vec<TeamTotal>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Rollup {
    /// `team`, `account` or `site`.
    pub level: String,
    #[schema(value_type = String, example = "2026-01")]
    pub from: Month,
    #[schema(value_type = String, example = "2026-03")]
    pub through: Month,
    pub groups: Vec<RollupGroup>,
}

/// Roll-ups over the teams the caller may see: HR and admins everything, a manager their sites
/// and accounts, a team leader their teams. Agents have none.
pub async fn rollup(state: &AppState, me: &Me, level: Level, from: Month, through: Month) -> ApiResult<Rollup> {
    use ladder_core::access::Access;
    let teams: Option<Vec<TeamId>> = match me.actor.access {
        Access::Hr | Access::Admin => None,
        Access::Manager => Some(ladder_store::org::teams_in(&state.db, &me.actor.sites, &me.actor.accounts).await?),
        Access::TeamLeader => Some(me.actor.led_teams.clone()),
        Access::Agent | Access::Trainer => return Err(ApiError::forbidden()),
    };
    let sums = state.rollups.rollup(&state.db, level, month_date(from), month_date(through), teams.as_deref()).await?;
    let names: BTreeMap<i64, String> = match level {
        Level::Team => ladder_store::org::teams(&state.db).await?.into_iter().map(|t| (t.id.0, t.name)).collect(),
        Level::Account => ladder_store::org::accounts(&state.db).await?.into_iter().map(|a| (a.id, a.name)).collect(),
        Level::Site => ladder_store::org::sites(&state.db).await?.into_iter().map(|s| (s.id, s.name)).collect(),
    };
    let mut groups: Vec<RollupGroup> = Vec::new();
    for s in sums.iter() {
        if groups.last().is_none_or(|g| g.id != s.group_id) {
            let name = names.get(&s.group_id).cloned().unwrap_or_else(|| format!("#{}", s.group_id));
            groups.push(RollupGroup { id: s.group_id, name, totals: Vec::new() });
        }
        let group = groups.last_mut().expect("pushed above");
        group.totals.push(total_view(state, &s.metric, s.numerator, s.denominator, s.people as usize));
    }
    let level = match level {
        Level::Team => "team",
        Level::Account => "account",
        Level::Site => "site",
    };
    Ok(Rollup { level: level.into(), from, through, groups })
}

// ---- Writes ----------------------------------------------------------------------------------

/// A KRA line as the API takes it; limits left out come from the metric library.
#[derive(Debug, Clone, serde::Deserialize, ToSchema)]
pub struct KraLineInput {
    pub metric: String,
    pub weight: f64,
    pub threshold: Option<f64>,
    pub target: Option<f64>,
    pub stretch: Option<f64>,
}

#[derive(Debug, Clone, serde::Deserialize, ToSchema)]
pub struct KraPlanInput {
    pub name: String,
    /// Defaults to 1 January of the year.
    #[serde(default, deserialize_with = "ladder_core::dates::deserialize_opt")]
    pub effective_from: Option<NaiveDate>,
    /// Monthly variable pay at 100 % payout, in major units (e.g. 3500.00).
    #[schema(value_type = Option<String>)]
    pub variable_pay: Option<Decimal>,
    pub currency: Option<String>,
    pub kras: Vec<KraLineInput>,
}

/// The plan's name, currency and metric ids: within the core's limits, one line each.
fn check_plan_text(input: &KraPlanInput) -> ApiResult<()> {
    use crate::service::limits;
    limits::check_line("name", &input.name, limits::NAME)?;
    if let Some(currency) = &input.currency {
        if currency.len() != limits::CURRENCY || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(ApiError::invalid("currency", "an ISO 4217 code: three capital letters"));
        }
    }
    if input.kras.len() > limits::KEYS {
        return Err(ApiError::invalid("kras", format!("at most {} KRAs", limits::KEYS)));
    }
    for (i, k) in input.kras.iter().enumerate() {
        limits::check_line(&format!("kras[{i}].metric"), &k.metric, limits::KEY)?;
    }
    Ok(())
}

/// Checks a plan against the framework (weights sum to 100, metrics exist, limits ordered for
/// the metric's direction) and saves it with an audit entry.
pub async fn save_kra_plan(
    state: &AppState,
    me: &Me,
    employee: &Employee,
    year: i32,
    input: &KraPlanInput,
) -> ApiResult<StoredPlan> {
    me.require(Action::ManagePerson(employee.placement()))?;
    check_plan_text(input)?;
    if !(2000..=2100).contains(&year) {
        return Err(ApiError::invalid("year", format!("{year} is not a plan year")));
    }
    let effective_from = input.effective_from.unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 1, 1).expect("date"));
    if chrono::Datelike::year(&effective_from) != year {
        return Err(ApiError::invalid("effective_from", "the plan must take effect inside its year"));
    }
    let template: Vec<KraTemplate> = input
        .kras
        .iter()
        .map(|k| KraTemplate {
            metric: k.metric.clone(),
            weight: k.weight,
            threshold: k.threshold,
            target: k.target,
            stretch: k.stretch,
        })
        .collect();
    for (i, k) in input.kras.iter().enumerate() {
        if state.framework.metric(&k.metric).is_none() {
            return Err(ApiError::invalid(&format!("kras[{i}].metric"), format!("unknown metric '{}'", k.metric)));
        }
        if !(k.weight > 0.0 && k.weight <= 100.0) {
            return Err(ApiError::invalid(&format!("kras[{i}].weight"), "a weight is above 0 and at most 100"));
        }
    }
    let plan = KraPlan::from_template(&state.framework, "new", &employee.role_id, &template)
        .map_err(|e| ApiError::invalid("kras", e.to_string()))?;
    for (i, line) in plan.kras.iter().enumerate() {
        if let Err(message) = ladder_core::validate::limits_in_order(line.direction, line.limits) {
            return Err(ApiError::invalid(&format!("kras[{i}]"), message));
        }
    }
    let lines: Vec<PlanLine> = plan
        .kras
        .iter()
        .map(|k| PlanLine {
            metric: k.metric.to_string(),
            weight: k.weight,
            threshold: k.limits.threshold,
            target: k.limits.target,
            stretch: k.limits.stretch,
        })
        .collect();
    let pay_minor = match input.variable_pay {
        Some(p) if p.is_sign_negative() => return Err(ApiError::invalid("variable_pay", "cannot be negative")),
        Some(p) => Some(
            (p * Decimal::from(100)).round().try_into().map_err(|_| ApiError::invalid("variable_pay", "too large"))?,
        ),
        None => None,
    };
    let saved = kra::save_plan(
        &state.db,
        &kra::PlanInput {
            employee_id: employee.id,
            year,
            effective_from,
            name: input.name.trim(),
            role_id: &employee.role_id,
            variable_pay_minor: pay_minor,
            currency: input.currency.as_deref().unwrap_or("PHP"),
            lines: &lines,
        },
        Some(me.user.id),
    )
    .await?;
    // The plan scores the months, which move performance and readiness.
    crate::service::pipeline::refresh(state, &[employee.id]).await?;
    Ok(saved)
}

/// A figure typed in by hand.
#[derive(Debug, Clone, serde::Deserialize, ToSchema)]
pub struct FigureInput {
    pub metric: String,
    pub numerator: f64,
    /// Required for ratio metrics; ignored (taken as 1) for plain sums.
    pub denominator: Option<f64>,
}

/// Whether `me` may type in `employee`'s monthly figures: the access rule, with the
/// organisation's self-entry setting.
pub async fn may_enter_actuals(state: &AppState, me: &Me, employee: &Employee) -> ApiResult<bool> {
    let self_entry = ladder_store::org::organisation(&state.db).await?.is_some_and(|(_, _, allowed)| allowed);
    Ok(ladder_core::access::allowed(&me.actor, Action::EnterActuals { who: employee.placement(), self_entry }))
}

pub async fn enter_actuals(
    state: &AppState,
    me: &Me,
    employee: &Employee,
    month: Month,
    figures: &[FigureInput],
    seen: Option<&str>,
) -> ApiResult<()> {
    if !may_enter_actuals(state, me, employee).await? {
        return Err(ApiError::forbidden());
    }
    // The same periods a KPI file may bring: none in the future, none before the hire date.
    if month > Month::of(chrono::Utc::now().date_naive()) {
        return Err(ApiError::invalid("month", format!("{month} is in the future: its figures cannot be known yet")));
    }
    if ladder_core::dates::before_hire(month, employee.hire_date) {
        return Err(ApiError::invalid(
            "month",
            format!(
                "{month} is before {}'s hire date {}: there are no figures to enter",
                employee.name, employee.hire_date
            ),
        ));
    }
    let mut clean = Vec::with_capacity(figures.len());
    for (i, f) in figures.iter().enumerate() {
        let field = |name: &str| format!("[{i}].{name}");
        let metric = state
            .framework
            .metric(&f.metric)
            .ok_or_else(|| ApiError::invalid(&field("metric"), format!("unknown metric '{}'", f.metric)))?;
        let denominator = match (metric.denominator.is_some(), f.denominator) {
            (true, Some(d)) if d > 0.0 => d,
            (true, _) => {
                return Err(ApiError::invalid(
                    &field("denominator"),
                    format!("{} is a ratio: give a denominator above 0", metric.name),
                ))
            }
            (false, _) => 1.0,
        };
        // The same rule as a KPI file's rows (a plain sum's denominator is not looked at).
        FigureRule::of(metric).check(&metric.id, f.numerator, denominator).map_err(|e| match e {
            FigureError::Numerator(m) => ApiError::invalid(&field("numerator"), m),
            FigureError::Denominator(m) => ApiError::invalid(&field("denominator"), m),
        })?;
        if clean.iter().any(|c: &ManualFigure| c.metric == f.metric) {
            return Err(ApiError::invalid(&field("metric"), format!("{} is given twice", f.metric)));
        }
        clean.push(ManualFigure { metric: f.metric.clone(), numerator: f.numerator, denominator });
    }
    kra::put_manual_if_unchanged(&state.db, employee.id, month_date(month), &clean, Some(me.user.id), seen).await?;
    // The write queued the month's stored score in its transaction; it is stored before the
    // answer (a crash in between leaves it queued for the worker). The figures are saved by now,
    // so a failure here is logged, not answered: the key stays queued and reads compute it.
    if let Err(e) = super::stored_scores::recompute_now(state, employee.id, month, month).await {
        tracing::warn!(employee = employee.id.0, %month, "storing the score after a hand entry failed: {e:?}");
    }
    // Then the pipeline row, which reads that stored score (the daily refresh retries it).
    if let Err(e) = crate::service::pipeline::refresh(state, &[employee.id]).await {
        tracing::warn!(employee = employee.id.0, "refreshing the pipeline row after a hand entry failed: {e:?}");
    }
    Ok(())
}
