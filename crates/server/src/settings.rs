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

/// The settings the handlers read while serving. Its `Debug` hides the SMTP URL's password (a
/// config is logged and printed in panics).
#[derive(Clone)]
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

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Destructured so a new field cannot be left out (or printed unredacted) unnoticed.
        let Config {
            secure_cookies,
            public_url,
            login_attempts,
            login_window_minutes,
            anonymous_per_second,
            explorer_public,
            leaver_link_days,
            framework_check,
            smtp_url,
            mail_from,
            mail_folder,
            reminder_mail_minutes,
            self_signup,
            supervisor_link_days,
        } = self;
        f.debug_struct("Config")
            .field("secure_cookies", secure_cookies)
            .field("public_url", &redact_url(public_url))
            .field("login_attempts", login_attempts)
            .field("login_window_minutes", login_window_minutes)
            .field("anonymous_per_second", anonymous_per_second)
            .field("explorer_public", explorer_public)
            .field("leaver_link_days", leaver_link_days)
            .field("framework_check", framework_check)
            .field("smtp_url", &smtp_url.as_deref().map(redact_url))
            .field("mail_from", mail_from)
            .field("mail_folder", mail_folder)
            .field("reminder_mail_minutes", reminder_mail_minutes)
            .field("self_signup", self_signup)
            .field("supervisor_link_days", supervisor_link_days)
            .finish()
    }
}

/// A URL with the password of its user part hidden: `smtps://user:***@host`. Everything up to
/// the last `@` counts as the user part, so a password holding `/`, `?` or `@` is hidden too
/// (at worst, more than the password is).
pub fn redact_url(url: &str) -> String {
    let start = url.find("://").map_or(0, |i| i + 3);
    let Some(at) = url[start..].rfind('@').map(|i| start + i) else { return url.to_string() };
    let user = match url[start..at].split_once(':') {
        Some((user, _)) => format!("{user}:***"),
        None => "***".to_string(),
    };
    format!("{}{user}{}", &url[..start], &url[at..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_smtp_password_and_keeps_the_rest() {
        let config = Config {
            smtp_url: Some("smtps://mailer:s3cr%40t/x?y@mail.example.org:465?tls=required".into()),
            ..Config::default()
        };
        let settings = Settings { app: config.clone(), ..Settings::default() };
        for shown in [format!("{config:?}"), format!("{settings:?}"), format!("{config:#?}")] {
            assert!(!shown.contains("s3cr"), "{shown}");
            assert!(shown.contains("smtps://mailer:***@mail.example.org:465?tls=required"), "{shown}");
            assert!(shown.contains("login_attempts: 5") && shown.contains("self_signup: false"), "{shown}");
        }
        let none = format!("{:?}", Config::default());
        assert!(none.contains("smtp_url: None") && none.contains("public_url: \"http://127.0.0.1:8080\""), "{none}");
    }

    #[test]
    fn a_url_loses_only_its_password() {
        assert_eq!(redact_url("smtp://mail.example.org:25"), "smtp://mail.example.org:25");
        assert_eq!(redact_url("smtp://u:p@h:587?tls=required"), "smtp://u:***@h:587?tls=required");
        assert_eq!(redact_url("smtp://token@h"), "smtp://***@h");
        assert_eq!(redact_url("u:p@h"), "u:***@h");
    }
}
