//! `ladder user add|reset|list`: accounts from the command line, through the same service code
//! as the admin API and pages (`ladder_server::service::accounts`), acting as an administrator.

use std::io::Read;
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context};
use chrono::Utc;
use clap::{Args, Subcommand};
use ladder_core::access::{Access, Actor};
use ladder_core::{EmployeeId, Framework, UserId};
use ladder_server::auth::Me;
use ladder_server::service::accounts::{self, Invite};
use ladder_server::state::{AppState, Config};
use ladder_server::ApiError;
use ladder_store::users::User;
use ladder_store::Db;

use crate::db_arg::DatabaseArgs;

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add a user. Without --password-stdin, prints a one-time link (valid 7 days) to set a password.
    Add(AddArgs),
    /// Sign a user out everywhere and print a new one-time link to set a password.
    Reset(ResetArgs),
    /// List the users.
    List(ListArgs),
}

#[derive(Args, Debug)]
pub struct AddArgs {
    #[arg(long)]
    pub email: String,
    #[arg(long)]
    pub name: String,
    /// agent, team-leader, manager, hr or admin.
    #[arg(long, value_parser = parse_access)]
    pub access: Access,
    /// The employee code of their own record (agents and team leaders need one).
    #[arg(long, value_name = "CODE")]
    pub employee: Option<String>,
    /// For managers and QA/trainers: a site they answer for (name or id); repeat for several.
    #[arg(long, value_name = "SITE")]
    pub site: Vec<String>,
    /// For managers: an account they answer for (name or id); repeat for several.
    #[arg(long, value_name = "ACCOUNT")]
    pub account: Vec<String>,
    /// Read the password from standard input (first line) instead of printing an invitation link.
    #[arg(long)]
    pub password_stdin: bool,
    #[command(flatten)]
    pub link: LinkArgs,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

#[derive(Args, Debug)]
pub struct ResetArgs {
    pub email: String,
    #[command(flatten)]
    pub link: LinkArgs,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

#[derive(Args, Debug)]
pub struct LinkArgs {
    /// The address people reach Ladder at, for the invitation link.
    #[arg(long, env = "LADDER_PUBLIC_URL", default_value_t = ladder_server::state::Config::default().public_url, value_name = "URL")]
    pub public_url: String,
}

fn parse_access(s: &str) -> Result<Access, String> {
    Access::parse(s).ok_or_else(|| format!("'{s}' is not one of agent, team-leader, manager, hr, admin, qa-trainer"))
}

/// The service layer's errors, as command-line errors.
fn api(e: ApiError) -> anyhow::Error {
    match &e.field {
        Some(field) => anyhow!("{field}: {}", e.with_cause()),
        None => anyhow!("{}", e.with_cause()),
    }
}

/// Whoever runs the command line holds the database: they act as an administrator.
fn operator() -> Me {
    let user = User {
        id: UserId(0),
        email: "command-line".into(),
        name: "ladder command line".into(),
        access: Access::Admin.as_str().into(),
        employee_id: None,
        password_hash: None,
        disabled: false,
        session_epoch: 0,
        created_at: Utc::now(),
    };
    let actor = Actor {
        user_id: UserId(0),
        access: Access::Admin,
        employee_id: None,
        led_teams: vec![],
        sites: vec![],
        accounts: vec![],
    };
    Me { user, actor, via_token: false }
}

fn state(db: Db, framework: Framework, public_url: &str) -> AppState {
    AppState::new(db, framework, Config { public_url: public_url.to_string(), ..Config::default() })
}

pub fn run(framework: Framework, command: UserCommand) -> anyhow::Result<ExitCode> {
    crate::serve_cmd::runtime()?.block_on(async move {
        match command {
            UserCommand::Add(args) => add(framework, args).await,
            UserCommand::Reset(args) => reset(framework, args).await,
            UserCommand::List(args) => list(framework, args).await,
        }
    })
}

async fn add(framework: Framework, args: AddArgs) -> anyhow::Result<ExitCode> {
    // Read the password first, so nothing is written when it is missing.
    let password = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin().read_to_string(&mut line).context("cannot read the password from standard input")?;
        let password = line.lines().next().unwrap_or("").to_string();
        ladder_server::auth::check_new_password(&password, Some(&args.email)).map_err(api)?;
        Some(password)
    } else {
        None
    };
    if args.access == Access::Trainer && (args.site.is_empty() || !args.account.is_empty()) {
        bail!("a qa-trainer works at sites: give --site (one or more), no --account");
    }
    let scoped = !args.site.is_empty() || !args.account.is_empty();
    if scoped && !matches!(args.access, Access::Manager | Access::Trainer) {
        bail!("--site and --account are for managers only");
    }
    let db = args.db.open().await?;
    let employee_id = match &args.employee {
        Some(code) => Some(
            ladder_store::org::employee_by_code(&db, code)
                .await
                .map_err(|_| anyhow!("no employee with code '{code}'"))?
                .id,
        ),
        None => None,
    };
    let sites = resolve(&args.site, "site", ladder_store::org::sites(&db).await?.into_iter().map(|s| (s.id, s.name)))?;
    let accounts =
        resolve(&args.account, "account", ladder_store::org::accounts(&db).await?.into_iter().map(|a| (a.id, a.name)))?;
    let state = state(db.clone(), framework, &args.link.public_url);
    let me = operator();
    let invite = Invite {
        email: args.email.clone(),
        name: args.name.clone(),
        access: args.access.as_str().to_string(),
        employee_id,
        sites,
        accounts,
    };
    let link = accounts::invite(&state, &me, &invite).await.map_err(api)?;
    match password {
        Some(password) => {
            // Redeem the invitation at once: the same checks and hashing as the invitation page.
            let token = link.link.rsplit('/').next().unwrap_or_default();
            accounts::accept_invitation(&state, token, &password).await.map_err(api)?;
            println!("Added {} ({}) as {}; they can sign in now.", args.email, args.name, args.access.as_str());
        }
        None => {
            println!("Added {} ({}) as {}.", args.email, args.name, args.access.as_str());
            println!("One-time link to set a password (valid until {}):", link.expires_at.format("%Y-%m-%d %H:%M UTC"));
            println!("{}", link.link);
        }
    }
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Ids for names or ids given on the command line.
fn resolve(given: &[String], what: &str, known: impl Iterator<Item = (i64, String)>) -> anyhow::Result<Vec<i64>> {
    let known: Vec<(i64, String)> = known.collect();
    given
        .iter()
        .map(|g| {
            known
                .iter()
                .find(|(id, name)| name.eq_ignore_ascii_case(g.trim()) || g.trim().parse() == Ok(*id))
                .map(|(id, _)| *id)
                .ok_or_else(|| {
                    let names: Vec<&str> = known.iter().map(|(_, n)| n.as_str()).take(20).collect();
                    anyhow!("no {what} '{g}' (known: {})", names.join(", "))
                })
        })
        .collect()
}

async fn reset(framework: Framework, args: ResetArgs) -> anyhow::Result<ExitCode> {
    let db = args.db.open().await?;
    let user = ladder_store::users::user_by_email(&db, &args.email)
        .await?
        .ok_or_else(|| anyhow!("no user with email {}", args.email))?;
    let state = state(db.clone(), framework, &args.link.public_url);
    let link = accounts::reset_access(&state, &operator(), user.id).await.map_err(api)?;
    println!("Signed {} out everywhere.", user.email);
    println!("One-time link to set a new password (valid until {}):", link.expires_at.format("%Y-%m-%d %H:%M UTC"));
    println!("{}", link.link);
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn list(framework: Framework, args: ListArgs) -> anyhow::Result<ExitCode> {
    let db = args.db.open().await?;
    let state = state(db.clone(), framework, "http://127.0.0.1:8080");
    let users = accounts::list_users(&state, &operator()).await.map_err(api)?;
    if args.json {
        crate::print_json(&users)?;
    } else {
        let employees: Vec<EmployeeId> = users.iter().filter_map(|u| u.employee_id).collect();
        let codes = ladder_store::org::codes(&db, &employees).await?;
        let width = users.iter().map(|u| u.email.len()).max().unwrap_or(5).max(5);
        println!("{:<width$}  {:<11}  {:<9}  {:<10}  NAME", "EMAIL", "ACCESS", "STATUS", "EMPLOYEE");
        for u in &users {
            let status = if u.disabled {
                "disabled"
            } else if u.has_password {
                "active"
            } else {
                "invited"
            };
            let code = u.employee_id.and_then(|e| codes.get(&e).cloned()).unwrap_or_else(|| "-".into());
            println!("{:<width$}  {:<11}  {:<9}  {:<10}  {}", u.email, u.access, status, code, u.name);
        }
        println!("{} user(s)", users.len());
    }
    db.close().await;
    Ok(ExitCode::SUCCESS)
}
