//! The talent pipeline over everyone in scope (issue 25): who is ready or nearly ready for their
//! next role, the 9-box of performance × readiness, and who is slipping.
//!
//! Readiness is computed per person by the core's rules and kept in `pipeline_snapshot`
//! ([`refresh`], after every change that moves it, and daily for everyone since tenure grows);
//! the lists, counts and 9-box are read in SQL, so they cover every person the viewer may see.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use chrono::{NaiveDate, Utc};
use ladder_core::access::{Access, Action};
use ladder_core::readiness;
use ladder_core::{EmployeeId, TeamId};
use ladder_store::org::Employee;
use ladder_store::pipeline::{self as store, Filter, Key, SnapshotRow, Sort};
use ladder_store::records::{self, CertificationRecord, SkillAssessment};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::service::career::{next_role, plan_route, profile_of, role_name, score_window};
use crate::service::listing::{Listing, PageSpec};
use crate::service::scorecards;
use crate::state::AppState;

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
            framework_version: state.framework.meta.version.clone(),
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
        let people = ladder_store::org::employees_by_ids(&state.db, chunk).await?;
        let rows = compute(state, &people).await?;
        store::upsert(&state.db, &rows).await?;
    }
    Ok(())
}

/// Recomputes every row (`only_stale`: only the missing and those computed before today),
/// batch by batch, telling `progress` (done, total) after each. Returns how many it computed.
pub async fn refresh_all(state: &AppState, only_stale: bool, progress: &(dyn Fn(u64, u64) + Sync)) -> ApiResult<u64> {
    let today = Utc::now().date_naive();
    let total = if only_stale {
        store::stale_count(&state.db, today).await?
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
                store::stale(&state.db, today, after, BATCH as i64).await?
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

// ---- Reading ---------------------------------------------------------------------------------

/// The order of the pipeline: `readiness` (ready first, then highest readiness; the default),
/// `name`, `performance` (highest first) or `trend` (falling fastest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PipelineSort {
    #[default]
    Readiness,
    Name,
    Performance,
    Trend,
}

impl PipelineSort {
    fn store(self) -> Sort {
        match self {
            PipelineSort::Readiness => Sort::Readiness,
            PipelineSort::Name => Sort::Name,
            PipelineSort::Performance => Sort::Performance,
            PipelineSort::Trend => Sort::Trend,
        }
    }
}

/// A form's cleared field (`site=`) is left out, as on the API.
fn blank_is_none<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(d: D) -> Result<Option<T>, D::Error> {
    let text: Option<String> = Option::deserialize(d)?;
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        // Numbers and booleans as JSON, words as strings.
        Some(t) => serde_json::from_str(t)
            .or_else(|_| serde_json::from_value(serde_json::Value::String(t.to_string())))
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
}

macro_rules! pipeline_query {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $extra:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::IntoParams)]
        #[serde(deny_unknown_fields)]
        #[into_params(parameter_in = Query)]
        pub struct $name {
            #[serde(default, deserialize_with = "blank_is_none", skip_serializing_if = "Option::is_none")]
            pub site: Option<i64>,
            #[serde(default, deserialize_with = "blank_is_none", skip_serializing_if = "Option::is_none")]
            pub account: Option<i64>,
            #[serde(default, deserialize_with = "blank_is_none", skip_serializing_if = "Option::is_none")]
            pub team: Option<i64>,
            /// Current role (id).
            #[serde(default, deserialize_with = "blank_is_none", skip_serializing_if = "Option::is_none")]
            pub role: Option<String>,
            /// Next role (id).
            #[serde(default, deserialize_with = "blank_is_none", skip_serializing_if = "Option::is_none")]
            pub next_role: Option<String>,
            #[serde(default, deserialize_with = "blank_is_none", skip_serializing_if = "Option::is_none")]
            pub stage: Option<Stage>,
            #[serde(default, deserialize_with = "blank_is_none", skip_serializing_if = "Option::is_none")]
            pub performance_band: Option<NineBoxBand>,
            /// `low`, `medium` or `high`.
            #[serde(default, deserialize_with = "blank_is_none", skip_serializing_if = "Option::is_none")]
            pub readiness_band: Option<NineBoxBand>,
            /// `true`: only people with no month scored; `false`: only people with one.
            #[serde(default, deserialize_with = "blank_is_none", skip_serializing_if = "Option::is_none")]
            pub no_data: Option<bool>,
            /// `true`: only people whose score is falling faster than the framework allows.
            #[serde(default, deserialize_with = "blank_is_none", skip_serializing_if = "Option::is_none")]
            pub slipping: Option<bool>,
            $($(#[$fmeta])* #[serde(default, deserialize_with = "blank_is_none", skip_serializing_if = "Option::is_none")] pub $extra: $ty,)*
        }
    };
}

pipeline_query!(
    /// The pipeline's filters.
    PipelineFilter {}
);

pipeline_query!(
    /// The pipeline's filters, order and page.
    PipelineQuery {
        sort: Option<PipelineSort>,
        /// 1–500, default 50.
        limit: Option<u32>,
        /// The `next` of the previous page.
        cursor: Option<String>,
    }
);

impl PipelineQuery {
    pub fn filter(&self) -> PipelineFilter {
        PipelineFilter {
            site: self.site,
            account: self.account,
            team: self.team,
            role: self.role.clone(),
            next_role: self.next_role.clone(),
            stage: self.stage,
            performance_band: self.performance_band,
            readiness_band: self.readiness_band,
            no_data: self.no_data,
            slipping: self.slipping,
        }
    }
}

/// The caller's scope and filters as the store reads them, checked: 403 for agents, limits on
/// every text.
async fn store_filter(state: &AppState, me: &Me, f: &PipelineFilter) -> ApiResult<Filter> {
    me.require(Action::ViewPipeline)?;
    let teams = match me.actor.access {
        Access::TeamLeader => Some(me.actor.led_teams.clone()),
        Access::Manager => Some(ladder_store::org::teams_in(&state.db, &me.actor.sites, &me.actor.accounts).await?),
        Access::Hr | Access::Admin => None,
        Access::Agent => return Err(ApiError::forbidden()),
    };
    for (field, text) in [("role", &f.role), ("next_role", &f.next_role)] {
        if let Some(t) = text {
            crate::service::limits::check_line(field, t, crate::service::limits::KEY)?;
        }
    }
    Ok(Filter {
        teams,
        site: f.site,
        account: f.account,
        team: f.team.map(TeamId),
        role: f.role.clone(),
        next_role: f.next_role.clone(),
        stage: f.stage.map(|s| s.as_str().to_string()),
        performance_band: f.performance_band.map(|b| b.as_str().to_string()),
        readiness_band: f.readiness_band.map(|b| b.as_str().to_string()),
        no_data: f.no_data,
        slipping: f.slipping,
    })
}

fn entry(state: &AppState, row: SnapshotRow, teams: &HashMap<TeamId, String>) -> PipelineEntry {
    let next = row.next_role.unwrap_or_default();
    let stage = Stage::ALL.into_iter().find(|s| s.as_str() == row.stage).unwrap_or(Stage::Developing);
    let band = |b: &str| NineBoxBand::ALL.into_iter().find(|x| x.as_str() == b).unwrap_or(NineBoxBand::NoData);
    PipelineEntry {
        employee_id: row.employee_id,
        team_name: row.team_id.and_then(|t| teams.get(&t).cloned()),
        name: row.name,
        team_id: row.team_id,
        role_id: row.role_id,
        next_role_name: role_name(state, &next),
        next_role: next,
        readiness_percent: row.readiness_percent,
        ready: row.ready,
        stage,
        performance: row.performance,
        trend_per_month: row.trend_per_month,
        slipping: row.slipping,
        performance_band: band(&row.performance_band),
        readiness_band: band(&row.readiness_band),
        forecast: row.forecast,
        computed_on: row.computed_on,
    }
}

/// One page of the pipeline over everyone the caller may see, filtered and sorted in SQL.
pub async fn pipeline(state: &AppState, me: &Me, q: &PipelineQuery) -> ApiResult<Listing<PipelineEntry>> {
    let filter = store_filter(state, me, &q.filter()).await?;
    let page = PageSpec::new(q.limit, q.cursor.as_deref())?;
    let sort = q.sort.unwrap_or_default();
    // The cursor also carries how many items came before, for "51–100 of 12,345".
    let (after, before) = match page.after::<(PipelineSort, Key, EmployeeId, u64)>()? {
        Some((s, key, id, before)) if s == sort => (Some((key, id)), before),
        Some(_) => return Err(ApiError::invalid("cursor", "belongs to another order of the list")),
        None => (None, 0),
    };
    let rows = store::page(&state.db, &filter, sort.store(), after, page.fetch()).await?;
    let total = store::count(&state.db, &filter).await?;
    let team_ids: Vec<TeamId> = rows.iter().filter_map(|r| r.team_id).collect();
    let teams = store::team_names(&state.db, &team_ids).await?;
    let through = before + rows.len().min(page.limit as usize) as u64;
    let listing = Listing::from_rows(rows, &page, total, |r| (sort, r.key(sort.store()), r.employee_id, through));
    Ok(listing.map(|r| entry(state, r, &teams)))
}

/// The position (from 1) of the first item of the page `q` asks for.
pub fn first_position(q: &PipelineQuery) -> u64 {
    let page = PageSpec::new(q.limit, q.cursor.as_deref()).ok();
    let after = page.and_then(|p| p.after::<(PipelineSort, Key, EmployeeId, u64)>().ok().flatten());
    after.map_or(1, |(_, _, _, before)| before + 1)
}

/// What the pipeline's filter form offers the caller: the sites, accounts and teams in their
/// scope (teams only when there are at most `max_teams`; more do not fit a list).
#[derive(Debug, Default)]
pub struct Choices {
    pub sites: Vec<(i64, String)>,
    pub accounts: Vec<(i64, String)>,
    pub teams: Option<Vec<(TeamId, String)>>,
}

pub async fn choices(state: &AppState, me: &Me, max_teams: usize) -> ApiResult<Choices> {
    me.require(Action::ViewPipeline)?;
    let (sites, accounts) = (&me.actor.sites, &me.actor.accounts);
    let everyone = matches!(me.actor.access, Access::Hr | Access::Admin);
    let leader = me.actor.access == Access::TeamLeader;
    let mut out = Choices::default();
    if !leader {
        let all_accounts = ladder_store::org::accounts(&state.db).await?;
        out.sites = ladder_store::org::sites(&state.db)
            .await?
            .into_iter()
            .filter(|s| everyone || sites.contains(&s.id))
            .map(|s| (s.id, s.name))
            .collect();
        out.accounts = all_accounts
            .into_iter()
            .filter(|a| everyone || sites.contains(&a.site_id) || accounts.contains(&a.id))
            .map(|a| (a.id, a.name))
            .collect();
    }
    let teams: Vec<(TeamId, String)> = ladder_store::org::teams(&state.db)
        .await?
        .into_iter()
        .filter(|t| match me.actor.access {
            Access::TeamLeader => me.actor.led_teams.contains(&t.id),
            Access::Manager => sites.contains(&t.site_id) || accounts.contains(&t.account_id),
            _ => true,
        })
        .map(|t| (t.id, t.name))
        .collect();
    out.teams = (teams.len() <= max_teams).then_some(teams);
    Ok(out)
}

/// One cell of the 9-box.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NineBoxCell {
    pub performance_band: NineBoxBand,
    pub readiness_band: NineBoxBand,
    pub people: u64,
}

/// The counts over every person the pipeline's filters match.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PipelineSummary {
    /// Everyone matching, as the list's `total`.
    pub total: u64,
    pub ready: u64,
    pub nearly: u64,
    pub developing: u64,
    /// Performance `high`, `medium`, `low` and `no-data` × readiness `low`, `medium`, `high`:
    /// all twelve cells, which add up to `total`.
    pub cells: Vec<NineBoxCell>,
    /// People whose row is being recomputed in the background, if any (the counts may move).
    pub refreshing: Option<u64>,
}

/// The 9-box and stage counts over everyone the caller may see, with the same filters.
pub async fn summary(state: &AppState, me: &Me, f: &PipelineFilter) -> ApiResult<PipelineSummary> {
    let filter = store_filter(state, me, f).await?;
    let counted = store::nine_box(&state.db, &filter).await?;
    let stages = store::stages(&state.db, &filter).await?;
    let stage = |s: Stage| stages.iter().filter(|(x, _)| x == s.as_str()).map(|(_, n)| n).sum::<u64>();
    let mut cells = Vec::new();
    for perf in NineBoxBand::ALL {
        for ready in [NineBoxBand::Low, NineBoxBand::Medium, NineBoxBand::High] {
            let people = counted
                .iter()
                .filter(|(p, r, _)| p == perf.as_str() && r == ready.as_str())
                .map(|(_, _, n)| n)
                .sum();
            cells.push(NineBoxCell { performance_band: perf, readiness_band: ready, people });
        }
    }
    Ok(PipelineSummary {
        total: counted.iter().map(|(_, _, n)| n).sum(),
        ready: stage(Stage::Ready),
        nearly: stage(Stage::Nearly),
        developing: stage(Stage::Developing),
        cells,
        refreshing: state.pipeline_refresh.running().map(|(done, total)| total.saturating_sub(done)),
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
