//! One error page for the whole site: every 4xx/5xx a page route answers — a refused request, an
//! unknown path, an id the path cannot read — is shown inside the normal header, navigation and
//! footer, so a person who hits one can still find their way and sign out.
//!
//! Page handlers answer with [`super::message_page`], which renders without navigation (it
//! does not know who asks) and marks the response with an [`ErrorPage`]; [`dress`] renders it
//! again for the signed-in person. Answers axum gives by itself (an empty 404, a plain-text
//! 400 for an unreadable id, a 405) are turned into such a page too.

use askama::Template;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ladder_core::access::Access;

use super::{Nav, Page, WebUser};
use crate::state::AppState;

/// What a message page says, kept on its response so [`dress`] can render it with navigation.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub heading: String,
    pub text: String,
    pub link: Option<(String, String)>,
    /// A refusal by the access rules: the page says what was refused and why.
    pub refused: bool,
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage<'a> {
    nav: Option<Nav>,
    heading: &'a str,
    text: &'a str,
    more: Option<String>,
    link: Option<(&'a str, &'a str)>,
}

/// The message page, with navigation when `nav` is given.
pub fn render(status: StatusCode, page: &ErrorPage, nav: Option<Nav>, more: Option<String>) -> Response {
    let link = page.link.as_ref().map(|(h, l)| (h.as_str(), l.as_str()));
    let html = MessagePage { nav, heading: &page.heading, text: &page.text, more, link };
    let mut response = (status, Page(html)).into_response();
    response.extensions_mut().insert(page.clone());
    response
}

/// Re-renders a page route's error answer inside the signed-in person's navigation.
pub async fn dress(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let mut asked = parts.clone();
    let response = next.run(Request::from_parts(parts, body)).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let cause = response.extensions().get::<crate::error::Cause>().cloned();
    let allow: Vec<_> = response.headers().get_all(header::ALLOW).iter().cloned().collect();
    let page = match response.extensions().get::<ErrorPage>() {
        Some(page) => page.clone(),
        None if is_html(&response) => return response,
        None => plain_answer(status, response).await,
    };
    let user = WebUser::from_request_parts(&mut asked, &state).await.ok();
    let more = match (&user, page.refused) {
        (Some(user), true) => Some(why_refused(&asked.method, asked.uri.path(), user.me.actor.access)),
        _ => None,
    };
    let nav = user.as_ref().map(|u| Nav::new(u, ""));
    let mut dressed = render(status, &page, nav, more);
    if let Some(cause) = cause {
        dressed.extensions_mut().insert(cause);
    }
    for value in allow {
        dressed.headers_mut().append(header::ALLOW, value);
    }
    dressed
}

fn is_html(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// What axum answered by itself, in words.
async fn plain_answer(status: StatusCode, response: Response) -> ErrorPage {
    let body = axum::body::to_bytes(response.into_body(), 4 * 1024).await.unwrap_or_default();
    let said = String::from_utf8_lossy(&body).trim().chars().take(300).collect::<String>();
    let (heading, text) = match status {
        StatusCode::NOT_FOUND => {
            ("Not found", "There is no page at this address. The link may be old or mistyped.".to_string())
        }
        StatusCode::METHOD_NOT_ALLOWED => {
            ("Not here", "This address does not take that kind of request: open it as a link.".to_string())
        }
        StatusCode::PAYLOAD_TOO_LARGE => ("Too large", "What was sent is larger than this form takes.".to_string()),
        s if s.is_server_error() => ("Something went wrong", "Something went wrong on our side.".to_string()),
        _ if said.is_empty() => ("Check the address", "The app cannot read this address.".to_string()),
        _ => ("Check the address", format!("The app cannot read this address: {said}.")),
    };
    ErrorPage { heading: heading.into(), text, link: Some(("/home".into(), "Back to home".into())), refused: false }
}

/// What was refused and which access rule refuses it, for someone signed in as `access`.
fn why_refused(method: &Method, path: &str, access: Access) -> String {
    let what = if method == Method::GET || method == Method::HEAD {
        format!("You asked to open {path}")
    } else {
        format!("You asked to make a change at {path}")
    };
    let scope = match access {
        Access::Agent => "as an agent, your access covers your own record only",
        Access::TeamLeader => {
            "as a team leader, your access covers your own record and the people of the teams you lead"
        }
        Access::Manager => "as a manager, your access covers the people of the accounts and sites you answer for",
        Access::Hr => "HR access covers reading people across the organisation, not every change",
        Access::Admin => "administrator access does not cover a person's private entries or every change",
        Access::Trainer => {
            "as a QA/trainer, your access covers the skills, certifications and training of the people of your sites"
        }
    };
    format!(
        "{what}, and {scope}, which does not include this. If you need it, ask an administrator to change your access."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_says_what_was_asked_and_whose_access_covers_what() {
        let text = why_refused(&Method::GET, "/people/7", Access::TeamLeader);
        assert!(text.starts_with("You asked to open /people/7"), "{text}");
        assert!(text.contains("teams you lead"), "{text}");
        assert!(why_refused(&Method::POST, "/people/7/endorse", Access::Agent).contains("make a change"));
    }
}
