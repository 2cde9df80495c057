//! The year's KRA plan and a month's figures: entry where the organisation allows self-entry,
//! imported figures read-only, and each score with its explanation.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use ladder_core::period::Month;
use serde::Deserialize;

use super::format::{self, KraRow};
use super::{form_again, own_employee, CsrfForm, Nav, Page, PageQuery, PageResult, WebUser};
use crate::params::MonthParam;
use crate::service::scorecards::{self, FigureInput};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct KrasQuery {
    #[serde(default)]
    month: MonthParam,
    saved: Option<u8>,
}

pub struct FigureField {
    pub metric: String,
    pub name: String,
    pub unit: String,
    pub ratio: bool,
    pub numerator_label: String,
    pub denominator_label: String,
    pub numerator: String,
    pub denominator: String,
    pub imported: bool,
    pub shown: String,
}

#[derive(Template)]
#[template(path = "kras.html")]
struct KrasPage {
    nav: Option<Nav>,
    csrf: String,
    month: String,
    month_label: String,
    /// The month's year: the links to its KRA sheet and its summary.
    year: i32,
    prev: String,
    next: String,
    can_enter: bool,
    /// Whether any figure of the month may be typed (imported ones are read-only).
    any_typed: bool,
    /// The tag of the stored figures the form shows ([`ladder_store::kra::figures_tag`]).
    figures_tag: String,
    fields: Vec<FigureField>,
    total: String,
    rating: String,
    /// What is missing when the month has not enough data to score.
    short: Vec<String>,
    band: String,
    kras: Vec<KraRow>,
    explanation: Vec<String>,
    /// The bonus estimate; `None` when the month has no score.
    bonus: Option<super::bonus::BonusView>,
    ytd_total: String,
    ytd_rating: String,
    ytd_short: Vec<String>,
    notice: Option<String>,
    error: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    user: WebUser,
    PageQuery(q): PageQuery<KrasQuery>,
) -> PageResult<Response> {
    let month = q.month.0;
    let notice = q.saved.map(|_| "Figures saved; the score below is up to date.".to_string());
    page(&state, &user, month, notice, None, None).await
}

async fn page(
    state: &AppState,
    user: &WebUser,
    month: Month,
    notice: Option<String>,
    error: Option<String>,
    typed: Option<&[(String, String)]>,
) -> PageResult<Response> {
    let employee = own_employee(state, user).await?;
    Ok(Page(build(state, user, &employee, month, notice, error, typed).await?).into_response())
}

async fn build(
    state: &AppState,
    user: &WebUser,
    employee: &ladder_store::org::Employee,
    month: Month,
    notice: Option<String>,
    error: Option<String>,
    typed: Option<&[(String, String)]>,
) -> PageResult<KrasPage> {
    let card = scorecards::employee_scorecard(state, &user.me, employee, month).await?;
    let can_enter = scorecards::may_enter_actuals(state, &user.me, employee).await?;
    // The month's figures as the scorecard read them: the tag the form sends back.
    let figures_tag = ladder_store::kra::figures_tag(
        card.actuals.iter().map(|a| (a.metric.as_str(), a.numerator, a.denominator, a.source)),
    );
    let typed_value = |key: String| typed.and_then(|t| t.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone()));
    let plan_metrics: Vec<String> = match &card.scorecard {
        Some(c) => c.kras.iter().map(|k| k.metric.to_string()).collect(),
        None => Vec::new(),
    };
    let fields: Vec<FigureField> = plan_metrics
        .iter()
        .filter_map(|id| state.framework.metric(id))
        .map(|m| {
            let stored = card.actuals.iter().find(|a| a.metric == m.id);
            let fmt = |v: f64| if v.fract().abs() < 1e-9 { format!("{}", v as i64) } else { format!("{v}") };
            FigureField {
                metric: m.id.clone(),
                name: m.name.clone(),
                unit: m.unit.as_str().into(),
                ratio: m.denominator.is_some(),
                numerator_label: m.numerator.clone(),
                denominator_label: m.denominator.clone().unwrap_or_default(),
                numerator: typed_value(format!("{}.numerator", m.id))
                    .or_else(|| stored.map(|s| fmt(s.numerator)))
                    .unwrap_or_default(),
                denominator: typed_value(format!("{}.denominator", m.id))
                    .or_else(|| stored.map(|s| fmt(s.denominator)))
                    .unwrap_or_default(),
                imported: stored.is_some_and(|s| s.source == ladder_store::kra::Source::Import),
                shown: format::value(stored.and_then(|s| s.value), m.unit),
            }
        })
        .collect();
    let pay = crate::service::plans::variable_pay(state, employee.id, month).await?;
    let bonus = super::bonus::view(&state.framework, &card, pay.as_ref());
    let c = card.scorecard.as_ref();
    let y = card.year_to_date.as_ref();
    let (rating, short) = format::rating(c, &card.month_state, "no rating");
    let (ytd_rating, ytd_short) = format::rating(y, &card.year_to_date_state, "no rating");
    Ok(KrasPage {
        nav: Some(Nav::new(user, "/kras")),
        csrf: user.csrf.clone(),
        month: month.to_string(),
        month_label: format::month(month),
        year: month.year,
        prev: month.prev().to_string(),
        next: month.next().to_string(),
        can_enter,
        any_typed: fields.iter().any(|f| !f.imported),
        figures_tag,
        fields,
        total: format::score(c.and_then(|c| c.total)),
        rating,
        short,
        band: format::band(c.and_then(|c| c.rating)),
        kras: c.map(|c| c.kras.iter().map(|k| KraRow::of(&state.framework, k)).collect()).unwrap_or_default(),
        explanation: card.explanation.clone(),
        bonus,
        ytd_total: format::score(y.and_then(|c| c.total)),
        ytd_rating,
        ytd_short,
        notice,
        error,
    })
}

/// Saves the typed figures. Blank fields are left out; imported figures are not in the form.
pub async fn save(
    State(state): State<AppState>,
    user: WebUser,
    PageQuery(q): PageQuery<KrasQuery>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let month = q.month.0;
    let employee = own_employee(&state, &user).await?;
    let mut figures: Vec<FigureInput> = Vec::new();
    let mut problems = Vec::new();
    for (key, raw) in &form {
        let Some(metric) = key.strip_suffix(".numerator") else { continue };
        if raw.trim().is_empty() {
            continue;
        }
        let denominator_raw = form.iter().find(|(k, _)| *k == format!("{metric}.denominator")).map(|(_, v)| v.trim());
        let name = state.framework.metric(metric).map_or(metric, |m| m.name.as_str());
        let numerator = raw.trim().parse::<f64>();
        let denominator = denominator_raw.filter(|d| !d.is_empty()).map(str::parse::<f64>).transpose();
        match (numerator, denominator) {
            (Ok(numerator), Ok(denominator)) => {
                figures.push(FigureInput { metric: metric.to_string(), numerator, denominator })
            }
            _ => problems.push(format!("{name}: type numbers only")),
        }
    }
    if !problems.is_empty() {
        return page(&state, &user, month, None, Some(problems.join("; ")), Some(&form)).await;
    }
    // The tag of the figures the form showed: figures changed since are not overwritten unseen.
    let seen = form.iter().find(|(k, _)| k == "_figures").map(|(_, v)| v.as_str());
    match scorecards::enter_actuals(&state, &user.me, &employee, month, &figures, seen).await {
        Ok(()) => Ok(Redirect::to(&format!("/kras?month={month}&saved=1")).into_response()),
        Err(e) => {
            let metric = e.field.as_deref().and_then(|f| {
                let index: usize = f.trim_start_matches('[').split(']').next()?.parse().ok()?;
                figures.get(index).and_then(|fig| state.framework.metric(&fig.metric)).map(|m| m.name.clone())
            });
            let named = |message: String| match metric {
                Some(name) => format!("{name}: {message}"),
                None => message,
            };
            form_again(e, |message| page(&state, &user, month, None, Some(named(message)), Some(&form))).await
        }
    }
}
