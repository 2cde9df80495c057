//! In-app notifications (issue 26): one's own list, newest first and paged by key, its unread
//! count for the header, marking read; and the daily pass that adds coaching follow-ups coming
//! up (once per note) and sweeps old read ones. The events themselves write theirs in the
//! store, in their own transaction (`ladder_store::notifications`).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use ladder_core::{EmployeeId, UserId};
use ladder_store::notifications::{self as store, Kind, New, Notification};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::service::listing::{Listing, PageSpec};
use crate::state::AppState;

/// At most this many read notifications are kept per person; the daily pass deletes older ones.
pub const KEEP_PER_USER: i64 = 200;
/// Read notifications older than this many days go in the daily pass.
pub const READ_KEPT_DAYS: i64 = 90;
/// Any notification older than this many days goes, read or not.
pub const KEPT_DAYS: i64 = 365;

/// One notification as shown.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NotificationView {
    pub id: i64,
    /// `checkin_sent`, `checkin_acknowledged`, `followup_due`, `skill_confirmed`, `application_moved` or `plan_agreed`.
    pub kind: String,
    /// What happened, in a sentence.
    pub text: String,
    /// The page it opens.
    pub link: String,
    /// Whom it is about.
    #[schema(value_type = Option<i64>)]
    pub employee_id: Option<EmployeeId>,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

/// A `YYYY-MM` month as the pages write it ("Mar 2026").
fn month_label(month: &str) -> String {
    NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .map_or_else(|_| month.to_string(), |d| d.format("%b %Y").to_string())
}

/// The sentence a notification says, from its kind and parameters (the page and its e-mail).
pub fn text(state: &AppState, n: &Notification) -> String {
    let params: serde_json::Value = serde_json::from_str(&n.params).unwrap_or_default();
    let param = |k: &str| params.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_string();
    let who = n.employee_name.clone().unwrap_or_else(|| "Someone".into());
    match Kind::parse(&n.kind) {
        Some(Kind::CheckinSent) => format!("{who} sent their check-in for {}", month_label(&param("month"))),
        Some(Kind::CheckinAcknowledged) => {
            format!("Your check-in for {} was reviewed", month_label(&param("month")))
        }
        Some(Kind::FollowupDue) => {
            let metric = param("metric");
            let name = state.framework.metric(&metric).map_or(metric, |m| m.name.clone());
            format!("A coaching follow-up on {name} is due on {}", param("date"))
        }
        Some(Kind::SkillConfirmed) => {
            let skill = param("skill");
            let name = state.framework.skill(&skill).map_or(skill, |s| s.name.clone());
            format!("Your leader assessed {name}: level {} of 5", param("level"))
        }
        Some(Kind::ApplicationMoved) => format!("Your application moved to the stage: {}", param("stage")),
        Some(Kind::PlanAgreed) => format!("{who} agreed to their KRA plan for {}", param("year")),
        None => "Something changed".into(),
    }
}

fn view(state: &AppState, n: Notification) -> NotificationView {
    NotificationView {
        id: n.id,
        text: text(state, &n),
        kind: n.kind,
        link: n.link,
        employee_id: n.employee_id,
        created_at: n.created_at,
        read: n.read_at.is_some(),
    }
}

/// One page of the signed-in person's notifications, newest first.
pub async fn list(state: &AppState, me: &Me, page: &PageSpec) -> ApiResult<Listing<NotificationView>> {
    let user = me.user.id;
    let before: Option<i64> = page.after()?;
    let rows = store::list(&state.db, user, before, page.fetch()).await?;
    let total = store::count(&state.db, user).await?;
    let listing = Listing::from_rows(rows, page, u64::try_from(total).unwrap_or(0), |n| n.id);
    Ok(listing.map(|n| view(state, n)))
}

/// How many of the signed-in person's notifications are unread (the header's count).
pub async fn unread(state: &AppState, me: &Me) -> ApiResult<i64> {
    Ok(store::unread_count(&state.db, me.user.id).await?)
}

/// What to mark read: one notification by id, or all of them.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkRead {
    /// One notification; leave out with `all`.
    pub id: Option<i64>,
    /// Every unread notification.
    #[serde(default)]
    pub all: bool,
}

/// How many are unread after marking.
#[derive(Debug, Serialize, ToSchema)]
pub struct Unread {
    pub unread: i64,
}

/// Marks one or all of the signed-in person's notifications read; another's id is a 404.
pub async fn mark_read(state: &AppState, me: &Me, what: &MarkRead) -> ApiResult<Unread> {
    let now = Utc::now();
    match (what.id, what.all) {
        (Some(_), true) => return Err(ApiError::invalid("all", "give either an id or all, not both")),
        (None, false) => return Err(ApiError::invalid("id", "give the notification's id, or all: true")),
        (Some(id), false) => {
            if !store::mark_read(&state.db, me.user.id, id, now).await? {
                return Err(ApiError::not_found("notification"));
            }
        }
        (None, true) => {
            store::mark_all_read(&state.db, me.user.id, now).await?;
        }
    }
    Ok(Unread { unread: unread(state, me).await? })
}

/// The daily pass: a notification for each coaching follow-up within the reminder window (once
/// per note), then old ones swept: read ones beyond the newest 200 or over 90 days old, and any
/// over a year old. Returns how many follow-ups were notified.
pub async fn daily_pass(state: &AppState, now: DateTime<Utc>) -> ApiResult<u32> {
    let today = now.date_naive();
    let recipients = ladder_store::mail::recipients(&state.db).await?;
    let mut made = 0;
    for chunk in recipients.chunks(500) {
        let ids: Vec<EmployeeId> = chunk.iter().map(|r| r.2).collect();
        let notes = ladder_store::records::coaching_notes_of(&state.db, &ids).await?;
        for note in notes.iter().filter(|n| state.framework.settings.follow_up_reminder(n.follow_up, today)) {
            for (user, _, _) in chunk.iter().filter(|r| r.2 == note.employee_id) {
                if follow_up(state, *user, note, now).await? {
                    made += 1;
                }
            }
        }
    }
    store::sweep(&state.db, KEEP_PER_USER, now - Duration::days(READ_KEPT_DAYS), now - Duration::days(KEPT_DAYS))
        .await?;
    Ok(made)
}

async fn follow_up(
    state: &AppState,
    user: UserId,
    note: &ladder_store::records::CoachingNote,
    now: DateTime<Utc>,
) -> ApiResult<bool> {
    let n = New {
        kind: Kind::FollowupDue,
        employee_id: Some(note.employee_id),
        link: "/checkin".into(),
        params: serde_json::json!({ "metric": note.metric, "date": note.follow_up.to_string() }),
        about: Some(format!("note-{}", note.id)),
    };
    Ok(store::to_user(&state.db, user, &n, now).await?)
}

/// `ladder serve`'s daily pass: at start, then every day.
pub fn spawn_daily(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(24 * 60 * 60));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match daily_pass(&state, Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!("notified {n} coaching follow-ups"),
                Err(e) => tracing::warn!("the notifications' daily pass failed: {}", e.message),
            }
        }
    });
}
