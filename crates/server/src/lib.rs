//! # ladder-server
//!
//! `ladder serve`: the JSON API (described by an OpenAPI 3 document generated from the handlers)
//! and, on the same service layer, the web pages. Handlers stay thin: they authenticate, ask
//! [`ladder_core::access::allowed`], call the store and the core, and shape JSON.

pub mod anonymous;
pub mod api;
pub mod auth;
pub mod error;
pub mod headers;
pub mod live;
pub mod params;
pub mod pdf;
pub mod service;
pub mod session_store;
pub mod settings;
pub mod state;
pub mod web;

use std::net::SocketAddr;

use axum::Router;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub use error::ApiError;
pub use settings::Settings;
pub use state::AppState;

/// The cookie that carries a signed-in person's session id.
pub const SESSION_COOKIE: &str = "ladder_session";

/// The whole application: API, OpenAPI document, health check, sessions.
pub fn app(state: AppState) -> Router {
    let sessions = SessionManagerLayer::new(session_store::DbSessionStore::new(state.db.clone()))
        .with_name(SESSION_COOKIE)
        .with_secure(state.config.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(time::Duration::hours(12)));
    let (api, openapi) = api::router().split_for_parts();
    // Inside the routes (`route_layer`), where the matched path is known.
    let api = api.route_layer(axum::middleware::from_fn_with_state(
        api::params::Declared::of(&openapi),
        api::params::refuse_unknown,
    ));
    let openapi_json = std::sync::Arc::new(api::document::complete(&openapi));
    Router::new()
        .merge(api)
        .merge(
            web::router()
                .layer(axum::middleware::from_fn_with_state(state.clone(), web::error_page::dress))
                // Outside `dress`, so a dressed error page gets its count too.
                .layer(axum::middleware::from_fn_with_state(state.clone(), web::unread_count)),
        )
        .route(
            "/api/v1/openapi.json",
            axum::routing::get(move || {
                let doc = openapi_json.clone();
                async move { axum::Json((*doc).clone()) }
            }),
        )
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .route("/api", axum::routing::any(error::unknown_api_route))
        .route("/api/{*rest}", axum::routing::any(error::unknown_api_route))
        .layer(tower::util::MapResponseLayer::new(error::log_internal_errors))
        .layer(axum::middleware::from_fn_with_state(state.clone(), anonymous::limit))
        .layer(sessions)
        .layer(tower_http::limit::RequestBodyLimitLayer::new(api::imports::MAX_UPLOAD + 64 * 1024))
        .layer(axum::middleware::from_fn(error::json_api_errors))
        // Outside the layers that answer by themselves (413, the JSON error bodies), so their
        // answers carry the headers too.
        .layer(axum::middleware::from_fn(headers::secure))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves the application on `listener` until `shutdown` completes, sweeping expired sessions
/// every hour meanwhile. `ladder serve` binds the listener and the tests pass one on port 0, so
/// both start the server here.
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    serve_live(state, listener, false, shutdown).await
}

/// [`serve`], and with `daily_pipeline` the pipeline's background refresh too (`ladder serve`).
/// A framework overlay stored while it runs is taken up without a restart ([`live::Live`]).
pub async fn serve_live(
    state: AppState,
    listener: tokio::net::TcpListener,
    daily_pipeline: bool,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    use tower::ServiceExt;
    let _sweeper = AbortOnDrop(tokio::spawn(sweep_expired_sessions(state.clone())));
    let live = live::Live::start(state, daily_pipeline).await?;
    let routes = tower::service_fn(move |request: axum::extract::Request| {
        let live = live.clone();
        async move { live.router().await.oneshot(request).await }
    });
    let outer = Router::new().fallback_service(routes);
    axum::serve(listener, outer.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

/// Hourly: expired sessions, sign-in counters idle for a day, idle addresses of the limiter.
async fn sweep_expired_sessions(state: AppState) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let now = chrono::Utc::now();
        if let Err(e) = ladder_store::sessions::delete_expired(&state.db, now).await {
            tracing::warn!("session sweep failed: {e}");
        }
        if let Err(e) = ladder_store::throttle::sweep(&state.db, now - chrono::Duration::days(1)).await {
            tracing::warn!("sign-in counter sweep failed: {e}");
        }
        if let Err(e) = ladder_store::form_keys::sweep(&state.db, now - chrono::Duration::days(1)).await {
            tracing::warn!("form key sweep failed: {e}");
        }
        state.anonymous_limiter.forget_idle();
    }
}

/// A background task that ends with the server that started it (also when the server's own
/// task is aborted, as the tests do).
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
