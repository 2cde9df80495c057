//! `ladder me`: a personal Ladder for one person on their own machine (issue 30). They are the
//! agent and their own admin, in an organisation of one; they type or import their KRA figures,
//! keep their log, plan and check-ins, and review their own check-ins. `ladder serve` on an
//! empty database only says how to start ([`hint_if_empty`]); it asks nothing. `ladder me
//! invite` makes the link that invites a supervisor.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context};
use chrono::{NaiveDate, Utc};
use clap::Args;
use ladder_core::Framework;
use ladder_server::service::personal::{self, SetUp};
use ladder_store::Db;

use crate::db_arg::DatabaseArgs;
use crate::serve_cmd::ServerArgs;

/// Where a person who presses Enter starts: the first entry role of the built-in framework.
const DEFAULT_ROLE: &str = "customer-service-executive";

#[derive(Args, Debug, Clone, Default)]
pub struct Answers {
    /// Your name (asked when left out and a terminal is attached).
    #[arg(long)]
    pub name: Option<String>,
    /// The e-mail you sign in with.
    #[arg(long)]
    pub email: Option<String>,
    /// Your current role, by id or name (`ladder framework show` lists them; default
    /// customer-service-executive).
    #[arg(long, value_name = "ROLE")]
    pub role: Option<String>,
    /// The day you started with your employer, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub hire_date: Option<NaiveDate>,
    /// Your employee code, for imports and exports.
    #[arg(long, default_value = "me")]
    pub code: String,
    /// The country you work in (optional).
    #[arg(long, default_value = "")]
    pub country: String,
    /// Your time zone (IANA name, e.g. Asia/Manila), for shifts and well-being.
    #[arg(long, default_value = "UTC", value_name = "ZONE")]
    pub timezone: String,
    /// Your employer's name (optional): your record's and JSON Resume's work history name it.
    #[arg(long, default_value = "")]
    pub employer: String,
    /// Read the password from standard input (first line) instead of asking for it.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct MeArgs {
    #[command(subcommand)]
    pub action: Option<MeAction>,
    #[command(flatten)]
    pub answers: Answers,
    /// Only set it up; do not start the server.
    #[arg(long)]
    pub no_serve: bool,
    #[command(flatten)]
    pub db: DatabaseArgs,
    #[command(flatten)]
    pub server: ServerArgs,
}

#[derive(clap::Subcommand, Debug)]
pub enum MeAction {
    /// Make a one-time link that makes its holder your supervisor (they review your check-ins
    /// and see what you share); a link still waiting stops working.
    Invite(InviteArgs),
}

#[derive(Args, Debug)]
pub struct InviteArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,
    /// The address people reach your Ladder at, which the link starts with.
    #[arg(long, env = "LADDER_PUBLIC_URL", default_value_t = ladder_server::state::Config::default().public_url, value_name = "URL")]
    pub public_url: String,
    /// Days the link works.
    #[arg(long, env = "LADDER_SUPERVISOR_LINK_DAYS", value_name = "DAYS",
          default_value_t = ladder_server::state::Config::default().supervisor_link_days,
          value_parser = clap::value_parser!(i64).range(1..=30))]
    pub days: i64,
}

/// `ladder me invite`: whoever holds the database is the person (as `ladder export` trusts them).
fn invite(args: InviteArgs) -> anyhow::Result<ExitCode> {
    crate::serve_cmd::runtime_with(2)?.block_on(async {
        let db = args.db.open().await?;
        let owner = ladder_store::org::personal::owner(&db).await?;
        let Some(owner) = owner else {
            db.close().await;
            bail!("this database is not a personal Ladder (`ladder me` sets one up); an organisation invites with `ladder user add`");
        };
        let config = ladder_server::state::Config {
            public_url: args.public_url.trim_end_matches('/').to_string(),
            supervisor_link_days: args.days,
            ..Default::default()
        };
        let made = ladder_server::service::supervisor::issue(&db, &config, owner.team_id, owner.user_id).await;
        db.close().await;
        let link = made.map_err(|e| anyhow!("{}", e.with_cause()))?;
        println!("Send this link to your supervisor; it works once, until {}:", link.expires_at.format("%Y-%m-%d %H:%M UTC"));
        println!("{}", link.link);
        println!("They will see your KRAs, plans, check-ins and shared log entries, and review your check-ins;");
        println!("like a team leader they may also set your KRA targets, correct typed figures and assess your skills.");
        Ok(ExitCode::SUCCESS)
    })
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    ladder_core::dates::parse(s).map_err(|e| e.to_string())
}

pub fn run(
    framework: Framework,
    flags: &crate::framework_cmd::FrameworkFlags,
    args: MeArgs,
) -> anyhow::Result<ExitCode> {
    if let Some(MeAction::Invite(invite_args)) = args.action {
        return invite(invite_args);
    }
    let settings = args.server.settings(args.db.store.settings());
    crate::serve_cmd::runtime_with(settings.worker_threads)?.block_on(async {
        let db = args.db.open().await?;
        // An occupied database is refused before any question (a read; the write re-checks).
        if !personal::is_empty(&db).await.map_err(|e| anyhow!("{}", e.with_cause()))? {
            db.close().await;
            bail!("this database already holds an organisation or users: a personal Ladder needs an empty one");
        }
        let framework = crate::framework_cmd::in_force(&db, framework, flags).await?;
        // Every question is asked before anything is written: a refused answer writes nothing.
        let set_up = ask(&framework, &args.answers)?;
        write(&db, &framework, &set_up, &settings.app.public_url).await?;
        if args.no_serve {
            db.close().await;
            println!("Serve it with: ladder serve --database {}", crate::db_arg::redact(&args.db.url()?));
            return Ok(ExitCode::SUCCESS);
        }
        crate::serve_cmd::init_tracing("info,sqlx=warn");
        crate::serve_cmd::serve(db, framework, settings).await?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Writes the personal Ladder and says how to use it.
async fn write(db: &Db, framework: &Framework, s: &SetUp, url: &str) -> anyhow::Result<()> {
    personal::set_up(db, framework, s).await.map_err(|e| match &e.field {
        Some(field) => anyhow!("{field}: {}", e.with_cause()),
        None => anyhow!("{}", e.with_cause()),
    })?;
    let role = framework.find_role(&s.role).map(|r| r.name.clone()).unwrap_or_else(|_| s.role.clone());
    println!("Your personal Ladder is ready: {} ({}), {role} since {}.", s.name.trim(), s.email.trim(), s.hire_date);
    println!("You are the agent and your own admin; you review your own check-ins.");
    println!("Sign in at {url}/signin with {} and your password.", s.email.trim());
    println!("Type your month's figures under KRAs ({url}/kras) or import them: ladder import kpi FILE.");
    Ok(())
}

/// On `ladder serve` over an empty database: say how to start. Never a question — a server
/// started at a terminal must not wait for (or take Enter as) an answer.
pub async fn hint_if_empty(db: &Db) -> anyhow::Result<()> {
    if personal::is_empty(db).await.map_err(|e| anyhow!("{}", e.with_cause()))? {
        println!("This database is empty: `ladder me` sets up a personal Ladder, `ladder demo` a sample organisation,");
        println!("and `ladder import people FILE` then `ladder user add` an organisation's own.");
    }
    Ok(())
}

/// The answers: flags first, then questions at a terminal (with defaults), else an error
/// naming the missing flag.
fn ask(framework: &Framework, given: &Answers) -> anyhow::Result<SetUp> {
    let interactive = std::io::stdin().is_terminal() && !given.password_stdin;
    let value = |flag: &str, given: &Option<String>, question: &str, default: Option<&str>| -> anyhow::Result<String> {
        match given {
            Some(v) => Ok(v.clone()),
            None if interactive => prompt(question, default),
            None => match default {
                Some(d) => Ok(d.to_string()),
                None => bail!("--{flag} is required (or run `ladder me` in a terminal to be asked)"),
            },
        }
    };
    let name = value("name", &given.name, "Your name", None)?;
    let email = value("email", &given.email, "Your e-mail (you sign in with it)", None)?;
    if interactive && given.role.is_none() {
        let entry: Vec<&str> = framework.roles.iter().filter(|r| r.level <= 1).map(|r| r.name.as_str()).collect();
        println!("Roles of the framework include: {} (`ladder framework show` lists all).", entry.join(", "));
    }
    let role = value("role", &given.role, "Your current role", Some(DEFAULT_ROLE))?;
    let today = Utc::now().date_naive().to_string();
    let hire_date = match given.hire_date {
        Some(d) => d,
        None => {
            let raw = value("hire-date", &None, "The day you started (YYYY-MM-DD)", Some(&today))?;
            parse_day(raw.trim()).map_err(|e| anyhow!("hire date: {e}"))?
        }
    };
    let password = if given.password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).context("cannot read the password from standard input")?;
        line.trim_end_matches(['\r', '\n']).to_string()
    } else if interactive {
        let first = rpassword::prompt_password("Choose a password (10 characters or more): ")?;
        let again = rpassword::prompt_password("The same password again: ")?;
        if first != again {
            bail!("the two passwords differ; nothing was written");
        }
        first
    } else {
        bail!("--password-stdin is required without a terminal (the first line of standard input)");
    };
    Ok(SetUp {
        name,
        email,
        password,
        role,
        hire_date,
        code: given.code.clone(),
        country: given.country.clone(),
        timezone: given.timezone.clone(),
        employer: given.employer.clone(),
    })
}

/// One question at the terminal; Enter takes the default.
fn prompt(question: &str, default: Option<&str>) -> anyhow::Result<String> {
    let mut out = std::io::stdout().lock();
    match default {
        Some(d) => write!(out, "{question} [{d}]: ")?,
        None => write!(out, "{question}: ")?,
    }
    out.flush()?;
    let mut line = String::new();
    if std::io::stdin().lock().read_line(&mut line)? == 0 {
        bail!("no answer (end of input); nothing was written");
    }
    let line = line.trim().to_string();
    match (line.is_empty(), default) {
        (true, Some(d)) => Ok(d.to_string()),
        (true, None) => bail!("{question}: an answer is needed; nothing was written"),
        (false, _) => Ok(line),
    }
}
