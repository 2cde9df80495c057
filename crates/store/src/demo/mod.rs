//! A realistic sample organisation, generated from a seed: sites, client accounts, teams, people
//! with role histories, yearly KRA plans from the framework's role templates, monthly actuals,
//! accomplishments, skills, certifications, training, check-ins, coaching notes and career plans,
//! plus one sign-in per persona (agent, team leader, manager, HR, admin).
//!
//! **Deterministic**: the same [`DemoSpec`] (seed included) gives the same rows, ids and
//! timestamps, byte for byte; nothing reads the clock or the database's id sequences. Every row is
//! derived from a random stream keyed by the seed and the row's owner, so the order rows are
//! written in does not change them.
//!
//! **Fast**: rows go straight into the schema with explicit ids, in large transactions —
//! multi-row prepared `INSERT`s on SQLite and `COPY … FROM STDIN` on PostgreSQL — so the same
//! generator builds a 100,000-employee organisation for the benchmarks. It needs an empty
//! database (migrated, with no organisation).
//!
//! This file holds what to build and the order of work; the organisation is made in memory
//! (`org`), then written: its own rows (`roster`), the sign-ins (`users`), and each person's
//! records (`records`, one file per kind), all through one writer (`writer`) over one list of
//! tables (`tables`).

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, NaiveDate, Utc};
use ladder_core::access::Access;
use ladder_core::framework::Framework;
use ladder_core::period::Month;
use serde::{Deserialize, Serialize};

use crate::{Db, Result, StoreError};

mod accomplishments;
mod actuals;
mod calendar;
mod career;
mod catalogue;
mod checkins;
mod development;
mod notifications;
mod org;
mod plans;
mod records;
mod rng;
mod roster;
mod shifts;
mod tables;

/// The tables the demo writes, each as its owning module declares it.
pub use tables::TABLES;
mod users;
mod writer;

use calendar::{at, minus_months, Calendar};
use catalogue::{CSE, QA, ROLES_USED, SENIOR, TL};
use plans::RolePlans;
use records::Ctx;

use users::Users;
use writer::Writer;

/// The size and shape of the sample organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoSpec {
    pub seed: u64,
    pub sites: usize,
    /// Client accounts (lines of business), spread over the sites.
    pub accounts: usize,
    /// Front-line teams, each with a team leader (each account also gets a support team of
    /// quality analysts, trainers and WFM analysts, led by its operations manager).
    pub teams: usize,
    /// Everyone: agents, team leaders, support functions, managers and site heads.
    pub employees: usize,
    /// Months of KRA history, ending with `through`.
    pub months: u32,
    pub through: Month,
}

impl Default for DemoSpec {
    /// 3 sites, 6 accounts, 40 teams, 600 people, 12 months ending with the last full month.
    fn default() -> DemoSpec {
        DemoSpec::scaled(600)
    }
}

impl DemoSpec {
    /// A spec for `employees` people with sites, accounts and teams in proportion: about 13 agents
    /// per team leader (span of control 1:10–1:16, kpis.md §3.3), about 400 people per account and
    /// 3,000 per site, and never fewer than 3 sites and 6 accounts.
    pub fn scaled(employees: usize) -> DemoSpec {
        let teams = (employees / 15).max(1);
        let accounts = (employees / 400).max(6).min(teams);
        let sites = (employees / 3000).max(3).min(accounts);
        DemoSpec {
            seed: 2026,
            sites,
            accounts,
            teams,
            employees,
            months: 12,
            through: DemoSpec::last_full_month(Utc::now().date_naive()),
        }
    }

    /// The last month that has ended by `today`.
    pub fn last_full_month(today: NaiveDate) -> Month {
        Month::of(today).prev()
    }

    /// The fewest people this shape needs: a head per site, an operations manager and three
    /// support staff per account, a leader and two agents per team.
    pub fn min_employees(&self) -> usize {
        self.sites + self.accounts * 4 + self.teams * 3
    }

    pub fn check(&self) -> Result<()> {
        let bad = |m: String| Err(StoreError::Invalid(m));
        if self.sites == 0 || self.accounts == 0 || self.teams == 0 {
            return bad("a demo needs at least one site, account and team".into());
        }
        if self.accounts < self.sites {
            return bad(format!(
                "{} accounts cannot cover {} sites (one account at least per site)",
                self.accounts, self.sites
            ));
        }
        if self.teams < self.accounts {
            return bad(format!(
                "{} teams cannot cover {} accounts (one team at least per account)",
                self.teams, self.accounts
            ));
        }
        if !(1..=120).contains(&self.months) {
            return bad("months must be 1 to 120".into());
        }
        if self.employees < self.min_employees() {
            return bad(format!(
                "{} employees are too few for {} sites, {} accounts and {} teams (at least {})",
                self.employees,
                self.sites,
                self.accounts,
                self.teams,
                self.min_employees()
            ));
        }
        Ok(())
    }
}

/// Where generation is: `done` of `total` people written in `stage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub stage: &'static str,
    pub done: u64,
    pub total: u64,
}

/// A persona one can sign in as.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignIn {
    /// "agent", "team leader", "manager", "site head", "HR", "admin".
    pub persona: String,
    pub email: String,
    pub access: Access,
    pub employee_id: Option<i64>,
    pub employee_code: Option<String>,
    pub name: String,
    /// The role and where they sit, in words.
    pub description: String,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoSummary {
    pub organisation: String,
    pub seed: u64,
    pub first_month: Month,
    pub through: Month,
    /// Rows written per table, in the order written.
    pub rows: Vec<(String, u64)>,
    pub sign_ins: Vec<SignIn>,
}

impl DemoSummary {
    pub fn count(&self, table: &str) -> u64 {
        self.rows.iter().find(|(t, _)| t == table).map_or(0, |(_, n)| *n)
    }
}

/// The domain of the demo sign-ins.
pub const EMAIL_DOMAIN: &str = "northstar.example";
const ORGANISATION: &str = "Northstar BPO Services";

/// Fills an empty, migrated database with the sample organisation. `password_hash` is stored for
/// every demo sign-in (the caller hashes the demo password; the store does not hash). `progress`
/// is called as people are written.
pub async fn generate(
    db: &Db,
    framework: &Framework,
    spec: &DemoSpec,
    password_hash: &str,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<DemoSummary> {
    check_can_generate(db, framework, spec).await?;
    let total = spec.employees as u64;
    progress(Progress { stage: "planning", done: 0, total });
    let cal = Calendar::ending(spec.through, spec.months);
    let mut org = org::build_org(spec);
    let plans = RolePlans::new(framework)?;
    let mut w = Writer::new(db, TABLES);

    // The organisation and its people, then their users (who refer to them).
    let created = at(minus_months(cal.months[0].first_day(), 3), 8, 0);
    let users = Users::new(framework, &mut org, password_hash, created);
    roster::write_roster(&org, &mut w).await?;
    let (users_by_employee, sign_ins) = users.write(&mut w);
    w.flush().await?;
    progress(Progress { stage: "people", done: 0, total });

    let first_month = cal.months[0];
    let ctx = Ctx {
        seed: spec.seed,
        fw: framework,
        org: &org,
        cal,
        plans,
        routes: Mutex::new(HashMap::new()),
        users_by_employee,
    };
    records::write_records(&ctx, spec.teams, &mut w, progress).await?;
    w.finish().await?;
    // Every month with figures is queued to be scored and kept (the server's worker does it).
    crate::scores::enqueue_stale(db, &crate::scores::framework_version(framework)).await?;
    progress(Progress { stage: "records", done: total, total });

    progress(Progress { stage: "indexing", done: total, total });
    settle(db).await?;
    // Openings and applications in every stage (issue 28), after `settle`: a hire writes the
    // role history through its sequence.
    let roles = [SENIOR, TL, QA, CSE];
    let (openings, applications) = crate::openings::demo::write(db, framework, &sign_ins, spec.through, &roles).await?;
    // Schedules around the day the demo runs (issue 29): the pages show this week and the next.
    let agent = sign_ins.iter().find(|s| s.persona == "agent").and_then(|s| s.employee_id).map(ladder_core::EmployeeId);
    let shift_rows = shifts::write(db, spec.seed, agent, Utc::now().date_naive()).await?;
    let notifications = notifications::write(db, framework, &sign_ins, Utc::now()).await?;
    let agreements = agreements(db, agent).await?;
    progress(Progress { stage: "done", done: total, total });
    let mut rows = w.counts();
    rows.push(("notifications".to_string(), notifications));
    rows.push(("kra_plan_agreements".to_string(), agreements));
    rows.extend([("openings".to_string(), openings), ("applications".to_string(), applications)]);
    rows.push(("shifts".to_string(), shift_rows));

    Ok(DemoSummary {
        organisation: ORGANISATION.into(),
        seed: spec.seed,
        first_month,
        through: spec.through,
        rows,
        sign_ins,
    })
}

/// Two people in three agreed to each year's KRA plan a few days after it was last set; the
/// agent persona has the latest year still to agree, so its page offers the button.
async fn agreements(db: &Db, agent: Option<ladder_core::EmployeeId>) -> Result<u64> {
    type Row = (ladder_core::EmployeeId, i32, DateTime<Utc>, Option<ladder_core::UserId>);
    let sql = "SELECT p.employee_id, p.year, MAX(p.updated_at),
            (SELECT MIN(u.id) FROM users u WHERE u.employee_id = p.employee_id)
        FROM kra_plans p WHERE p.employee_id % 3 <> 0 GROUP BY p.employee_id, p.year ORDER BY p.employee_id, p.year";
    let rows: Vec<Row> = crate::on_db!(db, p => sqlx::query_as(sql).fetch_all(p).await?);
    let latest = rows.iter().filter(|r| Some(r.0) == agent).map(|r| r.1).max();
    let who: Vec<_> = rows
        .into_iter()
        .filter(|r| !(Some(r.0) == agent && Some(r.1) == latest))
        .map(|(id, year, set, user)| {
            (id, year, user, set + chrono::Duration::days(3) + chrono::Duration::hours(id.0 % 5))
        })
        .collect();
    crate::kra::agreements::write_demo(db, &who).await
}

/// Refuses a spec that cannot be built, a framework without the demo's roles, and a database
/// that already holds an organisation.
async fn check_can_generate(db: &Db, framework: &Framework, spec: &DemoSpec) -> Result<()> {
    spec.check()?;
    for role in ROLES_USED {
        if framework.role(role).is_none() {
            return Err(StoreError::Invalid(format!("the demo needs the role '{role}' in the framework")));
        }
    }
    if crate::org::organisation(db).await?.is_some() {
        return Err(StoreError::Invalid("the database already holds an organisation; use a new, empty one".into()));
    }
    Ok(())
}

/// Moves the sequences past the explicit ids (PostgreSQL) and gathers fresh statistics for the
/// planner.
async fn settle(db: &Db) -> Result<()> {
    match db {
        Db::Postgres(pool) => {
            for table in tables::identity_tables() {
                let sql = format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                );
                sqlx::query(&sql).execute(pool).await?;
            }
            sqlx::query("ANALYZE").execute(pool).await?;
        }
        Db::Sqlite(pool, _) => crate::db::analyze_sqlite(pool).await?,
    }
    Ok(())
}

/// A fingerprint of every table the demo writes (FNV-1a over each row as text, in a fixed
/// order), to check that two runs wrote the same thing.
pub async fn digest(db: &Db) -> Result<String> {
    let mut h = 0xCBF2_9CE4_8422_2325u64;
    let mut feed = |s: &str| {
        for b in s.bytes().chain(std::iter::once(b'\n')) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3);
        }
    };
    for &crate::table::Table { name: table, columns, .. } in TABLES {
        let cols: Vec<&str> = columns.split(", ").collect();
        let text =
            cols.iter().map(|c| format!("COALESCE(CAST({c} AS TEXT), '-')")).collect::<Vec<_>>().join(" || '|' || ");
        let sql =
            format!("SELECT {text} FROM (SELECT {} FROM {table}) t ORDER BY {}", cols.join(", "), cols.join(", "));
        let rows: Vec<String> = crate::on_db!(db, p => sqlx::query_scalar(&sql).fetch_all(p).await?);
        feed(table);
        for r in &rows {
            feed(r);
        }
    }
    Ok(format!("{h:016x}"))
}
