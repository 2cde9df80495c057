//! What every handler can reach.

use std::sync::Arc;

use ladder_core::scoring::MetricIndex;
use ladder_core::Framework;
use ladder_store::Db;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub framework: Arc<Framework>,
    pub metrics: Arc<MetricIndex>,
    /// KRA plans kept resolved across requests.
    pub plans: Arc<crate::service::plans::PlanCache>,
    /// Roll-ups kept while the figures they come from stay the same.
    pub rollups: Arc<crate::service::rollups::RollupCache>,
    pub config: Arc<Config>,
    /// Imports running in the background on this server.
    pub imports: Arc<crate::service::imports::Jobs>,
}

#[derive(Debug, Clone)]
pub struct Config {
    /// Mark cookies Secure (behind TLS).
    pub secure_cookies: bool,
    /// The address people reach Ladder at, for invitation links.
    pub public_url: String,
    /// Failed sign-ins allowed per email (and 4× per client address) in the window.
    pub login_attempts: i64,
    pub login_window_minutes: i64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            secure_cookies: false,
            public_url: "http://127.0.0.1:8080".into(),
            login_attempts: 5,
            login_window_minutes: 15,
        }
    }
}

impl AppState {
    pub fn new(db: Db, framework: Framework, config: Config) -> AppState {
        let metrics = MetricIndex::new(&framework);
        let plans = crate::service::plans::PlanCache::new(&framework);
        AppState {
            db,
            plans: Arc::new(plans),
            rollups: Arc::default(),
            framework: Arc::new(framework),
            metrics: Arc::new(metrics),
            config: Arc::new(config),
            imports: Arc::default(),
        }
    }
}
