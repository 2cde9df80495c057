//! The year-end summary page: the person's own (`/year`) and as their leader or HR sees it
//! (`/people/{id}/year`), over [`crate::service::year_summary`].

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use ladder_core::EmployeeId;
use ladder_store::org::Employee;

use super::charts::{line_chart, Guide, Series};
use super::format;
use super::kra_sheet::{day, year_or_this, YearQuery};
use super::{own_employee, Nav, Page, PageQuery, PageResult, WebUser};
use crate::service::people::visible_employee;
use crate::service::year_summary::{self, YearSummary};
use crate::state::AppState;

pub struct MonthRow {
    pub month: String,
    pub score: String,
    pub rating: String,
    pub band: String,
}

#[derive(Template)]
#[template(path = "year.html")]
struct YearPage {
    nav: Option<Nav>,
    heading: String,
    base: String,
    sheet_link: String,
    year: i32,
    own: bool,
    s: YearSummary,
    /// The last month counted, in words; none while no month of the year has ended.
    through: Option<String>,
    total: String,
    rating: String,
    band: String,
    /// What is missing when the year has not enough data for a result.
    short: Vec<String>,
    payout: String,
    bonus: Option<String>,
    chart: String,
    months: Vec<MonthRow>,
    /// The year's lists as lines: highlights, certifications, training, role changes.
    lists: Lists,
}

pub struct Lists {
    pub highlights: Vec<String>,
    pub certifications: Vec<String>,
    pub training: Vec<String>,
    pub roles: Vec<String>,
}

fn lists(s: &YearSummary) -> Lists {
    Lists {
        highlights: s.highlights.iter().map(|h| format!("{} — {}", day(h.date), h.title)).collect(),
        certifications: s
            .certifications
            .iter()
            .map(|c| {
                let verified = if c.verified { "verified" } else { "waiting for verification or rejected" };
                format!("{}, earned {} ({verified})", c.name, day(c.earned_date))
            })
            .collect(),
        training: s
            .training
            .iter()
            .map(|t| {
                let hours = ladder_core::scoring::number(t.hours);
                format!("{} ({}, {hours} h), completed {}", t.title, t.provider, day(t.completed_date))
            })
            .collect(),
        roles: s.role_changes.iter().map(|r| format!("{} from {}", r.role_name, day(r.from_date))).collect(),
    }
}

fn month_rows(s: &YearSummary) -> Vec<MonthRow> {
    s.months
        .iter()
        .map(|p| MonthRow {
            month: format::month(p.month),
            score: format::score(p.total),
            rating: match p.data.state {
                "not-enough-data" => "not enough data".into(),
                "no-data" => "no figures".into(),
                _ => p.rating_label.clone().unwrap_or_default(),
            },
            band: format::band(p.rating),
        })
        .collect()
}

async fn build(state: &AppState, user: &WebUser, employee: &Employee, year: i32, own: bool) -> PageResult<Response> {
    let s = year_summary::summary(state, &user.me, employee, year).await?;
    let guides: Vec<Guide> =
        state.framework.scoring.bands.iter().map(|b| Guide { at: b.min_score, label: &b.label }).collect();
    let chart = line_chart(
        &format!("Monthly KRA score, {year}"),
        &s.months.iter().map(|p| format::month_short(p.month)).collect::<Vec<_>>(),
        &[Series { label: "Score", values: s.months.iter().map(|p| p.total).collect() }],
        &guides,
        (0.0, 125.0),
    );
    let r = &s.result;
    let (rating, short) = if r.data.not_enough() {
        ("not enough data".to_string(), r.data.reasons.clone())
    } else {
        (r.rating_label.clone().unwrap_or_else(|| "no rating".into()), Vec::new())
    };
    let person = format!("/people/{}", employee.id);
    let (heading, base, sheet_link, current) = if own {
        (format!("My year {year}"), "/year".to_string(), "/kras/plan".to_string(), "/kras")
    } else {
        (format!("{}'s year {year}", employee.name), format!("{person}/year"), format!("{person}/kras-plan"), "/team")
    };
    Ok(Page(YearPage {
        nav: Some(Nav::new(user, current)),
        heading,
        base,
        sheet_link,
        year,
        own,
        through: r.through.map(format::month),
        total: format::score(r.total),
        rating,
        band: format::band(r.rating),
        short,
        payout: r.payout_percent.map_or_else(|| "—".into(), |p| format!("{} %", ladder_core::scoring::number(p))),
        bonus: r.bonus.zip(r.currency.as_ref()).map(|(b, c)| {
            let months = r.pay_months.unwrap_or(0);
            let noun = if months == 1 { "month" } else { "months" };
            format!("{} {c} (the variable pay of {months} {noun} employed, each at its plan)", format::amount(b))
        }),
        chart,
        months: month_rows(&s),
        lists: lists(&s),
        s,
    })
    .into_response())
}

/// The signed-in person's own year.
pub async fn own(
    State(state): State<AppState>,
    user: WebUser,
    PageQuery(q): PageQuery<YearQuery>,
) -> PageResult<Response> {
    let employee = own_employee(&state, &user).await?;
    build(&state, &user, &employee, year_or_this(q.year), true).await
}

/// Someone's year as their leader, manager or HR sees it.
pub async fn person(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<EmployeeId>,
    PageQuery(q): PageQuery<YearQuery>,
) -> PageResult<Response> {
    let employee = visible_employee(&state, &user.me, id).await?;
    let own = user.me.user.employee_id == Some(employee.id);
    build(&state, &user, &employee, year_or_this(q.year), own).await
}
