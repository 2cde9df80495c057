//! Managers and HR: roll-ups by team, account and site (the pipeline is `web::pipeline`).

use askama::Template;
use axum::extract::State;
use ladder_store::kra::Level;
use serde::Deserialize;

use super::charts::bar_chart_in;
use super::format;
use super::{Nav, Page, PageQuery, PageResult, WebUser};
use crate::params::MonthParam;
use crate::service::scorecards;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct OrgQuery {
    /// `team`, `account` (when left out) or `site`; anything else is refused, as on the API.
    level: Option<Level>,
    #[serde(default)]
    month: MonthParam,
    metric: Option<String>,
}

pub struct GroupRow {
    pub name: String,
    pub people: usize,
    pub values: Vec<String>,
}

#[derive(Template)]
#[template(path = "org.html")]
struct OrgPage {
    nav: Option<Nav>,
    level: String,
    month: String,
    month_label: String,
    columns: Vec<(String, String)>,
    rows: Vec<GroupRow>,
    metric: String,
    chart: String,
    /// Stored scores left to recompute, while there are any.
    recomputing: Option<i64>,
}

pub async fn show(
    State(state): State<AppState>,
    user: WebUser,
    PageQuery(q): PageQuery<OrgQuery>,
) -> PageResult<Page<impl Template>> {
    Ok(Page(build(&state, &user, &q).await?))
}

async fn build(state: &AppState, user: &WebUser, q: &OrgQuery) -> PageResult<OrgPage> {
    let level = q.level.unwrap_or(Level::Account);
    let level_name = match level {
        Level::Team => "team",
        Level::Account => "account",
        Level::Site => "site",
    };
    let month = q.month.0;
    let rollup = scorecards::rollup(state, &user.me, level, month, month).await?;
    let mut columns: Vec<(String, String)> = Vec::new();
    for g in &rollup.groups {
        for t in &g.totals {
            if !columns.iter().any(|(id, _)| *id == t.metric) {
                columns.push((t.metric.clone(), t.metric_name.clone()));
            }
        }
    }
    let unit = |m: &str| state.framework.metric(m).map_or(ladder_core::framework::Unit::Count, |x| x.unit);
    let rows: Vec<GroupRow> = rollup
        .groups
        .iter()
        .map(|g| GroupRow {
            name: g.name.clone(),
            people: g.totals.iter().map(|t| t.people).max().unwrap_or(0),
            values: columns
                .iter()
                .map(|(id, _)| {
                    g.totals
                        .iter()
                        .find(|t| &t.metric == id)
                        .map(|t| format::value(t.value, unit(id)))
                        .unwrap_or_default()
                })
                .collect(),
        })
        .collect();
    let metric = q
        .metric
        .clone()
        .filter(|m| columns.iter().any(|(id, _)| id == m))
        .or_else(|| columns.first().map(|c| c.0.clone()))
        .unwrap_or_default();
    let values: Vec<Option<f64>> =
        rollup.groups.iter().map(|g| g.totals.iter().find(|t| t.metric == metric).and_then(|t| t.value)).collect();
    let max = values.iter().flatten().copied().fold(0.0f64, f64::max).max(1.0) * 1.1;
    let metric_name = columns.iter().find(|(id, _)| *id == metric).map(|c| c.1.clone()).unwrap_or_default();
    // The chart's figures read as the table's do (AHT as m:ss).
    let metric_unit = unit(&metric);
    let chart = bar_chart_in(
        &format!("{metric_name} by {level_name}, {}", format::month(month)),
        &rollup.groups.iter().map(|g| g.name.clone()).collect::<Vec<_>>(),
        &values,
        max,
        &|v| metric_unit.show(v),
    );
    Ok(OrgPage {
        nav: Some(Nav::new(user, "/org")),
        level: level_name.into(),
        month: month.to_string(),
        month_label: format::month(month),
        columns,
        rows,
        metric,
        chart,
        recomputing: crate::service::stored_scores::recomputing(state).await?,
    })
}
