//! A person's calendar (issue 30, RFC 5545): their plan's milestones and own goals, check-ins due, certification
//! expiries, coaching follow-ups and scheduled shifts, as a download and as a feed at a secret
//! URL (stored hashed; a new one replaces it, revoking ends it) that calendar apps subscribe to
//! with `webcal://`. Every event's UID names what it is about, not when it was made, so an app
//! updates an event instead of adding a copy when a date moves.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use icalendar::{Calendar, Component, Event, EventLike, Property};
use ladder_core::access::Action;
use ladder_core::period::Month;
use ladder_core::planner::{self, PlanRequest};
use ladder_core::Framework;
use ladder_store::org::Employee;
use ladder_store::wellbeing::{self, Record};
use ladder_store::Db;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{self, Me};
use crate::error::{ApiError, ApiResult};
use crate::service::{career, limits};
use crate::state::AppState;

/// Months of check-ins ahead, days of shifts back and ahead, days of past follow-ups kept.
const CHECKIN_MONTHS: u32 = 3;
const SHIFTS_BACK: Duration = Duration::days(7);
const SHIFTS_AHEAD: Duration = Duration::days(62);
const FOLLOW_UPS_BACK: Duration = Duration::days(31);

/// The calendar of `employee` as of `now`, as iCalendar text. No access check: the callers (the
/// person's own download and feed, an administrator's export) decide who may have it.
pub async fn for_employee(
    db: &Db,
    framework: &Framework,
    employee: &Employee,
    now: DateTime<Utc>,
) -> ApiResult<String> {
    let today = now.date_naive();
    let mut events = milestones(db, framework, employee, today).await?;
    events.extend(checkins_due(db, employee, today).await?);
    for c in ladder_store::records::certifications(db, employee.id).await? {
        if let Some(expires) = c.expires_date {
            let name = framework.certification(&c.certification_id).map_or(c.certification_id.as_str(), |f| &f.name);
            let uid = format!("certification-{}-{}", employee.id, c.certification_id);
            let text = format!("Renew it before then to keep it current ({}).", c.status);
            events.push(day_event(&uid, &format!("{name} expires"), &text, expires));
        }
    }
    for n in ladder_store::records::coaching_notes(db, employee.id).await? {
        if n.follow_up >= today - FOLLOW_UPS_BACK {
            let uid = format!("follow-up-{}", n.id);
            let metric = framework.metric(&n.metric).map_or(n.metric.as_str(), |m| &m.name);
            events.push(day_event(&uid, &format!("Coaching follow-up: {metric}"), &n.note, n.follow_up));
        }
    }
    // The person's own open goals, each on its due day (overdue ones too, until ticked).
    for g in ladder_store::career_goals::of_employee(db, employee.id).await?.into_iter().filter(|g| g.done_on.is_none())
    {
        let uid = format!("goal-{}", g.id);
        events.push(day_event(&uid, &format!("Goal due: {}", g.title), &g.note, g.due_on));
    }
    let shifts =
        wellbeing::of_employee(db, employee.id, Record::Scheduled, now - SHIFTS_BACK, now + SHIFTS_AHEAD).await?;
    for s in shifts {
        let uid = format!("shift-{}-{}", employee.id, s.starts_at.timestamp());
        let text = format!(
            "{} shift, {} minutes of breaks (site time zone {})",
            s.kind.as_str(),
            s.breaks_minutes,
            s.time_zone
        );
        let mut e = Event::new();
        e.uid(&uid).summary(&plain_text(&format!("Shift ({})", s.kind.as_str()))).description(&plain_text(&text));
        events.push(e.starts(s.starts_at).ends(s.ends_at).done());
    }
    let domain = uid_domain(db).await?;
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", "-//Ladder//Career calendar//EN"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"))
        // Only X-WR-CALNAME: icalendar writes NAME (and this) unescaped, so it is escaped here.
        .append_property(Property::new("X-WR-CALNAME", escaped_text(&format!("Ladder: {}", employee.name))))
        .ttl(&Duration::hours(6));
    for mut e in events {
        let uid = format!("{}@{domain}", e.get_uid().unwrap_or_default());
        calendar.push(e.uid(&uid).timestamp(now).done());
    }
    Ok(calendar.done().to_string())
}

/// The part of every UID after the `@`: random, made once per database, so two Ladders' events
/// about their own employee 3 never share a UID in one calendar app.
async fn uid_domain(db: &Db) -> ApiResult<String> {
    let made = format!("{}.ladder", &auth::new_secret()[..16]);
    Ok(ladder_store::secrets::get_or_create(db, "calendar-uid-domain", &made).await?)
}

/// Text as iCalendar TEXT takes it: line ends (CRLF from a textarea, a lone CR from the API)
/// become LF, which the writer escapes as `\n`; other control characters are dropped.
fn plain_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| matches!(c, '\n' | '\t') || !c.is_control())
        .collect()
}

/// TEXT escaped by hand (RFC 5545 3.3.11), for properties the writer does not escape.
fn escaped_text(text: &str) -> String {
    plain_text(text).replace('\\', "\\\\").replace(',', "\\,").replace(';', "\\;").replace('\n', "\\n")
}

/// An all-day event on `date` (DTEND the next day, as RFC 5545 has it).
fn day_event(uid: &str, summary: &str, description: &str, date: NaiveDate) -> Event {
    let mut e = Event::new();
    e.uid(uid).summary(&plain_text(summary)).description(&plain_text(description)).starts(date);
    e.ends(date.succ_opt().unwrap_or(date)).done()
}

/// The expected arrival in each role of the fastest route to the person's target.
async fn milestones(db: &Db, framework: &Framework, employee: &Employee, today: NaiveDate) -> ApiResult<Vec<Event>> {
    let Some(stored) = ladder_store::records::career_plan(db, employee.id).await? else { return Ok(vec![]) };
    let request = PlanRequest {
        from: employee.role_id.clone(),
        to: stored.target_role.clone(),
        months_in_role: career::months_between(employee.role_since, today),
        start: today,
        horizon_months: (stored.horizon_years.clamp(1, 15) * 12) as u32,
        alternatives: 0,
    };
    // A plan that no longer plans (the framework changed) simply has no milestones here.
    let Ok(plan) = planner::plan(framework, &request) else { return Ok(vec![]) };
    Ok(plan
        .fastest
        .milestones
        .iter()
        .map(|m| {
            let uid = format!("milestone-{}-{}", employee.id, m.role);
            let text = format!("Expected between {} and {} on your career plan.", m.earliest, m.latest);
            day_event(&uid, &format!("Milestone: {}", m.role_name), &text, m.expected)
        })
        .collect())
}

/// The last day of this month and the next ones, for each check-in not yet sent.
async fn checkins_due(db: &Db, employee: &Employee, today: NaiveDate) -> ApiResult<Vec<Event>> {
    let sent = ladder_store::records::checkins(db, employee.id).await?;
    let mut month = Month::of(today);
    let mut out = Vec::new();
    for _ in 0..CHECKIN_MONTHS {
        if !sent.iter().any(|c| c.month == month.first_day()) {
            let uid = format!("checkin-{}-{month}", employee.id);
            let text = "Send your monthly check-in to your team leader in Ladder.";
            out.push(day_event(&uid, &format!("Check-in for {month} due"), text, month.last_day()));
        }
        month = month.next();
    }
    Ok(out)
}

/// The signed-in person's own calendar.
pub async fn own(state: &AppState, me: &Me) -> ApiResult<String> {
    let employee = own_employee(state, me).await?;
    for_employee(&state.db, &state.framework, &employee, Utc::now()).await
}

async fn own_employee(state: &AppState, me: &Me) -> ApiResult<Employee> {
    let id = me.user.employee_id.ok_or_else(|| ApiError::not_found("personal record"))?;
    let employee = ladder_store::org::employee(&state.db, id).await?;
    me.require(Action::OwnCalendar(employee.placement()))?;
    Ok(employee)
}

/// A new feed's address, shown once: only its hash is kept.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedLinks {
    /// For a download or a calendar app's "subscribe by URL".
    pub url: String,
    /// The same feed for apps that open `webcal://` links.
    pub webcal: String,
}

/// Makes a new secret feed address for the signed-in person; any earlier one stops working.
pub async fn new_feed(state: &AppState, me: &Me) -> ApiResult<FeedLinks> {
    own_employee(state, me).await?;
    let token = auth::new_secret();
    ladder_store::calendar_feeds::replace(&state.db, me.user.id, &auth::hash_secret(&token), Utc::now()).await?;
    let url = format!("{}/calendar/{token}.ics", state.config.public_url.trim_end_matches('/'));
    let webcal = format!("webcal://{}", url.split_once("://").map_or(url.as_str(), |(_, rest)| rest));
    Ok(FeedLinks { url, webcal })
}

/// Revokes the signed-in person's feed.
pub async fn revoke_feed(state: &AppState, me: &Me) -> ApiResult<()> {
    own_employee(state, me).await?;
    if ladder_store::calendar_feeds::revoke(&state.db, me.user.id).await? {
        Ok(())
    } else {
        Err(ApiError::not_found("calendar feed"))
    }
}

/// The calendar behind a feed's secret token; not found for an unknown or revoked token, a
/// disabled account or one without a personal record.
pub async fn feed(state: &AppState, token: &str) -> ApiResult<String> {
    let gone = || ApiError::not_found("calendar feed");
    limits::check_line("token", token, limits::SECRET).map_err(|_| gone())?;
    let user = ladder_store::calendar_feeds::owner(&state.db, &auth::hash_secret(token)).await?.ok_or_else(gone)?;
    let user = ladder_store::users::user(&state.db, user).await?;
    let employee = user.employee_id.filter(|_| !user.disabled).ok_or_else(gone)?;
    let employee = ladder_store::org::employee(&state.db, employee).await?;
    for_employee(&state.db, &state.framework, &employee, Utc::now()).await
}
