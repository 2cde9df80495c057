//! The headcount page (issue 25): people by site, account, role or tenure band at a month's end,
//! the month's joiners, leavers and promotions, and the attrition rate in words and as a chart;
//! with CSV and XLSX downloads of the same view (the API's export, signed in by the session).

use askama::Template;
use axum::extract::State;
use serde::Deserialize;

use super::charts::bar_chart;
use super::format;
use super::{Nav, Page, PageQuery, PageResult, WebUser};
use crate::params::MonthParam;
use crate::service::headcount::{self, GroupView, Level};
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadcountQuery {
    #[serde(default)]
    month: MonthParam,
    #[serde(default)]
    level: Level,
}

#[derive(Template)]
#[template(path = "headcount.html")]
struct HeadcountPage {
    nav: Option<Nav>,
    month: String,
    month_label: String,
    level: &'static str,
    levels: Vec<&'static str>,
    groups: Vec<GroupView>,
    total: GroupView,
    summary: String,
    headcount_chart: String,
    attrition_chart: String,
}

impl HeadcountPage {
    fn percent(&self, g: &GroupView) -> String {
        g.attrition.map_or("—".into(), |a| format!("{:.1} %", a * 100.0))
    }
}

pub async fn show(
    State(state): State<AppState>,
    user: WebUser,
    PageQuery(q): PageQuery<HeadcountQuery>,
) -> PageResult<Page<impl Template>> {
    let view = headcount::headcount(&state, &user.me, q.month.0, q.level).await?;
    let month_label = format::month(q.month.0);
    let labels: Vec<String> = view.groups.iter().map(|g| g.name.clone()).collect();
    let ends: Vec<Option<f64>> = view.groups.iter().map(|g| Some(g.end as f64)).collect();
    let rates: Vec<Option<f64>> = view.groups.iter().map(|g| g.attrition.map(|a| a * 100.0)).collect();
    let top = |values: &[Option<f64>]| values.iter().flatten().copied().fold(0.0f64, f64::max).max(1.0) * 1.1;
    let level = q.level.as_str();
    let page = HeadcountPage {
        nav: Some(Nav::new(&user, "/headcount")),
        month: view.month.clone(),
        headcount_chart: bar_chart(
            &format!("People at the end of {month_label}, by {level}"),
            &labels,
            &ends,
            top(&ends),
        ),
        attrition_chart: bar_chart(&format!("Attrition in {month_label}, %, by {level}"), &labels, &rates, top(&rates)),
        month_label,
        level,
        levels: Level::ALL.iter().map(|l| l.as_str()).collect(),
        summary: view.total.in_words(),
        total: view.total,
        groups: view.groups,
    };
    Ok(Page(page))
}
