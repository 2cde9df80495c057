//! The talent pipeline page: counts over everyone in scope, the 9-box (each cell a link to its
//! people), the filter form and the paged list. Everything comes from `service::pipeline`.

use askama::Template;
use axum::extract::State;

use super::charts::bar_chart;
use super::format::thousands;
use super::{Nav, Page, PageQuery, PageResult, WebUser};
use crate::service::export::Format;
use crate::service::pipeline::{self, NineBoxBand, PipelineEntry, PipelineExport, PipelineQuery, PipelineSort, Stage};
use crate::state::AppState;

/// More teams than this in scope: the form asks for a team's number instead of listing them.
const MAX_LISTED_TEAMS: usize = 300;

pub struct BoxCell {
    pub label: String,
    pub people: String,
    pub href: String,
}

/// One field's choices: (value, label, selected).
pub type Options = Vec<(String, String, bool)>;

#[derive(Template)]
#[template(path = "pipeline.html")]
struct PipelinePage {
    nav: Option<Nav>,
    refreshing: Option<String>,
    total: String,
    ready: String,
    nearly: String,
    chart: String,
    /// Rows from high to low performance (then no data); columns from low to high readiness.
    ninebox: Vec<Vec<BoxCell>>,
    sites: Options,
    accounts: Options,
    teams: Option<Options>,
    team: String,
    roles: Options,
    next_roles: Options,
    stages: Options,
    performance_bands: Options,
    readiness_bands: Options,
    sorts: Options,
    slipping: bool,
    entries: Vec<PipelineEntry>,
    shown: String,
    next: Option<String>,
    first: Option<String>,
    /// The whole list with these filters and order, as CSV and as XLSX.
    downloads: [String; 2],
}

/// The page's address with `q`'s filters and order (and cursor, if any).
fn href(q: &PipelineQuery) -> String {
    let query = serde_urlencoded::to_string(q).unwrap_or_default();
    if query.is_empty() {
        "/pipeline".into()
    } else {
        format!("/pipeline?{query}")
    }
}

/// The download of the whole list with `q`'s filters and order.
fn download_href(q: &PipelineQuery, format: Format) -> String {
    let f = q.filter();
    let export = PipelineExport {
        site: f.site,
        account: f.account,
        team: f.team,
        role: f.role,
        next_role: f.next_role,
        stage: f.stage,
        performance_band: f.performance_band,
        readiness_band: f.readiness_band,
        no_data: f.no_data,
        slipping: f.slipping,
        sort: q.sort,
        format: Some(format),
    };
    format!("/api/v1/pipeline/export?{}", serde_urlencoded::to_string(&export).unwrap_or_default())
}

fn options<T: PartialEq>(all: impl IntoIterator<Item = (T, String, String)>, chosen: Option<T>) -> Options {
    all.into_iter().map(|(v, id, label)| (id, label, chosen.as_ref() == Some(&v))).collect()
}

pub async fn show(
    State(state): State<AppState>,
    user: WebUser,
    PageQuery(q): PageQuery<PipelineQuery>,
) -> PageResult<Page<impl Template>> {
    let me = &user.me;
    let summary = pipeline::summary(&state, me, &q.filter()).await?;
    let listing = pipeline::pipeline(&state, me, &q).await?;
    let choices = pipeline::choices(&state, me, MAX_LISTED_TEAMS).await?;
    let first = pipeline::first_position(&q);
    let ninebox = NineBoxBand::ALL
        .iter()
        .map(|perf| {
            summary
                .cells
                .iter()
                .filter(|c| c.performance_band == *perf)
                .map(|c| {
                    let performance = match perf {
                        NineBoxBand::NoData => "not enough data to score performance".to_string(),
                        other => format!("{other} performance"),
                    };
                    let cell = PipelineQuery {
                        performance_band: Some(c.performance_band),
                        readiness_band: Some(c.readiness_band),
                        cursor: None,
                        ..q.clone()
                    };
                    BoxCell {
                        label: format!("{performance}, {} readiness", c.readiness_band),
                        people: thousands(c.people),
                        href: href(&cell),
                    }
                })
                .collect()
        })
        .collect();
    let stage_values = [Some(summary.ready as f64), Some(summary.nearly as f64), Some(summary.developing as f64)];
    let chart = bar_chart(
        "People by stage",
        &["Ready".to_string(), "Nearly ready".to_string(), "Developing".to_string()],
        &stage_values,
        (summary.total.max(1) as f64) * 1.1,
    );
    let roles: Vec<(String, String, String)> =
        state.framework.roles.iter().map(|r| (r.id.clone(), r.id.clone(), r.name.clone())).collect();
    let id_options = |list: &[(i64, String)], chosen: Option<i64>| {
        options(list.iter().map(|(id, n)| (*id, id.to_string(), n.clone())), chosen)
    };
    let last = first - 1 + listing.items.len() as u64;
    Ok(Page(PipelinePage {
        nav: Some(Nav::new(&user, "/pipeline")),
        refreshing: summary.refreshing.map(thousands),
        total: thousands(summary.total),
        ready: thousands(summary.ready),
        nearly: thousands(summary.nearly),
        chart,
        ninebox,
        sites: id_options(&choices.sites, q.site),
        accounts: id_options(&choices.accounts, q.account),
        teams: choices.teams.map(|t| {
            let t: Vec<(i64, String)> = t.into_iter().map(|(id, n)| (id.0, n)).collect();
            id_options(&t, q.team)
        }),
        team: q.team.map(|t| t.to_string()).unwrap_or_default(),
        roles: options(roles.clone(), q.role.clone()),
        next_roles: options(roles, q.next_role.clone()),
        stages: options(Stage::ALL.map(|s| (s, s.to_string(), s.to_string())), q.stage),
        performance_bands: options(NineBoxBand::ALL.map(|b| (b, b.to_string(), b.to_string())), q.performance_band),
        readiness_bands: options(
            NineBoxBand::ALL[..3].iter().map(|b| (*b, b.to_string(), b.to_string())),
            q.readiness_band,
        ),
        sorts: options(
            [
                (PipelineSort::Readiness, "readiness", "Readiness"),
                (PipelineSort::Name, "name", "Name"),
                (PipelineSort::Performance, "performance", "Performance"),
                (PipelineSort::Trend, "trend", "Trend (falling first)"),
            ]
            .map(|(v, id, label)| (v, id.to_string(), label.to_string())),
            Some(q.sort.unwrap_or_default()),
        ),
        slipping: q.slipping == Some(true),
        shown: if listing.items.is_empty() {
            format!("0 of {}", thousands(listing.total))
        } else {
            format!("{}–{} of {}", thousands(first), thousands(last), thousands(listing.total))
        },
        next: listing.next.map(|c| href(&PipelineQuery { cursor: Some(c), ..q.clone() })),
        first: q.cursor.is_some().then(|| href(&PipelineQuery { cursor: None, ..q.clone() })),
        downloads: [Format::Csv, Format::Xlsx].map(|f| download_href(&q, f)),
        entries: listing.items,
    }))
}
