//! What a page handler returns: a rendered template ([`Page`]) or a [`PageError`] shown as a
//! message page, so handlers use `?` on the service layer like the API does.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::error_page::{self, ErrorPage};
use super::WebUser;
use crate::error::ApiError;
use crate::state::AppState;

/// A template rendered as the response (500 if rendering fails).
pub struct Page<T>(pub T);

impl<T: Template> IntoResponse for Page<T> {
    fn into_response(self) -> Response {
        match self.0.render() {
            Ok(html) => Html(html).into_response(),
            Err(e) => ApiError::internal(e).into_response(),
        }
    }
}

/// Why a page could not be shown.
#[derive(Debug)]
pub enum PageError {
    /// Refused or failed in the service layer (403, 404, 422, 500…).
    Api(ApiError),
    /// An address the page cannot read, such as `?month=March`.
    BadQuery(ApiError),
    /// A personal page asked for by someone without an employee record (HR, admins).
    NoRecord,
}

pub type PageResult<T> = Result<T, PageError>;

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> PageError {
        PageError::Api(e)
    }
}

impl From<ladder_store::StoreError> for PageError {
    fn from(e: ladder_store::StoreError) -> PageError {
        PageError::Api(e.into())
    }
}

impl From<QueryRejection> for PageError {
    fn from(e: QueryRejection) -> PageError {
        PageError::BadQuery(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::Api(e) => {
                let heading = match e.status {
                    StatusCode::FORBIDDEN => "Not yours to see",
                    StatusCode::NOT_FOUND => "Not found",
                    StatusCode::UNAUTHORIZED => "Please sign in",
                    _ => "Something went wrong",
                };
                let page = ErrorPage {
                    heading: heading.into(),
                    text: match e.status {
                        StatusCode::FORBIDDEN if e.code == "forbidden" => "This is outside your access.".into(),
                        _ => e.message.clone(),
                    },
                    link: Some(("/home".into(), "Back to home".into())),
                    refused: e.status == StatusCode::FORBIDDEN,
                };
                e.attach_cause(error_page::render(e.status, &page, None, None))
            }
            PageError::BadQuery(e) => {
                let text = match &e.field {
                    Some(field) => format!("{field}: {}", e.message),
                    None => e.message.clone(),
                };
                message_page(e.status, "Check the address", &text, Some(("/home", "Back to home")))
            }
            PageError::NoRecord => message_page(
                StatusCode::NOT_FOUND,
                "No personal record",
                "Your account is not linked to an employee record, so there is no personal plan or log here.",
                Some(("/home", "Back to home")),
            ),
        }
    }
}

/// A page's query string; one it cannot read is a [`PageError`] naming the field.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(PageError))]
pub struct PageQuery<T>(pub T);

/// The signed-in person's own employee record; [`PageError::NoRecord`] for people without one.
pub async fn own_employee(state: &AppState, user: &WebUser) -> PageResult<ladder_store::org::Employee> {
    let Some(id) = user.me.user.employee_id else { return Err(PageError::NoRecord) };
    Ok(ladder_store::org::employee(&state.db, id).await?)
}

/// A message page; on a page route it is shown inside the person's navigation
/// ([`error_page::dress`]).
pub fn message_page(status: StatusCode, heading: &str, text: &str, link: Option<(&str, &str)>) -> Response {
    let link = link.map(|(h, l)| (h.to_string(), l.to_string()));
    let page = ErrorPage { heading: heading.into(), text: text.into(), link, refused: false };
    error_page::render(status, &page, None, None)
}

/// A field's name as a form's label reads: `impact_value` as "Impact value", `kras[0]` as "Kras".
pub fn field_label(field: &str) -> String {
    let plain = field.split('[').next().unwrap_or(field).trim_start_matches('.').replace(['_', '.'], " ");
    let mut chars = plain.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "The form".to_string(),
    }
}

/// Shows a form again with the reason it was refused; an internal failure's cause still
/// reaches the log.
pub async fn form_again<R, F>(e: ApiError, show: impl FnOnce(String) -> F) -> PageResult<Response>
where
    R: IntoResponse,
    F: std::future::Future<Output = PageResult<R>>,
{
    let shown = show(e.message.clone()).await?.into_response();
    Ok(e.attach_cause(shown))
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn shown(e: PageError) -> (StatusCode, String, bool) {
        let response = e.into_response();
        let status = response.status();
        let has_cause = response.extensions().get::<crate::error::Cause>().is_some();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        (status, String::from_utf8_lossy(&body).into_owned(), has_cause)
    }

    #[tokio::test]
    async fn each_page_error_is_a_page_with_its_status() {
        let (status, html, _) = shown(PageError::NoRecord).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(html.contains("No personal record"), "{html}");

        let (status, html, _) = shown(ApiError::forbidden().into()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(html.contains("Not yours to see"), "{html}");

        let (status, html, has_cause) = shown(ApiError::internal("the disk went away").into()).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(html.contains("something went wrong on our side") && !html.contains("disk"), "{html}");
        assert!(has_cause, "the cause goes on to the logging layer");
    }

    #[tokio::test]
    async fn a_form_shown_again_keeps_an_internal_cause_for_the_log() {
        let again = form_again(ApiError::internal("lost"), |message| async move { Ok(message) }).await.unwrap();
        assert!(again.extensions().get::<crate::error::Cause>().is_some());
        let again = form_again(ApiError::invalid("title", "cannot be empty"), |m| async move { Ok(m) }).await.unwrap();
        assert!(again.extensions().get::<crate::error::Cause>().is_none());
    }
}
