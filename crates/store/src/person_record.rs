//! A person's whole record (issue 30), read for an export and written by an import, as
//! `ladder_core::record::Record`. The import is one transaction: it creates the person (or
//! matches them by code, when they have no record yet) and writes every part, or nothing.
//!
//! Parts that belong to another organisation — roles held there, coaching notes by its people,
//! applications to its openings — cannot point at this database's teams, users and openings, so
//! they are kept as the file gave them (`carried_records`) and written into every later export:
//! a round trip changes nothing but where and when the file was made.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use ladder_core::record::{self, Record};
use ladder_core::EmployeeId;
use serde::{Deserialize, Serialize};

use crate::{on_db, Db, Result, StoreError, Tx};

/// What `carried_records.body` holds.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Carried {
    work: Vec<record::WorkSpell>,
    coaching_notes: Vec<record::CoachingNote>,
    applications: Vec<record::Application>,
}

#[derive(sqlx::FromRow)]
struct SpellRow {
    role_id: String,
    team: Option<String>,
    from_date: NaiveDate,
    to_date: Option<NaiveDate>,
    /// The spell an import opened to repeat the record's current one ([`open_spell`]).
    carried: bool,
}

#[derive(sqlx::FromRow)]
struct PlanRow {
    id: i64,
    year: i32,
    effective_from: NaiveDate,
    name: String,
    role_id: String,
    variable_pay_minor: Option<i64>,
    currency: String,
}

#[derive(sqlx::FromRow)]
struct LineRow {
    plan_id: i64,
    metric: String,
    weight: f64,
    threshold: f64,
    target: f64,
    stretch: f64,
}

#[derive(sqlx::FromRow)]
struct ScoreRow {
    month: NaiveDate,
    state: String,
    total: Option<f64>,
    rating: Option<i32>,
    rating_label: Option<String>,
}

#[derive(sqlx::FromRow)]
struct NoteRow {
    author: String,
    metric: String,
    note: String,
    follow_up: NaiveDate,
    created_at: DateTime<Utc>,
}

async fn carried(db: &Db, id: EmployeeId) -> Result<Carried> {
    let sql = "SELECT body FROM carried_records WHERE employee_id = $1";
    let body: Option<String> = on_db!(db, p => sqlx::query_scalar(sql).bind(id).fetch_optional(p).await?);
    match body {
        Some(body) => serde_json::from_str(&body).map_err(|e| StoreError::Damaged(format!("carried record: {e}"))),
        None => Ok(Carried::default()),
    }
}

async fn kra_plans(db: &Db, id: EmployeeId) -> Result<Vec<record::KraPlan>> {
    let heads = "SELECT id, year, effective_from, name, role_id, variable_pay_minor, currency FROM kra_plans
        WHERE employee_id = $1 ORDER BY effective_from";
    let lines = "SELECT l.plan_id, l.metric, l.weight, l.threshold, l.target, l.stretch FROM kra_plan_lines l
        JOIN kra_plans k ON k.id = l.plan_id WHERE k.employee_id = $1 ORDER BY l.plan_id, l.position";
    let heads: Vec<PlanRow> = on_db!(db, p => sqlx::query_as(heads).bind(id).fetch_all(p).await?);
    let lines: Vec<LineRow> = on_db!(db, p => sqlx::query_as(lines).bind(id).fetch_all(p).await?);
    Ok(heads
        .into_iter()
        .map(|h| record::KraPlan {
            year: h.year,
            effective_from: h.effective_from,
            name: h.name,
            role: h.role_id,
            variable_pay_minor: h.variable_pay_minor,
            currency: h.currency,
            lines: lines
                .iter()
                .filter(|l| l.plan_id == h.id)
                .map(|l| record::KraLine {
                    metric: l.metric.clone(),
                    weight: l.weight,
                    threshold: l.threshold,
                    target: l.target,
                    stretch: l.stretch,
                })
                .collect(),
        })
        .collect())
}

async fn work(
    db: &Db,
    id: EmployeeId,
    organisation: &str,
    carried: Vec<record::WorkSpell>,
) -> Result<Vec<record::WorkSpell>> {
    let sql = "SELECT r.role_id, t.name AS team, r.from_date, r.to_date, r.carried FROM role_history r
        LEFT JOIN teams t ON t.id = r.team_id WHERE r.employee_id = $1 ORDER BY r.from_date, r.id";
    let rows: Vec<SpellRow> = on_db!(db, p => sqlx::query_as(sql).bind(id).fetch_all(p).await?);
    let mut spells = carried;
    for r in rows {
        if r.carried {
            // The record's own current spell, already in `spells`: only its end (a later role
            // change here closes it) is news.
            let current = spells.iter_mut().rev().find(|s| s.to.is_none() && s.role == r.role_id);
            if let (Some(current), Some(to)) = (current, r.to_date) {
                current.to = Some(to);
            }
            continue;
        }
        spells.push(record::WorkSpell {
            organisation: organisation.to_string(),
            team: r.team,
            role: r.role_id,
            from: r.from_date,
            to: r.to_date,
        });
    }
    spells.sort_by_key(|s| s.from);
    Ok(spells)
}

async fn figures_and_scores(db: &Db, id: EmployeeId) -> Result<(Vec<record::Figure>, Vec<record::Score>)> {
    let (first, last) = (ladder_core::dates::first(), ladder_core::dates::last());
    let figures = crate::kra::actuals(db, id, first, last)
        .await?
        .into_iter()
        .map(|a| record::Figure {
            month: a.month,
            metric: a.metric,
            numerator: a.numerator,
            denominator: a.denominator,
            source: if a.source == crate::kra::Source::Import { "import" } else { "manual" }.into(),
        })
        .collect();
    let sql =
        "SELECT month, state, total, rating, rating_label FROM employee_scores WHERE employee_id = $1 ORDER BY month";
    let scores: Vec<ScoreRow> = on_db!(db, p => sqlx::query_as(sql).bind(id).fetch_all(p).await?);
    let scores = scores
        .into_iter()
        .map(|s| record::Score {
            month: s.month,
            state: s.state,
            total: s.total,
            rating: s.rating,
            rating_label: s.rating_label,
        })
        .collect();
    Ok((figures, scores))
}

/// The log oldest first, and where each stored entry sits in it (check-ins name entries so).
async fn log(db: &Db, id: EmployeeId) -> Result<(Vec<record::LogEntry>, HashMap<i64, usize>)> {
    let mut all = crate::records::accomplishments(db, id, &crate::records::AccomplishmentFilter::default()).await?;
    all.sort_by_key(|a| (a.date, a.created_at, a.id));
    let positions = all.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
    let entries = all
        .into_iter()
        .map(|a| record::LogEntry {
            date: a.date,
            title: a.title,
            details: a.details,
            impact_value: a.impact_value,
            impact_unit: a.impact_unit,
            tags: a.tags,
            kras: a.kras,
            skills: a.skills,
            shared: a.shared,
            created_at: a.created_at,
        })
        .collect();
    Ok((entries, positions))
}

async fn growth(
    db: &Db,
    id: EmployeeId,
) -> Result<(Vec<record::SkillLevel>, Vec<record::Certification>, Vec<record::Training>)> {
    let skills = crate::records::skill_assessments(db, id)
        .await?
        .into_iter()
        .map(|s| record::SkillLevel {
            skill: s.skill_id,
            level: s.level,
            assessor: s.assessor.as_str().into(),
            assessed_at: s.assessed_at,
        })
        .collect();
    let certifications = crate::records::certifications(db, id)
        .await?
        .into_iter()
        .map(|c| record::Certification {
            certification: c.certification_id,
            status: c.status.as_str().into(),
            planned_date: c.planned_date,
            earned_date: c.earned_date,
            expires_date: c.expires_date,
        })
        .collect();
    let mut training: Vec<record::Training> = crate::records::training(db, id)
        .await?
        .into_iter()
        .map(|t| record::Training {
            kind: t.kind.as_str().into(),
            title: t.title,
            provider: t.provider,
            hours: t.hours,
            status: t.status.as_str().into(),
            skill: t.skill_id,
            due_date: t.due_date,
            completed_date: t.completed_date,
        })
        .collect();
    // The databases order NULL dates differently; a stable sort by the dates gives one order.
    training.sort_by_key(|t| (t.completed_date, t.due_date));
    Ok((skills, certifications, training))
}

async fn conversations(
    db: &Db,
    id: EmployeeId,
    organisation: &str,
    positions: &HashMap<i64, usize>,
    carried: Carried,
) -> Result<(Vec<record::Checkin>, Vec<record::CoachingNote>, Vec<record::Application>)> {
    let mut checkins: Vec<record::Checkin> = crate::records::checkins(db, id)
        .await?
        .into_iter()
        .map(|c| record::Checkin {
            month: c.month,
            highlights: c.highlights,
            log_entries: c.accomplishment_ids.iter().filter_map(|a| positions.get(a).copied()).collect(),
            blockers: c.blockers,
            asks: c.asks,
            submitted_at: c.submitted_at,
            acknowledged_at: c.acknowledged_at,
            leader_comment: c.leader_comment,
        })
        .collect();
    checkins.sort_by_key(|c| c.month);
    let sql = "SELECT u.name AS author, n.metric, n.note, n.follow_up, n.created_at FROM coaching_notes n
        JOIN users u ON u.id = n.author_id WHERE n.employee_id = $1 ORDER BY n.created_at, n.id";
    let notes: Vec<NoteRow> = on_db!(db, p => sqlx::query_as(sql).bind(id).fetch_all(p).await?);
    let mut coaching = carried.coaching_notes;
    coaching.extend(notes.into_iter().map(|n| record::CoachingNote {
        author: n.author,
        metric: n.metric,
        note: n.note,
        follow_up: n.follow_up,
        created_at: n.created_at,
    }));
    coaching.sort_by_key(|n| n.created_at);
    let mut applications = carried.applications;
    applications.extend(crate::openings::applications::of_employee(db, id).await?.into_iter().map(|a| {
        record::Application {
            organisation: organisation.to_string(),
            opening: a.opening_title,
            stage: a.stage,
            applied_at: a.applied_at,
            updated_at: a.updated_at,
            start_date: a.start_date,
            endorsement: a.endorsement,
        }
    }));
    applications.sort_by_key(|a| a.applied_at);
    Ok((checkins, coaching, applications))
}

/// Everything about one person, as of now.
pub async fn read(db: &Db, id: EmployeeId) -> Result<Record> {
    let e = crate::org::employee(db, id).await?;
    let organisation = crate::org::organisation(db).await?.map(|o| o.1).unwrap_or_default();
    let mut carried = carried(db, id).await?;
    let work = work(db, id, &organisation, std::mem::take(&mut carried.work)).await?;
    let (figures, scores) = figures_and_scores(db, id).await?;
    let (log, positions) = log(db, id).await?;
    let (skills, certifications, training) = growth(db, id).await?;
    let (checkins, coaching_notes, applications) = conversations(db, id, &organisation, &positions, carried).await?;
    let career_plan = crate::records::career_plan(db, id).await?.map(|c| record::CareerPlan {
        target_role: c.target_role,
        horizon_years: c.horizon_years,
        path: serde_json::from_str(&c.path).unwrap_or_default(),
    });
    let goals = crate::career_goals::of_employee(db, id)
        .await?
        .into_iter()
        .map(|g| record::Goal {
            milestone_role: g.milestone_role,
            title: g.title,
            note: g.note,
            due_on: g.due_on,
            done_on: g.done_on,
            created_at: g.created_at,
        })
        .collect();
    Ok(Record {
        format: record::FORMAT.into(),
        version: record::VERSION,
        exported_at: Utc::now(),
        exported_from: organisation,
        person: record::Person {
            code: e.code,
            name: e.name,
            email: e.email,
            role: e.role_id,
            role_since: e.role_since,
            hire_date: e.hire_date,
        },
        work,
        kra_plans: kra_plans(db, id).await?,
        figures,
        scores,
        career_plan,
        goals,
        log,
        skills,
        certifications,
        training,
        checkins,
        coaching_notes,
        applications,
    })
}

/// How an import went: the person's id, and whether they were created or matched by code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    pub employee_id: EmployeeId,
    pub created: bool,
}

/// Writes a checked record in one transaction: a new person with the record's code, then every
/// part. A code already here is refused unless `into` names that existing person explicitly (a
/// code alone is no proof it is the same person), and then only if they have nothing the import
/// writes (an import adds, it never merges). On a database with no organisation yet (a personal
/// Ladder), one is made, named after the person.
pub async fn import(db: &Db, r: &Record, into: Option<&str>) -> Result<Imported> {
    let mut tx = db.begin().await?;
    let (employee_id, created) = person(&mut tx, r, into).await?;
    write_kras(&mut tx, employee_id, r).await?;
    let log_ids = write_log(&mut tx, employee_id, r).await?;
    write_growth(&mut tx, employee_id, r).await?;
    write_goals(&mut tx, employee_id, r).await?;
    write_checkins(&mut tx, employee_id, r, &log_ids).await?;
    open_spell(&mut tx, employee_id, r, created).await?;
    let carried = Carried {
        work: r.work.clone(),
        coaching_notes: r.coaching_notes.clone(),
        applications: r.applications.clone(),
    };
    let body = serde_json::to_string(&carried).expect("records serialise");
    let sql = "INSERT INTO carried_records (employee_id, body, imported_at) VALUES ($1, $2, $3)";
    on_db!(&mut tx, c => sqlx::query(sql).bind(employee_id).bind(&body).bind(Utc::now()).execute(c).await.map(drop)?);
    crate::kra::figures_changed(&mut tx).await?;
    let (from, through) = crate::scores::all_months();
    crate::scores::enqueue_employee(&mut tx, employee_id, from, through).await?;
    tx.commit().await?;
    Ok(Imported { employee_id, created })
}

/// Gives the person an open role spell if they have none, so what reads the role history here
/// (headcount, role changes, readiness) sees them in a role: a new person's is the record's
/// current role from when it started (`carried`: the record already tells that spell, so the
/// export does not tell it twice); a person named with `--into` gets their role here.
async fn open_spell(tx: &mut Tx, id: EmployeeId, r: &Record, created: bool) -> Result<()> {
    let open: i64 = on_db!(&mut *tx, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM role_history WHERE employee_id = $1 AND to_date IS NULL").bind(id).fetch_one(c).await?);
    if open > 0 {
        return Ok(());
    }
    let insert = "INSERT INTO role_history (employee_id, role_id, team_id, from_date, carried)
        SELECT id, role_id, team_id, $2, $3 FROM employees WHERE id = $1";
    let p = &r.person;
    // The record's own spell of the current role, if it tells one, else when it says the role began.
    let told = r.work.iter().rev().find(|s| s.to.is_none() && s.role == p.role).map(|s| s.from);
    let from = if created { told.unwrap_or(p.role_since) } else { employee_role_since(tx, id).await? };
    // Carried only when the record tells this very spell; else the export must tell it itself.
    let carried = created && told.is_some();
    on_db!(&mut *tx, c => sqlx::query(insert).bind(id).bind(from).bind(carried).execute(c).await.map(drop)?);
    Ok(())
}

async fn employee_role_since(tx: &mut Tx, id: EmployeeId) -> Result<NaiveDate> {
    Ok(on_db!(&mut *tx, c => sqlx::query_scalar("SELECT role_since FROM employees WHERE id = $1")
        .bind(id).fetch_one(c).await?))
}

/// Every table an import writes for a person, or that holds what a record carries: a person
/// with a row in any of them already has a record here.
const PERSON_DATA_TABLES: [&str; 13] = [
    "kra_actuals",
    "kpi_employee_months",
    "kra_plans",
    "career_plans",
    "career_goals",
    "accomplishments",
    "skill_assessments",
    "certifications",
    "training_items",
    "checkins",
    "coaching_notes",
    "applications",
    "carried_records",
];

async fn existing_person_without_data(tx: &mut Tx, code: &str) -> Result<EmployeeId> {
    let found: Option<EmployeeId> = on_db!(&mut *tx, c =>
        sqlx::query_scalar("SELECT id FROM employees WHERE code = $1").bind(code).fetch_optional(c).await?);
    let id = found.ok_or_else(|| StoreError::Conflict(format!("--into {code}: no person has that code here")))?;
    let has = PERSON_DATA_TABLES
        .iter()
        .map(|t| format!("(SELECT COUNT(*) FROM {t} WHERE employee_id = $1)"))
        .collect::<Vec<_>>()
        .join(" + ");
    let sql = format!("SELECT {has}");
    let n: i64 = on_db!(&mut *tx, c => sqlx::query_scalar(&sql).bind(id).fetch_one(c).await?);
    if n > 0 {
        return Err(StoreError::Conflict(format!(
            "{code} already has a record here (figures, plans, goals, log, skills, training, certifications, \
             check-ins, coaching notes or applications); a record is imported only into a person without one"
        )));
    }
    Ok(id)
}

async fn person(tx: &mut Tx, r: &Record, into: Option<&str>) -> Result<(EmployeeId, bool)> {
    let p = &r.person;
    if let Some(code) = into {
        return Ok((existing_person_without_data(tx, code).await?, false));
    }
    let taken: Option<EmployeeId> = on_db!(&mut *tx, c =>
        sqlx::query_scalar("SELECT id FROM employees WHERE code = $1").bind(&p.code).fetch_optional(c).await?);
    if taken.is_some() {
        return Err(StoreError::Conflict(format!(
            "{} is already someone here; if this record is theirs, say so with --into {}",
            p.code, p.code
        )));
    }
    let org: Option<i64> = on_db!(&mut *tx, c =>
        sqlx::query_scalar("SELECT id FROM organisations ORDER BY id LIMIT 1").fetch_optional(c).await?);
    let org = match org {
        Some(id) => id,
        None => on_db!(&mut *tx, c => sqlx::query_scalar("INSERT INTO organisations (name) VALUES ($1) RETURNING id")
            .bind(format!("{}'s Ladder", p.name)).fetch_one(c).await?),
    };
    let insert = "INSERT INTO employees (organisation_id, code, name, email, role_id, role_since, hire_date)
        VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
    let id: EmployeeId = on_db!(&mut *tx, c => sqlx::query_scalar(insert).bind(org).bind(&p.code).bind(&p.name)
        .bind(&p.email).bind(&p.role).bind(p.role_since).bind(p.hire_date).fetch_one(c).await
        .map_err(|e| StoreError::from_write(e, &format!("employee {}", p.code)))?);
    Ok((id, true))
}

async fn write_kras(tx: &mut Tx, id: EmployeeId, r: &Record) -> Result<()> {
    let head = "INSERT INTO kra_plans (employee_id, year, effective_from, name, role_id, variable_pay_minor, currency, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
    let line = "INSERT INTO kra_plan_lines (plan_id, position, metric, weight, threshold, target, stretch)
        VALUES ($1, $2, $3, $4, $5, $6, $7)";
    for k in &r.kra_plans {
        let plan_id: i64 = on_db!(&mut *tx, c => sqlx::query_scalar(head).bind(id).bind(k.year).bind(k.effective_from)
            .bind(&k.name).bind(&k.role).bind(k.variable_pay_minor).bind(&k.currency).bind(Utc::now()).fetch_one(c).await
            .map_err(|e| StoreError::from_write(e, &format!("KRA plan from {}", k.effective_from)))?);
        for (position, l) in k.lines.iter().enumerate() {
            on_db!(&mut *tx, c => sqlx::query(line).bind(plan_id).bind(position as i32).bind(&l.metric).bind(l.weight)
                .bind(l.threshold).bind(l.target).bind(l.stretch).execute(c).await
                .map_err(|e| StoreError::from_write(e, &format!("KRA plan line {}", l.metric))).map(drop)?);
        }
    }
    let figure = "INSERT INTO kra_actuals (employee_id, month, metric, numerator, denominator, source, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7)";
    for f in &r.figures {
        on_db!(&mut *tx, c => sqlx::query(figure).bind(id).bind(f.month).bind(&f.metric).bind(f.numerator)
            .bind(f.denominator).bind(&f.source).bind(Utc::now()).execute(c).await
            .map_err(|e| StoreError::from_write(e, &format!("figure {} {}", f.month.format("%Y-%m"), f.metric))).map(drop)?);
    }
    if let Some(plan) = &r.career_plan {
        let sql = "INSERT INTO career_plans (employee_id, target_role, horizon_years, path, updated_at) VALUES ($1, $2, $3, $4, $5)";
        let path = serde_json::to_string(&plan.path).expect("strings serialise");
        on_db!(&mut *tx, c => sqlx::query(sql).bind(id).bind(&plan.target_role).bind(plan.horizon_years).bind(&path)
            .bind(Utc::now()).execute(c).await.map(drop)?);
    }
    Ok(())
}

fn joined(items: &[String]) -> String {
    if items.is_empty() {
        String::new()
    } else {
        format!(",{},", items.join(","))
    }
}

async fn write_log(tx: &mut Tx, id: EmployeeId, r: &Record) -> Result<Vec<i64>> {
    let sql = "INSERT INTO accomplishments (employee_id, date, title, details, impact_value, impact_unit, tags, kras, skills, shared, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
    let mut ids = Vec::with_capacity(r.log.len());
    for e in &r.log {
        let new: i64 = on_db!(&mut *tx, c => sqlx::query_scalar(sql).bind(id).bind(e.date).bind(&e.title).bind(&e.details)
            .bind(e.impact_value).bind(&e.impact_unit).bind(joined(&e.tags)).bind(joined(&e.kras)).bind(joined(&e.skills))
            .bind(e.shared).bind(e.created_at).fetch_one(c).await?);
        ids.push(new);
    }
    Ok(ids)
}

async fn write_growth(tx: &mut Tx, id: EmployeeId, r: &Record) -> Result<()> {
    let skill = "INSERT INTO skill_assessments (employee_id, skill_id, level, assessor, assessed_at) VALUES ($1, $2, $3, $4, $5)";
    for s in &r.skills {
        on_db!(&mut *tx, c => sqlx::query(skill).bind(id).bind(&s.skill).bind(s.level).bind(&s.assessor)
            .bind(s.assessed_at).execute(c).await.map(drop)?);
    }
    let cert =
        "INSERT INTO certifications (employee_id, certification_id, status, planned_date, earned_date, expires_date)
        VALUES ($1, $2, $3, $4, $5, $6)";
    for k in &r.certifications {
        on_db!(&mut *tx, c => sqlx::query(cert).bind(id).bind(&k.certification).bind(&k.status).bind(k.planned_date)
            .bind(k.earned_date).bind(k.expires_date).execute(c).await
            .map_err(|e| StoreError::from_write(e, &format!("certification {}", k.certification))).map(drop)?);
    }
    let training = "INSERT INTO training_items (employee_id, kind, title, provider, hours, status, skill_id, due_date, completed_date)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    for t in &r.training {
        on_db!(&mut *tx, c => sqlx::query(training).bind(id).bind(&t.kind).bind(&t.title).bind(&t.provider).bind(t.hours)
            .bind(&t.status).bind(&t.skill).bind(t.due_date).bind(t.completed_date).execute(c).await.map(drop)?);
    }
    Ok(())
}

/// The person's goals as the file gives them (done ones with their day); the caps were the
/// other Ladder's to keep, and the file's check holds at most as many as a person may keep.
async fn write_goals(tx: &mut Tx, id: EmployeeId, r: &Record) -> Result<()> {
    let sql =
        "INSERT INTO career_goals (employee_id, milestone_role, title, note, due_on, done_on, created_at, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    let now = Utc::now();
    for g in &r.goals {
        on_db!(&mut *tx, c => sqlx::query(sql).bind(id).bind(&g.milestone_role).bind(&g.title).bind(&g.note)
            .bind(g.due_on).bind(g.done_on).bind(g.created_at).bind(now).execute(c).await
            .map_err(|e| StoreError::from_write(e, &format!("goal {}", g.title))).map(drop)?);
    }
    Ok(())
}

async fn write_checkins(tx: &mut Tx, id: EmployeeId, r: &Record, log_ids: &[i64]) -> Result<()> {
    let sql = "INSERT INTO checkins (employee_id, month, highlights, accomplishment_ids, blockers, asks, submitted_at, acknowledged_at, leader_comment)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    for k in &r.checkins {
        let picked =
            k.log_entries.iter().filter_map(|&i| log_ids.get(i)).map(i64::to_string).collect::<Vec<_>>().join(",");
        on_db!(&mut *tx, c => sqlx::query(sql).bind(id).bind(k.month).bind(&k.highlights).bind(&picked).bind(&k.blockers)
            .bind(&k.asks).bind(k.submitted_at).bind(k.acknowledged_at).bind(&k.leader_comment).execute(c).await
            .map_err(|e| StoreError::from_write(e, &format!("check-in {}", k.month.format("%Y-%m")))).map(drop)?);
    }
    Ok(())
}
