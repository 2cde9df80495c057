//! Well-being (issue 29): a person's shifts and fatigue flags for a week and the next, a team's
//! fatigue board, and the private weekly pulse. The flags are the core's (`assess`) on the
//! stored schedule in the site's local time.

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use ladder_core::access::Action;
use ladder_core::wellbeing::night_pay::NightDifferential;
use ladder_core::wellbeing::zone::{local_to_utc, parse_zone, utc_to_local, Tz};
use ladder_core::wellbeing::{assess, Flag, FlagKind, Severity, Shift as CoreShift, WellbeingRules};
use ladder_core::{EmployeeId, TeamId};
use ladder_store::wellbeing::{self as store, pulse, Record};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::service::listing::{Listing, Order, PageSpec};
use crate::service::people::visible_employee;
use crate::state::AppState;

/// Weeks of schedule read before the first week shown: runs of nights and stretches without
/// a day off that began earlier still count.
const WEEKS_BEFORE: i64 = 3;

/// One flag in plain words, with the guidance it comes from.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FlagView {
    #[schema(value_type = String)]
    pub kind: FlagKind,
    #[schema(value_type = String)]
    pub severity: Severity,
    pub message: String,
    pub source: &'static str,
    /// Local site time the flag's span starts.
    pub from: chrono::NaiveDateTime,
}

/// One stored shift, in local site time.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShiftView {
    pub start: chrono::NaiveDateTime,
    pub end: chrono::NaiveDateTime,
    pub kind: String,
    pub breaks_minutes: i32,
    /// Entered by hand (so its owner may delete it), not imported.
    pub by_hand: bool,
}

/// A week's schedule and flags.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WeekView {
    /// The Monday the week starts on.
    pub week: NaiveDate,
    pub hours: f64,
    pub night_shifts: usize,
    pub shifts: Vec<ShiftView>,
    pub flags: Vec<FlagView>,
}

/// A person's well-being: this week and the next.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonWellbeing {
    #[schema(value_type = i64)]
    pub employee_id: EmployeeId,
    pub time_zone: String,
    pub weeks: Vec<WeekView>,
    /// Set when the stored schedule could not be assessed (the weeks then show no flags).
    pub problem: Option<String>,
}

/// The Monday of `day`'s week.
pub fn monday(day: NaiveDate) -> NaiveDate {
    day - TimeDelta::days(i64::from(day.weekday().num_days_from_monday()))
}

/// What the flags could not be worked out from, shown instead of a silent "no flags".
const SCHEDULE_PROBLEM: &str =
    "The schedule has a problem, so its flags cannot be shown; ask your planner to check it.";

/// One person's zone, stored shifts (with their local times) and flags (or why there are none).
type Weekly = (EmployeeId, Tz, Vec<(ladder_store::wellbeing::Shift, CoreShift)>, Result<Vec<Flag>, String>);

/// Each person's scheduled shifts from `first` (a Monday) for `weeks` weeks, assessed whole,
/// with the flags split by the week their span starts in. The shifts are in local site time.
pub(crate) async fn weekly(
    state: &AppState,
    people: &[EmployeeId],
    first: NaiveDate,
    weeks: i64,
) -> ApiResult<Vec<Weekly>> {
    let zones = store::zones(&state.db, people).await?;
    let edge = |d: NaiveDate, tz: Tz| local_to_utc(d.and_hms_opt(0, 0, 0).expect("midnight"), tz).0;
    let mut out = Vec::new();
    for (id, zone) in zones {
        let tz = parse_zone(&zone).map_err(ApiError::internal)?;
        let (from, to): (DateTime<Utc>, DateTime<Utc>) = (edge(first, tz), edge(first + TimeDelta::weeks(weeks), tz));
        let stored = store::of_employee(&state.db, id, Record::Scheduled, from, to).await?;
        let local: Vec<CoreShift> = stored
            .iter()
            .map(|s| CoreShift { start: utc_to_local(s.starts_at, tz), end: utc_to_local(s.ends_at, tz) })
            .collect();
        let flags = assess(&local, &WellbeingRules::default()).map(|a| a.flags).map_err(|e| {
            // Stored shifts the rules refuse (an edit outside the checks): say so, never "no flags".
            tracing::warn!(employee = id.0, "assessing the stored schedule failed: {e:?}");
            SCHEDULE_PROBLEM.to_string()
        });
        out.push((id, tz, stored.into_iter().zip(local).collect(), flags));
    }
    Ok(out)
}

/// One week of `shifts`; those starting at one of `by_hand` were entered by hand.
fn week_view(
    week: NaiveDate,
    shifts: &[(ladder_store::wellbeing::Shift, CoreShift)],
    flags: &[Flag],
    by_hand: &[DateTime<Utc>],
) -> WeekView {
    let end = week + TimeDelta::weeks(1);
    let in_week = |d: NaiveDate| d >= week && d < end;
    let rules = WellbeingRules::default();
    let mine: Vec<&(ladder_store::wellbeing::Shift, CoreShift)> =
        shifts.iter().filter(|(_, l)| in_week(l.start.date())).collect();
    WeekView {
        week,
        // `+ 0.0`: an empty f64 sum is -0.0, which would print as "-0.0 h".
        hours: mine.iter().map(|(_, l)| l.hours()).sum::<f64>() + 0.0,
        night_shifts: mine.iter().filter(|(_, l)| ladder_core::wellbeing::is_night_shift(l, &rules)).count(),
        shifts: mine
            .iter()
            .map(|(s, l)| ShiftView {
                start: l.start,
                end: l.end,
                kind: s.kind.as_str().into(),
                breaks_minutes: s.breaks_minutes,
                by_hand: by_hand.contains(&s.starts_at),
            })
            .collect(),
        flags: flags
            .iter()
            .filter(|f| in_week(f.from.date()))
            .map(|f| FlagView {
                kind: f.kind,
                severity: f.severity,
                message: f.message.clone(),
                source: f.kind.source(),
                from: f.from,
            })
            .collect(),
    }
}

/// A person's schedule and flags for the week holding `day` and the next.
pub async fn person(state: &AppState, me: &Me, id: EmployeeId, day: NaiveDate) -> ApiResult<PersonWellbeing> {
    let employee = visible_employee(state, me, id).await?;
    me.require(Action::ViewShifts(employee.placement()))?;
    let week = monday(day);
    let first = week - TimeDelta::weeks(WEEKS_BEFORE);
    let mut all = weekly(state, &[id], first, WEEKS_BEFORE + 2).await?;
    let Some((_, tz, shifts, flags)) = all.pop() else { return Err(ApiError::not_found("employee")) };
    let (flags, problem) = match flags {
        Ok(flags) => (flags, None),
        Err(problem) => (Vec::new(), Some(problem)),
    };
    let (from, to) =
        shifts.first().zip(shifts.last()).map_or((Utc::now(), Utc::now()), |(a, b)| (a.0.starts_at, b.0.ends_at));
    let by_hand = store::by_hand_starts(&state.db, id, Record::Scheduled, from, to).await?;
    let weeks = [week, week + TimeDelta::weeks(1)].iter().map(|w| week_view(*w, &shifts, &flags, &by_hand)).collect();
    Ok(PersonWellbeing { employee_id: id, time_zone: tz.name().into(), weeks, problem })
}

/// One person on a team's board.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BoardRow {
    #[schema(value_type = i64)]
    pub employee_id: EmployeeId,
    pub name: String,
    pub this_week: Vec<FlagView>,
    pub next_week: Vec<FlagView>,
    /// Flagged in this week and each of the two before.
    pub three_weeks_running: bool,
}

/// A team's fatigue board.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Board {
    #[schema(value_type = i64)]
    pub team_id: TeamId,
    pub week: NaiveDate,
    pub people: Vec<BoardRow>,
    /// (kind, people flagged with it this week, next week).
    pub counts: Vec<(String, usize, usize)>,
}

/// The team's fatigue board for the week holding `day` and the next.
pub async fn board(state: &AppState, me: &Me, team_id: TeamId, day: NaiveDate) -> ApiResult<Board> {
    crate::service::people::visible_team(state, me, team_id).await?;
    let members = ladder_store::org::team_members(&state.db, team_id).await?;
    let ids: Vec<EmployeeId> = members.iter().map(|m| m.id).collect();
    let week = monday(day);
    let first = week - TimeDelta::weeks(WEEKS_BEFORE);
    let all = weekly(state, &ids, first, WEEKS_BEFORE + 2).await?;
    let mut people = Vec::new();
    for (id, _, shifts, flags) in all {
        let flags = flags.unwrap_or_default();
        let view = |w: NaiveDate| week_view(w, &shifts, &flags, &[]).flags;
        let running = (0..3).all(|k| !view(week - TimeDelta::weeks(k)).is_empty());
        let name = members.iter().find(|m| m.id == id).map(|m| m.name.clone()).unwrap_or_default();
        people.push(BoardRow {
            employee_id: id,
            name,
            this_week: view(week),
            next_week: view(week + TimeDelta::weeks(1)),
            three_weeks_running: running,
        });
    }
    people.sort_by(|a, b| a.name.cmp(&b.name));
    let count = |k: FlagKind, pick: fn(&BoardRow) -> &Vec<FlagView>| {
        people.iter().filter(|p| pick(p).iter().any(|f| f.kind == k)).count()
    };
    let counts = FlagKind::ALL
        .iter()
        .map(|k| (format!("{k:?}"), count(*k, |p| &p.this_week), count(*k, |p| &p.next_week)))
        .collect();
    Ok(Board { team_id, week, people, counts })
}

/// A pulse answer as sent.
#[derive(Debug, Clone, serde::Deserialize, ToSchema)]
pub struct PulseInput {
    /// Any day of the week answered for (default: this week).
    pub week: Option<NaiveDate>,
    #[schema(minimum = 1, maximum = 5)]
    pub energy: i16,
    #[schema(minimum = 1, maximum = 5)]
    pub stress: i16,
    #[schema(minimum = 1, maximum = 5)]
    pub sleep: i16,
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

/// A pulse answer (the person's own).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PulseView {
    pub week: NaiveDate,
    pub energy: i16,
    pub stress: i16,
    pub sleep: i16,
    pub note: Option<String>,
}

impl From<pulse::Answer> for PulseView {
    fn from(a: pulse::Answer) -> PulseView {
        PulseView { week: a.week, energy: a.energy, stress: a.stress, sleep: a.sleep, note: a.note }
    }
}

/// A team's mean answers; `answered` is never under 5.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PulseAggregate {
    pub week: NaiveDate,
    pub answered: i64,
    pub energy: f64,
    pub stress: f64,
    pub sleep: f64,
}

/// The caller's own employee record, for the pulse.
fn own(me: &Me) -> ApiResult<EmployeeId> {
    me.actor.employee_id.ok_or_else(|| ApiError::not_found("your employee record"))
}

/// Saves the caller's own answer for a week.
pub async fn save_pulse(state: &AppState, me: &Me, input: PulseInput) -> ApiResult<PulseView> {
    let id = own(me)?;
    let employee = ladder_store::org::employee(&state.db, id).await?;
    me.require(Action::OwnPulse(employee.placement()))?;
    let note = input.note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    // Only this week: an answer changed after its week would move a mean a leader has seen.
    let this_week = monday(Utc::now().date_naive());
    if input.week.is_some_and(|w| monday(w) != this_week) {
        return Err(ApiError::invalid("week", format!("answers are for this week only (the week of {this_week})")));
    }
    let answer =
        pulse::Answer { week: this_week, energy: input.energy, stress: input.stress, sleep: input.sleep, note };
    pulse::check(&answer).map_err(|(field, m)| ApiError::invalid(field, m))?;
    pulse::save(&state.db, id, &answer, Utc::now()).await?;
    Ok(answer.into())
}

/// A page of the caller's own answers, newest week first (one a week: read whole).
pub async fn own_pulse(state: &AppState, me: &Me, page: &PageSpec) -> ApiResult<Listing<PulseView>> {
    let id = own(me)?;
    let employee = ladder_store::org::employee(&state.db, id).await?;
    me.require(Action::OwnPulse(employee.placement()))?;
    let answers = pulse::own(&state.db, id, i64::MAX).await?;
    Ok(Listing::slice(answers, page, Order::Descending, |a| a.week)?.map(PulseView::from))
}

/// A team's mean answers for a week that has ended: none when fewer than 5 answered.
pub async fn team_pulse(
    state: &AppState,
    me: &Me,
    team_id: TeamId,
    day: NaiveDate,
) -> ApiResult<Option<PulseAggregate>> {
    crate::service::people::visible_team(state, me, team_id).await?;
    // A mean that moves while people answer would tell a watcher each new answer.
    if monday(day) >= monday(Utc::now().date_naive()) {
        return Err(ApiError::invalid("week", "a team's mean shows once its week has ended"));
    }
    let ids: Vec<EmployeeId> =
        ladder_store::org::team_members(&state.db, team_id).await?.into_iter().map(|m| m.id).collect();
    let found = pulse::aggregate(&state.db, &ids, monday(day)).await?;
    Ok(found.map(|a| PulseAggregate {
        week: a.week,
        answered: a.answered,
        energy: a.energy,
        stress: a.stress,
        sleep: a.sleep,
    }))
}

/// Night work this month from worked shifts, and the differential it earns.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NightWork {
    /// The month's first day.
    pub month: NaiveDate,
    pub night_minutes: i64,
    /// The premium in percent of the hourly wage (the site's rule; default the Philippine
    /// Labor Code's 10 % for 22:00–06:00).
    pub percent: u32,
    /// The site's night window, local time (HH:MM).
    pub window_start: String,
    pub window_end: String,
    /// Whether the site uses the default rule (the Philippine Labor Code's).
    pub default_rule: bool,
    /// The premium as hours of the person's hourly wage: night hours × percent.
    pub premium_wage_hours: f64,
}

/// The night-differential rule of the site `id` works at: its own, else the default.
pub async fn night_rule(state: &AppState, id: EmployeeId) -> ApiResult<(NightDifferential, bool)> {
    let Some(stored) = store::night_rule_of(&state.db, id).await? else {
        return Ok((NightDifferential::default(), true));
    };
    let default = NightDifferential::default();
    let time = |t: &Option<String>, fallback| match t {
        Some(t) => chrono::NaiveTime::parse_from_str(t, "%H:%M").map_err(ApiError::internal),
        None => Ok(fallback),
    };
    let rule = NightDifferential {
        start: time(&stored.start, default.start)?,
        end: time(&stored.end, default.end)?,
        percent: stored.percent.map_or(default.percent, |p| p.clamp(0, 100) as u32),
    };
    Ok((rule, false))
}

/// A site's night-differential rule as sent: the window in local time and the percent; every
/// field `null` restores the default (Philippine Labor Code, 10 % for 22:00–06:00).
#[derive(Debug, Clone, serde::Deserialize, ToSchema)]
pub struct NightRuleInput {
    /// HH:MM, e.g. "22:00".
    #[schema(max_length = 5)]
    pub start: Option<String>,
    /// HH:MM; before `start` means the next day.
    #[schema(max_length = 5)]
    pub end: Option<String>,
    #[schema(minimum = 0, maximum = 100)]
    pub percent: Option<i32>,
}

/// Sets a site's night-differential rule (administrators).
pub async fn set_night_rule(state: &AppState, me: &Me, site_id: i64, input: NightRuleInput) -> ApiResult<()> {
    me.require(Action::Administer)?;
    let hhmm = |field: &str, v: &Option<String>| -> ApiResult<Option<String>> {
        let Some(v) = v.as_deref().map(str::trim) else { return Ok(None) };
        let t = chrono::NaiveTime::parse_from_str(v, "%H:%M")
            .map_err(|_| ApiError::invalid(field, format!("'{v}' is not a time of day (HH:MM)")))?;
        Ok(Some(t.format("%H:%M").to_string()))
    };
    let (start, end) = (hhmm("start", &input.start)?, hhmm("end", &input.end)?);
    if input.percent.is_some_and(|p| !(0..=100).contains(&p)) {
        return Err(ApiError::invalid("percent", "a percent from 0 to 100"));
    }
    if start.is_some() && start == end {
        return Err(ApiError::invalid("end", "the window closes when it opens: an empty window"));
    }
    let rule = store::NightRule { start, end, percent: input.percent };
    if !store::set_night_rule(&state.db, site_id, &rule).await? {
        return Err(ApiError::not_found("site"));
    }
    Ok(())
}

/// Night work in the month holding `day`, from the person's worked shifts (real elapsed time
/// in the site's zone, so a night across a DST change counts its true length).
pub async fn night_work(state: &AppState, me: &Me, id: EmployeeId, day: NaiveDate) -> ApiResult<NightWork> {
    let employee = visible_employee(state, me, id).await?;
    me.require(Action::ViewShifts(employee.placement()))?;
    let (rule, default_rule) = night_rule(state, id).await?;
    let month = ladder_core::period::Month::of(day);
    let zone = store::zones(&state.db, &[id]).await?.pop().map_or_else(|| "UTC".to_string(), |(_, z)| z);
    let tz = parse_zone(&zone).map_err(ApiError::internal)?;
    let edge = |d: NaiveDate| local_to_utc(d.and_hms_opt(0, 0, 0).expect("midnight"), tz).0;
    let (from, to) = (edge(month.first_day()), edge(month.last_day() + TimeDelta::days(1)));
    let worked = store::of_employee(&state.db, id, Record::Worked, from, to).await?;
    // Only the part of a shift inside the month counts for it.
    let minutes: i64 = worked.iter().map(|s| rule.night_minutes(s.starts_at.max(from), s.ends_at.min(to), tz)).sum();
    let premium = (minutes as f64 / 60.0) * f64::from(rule.percent) / 100.0;
    Ok(NightWork {
        month: month.first_day(),
        night_minutes: minutes,
        percent: rule.percent,
        window_start: rule.start.format("%H:%M").to_string(),
        window_end: rule.end.format("%H:%M").to_string(),
        default_rule,
        premium_wage_hours: (premium * 100.0).round() / 100.0,
    })
}

/// The person's flags that start in the month holding `day` (for the check-in: a flag is a
/// prompt for the talk, never part of a score).
pub async fn month_flags(state: &AppState, me: &Me, id: EmployeeId, day: NaiveDate) -> ApiResult<Vec<FlagView>> {
    let employee = visible_employee(state, me, id).await?;
    me.require(Action::ViewShifts(employee.placement()))?;
    let month = ladder_core::period::Month::of(day);
    let (first_day, last_day) = (month.first_day(), month.last_day());
    let first = monday(first_day) - TimeDelta::weeks(WEEKS_BEFORE);
    let weeks = (monday(last_day) - first).num_weeks() + 1;
    let Some((_, _, _, flags)) = weekly(state, &[id], first, weeks).await?.pop() else { return Ok(Vec::new()) };
    Ok(flags
        .unwrap_or_default()
        .into_iter()
        .filter(|f| (first_day..=last_day).contains(&f.from.date()))
        .map(|f| FlagView {
            kind: f.kind,
            severity: f.severity,
            source: f.kind.source(),
            message: f.message,
            from: f.from,
        })
        .collect())
}
