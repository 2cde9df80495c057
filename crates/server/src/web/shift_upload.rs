//! Uploading a shift file from the browser (`/import/shifts`): a schedule or a time-clock
//! export in one of the shift presets, run as an import job: the upload goes to the job's page
//! (`/import/jobs/{id}`), which shows the progress, then the report (every problem by row,
//! column and value).

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

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
}

fn form_page(user: &WebUser, error: Option<String>) -> Response {
    Page(ShiftImportPage {
        nav: Some(Nav::new(user, "/import")),
        csrf: user.csrf.clone(),
        presets: ladder_import::shifts::preset_names(),
        error,
    })
    .into_response()
}

pub async fn show(user: WebUser) -> PageResult<Response> {
    user.me.require(ladder_core::access::Action::Import)?;
    Ok(form_page(&user, None))
}

/// Reads the multipart form (the CSRF token before the file) and starts the job.
pub async fn upload(State(state): State<AppState>, user: WebUser, mut multipart: Multipart) -> PageResult<Response> {
    user.me.require(ladder_core::access::Action::Import)?;
    let (mut csrf, mut mapping, mut dry_run, mut file) = (String::new(), String::new(), false, None);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Ok(form_page(&user, Some(format!("The upload failed: {e}")))),
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
    let upload = shift_upload::ShiftUpload { preset: mapping, file_name: name, bytes, dry_run };
    match shift_upload::start(&state, &user.me, upload).await {
        Ok(id) => Ok(Redirect::to(&format!("/import/jobs/{id}")).into_response()),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => Ok(form_page(&user, Some(e.message))),
        Err(e) => Err(e.into()),
    }
}
