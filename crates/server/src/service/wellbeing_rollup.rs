//! The well-being roll-up (issue 29): for a month or a week, by site, account or team, how many
//! people had shifts, the share of them with each kind of fatigue flag, nights per person and
//! mean weekly hours, next to the unit's attrition (the headcount view's definition: leavers
//! over the average of the headcount before and at the end of the span).
//!
//! One pass over the span's scheduled shifts (with 3 weeks before, so runs that began earlier
//! count, and a week after, so a stretch without rest is measured whole), person by person, in
//! the site's local time; the flags are the core's. The viewer's scope (a leader's teams, a
//! manager's sites and accounts, everyone for HR and administrators) bounds who is counted, and
//! each unit shows only if the access rules let the viewer see it.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use ladder_core::access::{allowed, Access, Action};
use ladder_core::headcount::{self, Change};
use ladder_core::period::Month;
use ladder_core::wellbeing::rollup::{person_span, Kind, Tally, MIN_PEOPLE};
use ladder_core::wellbeing::zone::{parse_zone, utc_to_local, Tz};
use ladder_core::wellbeing::{Shift as CoreShift, WellbeingRules};
use ladder_core::{EmployeeId, TeamId};
use ladder_store::org::Scope;
use ladder_store::wellbeing::rollup::{self as store, Sink};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::service::export::{Cell, Table};
use crate::state::AppState;

/// Weeks read before the span (as the fatigue board reads them) and days after it.
const WEEKS_BEFORE: i64 = 3;
const DAYS_AFTER: i64 = 8;

/// What stands where attendance will go: no worked-time figures are computed yet.
pub const NO_ATTENDANCE: &str = "no worked-time data";

/// What the units are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Site,
    Account,
    Team,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Site => "site",
            Level::Account => "account",
            Level::Team => "team",
        }
    }

    /// The level a unit of this one opens to.
    pub fn below(self) -> Option<Level> {
        match self {
            Level::Site => Some(Level::Account),
            Level::Account => Some(Level::Team),
            Level::Team => None,
        }
    }
}

/// The span: a calendar month or an ISO week (Monday to Sunday), in each site's local days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    Month(Month),
    Week(NaiveDate),
}

impl Span {
    pub fn days(self) -> (NaiveDate, NaiveDate) {
        match self {
            Span::Month(m) => (m.first_day(), m.last_day()),
            Span::Week(d) => {
                let monday = crate::service::wellbeing::monday(d);
                (monday, monday + TimeDelta::days(6))
            }
        }
    }
}

/// People with one kind of flag.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FlagShare {
    /// weekly-hours, consecutive-nights, short-rest, no-weekly-rest or long-shift.
    #[schema(value_type = String)]
    pub kind: Kind,
    pub label: &'static str,
    pub people: u64,
    /// People with the flag over people with shifts, 0–1.
    pub share: f64,
}

/// The unit's attrition in the span.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Attrition {
    /// Here the day before the span begins.
    pub start: u64,
    /// Here on the span's last day.
    pub end: u64,
    pub leavers: u64,
    /// Leavers over the average of `start` and `end`, 0–1; absent with no one here.
    pub rate: Option<f64>,
}

impl From<Change> for Attrition {
    fn from(c: Change) -> Attrition {
        Attrition { start: c.start, end: c.end, leavers: c.leavers, rate: c.attrition() }
    }
}

/// One unit (or the total).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitView {
    /// The site, account or team; absent on the total.
    pub id: Option<i64>,
    pub name: String,
    /// People with at least one scheduled shift starting in the span.
    pub people_with_shifts: u64,
    /// Fewer than 5 people with shifts: no share, count or mean is shown.
    pub too_few_people: bool,
    /// Per kind of flag; absent when `too_few_people`.
    pub flags: Option<Vec<FlagShare>>,
    /// People with any flag over people with shifts, 0–1.
    pub any_flag_share: Option<f64>,
    /// Night shifts starting in the span per person with shifts.
    pub nights_per_person: Option<f64>,
    /// Scheduled hours a week per person with shifts (hours of shifts starting in the span
    /// over the span's weeks).
    pub average_weekly_hours: Option<f64>,
    /// People whose stored schedule has overlapping shifts, so it could not be assessed
    /// (not counted above).
    pub unreadable_schedules: u64,
    pub attrition: Attrition,
    /// Attendance: always absent for now (see `attendance_note`).
    pub attendance: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RollupView {
    /// The span's first and last day.
    pub from: NaiveDate,
    pub through: NaiveDate,
    /// `month` or `week`.
    pub span: &'static str,
    pub level: Level,
    /// The unit the list opens (a site for accounts, an account for teams), if one.
    pub parent: Option<i64>,
    pub units: Vec<UnitView>,
    /// Everyone the viewer may count (or the parent unit): its figures are the units' sums.
    pub total: UnitView,
    /// The fewest people a share is shown for.
    pub min_people: u64,
    pub attendance_note: &'static str,
}

/// A person's team and site zone, and the teams' sums, built in one pass over the shifts.
struct Pass {
    members: HashMap<EmployeeId, (TeamId, Tz)>,
    first: NaiveDate,
    last: NaiveDate,
    current: Option<EmployeeId>,
    shifts: Vec<CoreShift>,
    teams: HashMap<TeamId, Tally>,
}

impl Pass {
    fn finish_person(&mut self) {
        let Some(id) = self.current.take() else { return };
        let Some((team, _)) = self.members.get(&id) else { return };
        let tally = self.teams.entry(*team).or_default();
        match person_span(&self.shifts, self.first, self.last, &WellbeingRules::default()) {
            Ok(p) => tally.add_person(&p),
            Err(_) => tally.unreadable += 1,
        }
        self.shifts.clear();
    }
}

impl Sink for Pass {
    fn shift(&mut self, employee: EmployeeId, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) {
        if self.current != Some(employee) {
            self.finish_person();
            self.current = Some(employee);
        }
        if let Some((_, tz)) = self.members.get(&employee) {
            self.shifts.push(CoreShift { start: utc_to_local(starts_at, *tz), end: utc_to_local(ends_at, *tz) });
        }
    }
}

/// The viewer's teams (`None`: every team).
async fn scope_teams(state: &AppState, me: &Me) -> ApiResult<Option<Vec<TeamId>>> {
    Ok(match me.actor.access {
        Access::Hr | Access::Admin => None,
        Access::TeamLeader => Some(me.actor.led_teams.clone()),
        Access::Manager => Some(ladder_store::org::teams_in(&state.db, &me.actor.sites, &me.actor.accounts).await?),
        Access::Agent | Access::Trainer => Some(Vec::new()),
    })
}

/// Each team's well-being sums over the span, for the teams in scope.
async fn team_tallies(
    state: &AppState,
    teams: Option<&[TeamId]>,
    first: NaiveDate,
    last: NaiveDate,
) -> ApiResult<HashMap<TeamId, Tally>> {
    let mut zones: HashMap<String, Tz> = HashMap::new();
    let mut members = HashMap::new();
    for (id, team, zone) in store::members(&state.db, teams).await? {
        let tz = match zones.get(&zone) {
            Some(tz) => *tz,
            None => *zones.entry(zone.clone()).or_insert(parse_zone(&zone).map_err(ApiError::internal)?),
        };
        members.insert(id, (team, tz));
    }
    // A day's margin each side for the zones; the local days are cut exactly per person.
    let edge = |d: NaiveDate| d.and_time(chrono::NaiveTime::MIN).and_utc();
    let from = edge(first - TimeDelta::weeks(WEEKS_BEFORE) - TimeDelta::days(1));
    let to = edge(last + TimeDelta::days(DAYS_AFTER));
    let pass = Pass { members, first, last, current: None, shifts: Vec::new(), teams: HashMap::new() };
    let mut pass = store::each_scheduled(&state.db, teams, from, to, pass).await?;
    pass.finish_person();
    Ok(pass.teams)
}

/// Each team's attrition over the span, and everyone's in scope (people in no team too).
async fn team_changes(
    state: &AppState,
    teams: Option<&[TeamId]>,
    first: NaiveDate,
    last: NaiveDate,
) -> ApiResult<(HashMap<Option<TeamId>, Change>, Change)> {
    let scope = teams.map_or(Scope::All, |t| Scope::Teams(t.to_vec()));
    let before = first.pred_opt().unwrap_or(first);
    let people = ladder_store::org::headcount::people(&state.db, &scope, before, last).await?;
    let (groups, total) = headcount::span(&people, first, last, |_| None, |p| p.team_id);
    Ok((groups.into_iter().collect(), total))
}

/// The roll-up of `span` by `level` (default: the highest level the viewer sees a unit at),
/// within `parent` if given.
pub async fn rollup(
    state: &AppState,
    me: &Me,
    span: Span,
    level: Option<Level>,
    parent: Option<i64>,
) -> ApiResult<RollupView> {
    me.require(Action::ViewWellbeingRollup)?;
    // Far dates would overflow the span's arithmetic: a 422, not a failed request.
    let (field, day) = match span {
        Span::Week(d) => ("week", d),
        Span::Month(m) => ("month", m.first_day()),
    };
    ladder_core::dates::in_range(day).map_err(|e| ApiError::invalid(field, e.to_string()))?;
    let (first, last) = span.days();
    let scope = scope_teams(state, me).await?;
    let all_teams = ladder_store::org::teams(&state.db).await?;
    let mine: Option<std::collections::HashSet<TeamId>> = scope.as_ref().map(|s| s.iter().copied().collect());
    let in_scope: Vec<&ladder_store::org::Team> =
        all_teams.iter().filter(|t| mine.as_ref().is_none_or(|s| s.contains(&t.id))).collect();
    let units = Units::new(state, me, &in_scope).await?;
    let level = match level {
        Some(l) => l,
        None => [Level::Site, Level::Account, Level::Team]
            .into_iter()
            .find(|l| !units.of(*l, None).is_empty())
            .unwrap_or(Level::Team),
    };
    if let Some(p) = parent {
        units.check_parent(level, p)?;
    }
    let tallies = team_tallies(state, scope.as_deref(), first, last).await?;
    let (changes, everyone) = team_changes(state, scope.as_deref(), first, last).await?;
    let days = (last - first).num_days() + 1;
    let view = |id: Option<i64>, name: String, teams: &[TeamId]| {
        let mut tally = Tally::default();
        let mut change = Change::default();
        for t in teams {
            tally.add(&tallies.get(t).copied().unwrap_or_default());
            add_change(&mut change, changes.get(&Some(*t)));
        }
        unit_view(id, name, &tally, days, change)
    };
    let list: Vec<UnitView> =
        units.of(level, parent).into_iter().map(|(id, name, teams)| view(Some(id), name, &teams)).collect();
    let total = match parent {
        Some(p) => {
            let above = if level == Level::Team { Level::Account } else { Level::Site };
            let (_, name, teams) = units.of(above, None).into_iter().find(|u| u.0 == p).expect("checked above");
            view(None, name, &teams)
        }
        None => {
            let teams: Vec<TeamId> = in_scope.iter().map(|t| t.id).collect();
            let name = if allowed(&me.actor, Action::ViewOrganisation) {
                "Whole organisation"
            } else {
                "Everyone you may see"
            };
            let mut total = view(None, name.into(), &teams);
            // The headcount's own total: people in no team, and those who moved out, too.
            total.attrition = everyone.into();
            total
        }
    };
    Ok(RollupView {
        from: first,
        through: last,
        span: if matches!(span, Span::Month(_)) { "month" } else { "week" },
        level,
        parent,
        units: list,
        total,
        min_people: MIN_PEOPLE,
        attendance_note: NO_ATTENDANCE,
    })
}

fn add_change(sum: &mut Change, c: Option<&Change>) {
    if let Some(c) = c {
        sum.start += c.start;
        sum.end += c.end;
        sum.leavers += c.leavers;
        sum.joiners += c.joiners;
        sum.promotions += c.promotions;
    }
}

fn unit_view(id: Option<i64>, name: String, tally: &Tally, days: i64, change: Change) -> UnitView {
    let flags = tally.shares().map(|shares| {
        Kind::ALL
            .iter()
            .zip(shares)
            .zip(tally.flagged)
            .map(|((kind, share), people)| FlagShare { kind: *kind, label: kind.label(), people, share })
            .collect()
    });
    UnitView {
        id,
        name,
        people_with_shifts: tally.people,
        too_few_people: !tally.shown(),
        flags,
        any_flag_share: tally.any_share(),
        nights_per_person: tally.nights_per_person(),
        average_weekly_hours: tally.weekly_hours(days),
        unreadable_schedules: tally.unreadable,
        attrition: change.into(),
        attendance: None,
    }
}

/// The sites, accounts and teams the viewer may see, each with its teams in scope.
struct Units {
    sites: Vec<(i64, String, Vec<TeamId>)>,
    accounts: Vec<(i64, i64, String, Vec<TeamId>)>,
    teams: Vec<(i64, i64, String, Vec<TeamId>)>,
}

impl Units {
    async fn new(state: &AppState, me: &Me, in_scope: &[&ladder_store::org::Team]) -> ApiResult<Units> {
        let site_names: HashMap<i64, String> =
            ladder_store::org::sites(&state.db).await?.into_iter().map(|s| (s.id, s.name)).collect();
        let account_names: HashMap<i64, String> =
            ladder_store::org::accounts(&state.db).await?.into_iter().map(|a| (a.id, a.name)).collect();
        let mut sites: Vec<(i64, String, Vec<TeamId>)> = Vec::new();
        let mut accounts: Vec<(i64, i64, String, Vec<TeamId>)> = Vec::new();
        let mut teams = Vec::new();
        for t in in_scope {
            if allowed(&me.actor, Action::ViewSite { site_id: t.site_id }) {
                match sites.iter_mut().find(|s| s.0 == t.site_id) {
                    Some(s) => s.2.push(t.id),
                    None => sites.push((t.site_id, name_of(&site_names, t.site_id), vec![t.id])),
                }
            }
            if allowed(&me.actor, Action::ViewAccount { account_id: t.account_id, site_id: t.site_id }) {
                match accounts.iter_mut().find(|a| a.0 == t.account_id) {
                    Some(a) => a.3.push(t.id),
                    None => accounts.push((t.account_id, t.site_id, name_of(&account_names, t.account_id), vec![t.id])),
                }
            }
            if allowed(&me.actor, Action::ViewTeam { team_id: t.id, account_id: t.account_id, site_id: t.site_id }) {
                teams.push((t.id.0, t.account_id, t.name.clone(), vec![t.id]));
            }
        }
        sites.sort_by(|a, b| a.1.cmp(&b.1));
        accounts.sort_by(|a, b| a.2.cmp(&b.2));
        teams.sort_by(|a, b| a.2.cmp(&b.2));
        Ok(Units { sites, accounts, teams })
    }

    /// The units of `level` (within `parent`): id, name, teams.
    fn of(&self, level: Level, parent: Option<i64>) -> Vec<(i64, String, Vec<TeamId>)> {
        let within = |p: i64| parent.is_none_or(|want| want == p);
        match level {
            Level::Site => self.sites.iter().filter(|_| parent.is_none()).cloned().collect(),
            Level::Account => {
                self.accounts.iter().filter(|a| within(a.1)).map(|a| (a.0, a.2.clone(), a.3.clone())).collect()
            }
            Level::Team => self.teams.iter().filter(|t| within(t.1)).map(|t| (t.0, t.2.clone(), t.3.clone())).collect(),
        }
    }

    /// A parent must be a unit of the level above that the viewer sees.
    fn check_parent(&self, level: Level, parent: i64) -> ApiResult<()> {
        let above = match level {
            Level::Site => return Err(ApiError::invalid("parent", "sites have no parent; leave it out")),
            Level::Account => Level::Site,
            Level::Team => Level::Account,
        };
        if self.of(above, None).iter().any(|u| u.0 == parent) {
            Ok(())
        } else {
            Err(ApiError::not_found(if above == Level::Site { "site" } else { "account" }))
        }
    }
}

fn name_of(names: &HashMap<i64, String>, id: i64) -> String {
    names.get(&id).cloned().unwrap_or_else(|| id.to_string())
}

/// The view as a download: one row a unit, the total last; shares in percent.
pub fn table(view: &RollupView) -> Table {
    let mut header = vec!["from", "through", view.level.as_str(), "people with shifts"];
    header.extend(Kind::ALL.iter().map(|k| match k {
        Kind::WeeklyHours => "% long weeks",
        Kind::ConsecutiveNights => "% nights in a row",
        Kind::ShortRest => "% short rest",
        Kind::NoWeeklyRest => "% 7 days without 24 h rest",
        Kind::LongShift => "% long shifts",
    }));
    header.extend(["% any flag", "nights per person", "average weekly hours", "leavers", "attrition %", "attendance"]);
    let pct = |v: Option<f64>| v.map_or(Cell::Text("too few people".into()), |v| Cell::Number(round(v * 100.0)));
    let rows = view
        .units
        .iter()
        .chain(std::iter::once(&view.total))
        .map(|u| {
            let mut row = vec![
                Cell::Date(view.from),
                Cell::Date(view.through),
                Cell::Text(u.name.clone()),
                Cell::Number(u.people_with_shifts as f64),
            ];
            for i in 0..Kind::ALL.len() {
                row.push(pct(u.flags.as_ref().map(|f| f[i].share)));
            }
            row.push(pct(u.any_flag_share));
            row.push(u.nights_per_person.map_or(Cell::Text("too few people".into()), |v| Cell::Number(round(v))));
            row.push(u.average_weekly_hours.map_or(Cell::Text("too few people".into()), |v| Cell::Number(round(v))));
            row.push(Cell::Number(u.attrition.leavers as f64));
            row.push(u.attrition.rate.map_or(Cell::Empty, |r| Cell::Number(round(r * 100.0))));
            row.push(Cell::Text(NO_ATTENDANCE.into()));
            row
        })
        .collect();
    Table { header, rows }
}

/// One decimal place: the figures are counts of people, not measurements.
fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}
