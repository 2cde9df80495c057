//! Every setting of a running server in one place, with its default. `ladder serve` builds them
//! from its flags, each also read from an environment variable (`ladder serve --help`; README.md
//! lists them).

use std::net::SocketAddr;

use ladder_store::db::StoreSettings;

/// How `ladder serve` runs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The address to listen on (port 0 picks a free port). Default: 127.0.0.1:8080.
    pub bind: SocketAddr,
    /// Threads of the async runtime. Default: twice the cores: SQLite's hot reads run on the
    /// worker that asks (`ladder_store::read`), and a page that is not in memory stalls that
    /// worker while the disk answers; with one worker per core that stalled half the server
    /// (p99 of 170–200 ms in some runs, BENCHMARKS.md).
    pub worker_threads: usize,
    /// How the database is opened: pool sizes, SQLite's direct reads.
    pub store: StoreSettings,
    /// What the handlers read while serving ([`crate::AppState::config`]).
    pub app: Config,
}

/// The settings the handlers read while serving.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark cookies Secure (sent over TLS only). Default: on when the public URL is https.
    pub secure_cookies: bool,
    /// The address people reach Ladder at, for invitation links. Default: http://BIND.
    pub public_url: String,
    /// Sign-in tries per email and address pair in the window before each further try waits
    /// (1, 2, 4 … minutes); an address may fail 20× this, an email from all addresses 10×.
    /// Default: 5.
    pub login_attempts: i64,
    /// The window failed sign-ins are counted over, in minutes. Default: 15.
    pub login_window_minutes: i64,
    /// Requests per second an address may make without signing in (bursts of five seconds'
    /// worth). Default: 20.
    pub anonymous_per_second: u32,
    /// The career explorer (`/explore`, `/api/v1/explore`) is open to people not signed in,
    /// and `/` shows it to them. Off: it needs a sign-in like every other page. Default: on.
    pub explorer_public: bool,
    /// How long the one-time link to a leaver's record works, in days. Default: 30.
    pub leaver_link_days: i64,
    /// How long the one-time link that invites a supervisor into a personal Ladder works, in
    /// days. Default: 7.
    pub supervisor_link_days: i64,
    /// How often a request may look up the stored framework overlay's version, to take up one
    /// `ladder framework apply` stored while the server runs; `Duration::MAX` never looks (a
    /// framework given on the command line is kept). Default: 5 s.
    pub framework_check: std::time::Duration,
    /// Where e-mail goes: an SMTP URL (`smtp://host:25`, `smtps://user:pass@host`, or
    /// `smtp://host:587?tls=required`). None: each message is written to `mail_folder` as an
    /// `.eml` file, so the demo and the tests need no mail server. Default: none.
    pub smtp_url: Option<String>,
    /// The sender of Ladder's e-mail. Default: `Ladder <ladder@localhost>`.
    pub mail_from: String,
    /// The folder mail is written to without an SMTP URL. Default: `ladder-mail` in the system's
    /// temporary directory.
    pub mail_folder: std::path::PathBuf,
    /// Minutes between passes of the reminder e-mails in `ladder serve` (0: none are sent).
    /// Default: 15.
    pub reminder_mail_minutes: u64,
    /// Visitors may make their own account (explorer and personal plan) by confirming their
    /// e-mail; HR links it to an employee record later. Default: off.
    pub self_signup: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Settings {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            worker_threads: cores * 2,
            store: StoreSettings::default(),
            app: Config::default(),
        }
    }
}

impl Default for Config {
    fn default() -> Config {
        Config {
            secure_cookies: false,
            public_url: "http://127.0.0.1:8080".into(),
            login_attempts: 5,
            login_window_minutes: 15,
            anonymous_per_second: 20,
            explorer_public: true,
            leaver_link_days: 30,
            supervisor_link_days: 7,
            framework_check: crate::live::DEFAULT_CHECK,
            smtp_url: None,
            mail_from: "Ladder <ladder@localhost>".into(),
            mail_folder: std::env::temp_dir().join("ladder-mail"),
            reminder_mail_minutes: 15,
            self_signup: false,
        }
    }
}
