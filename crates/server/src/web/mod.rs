//! Server-rendered pages over the same service layer as the API. Pages work without JavaScript,
//! fit a 360 px phone, print cleanly, and carry labels and landmarks for screen readers.

pub mod account;
pub mod admin;
mod bonus;
pub mod charts;
pub mod checkin;
mod dashboard;
pub mod error_page;
pub mod explore;
pub mod format;
pub mod growth;
mod headcount;
mod home;
pub mod import;
mod job_tracker;
mod jobs;
pub mod kra_sheet;
pub mod kras;
mod ladder_svg;
pub mod learning;
pub mod log;
pub mod mentoring;
pub mod my_plan;
pub mod notifications;
pub mod once;
pub mod openings;
pub mod org;
mod page;
pub mod pager;
pub mod person;
mod picker;
pub mod pipeline;
pub mod plan;
pub mod plan_goals;
pub mod record;
pub mod shift_list;
pub mod shift_upload;
pub mod signup;
pub mod supervisor;
pub mod team;
pub mod verify;
pub mod wellbeing;
mod wellbeing_rollup;
pub mod year;

use askama::Template;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use ladder_core::access::Access;
use serde::Deserialize;
use tower_sessions::Session;

use crate::anonymous::{self, FormToken};
use crate::auth::{self, Me};
use crate::state::AppState;
pub use page::{field_label, form_again, message_page, own_employee, Page, PageError, PageQuery, PageResult};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(explorer_and_sign_in())
        .merge(account_and_links())
        .merge(own_pages())
        .merge(teams_and_imports())
        .merge(jobs_wellbeing_and_openings())
        .fallback(|| async { StatusCode::NOT_FOUND })
}

/// The public explorer, signing in and the stylesheet.
fn explorer_and_sign_in() -> Router<AppState> {
    Router::new()
        .route("/", get(explore::landing))
        .route("/explore", get(explore::index))
        .route("/explore/roles/{id}", get(explore::role))
        .route("/explore/fit", get(explore::fit))
        .route("/explore/industries", get(explore::industries))
        .route("/explore/certifications", get(explore::certifications))
        .route("/explore/certifications/{id}", get(explore::certification))
        .route("/signin", get(sign_in_page).post(sign_in))
        .route("/signout", post(sign_out))
        .route("/static/app.css", get(stylesheet))
        .route("/static/print.js", get(print_script))
}

/// The account, its one-time links (invitations, leavers, sign-up, supervisors) and the calendar.
fn account_and_links() -> Router<AppState> {
    Router::new()
        .route("/invite/{token}", get(account::invite_page).post(account::accept_invite))
        .route("/account", get(account::show))
        .route("/record", get(record::show))
        .route("/leaver/{token}", get(record::leaver).post(record::leaver_download))
        .route("/account/password", post(account::change_password))
        .route("/account/signout-everywhere", post(account::sign_out_everywhere))
        .route("/account/tokens", post(account::create_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route("/account/calendar.ics", get(account::download_calendar))
        .route("/account/calendar-feed", post(account::new_feed))
        .route("/account/calendar-feed/revoke", post(account::revoke_feed))
        .route("/account/mail", post(account::set_mail))
        .route("/calendar/{file}", get(account::feed))
        .route("/account/supervisor", get(supervisor::show))
        .route("/account/supervisor/invite", post(supervisor::invite))
        .route("/account/supervisor/revoke", post(supervisor::revoke))
        .route("/account/supervisor/{id}/remove", post(supervisor::remove))
        .route("/supervise/{token}", get(supervisor::join_form).post(supervisor::join))
        .route("/signup", get(signup::form).post(signup::start))
        .route("/signup/{token}", get(signup::confirm_form).post(signup::confirm))
}

/// Administration and a person's own pages: home, plan, KRAs, log, growth, check-in.
fn own_pages() -> Router<AppState> {
    Router::new()
        .route("/admin", get(admin::show))
        .route("/admin/invite", post(admin::invite))
        .route("/admin/users/{id}/reset", post(admin::reset))
        .route("/admin/users/{id}/disabled", post(admin::set_disabled))
        .route("/home", get(home::show))
        .route("/plan", get(plan::show).post(plan::save))
        .route("/plan.pdf", get(plan::pdf))
        .route("/plan/goals", post(plan_goals::add))
        .route("/plan/goals/{id}", post(plan_goals::edit))
        .route("/plan/goals/{id}/done", post(plan_goals::done))
        .route("/plan/goals/{id}/reopen", post(plan_goals::reopen))
        .route("/plan/goals/{id}/delete", post(plan_goals::delete))
        .route("/my-plan", get(my_plan::show).post(my_plan::save))
        .route("/kras", get(kras::show).post(kras::save))
        .route("/kras/plan", get(kra_sheet::own))
        .route("/kras/plan/agree", post(kra_sheet::agree))
        .route("/year", get(year::own))
        .route("/log", get(log::show).post(log::add))
        .route("/log/{id}/share", post(log::share))
        .route("/growth", get(growth::show))
        .route("/growth/skills", post(growth::assess))
        .route(
            "/growth/certifications",
            // Room for a file of the most allowed plus the form's other fields.
            post(growth::certification)
                .layer(axum::extract::DefaultBodyLimit::max(crate::service::evidence::FILE_MAX + 64 * 1024)),
        )
        .route("/growth/training", post(growth::training))
        .route("/checkin", get(checkin::show).post(checkin::send))
        .merge(learning_and_mentoring())
}

/// The learning catalogue and mentoring (issue 26).
fn learning_and_mentoring() -> Router<AppState> {
    Router::new()
        .route("/learning", get(learning::show))
        .route("/learning/items", post(learning::add))
        .route("/learning/items/{id}", get(learning::edit).post(learning::update))
        .route("/learning/items/{id}/retired", post(learning::retire))
        .route("/learning/enrol", post(learning::enrol))
        .route("/mentoring", get(mentoring::show).post(mentoring::create))
        .route("/mentoring/{id}", get(mentoring::request))
        .route("/mentoring/{id}/mentor", post(mentoring::pair))
        .route("/mentoring/{id}/sessions", post(mentoring::log_session))
        .route("/mentoring/{id}/closed", post(mentoring::close))
}

/// Leaders', HR's and operations' pages, and the imports.
fn teams_and_imports() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(notifications::show))
        .route("/notifications/read", post(notifications::read))
        .route("/checkin/{id}", get(checkin::past))
        .route("/team", get(team::show))
        .route("/team/checkins/{id}", get(team::review))
        .route("/team/checkins/{id}/acknowledge", post(team::acknowledge))
        .route("/people/{id}", get(person::show))
        .route("/people/{id}/packet", get(person::packet))
        .route("/people/{id}/kras-plan", get(kra_sheet::person))
        .route("/people/{id}/year", get(year::person))
        .route("/people/{id}/packet.pdf", get(person::packet_pdf))
        .route("/people/{id}/endorse", post(person::endorse))
        .route("/people/{id}/evidence/{certification}", get(verify::file))
        .route("/verify", get(verify::show))
        .route("/verify/{id}/{certification}", post(verify::decide))
        .route("/verify/{id}/skills/{skill}", post(verify::confirm_skill))
        .route("/people/{id}/leave", post(person::leave))
        .route("/people/{id}/skills", post(person::assess))
        .route("/org", get(org::show))
        .route("/pipeline", get(pipeline::show))
        .route(
            "/import",
            get(import::show)
                .post(import::upload)
                .layer(axum::extract::DefaultBodyLimit::max(crate::api::imports::MAX_UPLOAD)),
        )
        .route(
            "/import/shifts",
            get(shift_upload::show)
                .post(shift_upload::upload)
                .layer(axum::extract::DefaultBodyLimit::max(crate::api::imports::MAX_UPLOAD)),
        )
        .route("/import/jobs/{id}", get(import::job))
        .route("/import/jobs/{id}/rejects", get(import::rejects))
}

/// Headcount, jobs, well-being and internal openings.
fn jobs_wellbeing_and_openings() -> Router<AppState> {
    Router::new()
        .route("/headcount", get(headcount::show))
        .route("/jobs", get(jobs::show))
        .route("/jobs/market", get(jobs::market))
        .route("/jobs/searches", post(job_tracker::save_search))
        .route("/jobs/searches/{id}", get(job_tracker::open_search))
        .route("/jobs/searches/{id}/delete", post(job_tracker::delete_search))
        .route("/jobs/tracker", get(job_tracker::tracker).post(job_tracker::track))
        .route("/jobs/tracker/{id}", post(job_tracker::update))
        .route("/jobs/tracker/{id}/delete", post(job_tracker::delete))
        .route(
            "/jobs/upload",
            post(jobs::upload).layer(axum::extract::DefaultBodyLimit::max(crate::service::postings::MAX_UPLOAD)),
        )
        .route("/wellbeing", get(wellbeing::show))
        .route("/wellbeing/pulse", post(wellbeing::save_pulse))
        .route("/wellbeing/shifts", post(wellbeing::add_shift))
        .route("/wellbeing/shifts/delete", post(wellbeing::delete_shift))
        .route("/wellbeing/team/{id}", get(wellbeing::board))
        .route("/wellbeing/rollup", get(wellbeing_rollup::show))
        .route("/wellbeing/shifts/all", get(shift_list::show))
        .route("/openings", get(openings::list))
        .route("/openings/new", get(openings::new_form).post(openings::create))
        .route("/openings/feed.jsonld", get(openings::feed))
        .route("/openings/{id}", get(openings::show))
        .route("/openings/{id}/edit", get(openings::edit_form).post(openings::update))
        .route("/openings/{id}/apply", post(openings::apply))
        .route("/openings/{id}/close", post(openings::close))
        .route("/openings/{id}/reopen", post(openings::reopen))
        .route("/applications/{id}", get(openings::application))
        .route("/applications/{id}/stage", post(openings::move_stage))
        .route("/applications/{id}/endorse", post(openings::endorse))
        .route("/jobs/{id}", get(openings::public))
}

/// A signed-in person on a page; anyone else is sent to the sign-in page.
pub struct WebUser {
    pub me: Me,
    pub csrf: String,
    pub session: Session,
}

/// Who asked, noted by [`WebUser`] for [`unread_count`] (which puts it on the request).
#[derive(Clone, Default)]
pub struct Asker(std::sync::Arc<std::sync::OnceLock<ladder_core::UserId>>);

/// Where the header's unread count goes: [`unread_count`] fills it in after the page is drawn.
const UNREAD_SLOT: &str = "<!--ladder:unread-->";

/// Fills in the header's unread count, read only when a page drew its header (a download, a
/// redirect or a form's answer without the header reads nothing). Above 99 it says "99+".
pub async fn unread_count(
    State(state): State<AppState>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let asker = Asker::default();
    request.extensions_mut().insert(asker.clone());
    let response = next.run(request).await;
    let html = response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let Some(user) = asker.0.get().copied().filter(|_| html) else { return response };
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let page = String::from_utf8_lossy(&bytes);
    let Some(at) = page.find(UNREAD_SLOT) else { return Response::from_parts(parts, bytes.into()) };
    let badge = match ladder_store::notifications::unread_count(&state.db, user).await {
        Ok(n) => unread_badge(n),
        Err(e) => {
            tracing::warn!("the header's unread count failed: {e}");
            String::new()
        }
    };
    let filled = format!("{}{badge}{}", &page[..at], &page[at + UNREAD_SLOT.len()..]);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, filled.into())
}

/// The header's badge for `n` unread notifications: none for 0, "99+" above 99.
fn unread_badge(n: i64) -> String {
    if n <= 0 {
        return String::new();
    }
    let shown = if n > 99 { "99+".to_string() } else { n.to_string() };
    format!(r#" <span class="unread">{shown}<span class="visually-hidden"> unread</span></span>"#)
}

impl FromRequestParts<AppState> for WebUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<WebUser, Response> {
        let next = parts.uri.path_and_query().map_or("/home".to_string(), |p| p.to_string());
        let to_sign_in = || Redirect::to(&format!("/signin?next={}", urlencode(&next))).into_response();
        // Pages read with GET only; writes come through `CsrfForm`, which checks the form token.
        let mut get_parts = parts.clone();
        get_parts.method = axum::http::Method::GET;
        let me = Me::from_request_parts(&mut get_parts, state).await.map_err(|e| {
            if e.status == StatusCode::UNAUTHORIZED {
                to_sign_in()
            } else {
                e.into_response()
            }
        })?;
        let session = Session::from_request_parts(parts, state).await.map_err(|(s, m)| (s, m).into_response())?;
        let csrf = auth::csrf_token(&session).await.map_err(IntoResponse::into_response)?;
        if let Some(asker) = parts.extensions.get::<Asker>() {
            let _ = asker.0.set(me.user.id);
        }
        Ok(WebUser { me, csrf, session })
    }
}

/// The links of the top navigation, for the signed-in person's access.
pub struct Nav {
    pub items: Vec<NavItem>,
    pub csrf: String,
    /// The notifications page is the one shown.
    pub on_notifications: bool,
}

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

impl Nav {
    pub fn new(user: &WebUser, current: &str) -> Nav {
        let mut items = vec![("/home", "Home")];
        if user.me.user.employee_id.is_some() {
            items.extend([
                ("/plan", "My plan"),
                ("/kras", "KRAs"),
                ("/log", "Log"),
                ("/growth", "Skills"),
                ("/checkin", "Check-in"),
                ("/wellbeing", "Well-being"),
            ]);
        } else if user.me.actor.access == Access::Agent {
            // An account of one's own (a self sign-up) until HR links it to a record.
            items.push(("/my-plan", "My plan"));
        }
        match user.me.actor.access {
            Access::TeamLeader => items.extend([("/team", "My team"), ("/verify", "To verify"), ("/import", "Import")]),
            Access::Manager | Access::Hr => {
                items.extend([("/org", "Organisation"), ("/pipeline", "Pipeline"), ("/import", "Import")])
            }
            Access::Admin => items.extend([
                ("/org", "Organisation"),
                ("/pipeline", "Pipeline"),
                ("/import", "Import"),
                ("/admin", "Admin"),
            ]),
            Access::Trainer => items.push(("/verify", "To verify")),
            Access::Agent => {}
        }
        if matches!(user.me.actor.access, Access::Manager | Access::Hr | Access::Admin) {
            items.push(("/headcount", "Headcount"));
        }
        items.push(("/learning", "Learning"));
        items.push(("/mentoring", "Mentoring"));
        if matches!(user.me.actor.access, Access::Hr | Access::Admin) {
            items.push(("/verify", "To verify"));
        }
        items.push(("/openings", "Openings"));
        items.push(("/jobs", "Jobs"));
        items.push(("/explore", "Careers"));
        items.push(("/account", "Account"));
        Nav {
            items: items.into_iter().map(|(href, label)| NavItem { href, label, current: href == current }).collect(),
            csrf: user.csrf.clone(),
            on_notifications: current == "/notifications",
        }
    }

    /// Where the unread count goes in the header (see [`unread_count`]).
    pub fn unread_slot(&self) -> &'static str {
        UNREAD_SLOT
    }
}

/// A form body whose `_csrf` field must match the session's token.
pub struct CsrfForm<T>(pub T);

/// A form body of someone not signed in (sign-in, invitation), whose `_csrf` field must be the
/// token of the browser's form cookie ([`crate::anonymous`]): no session is stored for them.
pub struct AnonymousForm<T>(pub T);

#[derive(Deserialize)]
struct CsrfField {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

fn form_expired() -> Response {
    message_page(
        StatusCode::FORBIDDEN,
        "Form expired",
        "This form was open too long or came from elsewhere. Go back, reload the page and try again.",
        None,
    )
}

/// The body of a form and its `_csrf` field.
async fn form_body(body: axum::body::Body) -> Result<(axum::body::Bytes, String), Response> {
    let bytes =
        axum::body::to_bytes(body, 1024 * 1024).await.map_err(|_| StatusCode::PAYLOAD_TOO_LARGE.into_response())?;
    let field: CsrfField = serde_urlencoded::from_bytes(&bytes).map_err(|_| StatusCode::BAD_REQUEST.into_response())?;
    Ok((bytes, field.csrf))
}

/// The form's fields, or the page that says what is wrong with them (a `Response` is what the
/// extractors reject with, so it is not boxed).
#[allow(clippy::result_large_err)]
fn form_value<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, Response> {
    serde_urlencoded::from_bytes(bytes)
        .map_err(|e| message_page(StatusCode::UNPROCESSABLE_ENTITY, "Check the form", &e.to_string(), None))
}

impl<T: serde::de::DeserializeOwned + Send> axum::extract::FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &AppState) -> Result<CsrfForm<T>, Response> {
        let (mut parts, body) = req.into_parts();
        let session = Session::from_request_parts(&mut parts, state).await.map_err(|(s, m)| (s, m).into_response())?;
        let (bytes, given) = form_body(body).await?;
        let expected = auth::csrf_token(&session).await.map_err(IntoResponse::into_response)?;
        if given.is_empty() || given != expected {
            return Err(form_expired());
        }
        Ok(CsrfForm(form_value(&bytes)?))
    }
}

impl<T: serde::de::DeserializeOwned + Send> axum::extract::FromRequest<AppState> for AnonymousForm<T> {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &AppState) -> Result<AnonymousForm<T>, Response> {
        let (parts, body) = req.into_parts();
        let (bytes, given) = form_body(body).await?;
        if !anonymous::token_matches(state, &parts.headers, &given).await.map_err(IntoResponse::into_response)? {
            return Err(form_expired());
        }
        Ok(AnonymousForm(form_value(&bytes)?))
    }
}

#[derive(Template)]
#[template(path = "signin.html")]
struct SignInPage {
    nav: Option<Nav>,
    csrf: String,
    next: String,
    email: String,
    error: Option<String>,
    /// Self sign-up is on: link to it.
    signup: bool,
}

#[derive(Deserialize)]
struct NextParam {
    next: Option<String>,
}

async fn sign_in_page(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<NextParam>) -> Response {
    match FormToken::for_browser(&state, &headers).await {
        Ok(form) => {
            let page = SignInPage {
                nav: None,
                csrf: form.token.clone(),
                next: safe_next(q.next.as_deref()),
                email: String::new(),
                error: None,
                signup: state.config.self_signup,
            };
            form.attach(Page(page).into_response())
        }
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
struct SignInForm {
    email: String,
    password: String,
    next: Option<String>,
}

async fn sign_in(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    axum::extract::ConnectInfo(addr): axum::extract::ConnectInfo<std::net::SocketAddr>,
    AnonymousForm(form): AnonymousForm<SignInForm>,
) -> Response {
    match auth::sign_in(&state, &session, &form.email, &form.password, &addr.ip().to_string()).await {
        Ok(_) => Redirect::to(&safe_next(form.next.as_deref())).into_response(),
        Err(e) => {
            // Without a token the form could not be sent again: say so (and log why) instead.
            let token = match FormToken::for_browser(&state, &headers).await {
                Ok(form) => form,
                Err(failed) => return failed.into_response(),
            };
            let page = SignInPage {
                nav: None,
                csrf: token.token.clone(),
                next: safe_next(form.next.as_deref()),
                email: form.email,
                error: Some(e.message.clone()),
                signup: state.config.self_signup,
            };
            token.attach(e.attach_cause((e.status, Page(page)).into_response()))
        }
    }
}

async fn sign_out(session: Session, CsrfForm(_): CsrfForm<CsrfField>) -> Response {
    session.flush().await.ok();
    Redirect::to("/signin").into_response()
}

async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../static/app.css"),
    )
        .into_response()
}

async fn print_script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../static/print.js"),
    )
        .into_response()
}

/// Only local paths may be redirect targets after sign-in (no open redirects). Browsers drop
/// tabs and line breaks from addresses (`/\t/evil.example` becomes `//evil.example`) and read
/// `\` as `/`, so a path with either, or with anything but printable ASCII, is not followed.
/// A path on this server only: no scheme, no `//host`, no backslash or control characters.
pub(crate) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/') && !n.starts_with("//") && n.chars().all(|c| c.is_ascii_graphic() && c != '\\') =>
        {
            n.to_string()
        }
        _ => "/home".to_string(),
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/team?month=2026-03")), "/team?month=2026-03");
        assert_eq!(safe_next(Some("//evil.example")), "/home");
        assert_eq!(safe_next(Some("https://evil.example")), "/home");
        assert_eq!(safe_next(Some("/\\evil.example")), "/home");
        assert_eq!(safe_next(Some("/\t/evil.example/")), "/home");
        assert_eq!(safe_next(Some("/\n/evil.example")), "/home");
        assert_eq!(safe_next(Some("/ /evil.example")), "/home");
        assert_eq!(safe_next(Some("/home\u{0}")), "/home");
        assert_eq!(safe_next(Some("/people/7?month=2026-03#kras")), "/people/7?month=2026-03#kras");
        assert_eq!(safe_next(None), "/home");
    }

    #[test]
    fn the_unread_badge_is_none_for_nothing_and_99_plus_above_99() {
        assert_eq!(unread_badge(0), "");
        assert!(unread_badge(7).contains(">7<"));
        assert!(unread_badge(99).contains(">99<"));
        assert!(unread_badge(100).contains(">99+<"));
    }
}
