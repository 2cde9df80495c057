//! The KRA plans in force over employees' years, resolved against the framework.
//!
//! Every scorecard needs them, and a team's needs them for each member, yet a plan changes a
//! few times a year. So resolved plans are kept across requests in [`PlanCache`], keyed by
//! the stored plan's `(id, updated_at)`: a request reads only the plans' heads, and the lines
//! of plans it has not seen in that version.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use ladder_core::framework::KraTemplate;
use ladder_core::period::Month;
use ladder_core::scoring::KraPlan;
use ladder_core::{EmployeeId, Framework};
use ladder_store::kra::{self, PlanHead, PlanLine, VersionedLine};
use rust_decimal::Decimal;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Stored plans kept resolved. About 600 bytes each, so the bound holds it near 80 MB.
const STORED_PLANS_KEPT: usize = 131_072;

pub struct PlanCache {
    /// Each role's default plan; the framework does not change while the server runs.
    roles: HashMap<String, Arc<KraPlan>>,
    stored: quick_cache::sync::Cache<(i64, DateTime<Utc>), Arc<KraPlan>>,
}

impl PlanCache {
    pub fn new(framework: &Framework) -> PlanCache {
        let roles = framework
            .roles
            .iter()
            .filter_map(|r| KraPlan::for_role(framework, &r.id).ok().map(|p| (r.id.clone(), Arc::new(p))))
            .collect();
        PlanCache { roles, stored: quick_cache::sync::Cache::new(STORED_PLANS_KEPT) }
    }
}

/// The plan in force over part of a month.
#[derive(Debug, Clone)]
pub struct PlanSlice {
    /// The share of the month's days under this plan.
    pub share: f64,
    pub plan: Arc<KraPlan>,
    /// Monthly variable pay at 100 %, if the plan names one.
    pub variable_pay: Option<Decimal>,
    /// The stored plan's id; `None` for the role's default template.
    pub stored_id: Option<i64>,
}

/// One part of a year: from a date, a plan, its variable pay and its stored id.
struct Segment {
    from: NaiveDate,
    plan: Arc<KraPlan>,
    pay: Option<Decimal>,
    stored_id: Option<i64>,
}

/// The plans of one employee's year; the first is the role's template from 1 January unless a
/// stored plan starts then.
pub struct YearPlans {
    segments: Vec<Segment>,
}

impl YearPlans {
    fn build(state: &AppState, role_id: &str, year: i32, stored: &[(&PlanHead, Arc<KraPlan>)]) -> YearPlans {
        let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).expect("valid date");
        let mut segments = Vec::with_capacity(stored.len() + 1);
        let starts_on_jan1 = stored.first().is_some_and(|(h, _)| h.effective_from <= jan1);
        if !starts_on_jan1 {
            if let Some(plan) = state.plans.roles.get(role_id) {
                segments.push(Segment { from: jan1, plan: plan.clone(), pay: None, stored_id: None });
            }
        }
        for (head, plan) in stored {
            segments.push(Segment {
                from: head.effective_from.max(jan1),
                plan: plan.clone(),
                pay: head.variable_pay_minor.map(|m| Decimal::new(m, 2)),
                stored_id: Some(head.id),
            });
        }
        YearPlans { segments }
    }

    /// The plans in force during `month`, each with its share of the month's days.
    pub fn slices(&self, month: Month) -> Vec<PlanSlice> {
        let (first, last) = (month.first_day(), month.last_day());
        let days = f64::from(month.days());
        let mut out = Vec::new();
        for (i, s) in self.segments.iter().enumerate() {
            let until = self.segments.get(i + 1).map(|next| next.from.pred_opt().expect("not the first day of time"));
            let start = s.from.max(first);
            let end = until.map_or(last, |u| u.min(last));
            if end >= start {
                let share = ((end - start).num_days() + 1) as f64 / days;
                out.push(PlanSlice { share, plan: s.plan.clone(), variable_pay: s.pay, stored_id: s.stored_id });
            }
        }
        out
    }
}

/// Reads of heads before a request gives up waiting for a save to settle.
const ATTEMPTS: usize = 3;

/// One employee's plans of the year.
pub async fn for_employee(state: &AppState, employee_id: EmployeeId, role_id: &str, year: i32) -> ApiResult<YearPlans> {
    let db = &state.db;
    let (heads, resolved) =
        settled(state, move || async move { Ok(kra::plan_heads_for_year(db, employee_id, year).await?) }).await?;
    let stored: Vec<_> = heads.iter().zip(resolved).collect();
    Ok(YearPlans::build(state, role_id, year, &stored))
}

/// Many employees' plans of the year, by employee id; `people` are (id, role) pairs.
pub async fn for_employees(
    state: &AppState,
    people: &[(EmployeeId, &str)],
    year: i32,
) -> ApiResult<HashMap<EmployeeId, YearPlans>> {
    let ids: Vec<EmployeeId> = people.iter().map(|(id, _)| *id).collect();
    let (db, ids) = (&state.db, &ids);
    let (heads, resolved) = settled(state, move || async move {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(kra::plan_heads_for_employees(db, ids, year).await?)
    })
    .await?;
    let mut stored_of: HashMap<EmployeeId, Vec<(&PlanHead, Arc<KraPlan>)>> = HashMap::with_capacity(people.len());
    for (head, plan) in heads.iter().zip(resolved) {
        stored_of.entry(head.employee_id).or_default().push((head, plan));
    }
    Ok(people
        .iter()
        .map(|(id, role)| {
            let stored = stored_of.get(id).map_or(&[][..], Vec::as_slice);
            (*id, YearPlans::build(state, role, year, stored))
        })
        .collect())
}

/// Heads as `read_heads` reads them, with their resolved plans. When a save lands between the
/// heads and the lines, the heads are read again, up to [`ATTEMPTS`] times in all.
async fn settled<Heads>(
    state: &AppState,
    read_heads: impl Fn() -> Heads,
) -> ApiResult<(Vec<PlanHead>, Vec<Arc<KraPlan>>)>
where
    Heads: Future<Output = ApiResult<Vec<PlanHead>>>,
{
    let mut attempt = 1;
    loop {
        let heads = read_heads().await?;
        let (resolved, settled) = resolve_all(state, &heads).await?;
        if settled || attempt == ATTEMPTS {
            return Ok((heads, resolved));
        }
        attempt += 1;
    }
}

/// The resolved plan of each head, from the cache or, for those not kept, from their lines;
/// and whether every plan read afresh is the version its head named. It is not when a save
/// landed between the two reads: the caller then reads the heads again, so a scorecard never
/// mixes one version's lines with another's pay or start date.
async fn resolve_all(state: &AppState, heads: &[PlanHead]) -> ApiResult<(Vec<Arc<KraPlan>>, bool)> {
    let cache = &state.plans.stored;
    let kept: Vec<Option<Arc<KraPlan>>> = heads.iter().map(|h| cache.get(&(h.id, h.updated_at))).collect();
    let missing: Vec<i64> = heads.iter().zip(&kept).filter(|(_, k)| k.is_none()).map(|(h, _)| h.id).collect();
    let mut fresh: HashMap<i64, Arc<KraPlan>> = HashMap::with_capacity(missing.len());
    let mut settled = true;
    if !missing.is_empty() {
        let named: HashMap<i64, DateTime<Utc>> = heads.iter().map(|h| (h.id, h.updated_at)).collect();
        let lines = kra::plan_lines(&state.db, &missing).await?;
        for of_plan in lines.chunk_by(|a, b| a.plan_id == b.plan_id) {
            let first = &of_plan[0];
            let plan = Arc::new(resolve(&state.framework, first.plan_id, &first.role_id, of_plan)?);
            cache.insert((first.plan_id, first.updated_at), plan.clone());
            settled &= named.get(&first.plan_id) == Some(&first.updated_at);
            fresh.insert(first.plan_id, plan);
        }
    }
    let resolved = heads
        .iter()
        .zip(kept)
        .map(|(head, kept)| match kept.or_else(|| fresh.remove(&head.id)) {
            Some(plan) => Ok(plan),
            // A plan without lines: resolving it names the fault.
            None => resolve(&state.framework, head.id, &head.role_id, &[]).map(Arc::new),
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok((resolved, settled))
}

fn resolve(framework: &Framework, plan_id: i64, role_id: &str, lines: &[VersionedLine]) -> ApiResult<KraPlan> {
    let template: Vec<KraTemplate> = lines.iter().map(|l| template_line(&l.line)).collect();
    KraPlan::from_template(framework, &format!("plan-{plan_id}"), role_id, &template)
        .map_err(|e| ApiError::internal(format!("stored KRA plan {plan_id} no longer fits the framework: {e}")))
}

fn template_line(l: &PlanLine) -> KraTemplate {
    KraTemplate {
        metric: l.metric.clone(),
        weight: l.weight,
        threshold: Some(l.threshold),
        target: Some(l.target),
        stretch: Some(l.stretch),
    }
}

/// The monthly variable pay at 100 % payout in force at the end of `month`, with its currency:
/// what the bonus estimate is a share of. `None` when no stored plan names one.
/// The variable pay at 100 % payout over the months from January to `through` the person was
/// employed in, each at the plan in force on the month's last day.
#[derive(Debug, Clone, PartialEq)]
pub struct PayBase {
    pub amount: Decimal,
    pub currency: String,
    /// The months counted: employed in for at least a day (hired on or before the month's last
    /// day, not gone before its first).
    pub months: u32,
}

/// The year's [`PayBase`] through `through`; `None` when no plan of those months has a variable
/// pay, or the plans' currencies differ (a sum across currencies would mean nothing).
pub async fn pay_base(
    state: &AppState,
    employee: &ladder_store::org::Employee,
    through: Month,
) -> ApiResult<Option<PayBase>> {
    let plans = kra::plans_for_year(&state.db, employee.id, through.year).await?;
    let left_on = ladder_store::org::left_on(&state.db, employee.id).await?;
    let employed = |m: Month| employee.hire_date <= m.last_day() && left_on.is_none_or(|d| d >= m.first_day());
    let mut amount = Decimal::ZERO;
    let mut months = 0;
    let mut currencies = std::collections::BTreeSet::new();
    let mut m = Month::new(through.year, 1).expect("January");
    loop {
        if employed(m) {
            months += 1;
            let in_force = plans.iter().filter(|p| p.effective_from <= m.last_day()).max_by_key(|p| p.effective_from);
            if let Some((pay, currency)) = in_force.and_then(|p| p.variable_pay_minor.map(|v| (v, &p.currency))) {
                amount += Decimal::new(pay, 2);
                currencies.insert(currency.clone());
            }
        }
        if m >= through {
            break;
        }
        m = m.next();
    }
    Ok(match (currencies.len(), currencies.pop_first()) {
        (1, Some(currency)) => Some(PayBase { amount, currency, months }),
        _ => None,
    })
}

pub async fn variable_pay(
    state: &AppState,
    employee_id: EmployeeId,
    month: Month,
) -> ApiResult<Option<(Decimal, String)>> {
    let plans = kra::plans_for_year(&state.db, employee_id, month.year).await?;
    let in_force = plans.iter().filter(|p| p.effective_from <= month.last_day()).max_by_key(|p| p.effective_from);
    Ok(in_force.and_then(|p| p.variable_pay_minor.map(|m| (Decimal::new(m, 2), p.currency.clone()))))
}
