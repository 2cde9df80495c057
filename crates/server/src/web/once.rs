//! The one-time key of a form that creates something (a hidden `_key` field): two posts of the
//! same form — a double tap, a retry after a slow answer — create one thing, and the second is
//! sent where the first one's result is ([`ladder_store::form_keys`]).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use ladder_store::form_keys::{self, Claim};
use rand::RngCore;

use super::{message_page, WebUser};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The hidden field that carries the key.
pub const FIELD: &str = "_key";

/// A fresh key for a form shown.
pub fn new_key() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A claimed key, to be finished with the result's address or released when the post fails.
pub struct Once {
    key: Option<String>,
}

/// How long a claim may stay without a result before its post counts as abandoned (cancelled or
/// crashed between claiming and saving) and a repeat may take it over.
const ABANDONED_AFTER: chrono::TimeDelta = chrono::TimeDelta::seconds(30);

/// Claims the form's key: `Ok(Err(response))` sends a repeated post to the first one's result,
/// or, while that one is still being handled, says so with a link to `fallback` (not a redirect
/// that could hide a lost entry). A form sent without a key (a page from before keys, a script)
/// goes ahead unguarded; a malformed key is refused. Check the input before claiming, so a
/// refused post never holds a key.
pub async fn claim(
    state: &AppState,
    user: &WebUser,
    form: &[(String, String)],
    fallback: &str,
) -> ApiResult<Result<Once, Response>> {
    let key = form.iter().find(|(k, _)| k == FIELD).map(|(_, v)| v.trim()).unwrap_or_default();
    if key.is_empty() {
        return Ok(Ok(Once { key: None }));
    }
    if key.len() > 64 || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(ApiError::invalid(FIELD, "the form is out of date: reload the page and send it again"));
    }
    let now = Utc::now();
    Ok(match form_keys::claim(&state.db, user.me.user.id, key, now, now - ABANDONED_AFTER).await? {
        Claim::First => Ok(Once { key: Some(key.to_string()) }),
        Claim::Done(result) => Err(Redirect::to(&result).into_response()),
        Claim::Pending => Err(message_page(
            StatusCode::ACCEPTED,
            "Still saving",
            "This form was sent a moment ago and is still being saved. Reload the page in a moment to see it; \
             if it is not there after half a minute, send the form again.",
            Some((fallback, "Reload")),
        )),
    })
}

impl Once {
    /// Records `result` as where a repeated post goes.
    pub async fn finish(self, state: &AppState, user: &WebUser, result: &str) -> ApiResult<()> {
        let Some(key) = self.key else { return Ok(()) };
        Ok(form_keys::finish(&state.db, user.me.user.id, &key, result).await?)
    }

    /// Gives the key back: the post was refused, so sending it again may create the thing.
    pub async fn release(self, state: &AppState, user: &WebUser) -> ApiResult<()> {
        let Some(key) = self.key else { return Ok(()) };
        Ok(form_keys::release(&state.db, user.me.user.id, &key).await?)
    }
}
