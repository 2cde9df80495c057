//! The pipeline as a CSV or XLSX file, with the list's filters and order: every row, not one
//! page (at most `export::MAX_ROWS`; a longer list is a 422 asking for a filter).

use ladder_store::pipeline as store;

use super::read::{store_filter, PipelineExport};
use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::service::career::role_name;
use crate::service::export::{self, Cell, Format, Table};
use crate::state::AppState;

/// Rows read from the store per statement while building the file.
const BATCH: i64 = 5_000;

/// The file's format, which the caller must name.
pub fn format_of(q: &PipelineExport) -> ApiResult<Format> {
    q.format.ok_or_else(|| ApiError::invalid("format", "say which file: csv or xlsx"))
}

/// Every row of the pipeline the filters select, in the list's order, as a table.
pub async fn pipeline_table(state: &AppState, me: &Me, q: &PipelineExport) -> ApiResult<Table> {
    let filter = store_filter(state, me, &q.filter()).await?;
    export::check_size(store::count(&state.db, &filter).await?, "account")?;
    let sort = q.sort.unwrap_or_default().store();
    let mut table = Table {
        header: vec![
            "id",
            "name",
            "team",
            "current role",
            "next role",
            "readiness %",
            "ready",
            "stage",
            "performance",
            "performance band",
            "readiness band",
            "trend per month",
            "slipping",
            "forecast",
        ],
        rows: Vec::new(),
    };
    let mut after = None;
    loop {
        let rows = store::page(&state.db, &filter, sort, after.take(), BATCH).await?;
        let Some(last) = rows.last() else { break };
        after = Some((last.key(sort), last.employee_id));
        let teams = store::team_names(&state.db, &rows.iter().filter_map(|r| r.team_id).collect::<Vec<_>>()).await?;
        for r in rows {
            let yes_no = |b: bool| Cell::Text(if b { "yes" } else { "no" }.into());
            let current = state.framework.role(&r.role_id).map_or_else(|| r.role_id.clone(), |x| x.name.clone());
            table.rows.push(vec![
                Cell::Number(r.employee_id.0 as f64),
                Cell::Text(r.name),
                Cell::from(r.team_id.and_then(|t| teams.get(&t).cloned())),
                Cell::Text(current),
                Cell::Text(role_name(state, r.next_role.as_deref().unwrap_or_default())),
                Cell::Number(r.readiness_percent),
                yes_no(r.ready),
                Cell::Text(r.stage),
                r.performance.map_or(Cell::Empty, |p| Cell::Number(tenth(p))),
                Cell::Text(r.performance_band),
                Cell::Text(r.readiness_band),
                r.trend_per_month.map_or(Cell::Empty, |t| Cell::Number(tenth(t))),
                yes_no(r.slipping),
                r.forecast.map_or(Cell::Empty, Cell::Date),
            ]);
        }
    }
    Ok(table)
}

/// Scores and trends to one decimal, as the pages show them.
fn tenth(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
