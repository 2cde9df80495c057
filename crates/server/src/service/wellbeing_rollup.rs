//! The well-being roll-up (issue 29): for a month or a week, by site, account or team, how many
//! people had shifts, the share of them with each kind of fatigue flag, nights per person and
//! mean weekly hours, next to the unit's attrition (the headcount view's definition: leavers
//! over the average of the headcount before and at the end of the span) and attendance
//! (scheduled shifts against time-clock ones, `ladder_core::wellbeing::attendance`).
//!
//! One pass over the span's shifts (scheduled ones with 3 weeks before, so runs that began
//! earlier count, and a week after, so a stretch without rest is measured whole), person by
//! person, in the site's local time; the flags are the core's. The viewer's scope (a leader's
//! teams, a manager's sites and accounts, everyone for HR and administrators) bounds who is
//! counted, and each unit shows only if the access rules let the viewer see it.
//!
//! A whole organisation's span is millions of shifts, so each scope's sums are kept until the
//! shifts or the organisation change (their versions in `data_versions`), and for a span not yet
//! over, until the hour turns (attendance counts the shifts ended by then).

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, DurationRound, NaiveDate, TimeDelta, Utc};
use ladder_core::access::{allowed, Access, Action};
use ladder_core::headcount::Change;
use ladder_core::period::Month;
use ladder_core::wellbeing::attendance::{attendance_in_span, LATE_AFTER_MINUTES};
use ladder_core::wellbeing::rollup::{person_span, Kind, Tally, MIN_PEOPLE};
use ladder_core::wellbeing::zone::{local_to_utc, parse_zone, utc_to_local, Tz};
use ladder_core::wellbeing::{Shift as CoreShift, WellbeingRules};
use ladder_core::{EmployeeId, TeamId};
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

/// What the attendance figures count, in words.
pub const ATTENDANCE_NOTE: &str = "Attendance: scheduled shifts starting in the span and ended by the time given, \
    against the time clock's worked shifts. Worked: a worked shift overlaps it; late: the first one began more \
    than 5 minutes after it; missed: none overlaps it. Hours: worked hours over scheduled hours, breaks included.";

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
    /// Scheduled against worked shifts; absent under 5 people with a scheduled shift counted,
    /// or when none of them has a worked shift (see `attendance_hidden`).
    pub attendance: Option<AttendanceFigures>,
    /// Why `attendance` is absent: `too few people` or `no worked-time data`.
    pub attendance_hidden: Option<&'static str>,
}

/// A unit's attendance over the span (see `RollupView::attendance_note`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttendanceFigures {
    /// People with a scheduled shift counted.
    pub people: u64,
    /// Scheduled shifts starting in the span and ended by `attendance_as_of`.
    pub scheduled_shifts: u64,
    /// Of them, those a worked shift overlaps (on time or late), 0–1.
    pub worked_share: f64,
    /// Those whose first overlapping worked shift began more than `late_after_minutes` late, 0–1.
    pub late_share: f64,
    /// Those no worked shift overlaps, 0–1.
    pub missed_share: f64,
    pub scheduled_hours: f64,
    /// Hours of the worked shifts starting in the span (unscheduled ones too).
    pub worked_hours: f64,
    /// Worked hours over scheduled hours, 0–1 (more than 1 with overtime).
    pub hours_share: f64,
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
    /// What attendance counts.
    pub attendance_note: &'static str,
    /// Attendance counts the shifts ended by this instant (the hour the sums were made).
    pub attendance_as_of: DateTime<Utc>,
    pub late_after_minutes: i64,
}

/// A site zone's span: its local first and last day as instants.
struct ZoneSpan {
    tz: Tz,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
}

/// The teams' sums, built in one pass over the shifts, one person at a time.
struct Pass {
    /// Each person's team and the index of their site's zone in `zones`.
    members: HashMap<EmployeeId, (TeamId, usize)>,
    zones: Vec<ZoneSpan>,
    first: NaiveDate,
    last: NaiveDate,
    /// Shifts ended by then count in attendance.
    now: DateTime<Utc>,
    rules: WellbeingRules,
    /// The person whose rows are coming in, and their team and zone if they are counted.
    current: Option<(EmployeeId, Option<(TeamId, usize)>)>,
    scheduled: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    worked: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    /// Buffers reused from person to person.
    local: Vec<CoreShift>,
    counted: (Vec<CoreShift>, Vec<CoreShift>),
    teams: HashMap<TeamId, Tally>,
}

impl Pass {
    fn finish_person(&mut self) {
        if let Some((_, Some((team, zone)))) = self.current.take() {
            let zone = &self.zones[zone];
            self.local.clear();
            self.local.extend(
                self.scheduled
                    .iter()
                    .map(|&(s, e)| CoreShift { start: utc_to_local(s, zone.tz), end: utc_to_local(e, zone.tz) }),
            );
            let tally = self.teams.entry(team).or_default();
            match person_span(&self.local, self.first, self.last, &self.rules) {
                Ok(p) => tally.add_person(&p),
                Err(_) => tally.unreadable += 1,
            }
            // Attendance in UTC, so a night across a DST change counts its real length (as
            // `service::attendance` does); shifts starting in the span and ended by `now`.
            let (from, to, now) = (zone.from, zone.to, self.now);
            let counts = |(s, e): &(DateTime<Utc>, DateTime<Utc>)| (from..to).contains(s) && *e <= now;
            let naive =
                |&(s, e): &(DateTime<Utc>, DateTime<Utc>)| CoreShift { start: s.naive_utc(), end: e.naive_utc() };
            let (scheduled, worked) = &mut self.counted;
            scheduled.clear();
            scheduled.extend(self.scheduled.iter().filter(|s| counts(s)).map(naive));
            // Matched against every worked shift read (the read has a day's margin), counted in
            // hours only when it falls in the span and has ended.
            worked.clear();
            worked.extend(self.worked.iter().map(naive));
            let in_span: Vec<CoreShift> = self.worked.iter().filter(|s| counts(s)).map(naive).collect();
            tally.add_attendance(&attendance_in_span(scheduled, worked, &in_span));
        }
        self.scheduled.clear();
        self.worked.clear();
    }
}

impl Sink for Pass {
    fn shift(&mut self, employee: EmployeeId, worked: bool, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) {
        if self.current.map(|c| c.0) != Some(employee) {
            self.finish_person();
            self.current = Some((employee, self.members.get(&employee).copied()));
        }
        if worked {
            self.worked.push((starts_at, ends_at));
        } else {
            self.scheduled.push((starts_at, ends_at));
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

/// Each team's well-being sums over the span, for the teams in scope, with the attendance of
/// the shifts ended by `now`.
async fn team_tallies(
    state: &AppState,
    teams: Option<&[TeamId]>,
    first: NaiveDate,
    last: NaiveDate,
    now: DateTime<Utc>,
) -> ApiResult<HashMap<TeamId, Tally>> {
    let midnight = |d: NaiveDate| d.and_time(chrono::NaiveTime::MIN);
    let mut zone_of: HashMap<String, usize> = HashMap::new();
    let mut zones = Vec::new();
    let mut members = HashMap::new();
    for (id, team, zone) in store::members(&state.db, teams).await? {
        let index = match zone_of.get(&zone) {
            Some(i) => *i,
            None => {
                let tz = parse_zone(&zone).map_err(ApiError::internal)?;
                let (from, to) =
                    (local_to_utc(midnight(first), tz).0, local_to_utc(midnight(last + TimeDelta::days(1)), tz).0);
                zones.push(ZoneSpan { tz, from, to });
                *zone_of.entry(zone).or_insert(zones.len() - 1)
            }
        };
        members.insert(id, (team, index));
    }
    // A day's margin each side for the zones; the local days are cut exactly per person.
    let edge = |d: NaiveDate| midnight(d).and_utc();
    let scheduled =
        (edge(first - TimeDelta::weeks(WEEKS_BEFORE) - TimeDelta::days(1)), edge(last + TimeDelta::days(DAYS_AFTER)));
    let worked = (edge(first - TimeDelta::days(1)), edge(last + TimeDelta::days(2)));
    let pass = Pass {
        members,
        zones,
        first,
        last,
        now,
        rules: WellbeingRules::default(),
        current: None,
        scheduled: Vec::new(),
        worked: Vec::new(),
        local: Vec::new(),
        counted: (Vec::new(), Vec::new()),
        teams: HashMap::new(),
    };
    let mut pass = store::each_shift(&state.db, teams, scheduled, worked, pass).await?;
    pass.finish_person();
    Ok(pass.teams)
}

/// What a scope's roll-up of a span is made from: each team's sums and attrition, everyone's
/// attrition, and the instant attendance counts to.
#[derive(Debug)]
struct Sums {
    teams: HashMap<TeamId, Tally>,
    changes: HashMap<Option<TeamId>, Change>,
    everyone: Change,
    as_of: DateTime<Utc>,
}

/// The figures' version (who is in which team, site zones), the shifts' version, the span, the
/// teams in scope (`None`: all) and, for a span not long over, the hour attendance counts to.
type Key = (i64, i64, NaiveDate, NaiveDate, Option<Vec<TeamId>>, Option<DateTime<Utc>>);

#[derive(Clone)]
struct ByTeams;

impl quick_cache::Weighter<Key, Arc<Sums>> for ByTeams {
    fn weight(&self, _: &Key, sums: &Arc<Sums>) -> u64 {
        (sums.teams.len() + sums.changes.len()) as u64 + 1
    }
}

/// Teams' sums kept at most: about 200 bytes each, so near 40 MB.
const TEAMS_KEPT: u64 = 200_000;

/// The roll-ups' sums kept across requests (see the module's header).
pub struct KeptSums {
    kept: quick_cache::sync::Cache<Key, Arc<Sums>, ByTeams>,
}

impl Default for KeptSums {
    fn default() -> KeptSums {
        KeptSums { kept: quick_cache::sync::Cache::with_weighter(256, TEAMS_KEPT, ByTeams) }
    }
}

/// The sums for `teams` over the span, kept until the shifts or the organisation change; requests
/// for the same sums meanwhile wait for the one computation.
async fn sums(state: &AppState, teams: Option<&[TeamId]>, first: NaiveDate, last: NaiveDate) -> ApiResult<Arc<Sums>> {
    // Read before computing: what is kept under a version then holds every change up to it.
    let figures = ladder_store::kra::figures_version(&state.db).await?;
    let shifts = ladder_store::wellbeing::shifts_version(&state.db).await?;
    let hour = Utc::now().duration_trunc(TimeDelta::hours(1)).map_err(ApiError::internal)?;
    // Days after the span every shift starting in it has ended: then attendance is final.
    let over = last + TimeDelta::days(DAYS_AFTER) < hour.date_naive();
    let key: Key = (figures, shifts, first, last, teams.map(<[TeamId]>::to_vec), (!over).then_some(hour));
    let compute = async {
        let tallies = team_tallies(state, teams, first, last, hour).await?;
        let (changes, everyone) = crate::service::headcount::team_changes(state, teams, first, last).await?;
        Ok::<_, ApiError>(Arc::new(Sums { teams: tallies, changes, everyone, as_of: hour }))
    };
    state.wellbeing_rollups.kept.get_or_insert_async(&key, compute).await
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
    let sums = sums(state, scope.as_deref(), first, last).await?;
    let (tallies, changes) = (&sums.teams, &sums.changes);
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
            total.attrition = sums.everyone.into();
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
        attendance_note: ATTENDANCE_NOTE,
        attendance_as_of: sums.as_of,
        late_after_minutes: LATE_AFTER_MINUTES,
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
        attendance: tally.attendance_shown().ok().map(|a| {
            let of_shifts = |n: u32| f64::from(n) / f64::from(a.scheduled_shifts);
            AttendanceFigures {
                people: tally.attendance_people,
                scheduled_shifts: u64::from(a.scheduled_shifts),
                worked_share: of_shifts(a.scheduled_shifts - a.missed_shifts),
                late_share: of_shifts(a.late_starts),
                missed_share: of_shifts(a.missed_shifts),
                scheduled_hours: a.scheduled_hours,
                worked_hours: a.worked_hours,
                hours_share: if a.scheduled_hours > 0.0 { a.worked_hours / a.scheduled_hours } else { 0.0 },
            }
        }),
        attendance_hidden: tally.attendance_shown().err().map(|h| h.words()),
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
    header.extend(["% any flag", "nights per person", "average weekly hours", "leavers", "attrition %"]);
    header.extend([
        "scheduled shifts ended",
        "% of them worked",
        "% late starts",
        "% missed",
        "% of scheduled hours worked",
    ]);
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
            match (&u.attendance, u.attendance_hidden) {
                (Some(a), _) => row.extend(
                    [Cell::Number(a.scheduled_shifts as f64)].into_iter().chain(
                        [a.worked_share, a.late_share, a.missed_share, a.hours_share]
                            .map(|v| Cell::Number(round(v * 100.0))),
                    ),
                ),
                (None, why) => row.extend(std::iter::repeat_n(Cell::Text(why.unwrap_or_default().into()), 5)),
            }
            row
        })
        .collect();
    Table { header, rows }
}

/// One decimal place: the figures are counts of people, not measurements.
fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}
