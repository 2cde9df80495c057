//! One person as their leader, manager or HR sees them, and their promotion packet: one
//! printable page that makes the case for the target role.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use ladder_core::access::{allowed, Action};
use ladder_core::period::Month;
use ladder_core::readiness::Readiness;
use ladder_core::EmployeeId;
use ladder_store::records::{Accomplishment, CertificationRecord, Checkin};
use serde::Deserialize;

use super::charts::{line_chart, Guide, Series};
use super::format::{self, KraRow};
use super::growth::AssessForm;
use super::{form_again, CsrfForm, Nav, Page, PageResult, WebUser};
use crate::auth::Me;
use crate::error::ApiResult;
use crate::service::listing::{PageSpec, MAX_LIMIT};
use crate::service::people::visible_employee;
use crate::service::{career, records, scorecards};
use crate::state::AppState;

pub struct TrendRow {
    pub month: String,
    pub total: String,
    pub rating: String,
}

/// What both the person page and the packet show.
pub struct Record {
    pub id: EmployeeId,
    pub name: String,
    pub role: String,
    pub team: String,
    pub tenure: String,
    pub months_in_role: u32,
    pub month: String,
    pub total: String,
    pub rating: String,
    /// What is missing when the month has not enough data to score.
    pub short: Vec<String>,
    pub band: String,
    pub kras: Vec<KraRow>,
    pub chart: String,
    pub trend: Vec<TrendRow>,
    /// The trend's scores by month, for the PDF's chart.
    pub scores: Vec<(String, Option<f64>)>,
    pub mean_score: String,
    /// The long-term target role, when it is not the next step.
    pub target: Option<String>,
    pub readiness: Option<Readiness>,
    /// Each requirement of the next role: its name, whether met, where it stands in words.
    pub requirements: Vec<(String, bool, String)>,
    pub accomplishments: Vec<Accomplishment>,
    pub certifications: Vec<(String, CertificationRecord)>,
    pub checkins: Vec<Checkin>,
    /// "the newest 500 of 1,234" when the check-ins run past the list.
    pub checkins_cut: Option<String>,
    pub endorsement: Option<String>,
    /// What the contact-centre platforms call this person.
    pub identities: Vec<crate::service::people::IdentityView>,
    /// Mentoring and shadowing sessions, newest first: evidence (issue 26).
    pub mentoring: Vec<ladder_store::mentoring::Evidence>,
    /// The person's own goals under their plan's milestones, by due date (read-only here).
    pub goals: Vec<crate::service::career_goals::GoalView>,
}

/// A person's record as the page, the packet and its PDF show it (whoever may see the person).
pub(crate) async fn record(state: &AppState, me: &Me, id: EmployeeId) -> ApiResult<Record> {
    let employee = visible_employee(state, me, id).await?;
    let today = Utc::now().date_naive();
    let month = Month::last_full(today);
    let card = scorecards::employee_scorecard(state, me, &employee, month).await?;
    let trend = scorecards::trend(state, me, &employee, month, 12).await?;
    let plan = career::career_plan(state, me, &employee).await?;
    let newest = PageSpec::first(ladder_core::limits::LOG_PAGE as u32);
    let shared = records::shared_accomplishments(state, me, &employee, &newest).await?.items;
    let certs = records::certifications(state, me, &employee).await?;
    let checkins = records::checkins(state, me, &employee, &PageSpec::first(MAX_LIMIT)).await?;
    let checkins_cut = super::pager::cut_note(&checkins, "the newest");
    let checkins = checkins.items;
    let endorsement = ladder_store::records::endorsement(&state.db, employee.id).await?.map(|e| e.text);
    let c = card.scorecard.as_ref();
    let (rating, short) = format::rating(c, &card.month_state, "no rating");
    let tenure_months = career::months_between(employee.hire_date, today);
    let identities = crate::service::people::identities(state, me, employee.id).await?;
    let mentoring = crate::service::mentoring::evidence(state, me, &employee).await?;
    let goals = crate::service::career_goals::all(state, me, &employee).await?;
    Ok(Record {
        identities,
        mentoring,
        goals,
        id: employee.id,
        name: employee.name.clone(),
        role: career::role_name(state, &employee.role_id),
        team: employee.team_name.clone().unwrap_or_default(),
        tenure: tenure_words(&employee.hire_date_basis, tenure_months),
        months_in_role: career::months_between(employee.role_since, today),
        month: format::month(month),
        total: format::score(c.and_then(|c| c.total)),
        rating,
        short,
        band: format::band(c.and_then(|c| c.rating)),
        kras: c.map(|c| c.kras.iter().map(|k| KraRow::of(&state.framework, k)).collect()).unwrap_or_default(),
        chart: trend_chart(state, &trend),
        trend: trend_rows(&trend),
        scores: trend.iter().map(|p| (format::month(p.month), p.total)).collect(),
        mean_score: mean_score(&trend),
        target: plan
            .target_role
            .as_deref()
            .filter(|t| plan.next_role.as_deref() != Some(*t))
            .map(|t| career::role_name(state, t)),
        requirements: plan
            .readiness
            .iter()
            .flat_map(|r| &r.items)
            .map(|i| (i.name.clone(), i.met, format::standing(i)))
            .collect(),
        readiness: plan.readiness,
        accomplishments: shared,
        certifications: certs
            .into_iter()
            .map(|c| {
                let name = state
                    .framework
                    .certification(&c.certification_id)
                    .map_or(c.certification_id.clone(), |x| x.name.clone());
                (name, c)
            })
            .collect(),
        checkins,
        checkins_cut,
        endorsement,
    })
}

/// Tenure in words, saying when the hire date behind it is an estimate.
fn tenure_words(basis: &str, months: u32) -> String {
    match basis {
        "derived" => {
            format!("about {} (the hire date is estimated from years of service)", career::years_months(months))
        }
        "unknown" => format!(
            "about {} (estimated: the hire date is unknown, so tenure counts from the first figures)",
            career::years_months(months)
        ),
        _ => career::years_months(months),
    }
}

/// The last 12 months' scores as a line over the rating bands.
fn trend_chart(state: &AppState, trend: &[scorecards::TrendPoint]) -> String {
    let guides: Vec<Guide> =
        state.framework.scoring.bands.iter().map(|b| Guide { at: b.min_score, label: &b.label }).collect();
    line_chart(
        "Monthly KRA score, last 12 months",
        &trend.iter().map(|p| format::month_short(p.month)).collect::<Vec<_>>(),
        &[Series { label: "Score", values: trend.iter().map(|p| p.total).collect() }],
        &guides,
        (0.0, 125.0),
    )
}

fn trend_rows(trend: &[scorecards::TrendPoint]) -> Vec<TrendRow> {
    trend
        .iter()
        .map(|p| TrendRow {
            month: format::month(p.month),
            total: format::score(p.total),
            rating: match p.data.state {
                "not-enough-data" => "not enough data".to_string(),
                _ => p.rating_label.clone().unwrap_or_default(),
            },
        })
        .collect()
}

/// The mean of the scored months, one decimal; a dash when none is scored.
fn mean_score(trend: &[scorecards::TrendPoint]) -> String {
    let scored: Vec<f64> = trend.iter().filter_map(|p| p.total).collect();
    if scored.is_empty() {
        "—".into()
    } else {
        format!("{:.1}", scored.iter().sum::<f64>() / scored.len() as f64)
    }
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    nav: Option<Nav>,
    csrf: String,
    r: Record,
    can_manage: bool,
    /// HR and administrators may close the account as a leaver (issue 30).
    can_close: bool,
    skills: Vec<(String, String)>,
    /// A refused endorsement: what was typed and why, shown in its form.
    endorse: Option<(String, String)>,
    /// This year, and where its KRA plan's agreement stands (`agreed`, `no-plan`, …).
    year: i32,
    plan_agreement: &'static str,
}

pub async fn show(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<EmployeeId>,
) -> PageResult<Page<impl Template>> {
    person_page(&state, &user, id, None).await
}

async fn person_page(
    state: &AppState,
    user: &WebUser,
    id: EmployeeId,
    endorse: Option<(String, String)>,
) -> PageResult<Page<impl Template>> {
    let r = record(state, &user.me, id).await?;
    let employee = visible_employee(state, &user.me, id).await?;
    let year = chrono::Datelike::year(&Utc::now());
    let agreement = crate::service::kra_sheet::agreement(state, &user.me, &employee, year).await?;
    Ok(Page(PersonPage {
        year,
        plan_agreement: agreement.state,
        nav: Some(Nav::new(user, "/team")),
        csrf: user.csrf.clone(),
        r,
        can_manage: allowed(&user.me.actor, Action::ManagePerson(employee.placement())),
        can_close: employee.active
            && allowed(
                &user.me.actor,
                Action::CloseAsLeaver {
                    person: employee.placement(),
                    account: crate::service::leaver::account_of(state, id).await?,
                },
            ),
        skills: state.framework.skills.iter().map(|s| (s.id.clone(), s.name.clone())).collect(),
        endorse,
    }))
}

#[derive(Template)]
#[template(path = "packet.html")]
struct PacketPage {
    nav: Option<Nav>,
    r: Record,
    printed: String,
}

pub async fn packet(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<EmployeeId>,
) -> PageResult<Page<impl Template>> {
    let r = record(&state, &user.me, id).await?;
    Ok(Page(PacketPage { nav: Some(Nav::new(&user, "")), r, printed: Utc::now().date_naive().to_string() }))
}

/// The packet as a PDF file (the same access as the page).
pub async fn packet_pdf(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<EmployeeId>,
) -> PageResult<Response> {
    let (name, bytes) = crate::pdf::packet(&state, &user.me, id).await?;
    Ok(crate::pdf::download(bytes, &name))
}

/// HR or an administrator closes the account as a leaver; shows the one-time link to the record,
/// this once.
pub async fn leave(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<EmployeeId>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> PageResult<Response> {
    let link = crate::service::leaver::close_as_leaver(&state, &user.me, id).await?;
    let text = format!(
        "The account is closed. Give this link to the person: it opens a page from which they download \
         their record once, until {}. It is not shown again. {}",
        link.expires_at.format("%Y-%m-%d"),
        link.link
    );
    Ok(super::message_page(axum::http::StatusCode::OK, "Closed as a leaver", &text, None))
}

#[derive(Deserialize)]
pub struct EndorseForm {
    text: String,
}

/// The leader's endorsement on the packet (leaders and managers of the person).
pub async fn endorse(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<EmployeeId>,
    CsrfForm(f): CsrfForm<EndorseForm>,
) -> PageResult<Response> {
    let employee = visible_employee(&state, &user.me, id).await?;
    user.me.require(Action::ManagePerson(employee.placement()))?;
    // The browser counts a line break as one character against maxlength but sends \r\n.
    let text = f.text.replace("\r\n", "\n");
    let text = text.trim();
    let checked = if text.is_empty() {
        Err(crate::error::ApiError::invalid("text", "write the endorsement"))
    } else {
        crate::service::limits::check_text("text", text, crate::service::limits::TEXT)
    };
    if let Err(e) = checked {
        let typed = text.to_string();
        return form_again(e, |message| person_page(&state, &user, id, Some((typed, message)))).await;
    }
    ladder_store::records::endorse(&state.db, id, user.me.user.id, text).await?;
    Ok(Redirect::to(&format!("/people/{id}/packet")).into_response())
}

/// The leader's assessment of one skill.
pub async fn assess(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<EmployeeId>,
    CsrfForm(f): CsrfForm<AssessForm>,
) -> PageResult<Redirect> {
    let employee = visible_employee(&state, &user.me, id).await?;
    records::assess_skill(&state, &user.me, &employee, &f.skill, f.level).await?;
    Ok(Redirect::to(&format!("/people/{id}")))
}
