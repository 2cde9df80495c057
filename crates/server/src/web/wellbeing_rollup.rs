//! The well-being roll-up page (issue 29): by site, account or team for a month or a week, the
//! share of people with each fatigue flag, nights per person and mean weekly hours next to
//! attrition and attendance, as a table and a bar chart; each unit opens the level below (site → account →
//! team). The figures are the API's (`service::wellbeing_rollup`), as is the CSV download.

use askama::Template;
use axum::extract::State;
use chrono::NaiveDate;
use serde::Deserialize;

use super::charts::bar_chart;
use super::picker::{self, Choice, PickQuery};
use super::{Nav, Page, PageResult, WebUser};
use crate::service::wellbeing_rollup::{self as service, Level, RollupView, Span, UnitView};
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RollupQuery {
    #[serde(default, deserialize_with = "crate::params::optional_month")]
    month: Option<ladder_core::period::Month>,
    /// Blank (the form's default) is a month.
    #[serde(default, deserialize_with = "optional_day")]
    week: Option<NaiveDate>,
    level: Option<Level>,
    parent: Option<i64>,
}

/// A day that may be left blank, as a cleared date field sends it.
fn optional_day<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    let text = std::borrow::Cow::<str>::deserialize(d)?;
    match text.trim() {
        "" => Ok(None),
        given => given
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("'{given}' is not a date (YYYY-MM-DD)"))),
    }
}

#[derive(Template)]
#[template(path = "wellbeing_rollup.html")]
struct RollupPage {
    nav: Option<Nav>,
    view: RollupView,
    /// The month field's value, and the week field's (blank for a month).
    month: String,
    week: String,
    /// The span in words, e.g. "March 2026" or "the week of 2026-03-02".
    span_label: String,
    level: &'static str,
    levels: Vec<&'static str>,
    /// The query a drill-down keeps (the span).
    span_query: String,
    /// The download's query: the span, the level and the parent.
    export_query: String,
    chart: String,
    /// The headings of the columns shown after the unit and its people, each with whether it
    /// heads numbers.
    headings: Vec<(String, bool)>,
    rows: Vec<Row>,
    total: Row,
    /// The picker: every column, those shown marked; the other fields its form keeps.
    choices: Vec<Choice>,
    shown_names: String,
    picker_action: &'static str,
    keep: Vec<(String, String)>,
    /// The metrics asked for, kept by the span form and the links.
    asked: Vec<String>,
}

/// A unit's row as the table shows it.
struct Row {
    name: String,
    /// Where the unit opens the level below, if it does.
    href: Option<String>,
    people: u64,
    /// The cells of the columns shown, each with whether it is a number (aligned right).
    cells: Vec<(String, bool)>,
}

const TOO_FEW: &str = "too few people";

/// Every column after the unit and its people, (id, heading), in [`cells`]' order; the ids are
/// the picker's `metrics=` values.
fn columns() -> Vec<(String, String)> {
    let kinds = ["weekly-hours", "consecutive-nights", "short-rest", "no-weekly-rest", "long-shift"];
    let mut out: Vec<(String, String)> = kinds
        .iter()
        .zip(ladder_core::wellbeing::rollup::Kind::ALL)
        .map(|(id, k)| (id.to_string(), format!("With {}", k.label())))
        .collect();
    out.extend(
        [
            ("any-flag", "With any flag"),
            ("nights", "Nights per person"),
            ("hours", "Hours a week per person"),
            ("attrition", "Attrition"),
            ("attendance", "Attendance"),
        ]
        .map(|(id, heading)| (id.to_string(), heading.to_string())),
    );
    out
}

/// The columns shown unless others are chosen.
const DEFAULT_SHOWN: [&str; 4] = ["any-flag", "hours", "attrition", "attendance"];

/// A unit's row with the columns `shown` (indices into [`columns`]).
fn row(u: &UnitView, href: Option<String>, shown: &[usize]) -> Row {
    let all = cells(u);
    let cells = shown.iter().map(|&i| (all[i].clone(), i + 1 < all.len())).collect();
    Row { name: u.name.clone(), href, people: u.people_with_shifts, cells }
}

/// Every column's text for a unit, in [`columns`]' order (attendance last).
fn cells(u: &UnitView) -> Vec<String> {
    let number = |v: Option<f64>| v.map_or(TOO_FEW.to_string(), |v| format!("{v:.1}"));
    let mut cells: Vec<String> = match &u.flags {
        Some(flags) => flags.iter().map(|f| format!("{:.0} % ({})", f.share * 100.0, f.people)).collect(),
        None => vec![TOO_FEW.to_string(); ladder_core::wellbeing::rollup::Kind::ALL.len()],
    };
    cells.push(u.any_flag_share.map_or(TOO_FEW.to_string(), |v| format!("{:.0} %", v * 100.0)));
    cells.push(number(u.nights_per_person));
    cells.push(number(u.average_weekly_hours));
    let a = &u.attrition;
    cells.push(a.rate.map_or("no one here".to_string(), |r| {
        format!("{:.1} % ({} left of {:.1} on average)", r * 100.0, a.leavers, (a.start + a.end) as f64 / 2.0)
    }));
    let attendance = match &u.attendance {
        Some(a) => format!(
            "{:.0} % worked, {:.0} % late, {:.0} % missed of {} shifts; {:.0} % of the hours",
            a.worked_share * 100.0,
            a.late_share * 100.0,
            a.missed_share * 100.0,
            a.scheduled_shifts,
            a.hours_share * 100.0
        ),
        None => u.attendance_hidden.unwrap_or_default().to_string(),
    };
    cells.push(attendance);
    cells
}

/// The span form's fields, for the picker's form to keep: the span, and the level and parent
/// when given.
fn keep_fields(view: &RollupView, level_given: bool) -> Vec<(String, String)> {
    let mut keep = vec![match view.span {
        "week" => ("week".to_string(), view.from.to_string()),
        _ => ("month".to_string(), ladder_core::period::Month::of(view.from).to_string()),
    }];
    if level_given || view.parent.is_some() {
        keep.push(("level".into(), view.level.as_str().into()));
    }
    if let Some(p) = view.parent {
        keep.push(("parent".into(), p.to_string()));
    }
    keep
}

pub async fn show(
    State(state): State<AppState>,
    user: WebUser,
    PickQuery { query: q, metrics: asked }: PickQuery<RollupQuery>,
) -> PageResult<Page<impl Template>> {
    let all = columns();
    let choices = picker::choose(&all, &asked, &DEFAULT_SHOWN.map(String::from))?;
    let shown: Vec<usize> = choices.iter().enumerate().filter(|(_, c)| c.shown).map(|(i, _)| i).collect();
    let month = q.month.unwrap_or_else(|| crate::params::MonthParam::default().0);
    let span = q.week.map_or(Span::Month(month), Span::Week);
    let view = service::rollup(&state, &user.me, span, q.level, q.parent).await?;
    let level = view.level.as_str();
    let span_label = match span {
        Span::Month(m) => super::format::month(m),
        Span::Week(_) => format!("the week of {}", view.from),
    };
    let week = q.week.map(|_| view.from.to_string()).unwrap_or_default();
    let span_query = match span {
        Span::Month(m) => format!("month={m}"),
        Span::Week(_) => format!("week={}", view.from),
    };
    let below = view.level.below();
    let kept = picker::query_part(&asked);
    let rows = view
        .units
        .iter()
        .map(|u| {
            let href = below
                .zip(u.id)
                .map(|(b, id)| format!("/wellbeing/rollup?{span_query}&level={}&parent={id}{kept}", b.as_str()));
            row(u, href, &shown)
        })
        .collect();
    let parent = view.parent.map(|p| format!("&parent={p}")).unwrap_or_default();
    let export_query = format!("{span_query}&level={level}{parent}");
    let labels: Vec<String> = view.units.iter().map(|u| u.name.clone()).collect();
    let values: Vec<Option<f64>> = view.units.iter().map(|u| u.any_flag_share.map(|s| s * 100.0)).collect();
    let chart = bar_chart(
        &format!("People with any fatigue flag, % of people with shifts, by {level}, {span_label} (higher is worse)"),
        &labels,
        &values,
        100.0,
    );
    Ok(Page(RollupPage {
        nav: Some(Nav::new(&user, "/wellbeing/rollup")),
        month: month.to_string(),
        week,
        span_label,
        level,
        levels: vec!["site", "account", "team"],
        span_query,
        export_query,
        chart,
        headings: shown.iter().map(|&i| (all[i].1.clone(), i + 1 < all.len())).collect(),
        total: row(&view.total, None, &shown),
        rows,
        shown_names: shown.iter().map(|&i| all[i].1.as_str()).collect::<Vec<_>>().join(", "),
        keep: keep_fields(&view, q.level.is_some()),
        choices,
        picker_action: "/wellbeing/rollup",
        asked,
        view,
    }))
}
