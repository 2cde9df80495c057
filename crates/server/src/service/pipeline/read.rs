//! The pipeline's read side: the query (filters, order, page), one page of the list, the 9-box
//! and stage counts, and the filter form's choices, all in SQL over the caller's scope.

use std::collections::HashMap;

use ladder_core::access::{Access, Action};
use ladder_core::{EmployeeId, TeamId};
use ladder_store::pipeline::{self as store, Filter, Key, SnapshotRow, Sort};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use super::{NineBoxBand, PipelineEntry, Stage};
use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::service::career::role_name;
use crate::service::listing::{Listing, PageSpec};
use crate::state::AppState;

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
    pub(super) fn store(self) -> Sort {
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

        impl $name {
            /// The filters alone.
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

pipeline_query!(
    /// The pipeline's filters and order, and the file to make.
    PipelineExport {
        sort: Option<PipelineSort>,
        /// `csv` or `xlsx`.
        format: Option<crate::service::export::Format>,
    }
);

/// The caller's scope and filters as the store reads them, checked: 403 for agents, limits on
/// every text.
pub(super) async fn store_filter(state: &AppState, me: &Me, f: &PipelineFilter) -> ApiResult<Filter> {
    me.require(Action::ViewPipeline)?;
    let teams = match me.actor.access {
        Access::TeamLeader => Some(me.actor.led_teams.clone()),
        Access::Manager => Some(ladder_store::org::teams_in(&state.db, &me.actor.sites, &me.actor.accounts).await?),
        Access::Hr | Access::Admin => None,
        Access::Agent | Access::Trainer => return Err(ApiError::forbidden()),
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
    // The 9-box counts of the same filter add up to it, and are kept between requests.
    let total = counts(state, &filter).await?.iter().map(|c| c.3).sum();
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

/// The counts by performance band, readiness band and stage of the rows `filter` matches,
/// kept until the snapshot's rows change.
async fn counts(state: &AppState, filter: &Filter) -> ApiResult<Vec<(String, String, String, u64)>> {
    let version = store::snapshot_version(&state.db).await?;
    let kept = &state.pipeline_refresh.counts;
    Ok(kept.get_or(format!("{filter:?}"), version, async || store::counts(&state.db, filter).await).await?)
}

/// The 9-box and stage counts over everyone the caller may see, with the same filters.
pub async fn summary(state: &AppState, me: &Me, f: &PipelineFilter) -> ApiResult<PipelineSummary> {
    let filter = store_filter(state, me, f).await?;
    let counted = counts(state, &filter).await?;
    let stage = |s: Stage| counted.iter().filter(|(_, _, x, _)| x == s.as_str()).map(|(_, _, _, n)| n).sum::<u64>();
    let mut cells = Vec::new();
    for perf in NineBoxBand::ALL {
        for ready in [NineBoxBand::Low, NineBoxBand::Medium, NineBoxBand::High] {
            let people = counted
                .iter()
                .filter(|(p, r, _, _)| p == perf.as_str() && r == ready.as_str())
                .map(|(_, _, _, n)| n)
                .sum();
            cells.push(NineBoxCell { performance_band: perf, readiness_band: ready, people });
        }
    }
    Ok(PipelineSummary {
        total: counted.iter().map(|(_, _, _, n)| n).sum(),
        ready: stage(Stage::Ready),
        nearly: stage(Stage::Nearly),
        developing: stage(Stage::Developing),
        cells,
        refreshing: state.pipeline_refresh.running().map(|(done, total)| total.saturating_sub(done)),
    })
}
