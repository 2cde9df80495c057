//! The talent pipeline over everyone in scope (issue 25): who is ready or nearly ready for their
//! next role, the 9-box of performance × readiness, and who is slipping.
//!
//! Readiness is computed per person by the core's rules and kept in `pipeline_snapshot`
//! ([`refresh`], after every change that moves it, and daily for everyone since tenure grows);
//! the lists, counts and 9-box are read in SQL, so they cover every person the viewer may see.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use chrono::{NaiveDate, Utc};
use ladder_core::readiness;
use ladder_core::{EmployeeId, TeamId};
use ladder_store::org::Employee;
use ladder_store::pipeline::{self as store, SnapshotRow};
use ladder_store::records::{self, CertificationRecord, SkillAssessment};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiResult;
use crate::service::career::{next_role, plan_route, profile_of, score_window};
use crate::service::scorecards;
use crate::state::AppState;

mod download;
mod read;
pub use download::*;
pub use read::*;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PipelineEntry {
    #[schema(value_type = i64)]
    pub employee_id: EmployeeId,
    pub name: String,
    #[schema(value_type = Option<i64>)]
    pub team_id: Option<TeamId>,
    pub team_name: Option<String>,
    pub role_id: String,
    pub next_role: String,
    pub next_role_name: String,
    /// Mean progress over the requirements, 0–100.
    pub readiness_percent: f64,
    pub ready: bool,
    pub stage: Stage,
    /// Mean monthly KRA score over the last 6 months with enough data to score; `None` (and the
    /// `no-data` performance band) when no month had.
    pub performance: Option<f64>,
    /// The slope of the monthly score, points per month (positive: improving).
    pub trend_per_month: Option<f64>,
    /// The score is falling faster than the framework's `slipping_trend_per_month`.
    pub slipping: bool,
    /// 9-box position: performance and readiness.
    pub performance_band: NineBoxBand,
    pub readiness_band: NineBoxBand,
    pub forecast: Option<NaiveDate>,
    /// The day this row was computed.
    pub computed_on: NaiveDate,
}

/// How near their next role a person is: `ready`, `nearly` (75 % or more) or `developing`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Ready,
    Nearly,
    Developing,
}

/// One axis of the 9-box: `low`, `medium` or `high`; on the performance axis also `no-data`,
/// for people with no month scored (not enough data is not low performance).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum NineBoxBand {
    Low,
    Medium,
    High,
    NoData,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::Ready, Stage::Nearly, Stage::Developing];
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Ready => "ready",
            Stage::Nearly => "nearly",
            Stage::Developing => "developing",
        }
    }
}

impl NineBoxBand {
    pub const ALL: [NineBoxBand; 4] = [NineBoxBand::High, NineBoxBand::Medium, NineBoxBand::Low, NineBoxBand::NoData];
    pub fn as_str(self) -> &'static str {
        match self {
            NineBoxBand::Low => "low",
            NineBoxBand::Medium => "medium",
            NineBoxBand::High => "high",
            NineBoxBand::NoData => "no-data",
        }
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for NineBoxBand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

fn performance_band(state: &AppState, score: Option<f64>) -> NineBoxBand {
    let Some(score) = score else { return NineBoxBand::NoData };
    match state.framework.scoring.band_for(score).map(|b| b.rating) {
        Some(r) if r >= 4 => NineBoxBand::High,
        Some(3) => NineBoxBand::Medium,
        _ => NineBoxBand::Low,
    }
}

fn readiness_band(percent: f64, ready: bool) -> NineBoxBand {
    if ready || percent >= 85.0 {
        NineBoxBand::High
    } else if percent >= 60.0 {
        NineBoxBand::Medium
    } else {
        NineBoxBand::Low
    }
}

// ---- Computing and keeping the rows ---------------------------------------------------------

/// People per batch of a refresh: their plans, skills, certifications and scores are read at once.
const BATCH: usize = 500;
/// Sort keys for "no value": after every real value in the list's order.
const NO_PERFORMANCE: f64 = -1.0e9;
const NO_TREND: f64 = 1.0e9;

/// What a background refresh has done, for the pages to say the snapshot is being refreshed.
#[derive(Debug, Default)]
pub struct RefreshStatus {
    running: AtomicBool,
    done: AtomicU64,
    total: AtomicU64,
    /// One batch reads, computes and writes at a time, so a background batch that read before a
    /// change cannot write over the row the change's own refresh wrote after it.
    batch: tokio::sync::Mutex<()>,
    /// One refresh of many people at a time: a second waits, then finds only what is still stale,
    /// and the progress above is one refresh's.
    whole: tokio::sync::Mutex<()>,
    /// The 9-box counts asked for lately, until the snapshot's rows change.
    pub(super) counts: crate::service::kept::Kept<Vec<(String, String, String, u64)>>,
}

impl RefreshStatus {
    /// `Some((done, total))` while a refresh of many people runs on this server.
    pub fn running(&self) -> Option<(u64, u64)> {
        self.running
            .load(Ordering::Relaxed)
            .then(|| (self.done.load(Ordering::Relaxed), self.total.load(Ordering::Relaxed)))
    }
}

/// The rows of these people, computed by the readiness rules from their stored records.
async fn compute(state: &AppState, people: &[Employee]) -> ApiResult<Vec<SnapshotRow>> {
    let today = Utc::now().date_naive();
    let figures_version = ladder_store::kra::figures_version(&state.db).await?;
    let (first, through) = score_window();
    let mut totals = scorecards::monthly_totals(state, people, first, through).await?;
    let ids: Vec<EmployeeId> = people.iter().map(|e| e.id).collect();
    let plans = records::career_plans_of(&state.db, &ids).await?;
    let mut skills_by: BTreeMap<EmployeeId, Vec<SkillAssessment>> = BTreeMap::new();
    for s in records::skill_assessments_of(&state.db, &ids).await? {
        skills_by.entry(s.employee_id).or_default().push(s);
    }
    let mut certs_by: BTreeMap<EmployeeId, Vec<CertificationRecord>> = BTreeMap::new();
    for c in records::certifications_of(&state.db, &ids).await? {
        certs_by.entry(c.employee_id).or_default().push(c);
    }
    let mut plan_of = HashMap::new();
    for p in &plans {
        plan_of.entry(p.employee_id).or_insert(p);
    }
    let mut out = Vec::with_capacity(people.len());
    for e in people {
        let mut row = SnapshotRow {
            employee_id: e.id,
            name: e.name.clone(),
            team_id: e.team_id,
            account_id: e.account_id,
            site_id: e.site_id,
            role_id: e.role_id.clone(),
            next_role: None,
            readiness_percent: 0.0,
            ready: false,
            stage: Stage::Developing.as_str().into(),
            performance: None,
            performance_band: NineBoxBand::NoData.as_str().into(),
            readiness_band: NineBoxBand::Low.as_str().into(),
            trend_per_month: None,
            slipping: false,
            forecast: None,
            readiness_key: 0.0,
            performance_key: NO_PERFORMANCE,
            trend_key: NO_TREND,
            computed_on: today,
            framework_version: state.pipeline_version.to_string(),
            figures_version,
        };
        let scores = totals.remove(&e.id).unwrap_or_default();
        if e.active {
            let skills = skills_by.get(&e.id).map_or(&[][..], Vec::as_slice);
            let certs = certs_by.get(&e.id).map_or(&[][..], Vec::as_slice);
            fill(state, &mut row, e, plan_of.get(&e.id).copied(), scores, skills, certs);
        }
        out.push(row);
    }
    Ok(out)
}

/// Fills in a person's readiness for their next role, their 9-box place and trend; leaves the
/// row out of the pipeline (no next role) when there is no next step or it cannot be judged.
fn fill(
    state: &AppState,
    row: &mut SnapshotRow,
    e: &Employee,
    stored: Option<&records::CareerPlanRow>,
    scores: Vec<(ladder_core::period::Month, f64)>,
    skills: &[SkillAssessment],
    certs: &[CertificationRecord],
) {
    let plan = stored.and_then(|s| plan_route(state, e, &s.target_role, s.horizon_years).ok());
    let Some(next) = next_role(state, e, plan.as_ref()) else { return };
    let recent: Vec<f64> = scores.iter().rev().take(6).map(|(_, s)| *s).collect();
    let performance = (!recent.is_empty()).then(|| recent.iter().sum::<f64>() / recent.len() as f64);
    let points: Vec<(f64, f64)> = scores.iter().map(|(m, s)| (f64::from(m.ordinal()), *s)).collect();
    let trend = readiness::least_squares(&points).map(|(slope, _)| slope);
    let profile = profile_of(e, scores, skills, certs);
    let Ok(r) = readiness::readiness(&state.framework, &next, &profile) else { return };
    let stage = if r.ready {
        Stage::Ready
    } else if r.percent >= 75.0 {
        Stage::Nearly
    } else {
        Stage::Developing
    };
    let percent = (r.percent * 10.0).round() / 10.0;
    row.next_role = Some(next);
    row.readiness_percent = percent;
    row.ready = r.ready;
    row.stage = stage.as_str().into();
    row.performance = performance;
    row.performance_band = performance_band(state, performance).as_str().into();
    row.readiness_band = readiness_band(r.percent, r.ready).as_str().into();
    row.trend_per_month = trend;
    row.slipping = state.framework.settings.slipping(trend);
    row.forecast = r.forecast.date;
    // Ready people first, then by readiness: one key, so a page resumes by one comparison.
    row.readiness_key = percent + if r.ready { 1000.0 } else { 0.0 };
    row.performance_key = performance.unwrap_or(NO_PERFORMANCE);
    row.trend_key = trend.unwrap_or(NO_TREND);
}

/// Recomputes and stores these people's rows (after a change that moves their readiness).
pub async fn refresh(state: &AppState, ids: &[EmployeeId]) -> ApiResult<()> {
    for chunk in ids.chunks(BATCH) {
        let _one_batch = state.pipeline_refresh.batch.lock().await;
        let people = ladder_store::org::employees_by_ids(&state.db, chunk).await?;
        let rows = compute(state, &people).await?;
        store::upsert(&state.db, &rows).await?;
    }
    Ok(())
}

/// Recomputes every row (`only_stale`: only the missing, those computed before today or under
/// another framework),
/// batch by batch, telling `progress` (done, total) after each. Returns how many it computed.
pub async fn refresh_all(state: &AppState, only_stale: bool, progress: &(dyn Fn(u64, u64) + Sync)) -> ApiResult<u64> {
    let _one_refresh = state.pipeline_refresh.whole.lock().await;
    let today = Utc::now().date_naive();
    let total = if only_stale {
        store::stale_count(&state.db, today, &state.pipeline_version).await?
    } else {
        store::employee_count(&state.db).await?
    };
    let status = &state.pipeline_refresh;
    status.total.store(total, Ordering::Relaxed);
    status.done.store(0, Ordering::Relaxed);
    status.running.store(total > 0, Ordering::Relaxed);
    let result = async {
        let mut after = EmployeeId(0);
        let mut done = 0u64;
        loop {
            let ids = if only_stale {
                store::stale(&state.db, today, &state.pipeline_version, after, BATCH as i64).await?
            } else {
                store::employee_ids(&state.db, after, BATCH as i64).await?
            };
            let Some(last) = ids.last() else { break };
            after = *last;
            refresh(state, &ids).await?;
            done += ids.len() as u64;
            status.done.store(done, Ordering::Relaxed);
            progress(done, total.max(done));
        }
        Ok(done)
    }
    .await;
    status.running.store(false, Ordering::Relaxed);
    result
}

/// After an import, whose people are not listed one by one: marks the rows of the importer's
/// teams (everyone's for HR) stale and recomputes them in the background.
pub async fn refresh_after_import(state: &AppState, teams: Option<&[TeamId]>) -> ApiResult<()> {
    store::mark_stale(&state.db, teams).await?;
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(e) = refresh_all(&state, true, &|_, _| {}).await {
            tracing::warn!(error = ?e, "refreshing the pipeline after an import failed");
        }
    });
    Ok(())
}

/// How often a running server looks for rows computed before today.
const STALE_CHECK: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Keeps the snapshot current while the server runs: recomputes the stale rows now (rows from
/// before today, people with none) and again each hour that finds some, so once a day for all.
pub fn spawn_daily_refresh(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match refresh_all(&state, true, &|_, _| {}).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(people = n, "pipeline snapshot refreshed"),
                Err(e) => tracing::warn!(error = ?e, "refreshing the pipeline snapshot failed"),
            }
            tokio::time::sleep(STALE_CHECK).await;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_and_bands_read_as_they_serialise() {
        let shown = Stage::ALL.iter().map(ToString::to_string).chain(NineBoxBand::ALL.iter().map(ToString::to_string));
        let serialised =
            Stage::ALL.iter().map(serde_json::to_value).chain(NineBoxBand::ALL.iter().map(serde_json::to_value));
        for (shown, serialised) in shown.zip(serialised) {
            assert_eq!(serde_json::Value::String(shown), serialised.unwrap());
        }
    }

    #[test]
    fn nine_box_bands() {
        assert_eq!(readiness_band(90.0, false), NineBoxBand::High);
        assert_eq!(readiness_band(10.0, true), NineBoxBand::High);
        assert_eq!(readiness_band(70.0, false), NineBoxBand::Medium);
        assert_eq!(readiness_band(30.0, false), NineBoxBand::Low);
    }

    #[test]
    fn blank_fields_are_left_out_and_unknown_ones_refused() {
        let q: PipelineQuery = serde_urlencoded::from_str("site=&stage=nearly&no_data=true&limit=5").unwrap();
        assert_eq!((q.site, q.stage, q.no_data, q.limit), (None, Some(Stage::Nearly), Some(true), Some(5)));
        let err = serde_urlencoded::from_str::<PipelineQuery>("colour=red").unwrap_err();
        assert!(err.to_string().contains("colour"), "{err}");
        assert!(serde_urlencoded::from_str::<PipelineFilter>("limit=5").is_err(), "the summary has no page");
    }
}
