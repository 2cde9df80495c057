//! What a person should act on soon: this month's check-in, a certification about to expire, a
//! coaching follow-up coming up. The windows are the framework's settings
//! (`ladder_core::settings`), so the home page and the API remind alike.

use chrono::NaiveDate;
use ladder_core::access::Action;
use ladder_core::period::Month;
use ladder_core::Framework;
use ladder_store::org::Employee;
use ladder_store::records::{self as store, CertificationRecord, Checkin, CoachingNote};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Me;
use crate::error::ApiResult;
use crate::state::AppState;

/// One thing to act on, with what it is about.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Reminder {
    /// This month's check-in has not been sent.
    CheckinDue {
        #[schema(value_type = String, example = "2026-03")]
        month: Month,
    },
    /// A certification expires within the framework's warning window.
    CertificationExpiring { certification_id: String, name: String, expires: NaiveDate },
    /// A coaching follow-up falls within the framework's reminder window.
    FollowUp {
        /// The coaching note's id.
        note_id: i64,
        metric: String,
        follow_up: NaiveDate,
        note: String,
    },
}

/// The person's reminders on `today`, in that order: the check-in, expiries, follow-ups.
pub async fn reminders(state: &AppState, me: &Me, employee: &Employee, today: NaiveDate) -> ApiResult<Vec<Reminder>> {
    me.require(Action::ViewPerson(employee.placement()))?;
    due(state, employee, today).await
}

/// The person's reminders on `today`, for whoever asks (the reminder e-mails; callers check access).
pub async fn due(state: &AppState, employee: &Employee, today: NaiveDate) -> ApiResult<Vec<Reminder>> {
    let facts = Facts {
        checkins: &store::checkins(&state.db, employee.id).await?,
        certifications: &store::certifications(&state.db, employee.id).await?,
        coaching_notes: &store::coaching_notes(&state.db, employee.id).await?,
    };
    Ok(due_from(&state.framework, &facts, today))
}

/// What reminders are made of, for one person: their check-ins, certifications and coaching
/// notes (read one person at a time, or everyone's at once and grouped, by the e-mail pass).
pub struct Facts<'a> {
    pub checkins: &'a [Checkin],
    pub certifications: &'a [CertificationRecord],
    pub coaching_notes: &'a [CoachingNote],
}

/// The reminders `facts` make on `today`, in order: the check-in, expiries, follow-ups.
pub fn due_from(framework: &Framework, facts: &Facts<'_>, today: NaiveDate) -> Vec<Reminder> {
    let settings = &framework.settings;
    let mut out = Vec::new();
    let this_month = Month::of(today);
    if checkin_due(facts.checkins, this_month) {
        out.push(Reminder::CheckinDue { month: this_month });
    }
    for c in facts.certifications {
        if let Some(expires) = c.expires_date.filter(|x| settings.expiry_reminder(*x, today)) {
            let name = framework.certification(&c.certification_id).map(|f| f.name.clone());
            let name = name.unwrap_or_else(|| c.certification_id.clone());
            let certification_id = c.certification_id.clone();
            out.push(Reminder::CertificationExpiring { certification_id, name, expires });
        }
    }
    for n in facts.coaching_notes {
        if settings.follow_up_reminder(n.follow_up, today) {
            let (note_id, metric, note) = (n.id, n.metric.clone(), n.note.clone());
            out.push(Reminder::FollowUp { note_id, metric, follow_up: n.follow_up, note });
        }
    }
    out
}

/// Whether the check-in of `month` is still to be sent.
fn checkin_due(checkins: &[Checkin], month: Month) -> bool {
    !checkins.iter().any(|c| c.month == month.first_day())
}
