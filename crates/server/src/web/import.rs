//! Importing people and KPI files from the browser: upload, follow the progress, read the
//! report (every problem with its row, column and value).

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::{message_page, Nav, Page, PageResult, WebUser};
use crate::error::ApiError;
use crate::service::imports::{self, Kind, MappingChoice};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    nav: Option<Nav>,
    csrf: String,
    presets: Vec<&'static str>,
    error: Option<String>,
}

pub async fn show(user: WebUser) -> PageResult<Response> {
    user.me.require(ladder_core::access::Action::Import)?;
    Ok(form_page(&user, None))
}

fn form_page(user: &WebUser, error: Option<String>) -> Response {
    Page(ImportPage {
        nav: Some(Nav::new(user, "/import")),
        csrf: user.csrf.clone(),
        presets: ladder_import::mapping::PRESETS.iter().map(|(n, _)| *n).collect(),
        error,
    })
    .into_response()
}

/// Reads the multipart form: the CSRF token must come before the file.
pub async fn upload(State(state): State<AppState>, user: WebUser, mut multipart: Multipart) -> PageResult<Response> {
    let (mut csrf, mut kind, mut mapping, mut dry_run, mut file) = (String::new(), Kind::Kpi, None, false, None);
    let mut ignore_unknown = false;
    let mut written_mapping = None;
    let (mut replace_months, mut skip_bad_rows) = (false, false);
    let mut kpi = imports::KpiChoices::default();
    // A date or month is at most a few characters: a longer field is cut, then refused.
    let short = |text: String| Some(text.chars().take(32).collect::<String>());
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Ok(form_page(&user, Some(format!("The upload failed: {e}")))),
        };
        match field.name().unwrap_or_default() {
            "_csrf" => csrf = field.text().await.unwrap_or_default(),
            "kind" => kind = if field.text().await.unwrap_or_default() == "people" { Kind::People } else { Kind::Kpi },
            "mapping" => mapping = Some(field.text().await.unwrap_or_default()).filter(|m| !m.is_empty()),
            "dry_run" => dry_run = true,
            "ignore_unknown" => ignore_unknown = true,
            "replace_months" => replace_months = true,
            "skip_bad_rows" => skip_bad_rows = true,
            "date" => kpi.date = short(field.text().await.unwrap_or_default()),
            "period" => kpi.period = short(field.text().await.unwrap_or_default()),
            "split_intervals" => kpi.split_intervals = true,
            "mapping_file" => {
                let name = field.file_name().unwrap_or("mapping.toml").to_string();
                match field.bytes().await.map(|b| String::from_utf8(b.to_vec())) {
                    Ok(Ok(text)) if text.len() > imports::MAX_MAPPING_BYTES => {
                        let limit = imports::MAX_MAPPING_BYTES / 1024;
                        return Ok(form_page(&user, Some(format!("The mapping file {name} is over {limit} KB."))));
                    }
                    Ok(Ok(text)) if !text.trim().is_empty() => written_mapping = Some((name, text)),
                    Ok(Ok(_)) => {}
                    Ok(Err(_)) => {
                        return Ok(form_page(&user, Some(format!("The mapping file {name} is not UTF-8 text."))))
                    }
                    Err(e) => return Ok(form_page(&user, Some(format!("The upload failed: {e}")))),
                }
            }
            "file" => {
                if csrf.is_empty() || csrf != user.csrf {
                    break;
                }
                let name = field.file_name().unwrap_or("upload.csv").to_string();
                match field.bytes().await {
                    Ok(b) => file = Some((name, b.to_vec())),
                    Err(e) => return Ok(form_page(&user, Some(format!("The upload failed: {e}")))),
                }
            }
            _ => {}
        }
    }
    if csrf.is_empty() || csrf != user.csrf {
        return Ok(message_page(StatusCode::FORBIDDEN, "Form expired", "Reload the page and try again.", None));
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Ok(form_page(&user, Some("Choose a file to import.".into())));
    };
    let mapping = match written_mapping {
        Some((name, text)) => MappingChoice::Written { name, text },
        None => MappingChoice::Preset(mapping),
    };
    let upload = imports::Upload {
        kind,
        mapping,
        file_name: name,
        bytes,
        dry_run,
        ignore_unknown,
        replace_months,
        skip_bad_rows,
        kpi,
    };
    let id = match imports::start(&state, &user.me, upload).await {
        Ok(id) => id,
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY || e.status == StatusCode::BAD_REQUEST => {
            return Ok(form_page(&user, Some(e.message)))
        }
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!("/import/jobs/{id}")).into_response())
}

pub struct CountRow {
    pub label: String,
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
}

#[derive(Template)]
#[template(path = "import_job.html")]
struct JobPage {
    nav: Option<Nav>,
    running: bool,
    /// What the import is doing, for the status line.
    phase: &'static str,
    percent: u32,
    rows: u64,
    error: Option<String>,
    report: Option<ladder_import::Report>,
    /// A shift file's report.
    shifts: Option<ladder_import::shifts::ShiftReport>,
    /// The upload form to go back to.
    again: &'static str,
    counts: Vec<CountRow>,
    /// The job's id, for the link to its rejects file.
    id: String,
    has_rejects: bool,
}

pub async fn job(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<String>,
) -> PageResult<Page<impl Template>> {
    let job =
        state.imports.get(&id).filter(|j| j.owner == user.me.user.id).ok_or_else(|| ApiError::not_found("import"))?;
    let running = job.running();
    let counts = job
        .report
        .as_ref()
        .map(|r| {
            r.counts
                .iter()
                .map(|(label, c)| CountRow {
                    label: label.clone(),
                    new: c.new,
                    updated: c.updated,
                    unchanged: c.unchanged,
                })
                .collect()
        })
        .unwrap_or_default();
    let has_rejects = job.rejects.is_some();
    // A shift job's report is of its own kind; a failed job has none, and its error came from
    // either form, so the link goes to the general one.
    let again = if job.shifts.is_some() { "/import/shifts" } else { "/import" };
    Ok(Page(JobPage {
        nav: Some(Nav::new(&user, "/import")),
        id,
        has_rejects,
        running,
        phase: match job.progress.map(|p| p.phase) {
            None | Some(ladder_import::Phase::Reading) => "Reading the file",
            Some(ladder_import::Phase::Writing) => "Writing",
            Some(ladder_import::Phase::Summarising) => "Counting the changes",
            Some(ladder_import::Phase::Finishing) => "Finishing",
        },
        percent: job.progress.map_or(0, |p| (p.fraction() * 100.0).round() as u32),
        rows: job.progress.map_or(0, |p| p.rows),
        error: job.error,
        report: job.report,
        shifts: job.shifts,
        again,
        counts,
    }))
}

/// The rows an import that skipped bad rows left out, as CSV with a reason column.
pub async fn rejects(State(state): State<AppState>, user: WebUser, Path(id): Path<String>) -> PageResult<Response> {
    let job =
        state.imports.get(&id).filter(|j| j.owner == user.me.user.id).ok_or_else(|| ApiError::not_found("import"))?;
    let csv = job.rejects.as_deref().map(str::to_string).ok_or_else(|| ApiError::not_found("rejects file"))?;
    let name = job.report.as_ref().map_or("import".to_string(), |r| {
        let stem = r.file.rsplit_once('.').map_or(r.file.as_str(), |(stem, _)| stem);
        stem.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).collect()
    });
    let disposition = format!("attachment; filename=\"{name}.rejects.csv\"");
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        csv,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(running: bool, report: Option<ladder_import::Report>) -> String {
        page_with(None, running, report)
    }

    fn page_with(nav: Option<Nav>, running: bool, report: Option<ladder_import::Report>) -> String {
        let page = JobPage {
            nav,
            running,
            phase: "Writing",
            percent: 42,
            rows: 1234,
            error: None,
            report,
            shifts: None,
            again: "/import",
            counts: Vec::new(),
            id: "job".into(),
            has_rejects: false,
        };
        page.render().expect("the page renders")
    }

    #[test]
    fn a_running_import_shows_its_progress_and_refreshes_until_done() {
        let running = page(true, None);
        assert!(running.contains(r#"<meta http-equiv="refresh" content="1">"#), "{running}");
        assert!(running.contains("Writing… 1234 rows read."), "{running}");
        assert!(running.contains(r#"<progress id="progress" max="100" value="42">"#), "{running}");
        assert!(running.contains(r#"<label for="progress">"#), "the bar is labelled: {running}");

        let report = ladder_import::Report {
            kind: ladder_import::report::Kind::Kpi,
            file: "march.csv".into(),
            mapping: "ladder-long".into(),
            sha256: None,
            dry_run: false,
            committed: true,
            rows: 1,
            counts: Vec::new(),
            changes: Vec::new(),
            problems: Vec::new(),
            problem_count: 0,
            unknown: ladder_import::report::Unknown {
                rows: 3,
                distinct: 2,
                distinct_exact: true,
                values: vec![("QA_TEMPLATE".into(), 2), ("admin@acme".into(), 1)],
            },
            problem_summary: Vec::new(),
            months: vec!["2025-03".into()],
            people: 1,
            replacements: Vec::new(),
            replacement_count: 0,
            rows_rejected: 0,
            rows_rejected_written: 0,
            blocking: 0,
            skipped: vec![("not answered by an agent".into(), 3)],
            warnings: Vec::new(),
            warning_count: 0,
            import_id: Some(1),
            reads: 1,
            elapsed_ms: 5,
        };
        let done = page(false, Some(report));
        assert!(done.contains("Imported march.csv: 1 row."), "{done}");
        assert!(
            done.contains("3 rows about 2 unknown people were left out")
                && done.contains("<td>QA_TEMPLATE</td><td class=\"num\">2</td>"),
            "the people left out are listed: {done}"
        );
        assert!(done.contains("Skipped 3 rows: not answered by an agent."), "{done}");
        assert!(!done.contains("http-equiv=\"refresh\""), "a finished import stops refreshing: {done}");
        assert!(!done.contains("<progress"), "{done}");
        assert!(done.contains(r#"<a href="/import">Import another file</a>"#), "{done}");
    }

    #[test]
    fn the_import_result_page_has_the_site_header_with_sign_out_and_the_footer() {
        let nav = Nav { items: Vec::new(), csrf: "token".into(), on_notifications: false };
        let html = page_with(Some(nav), false, None);
        assert!(html.contains(r#"action="/signout""#) && html.contains("Sign out"), "{html}");
        assert!(html.contains("<footer>"), "{html}");
        assert_eq!(html.matches("<header").count(), 1, "one header: {html}");
    }
}
