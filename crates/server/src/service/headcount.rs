//! The headcount view (issue 25): people by site, account, role or tenure band at a month's end,
//! with the month's joiners, leavers, promotions and attrition rate. HR and administrators see
//! everyone; a manager the people of their sites and accounts. The counting is
//! `ladder_store::org::headcount::span`'s (by `ladder_core::headcount`'s rules); here the
//! groups get their names.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use ladder_core::access::{Access, Action};
use ladder_core::headcount::{By, Change, Group};
use ladder_core::period::Month;
use ladder_core::wellbeing::rollup::MIN_PEOPLE;
use ladder_core::TeamId;
use ladder_store::org::Scope;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::people::scope_of;
use crate::auth::Me;
use crate::error::ApiResult;
use crate::service::export::{Cell, Table};
use crate::service::kept::Kept;
use crate::state::AppState;

/// What the people are grouped by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    #[default]
    Site,
    Account,
    Role,
    Tenure,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::Site, Level::Account, Level::Role, Level::Tenure];
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Site => "site",
            Level::Account => "account",
            Level::Role => "role",
            Level::Tenure => "tenure",
        }
    }
}

/// One group's month.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupView {
    /// The site, account, role or tenure band; "no team" for people without one.
    pub name: String,
    /// Here on the last day of the month before.
    pub start: u64,
    /// Here on the month's last day.
    pub end: u64,
    /// Hired in the month.
    pub joiners: u64,
    /// Left in the month.
    pub leavers: u64,
    /// Moved to a role of a higher level in the month.
    pub promotions: u64,
    /// Leavers over the average of `start` and `end` (0–1); absent with no one here.
    pub attrition: Option<f64>,
}

impl GroupView {
    fn of(name: String, c: &Change) -> GroupView {
        GroupView {
            name,
            start: c.start,
            end: c.end,
            joiners: c.joiners,
            leavers: c.leavers,
            promotions: c.promotions,
            attrition: c.attrition(),
        }
    }

    /// The month in words, for the page and the chart's description.
    pub fn in_words(&self) -> String {
        let rate = self.attrition.map_or("no attrition rate (no one here)".to_string(), |a| {
            format!("attrition {:.1} % (leavers over the average headcount)", a * 100.0)
        });
        format!(
            "{}: {} at the start, {} at the end; {} joined, {} left, {} promoted; {rate}",
            self.name, self.start, self.end, self.joiners, self.leavers, self.promotions
        )
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HeadcountView {
    /// The month, `YYYY-MM`.
    pub month: String,
    pub level: Level,
    pub groups: Vec<GroupView>,
    pub total: GroupView,
}

/// Each team's change over a span (`None`: people in no team), and everyone's in scope.
pub type TeamChanges = (HashMap<Option<TeamId>, Change>, Change);

/// The headcount's answers, kept until the figures' version moves: it moves with every change
/// of who is in which team, joins or leaves (people imports, role changes, new employees).
#[derive(Debug, Default)]
pub struct KeptCounts {
    views: Kept<HeadcountView>,
    /// By teams and span: the team board asks on every load (a leader's page that must stay
    /// fast), and so does each well-being roll-up not kept yet.
    changes: Kept<TeamChanges>,
}

/// The group key of people now in a team outside the viewer's scope.
const OUTSIDE: i64 = -2;

/// The headcount of `month` by `level`, over the people the caller may count.
pub async fn headcount(state: &AppState, me: &Me, month: Month, level: Level) -> ApiResult<HeadcountView> {
    me.require(Action::ViewHeadcount)?;
    let scope = match me.actor.access {
        Access::Hr | Access::Admin => Scope::All,
        _ => scope_of(state, me).await?,
    };
    let version = ladder_store::kra::figures_version(&state.db).await?;
    let key = format!("{scope:?} {month} {level:?}");
    state.headcounts.views.get_or(key, version, async || compute(state, &scope, month, level).await).await
}

/// The month's groups for `scope`: the database counts by team, role or tenure band, and the
/// teams are named by their site or account here.
async fn compute(state: &AppState, scope: &Scope, month: Month, level: Level) -> ApiResult<HeadcountView> {
    let by = match level {
        Level::Site | Level::Account => By::Team,
        Level::Role => By::Role,
        Level::Tenure => By::Tenure,
    };
    let fw = &state.framework;
    let (counted, total) =
        ladder_store::org::headcount::span(&state.db, scope, month.first_day(), month.last_day(), by, |role| {
            fw.role(role).map(|r| r.level)
        })
        .await?;
    let teams: HashMap<_, _> = match by {
        By::Team => {
            ladder_store::org::teams(&state.db).await?.into_iter().map(|t| (t.id, (t.account_id, t.site_id))).collect()
        }
        _ => HashMap::new(),
    };
    let names: HashMap<i64, String> = match level {
        Level::Site => ladder_store::org::sites(&state.db).await?.into_iter().map(|s| (s.id, s.name)).collect(),
        Level::Account => ladder_store::org::accounts(&state.db).await?.into_iter().map(|a| (a.id, a.name)).collect(),
        _ => HashMap::new(),
    };
    // Someone who moved from the viewer's teams to a team outside them counts in one group
    // that names no place: the viewer may not see where they went.
    let outside = |team: Option<TeamId>| match (scope, team) {
        (Scope::Teams(mine), Some(t)) => !mine.contains(&t),
        _ => false,
    };
    // Groups sort by their key: ids for places, the band's order for tenure, the id for roles.
    let key = |group: &Group| -> (u8, i64, String) {
        match group {
            Group::Team(team) if outside(*team) => (0, OUTSIDE, String::new()),
            Group::Team(team) => {
                let place = team.and_then(|t| teams.get(&t));
                let id = if level == Level::Site { place.map(|p| p.1) } else { place.map(|p| p.0) };
                (0, id.unwrap_or(-1), String::new())
            }
            Group::Role(role) => (0, 0, role.clone()),
            Group::Tenure(tenure) => (*tenure as u8, 0, tenure.label().to_string()),
        }
    };
    let mut groups: BTreeMap<(u8, i64, String), Change> = BTreeMap::new();
    for (group, change) in &counted {
        groups.entry(key(group)).or_default().add(change);
    }
    let name_of = |(_, id, text): &(u8, i64, String)| match level {
        Level::Site | Level::Account if *id == OUTSIDE => "moved outside your teams".to_string(),
        Level::Site | Level::Account if *id < 0 => "no team".to_string(),
        Level::Site | Level::Account => names.get(id).cloned().unwrap_or_else(|| id.to_string()),
        Level::Role => fw.role(text).map_or_else(|| text.clone(), |r| r.name.clone()),
        Level::Tenure => text.clone(),
    };
    Ok(HeadcountView {
        month: month.to_string(),
        level,
        groups: groups.iter().map(|(k, c)| GroupView::of(name_of(k), c)).collect(),
        total: GroupView::of("Everyone".to_string(), &total),
    })
}

/// Each team's change over the days `first..=last`, and everyone's in scope (people in no team
/// too), for the teams given (`None`: all): the well-being roll-up's and the team board's attrition.
pub async fn team_changes(
    state: &AppState,
    teams: Option<&[TeamId]>,
    first: NaiveDate,
    last: NaiveDate,
) -> ApiResult<TeamChanges> {
    let scope = teams.map_or(Scope::All, |t| Scope::Teams(t.to_vec()));
    // Read before counting: what is kept under a version then holds every change up to it.
    let version = ladder_store::kra::figures_version(&state.db).await?;
    let key = format!("{scope:?} {first} {last}");
    state
        .headcounts
        .changes
        .get_or(key, version, async || {
            let (groups, total) =
                ladder_store::org::headcount::span(&state.db, &scope, first, last, By::Team, |_| None).await?;
            let by_team = groups.into_iter().filter_map(|(group, change)| match group {
                Group::Team(team) => Some((team, change)),
                _ => None,
            });
            Ok((by_team.collect(), total))
        })
        .await
}

/// A team's attrition in words for the team board, or why it is not shown: a team averaging
/// fewer than [`MIN_PEOPLE`] people is too small for a rate that does not point at someone.
pub fn team_attrition_words(change: &Change) -> String {
    let average = (change.start + change.end) as f64 / 2.0;
    match change.attrition() {
        None => "no one here".to_string(),
        Some(_) if average < MIN_PEOPLE as f64 => format!("not shown: fewer than {MIN_PEOPLE} people"),
        Some(rate) => format!(
            "{:.1} % ({} left of {average:.1} on average; leavers over the average headcount)",
            rate * 100.0,
            change.leavers
        ),
    }
}

/// The view as a download.
pub fn table(view: &HeadcountView) -> Table {
    let header = vec!["month", view.level.as_str(), "start", "end", "joiners", "leavers", "promotions", "attrition"];
    let rows = view
        .groups
        .iter()
        .chain(std::iter::once(&view.total))
        .map(|g| {
            vec![
                Cell::Text(view.month.clone()),
                Cell::Text(g.name.clone()),
                Cell::Number(g.start as f64),
                Cell::Number(g.end as f64),
                Cell::Number(g.joiners as f64),
                Cell::Number(g.leavers as f64),
                Cell::Number(g.promotions as f64),
                g.attrition.map_or(Cell::Empty, Cell::Number),
            ]
        })
        .collect();
    Table { header, rows }
}
