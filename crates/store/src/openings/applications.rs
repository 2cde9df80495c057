//! Applications to internal openings (`applications`, `application_events`): who applied with
//! which packet (a JSON snapshot taken when they applied), the stage, the leader's endorsement,
//! and every stage move with its note. Each write also goes to the audit log in its own
//! transaction; a hire changes the person's role in the same one.

use chrono::{DateTime, NaiveDate, Utc};
use ladder_core::{EmployeeId, TeamId, UserId};
use serde::{Deserialize, Serialize};

use crate::audit::{self, Change};
use crate::{on_db, Db, Result, StoreError, Tx};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Application {
    pub id: i64,
    pub opening_id: i64,
    pub employee_id: EmployeeId,
    pub stage: String,
    /// The promotion packet as it stood when they applied (JSON).
    pub packet: String,
    pub endorsed_by: Option<UserId>,
    pub endorsement: Option<String>,
    pub endorsed_at: Option<DateTime<Utc>>,
    pub start_date: Option<NaiveDate>,
    pub applied_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Joined: the applicant's name and team, the opening's title.
    pub employee_name: String,
    pub team_id: Option<TeamId>,
    pub opening_title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub actor_id: Option<UserId>,
    pub from_stage: Option<String>,
    pub to_stage: String,
    pub note: String,
}

const SELECT: &str = "SELECT a.id, a.opening_id, a.employee_id, a.stage, a.packet, a.endorsed_by, a.endorsement,
    a.endorsed_at, a.start_date, a.applied_at, a.updated_at, e.name AS employee_name, e.team_id, o.title AS opening_title
    FROM applications a JOIN employees e ON e.id = a.employee_id JOIN openings o ON o.id = a.opening_id";

const EVENT: &str =
    "INSERT INTO application_events (application_id, at, actor_id, from_stage, to_stage, note) VALUES ($1, $2, $3, $4, $5, $6)";

fn change(
    actor: UserId,
    employee: EmployeeId,
    id: i64,
    action: &'static str,
    after: serde_json::Value,
) -> Change<'static> {
    Change {
        actor_id: Some(actor),
        entity: "application",
        entity_id: format!("employee:{employee}/application:{id}"),
        action,
        before: None,
        after: Some(after),
    }
}

async fn record(tx: &mut Tx, c: &Change<'_>) -> Result<()> {
    on_db!(tx, c2 => audit::bind(sqlx::query(audit::INSERT_SQL), c).execute(c2).await.map(drop)?);
    Ok(())
}

/// Applies `employee` to an opening with their packet; refuses a second application to it.
pub async fn apply(db: &Db, opening_id: i64, employee: EmployeeId, packet: &str, by: UserId) -> Result<i64> {
    let exists = "SELECT COUNT(*) FROM applications WHERE opening_id = $1 AND employee_id = $2";
    let insert = "INSERT INTO applications (opening_id, employee_id, stage, packet, applied_at, updated_at)
        VALUES ($1, $2, 'applied', $3, $4, $4) RETURNING id";
    let now = Utc::now();
    let mut tx = db.begin().await?;
    let n: i64 = on_db!(&mut tx, c => sqlx::query_scalar(exists).bind(opening_id).bind(employee).fetch_one(c).await?);
    if n > 0 {
        return Err(StoreError::Conflict("already applied to this opening".into()));
    }
    let id: i64 = on_db!(&mut tx, c => sqlx::query_scalar(insert).bind(opening_id).bind(employee).bind(packet).bind(now).fetch_one(c).await?);
    on_db!(&mut tx, c => sqlx::query(EVENT).bind(id).bind(now).bind(by).bind(None::<String>).bind("applied").bind("").execute(c).await.map(drop)?);
    record(
        &mut tx,
        &change(by, employee, id, "apply", serde_json::json!({ "opening": opening_id, "stage": "applied" })),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn application(db: &Db, id: i64) -> Result<Application> {
    let sql = format!("{SELECT} WHERE a.id = $1");
    on_db!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await?).ok_or(StoreError::NotFound)
}

/// A person's applications, newest first.
pub async fn of_employee(db: &Db, employee: EmployeeId) -> Result<Vec<Application>> {
    let sql = format!("{SELECT} WHERE a.employee_id = $1 ORDER BY a.id DESC");
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(employee).fetch_all(p).await?))
}

/// These people's applications, newest first (the reminder pass reads everyone's at once).
pub async fn of_employees(db: &Db, employees: &[EmployeeId]) -> Result<Vec<Application>> {
    let sql = format!("{SELECT} WHERE a.employee_id IN {} ORDER BY a.id DESC", db.id_list("$1"));
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(crate::db::json_ids(employees)).fetch_all(p).await?))
}

/// An opening's applications, oldest first, at most `limit`.
pub async fn of_opening(db: &Db, opening_id: i64, limit: i64) -> Result<Vec<Application>> {
    let sql = format!("{SELECT} WHERE a.opening_id = $1 ORDER BY a.id LIMIT $2");
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(opening_id).bind(limit).fetch_all(p).await?))
}

/// The applications still open (applied to offer) of the people in these teams, oldest first:
/// a team leader's queue to endorse.
pub async fn open_in_teams(db: &Db, teams: &[TeamId], limit: i64) -> Result<Vec<Application>> {
    let sql = format!(
        "{SELECT} WHERE e.team_id IN {} AND a.stage IN ('applied', 'screening', 'interview', 'offer') ORDER BY a.id LIMIT $2",
        db.id_list("$1")
    );
    let ids = crate::db::json_ids(teams);
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(ids).bind(limit).fetch_all(p).await?))
}

/// An application's stage moves, oldest first.
pub async fn events(db: &Db, id: i64) -> Result<Vec<Event>> {
    let sql =
        "SELECT at, actor_id, from_stage, to_stage, note FROM application_events WHERE application_id = $1 ORDER BY id";
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(id).fetch_all(p).await?))
}

/// The role (and team) a hire moves the person to, from a date.
#[derive(Debug, Clone)]
pub struct Hire {
    /// The opening hired into, and how many people it takes: no hire past that.
    pub opening_id: i64,
    pub headcount: i32,
    pub role_id: String,
    pub team_id: Option<TeamId>,
    pub start: NaiveDate,
}

/// A stage move. `from` is the stage the mover saw: a move made meanwhile makes this one stale.
#[derive(Debug, Clone)]
pub struct Move<'a> {
    pub id: i64,
    pub employee: EmployeeId,
    pub from: &'a str,
    pub to: &'a str,
    pub note: &'a str,
    pub actor: UserId,
    pub hire: Option<Hire>,
}

/// Moves an application's stage, records the move and its note (and the audit entry), and on a
/// hire changes the person's role and team from the start date, all in one transaction.
pub async fn move_stage(db: &Db, m: &Move<'_>) -> Result<()> {
    let sql = "UPDATE applications SET stage = $1, start_date = $2, updated_at = $3 WHERE id = $4 AND stage = $5";
    let now = Utc::now();
    let start = m.hire.as_ref().map(|h| h.start);
    let mut tx = db.begin().await?;
    if let Some(h) = &m.hire {
        check_headcount(&mut tx, h).await?;
    }
    let done = on_db!(&mut tx, c => sqlx::query(sql).bind(m.to).bind(start).bind(now).bind(m.id).bind(m.from).execute(c).await?.rows_affected());
    if done == 0 {
        return Err(StoreError::Stale("the application moved meanwhile: reload it".into()));
    }
    on_db!(&mut tx, c => sqlx::query(EVENT).bind(m.id).bind(now).bind(m.actor).bind(m.from).bind(m.to).bind(m.note).execute(c).await.map(drop)?);
    let after = serde_json::json!({ "from": m.from, "to": m.to, "note": m.note, "start": start });
    record(&mut tx, &change(m.actor, m.employee, m.id, "stage", after)).await?;
    if let Some(h) = &m.hire {
        crate::org::change_role_in(&mut tx, m.employee, &h.role_id, h.team_id, h.start).await?;
    }
    let moved = crate::notifications::New {
        kind: crate::notifications::Kind::ApplicationMoved,
        employee_id: Some(m.employee),
        link: format!("/applications/{}", m.id),
        params: serde_json::json!({ "stage": m.to }),
        about: None,
    };
    crate::notifications::to_person(&mut tx, m.employee, m.actor, &moved).await?;
    tx.commit().await
}

/// Refuses a hire once the opening has its headcount. On PostgreSQL the opening's row is
/// locked first so two hires at once count one after the other; SQLite's write transaction
/// already runs them one at a time.
async fn check_headcount(tx: &mut Tx, h: &Hire) -> Result<()> {
    use crate::db::{On, OnTx as _};
    let count = "SELECT COUNT(*) FROM applications WHERE opening_id = $1 AND stage = 'hired'";
    let hired: i64 = match tx.on_db() {
        On::Sqlite(c) => sqlx::query_scalar(count).bind(h.opening_id).fetch_one(c).await?,
        On::Postgres(c) => {
            let lock = "SELECT id FROM openings WHERE id = $1 FOR UPDATE";
            sqlx::query(lock).bind(h.opening_id).execute(&mut *c).await?;
            sqlx::query_scalar(count).bind(h.opening_id).fetch_one(c).await?
        }
    };
    if hired >= i64::from(h.headcount) {
        return Err(StoreError::Conflict(format!(
            "the opening has its headcount of {} hired already: raise the headcount or move another hire back first",
            h.headcount
        )));
    }
    Ok(())
}

/// The leader's endorsement (replacing an earlier one).
pub async fn endorse(db: &Db, id: i64, employee: EmployeeId, by: UserId, text: &str) -> Result<()> {
    let sql =
        "UPDATE applications SET endorsed_by = $1, endorsement = $2, endorsed_at = $3, updated_at = $3 WHERE id = $4";
    let mut tx = db.begin().await?;
    on_db!(&mut tx, c => sqlx::query(sql).bind(by).bind(text).bind(Utc::now()).bind(id).execute(c).await.map(drop)?);
    record(&mut tx, &change(by, employee, id, "endorse", serde_json::json!({ "endorsement": text }))).await?;
    tx.commit().await
}
