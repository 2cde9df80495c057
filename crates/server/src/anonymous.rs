//! What people who are not signed in may do, without the database noticing them: their forms
//! (sign-in, invitation) carry a token bound to a cookie and signed with a key the servers
//! share, so no session is stored per visit (a flood of anonymous visits once stored a row each
//! and starved real writes: issue 27); and each address gets a bounded rate of such requests.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::sync::OnceCell;
use tower_sessions::cookie::{Cookie, SameSite};

use crate::error::ApiError;
use crate::state::AppState;

const COOKIE_NAME: &str = "ladder_form";
const KEY_NAME: &str = "anonymous-form-key";

/// The key that signs anonymous forms' tokens, read (or made) once per server.
#[derive(Default)]
pub struct FormKey(OnceCell<Vec<u8>>);

impl FormKey {
    async fn get(&self, state: &AppState) -> Result<&[u8], ApiError> {
        let key = self
            .0
            .get_or_try_init(|| async {
                let made = crate::auth::new_secret();
                let stored = ladder_store::secrets::get_or_create(&state.db, KEY_NAME, &made).await?;
                hex::decode(stored).map_err(ApiError::internal)
            })
            .await?;
        Ok(key)
    }
}

/// A form token for this browser, and the cookie to set when it had none.
pub struct FormToken {
    pub token: String,
    set_cookie: Option<HeaderValue>,
}

impl FormToken {
    /// The token for the browser that sent `headers` (a new cookie if it has none).
    pub async fn for_browser(state: &AppState, headers: &HeaderMap) -> Result<FormToken, ApiError> {
        let key = state.form_key.get(state).await?;
        if let Some(nonce) = nonce_in(headers) {
            return Ok(FormToken { token: sign(key, &nonce), set_cookie: None });
        }
        let nonce = crate::auth::new_secret();
        let cookie = Cookie::build((COOKIE_NAME, nonce.clone()))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(state.config.secure_cookies)
            .build();
        let set_cookie = HeaderValue::from_str(&cookie.to_string()).map_err(ApiError::internal)?;
        Ok(FormToken { token: sign(key, &nonce), set_cookie: Some(set_cookie) })
    }

    /// `response` with the cookie the token is bound to, if it is new.
    pub fn attach(&self, mut response: Response) -> Response {
        if let Some(cookie) = &self.set_cookie {
            response.headers_mut().append(SET_COOKIE, cookie.clone());
        }
        response
    }
}

/// Whether `given` is the token of the browser that sent `headers`.
pub async fn token_matches(state: &AppState, headers: &HeaderMap, given: &str) -> Result<bool, ApiError> {
    let key = state.form_key.get(state).await?;
    let Some(nonce) = nonce_in(headers) else { return Ok(false) };
    let Ok(given) = hex::decode(given) else { return Ok(false) };
    let mut mac = Hmac::<Sha256>::new_from_slice(key).map_err(ApiError::internal)?;
    mac.update(nonce.as_bytes());
    Ok(mac.verify_slice(&given).is_ok())
}

fn sign(key: &[u8], nonce: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(nonce.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn nonce_in(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| Cookie::split_parse(v.to_string()).filter_map(Result::ok).collect::<Vec<_>>())
        .find(|c| c.name() == COOKIE_NAME)
        .map(|c| c.value().to_string())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Requests per second each address may make to the anonymous routes.
pub struct Limiter(DefaultKeyedRateLimiter<IpAddr>);

impl Limiter {
    /// `per_second` on average, in bursts of up to five seconds' worth.
    pub fn new(per_second: u32) -> Limiter {
        let rate = NonZeroU32::new(per_second.max(1)).expect("at least one");
        let burst = NonZeroU32::new(per_second.max(1).saturating_mul(5)).expect("at least one");
        Limiter(RateLimiter::keyed(Quota::per_second(rate).allow_burst(burst)))
    }

    /// Forgets addresses that are back to a full allowance (run now and then).
    pub fn forget_idle(&self) {
        self.0.retain_recent();
    }
}

/// The layer over every route: a request with no credentials (no API token, no session cookie)
/// past its address's rate gets 429 with the API's error body. Static files and the health
/// check are free.
pub async fn limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let address = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let free = request.uri().path().starts_with("/static/") || request.uri().path() == "/healthz";
    if let Some(address) = address.filter(|_| !free && is_anonymous(request.headers())) {
        if state.anonymous_limiter.0.check_key(&address).is_err() {
            return ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate-limited",
                "too many requests; try again shortly",
            )
            .into_response();
        }
    }
    next.run(request).await
}

fn is_anonymous(headers: &HeaderMap) -> bool {
    let has_session = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(';').any(|c| c.trim_start().starts_with(crate::SESSION_COOKIE)));
    !has_session && !headers.contains_key(axum::http::header::AUTHORIZATION)
}
