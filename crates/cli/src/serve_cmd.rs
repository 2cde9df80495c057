//! `ladder serve`: the API and the pages over a database, with the server's settings as flags.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::builder::RangedI64ValueParser;
use clap::{value_parser, Args};
use ladder_core::Framework;
use ladder_server::state::{AppState, Config};
use ladder_server::Settings;
use ladder_store::db::StoreSettings;
use ladder_store::Db;

use crate::db_arg::DatabaseArgs;

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,
    #[command(flatten)]
    pub server: ServerArgs,
}

/// How the server runs: the flags of [`Settings`], whose defaults they show; shared with
/// `ladder demo`.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Server settings")]
pub struct ServerArgs {
    /// The address to listen on (port 0 picks a free port).
    #[arg(long, env = "LADDER_BIND", value_name = "ADDR", default_value_t = Settings::default().bind)]
    pub bind: SocketAddr,
    /// The address people reach Ladder at, used in invitation links (default: http://ADDR).
    #[arg(long, env = "LADDER_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// Mark cookies Secure, sent over HTTPS only (default: on when the public URL is https).
    #[arg(long, env = "LADDER_SECURE_COOKIES", value_name = "BOOL", num_args = 0..=1, default_missing_value = "true",
          value_parser = clap::builder::BoolishValueParser::new())]
    pub secure_cookies: Option<bool>,
    /// Threads of the async runtime (default: twice the cores, so a SQLite read waiting on the
    /// disk stalls a smaller share of the server).
    #[arg(long, env = "LADDER_WORKER_THREADS", value_name = "N", default_value_t = Settings::default().worker_threads,
          value_parser = RangedI64ValueParser::<usize>::new().range(1..=1024))]
    pub worker_threads: usize,
    /// Sign-in tries per email and address in the window before each further try waits 1, 2, 4 …
    /// minutes; an address may fail 20× this, an email from all addresses 10× (1–1,000).
    #[arg(long, env = "LADDER_LOGIN_ATTEMPTS", value_name = "N", default_value_t = Config::default().login_attempts,
          value_parser = value_parser!(i64).range(1..=1000))]
    pub login_attempts: i64,
    /// The window over which failed sign-ins are counted, in minutes (at most a week, 10,080).
    #[arg(long, env = "LADDER_LOGIN_WINDOW_MINUTES", value_name = "MINUTES",
          default_value_t = Config::default().login_window_minutes, value_parser = value_parser!(i64).range(1..=10_080))]
    pub login_window_minutes: i64,
    /// Requests per second an address may make without signing in, in bursts of five seconds'
    /// worth (1–100,000).
    #[arg(long, env = "LADDER_ANONYMOUS_PER_SECOND", value_name = "N",
          default_value_t = Config::default().anonymous_per_second, value_parser = value_parser!(u32).range(1..=100_000))]
    pub anonymous_per_second: u32,
    /// Show the career explorer to people not signed in (off: it needs a sign-in).
    #[arg(long, env = "LADDER_EXPLORER_PUBLIC", value_name = "BOOL", default_value_t = Config::default().explorer_public,
          action = clap::ArgAction::Set, value_parser = clap::builder::BoolishValueParser::new())]
    pub explorer_public: bool,
    /// Days the one-time link to a leaver's record works.
    #[arg(long, env = "LADDER_LEAVER_LINK_DAYS", value_name = "DAYS", default_value_t = Config::default().leaver_link_days,
          value_parser = value_parser!(i64).range(1..=366))]
    pub leaver_link_days: i64,
    /// Days the one-time link that invites a supervisor into a personal Ladder works.
    #[arg(long, env = "LADDER_SUPERVISOR_LINK_DAYS", value_name = "DAYS",
          default_value_t = Config::default().supervisor_link_days, value_parser = value_parser!(i64).range(1..=30))]
    pub supervisor_link_days: i64,
    /// Send e-mail through this SMTP server (`smtp://host:25`, `smtps://user:pass@host`,
    /// `smtp://host:587?tls=required`); without it, mail is written to --mail-folder as .eml files.
    #[arg(long, env = "LADDER_SMTP_URL", value_name = "URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The sender of Ladder's e-mail.
    #[arg(long, env = "LADDER_MAIL_FROM", value_name = "MAILBOX", default_value_t = Config::default().mail_from)]
    pub mail_from: String,
    /// Where mail is written without --smtp-url (default: ladder-mail in the temporary folder).
    #[arg(long, env = "LADDER_MAIL_FOLDER", value_name = "DIR")]
    pub mail_folder: Option<std::path::PathBuf>,
    /// Minutes between passes of the reminder e-mails (0: send none; at most a week, 10,080).
    #[arg(long, env = "LADDER_REMINDER_MAIL_MINUTES", value_name = "MINUTES",
          default_value_t = Config::default().reminder_mail_minutes, value_parser = value_parser!(u64).range(0..=10_080))]
    pub reminder_mail_minutes: u64,
    /// Let visitors make their own account (explorer and personal plan) by confirming their e-mail.
    #[arg(long, env = "LADDER_SELF_SIGNUP", value_name = "BOOL", default_value_t = Config::default().self_signup,
          action = clap::ArgAction::Set, value_parser = clap::builder::BoolishValueParser::new())]
    pub self_signup: bool,
}

impl ServerArgs {
    /// Refuses settings that cannot work: self sign-up mails its links, so it needs an SMTP
    /// server, or a mail folder named on purpose (someone reads it).
    pub fn check(&self) -> anyhow::Result<()> {
        let smtp = self.smtp_url.as_deref().is_some_and(|u| !u.trim().is_empty());
        if self.self_signup && !smtp && self.mail_folder.is_none() {
            anyhow::bail!("--self-signup needs --smtp-url (or an explicit --mail-folder) to send its links");
        }
        Ok(())
    }

    pub fn settings(&self, store: StoreSettings) -> Settings {
        let public_url = self.public_url.clone().unwrap_or_else(|| {
            let host =
                if self.bind.ip().is_unspecified() { "localhost".to_string() } else { self.bind.ip().to_string() };
            let host = if self.bind.is_ipv6() && host != "localhost" { format!("[{host}]") } else { host };
            format!("http://{host}:{}", self.bind.port())
        });
        Settings {
            bind: self.bind,
            worker_threads: self.worker_threads,
            store,
            app: Config {
                secure_cookies: self.secure_cookies.unwrap_or_else(|| public_url.starts_with("https://")),
                public_url,
                login_attempts: self.login_attempts,
                login_window_minutes: self.login_window_minutes,
                anonymous_per_second: self.anonymous_per_second,
                explorer_public: self.explorer_public,
                leaver_link_days: self.leaver_link_days,
                supervisor_link_days: self.supervisor_link_days,
                smtp_url: self.smtp_url.clone().filter(|u| !u.trim().is_empty()),
                mail_from: self.mail_from.clone(),
                mail_folder: self.mail_folder.clone().unwrap_or_else(|| Config::default().mail_folder),
                reminder_mail_minutes: self.reminder_mail_minutes,
                self_signup: self.self_signup,
                ..Config::default()
            },
        }
    }
}

/// Logs to stderr; `RUST_LOG` picks what (default: `default`).
pub fn init_tracing(default: &str) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

/// The runtime of a command that is not a server: the default number of worker threads.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    runtime_with(Settings::default().worker_threads)
}

pub fn runtime_with(worker_threads: usize) -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().worker_threads(worker_threads).enable_all().build()?)
}

pub fn run(
    framework: Framework,
    flags: &crate::framework_cmd::FrameworkFlags,
    args: ServeArgs,
) -> anyhow::Result<ExitCode> {
    init_tracing("info,sqlx=warn");
    args.server.check()?;
    let mut settings = args.server.settings(args.db.store.settings());
    runtime_with(settings.worker_threads)?.block_on(async {
        let db = args.db.open().await?;
        let framework = crate::framework_cmd::in_force(&db, framework, flags).await?;
        if flags.replace.is_some() || flags.extend.is_some() {
            // A framework from the command line stays: a stored overlay is taken up on restart.
            settings.app.framework_check = std::time::Duration::MAX;
        }
        crate::me_cmd::hint_if_empty(&db).await?;
        serve(db, framework, settings).await
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Serves until Ctrl-C, printing where (the line tests and scripts read is "Ladder is listening
/// on http://…").
pub async fn serve(db: Db, framework: Framework, settings: Settings) -> anyhow::Result<()> {
    ladder_server::service::mail::Mailer::from_config(&settings.app)
        .map_err(|e| anyhow::anyhow!("mail settings: {e}"))?;
    let state = AppState::new(db, framework, settings.app);
    // Reminder e-mails read names from the framework it starts with (a live overlay renames later).
    ladder_server::service::mail::spawn_reminders(state.clone());
    // Coaching follow-ups coming up become notifications; old read ones are swept.
    ladder_server::service::notifications::spawn_daily(state.clone());
    let listener = tokio::net::TcpListener::bind(settings.bind).await?;
    let bound = listener.local_addr()?;
    let host = if bound.ip().is_unspecified() { format!("localhost:{}", bound.port()) } else { bound.to_string() };
    println!("Ladder is listening on http://{host}");
    println!("  Career explorer (no sign-in): http://{host}/explore");
    println!("  API: http://{host}/api/v1 (OpenAPI document: http://{host}/api/v1/openapi.json)");
    match &state.config.smtp_url {
        Some(_) => println!("  E-mail: through SMTP"),
        None => println!("  E-mail: written to {}", state.config.mail_folder.display()),
    }
    println!("  Stop with Ctrl-C.");
    // Tenure grows daily: the pipeline's rows are recomputed in the background, the pages say so.
    let daily_pipeline = true;
    ladder_server::serve_live(state, listener, daily_pipeline, async {
        tokio::signal::ctrl_c().await.ok();
    })
    .await
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::*;

    #[derive(Parser)]
    struct Probe {
        #[command(flatten)]
        serve: ServeArgs,
    }

    fn settings(args: &[&str]) -> Settings {
        let probe = Probe::try_parse_from(std::iter::once("ladder").chain(args.iter().copied())).unwrap();
        probe.serve.server.settings(probe.serve.db.store.settings())
    }

    #[test]
    fn the_flags_build_the_settings_with_the_settings_defaults() {
        let (given, defaults) = (settings(&[]), Settings::default());
        assert_eq!((given.bind, given.worker_threads), (defaults.bind, defaults.worker_threads));
        assert_eq!(given.store, defaults.store);
        let app =
            (given.app.secure_cookies, given.app.public_url, given.app.login_attempts, given.app.login_window_minutes);
        let default_app = defaults.app;
        assert_eq!(
            app,
            (
                default_app.secure_cookies,
                default_app.public_url,
                default_app.login_attempts,
                default_app.login_window_minutes
            )
        );

        let set = settings(&[
            "--bind=0.0.0.0:9000",
            "--secure-cookies",
            "--worker-threads=3",
            "--login-attempts=9",
            "--login-window-minutes=30",
            "--anonymous-per-second=7",
            "--sqlite-connections=5",
            "--sqlite-direct-reads=0",
            "--postgres-connections=7",
        ]);
        assert_eq!((set.bind.port(), set.worker_threads), (9000, 3));
        assert_eq!(
            set.store,
            StoreSettings { sqlite_connections: 5, sqlite_direct_reads: false, postgres_connections: 7 }
        );
        let app =
            (set.app.secure_cookies, set.app.public_url.as_str(), set.app.login_attempts, set.app.login_window_minutes);
        assert_eq!(app, (true, "http://localhost:9000", 9, 30));
        assert_eq!(set.app.anonymous_per_second, 7);
        assert!(set.app.explorer_public, "the explorer is public unless told otherwise");
        assert!(!settings(&["--explorer-public=false"]).app.explorer_public);
        assert!(!set.app.self_signup, "self sign-up is off unless turned on");
        assert_eq!((set.app.smtp_url.as_deref(), set.app.reminder_mail_minutes), (None, 15));
        let mail =
            settings(&["--self-signup=true", "--smtp-url=smtp://127.0.0.1:2525", "--reminder-mail-minutes=0"]).app;
        assert!(mail.self_signup);
        let parse = |args: &[&str]| {
            let probe = Probe::try_parse_from(std::iter::once("ladder").chain(args.iter().copied())).unwrap();
            probe.serve.server.check()
        };
        assert!(parse(&["--self-signup=true"]).is_err(), "sign-up links would go nowhere");
        assert!(parse(&["--self-signup=true", "--mail-folder=/srv/mail"]).is_ok());
        assert!(parse(&["--self-signup=true", "--smtp-url=smtp://127.0.0.1:2525"]).is_ok());
        assert_eq!((mail.smtp_url.as_deref(), mail.reminder_mail_minutes), (Some("smtp://127.0.0.1:2525"), 0));
        // Behind TLS, cookies are Secure unless told otherwise.
        assert!(settings(&["--public-url=https://ladder.example"]).app.secure_cookies);
        assert!(!settings(&["--public-url=https://ladder.example", "--secure-cookies=false"]).app.secure_cookies);
        assert!(!settings(&["--public-url=http://10.0.0.5:8080"]).app.secure_cookies);
        for out_of_range in [
            "--worker-threads=0",
            "--login-attempts=0",
            "--login-attempts=1001",
            "--login-window-minutes=10081",
            "--login-window-minutes=9223372036854775807",
            "--anonymous-per-second=0",
        ] {
            assert!(Probe::try_parse_from(["ladder", out_of_range]).is_err(), "{out_of_range}");
        }
    }

    #[test]
    fn every_setting_has_its_environment_variable() {
        let command = Probe::command();
        let env: Vec<String> =
            command.get_arguments().filter_map(|a| a.get_env()).map(|e| e.to_string_lossy().into_owned()).collect();
        let expected = [
            "LADDER_DATABASE",
            "LADDER_SQLITE_CONNECTIONS",
            "LADDER_SQLITE_DIRECT_READS",
            "LADDER_POSTGRES_CONNECTIONS",
            "LADDER_BIND",
            "LADDER_PUBLIC_URL",
            "LADDER_SECURE_COOKIES",
            "LADDER_WORKER_THREADS",
            "LADDER_LOGIN_ATTEMPTS",
            "LADDER_LOGIN_WINDOW_MINUTES",
            "LADDER_ANONYMOUS_PER_SECOND",
            "LADDER_EXPLORER_PUBLIC",
            "LADDER_LEAVER_LINK_DAYS",
            "LADDER_SUPERVISOR_LINK_DAYS",
            "LADDER_SMTP_URL",
            "LADDER_MAIL_FROM",
            "LADDER_MAIL_FOLDER",
            "LADDER_REMINDER_MAIL_MINUTES",
            "LADDER_SELF_SIGNUP",
        ];
        assert_eq!(env, expected);
    }
}
