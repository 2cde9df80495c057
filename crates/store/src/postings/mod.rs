//! Outside job postings (`job_postings`), as [`ladder_core::postings`] reads them: one row per
//! identity, so importing the same postings again updates them instead of adding copies.
//! [`search`] reads them a page at a time with the job seeker's filters; [`market_rows`] gives
//! what the market view summarises.

use chrono::{DateTime, NaiveDate, Utc};
use ladder_core::postings::Posting;
use serde::Serialize;

use crate::{on_db, Db, Result, Tx};

mod row;
pub mod search;
pub mod tracker;

pub use row::StoredPosting;
pub use search::{count, search, After, Filters};

/// What an import did: postings added and postings already known that were updated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Upserted {
    pub imported: u64,
    pub updated: u64,
}

/// The longest `source` (a file name) kept.
pub const MAX_SOURCE: usize = 300;

const UPSERT: &str = "INSERT INTO job_postings (identity, title, organisation, description, url, location,
    date_posted, posted_on, valid_through, employment_types, occupational_category, role_id, matched_by,
    pay_month_min, pay_month_max, currency, pay_unit, arrangement, arrangement_rank, shift, signing_bonus,
    night_differential, industry, channel, degree_required, experience_months, source, imported_at, updated_at,
    organisation_key, location_key)
    VALUES ($1, $2, $3, $4, $5, $6, $7, COALESCE($7, $28), $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
    $19, $20, $21, $22, $23, $24, $25, $26, $27, $27, $29, $30)
    ON CONFLICT (identity) DO UPDATE SET title = excluded.title, organisation = excluded.organisation,
    description = excluded.description, url = excluded.url, location = excluded.location,
    date_posted = excluded.date_posted, posted_on = COALESCE(excluded.date_posted, job_postings.posted_on),
    valid_through = excluded.valid_through, employment_types = excluded.employment_types,
    occupational_category = excluded.occupational_category, role_id = excluded.role_id,
    matched_by = excluded.matched_by, pay_month_min = excluded.pay_month_min,
    pay_month_max = excluded.pay_month_max, currency = excluded.currency, pay_unit = excluded.pay_unit,
    arrangement = excluded.arrangement, arrangement_rank = excluded.arrangement_rank, shift = excluded.shift,
    signing_bonus = excluded.signing_bonus, night_differential = excluded.night_differential,
    industry = excluded.industry, channel = excluded.channel, degree_required = excluded.degree_required,
    experience_months = excluded.experience_months, source = excluded.source, updated_at = excluded.updated_at,
    organisation_key = excluded.organisation_key, location_key = excluded.location_key";

/// Stores `postings` (from the file `source`) in one transaction: new identities are added,
/// known ones updated.
pub async fn upsert(db: &Db, postings: &[Posting], source: &str, at: DateTime<Utc>) -> Result<Upserted> {
    let mut tx = db.begin().await?;
    let done = upsert_in(&mut tx, postings, source, at).await?;
    tx.commit().await?;
    Ok(done)
}

/// [`upsert`] in the caller's transaction (a dry run rolls it back).
pub async fn upsert_in(tx: &mut Tx, postings: &[Posting], source: &str, at: DateTime<Utc>) -> Result<Upserted> {
    let source = ladder_core::postings::fields::clip(source, MAX_SOURCE);
    let before = count_all(tx).await?;
    for p in postings {
        insert_one(tx, p, &source, at).await?;
    }
    let imported = count_all(tx).await?.saturating_sub(before);
    Ok(Upserted { imported, updated: postings.len() as u64 - imported })
}

async fn count_all(tx: &mut Tx) -> Result<u64> {
    let n: i64 = on_db!(tx, c => sqlx::query_scalar("SELECT COUNT(*) FROM job_postings").fetch_one(c).await?);
    Ok(n.max(0) as u64)
}

async fn insert_one(tx: &mut Tx, p: &Posting, source: &str, at: DateTime<Utc>) -> Result<()> {
    let rank: i16 = match p.arrangement.key() {
        "remote" => 0,
        "hybrid" => 1,
        _ => 2,
    };
    let pay = p.pay.as_ref();
    let today: NaiveDate = at.date_naive();
    let types = p.employment_types.join(",");
    on_db!(tx, c => sqlx::query(UPSERT)
        .bind(&p.identity).bind(&p.title).bind(&p.organisation).bind(&p.description).bind(&p.url)
        .bind(&p.location).bind(p.date_posted).bind(p.valid_through).bind(&types)
        .bind(&p.occupational_category).bind(&p.role).bind(p.matched_by.key())
        .bind(pay.map(|p| p.min)).bind(pay.map(|p| p.max)).bind(pay.and_then(|p| p.currency.clone()))
        .bind(pay.map(|p| p.unit.as_str())).bind(p.arrangement.key()).bind(rank).bind(p.shift.map(|s| s.key()))
        .bind(p.signing_bonus).bind(p.night_differential).bind(p.industry.map(|i| i.key()))
        .bind(p.channel.map(|c| c.key())).bind(p.degree_required).bind(p.experience_months.map(i64::from))
        .bind(source).bind(at).bind(today).bind(key(&p.organisation)).bind(key(&p.location))
        .execute(c).await.map(drop)?);
    Ok(())
}

/// The lower-cased form the search's "contains" filters compare with.
fn key(text: &Option<String>) -> String {
    text.as_deref().unwrap_or_default().to_lowercase()
}

/// One posting by id, with its description.
pub async fn get(db: &Db, id: i64) -> Result<Option<(StoredPosting, String)>> {
    let sql = format!("SELECT {}, description FROM job_postings WHERE id = $1", row::COLUMNS);
    let found: Option<row::WithDescription> = on_db!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await?);
    Ok(found.map(|w| (w.posting, w.description)))
}

/// What the market view summarises: each matched, open posting's role, location, shift,
/// arrangement, signing bonus and pay.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct MarketRow {
    pub role_id: String,
    pub location: Option<String>,
    pub shift: Option<String>,
    pub arrangement: String,
    pub signing_bonus: bool,
    pub currency: Option<String>,
    pub pay_month_min: Option<i64>,
    pub pay_month_max: Option<i64>,
}

/// [`MarketRow`]s of the postings open on `today` with a matched role.
pub async fn market_rows(db: &Db, today: NaiveDate) -> Result<Vec<MarketRow>> {
    let sql = "SELECT role_id, location, shift, arrangement, signing_bonus, currency, pay_month_min, pay_month_max
        FROM job_postings WHERE role_id IS NOT NULL AND (valid_through IS NULL OR valid_through >= $1)";
    Ok(on_db!(db, c => sqlx::query_as(sql).bind(today).fetch_all(c).await?))
}

/// [`market_rows`] of one role (the explorer's role page): through `job_postings_by_role`.
pub async fn market_rows_of_role(db: &Db, today: NaiveDate, role: &str) -> Result<Vec<MarketRow>> {
    let sql = "SELECT role_id, location, shift, arrangement, signing_bonus, currency, pay_month_min, pay_month_max
        FROM job_postings WHERE role_id = $2 AND (valid_through IS NULL OR valid_through >= $1)";
    Ok(on_db!(db, c => sqlx::query_as(sql).bind(today).bind(role).fetch_all(c).await?))
}
