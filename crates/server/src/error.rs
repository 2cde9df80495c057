//! API errors: JSON `{"error": {"code", "message", "field"?}}` with a stable code.

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
}

/// The error body every failing API call returns.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable: `unauthenticated`, `forbidden`, `not-found`, `invalid`, `conflict`, `csrf`, `rate-limited`, `internal`.
    pub code: String,
    pub message: String,
    /// The request field at fault, for validation errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into(), field: None }
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
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid",
            message: message.into(),
            field: Some(field.into()),
        }
    }
    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, "conflict", message)
    }
    pub fn internal(e: impl std::fmt::Display) -> ApiError {
        tracing::error!("internal error: {e}");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "something went wrong on our side")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body =
            ErrorBody { error: ErrorDetail { code: self.code.into(), message: self.message, field: self.field } };
        (self.status, axum::Json(body)).into_response()
    }
}

impl From<ladder_store::StoreError> for ApiError {
    fn from(e: ladder_store::StoreError) -> ApiError {
        use ladder_store::StoreError::*;
        match e {
            NotFound => ApiError::not_found("record"),
            Conflict(m) => ApiError::conflict(m),
            Invalid(m) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", m),
            other => ApiError::internal(other),
        }
    }
}

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(e: axum::extract::rejection::JsonRejection) -> ApiError {
        // serde's message names the field and where it is ("missing field `title` at line 1 column 2").
        let text = e.body_text();
        let field = text.split('`').nth(1).map(str::to_string);
        ApiError { status: StatusCode::UNPROCESSABLE_ENTITY, code: "invalid", message: text, field }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// `Json<T>` whose rejections are API errors naming the field.
pub struct JsonBody<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for JsonBody<T>
where
    axum::Json<T>: axum::extract::FromRequest<S, Rejection = axum::extract::rejection::JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<JsonBody<T>, ApiError> {
        let axum::Json(value) = axum::Json::<T>::from_request(req, state).await?;
        Ok(JsonBody(value))
    }
}

/// Query strings whose rejections are API errors too.
pub struct QueryArgs<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for QueryArgs<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _state: &S) -> Result<QueryArgs<T>, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        serde_urlencoded_compat(query).map(QueryArgs)
    }
}

fn serde_urlencoded_compat<T: serde::de::DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    axum::extract::Query::<T>::try_from_uri(&format!("/?{query}").parse().expect("valid uri")).map(|q| q.0).map_err(
        |e| {
            let text = e.body_text();
            let field = text.split('`').nth(1).map(str::to_string);
            ApiError { status: StatusCode::UNPROCESSABLE_ENTITY, code: "invalid", message: text, field }
        },
    )
}
