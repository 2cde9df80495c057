//! People's identifiers on the contact-centre platforms (`employee_identities`): one per person
//! and platform, unique on its platform except for WFM display names. The people import writes
//! them in its transaction ([`write`]); the API sets one at a time ([`set`]); a KPI import reads
//! its platform's ([`for_platform`]).

use ladder_core::EmployeeId;

use super::bulk::BATCH_ROWS;
use crate::{on_db, Db, Result, StoreError, Tx};

/// (employee, identifier) of everyone with an identifier on `platform`.
pub async fn for_platform(db: &Db, platform: &str) -> Result<Vec<(i64, String)>> {
    let sql = "SELECT employee_id, identifier FROM employee_identities WHERE platform = $1";
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(platform).fetch_all(p).await?))
}

/// (employee, platform, identifier) of every identifier: what a people file is compared with.
pub async fn all(db: &Db) -> Result<Vec<(i64, String, String)>> {
    let sql = "SELECT employee_id, platform, identifier FROM employee_identities";
    Ok(on_db!(db, p => sqlx::query_as(sql).fetch_all(p).await?))
}

/// (platform, identifier) of one person, by platform.
pub async fn of_employee(db: &Db, employee: EmployeeId) -> Result<Vec<(String, String)>> {
    let sql = "SELECT platform, identifier FROM employee_identities WHERE employee_id = $1 ORDER BY platform";
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(employee).fetch_all(p).await?))
}

/// Sets (or with `None` removes) a person's identifier on a platform. Another person holding
/// it already is a [`StoreError::Conflict`] naming them by code.
pub async fn set(db: &Db, employee: EmployeeId, platform: &str, identifier: Option<&str>) -> Result<()> {
    let mut tx = db.begin().await?;
    let clear = "DELETE FROM employee_identities WHERE employee_id = $1 AND platform = $2";
    on_db!(&mut tx, c => sqlx::query(clear).bind(employee).bind(platform).execute(c).await.map(drop)?);
    if let Some(identifier) = identifier {
        let holder = "SELECT e.code FROM employee_identities i JOIN employees e ON e.id = i.employee_id
            WHERE i.platform = $1 AND i.identifier = $2 AND i.platform <> 'wfm'";
        let held: Option<String> =
            on_db!(&mut tx, c => sqlx::query_scalar(holder).bind(platform).bind(identifier).fetch_optional(c).await?);
        if let Some(code) = held {
            return Err(StoreError::Conflict(format!(
                "{platform} identifier '{identifier}' already belongs to {code}"
            )));
        }
        let insert = "INSERT INTO employee_identities (employee_id, platform, identifier) VALUES ($1, $2, $3)";
        on_db!(&mut tx, c => sqlx::query(insert).bind(employee).bind(platform).bind(identifier).execute(c).await
            .map(drop).map_err(|e| StoreError::from_write(e, "this identifier"))?);
    }
    tx.commit().await
}

/// Writes a people import's identifiers in its transaction: each (employee, platform) given is
/// cleared first, all of them, so identifiers that move between people in one file do not
/// clash on the way; then the given ones are inserted, many to a statement.
pub async fn write(tx: &mut Tx, given: &[(i64, &str, Option<&str>)], stored: bool) -> Result<()> {
    let backend = tx.backend();
    if stored {
        let clear = "DELETE FROM employee_identities WHERE employee_id = $1 AND platform = $2";
        for (employee, platform, _) in given {
            on_db!(tx, c => sqlx::query(clear).bind(employee).bind(platform).execute(c).await.map(drop)?);
        }
    }
    let set: Vec<(i64, &str, &str)> = given.iter().filter_map(|(e, p, i)| Some((*e, *p, (*i)?))).collect();
    for chunk in set.chunks(BATCH_ROWS) {
        let sql = format!(
            "INSERT INTO employee_identities (employee_id, platform, identifier) VALUES {}",
            backend.values_list(chunk.len(), 3)
        );
        on_db!(tx, c => {
            let mut insert = sqlx::query(&sql);
            for (employee, platform, identifier) in chunk {
                insert = insert.bind(employee).bind(platform).bind(identifier);
            }
            insert.execute(c).await.map(drop).map_err(|e| StoreError::from_write(e, "a platform identifier"))?;
        });
    }
    Ok(())
}
