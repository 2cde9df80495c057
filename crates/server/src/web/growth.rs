//! Skills, certifications and training: self-assessment against the level descriptors with the
//! leader's view beside it, certification status and expiry, the training plan with hours.

use askama::Template;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, Utc};
use ladder_store::records::{Assessor, CertificationRecord, CertificationStatus, TrainingItem, TrainingStatus};
use serde::Deserialize;

use super::format;
use super::{form_again, own_employee, CsrfForm, Nav, Page, PageResult, WebUser};
use crate::service::listing::MAX_LIMIT;
use crate::service::records::{self, CertificationInput, TrainingInput};
use crate::service::{career, evidence};
use crate::state::AppState;

pub struct SkillRow {
    pub id: String,
    pub name: String,
    pub own: Option<i32>,
    pub leader: Option<i32>,
    pub needed: Option<u8>,
    /// (level, descriptor, currently chosen)
    pub levels: Vec<(usize, String, bool)>,
}

pub struct CertRow {
    pub id: String,
    pub name: String,
    pub status: CertificationStatus,
    /// "earned, awaiting verification" and the like.
    pub state: &'static str,
    pub rejection_reason: Option<String>,
    pub evidence_url: Option<String>,
    pub evidence_file: Option<String>,
    pub planned: String,
    pub earned: String,
    pub expires: String,
    pub expiring: bool,
}

#[derive(Template)]
#[template(path = "growth.html")]
struct GrowthPage {
    nav: Option<Nav>,
    csrf: String,
    /// For the evidence files' links.
    employee_id: i64,
    next_role: String,
    skills: Vec<SkillRow>,
    certs: Vec<CertRow>,
    cert_options: Vec<(String, String)>,
    training: Vec<TrainingItem>,
    /// "the first 500 of 1,234" when the items run past the list.
    training_cut: Option<String>,
    hours_done: f64,
    hours_planned: f64,
    error: Option<String>,
    /// The training form's one-time key ([`super::once`]).
    key: String,
    /// The items that close each gap to the next role ([`super::learning`]).
    gaps: Vec<super::learning::GapOffers>,
    back: &'static str,
}

pub async fn show(State(state): State<AppState>, user: WebUser) -> PageResult<Page<impl Template>> {
    page(&state, &user, None).await
}

async fn page(state: &AppState, user: &WebUser, error: Option<String>) -> PageResult<Page<impl Template>> {
    let employee = own_employee(state, user).await?;
    let me = &user.me;
    let assessments = records::skill_assessments(state, me, &employee).await?;
    let plan = career::career_plan(state, me, &employee).await?;
    let next = plan.next_role.as_deref().and_then(|r| state.framework.role(r));
    let latest = |skill: &str, who: Assessor| {
        assessments.iter().rev().find(|a| a.skill_id == skill && a.assessor == who).map(|a| a.level)
    };
    let skills = state
        .framework
        .skills
        .iter()
        .map(|s| SkillRow {
            id: s.id.clone(),
            name: s.name.clone(),
            own: latest(&s.id, Assessor::Own),
            leader: latest(&s.id, Assessor::Leader),
            needed: next.and_then(|r| r.requirements.skills.get(&s.id).copied()),
            levels: s
                .levels
                .iter()
                .enumerate()
                .map(|(i, d)| (i + 1, d.clone(), latest(&s.id, Assessor::Own) == Some(i as i32 + 1)))
                .collect(),
        })
        .collect();
    let today = Utc::now().date_naive();
    let certs = records::certifications(state, me, &employee).await?;
    let employee_id = employee.id.0;
    // The hours add up every item; the list shows at most a page's most.
    let training = records::all_training(state, me, &employee).await?;
    let training_cut = (training.len() > MAX_LIMIT as usize).then(|| {
        format!("the first {} of {}", format::thousands(MAX_LIMIT.into()), format::thousands(training.len() as u64))
    });
    let fmt = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_else(|| "—".into());
    let gaps = match &plan.readiness {
        Some(r) => super::learning::offers(crate::service::learning::gaps_of(state, me, r).await?),
        None => Vec::new(),
    };
    Ok(Page(GrowthPage {
        nav: Some(Nav::new(user, "/growth")),
        csrf: user.csrf.clone(),
        next_role: next.map(|r| r.name.clone()).unwrap_or_default(),
        employee_id,
        skills,
        certs: certs
            .iter()
            .map(|c: &CertificationRecord| CertRow {
                id: c.certification_id.clone(),
                state: c.state_label(),
                rejection_reason: c.rejection_reason.clone(),
                evidence_url: c.evidence_url.clone(),
                evidence_file: c.evidence_file.clone(),
                name: state
                    .framework
                    .certification(&c.certification_id)
                    .map_or(c.certification_id.clone(), |x| x.name.clone()),
                status: c.status,
                planned: fmt(c.planned_date),
                earned: fmt(c.earned_date),
                expires: fmt(c.expires_date),
                expiring: state.framework.settings.renewal_due(c.expires_date, today),
            })
            .collect(),
        cert_options: state.framework.certifications.iter().map(|c| (c.id.clone(), c.name.clone())).collect(),
        hours_done: training.iter().filter(|t| t.status == TrainingStatus::Done).map(|t| t.hours).sum(),
        hours_planned: training.iter().filter(|t| t.status != TrainingStatus::Done).map(|t| t.hours).sum(),
        training: training.into_iter().take(MAX_LIMIT as usize).collect(),
        training_cut,
        error,
        key: super::once::new_key(),
        gaps,
        back: "/growth",
    }))
}

/// One skill's level, as both assessment forms send it: one's own here, the leader's on the
/// person's page.
#[derive(Deserialize)]
pub struct AssessForm {
    pub(super) skill: String,
    pub(super) level: i32,
}

pub async fn assess(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(f): CsrfForm<AssessForm>,
) -> PageResult<Response> {
    let employee = own_employee(&state, &user).await?;
    match records::assess_skill(&state, &user.me, &employee, &f.skill, f.level).await {
        Ok(_) => Ok(Redirect::to("/growth").into_response()),
        Err(e) => refused(&state, &user, e).await,
    }
}

/// The page again with why the form was refused, naming the field at fault.
async fn refused(state: &AppState, user: &WebUser, e: crate::error::ApiError) -> PageResult<Response> {
    let field = e.field.as_deref().map(super::field_label);
    form_again(e, |error| page(state, user, Some(field.map_or_else(|| error.clone(), |f| format!("{f}: {error}")))))
        .await
}

/// The certification form's fields, as a form without a file sends them.
#[derive(Deserialize)]
pub struct CertFields {
    certification_id: String,
    status: String,
    #[serde(default)]
    planned_date: String,
    #[serde(default)]
    earned_date: String,
    #[serde(default)]
    evidence_url: String,
}

/// The certification form as sent (multipart, for the evidence file).
#[derive(Default)]
struct CertForm {
    csrf: String,
    certification_id: String,
    status: String,
    planned_date: String,
    earned_date: String,
    evidence_url: String,
    file: Option<(String, Vec<u8>)>,
}

/// Reads the certification form; the file only after a CSRF token that matches. `Err` is why
/// the upload could not be read.
async fn read_cert_form(user: &WebUser, mut multipart: Multipart) -> Result<CertForm, String> {
    let mut f = CertForm::default();
    while let Some(field) = multipart.next_field().await.map_err(|e| format!("The upload failed: {e}"))? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "evidence_file" {
            if f.csrf.is_empty() || f.csrf != user.csrf {
                break;
            }
            let file_name = field.file_name().unwrap_or_default().to_string();
            let bytes = field.bytes().await.map_err(|e| format!("Evidence file: the upload failed ({e})"))?;
            if !bytes.is_empty() || !file_name.is_empty() {
                f.file = Some((file_name, bytes.to_vec()));
            }
            continue;
        }
        // Text fields are short: anything longer is cut and then refused by its own limit.
        let text: String = field.text().await.unwrap_or_default().chars().take(4_000).collect();
        match name.as_str() {
            "_csrf" => f.csrf = text,
            "certification_id" => f.certification_id = text,
            "status" => f.status = text,
            "planned_date" => f.planned_date = text,
            "earned_date" => f.earned_date = text,
            "evidence_url" => f.evidence_url = text,
            _ => {}
        }
    }
    Ok(f)
}

/// A date field left empty, or a date in range (a bad one is the form's error, naming the field).
fn opt_date(field: &str, s: &str) -> Result<Option<NaiveDate>, String> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    ladder_core::dates::parse(s).map(Some).map_err(|e| format!("{field}: {e}"))
}

/// The certification form: multipart as the page sends it (with its evidence file), or a plain
/// form without a file.
pub async fn certification(State(state): State<AppState>, user: WebUser, request: Request) -> PageResult<Response> {
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    let read = if multipart {
        match Multipart::from_request(request, &state).await {
            Ok(form) => read_cert_form(&user, form).await,
            Err(e) => Err(format!("The upload failed: {}", e.body_text())),
        }
    } else {
        match CsrfForm::<CertFields>::from_request(request, &state).await {
            Ok(CsrfForm(f)) => Ok(CertForm {
                csrf: user.csrf.clone(),
                certification_id: f.certification_id,
                status: f.status,
                planned_date: f.planned_date,
                earned_date: f.earned_date,
                evidence_url: f.evidence_url,
                file: None,
            }),
            Err(refused) => return Ok(refused),
        }
    };
    let f = match read {
        Ok(f) => f,
        Err(error) => return Ok(page(&state, &user, Some(error)).await?.into_response()),
    };
    if f.csrf.is_empty() || f.csrf != user.csrf {
        return Ok(super::form_expired());
    }
    let employee = own_employee(&state, &user).await?;
    let dates =
        opt_date("Planned date", &f.planned_date).and_then(|p| Ok((p, opt_date("Earned date", &f.earned_date)?)));
    let (planned_date, earned_date) = match dates {
        Ok(dates) => dates,
        Err(error) => return Ok(page(&state, &user, Some(error)).await?.into_response()),
    };
    let file = match f.file.map(|(name, bytes)| evidence::check_file(&name, bytes)).transpose() {
        Ok(file) => file,
        Err(e) => return refused(&state, &user, e).await,
    };
    let input = CertificationInput {
        certification_id: f.certification_id,
        status: f.status,
        planned_date,
        earned_date,
        expires_date: None,
        evidence_url: Some(f.evidence_url),
    };
    match records::set_certification_with_file(&state, &user.me, &employee, &input, file.as_ref()).await {
        Ok(_) => Ok(Redirect::to("/growth").into_response()),
        Err(e) => refused(&state, &user, e).await,
    }
}

#[derive(Deserialize)]
pub struct TrainingForm {
    kind: String,
    title: String,
    #[serde(default)]
    provider: String,
    #[serde(default)]
    hours: String,
    status: String,
    #[serde(default)]
    due_date: String,
    #[serde(default, rename = "_key")]
    key: String,
}

pub async fn training(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(f): CsrfForm<TrainingForm>,
) -> PageResult<Response> {
    let employee = own_employee(&state, &user).await?;
    let Ok(hours) = (if f.hours.trim().is_empty() { Ok(0.0) } else { f.hours.trim().parse::<f64>() }) else {
        return Ok(page(&state, &user, Some("Hours: type a number".into())).await?.into_response());
    };
    let due_date = match opt_date("Due date", &f.due_date) {
        Ok(d) => d,
        Err(error) => return Ok(page(&state, &user, Some(error)).await?.into_response()),
    };
    let input = TrainingInput {
        kind: f.kind,
        title: f.title,
        provider: f.provider,
        hours,
        status: f.status.clone(),
        skill_id: None,
        due_date,
        completed_date: (f.status.parse() == Ok(TrainingStatus::Done)).then(|| Utc::now().date_naive()),
    };
    // Checked before the key is claimed: a repeat of a refused post is refused the same way.
    if let Err(e) = input.check(&state, &employee) {
        return refused(&state, &user, e).await;
    }
    let once = match super::once::claim(&state, &user, &[(super::once::FIELD.into(), f.key)], "/growth").await? {
        Ok(once) => once,
        Err(repeated) => return Ok(repeated),
    };
    match records::add_training(&state, &user.me, &employee, &input).await {
        Ok(_) => {
            once.finish(&state, &user, "/growth").await?;
            Ok(Redirect::to("/growth").into_response())
        }
        Err(e) => {
            once.release(&state, &user).await?;
            refused(&state, &user, e).await
        }
    }
}
