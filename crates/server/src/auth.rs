//! Who is asking: passwords (argon2id), sessions (rotated on sign-in, revocable everywhere),
//! CSRF tokens for cookie-authenticated writes, API tokens (hashed at rest), sign-in throttling.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode};
use chrono::{Duration, Utc};
use ladder_core::access::{allowed, Action, Actor};
use ladder_core::throttle::Rule;
use ladder_store::users::User;
use rand::RngCore;
use sha2::{Digest, Sha256};
use tower_sessions::Session;

use crate::error::ApiError;
use crate::state::AppState;

const USER_ID: &str = "user_id";
const EPOCH: &str = "epoch";
const CSRF: &str = "csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::internal(e.to_string()))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A dummy hash verified when the email is unknown, so timing does not reveal which emails exist.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("not a real password").expect("hashing works"));

/// A new random secret (URL-safe hex) for invitations, API tokens and CSRF.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// How secrets are stored: SHA-256, since they are long random values (not passwords).
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Refuses a weak new password ([`ladder_core::passwords`]); `email` is the account's, if known.
pub fn check_new_password(password: &str, email: Option<&str>) -> Result<(), ApiError> {
    match ladder_core::passwords::refused(password, email) {
        Some(why) => Err(ApiError::invalid("password", why)),
        None => Ok(()),
    }
}

/// The signed-in user and what they may reach.
#[derive(Debug, Clone)]
pub struct Me {
    pub user: User,
    pub actor: Actor,
    pub via_token: bool,
}

impl Me {
    /// Fails with 403 unless the access rules allow `action`.
    pub fn require(&self, action: Action) -> Result<(), ApiError> {
        if allowed(&self.actor, action) {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }
}

impl FromRequestParts<AppState> for Me {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Me, ApiError> {
        if let Some(token) = bearer(&parts.headers) {
            let user = ladder_store::users::user_for_token(&state.db, &hash_secret(token))
                .await?
                .filter(|u| !u.disabled)
                .ok_or_else(ApiError::unauthenticated)?;
            let actor = ladder_store::users::actor(&state.db, &user).await?;
            return Ok(Me { user, actor, via_token: true });
        }
        let session = Session::from_request_parts(parts, state).await.map_err(|(_, m)| ApiError::internal(m))?;
        let user_id: ladder_core::UserId =
            session.get(USER_ID).await.map_err(ApiError::internal)?.ok_or_else(ApiError::unauthenticated)?;
        let epoch: i64 = session.get(EPOCH).await.map_err(ApiError::internal)?.unwrap_or(-1);
        let user = match ladder_store::users::user(&state.db, user_id).await {
            Ok(u) if !u.disabled && u.session_epoch == epoch => u,
            Ok(_) | Err(ladder_store::StoreError::NotFound) => {
                session.flush().await.ok();
                return Err(ApiError::unauthenticated());
            }
            Err(e) => return Err(e.into()),
        };
        if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
            let expected: Option<String> = session.get(CSRF).await.map_err(ApiError::internal)?;
            let given = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
            if expected.is_none() || given != expected.as_deref() {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "csrf",
                    "missing or wrong CSRF token (send the x-csrf-token header)",
                ));
            }
        }
        let actor = ladder_store::users::actor(&state.db, &user).await?;
        Ok(Me { user, actor, via_token: false })
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

/// The CSRF token of this session, minted if it has none.
pub async fn csrf_token(session: &Session) -> Result<String, ApiError> {
    if let Some(t) = session.get::<String>(CSRF).await.map_err(ApiError::internal)? {
        return Ok(t);
    }
    let t = new_secret();
    session.insert(CSRF, &t).await.map_err(ApiError::internal)?;
    Ok(t)
}

/// Checks a password and starts a fresh session: a new id (no fixation), a new CSRF token.
/// The attempt is counted before the password is checked ([`count_attempt`]), so parallel tries
/// cannot slip past the limit; a success takes its count back.
pub async fn sign_in(
    state: &AppState,
    session: &Session,
    email: &str,
    password: &str,
    client: &str,
) -> Result<(User, String), ApiError> {
    use crate::service::limits;
    limits::check_line("email", email, limits::EMAIL)?;
    limits::check_text("password", password, limits::PASSWORD)?;
    let keys = ThrottleKeys::new(state, email, client);
    count_attempt(state, &keys).await?;
    let db = &state.db;
    let user = ladder_store::users::user_by_email(db, email).await?;
    let ok = match user.as_ref().and_then(|u| u.password_hash.as_deref()) {
        Some(hash) => verify_password(password, hash),
        None => {
            verify_password(password, &DUMMY_HASH);
            false
        }
    };
    let user = match user {
        Some(u) if ok && !u.disabled => u,
        _ => return Err(ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", "wrong email or password")),
    };
    keys.forgive(state).await?;
    session.cycle_id().await.map_err(ApiError::internal)?;
    session.clear().await;
    session.insert(USER_ID, user.id).await.map_err(ApiError::internal)?;
    session.insert(EPOCH, user.session_epoch).await.map_err(ApiError::internal)?;
    let csrf = new_secret();
    session.insert(CSRF, &csrf).await.map_err(ApiError::internal)?;
    Ok((user, csrf))
}

/// Checks a password against `hash` without signing in, counted by the sign-in throttle for
/// `email` like a sign-in from `client` (so the check cannot be used to guess around it): a
/// wrong one is 401. A leaver proves a download is theirs this way.
pub async fn check_password(
    state: &AppState,
    email: &str,
    hash: &str,
    password: &str,
    client: &str,
) -> Result<(), ApiError> {
    crate::service::limits::check_text("password", password, crate::service::limits::PASSWORD)?;
    let keys = ThrottleKeys::new(state, email, client);
    count_attempt(state, &keys).await?;
    if !verify_password(password, hash) {
        return Err(ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", "wrong password"));
    }
    keys.forgive(state).await
}

/// The three counters a sign-in touches: the email and address pair (waits grow after its
/// limit, so one person's forgotten password locks out no one else), the address (a floor of
/// agents shares one, so its limit is high), the email from every address (a spread-out guess).
struct ThrottleKeys {
    pair: (String, Rule),
    client: (String, Rule),
    email: (String, Rule),
}

impl ThrottleKeys {
    fn new(state: &AppState, email: &str, client: &str) -> ThrottleKeys {
        let email = email.trim().to_lowercase();
        let limit = state.config.login_attempts;
        let window = Duration::minutes(state.config.login_window_minutes);
        let rule = |limit, backoff| Rule { limit, window, backoff };
        ThrottleKeys {
            pair: (format!("pair:{email}|{client}"), rule(limit, true)),
            client: (format!("client:{client}"), rule(limit * 20, false)),
            email: (format!("email:{email}"), rule(limit * 10, false)),
        }
    }

    /// A success: the pair starts afresh and the shared counters take the attempt back.
    async fn forgive(&self, state: &AppState) -> Result<(), ApiError> {
        ladder_store::throttle::clear(&state.db, &self.pair.0).await?;
        ladder_store::throttle::refund(&state.db, &self.client.0).await?;
        ladder_store::throttle::refund(&state.db, &self.email.0).await?;
        Ok(())
    }
}

async fn count_attempt(state: &AppState, keys: &ThrottleKeys) -> Result<(), ApiError> {
    let now = Utc::now();
    let mut counted: Vec<&str> = Vec::new();
    for (key, rule) in [&keys.pair, &keys.client, &keys.email] {
        if let Err(wait) = ladder_store::throttle::count_attempt(&state.db, key, *rule, now).await? {
            // Refused: the counters already raised give their attempt back.
            for key in counted {
                ladder_store::throttle::refund(&state.db, key).await?;
            }
            let wait = ladder_core::throttle::wait_in_words(wait);
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate-limited",
                format!("too many failed sign-ins; try again in {wait}"),
            ));
        }
        counted.push(key);
    }
    Ok(())
}
