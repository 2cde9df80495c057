//! Scores kept per employee-month (`ladder_store::scores`): computing the queued ones with the
//! same code as the scorecards computed on read ([`scorecards::score`] over
//! [`plans::for_employees`]), the worker that drains the queue in `ladder serve`, and the note a
//! page shows while scores are being recomputed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;

use chrono::{NaiveDate, Utc};
use ladder_core::period::Month;
use ladder_core::EmployeeId;
use ladder_store::kra::{self, Actual};
use ladder_store::scores::{self, KraScore, Queued, StoredScore};

use super::plans::{self, YearPlans};
use super::score_state::DataState;
use super::scorecards::{score, to_actuals};
use crate::error::ApiResult;
use crate::state::AppState;

/// Keys taken from the queue at a time: about 80 people's years, one read of each kind.
pub const BATCH: i64 = 1000;

/// Scores these employee-months as a scorecard computed on read would; `None` for a month with
/// no figures (or a person no longer stored): its stored score goes.
pub async fn compute(state: &AppState, keys: &[Queued]) -> ApiResult<Vec<(Queued, Option<StoredScore>)>> {
    let Some(first) = keys.iter().map(|k| k.month).min() else { return Ok(Vec::new()) };
    let last = keys.iter().map(|k| k.month).max().unwrap_or(first);
    let ids: Vec<EmployeeId> = keys.iter().map(|k| k.employee_id).collect::<BTreeSet<_>>().into_iter().collect();
    let roles = scores::roles_of(&state.db, &ids).await?;
    let people: Vec<(EmployeeId, &str)> = roles.iter().map(|(id, role)| (*id, role.as_str())).collect();
    let rows = kra::actuals_of(&state.db, &ids, first, last).await?;
    let mut of_month: HashMap<(EmployeeId, NaiveDate), Vec<&Actual>> = HashMap::new();
    for r in &rows {
        of_month.entry((r.employee_id, r.month)).or_default().push(r);
    }
    let years: BTreeSet<i32> = keys.iter().map(|k| Month::of(k.month).year).collect();
    let mut year_plans: BTreeMap<(EmployeeId, i32), YearPlans> = BTreeMap::new();
    for year in years {
        for (id, plans) in plans::for_employees(state, &people, year).await? {
            year_plans.insert((id, year), plans);
        }
    }
    let now = Utc::now();
    let out = keys
        .iter()
        .map(|key| {
            let month = Month::of(key.month);
            let scored =
                match (of_month.get(&(key.employee_id, key.month)), year_plans.get(&(key.employee_id, month.year))) {
                    (Some(rows), Some(plans)) => {
                        let card = score(state, &plans.slices(month), &to_actuals(state, rows.iter().copied()), 1, 1);
                        Some(stored(state, key, card.as_ref(), now))
                    }
                    _ => None,
                };
            (*key, scored)
        })
        .collect();
    Ok(out)
}

/// The row kept for a month's scorecard (`None`: no plan for the role).
fn stored(
    state: &AppState,
    key: &Queued,
    card: Option<&ladder_core::scoring::Scorecard>,
    now: chrono::DateTime<Utc>,
) -> StoredScore {
    let kras = card
        .map(|c| {
            c.kras
                .iter()
                .map(|k| KraScore {
                    metric: k.metric.to_string(),
                    value: k.value,
                    attainment: k.attainment,
                    counted: k.counted,
                })
                .collect()
        })
        .unwrap_or_default();
    StoredScore {
        employee_id: key.employee_id,
        month: key.month,
        version: state.score_version.to_string(),
        state: if card.is_some() { DataState::of(state, card).state.to_string() } else { "no-plan".into() },
        total: card.and_then(|c| c.total),
        rating: card.and_then(|c| c.rating).map(i32::from),
        rating_label: card.and_then(|c| c.rating_label.as_deref().map(str::to_string)),
        gates: card.map(|c| c.gates.iter().map(|g| g.id.clone()).collect()).unwrap_or_default(),
        kras,
        computed_at: now,
    }
}

/// Takes up to `limit` queued keys, scores them and stores the scores; returns (taken,
/// settled). A key changed meanwhile stays queued, so `settled` may be less than `taken`.
pub async fn drain_batch(state: &AppState, limit: i64) -> ApiResult<(usize, usize)> {
    let keys = scores::queued(&state.db, limit).await?;
    if keys.is_empty() {
        return Ok((0, 0));
    }
    let done = compute(state, &keys).await?;
    Ok((keys.len(), scores::settle(&state.db, &done).await?))
}

/// Drains the queue batch by batch until it is empty, calling `progress` with the keys settled
/// so far. Each batch is its own transaction: stopped at any point, what is left stays queued.
pub async fn drain(state: &AppState, mut progress: impl FnMut(u64)) -> ApiResult<u64> {
    let mut settled = 0u64;
    loop {
        let (taken, done) = drain_batch(state, BATCH).await?;
        if taken == 0 {
            return Ok(settled);
        }
        settled += done as u64;
        progress(settled);
    }
}

/// Recomputes an employee's queued months in `from..=through` now (after a hand entry, before
/// the response), so the person who typed a figure sees their stored score move with it.
pub async fn recompute_now(state: &AppState, employee: EmployeeId, from: Month, through: Month) -> ApiResult<()> {
    let queued = scores::queued_of(&state.db, &[employee], from.first_day(), through.first_day()).await?;
    let done = compute(state, &queued).await?;
    scores::settle(&state.db, &done).await?;
    Ok(())
}

/// What a page says while scores are being recomputed: the keys left (counted up to a
/// million), or `None` when every stored score is current.
pub async fn recomputing(state: &AppState) -> ApiResult<Option<i64>> {
    let left = scores::queue_len(&state.db, 1_000_000).await?;
    Ok((left > 0).then_some(left))
}

/// The background worker of `ladder serve`: queues the scores of another framework version and
/// the months never scored, then walks the queue batch by batch for as long as the server runs,
/// from the start again after its end; when it is empty it looks again every few seconds.
pub async fn run_worker(state: AppState) {
    match scores::enqueue_stale(&state.db, &state.score_version).await {
        Ok(0) => {}
        Ok(n) => tracing::info!("{n} stored scores to recompute (framework changed or never scored)"),
        Err(e) => tracing::warn!("could not queue stale scores: {e}"),
    }
    let start = (EmployeeId(0), NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date"));
    let mut after = start;
    loop {
        match work_after(&state, after).await {
            Ok(Some(last)) => {
                after = last;
                tokio::task::yield_now().await;
            }
            Ok(None) if after == start => tokio::time::sleep(Duration::from_secs(2)).await,
            Ok(None) => after = start,
            Err(e) => {
                tracing::warn!("recomputing stored scores failed: {e:?}");
                tokio::time::sleep(Duration::from_secs(10)).await;
            }
        }
    }
}

/// Scores and stores the queued keys after `after`; returns the last key taken (`None` at the
/// end of the queue). A batch that fails is retried key by key, and a key that fails alone stays
/// queued (read paths compute it on read) while the worker goes on past it.
pub async fn work_after(
    state: &AppState,
    after: (EmployeeId, NaiveDate),
) -> ApiResult<Option<(EmployeeId, NaiveDate)>> {
    let keys = scores::queued_after(&state.db, after, BATCH).await?;
    let Some(last) = keys.last().map(|k| (k.employee_id, k.month)) else { return Ok(None) };
    if settle_keys(state, &keys).await.is_ok() {
        return Ok(Some(last));
    }
    let mut failed = Vec::new();
    for key in &keys {
        if let Err(e) = settle_keys(state, std::slice::from_ref(key)).await {
            failed.push((key.employee_id, key.month, e));
        }
    }
    if failed.len() == keys.len() {
        let (_, _, e) = failed.swap_remove(0);
        return Err(e);
    }
    for (employee, month, e) in failed {
        tracing::warn!(employee = employee.0, %month, "could not recompute a stored score; left queued: {e:?}");
    }
    Ok(Some(last))
}

async fn settle_keys(state: &AppState, keys: &[Queued]) -> ApiResult<usize> {
    let done = compute(state, keys).await?;
    Ok(scores::settle(&state.db, &done).await?)
}

/// [`super::scorecards::monthly_totals`] from the stored scores: employee id → (month, total)
/// of the scored months. A person with a month queued, or stored under another framework
/// version, is computed on read, so the answer never lags a change.
pub async fn monthly_totals(
    state: &AppState,
    employees: &[ladder_store::org::Employee],
    first: Month,
    through: Month,
) -> ApiResult<BTreeMap<EmployeeId, Vec<(Month, f64)>>> {
    let mut out: BTreeMap<EmployeeId, Vec<(Month, f64)>> = BTreeMap::new();
    if employees.is_empty() {
        return Ok(out);
    }
    let ids: Vec<EmployeeId> = employees.iter().map(|e| e.id).collect();
    let (from, to) = (first.first_day(), through.first_day());
    let stored = scores::totals_of(&state.db, &ids, from, to).await?;
    let mut stale: BTreeSet<EmployeeId> =
        scores::queued_of(&state.db, &ids, from, to).await?.into_iter().map(|q| q.employee_id).collect();
    stale.extend(stored.iter().filter(|s| *s.3 != *state.score_version).map(|s| s.0));
    for (id, month, total, _) in stored {
        if let (Some(total), false) = (total, stale.contains(&id)) {
            out.entry(id).or_default().push((Month::of(month), total));
        }
    }
    if !stale.is_empty() {
        let again: Vec<_> = employees.iter().filter(|e| stale.contains(&e.id)).cloned().collect();
        out.extend(super::scorecards::computed_monthly_totals(state, &again, first, through).await?);
    }
    Ok(out)
}
