//! The framework in force may change while the server runs: `ladder framework apply` stores a
//! new overlay version in the database. Every request asks [`Live`] for the current routes; at
//! most once every [`crate::state::Config::framework_check`] that looks up the stored version (one indexed
//! `MAX`), and on a new one builds the framework again, a state around it (plans, metric index,
//! the versions stored scores and pipeline rows are kept under) and the routes, and restarts
//! the background workers on it, so stored scores and pipeline rows go stale and are computed
//! again under the new version. Requests already running finish on the state they began with.

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::Router;
use ladder_core::Framework;

use crate::state::AppState;
use crate::AbortOnDrop;

/// What requests are served with now.
struct Current {
    state: AppState,
    router: Router,
    /// The stored overlay version the state was built from (`None`: no overlay stored).
    version: Option<i64>,
    _workers: Vec<AbortOnDrop>,
}

/// The routes in force, rebuilt when the stored framework overlay changes.
pub struct Live {
    current: RwLock<Arc<Current>>,
    /// When the stored version is next looked up.
    next_check: Mutex<Instant>,
    /// One reload at a time.
    reloading: tokio::sync::Mutex<()>,
    every: Duration,
    daily_pipeline: bool,
}

impl Live {
    /// Serves `state`, whose framework is the one of the stored overlay version read now.
    pub async fn start(state: AppState, daily_pipeline: bool) -> anyhow::Result<Arc<Live>> {
        let version = ladder_store::overlays::current_version(&state.db).await?;
        let every = state.config.framework_check;
        Ok(Arc::new(Live {
            current: RwLock::new(Arc::new(Current::of(state, version, daily_pipeline))),
            next_check: Mutex::new(Instant::now().checked_add(every).unwrap_or_else(Instant::now)),
            reloading: tokio::sync::Mutex::new(()),
            every,
            daily_pipeline,
        }))
    }

    /// The state requests are served with now.
    pub fn state(&self) -> AppState {
        self.now().state.clone()
    }

    fn now(&self) -> Arc<Current> {
        self.current.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The routes to serve a request with: after a look at the stored version when one is due.
    pub async fn router(&self) -> Router {
        if self.due() {
            self.reload_if_changed().await;
        }
        self.now().router.clone()
    }

    fn due(&self) -> bool {
        // MAX: the framework came from the command line (--framework/--extend), not the store.
        if self.every == Duration::MAX {
            return false;
        }
        let mut next = self.next_check.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        if now < *next {
            return false;
        }
        *next = now + self.every;
        true
    }

    /// Builds everything again when the stored overlay version is not the one served. A
    /// version that does not build (it was valid when applied, so only after an upgrade) is
    /// logged and the framework in force kept.
    pub async fn reload_if_changed(&self) {
        let _one = self.reloading.lock().await;
        let current = self.now();
        let db = &current.state.db;
        match ladder_store::overlays::current_version(db).await {
            Ok(version) if version == current.version => return,
            Ok(_) => {}
            Err(e) => return tracing::warn!("checking the stored framework overlay failed: {e}"),
        }
        let stored = match ladder_store::overlays::current(db).await {
            Ok(stored) => stored,
            Err(e) => return tracing::warn!("checking the stored framework overlay failed: {e}"),
        };
        let Some(stored) = stored.filter(|s| Some(s.version) != current.version) else { return };
        let framework = match Framework::default_with_overlay(&stored.overlay) {
            Ok(fw) => fw,
            Err(e) => {
                tracing::warn!(
                    version = stored.version,
                    "the stored framework overlay does not build, kept the one in force: {e}"
                );
                return;
            }
        };
        let state = current.state.with_framework(framework);
        tracing::info!(version = stored.version, "framework overlay changed: reloaded");
        let next = Arc::new(Current::of(state, Some(stored.version), self.daily_pipeline));
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = next;
    }
}

impl Current {
    fn of(state: AppState, version: Option<i64>, daily_pipeline: bool) -> Current {
        let mut workers = vec![AbortOnDrop(tokio::spawn(crate::service::stored_scores::run_worker(state.clone())))];
        if daily_pipeline {
            workers.push(AbortOnDrop(crate::service::pipeline::spawn_daily_refresh(state.clone())));
        }
        Current { router: crate::app(state.clone()), state, version, _workers: workers }
    }
}

/// The default time between looks at the stored overlay version.
pub const DEFAULT_CHECK: Duration = Duration::from_secs(5);
