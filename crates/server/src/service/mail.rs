//! E-mail (issue 30): one [`Mailer`] for the server, sending through SMTP (lettre, rustls) or,
//! without an SMTP URL, writing each message to a folder as an `.eml` file; and the reminder
//! e-mails `ladder serve` sends in the background, each at most once (claimed in the store
//! before it goes out), unless the person turned that kind off on their account page.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use chrono::{DateTime, Duration, Utc};
use ladder_core::{EmployeeId, UserId};
use ladder_store::notifications::Notification;
use ladder_store::openings::applications::Application;
use ladder_store::org::Employee;
use ladder_store::records::{CertificationRecord, Checkin, CoachingNote};
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult};
use crate::service::reminders::{self, Reminder};
use crate::settings::Config;
use crate::state::AppState;

/// Where mail goes.
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder(PathBuf),
}

/// The server's mail sender.
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

impl Mailer {
    /// The mailer the settings describe; a bad SMTP URL or sender is an error naming the setting.
    pub fn from_config(config: &Config) -> Result<Mailer, String> {
        let from = config.mail_from.parse::<Mailbox>().map_err(|e| format!("mail-from: {e}"))?;
        let transport = match &config.smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|e| format!("smtp-url: {e}"))?.build(),
            ),
            None => Transport::Folder(config.mail_folder.clone()),
        };
        Ok(Mailer { from, transport })
    }

    /// Sends one plain-text message to `to`.
    pub async fn send(&self, to: &str, subject: &str, body: String) -> Result<(), SendError> {
        let to = to.parse::<Mailbox>().map_err(|e| SendError::Permanent(format!("address {to}: {e}")))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| SendError::Permanent(e.to_string()))?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(message).await.map(drop).map_err(|e| {
                if e.is_permanent() || e.is_client() {
                    SendError::Permanent(e.to_string())
                } else if e.is_transient() {
                    SendError::Temporary(e.to_string())
                } else {
                    SendError::Unreachable(e.to_string())
                }
            }),
            Transport::Folder(dir) => {
                let unwritable = |e: &dyn std::fmt::Display| SendError::Unreachable(format!("{}: {e}", dir.display()));
                create_private_dir(dir).await.map_err(|e| unwritable(&e))?;
                let files = AsyncFileTransport::<Tokio1Executor>::new(dir);
                files.send(message).await.map(drop).map_err(|e| unwritable(&e))
            }
        }
    }
}

/// The mail folder, readable by the server's user only (it holds sign-up links).
async fn create_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    let mut builder = tokio::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(0o700);
    builder.create(dir).await
}

/// Why a message did not go.
#[derive(Debug)]
pub enum SendError {
    /// Refused for good (an SMTP 5xx, a bad address): sending it again would not help.
    Permanent(String),
    /// Refused for now (an SMTP 4xx): worth another try on a later pass.
    Temporary(String),
    /// The SMTP server (or the folder) is out of reach: the messages after it would fail too.
    Unreachable(String),
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (SendError::Permanent(m) | SendError::Temporary(m) | SendError::Unreachable(m)) = self;
        f.write_str(m)
    }
}

impl std::error::Error for SendError {}

/// The kinds of reminder e-mail, each of which a person may turn off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum MailKind {
    CheckinDue,
    CheckinAcknowledged,
    CertificationExpiring,
    ApplicationMoved,
    FollowUpDue,
    CheckinSent,
    SkillConfirmed,
}

impl MailKind {
    pub const ALL: [MailKind; 7] = [
        MailKind::CheckinDue,
        MailKind::CheckinAcknowledged,
        MailKind::CertificationExpiring,
        MailKind::ApplicationMoved,
        MailKind::FollowUpDue,
        MailKind::CheckinSent,
        MailKind::SkillConfirmed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::CheckinDue => "checkin-due",
            MailKind::CheckinAcknowledged => "checkin-acknowledged",
            MailKind::CertificationExpiring => "certification-expiring",
            MailKind::ApplicationMoved => "application-moved",
            MailKind::FollowUpDue => "follow-up-due",
            MailKind::CheckinSent => "checkin-sent",
            MailKind::SkillConfirmed => "skill-confirmed",
        }
    }

    pub fn parse(s: &str) -> Option<MailKind> {
        MailKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// What the account page calls it.
    pub fn label(self) -> &'static str {
        match self {
            MailKind::CheckinDue => "My monthly check-in is due",
            MailKind::CheckinAcknowledged => "My team leader acknowledged a check-in",
            MailKind::CertificationExpiring => "A certification of mine is about to expire",
            MailKind::ApplicationMoved => "An application of mine moved to another stage",
            MailKind::FollowUpDue => "A coaching follow-up is coming up",
            MailKind::CheckinSent => "Someone I lead sent a check-in",
            MailKind::SkillConfirmed => "My leader assessed a skill I rated myself",
        }
    }
}

/// One reminder e-mail to send.
#[derive(Debug, Clone, PartialEq)]
pub struct ReminderMail {
    pub kind: MailKind,
    /// What it is about, unique per kind and person: it is sent once per `about`.
    pub about: String,
    pub subject: String,
    pub body: String,
}

/// Acknowledgements and stage moves older than this are not mailed (nor on a first run).
const RECENT: Duration = Duration::days(14);

/// What one person's reminder e-mails are made of.
pub struct MailFacts<'a> {
    pub reminders: reminders::Facts<'a>,
    pub applications: &'a [Application],
    /// The person's unread notifications of the last days (a check-in sent, a skill confirmed).
    pub notifications: &'a [Notification],
}

/// The reminder e-mails due for `employee` at `now`, whether sent before or not.
pub async fn due_mails(state: &AppState, employee: &Employee, now: DateTime<Utc>) -> ApiResult<Vec<ReminderMail>> {
    let (db, id) = (&state.db, employee.id);
    let facts = MailFacts {
        reminders: reminders::Facts {
            checkins: &ladder_store::records::checkins(db, id).await?,
            certifications: &ladder_store::records::certifications(db, id).await?,
            coaching_notes: &ladder_store::records::coaching_notes(db, id).await?,
        },
        applications: &ladder_store::openings::applications::of_employee(db, id).await?,
        notifications: &match ladder_store::users::user_of_employee(db, id).await? {
            Some(user) => ladder_store::notifications::unread_since(db, &[user.id], now - RECENT).await?,
            None => Vec::new(),
        },
    };
    Ok(mails_from(state, employee, &facts, now))
}

/// The reminder e-mails `facts` make for `employee` at `now`.
pub fn mails_from(
    state: &AppState,
    employee: &Employee,
    facts: &MailFacts<'_>,
    now: DateTime<Utc>,
) -> Vec<ReminderMail> {
    let base = state.config.public_url.trim_end_matches('/');
    let mail = |kind, about: String, subject: String, text: String, page: &str| {
        ReminderMail {
        kind,
        about,
        subject,
        body: format!(
            "Hello {},\n\n{text}\n\n{base}{page}\n\nTo stop these e-mails, turn them off on your account page: {base}/account\n",
            employee.name
        ),
    }
    };
    let mut out = Vec::new();
    for r in reminders::due_from(&state.framework, &facts.reminders, now.date_naive()) {
        out.push(match r {
            Reminder::CheckinDue { month } => mail(
                MailKind::CheckinDue,
                month.to_string(),
                format!("Your check-in for {month} is due"),
                format!("Your monthly check-in for {month} has not been sent yet."),
                "/checkin",
            ),
            Reminder::CertificationExpiring { certification_id, name, expires } => mail(
                MailKind::CertificationExpiring,
                format!("{certification_id}/{expires}"),
                format!("{name} expires on {expires}"),
                format!("Your certification {name} expires on {expires}. Plan its renewal."),
                "/growth",
            ),
            Reminder::FollowUp { note_id, metric, follow_up, note } => mail(
                MailKind::FollowUpDue,
                format!("note-{note_id}"),
                format!("Coaching follow-up on {follow_up}"),
                format!("A coaching follow-up on {metric} is due on {follow_up}: {note}"),
                "/home",
            ),
        });
    }
    for c in facts.reminders.checkins {
        if c.acknowledged_at.is_some_and(|at| now - at <= RECENT) {
            let month = ladder_core::period::Month::of(c.month);
            let comment = c.leader_comment.as_deref().filter(|t| !t.trim().is_empty());
            let said = comment.map_or_else(String::new, |t| format!(" They wrote: {t}"));
            out.push(mail(
                MailKind::CheckinAcknowledged,
                c.id.to_string(),
                format!("Your check-in for {month} was acknowledged"),
                format!("Your team leader acknowledged your check-in for {month}.{said}"),
                "/checkin",
            ));
        }
    }
    for a in facts.applications {
        if a.stage != "applied" && now - a.updated_at <= RECENT {
            out.push(mail(
                MailKind::ApplicationMoved,
                format!("{}/{}", a.id, a.stage),
                format!("Your application for {} moved to {}", a.opening_title, a.stage),
                format!("Your application for {} is now at the stage: {}.", a.opening_title, a.stage),
                &format!("/applications/{}", a.id),
            ));
        }
    }
    for n in facts.notifications {
        // The other kinds are mailed from their facts above.
        let kind = match ladder_store::notifications::Kind::parse(&n.kind) {
            Some(ladder_store::notifications::Kind::CheckinSent) => MailKind::CheckinSent,
            Some(ladder_store::notifications::Kind::SkillConfirmed) => MailKind::SkillConfirmed,
            _ => continue,
        };
        if n.read_at.is_none() && now - n.created_at <= RECENT {
            let text = crate::service::notifications::text(state, n);
            out.push(mail(kind, format!("notification-{}", n.id), text.clone(), format!("{text}."), &n.link));
        }
    }
    out
}

/// Sends every reminder e-mail due at `now` that was not sent before and that its person has
/// not turned off; returns how many went out. What the mails are made of is read for everyone
/// at once ([`Batch`]), a few queries a pass instead of several a person. A store error while
/// claiming or sending skips that person; a message the server refuses for now is tried again
/// next pass, one refused for good is not; an SMTP server out of reach ends the pass (the rest
/// would fail too).
pub async fn send_due_reminders(state: &AppState, now: DateTime<Utc>) -> ApiResult<u32> {
    let recipients = ladder_store::mail::recipients(&state.db).await?;
    let mut sent = 0;
    // A chunk of people at a time keeps a pass's memory bounded in a large organisation.
    for chunk in recipients.chunks(REMINDER_CHUNK) {
        if let Pass::Stop = send_chunk(state, chunk, now, &mut sent).await? {
            break;
        }
    }
    Ok(sent)
}

/// People whose reminder facts a pass reads at once.
const REMINDER_CHUNK: usize = 500;

async fn send_chunk(
    state: &AppState,
    recipients: &[(UserId, String, EmployeeId)],
    now: DateTime<Utc>,
    sent: &mut u32,
) -> ApiResult<Pass> {
    let batch = Batch::read(state, recipients, now).await?;
    for (user, email, employee_id) in recipients {
        // Someone who left (or whose record is gone) gets no reminders.
        let Some(employee) = batch.employees.get(employee_id).filter(|e| e.active) else { continue };
        let facts = MailFacts {
            reminders: reminders::Facts {
                checkins: batch.checkins.get(employee_id).map_or(&[], Vec::as_slice),
                certifications: batch.certifications.get(employee_id).map_or(&[], Vec::as_slice),
                coaching_notes: batch.coaching_notes.get(employee_id).map_or(&[], Vec::as_slice),
            },
            applications: batch.applications.get(employee_id).map_or(&[], Vec::as_slice),
            notifications: batch.notifications.get(user).map_or(&[], Vec::as_slice),
        };
        let off = batch.off.get(user).map_or(&[][..], Vec::as_slice);
        let due = mails_from(state, employee, &facts, now).into_iter().filter(|m| {
            !off.iter().any(|k| k == m.kind.as_str())
                && !batch.sent.contains(&(*user, m.kind.as_str().to_string(), m.about.clone()))
        });
        match remind(state, *user, email, due, now, sent).await {
            Ok(Pass::Go) => {}
            Ok(Pass::Stop) => return Ok(Pass::Stop),
            Err(e) => tracing::warn!("reminder e-mails to user {user} skipped: {}", e.message),
        }
    }
    Ok(Pass::Go)
}

/// Everything a reminder pass reads, for all recipients at once, grouped by person (each list
/// in the order the one-person reads give).
struct Batch {
    employees: HashMap<EmployeeId, Employee>,
    checkins: HashMap<EmployeeId, Vec<Checkin>>,
    certifications: HashMap<EmployeeId, Vec<CertificationRecord>>,
    coaching_notes: HashMap<EmployeeId, Vec<CoachingNote>>,
    applications: HashMap<EmployeeId, Vec<Application>>,
    notifications: HashMap<UserId, Vec<Notification>>,
    off: HashMap<UserId, Vec<String>>,
    sent: HashSet<(UserId, String, String)>,
}

impl Batch {
    async fn read(
        state: &AppState,
        recipients: &[(UserId, String, EmployeeId)],
        now: DateTime<Utc>,
    ) -> ApiResult<Batch> {
        let db = &state.db;
        let ids: Vec<EmployeeId> = recipients.iter().map(|r| r.2).collect();
        let users: Vec<UserId> = recipients.iter().map(|r| r.0).collect();
        let employees = ladder_store::org::employees_by_ids(db, &ids).await?;
        let mut off: HashMap<UserId, Vec<String>> = HashMap::new();
        for (user, kind) in ladder_store::mail::opt_outs_of(db, &users).await? {
            off.entry(user).or_default().push(kind);
        }
        Ok(Batch {
            employees: employees.into_iter().map(|e| (e.id, e)).collect(),
            checkins: by_person(ladder_store::records::checkins_of(db, &ids).await?, |c| c.employee_id),
            certifications: by_person(ladder_store::records::certifications_of(db, &ids).await?, |c| c.employee_id),
            coaching_notes: by_person(ladder_store::records::coaching_notes_of(db, &ids).await?, |n| n.employee_id),
            applications: by_person(ladder_store::openings::applications::of_employees(db, &ids).await?, |a| {
                a.employee_id
            }),
            notifications: {
                let mut by_user: HashMap<UserId, Vec<Notification>> = HashMap::new();
                for n in ladder_store::notifications::unread_since(db, &users, now - RECENT).await? {
                    by_user.entry(n.user_id).or_default().push(n);
                }
                by_user
            },
            off,
            sent: ladder_store::mail::sent_to(db, &users).await?.into_iter().collect(),
        })
    }
}

/// Rows grouped by person, each group in the rows' order.
fn by_person<T>(rows: Vec<T>, person: impl Fn(&T) -> EmployeeId) -> HashMap<EmployeeId, Vec<T>> {
    let mut out: HashMap<EmployeeId, Vec<T>> = HashMap::new();
    for row in rows {
        out.entry(person(&row)).or_default().push(row);
    }
    out
}

enum Pass {
    Go,
    Stop,
}

/// Sends one person's due reminder e-mails (those not sent and not turned off), each claimed
/// first so that two servers never both send it.
async fn remind(
    state: &AppState,
    user: UserId,
    email: &str,
    due: impl Iterator<Item = ReminderMail>,
    now: DateTime<Utc>,
    sent: &mut u32,
) -> ApiResult<Pass> {
    for m in due {
        if !ladder_store::mail::claim(&state.db, user, m.kind.as_str(), &m.about, now).await? {
            continue;
        }
        match state.mailer.send(email, &m.subject, m.body).await {
            Ok(()) => *sent += 1,
            // Kept claimed: the server will refuse it again.
            Err(SendError::Permanent(e)) => tracing::warn!("reminder e-mail to user {user} refused: {e}"),
            Err(e) => {
                tracing::warn!("reminder e-mail to user {user} not sent: {e}");
                ladder_store::mail::unclaim(&state.db, user, m.kind.as_str(), &m.about).await?;
                if matches!(e, SendError::Unreachable(_)) {
                    return Ok(Pass::Stop);
                }
            }
        }
    }
    Ok(Pass::Go)
}

/// `ladder serve`'s reminder e-mails: a pass at start, then every `reminder_mail_minutes`.
pub fn spawn_reminders(state: AppState) {
    let minutes = state.config.reminder_mail_minutes;
    if minutes == 0 {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(minutes * 60));
        // A slow pass delays the next one instead of bunching passes up.
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match send_due_reminders(&state, Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!("sent {n} reminder e-mails"),
                Err(e) => tracing::warn!("reminder e-mails failed: {}", e.message),
            }
        }
    });
}

/// A person's choice of reminder e-mails: every kind, on or off.
#[derive(Debug, Serialize, ToSchema)]
pub struct MailSetting {
    pub kind: MailKind,
    pub label: String,
    pub on: bool,
}

/// The signed-in person's reminder e-mail settings.
pub async fn settings(state: &AppState, me: &crate::auth::Me) -> ApiResult<Vec<MailSetting>> {
    let off = ladder_store::mail::opt_outs(&state.db, me.user.id).await?;
    Ok(MailKind::ALL
        .into_iter()
        .map(|k| MailSetting { kind: k, label: k.label().into(), on: !off.iter().any(|o| o == k.as_str()) })
        .collect())
}

/// Turns every kind of reminder e-mail on except those named in `off`.
pub async fn set_off(state: &AppState, me: &crate::auth::Me, off: &[String]) -> ApiResult<Vec<MailSetting>> {
    if off.len() > MailKind::ALL.len() {
        return Err(ApiError::invalid("off", format!("at most {} kinds", MailKind::ALL.len())));
    }
    let mut kinds = Vec::new();
    for (i, k) in off.iter().enumerate() {
        let kind = MailKind::parse(k).ok_or_else(|| {
            let known: Vec<&str> = MailKind::ALL.iter().map(|k| k.as_str()).collect();
            ApiError::invalid(&format!("off[{i}]"), format!("must be one of {}", known.join(", ")))
        })?;
        kinds.push(kind.as_str());
    }
    ladder_store::mail::set_opt_outs(&state.db, me.user.id, &kinds).await?;
    settings(state, me).await
}
