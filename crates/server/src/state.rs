//! What every handler can reach.

use std::sync::Arc;

use ladder_core::scoring::MetricIndex;
use ladder_core::Framework;
use ladder_store::Db;

pub use crate::settings::Config;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub framework: Arc<Framework>,
    pub metrics: Arc<MetricIndex>,
    /// KRA plans kept resolved across requests.
    pub plans: Arc<crate::service::plans::PlanCache>,
    /// Roll-ups kept while the figures they come from stay the same.
    pub rollups: Arc<crate::service::rollups::RollupCache>,
    /// Headcounts asked for lately, kept until the figures' version moves.
    pub headcounts: Arc<crate::service::headcount::KeptCounts>,
    /// Well-being roll-ups' sums, kept until the shifts' or the figures' version moves.
    pub wellbeing_rollups: Arc<crate::service::wellbeing_rollup::KeptSums>,
    /// The settings the handlers read (`Settings::app`).
    pub config: Arc<Config>,
    /// Imports running in the background on this server.
    pub imports: Arc<crate::service::imports::Jobs>,
    /// Signs the forms of people not signed in.
    pub form_key: Arc<crate::anonymous::FormKey>,
    /// Bounds the requests of people not signed in, per address.
    pub anonymous_limiter: Arc<crate::anonymous::Limiter>,
    /// The framework version stored scores are kept under ([`ladder_store::scores::framework_version`]).
    pub score_version: Arc<str>,
    /// The framework version pipeline rows are kept under ([`ladder_store::pipeline::framework_version`]).
    pub pipeline_version: Arc<str>,
    /// The pipeline snapshot's background refresh on this server, if one runs.
    pub pipeline_refresh: Arc<crate::service::pipeline::RefreshStatus>,
    /// Sends e-mail: SMTP, or `.eml` files in a folder (`Config::smtp_url`).
    pub mailer: Arc<crate::service::mail::Mailer>,
}

impl AppState {
    pub fn new(db: Db, framework: Framework, config: Config) -> AppState {
        let metrics = MetricIndex::new(&framework);
        let plans = crate::service::plans::PlanCache::new(&framework);
        let score_version = ladder_store::scores::framework_version(&framework);
        let pipeline_version = ladder_store::pipeline::framework_version(&framework);
        // `ladder serve` checks the mail settings before it starts; a bad one here (a test, a
        // command that sends no mail) falls back to the folder.
        let mailer = crate::service::mail::Mailer::from_config(&config).unwrap_or_else(|e| {
            tracing::warn!("mail settings refused ({e}); mail goes to {}", config.mail_folder.display());
            let folder = Config { smtp_url: None, mail_from: Config::default().mail_from, ..config.clone() };
            crate::service::mail::Mailer::from_config(&folder).expect("the default sender parses")
        });
        AppState {
            mailer: Arc::new(mailer),
            db,
            plans: Arc::new(plans),
            rollups: Arc::default(),
            headcounts: Arc::default(),
            wellbeing_rollups: Arc::default(),
            framework: Arc::new(framework),
            metrics: Arc::new(metrics),
            anonymous_limiter: Arc::new(crate::anonymous::Limiter::new(config.anonymous_per_second)),
            config: Arc::new(config),
            imports: Arc::default(),
            form_key: Arc::default(),
            score_version: score_version.into(),
            pipeline_version: pipeline_version.into(),
            pipeline_refresh: Arc::default(),
        }
    }

    /// The same server with another framework: what depends on the framework (plans, the
    /// metric index, roll-ups, the stored scores' and pipeline rows' versions) is new, the rest
    /// (imports running, form keys, the limiter, the pipeline refresh's status) is shared.
    pub fn with_framework(&self, framework: Framework) -> AppState {
        let fresh = AppState::new(self.db.clone(), framework, (*self.config).clone());
        AppState {
            config: self.config.clone(),
            imports: self.imports.clone(),
            form_key: self.form_key.clone(),
            anonymous_limiter: self.anonymous_limiter.clone(),
            pipeline_refresh: self.pipeline_refresh.clone(),
            ..fresh
        }
    }
}
