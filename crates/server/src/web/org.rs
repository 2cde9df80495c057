//! Managers and HR: roll-ups by team, account and site (the pipeline is `web::pipeline`). The
//! table shows the organisation's most weighted few metrics; the picker shows others.

use askama::Template;
use axum::extract::State;
use ladder_store::kra::Level;
use serde::Deserialize;

use super::charts::bar_chart_in;
use super::format;
use super::picker::{self, Choice, PickQuery};
use super::{Nav, Page, PageResult, WebUser};
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
    /// Every metric of the month (the chart may show any); the table shows `shown` of them.
    columns: Vec<(String, String)>,
    shown: Vec<(String, String)>,
    rows: Vec<GroupRow>,
    metric: String,
    /// The picker: every metric, those shown marked; the other fields its form keeps.
    choices: Vec<Choice>,
    shown_names: String,
    picker_action: &'static str,
    keep: Vec<(String, String)>,
    /// The metrics asked for, kept by the level and month form.
    asked: Vec<String>,
    chart: String,
    /// Stored scores left to recompute, while there are any.
    recomputing: Option<i64>,
}

pub async fn show(
    State(state): State<AppState>,
    user: WebUser,
    PickQuery { query: q, metrics }: PickQuery<OrgQuery>,
) -> PageResult<Page<impl Template>> {
    Ok(Page(build(&state, &user, &q, metrics).await?))
}

/// How many metrics the table shows unless others are chosen.
const DEFAULT_SHOWN: usize = 4;

/// The `DEFAULT_SHOWN` of `columns` the organisation weighs most: their weights summed over
/// every role's KRA template (ties in the columns' order).
fn most_weighted(framework: &ladder_core::Framework, columns: &[(String, String)]) -> Vec<String> {
    let weight = |metric: &str| -> f64 {
        framework.roles.iter().flat_map(|r| &r.kras).filter(|k| k.metric == metric).map(|k| k.weight).sum()
    };
    let mut ranked: Vec<(f64, usize)> = columns.iter().enumerate().map(|(i, (id, _))| (weight(id), i)).collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.into_iter().take(DEFAULT_SHOWN).map(|(_, i)| columns[i].0.clone()).collect()
}

/// The metrics with figures in the roll-up (id, name), in the order they first come.
fn metrics_of(rollup: &scorecards::Rollup) -> Vec<(String, String)> {
    let mut columns: Vec<(String, String)> = Vec::new();
    for t in rollup.groups.iter().flat_map(|g| &g.totals) {
        if !columns.iter().any(|(id, _)| *id == t.metric) {
            columns.push((t.metric.clone(), t.metric_name.clone()));
        }
    }
    columns
}

async fn build(state: &AppState, user: &WebUser, q: &OrgQuery, asked: Vec<String>) -> PageResult<OrgPage> {
    let level = q.level.unwrap_or(Level::Account);
    let level_name = match level {
        Level::Team => "team",
        Level::Account => "account",
        Level::Site => "site",
    };
    let month = q.month.0;
    let rollup = scorecards::rollup(state, &user.me, level, month, month).await?;
    let columns = metrics_of(&rollup);
    // Any metric of the framework may be asked for, though a month may have no figures of it.
    let mut offered = columns.clone();
    for m in &state.framework.metrics {
        if !offered.iter().any(|(id, _)| *id == m.id) {
            offered.push((m.id.clone(), m.name.clone()));
        }
    }
    let choices = picker::choose(&offered, &asked, &most_weighted(&state.framework, &columns))?;
    let shown: Vec<(String, String)> =
        choices.iter().filter(|c| c.shown).map(|c| (c.id.clone(), c.name.clone())).collect();
    let unit = |m: &str| state.framework.metric(m).map_or(ladder_core::framework::Unit::Count, |x| x.unit);
    let rows: Vec<GroupRow> = rollup
        .groups
        .iter()
        .map(|g| GroupRow {
            name: g.name.clone(),
            people: g.totals.iter().map(|t| t.people).max().unwrap_or(0),
            values: shown
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
        .or_else(|| shown.iter().find(|(id, _)| columns.iter().any(|c| c.0 == *id)).map(|c| c.0.clone()))
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
    let shown_names = shown.iter().map(|(_, name)| name.as_str()).collect::<Vec<_>>().join(", ");
    let keep = vec![
        ("level".into(), level_name.into()),
        ("month".into(), month.to_string()),
        ("metric".into(), metric.clone()),
    ];
    Ok(OrgPage {
        nav: Some(Nav::new(user, "/org")),
        level: level_name.into(),
        month: month.to_string(),
        month_label: format::month(month),
        columns,
        shown,
        rows,
        metric,
        choices,
        shown_names,
        picker_action: "/org",
        keep,
        asked,
        chart,
        recomputing: crate::service::stored_scores::recomputing(state).await?,
    })
}
