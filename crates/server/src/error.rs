//! API errors: JSON `{"error": {"code", "message", "field"?}}` with a stable code, and the
//! extractors whose rejections are such errors. An internal error keeps its cause; the body
//! stays generic and [`log_internal_errors`] logs the cause once, with its chain.

use std::error::Error as StdError;
use std::sync::Arc;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    /// What failed inside, for the log only (internal errors).
    pub cause: Option<Cause>,
}

/// The error behind an internal error. It rides in the response's extensions to
/// [`log_internal_errors`], which logs it once.
#[derive(Debug, Clone)]
pub struct Cause(Arc<dyn StdError + Send + Sync>);

impl Cause {
    /// The error and every `source()` below it, outermost first.
    pub fn chain(&self) -> String {
        let mut text = self.0.to_string();
        let mut next = self.0.source();
        while let Some(e) = next {
            // Many errors print their source in their own message too (`database: {0}`).
            let cause = e.to_string();
            if !text.ends_with(&cause) {
                text.push_str(&format!(": caused by: {cause}"));
            }
            next = e.source();
        }
        text
    }

    pub fn log(&self) {
        tracing::error!("internal error: {}", self.chain());
    }
}

/// The error body every failing API call returns.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable: `unauthenticated`, `forbidden`, `not-found`, `invalid`, `conflict`, `csrf`, `rate-limited`, `method-not-allowed`, `too-large`, `unsupported-media-type`, `internal`.
    pub code: String,
    pub message: String,
    /// The request field at fault, for validation errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into(), field: None, cause: None }
    }
    pub fn unauthenticated() -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", "sign in first")
    }
    pub fn forbidden() -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", "you may not do this")
    }
    pub fn not_found(what: &str) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not-found", format!("{what} not found"))
    }
    pub fn invalid(field: &str, message: impl Into<String>) -> ApiError {
        ApiError { field: Some(field.into()), ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message) }
    }
    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, "conflict", message)
    }
    /// A failure on our side: the caller reads a generic message, the log gets `cause`.
    pub fn internal(cause: impl Into<Box<dyn StdError + Send + Sync>>) -> ApiError {
        let cause = Cause(Arc::from(cause.into()));
        ApiError {
            cause: Some(cause),
            ..ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "something went wrong on our side")
        }
    }

    /// The message with the cause's chain behind it: for a command line, which has no log layer.
    pub fn with_cause(&self) -> String {
        match &self.cause {
            Some(cause) => format!("{}: {}", self.message, cause.chain()),
            None => self.message.clone(),
        }
    }

    /// Hands the cause, if any, to the logging layer through the response.
    pub fn attach_cause(&self, mut response: Response) -> Response {
        if let Some(cause) = &self.cause {
            response.extensions_mut().insert(cause.clone());
        }
        response
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail { code: self.code.into(), message: self.message.clone(), field: self.field.clone() },
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from_static("2"));
        }
        self.attach_cause(response)
    }
}

/// Logs the cause of every internal error once, whichever handler (API or page) answered.
/// A plain map of the response (`tower::util::MapResponseLayer`): every request passes here,
/// and a middleware taking `Next` would box and clone on each.
pub fn log_internal_errors(mut response: Response) -> Response {
    if let Some(cause) = response.extensions_mut().remove::<Cause>() {
        cause.log();
    }
    response
}

/// The stable code of an error status, for answers no handler of ours made (axum's rejections,
/// an unknown route, a wrong method, a body over the limit).
pub fn code_of(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 | 422 => "invalid",
        401 => "unauthenticated",
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        409 => "conflict",
        413 => "too-large",
        415 => "unsupported-media-type",
        429 => "rate-limited",
        s if s >= 500 => "internal",
        _ => "invalid",
    }
}

/// Every error under `/api/` answers with the API's JSON error body, also the plain-text ones
/// axum and tower-http make themselves (a path that does not parse, 404, 405, 413, 415): their
/// text becomes the message (a server error's stays generic).
pub async fn json_api_errors(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    if !api || !(status.is_client_error() || status.is_server_error()) || is_json(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
    let message = match String::from_utf8_lossy(&text).trim() {
        _ if status.is_server_error() => "something went wrong on our side".to_string(),
        "" => status.canonical_reason().unwrap_or("error").to_lowercase(),
        text => text.to_string(),
    };
    let mut answer = ApiError::new(status, code_of(status), message).into_response();
    for (name, value) in parts.headers.iter().filter(|(n, _)| *n == axum::http::header::ALLOW) {
        answer.headers_mut().insert(name, value.clone());
    }
    answer.extensions_mut().extend(parts.extensions);
    answer
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// Unknown routes under `/api/`: a JSON 404 (the pages' router would answer with a page).
pub async fn unknown_api_route() -> ApiError {
    ApiError::not_found("API route")
}

impl From<ladder_store::StoreError> for ApiError {
    fn from(e: ladder_store::StoreError) -> ApiError {
        use ladder_store::StoreError::*;
        match e {
            NotFound => ApiError::not_found("record"),
            Conflict(m) => ApiError::conflict(m),
            Stale(m) => ApiError::new(StatusCode::PRECONDITION_FAILED, "changed", m),
            Invalid(m) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", m),
            // Still busy after the busy timeout: nothing was written; say so, don't call it a fault.
            other if other.is_busy() => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "the database is busy with other changes; nothing was saved, try again in a moment",
            ),
            other => ApiError::internal(other),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(e: JsonRejection) -> ApiError {
        let status = e.status();
        if matches!(status, StatusCode::PAYLOAD_TOO_LARGE | StatusCode::UNSUPPORTED_MEDIA_TYPE) {
            return ApiError::new(status, code_of(status), e.body_text());
        }
        // The path serde was at (as for a query string, below), e.g. a date out of range; else
        // serde's message names the field ("missing field `title` at line 1 column 2").
        let text = e.body_text();
        let mut source = e.source();
        let mut at = None;
        while let Some(inner) = source {
            if let Some(failed) = inner.downcast_ref::<serde_path_to_error::Error<serde_json::Error>>() {
                at = Some(failed.path().to_string()).filter(|path| path != ".");
                break;
            }
            source = inner.source();
        }
        let field = at.or_else(|| text.split('`').nth(1).map(str::to_string));
        ApiError { field, ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", text) }
    }
}

/// The query-string field that failed and why, as axum's `Query` found it.
type QueryFieldError = serde_path_to_error::Error<serde::de::value::Error>;

impl From<QueryRejection> for ApiError {
    /// Names the field at fault: axum wraps serde's error in a `serde_path_to_error` one (of the
    /// version in Cargo.lock, the same as axum's), found by walking the rejection's sources; the
    /// unit test below fails if an axum upgrade changes that.
    fn from(e: QueryRejection) -> ApiError {
        let mut source = e.source();
        while let Some(inner) = source {
            if let Some(failed) = inner.downcast_ref::<QueryFieldError>() {
                let path = failed.path().to_string();
                if path != "." {
                    return ApiError::invalid(&path, failed.inner().to_string());
                }
            }
            source = inner.source();
        }
        let text = e.body_text();
        let field = text.split('`').nth(1).map(str::to_string);
        ApiError { field, ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", text) }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// `Json<T>` whose rejections are API errors naming the field.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct JsonBody<T>(pub T);

/// Query strings whose rejections are API errors naming the field too.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct QueryArgs<T>(pub T);

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Listing {
        limit: Option<i64>,
        level: Option<ladder_store::kra::Level>,
    }

    fn query_error(query: &str) -> ApiError {
        let uri: axum::http::Uri = format!("/?{query}").parse().unwrap();
        axum::extract::Query::<Listing>::try_from_uri(&uri).map(|_| ()).unwrap_err().into()
    }

    #[test]
    fn a_bad_query_field_is_named_with_the_reason() {
        let e = query_error("limit=ten");
        assert_eq!(
            (e.status, e.code, e.field.as_deref()),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("limit"))
        );
        assert!(e.message.contains("invalid digit"), "{}", e.message);
        let e = query_error("level=planet");
        assert_eq!(e.field.as_deref(), Some("level"), "the field, not the bad value: {}", e.message);
        assert!(e.message.contains("planet"), "{}", e.message);
    }

    #[test]
    fn an_internal_error_keeps_its_chain_for_the_log_and_tells_the_caller_nothing() {
        #[derive(Debug, thiserror::Error)]
        #[error("reading the plan")]
        struct Outer(#[source] std::io::Error);
        let e = ApiError::internal(Outer(std::io::Error::other("disk gone")));
        assert_eq!(e.message, "something went wrong on our side");
        let cause = e.cause.clone().expect("kept");
        assert_eq!(cause.chain(), "reading the plan: caused by: disk gone");
        // A command line has no logging layer: it prints the chain with the message.
        assert_eq!(e.with_cause(), "something went wrong on our side: reading the plan: caused by: disk gone");
        // A source the error already prints (`database: {0}`) is not said twice.
        let e = ApiError::internal(ladder_store::StoreError::Damaged("packed days of employee 7".into()));
        assert_eq!(e.cause.unwrap().chain(), "damaged: packed days of employee 7");
        #[derive(Debug, thiserror::Error)]
        #[error("saving: {0}")]
        struct Says(#[source] std::io::Error);
        let e = ApiError::internal(Says(std::io::Error::other("disk gone")));
        assert_eq!(e.cause.clone().unwrap().chain(), "saving: disk gone");
        let response = e.into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(response.extensions().get::<Cause>().is_some(), "handed to the logging layer");
    }

    #[tokio::test]
    async fn the_logging_layer_takes_the_cause_so_it_is_logged_once() {
        use tower::ServiceExt;
        let app = axum::Router::new()
            .route("/", axum::routing::get(|| async { ApiError::internal("the disk went away") }))
            .layer(tower::util::MapResponseLayer::new(log_internal_errors));
        let request = axum::extract::Request::builder().uri("/").body(axum::body::Body::empty()).unwrap();
        let response = app.oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(response.extensions().get::<Cause>().is_none(), "logged and removed, so no outer layer logs it again");
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        let body = String::from_utf8_lossy(&body);
        assert!(body.contains("something went wrong on our side") && !body.contains("disk"), "{body}");
    }
}
