//! Uploading a shift file from the browser (`/import/shifts`): a schedule or a time-clock
//! export in one of the shift presets; the report (every problem by row, column and value)
//! shows on the same page.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ladder_import::shifts::ShiftReport;

use super::{message_page, Nav, Page, PageResult, WebUser};
use crate::service::shift_upload;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "shift_import.html")]
struct ShiftImportPage {
    nav: Option<Nav>,
    csrf: String,
    presets: Vec<&'static str>,
    error: Option<String>,
    report: Option<ShiftReport>,
}

fn form_page(user: &WebUser, error: Option<String>, report: Option<ShiftReport>) -> Response {
    Page(ShiftImportPage {
        nav: Some(Nav::new(user, "/import")),
        csrf: user.csrf.clone(),
        presets: ladder_import::shifts::preset_names(),
        error,
        report,
    })
    .into_response()
}

pub async fn show(user: WebUser) -> PageResult<Response> {
    user.me.require(ladder_core::access::Action::Import)?;
    Ok(form_page(&user, None, None))
}

/// Reads the multipart form (the CSRF token before the file), imports, shows the report.
pub async fn upload(State(state): State<AppState>, user: WebUser, mut multipart: Multipart) -> PageResult<Response> {
    user.me.require(ladder_core::access::Action::Import)?;
    let (mut csrf, mut mapping, mut dry_run, mut file) = (String::new(), String::new(), false, None);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Ok(form_page(&user, Some(format!("The upload failed: {e}")), None)),
        };
        match field.name().unwrap_or_default() {
            "_csrf" => csrf = field.text().await.unwrap_or_default(),
            "mapping" => {
                let text = field.text().await.unwrap_or_default();
                mapping = text.chars().take(shift_upload::MAX_PRESET_CHARS + 1).collect();
            }
            "dry_run" => dry_run = true,
            "file" => {
                if csrf.is_empty() || csrf != user.csrf {
                    break;
                }
                let name = field.file_name().unwrap_or("shifts.csv").to_string();
                match field.bytes().await {
                    Ok(b) => file = Some((name, b.to_vec())),
                    Err(e) => return Ok(form_page(&user, Some(format!("The upload failed: {e}")), None)),
                }
            }
            _ => {}
        }
    }
    if csrf.is_empty() || csrf != user.csrf {
        return Ok(message_page(StatusCode::FORBIDDEN, "Form expired", "Reload the page and try again.", None));
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Ok(form_page(&user, Some("Choose a file to import.".into()), None));
    };
    match shift_upload::import(&state, &user.me, &mapping, &name, bytes, dry_run).await {
        Ok(report) => Ok(form_page(&user, None, Some(report))),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => Ok(form_page(&user, Some(e.message), None)),
        Err(e) => Err(e.into()),
    }
}
