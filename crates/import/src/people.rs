//! Importing people and structure: employees, sites, accounts, teams, reporting lines (who each
//! person's team leader is) and roles with their start dates.
//!
//! Employees are matched by `code`; sites by name, accounts by name within their site, teams by
//! name within their account. Columns a file leaves out are left as they are; a column present
//! with an empty cell clears the value (email, team, team leader). Files are small next to KPI
//! files, so the whole file is checked and compared in memory first; a real run then writes
//! everything in one transaction.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Instant;

use chrono::NaiveDate;
use ladder_core::Framework;
use ladder_store::imports::{self, ImportLog, Outcome};
use ladder_store::{on_db, Backend, Db};

use crate::read::{Cell, Input, Table};
use crate::report::{Counts, Kind, Report};
use crate::validate::{self, Problem};
use crate::{EmployeeRef, Options, Phase, Progress};

/// The columns of a people file, each with the names accepted for it.
const COLUMNS: &[(&str, &[&str])] = &[
    ("code", &["code", "employee", "employee code", "employee id"]),
    ("name", &["name", "full name", "employee name"]),
    ("email", &["email", "e-mail"]),
    ("site", &["site"]),
    ("country", &["country", "site country"]),
    ("timezone", &["timezone", "time zone", "site timezone"]),
    ("account", &["account"]),
    ("client", &["client"]),
    ("line_of_business", &["line of business", "line_of_business", "lob"]),
    ("team", &["team"]),
    ("role", &["role", "role id"]),
    ("role_since", &["role since", "role_since", "role start"]),
    ("hire_date", &["hire date", "hire_date", "hired"]),
    ("team_leader", &["team leader", "team_leader", "reports to", "manager"]),
    ("active", &["active"]),
];

/// An account as loaded: id, site id, name, client, line of business.
type AccountRow = (i64, i64, String, String, String);

#[derive(Debug, Clone, PartialEq)]
struct Row {
    row: u64,
    code: String,
    name: String,
    email: Option<Option<String>>,
    /// (site, account, team) names with the site's and account's attributes.
    place: Option<Option<Place>>,
    role: String,
    role_since: NaiveDate,
    hire_date: NaiveDate,
    leader: Option<Option<String>>,
    active: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
struct Place {
    site: String,
    country: Option<String>,
    timezone: Option<String>,
    account: String,
    client: Option<String>,
    line_of_business: Option<String>,
    team: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct Existing {
    id: i64,
    code: String,
    name: String,
    email: Option<String>,
    team_id: Option<i64>,
    role_id: String,
    role_since: NaiveDate,
    hire_date: NaiveDate,
    manager_id: Option<i64>,
    active: bool,
}

/// Imports a people file.
pub async fn import(db: &Db, fw: &Framework, input: &Input, opts: &Options) -> crate::Result<Report> {
    let started = Instant::now();
    let started_at = chrono::Utc::now();
    let mut report = Report::new(Kind::People, &input.name, "people", opts.dry_run);
    let keys = vec![COLUMNS[0].1.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    let mut table = match Table::open(input, &keys) {
        Ok(t) => t,
        Err(crate::read::ReadError::NoHeader(_, wanted)) => {
            report
                .add_problem(Problem::file(format!("missing column: no header row names {wanted}")), opts.max_problems);
            return Ok(report);
        }
        Err(e) => return Err(e.into()),
    };
    let total_bytes = table.total_bytes();
    let columns: HashMap<&str, usize> = COLUMNS
        .iter()
        .filter_map(|(key, names)| names.iter().find_map(|n| table.column(n)).map(|i| (*key, i)))
        .collect();
    for required in ["name", "role", "hire_date"] {
        if !columns.contains_key(required) {
            let names = COLUMNS.iter().find(|(k, _)| *k == required).expect("listed").1;
            report.add_problem(
                Problem::new(
                    table.header_row(),
                    names[0],
                    "",
                    format!("missing column '{}'; the header has: {}", names[0], table.headers().join(", ")),
                ),
                opts.max_problems,
            );
        }
    }
    if !report.is_ok() {
        return Ok(report);
    }

    // 1. Read and check every row on its own.
    let mut rows = Vec::new();
    let mut first_row: HashMap<String, u64> = HashMap::new();
    let mut next_progress = 10_000;
    while table.next_row()? {
        if table.is_blank() {
            continue;
        }
        report.rows += 1;
        match parse_row(&table, &columns, fw) {
            Ok(r) => {
                if let Some(first) = first_row.get(&r.code) {
                    let col = table.headers()[columns["code"]].clone();
                    report.add_problem(
                        Problem::new(
                            r.row,
                            &col,
                            &r.code,
                            format!("duplicate row: {} already appears at row {first}", r.code),
                        ),
                        opts.max_problems,
                    );
                } else {
                    first_row.insert(r.code.clone(), r.row);
                    rows.push(r);
                }
            }
            Err(p) => report.add_problem(p, opts.max_problems),
        }
        if report.rows >= next_progress {
            next_progress += 10_000;
            let bytes = table.bytes_read().get();
            opts.report_progress(Progress::of_file(Phase::Reading, report.rows, bytes, total_bytes));
        }
    }
    let headers = table.headers().to_vec();
    let header = |key: &str| columns.get(key).map(|i| headers[*i].clone()).unwrap_or_default();
    report.sha256 = Some(table.finish()?);
    opts.report_progress(Progress::of_file(Phase::Summarising, report.rows, total_bytes, total_bytes));

    // 2. Compare with what the database holds.
    let existing: Vec<Existing> = {
        let sql =
            "SELECT id, code, name, email, team_id, role_id, role_since, hire_date, manager_id, active FROM employees";
        on_db!(db, p => sqlx::query_as(sql).fetch_all(p).await?)
    };
    let by_code: HashMap<&str, &Existing> = existing.iter().map(|e| (e.code.as_str(), e)).collect();
    let code_of: HashMap<i64, &str> = existing.iter().map(|e| (e.id, e.code.as_str())).collect();
    let sites: Vec<(i64, String, String, String)> =
        on_db!(db, p => sqlx::query_as("SELECT id, name, country, timezone FROM sites").fetch_all(p).await?);
    let accounts: Vec<AccountRow> = on_db!(db, p => sqlx::query_as(
        "SELECT id, site_id, name, client, line_of_business FROM accounts").fetch_all(p).await?);
    let teams: Vec<(i64, i64, String)> =
        on_db!(db, p => sqlx::query_as("SELECT id, account_id, name FROM teams").fetch_all(p).await?);
    let leaders: Vec<(i64, i64)> =
        on_db!(db, p => sqlx::query_as("SELECT team_id, employee_id FROM team_leaders").fetch_all(p).await?);
    let open_spells: Vec<(i64, NaiveDate)> = on_db!(db, p => sqlx::query_as(
        "SELECT employee_id, from_date FROM role_history WHERE to_date IS NULL").fetch_all(p).await?);
    let open_spell: HashMap<i64, NaiveDate> = open_spells.into_iter().collect();

    let site_by_name: HashMap<&str, &(i64, String, String, String)> = sites.iter().map(|s| (s.1.as_str(), s)).collect();
    let account_by_name: HashMap<(i64, &str), &AccountRow> =
        accounts.iter().map(|a| ((a.1, a.2.as_str()), a)).collect();
    let stored_account =
        |site: &str, account: &str| site_by_name.get(site).and_then(|s| account_by_name.get(&(s.0, account))).copied();
    let team_by_name: HashMap<(i64, &str), i64> = teams.iter().map(|t| ((t.1, t.2.as_str()), t.0)).collect();
    let team_place: HashMap<i64, (String, String, String)> = teams
        .iter()
        .filter_map(|t| {
            let account = accounts.iter().find(|a| a.0 == t.1)?;
            let site = sites.iter().find(|s| s.0 == account.1)?;
            Some((t.0, (site.1.clone(), account.2.clone(), t.2.clone())))
        })
        .collect();
    let in_file: BTreeSet<&str> = rows.iter().map(|r| r.code.as_str()).collect();

    let mut site_counts = Counts::default();
    let mut account_counts = Counts::default();
    let mut team_counts = Counts::default();
    let mut employee_counts = Counts::default();
    let mut leader_counts = Counts::default();
    for r in &rows {
        let current = by_code.get(r.code.as_str()).copied();
        // Permission: both where the person is now and where the row puts them (a team not made
        // yet, or none, is nobody's but HR's), so nobody moves people in or out of their reach.
        if let Some(allowed) = &opts.allowed {
            // `None`: a new person; a row that leaves the team as it is.
            let now = current.map(|e| e.team_id);
            let to = r.place.as_ref().map(|_| existing_team(r, &site_by_name, &account_by_name, &team_by_name));
            let teamless_newcomer = (now.is_none() && to.is_none()).then_some(None);
            let id = current.map(|e| e.id);
            let mut judged = [now, to, teamless_newcomer].into_iter().flatten();
            if !judged.all(|team_id| allowed(&EmployeeRef { id, code: &r.code, team_id })) {
                report.add_problem(
                    Problem::new(
                        r.row,
                        &header("code"),
                        &r.code,
                        "not allowed: this person is outside the people you may import",
                    ),
                    opts.max_problems,
                );
                continue;
            }
        }
        if let Some(Some(leader)) = &r.leader {
            if leader == &r.code {
                report.add_problem(
                    Problem::new(r.row, &header("team_leader"), leader, "a person cannot be their own team leader"),
                    opts.max_problems,
                );
            } else if !in_file.contains(leader.as_str()) && !by_code.contains_key(leader.as_str()) {
                report.add_problem(
                    Problem::new(
                        r.row,
                        &header("team_leader"),
                        leader,
                        "unknown team leader: no employee has this code",
                    ),
                    opts.max_problems,
                );
            }
        }
        match current {
            None => {
                employee_counts.new += 1;
                if report.changes.len() < opts.max_problems {
                    report.changes.push(format!("{} {}: new ({})", r.code, r.name, r.role));
                }
            }
            Some(e) => {
                let mut what = Vec::new();
                if e.name != r.name {
                    what.push(format!("name '{}' → '{}'", e.name, r.name));
                }
                if let Some(email) = &r.email {
                    if &e.email != email {
                        what.push(format!("email {} → {}", opt(&e.email), opt(email)));
                    }
                }
                if let Some(place) = &r.place {
                    let now = e.team_id.and_then(|t| team_place.get(&t)).map(|(s, a, t)| format!("{s}/{a}/{t}"));
                    let new = place.as_ref().map(|p| format!("{}/{}/{}", p.site, p.account, p.team));
                    if now != new {
                        what.push(format!("team {} → {}", opt(&now), opt(&new)));
                    }
                }
                if e.role_id != r.role {
                    what.push(format!("role {} → {} from {}", e.role_id, r.role, r.role_since));
                    if let Some(from) = open_spell.get(&e.id) {
                        if r.role_since <= *from {
                            report.add_problem(
                                Problem::new(
                                    r.row,
                                    &header("role_since"),
                                    &r.role_since.to_string(),
                                    format!(
                                        "wrong period: the new role must start after the current one ({} since {from})",
                                        e.role_id
                                    ),
                                ),
                                opts.max_problems,
                            );
                        }
                    }
                } else if e.role_since != r.role_since {
                    what.push(format!("role since {} → {}", e.role_since, r.role_since));
                }
                if e.hire_date != r.hire_date {
                    what.push(format!("hired {} → {}", e.hire_date, r.hire_date));
                }
                if let Some(leader) = &r.leader {
                    let now = e.manager_id.and_then(|m| code_of.get(&m)).map(|c| c.to_string());
                    if &now != leader {
                        what.push(format!("team leader {} → {}", opt(&now), opt(leader)));
                    }
                }
                if let Some(active) = r.active {
                    if active != e.active {
                        what.push(if active { "active again".to_string() } else { "left (inactive)".to_string() });
                    }
                }
                if what.is_empty() {
                    employee_counts.unchanged += 1;
                } else {
                    employee_counts.updated += 1;
                    if report.changes.len() < opts.max_problems {
                        report.changes.push(format!("{} {}: {}", r.code, r.name, what.join("; ")));
                    }
                }
            }
        }
    }
    // Sites and accounts are shared by every team in them: their details are HR's to change.
    let places = places_in(&rows);
    let mut not_theirs = |row: u64, column: &str, value: &Option<String>, what: &str| {
        if opts.allowed.is_some() {
            let value = value.as_deref().unwrap_or_default();
            let message = format!("not allowed: {what} are HR's to change");
            report.add_problem(Problem::new(row, &header(column), value, &message), opts.max_problems);
        }
    };
    for (site, given) in &places.sites {
        match site_by_name.get(site.as_str()) {
            None => site_counts.new += 1,
            Some(s) if given.changes(&s.2, &s.3) => {
                site_counts.updated += 1;
                let (column, value) =
                    if differs(&given.first, &s.2) { ("country", &given.first) } else { ("timezone", &given.second) };
                not_theirs(given.row, column, value, "a site's country and timezone");
            }
            Some(_) => site_counts.unchanged += 1,
        }
    }
    for ((site, account), given) in &places.accounts {
        let stored = stored_account(site, account);
        match stored {
            None => account_counts.new += 1,
            Some(a) if given.changes(&a.3, &a.4) => {
                account_counts.updated += 1;
                let (column, value) = if differs(&given.first, &a.3) {
                    ("client", &given.first)
                } else {
                    ("line_of_business", &given.second)
                };
                not_theirs(given.row, column, value, "an account's client and line of business");
            }
            Some(_) => account_counts.unchanged += 1,
        }
    }
    for (site, account, team) in &places.teams {
        let stored = stored_account(site, account).and_then(|a| team_by_name.get(&(a.0, team.as_str())));
        match stored {
            Some(_) => team_counts.unchanged += 1,
            None => team_counts.new += 1,
        }
    }
    // Reporting lines: a leader of someone on a team leads that team.
    let mut links = BTreeSet::new();
    for r in &rows {
        if let (Some(Some(leader)), Some(Some(place))) = (&r.leader, &r.place) {
            links.insert((place.site.clone(), place.account.clone(), place.team.clone(), leader.clone()));
        }
    }
    let existing_links: BTreeSet<(String, String, String, String)> = leaders
        .iter()
        .filter_map(|(team, emp)| {
            let (s, a, t) = team_place.get(team)?;
            Some((s.clone(), a.clone(), t.clone(), code_of.get(emp)?.to_string()))
        })
        .collect();
    for l in &links {
        if existing_links.contains(l) {
            leader_counts.unchanged += 1;
        } else {
            leader_counts.new += 1;
        }
    }
    report.counts = vec![
        ("employees".into(), employee_counts),
        ("sites".into(), site_counts),
        ("accounts".into(), account_counts),
        ("teams".into(), team_counts),
        ("team leaders".into(), leader_counts),
    ];
    if opts.dry_run || report.problem_count > 0 {
        report.elapsed_ms = started.elapsed().as_millis() as u64;
        return Ok(report);
    }

    // 3. Write it all in one transaction.
    opts.report_progress(Progress::of_file(Phase::Finishing, report.rows, total_bytes, total_bytes));
    let today = opts.today;
    let sha256 = report.sha256.clone().unwrap_or_default();
    let totals = employee_counts;
    let rows_read = report.rows;
    let mut tx = db.begin().await?;
    on_db!(&mut tx, c => {
        let org: Option<i64> = sqlx::query_scalar("SELECT id FROM organisations ORDER BY id LIMIT 1").fetch_optional(&mut *c).await?;
        let org = match org {
            Some(o) => o,
            None => sqlx::query_scalar("INSERT INTO organisations (name) VALUES ($1) RETURNING id")
                .bind(&opts.organisation_name).fetch_one(&mut *c).await?,
        };
        // Sites and accounts, once each: new ones made, the attributes the file gives (the last
        // row's, where rows differ) written where they changed.
        let mut site_ids: HashMap<String, i64> = sites.iter().map(|s| (s.1.clone(), s.0)).collect();
        let mut account_ids: HashMap<(String, String), i64> = HashMap::new();
        for a in &accounts {
            if let Some(s) = sites.iter().find(|s| s.0 == a.1) {
                account_ids.insert((s.1.clone(), a.2.clone()), a.0);
            }
        }
        for (site, given) in &places.sites {
            let (country, timezone) = (&given.first, &given.second);
            match site_by_name.get(site.as_str()) {
                Some(s) if given.changes(&s.2, &s.3) => {
                    sqlx::query("UPDATE sites SET country = COALESCE($2, country), timezone = COALESCE($3, timezone) WHERE id = $1")
                        .bind(s.0).bind(country).bind(timezone).execute(&mut *c).await?;
                }
                Some(_) => {}
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO sites (organisation_id, name, country, timezone) VALUES ($1, $2, $3, $4) RETURNING id")
                        .bind(org).bind(site).bind(country.clone().unwrap_or_default())
                        .bind(timezone.clone().unwrap_or_else(|| "UTC".into()))
                        .fetch_one(&mut *c).await?;
                    site_ids.insert(site.clone(), id);
                }
            }
        }
        for ((site, account), given) in &places.accounts {
            let (client, line_of_business) = (&given.first, &given.second);
            let key = (site.clone(), account.clone());
            let stored = stored_account(site, account);
            match stored {
                Some(a) if given.changes(&a.3, &a.4) => {
                    sqlx::query("UPDATE accounts SET client = COALESCE($2, client), line_of_business = COALESCE($3, line_of_business) WHERE id = $1")
                        .bind(a.0).bind(client).bind(line_of_business).execute(&mut *c).await?;
                }
                Some(_) => {}
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO accounts (site_id, name, client, line_of_business) VALUES ($1, $2, $3, $4) RETURNING id")
                        .bind(site_ids[site]).bind(account).bind(client.clone().unwrap_or_default())
                        .bind(line_of_business.clone().unwrap_or_default())
                        .fetch_one(&mut *c).await?;
                    account_ids.insert(key, id);
                }
            }
        }
        let mut team_ids: HashMap<(String, String, String), i64> =
            team_place.iter().map(|(id, (s, a, t))| ((s.clone(), a.clone(), t.clone()), *id)).collect();
        for key in &places.teams {
            if let std::collections::hash_map::Entry::Vacant(slot) = team_ids.entry(key.clone()) {
                let id: i64 = sqlx::query_scalar("INSERT INTO teams (account_id, name) VALUES ($1, $2) RETURNING id")
                    .bind(account_ids[&(key.0.clone(), key.1.clone())]).bind(&key.2).fetch_one(&mut *c).await?;
                slot.insert(id);
            }
        }
        let team_of = |r: &Row, current: Option<i64>| -> Option<i64> {
            match &r.place {
                None => current,
                Some(None) => None,
                Some(Some(p)) => team_ids.get(&(p.site.clone(), p.account.clone(), p.team.clone())).copied(),
            }
        };
        // New people, many to a statement (a round trip each, to SQLite's thread or the server).
        let mut ids: HashMap<String, i64> = existing.iter().map(|e| (e.code.clone(), e.id)).collect();
        let newcomers: Vec<&Row> = rows.iter().filter(|r| !by_code.contains_key(r.code.as_str())).collect();
        for chunk in newcomers.chunks(BATCH_ROWS) {
            let sql = format!(
                "INSERT INTO employees (organisation_id, code, name, email, team_id, role_id, role_since, hire_date, active)
                 VALUES {} RETURNING id, code", db.values_list(chunk.len(), 9));
            let mut insert = sqlx::query_as::<_, (i64, String)>(&sql);
            for r in chunk {
                insert = insert.bind(org).bind(&r.code).bind(&r.name).bind(r.email.clone().flatten()).bind(team_of(r, None))
                    .bind(&r.role).bind(r.role_since).bind(r.hire_date).bind(r.active.unwrap_or(true));
            }
            ids.extend(insert.fetch_all(&mut *c).await?.into_iter().map(|(id, code)| (code, id)));
            let sql = format!("INSERT INTO role_history (employee_id, role_id, team_id, from_date) VALUES {}", db.values_list(chunk.len(), 4));
            let mut spells = sqlx::query(&sql);
            for r in chunk {
                spells = spells.bind(ids[&r.code]).bind(&r.role).bind(team_of(r, None)).bind(r.role_since);
            }
            spells.execute(&mut *c).await?;
        }
        // People already here: a statement for each change (a file of changes is short).
        for r in &rows {
            let Some(e) = by_code.get(r.code.as_str()) else { continue };
            let team = team_of(r, e.team_id);
            let email = r.email.clone().unwrap_or_else(|| e.email.clone());
            let active = r.active.unwrap_or(e.active);
            if e.role_id != r.role || team != e.team_id {
                // A new role spell: from the role's start for a role change, from today
                // for a team move in the same role.
                let from = if e.role_id != r.role { r.role_since } else { today };
                let close = from.pred_opt().unwrap_or(from);
                sqlx::query("UPDATE role_history SET to_date = $2 WHERE employee_id = $1 AND to_date IS NULL")
                    .bind(e.id).bind(close).execute(&mut *c).await?;
                sqlx::query("INSERT INTO role_history (employee_id, role_id, team_id, from_date) VALUES ($1, $2, $3, $4)")
                    .bind(e.id).bind(&r.role).bind(team).bind(from).execute(&mut *c).await?;
            } else if e.role_since != r.role_since {
                sqlx::query("UPDATE role_history SET from_date = $2 WHERE employee_id = $1 AND to_date IS NULL")
                    .bind(e.id).bind(r.role_since).execute(&mut *c).await?;
            }
            let changed = e.name != r.name || e.email != email || e.team_id != team || e.role_id != r.role
                || e.role_since != r.role_since || e.hire_date != r.hire_date || e.active != active;
            if changed {
                sqlx::query(
                    "UPDATE employees SET name = $2, email = $3, team_id = $4, role_id = $5, role_since = $6,
                        hire_date = $7, active = $8 WHERE id = $1")
                    .bind(e.id).bind(&r.name).bind(&email).bind(team).bind(&r.role).bind(r.role_since)
                    .bind(r.hire_date).bind(active).execute(&mut *c).await?;
            }
        }
        if db.backend() == Backend::Postgres && newcomers.len() > BATCH_ROWS {
            // The planner's row counts predate the newcomers: without them it would read the
            // whole table for each batch of reporting lines below instead of its index.
            sqlx::query("ANALYZE employees").execute(&mut *c).await?;
        }
        // Reporting lines, now that everyone has an id.
        let lines: Vec<(i64, Option<i64>)> = rows
            .iter()
            .filter_map(|r| {
                let leader = r.leader.as_ref()?;
                let manager = leader.as_ref().and_then(|l| ids.get(l)).copied();
                let current = by_code.get(r.code.as_str()).map(|e| e.manager_id);
                (current != Some(manager)).then(|| (ids[&r.code], manager))
            })
            .collect();
        for chunk in lines.chunks(BATCH_ROWS) {
            let sql = format!(
                "UPDATE employees SET manager_id = v.column2 FROM (VALUES {}) AS v WHERE employees.id = v.column1",
                db.values_list(chunk.len(), 2));
            let mut update = sqlx::query(&sql);
            for (id, manager) in chunk {
                update = update.bind(id).bind(manager);
            }
            update.execute(&mut *c).await?;
        }
        // A team whose members' reporting lines the file gives is led by exactly those leaders.
        let mut led: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
        for (s, a, t, leader) in &links {
            led.entry(team_ids[&(s.clone(), a.clone(), t.clone())]).or_default().insert(ids[leader]);
        }
        let pairs: Vec<(i64, i64)> = led.iter().flat_map(|(team, leaders)| leaders.iter().map(|l| (*team, *l))).collect();
        for chunk in pairs.chunks(BATCH_ROWS) {
            let sql = format!(
                "INSERT INTO team_leaders (team_id, employee_id) VALUES {} ON CONFLICT DO NOTHING", db.values_list(chunk.len(), 2));
            let mut insert = sqlx::query(&sql);
            for (team, leader) in chunk {
                insert = insert.bind(team).bind(leader);
            }
            insert.execute(&mut *c).await?;
        }
        for (team, old) in &leaders {
            if led.get(team).is_some_and(|keep| !keep.contains(old)) {
                sqlx::query("DELETE FROM team_leaders WHERE team_id = $1 AND employee_id = $2")
                    .bind(team).bind(old).execute(&mut *c).await?;
            }
        }
    });
    let outcome = Outcome {
        sha256: &sha256,
        rows: rows_read,
        new: totals.new,
        updated: totals.updated,
        unchanged: totals.unchanged,
    };
    let log = ImportLog {
        kind: Kind::People.as_str(),
        file_name: &input.name,
        mapping: "people",
        started_at,
        imported_by: opts.imported_by,
        outcome,
    };
    let import_id = imports::record(&mut tx, &log).await?;
    // Team moves change the roll-ups.
    ladder_store::kra::figures_changed(&mut tx).await?;
    tx.commit().await?;
    report.committed = true;
    report.import_id = Some(import_id);
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    Ok(report)
}

/// Rows a multi-row statement writes at a time: well under either database's limit on bound values.
const BATCH_ROWS: usize = 500;

/// The sites, accounts and teams a file names, in the order they first appear, with the
/// attributes given for each.
#[derive(Default)]
struct Places {
    /// Site → country, timezone.
    sites: Vec<(String, Attributes)>,
    /// (site, account) → client, line of business.
    accounts: Vec<((String, String), Attributes)>,
    teams: Vec<(String, String, String)>,
}

/// A place's two optional attributes: per attribute, the last row that gives it wins.
#[derive(Default)]
struct Attributes {
    first: Option<String>,
    second: Option<String>,
    /// The last row that gave either (the first to name the place when none did).
    row: u64,
}

impl Attributes {
    /// Whether the file gives either attribute a value other than the stored one.
    fn changes(&self, first: &str, second: &str) -> bool {
        differs(&self.first, first) || differs(&self.second, second)
    }

    fn merge(&mut self, row: u64, first: &Option<String>, second: &Option<String>) {
        if first.is_some() || second.is_some() {
            self.row = row;
        }
        if first.is_some() {
            self.first.clone_from(first);
        }
        if second.is_some() {
            self.second.clone_from(second);
        }
    }
}

fn places_in(rows: &[Row]) -> Places {
    let mut places = Places::default();
    let (mut site_at, mut account_at, mut seen_teams) = (HashMap::new(), HashMap::new(), BTreeSet::new());
    for r in rows {
        let Some(Some(p)) = &r.place else { continue };
        let at = *site_at.entry(p.site.clone()).or_insert_with(|| {
            places.sites.push((p.site.clone(), Attributes { row: r.row, ..Attributes::default() }));
            places.sites.len() - 1
        });
        places.sites[at].1.merge(r.row, &p.country, &p.timezone);
        let key = (p.site.clone(), p.account.clone());
        let at = *account_at.entry(key.clone()).or_insert_with(|| {
            places.accounts.push((key, Attributes { row: r.row, ..Attributes::default() }));
            places.accounts.len() - 1
        });
        places.accounts[at].1.merge(r.row, &p.client, &p.line_of_business);
        let team = (p.site.clone(), p.account.clone(), p.team.clone());
        if seen_teams.insert(team.clone()) {
            places.teams.push(team);
        }
    }
    places
}

fn opt(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("(none)")
}

fn differs(given: &Option<String>, stored: &str) -> bool {
    given.as_deref().is_some_and(|g| g != stored)
}

fn existing_team(
    r: &Row,
    sites: &HashMap<&str, &(i64, String, String, String)>,
    accounts: &HashMap<(i64, &str), &AccountRow>,
    teams: &HashMap<(i64, &str), i64>,
) -> Option<i64> {
    let Some(Some(p)) = &r.place else { return None };
    let site = sites.get(p.site.as_str())?;
    let account = accounts.get(&(site.0, p.account.as_str()))?;
    teams.get(&(account.0, p.team.as_str())).copied()
}

fn parse_row(t: &Table, columns: &HashMap<&str, usize>, fw: &Framework) -> Result<Row, Problem> {
    let row = t.row();
    let header = |key: &str| columns.get(key).map(|i| t.headers()[*i].clone()).unwrap_or_else(|| key.to_string());
    let text = |key: &str| -> Option<String> {
        columns.get(key).map(|i| match t.cell(*i) {
            Cell::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
            c => c.display(),
        })
    };
    let required = |key: &str| -> Result<String, Problem> {
        match text(key) {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(Problem::new(row, &header(key), "", format!("{} is empty", header(key)))),
        }
    };
    let date = |key: &str| -> Result<Option<NaiveDate>, Problem> {
        let Some(i) = columns.get(key) else { return Ok(None) };
        let cell = t.cell(*i);
        validate::date(cell, &[]).map_err(|e| Problem::new(row, &header(key), &cell.display(), e.0))
    };
    let optional = |key: &str| text(key).map(|v| if v.is_empty() { None } else { Some(v) });
    let code = required("code")?;
    let name = required("name")?;
    let role_text = required("role")?;
    let role = match fw.role(&role_text) {
        Some(r) => r.id.clone(),
        None => match fw.roles.iter().find(|r| r.name.eq_ignore_ascii_case(&role_text)) {
            Some(r) => r.id.clone(),
            None => {
                return Err(Problem::new(row, &header("role"), &role_text, "unknown role (use a framework role id)"))
            }
        },
    };
    let hire_date =
        date("hire_date")?.ok_or_else(|| Problem::new(row, &header("hire_date"), "", "the hire date is empty"))?;
    if hire_date > chrono::Utc::now().date_naive() + chrono::Duration::days(366) {
        return Err(Problem::new(
            row,
            &header("hire_date"),
            &hire_date.to_string(),
            "wrong period: the hire date is more than a year ahead",
        ));
    }
    let role_since = date("role_since")?.unwrap_or(hire_date);
    if role_since < hire_date {
        return Err(Problem::new(
            row,
            &header("role_since"),
            &role_since.to_string(),
            format!("wrong period: the role starts before the hire date {hire_date}"),
        ));
    }
    let email = optional("email");
    if let Some(Some(e)) = &email {
        if !e.contains('@') || e.contains(' ') {
            return Err(Problem::new(row, &header("email"), e, "not an e-mail address"));
        }
    }
    let place = match (optional("site"), optional("account"), optional("team")) {
        (None, None, None) => None,
        (Some(None), Some(None), Some(None)) | (None, None, Some(None)) => Some(None),
        (Some(Some(site)), Some(Some(account)), Some(Some(team))) => Some(Some(Place {
            site,
            country: optional("country").flatten(),
            timezone: optional("timezone").flatten(),
            account,
            client: optional("client").flatten(),
            line_of_business: optional("line_of_business").flatten(),
            team,
        })),
        _ => {
            return Err(Problem::new(
                row,
                &header("team"),
                &text("team").unwrap_or_default(),
                "a team needs its site and account (give all three, or none)",
            ))
        }
    };
    let active = match text("active") {
        None => None,
        Some(v) => match v.to_ascii_lowercase().as_str() {
            "" => None,
            "1" | "yes" | "y" | "true" | "active" => Some(true),
            "0" | "no" | "n" | "false" | "inactive" | "left" => Some(false),
            _ => return Err(Problem::new(row, &header("active"), &v, "not yes or no")),
        },
    };
    Ok(Row { row, code, name, email, place, role, role_since, hire_date, leader: optional("team_leader"), active })
}
