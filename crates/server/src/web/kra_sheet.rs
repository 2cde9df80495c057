//! "My KRAs for YEAR as agreed": the year's plans as a printable KRA sheet, with the person's
//! agreement (a button for them; for their leader and HR, whether it is agreed).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use ladder_core::framework::Unit;
use ladder_core::EmployeeId;
use ladder_store::org::Employee;
use serde::Deserialize;

use super::format;
use super::{form_again, own_employee, CsrfForm, Nav, Page, PageQuery, PageResult, WebUser};
use crate::service::kra_sheet::{self, AgreementView, SheetPlan};
use crate::service::people::visible_employee;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct YearQuery {
    pub year: Option<i32>,
    /// Set after agreeing: the page confirms it.
    pub agreed: Option<u8>,
}

/// The year asked for, or this year.
pub fn year_or_this(year: Option<i32>) -> i32 {
    year.unwrap_or_else(|| Utc::now().year())
}

pub struct KraLine {
    pub name: String,
    pub weight: String,
    pub threshold: String,
    pub target: String,
    pub stretch: String,
    /// The unit and which way is better, in words.
    pub reads: String,
}

pub struct PlanView {
    pub name: String,
    pub dates: String,
    pub role: String,
    pub pay: String,
    pub set: String,
    pub kras: Vec<KraLine>,
}

#[derive(Template)]
#[template(path = "kra_sheet.html")]
struct SheetPage {
    nav: Option<Nav>,
    csrf: String,
    heading: String,
    /// The page's own address without the year (`/kras/plan`, `/people/7/kras-plan`).
    base: String,
    /// The year-end summary's address without the year.
    year_link: String,
    year: i32,
    plans: Vec<PlanView>,
    agreement: AgreementView,
    /// The agreement in a sentence.
    status: String,
    notice: Option<String>,
    error: Option<String>,
}

/// A date as the sheet prints it: "5 Jan 2026".
pub fn day(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

fn instant(t: DateTime<Utc>) -> String {
    day(t.date_naive())
}

/// A unit in words: AHT reads as minutes and seconds.
pub fn unit_words(unit: Unit) -> &'static str {
    match unit {
        Unit::Seconds => "m:ss (minutes:seconds)",
        Unit::Percent => "per cent",
        Unit::Count => "a count",
        Unit::PerHour => "per hour",
        Unit::Points => "points",
        Unit::Days => "days",
        Unit::Hours => "hours",
    }
}

fn plan_view(state: &AppState, p: &SheetPlan) -> PlanView {
    let kras = p
        .kras
        .iter()
        .map(|k| {
            let unit = state.framework.metric(&k.metric).map_or(Unit::Count, |m| m.unit);
            KraLine {
                name: k.name.clone(),
                weight: format!("{} %", ladder_core::scoring::number(k.weight)),
                threshold: format::value(Some(k.threshold), unit),
                target: format::value(Some(k.target), unit),
                stretch: format::value(Some(k.stretch), unit),
                reads: format!("{}, {}", unit_words(unit), k.direction),
            }
        })
        .collect();
    PlanView {
        name: p.name.clone(),
        dates: format!("{} to {}", day(p.from), day(p.until)),
        role: p.role_name.clone(),
        pay: p.variable_pay_minor.map_or_else(
            || "none set on this plan".into(),
            |m| format!("{} {} a month at 100 % payout", format::amount(m as f64 / 100.0), p.currency),
        ),
        set: match &p.set_by {
            Some(who) => format!("Set by {who} on {}", instant(p.set_at)),
            None => format!("Set on {}", instant(p.set_at)),
        },
        kras,
    }
}

/// The agreement in a sentence, for the person (`own`) or someone else.
fn status(a: &AgreementView, own: bool, year: i32) -> String {
    let when = |t: Option<DateTime<Utc>>| t.map_or_else(String::new, instant);
    match a.state {
        "agreed" => format!("Agreed by {} on {}.", a.agreed_by.as_deref().unwrap_or("the person"), when(a.agreed_at)),
        "needs-agreeing-again" => format!(
            "Changed on {} after it was agreed on {}; needs agreeing again.",
            when(a.changed_at),
            when(a.agreed_at)
        ),
        "no-plan" if own => format!(
            "No KRA plan is set for {year} yet: your role's standard KRAs apply until your team leader sets one."
        ),
        "no-plan" => format!("No KRA plan is set for {year} yet: the role's standard KRAs apply."),
        _ if own => "Not agreed yet: read it through, then agree below.".into(),
        _ => "Not agreed yet.".into(),
    }
}

async fn build(
    state: &AppState,
    user: &WebUser,
    employee: &Employee,
    year: i32,
    own: bool,
    notice: Option<String>,
    error: Option<String>,
) -> PageResult<Response> {
    let sheet = kra_sheet::sheet(state, &user.me, employee, year).await?;
    let (heading, base, year_link, current) = if own {
        (format!("My KRAs for {year} as agreed"), "/kras/plan".to_string(), "/year".to_string(), "/kras")
    } else {
        let person = format!("/people/{}", employee.id);
        (
            format!("{}'s KRAs for {year}", employee.name),
            format!("{person}/kras-plan"),
            format!("{person}/year"),
            "/team",
        )
    };
    Ok(Page(SheetPage {
        nav: Some(Nav::new(user, current)),
        csrf: user.csrf.clone(),
        heading,
        base,
        year_link,
        year,
        plans: sheet.plans.iter().map(|p| plan_view(state, p)).collect(),
        status: status(&sheet.agreement, own, year),
        agreement: sheet.agreement,
        notice,
        error,
    })
    .into_response())
}

/// The signed-in person's own sheet.
pub async fn own(
    State(state): State<AppState>,
    user: WebUser,
    PageQuery(q): PageQuery<YearQuery>,
) -> PageResult<Response> {
    let employee = own_employee(&state, &user).await?;
    let year = year_or_this(q.year);
    let notice = q.agreed.map(|_| format!("Agreed: your KRA plan for {year} is signed off. Your team leader is told."));
    build(&state, &user, &employee, year, true, notice, None).await
}

/// Someone's sheet as their leader, manager or HR sees it.
pub async fn person(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<EmployeeId>,
    PageQuery(q): PageQuery<YearQuery>,
) -> PageResult<Response> {
    let employee = visible_employee(&state, &user.me, id).await?;
    let own = user.me.user.employee_id == Some(employee.id);
    build(&state, &user, &employee, year_or_this(q.year), own, None, None).await
}

#[derive(Deserialize)]
pub struct AgreeForm {
    year: i32,
    /// The version of the plan's terms the page showed.
    #[serde(default)]
    version: Option<String>,
}

/// The person agrees to their year's plan.
pub async fn agree(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(form): CsrfForm<AgreeForm>,
) -> PageResult<Response> {
    let employee = own_employee(&state, &user).await?;
    match kra_sheet::agree(&state, &user.me, &employee, form.year, form.version.as_deref()).await {
        Ok(_) => Ok(Redirect::to(&format!("/kras/plan?year={}&agreed=1", form.year)).into_response()),
        Err(e) => {
            let year = form.year;
            form_again(e, |message| build(&state, &user, &employee, year, true, None, Some(message))).await
        }
    }
}
