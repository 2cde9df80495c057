//! The agent's home: this month's KRAs and what each needs, the 12-month trend, the next step
//! of the plan with its top gaps, and reminders.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use ladder_core::period::Month;

use super::charts::{line_chart, Guide, Series};
use super::format::{self, KraRow};
use super::{own_employee, Nav, Page, PageResult, WebUser};
use crate::service::reminders::{self, Reminder};
use crate::service::{career, scorecards};
use crate::state::AppState;

pub struct Gap {
    pub name: String,
    pub gap: String,
    pub closes_with: Vec<String>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    nav: Option<Nav>,
    name: String,
    role: String,
    month: String,
    /// `month` as `YYYY-MM`, so the links to /kras open the month shown here.
    month_param: String,
    /// Whether `month` is the current month (else the latest with figures).
    current: bool,
    total: String,
    rating: String,
    /// What is missing when the month has not enough data to score.
    short: Vec<String>,
    band: String,
    kras: Vec<KraRow>,
    chart: String,
    reminders: Vec<String>,
    next_role: Option<String>,
    readiness: String,
    /// The readiness for the next role as a whole percent (0–100), for the progress ring.
    ready_percent: u8,
    gaps: Vec<Gap>,
    /// The month's bonus estimate; `None` when the month has no score.
    bonus: Option<super::bonus::BonusView>,
    forecast: String,
    /// This week's and next week's well-being flags: (which week, message, source).
    flags: Vec<(&'static str, String, &'static str)>,
    /// A leader's, manager's or HR's panels, above their own figures.
    dash: super::dashboard::Dashboard,
}

#[derive(Template)]
#[template(path = "welcome.html")]
struct WelcomePage {
    nav: Option<Nav>,
    name: String,
    links: Vec<(&'static str, &'static str)>,
    dash: super::dashboard::Dashboard,
}

pub async fn show(State(state): State<AppState>, user: WebUser) -> PageResult<Response> {
    let nav = Nav::new(&user, "/home");
    if user.me.user.employee_id.is_none() {
        let mut links =
            vec![("/org", "Roll-ups by team, account and site"), ("/pipeline", "Talent pipeline and 9-box")];
        if user.me.actor.access == ladder_core::access::Access::Agent {
            // A self sign-up: their own plan and the explorer until HR links them to a record.
            links = vec![
                ("/my-plan", "My personal plan"),
                ("/explore", "Explore careers"),
                ("/explore/fit", "Which entry role fits me"),
                ("/jobs", "Jobs"),
                ("/account", "Account and reminder e-mails"),
            ];
        }
        if user.me.actor.access == ladder_core::access::Access::TeamLeader {
            // A supervisor a personal Ladder's person invited: the team is all they lead.
            links = vec![("/team", "The people you supervise and their check-ins"), ("/account", "Account")];
        }
        if user.me.actor.access == ladder_core::access::Access::Trainer {
            // QA and training: development at their sites, nothing of the pipeline (issue 26).
            links = vec![("/verify", "Certifications to verify"), ("/account", "Account")];
        }
        if matches!(user.me.actor.access, ladder_core::access::Access::Hr | ladder_core::access::Access::Admin) {
            links.push(("/verify", "Certifications to verify"));
        }
        if user.me.actor.access == ladder_core::access::Access::Admin {
            links.push(("/admin", "Users and the framework"));
        }
        let dash = super::dashboard::dashboard(&state, &user.me).await?;
        return Ok(Page(WelcomePage { nav: Some(nav), name: user.me.user.name.clone(), links, dash }).into_response());
    }
    let employee = own_employee(&state, &user).await?;
    Ok(Page(build(&state, &user, employee, nav).await?).into_response())
}

async fn build(
    state: &AppState,
    user: &WebUser,
    employee: ladder_store::org::Employee,
    nav: Nav,
) -> crate::error::ApiResult<HomePage> {
    let me = &user.me;
    let today = Utc::now().date_naive();
    // Figures usually arrive after the month: until this month has some, show the last one.
    let mut month = Month::of(today);
    let mut card = scorecards::employee_scorecard(state, me, &employee, month).await?;
    if card.actuals.is_empty() {
        let previous = scorecards::employee_scorecard(state, me, &employee, month.prev()).await?;
        if !previous.actuals.is_empty() {
            month = month.prev();
            card = previous;
        }
    }
    let trend = scorecards::trend(state, me, &employee, month, 12).await?;
    let pay = crate::service::plans::variable_pay(state, employee.id, month).await?;
    let bonus = super::bonus::view(&state.framework, &card, pay.as_ref());
    let plan = career::career_plan(state, me, &employee).await?;
    let to_leader = has_leader(state, &employee).await?;
    let mut reminders: Vec<String> = reminders::reminders(state, me, &employee, today)
        .await?
        .into_iter()
        .map(|r| in_words(state, r, to_leader))
        .collect();
    // The person's own goals due soon, and overdue ones (issue 26).
    for g in crate::service::career_goals::due_soon(state, &employee, today).await? {
        let when = if g.due_on < today { "was due" } else { "due" };
        reminders.push(format!("Your goal \"{}\" {when} {}.", g.title, g.due_on.format("%-d %b %Y")));
    }

    let wellbeing = crate::service::wellbeing::person(state, me, employee.id, today).await?;
    let flags = wellbeing
        .weeks
        .iter()
        .zip(["This week", "Next week"])
        .flat_map(|(w, when)| w.flags.iter().map(move |f| (when, f.message.clone(), f.source)))
        .collect();
    let card_now = card.scorecard.as_ref();
    let (rating, short) = format::rating(card_now, &card.month_state, "no rating yet");
    let x: Vec<String> = trend.iter().map(|p| format::month_short(p.month)).collect();
    let guides: Vec<Guide> =
        state.framework.scoring.bands.iter().map(|b| Guide { at: b.min_score, label: &b.label }).collect();
    let chart = line_chart(
        "Monthly KRA score, last 12 months",
        &x,
        &[Series { label: "Score", values: trend.iter().map(|p| p.total).collect() }],
        &guides,
        (0.0, 125.0),
    );
    let ready_percent = plan.readiness.as_ref().map_or(0, |r| r.percent.clamp(0.0, 100.0).round() as u8);
    let (next_role, readiness, gaps, forecast) = match &plan.readiness {
        Some(r) => (
            Some(r.target_name.clone()),
            format!("{:.0} %", r.percent),
            r.items
                .iter()
                .filter(|i| !i.met)
                .take(3)
                .map(|i| Gap { name: i.name.clone(), gap: i.gap.clone(), closes_with: i.closes_with.clone() })
                .collect(),
            r.forecast.message.clone(),
        ),
        None => (None, String::new(), Vec::new(), String::new()),
    };
    Ok(HomePage {
        nav: Some(nav),
        name: employee.name.clone(),
        role: career::role_name(state, &employee.role_id),
        month: format::month(month),
        month_param: month.to_string(),
        current: month == Month::of(today),
        total: format::score(card_now.and_then(|c| c.total)),
        rating,
        short,
        band: format::band(card_now.and_then(|c| c.rating)),
        kras: card_now.map(|c| c.kras.iter().map(|k| KraRow::of(&state.framework, k)).collect()).unwrap_or_default(),
        chart,
        reminders,
        next_role,
        readiness,
        ready_percent,
        gaps,
        bonus,
        dash: super::dashboard::dashboard(state, me).await?,
        forecast,
        flags,
    })
}

/// Whether someone leads the person: a manager on record, or another leader of their team.
async fn has_leader(state: &AppState, employee: &ladder_store::org::Employee) -> crate::error::ApiResult<bool> {
    if employee.manager_id.is_some_and(|m| m != employee.id) {
        return Ok(true);
    }
    let Some(team) = employee.team_id else { return Ok(false) };
    Ok(ladder_store::org::team_leaders(&state.db, team).await?.iter().any(|l| *l != employee.id))
}

/// A reminder as the home page says it; the check-in is due for its own month (this one), not
/// the month of the figures shown beside it.
fn in_words(state: &AppState, reminder: Reminder, to_leader: bool) -> String {
    match reminder {
        Reminder::CheckinDue { month } if to_leader => {
            format!("Your check-in for {} is due: tell your leader how the month went.", format::month(month))
        }
        Reminder::CheckinDue { month } => {
            format!("Your check-in for {} is due: note how the month went.", format::month(month))
        }
        Reminder::CertificationExpiring { name, expires, .. } => {
            format!("{name} expires on {expires}: plan the renewal.")
        }
        Reminder::FollowUp { metric, follow_up, note, .. } => {
            let metric = crate::service::score_state::metric_name(state, &metric);
            format!("Coaching follow-up on {metric} by {follow_up}: {note}")
        }
    }
}
