//! Internal openings (`openings`, migration 0020): a framework role to fill at a site, with its
//! shift, work arrangement, monthly pay band in minor units and the opening's own rules. The
//! applications to them are in [`applications`].

pub mod applications;
pub mod demo;

use chrono::{DateTime, NaiveDate, Utc};
use ladder_core::{TeamId, UserId};
use serde::{Deserialize, Serialize};

use crate::{on_db, Db, Result, StoreError};

/// What is posted (and edited): every column a person chooses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpeningFields {
    pub role_id: String,
    pub title: String,
    pub site_id: i64,
    pub account_id: Option<i64>,
    pub team_id: Option<TeamId>,
    pub headcount: i32,
    /// day, night or rotating.
    pub shift: String,
    /// In words, e.g. "22:00–07:00, Monday to Friday".
    pub shift_hours: String,
    pub hours_per_week: i32,
    /// on-site, hybrid or remote.
    pub arrangement: String,
    pub pay_min: i64,
    pub pay_max: i64,
    pub currency: String,
    pub allowances: i64,
    pub allowances_note: String,
    pub night_differential_percent: i32,
    pub signing_bonus: i64,
    pub description: String,
    pub closing_date: NaiveDate,
    pub rule_no_final_warning: bool,
    pub rule_min_company_months: i32,
    pub rule_same_site: bool,
    pub published: bool,
    pub hiring_manager_id: Option<UserId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Opening {
    pub id: i64,
    pub role_id: String,
    pub title: String,
    pub site_id: i64,
    pub account_id: Option<i64>,
    pub team_id: Option<TeamId>,
    pub headcount: i32,
    pub shift: String,
    pub shift_hours: String,
    pub hours_per_week: i32,
    pub arrangement: String,
    pub pay_min: i64,
    pub pay_max: i64,
    pub currency: String,
    pub allowances: i64,
    pub allowances_note: String,
    pub night_differential_percent: i32,
    pub signing_bonus: i64,
    pub description: String,
    pub posted_on: NaiveDate,
    pub closing_date: NaiveDate,
    pub rule_no_final_warning: bool,
    pub rule_min_company_months: i32,
    pub rule_same_site: bool,
    /// open or closed.
    pub status: String,
    pub published: bool,
    pub hiring_manager_id: Option<UserId>,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The site's name and country (joined).
    pub site_name: String,
    pub site_country: String,
}

impl Opening {
    /// Open, and not past its closing date on `today`.
    pub fn is_open(&self, today: NaiveDate) -> bool {
        self.status == "open" && self.closing_date >= today
    }
}

/// Binds [`OpeningFields`] as `$1`…`$24` in the order of the statements above.
macro_rules! bind_fields {
    ($q:expr, $f:expr) => {
        $q.bind(&$f.role_id)
            .bind(&$f.title)
            .bind($f.site_id)
            .bind($f.account_id)
            .bind($f.team_id)
            .bind($f.headcount)
            .bind(&$f.shift)
            .bind(&$f.shift_hours)
            .bind($f.hours_per_week)
            .bind(&$f.arrangement)
            .bind($f.pay_min)
            .bind($f.pay_max)
            .bind(&$f.currency)
            .bind($f.allowances)
            .bind(&$f.allowances_note)
            .bind($f.night_differential_percent)
            .bind($f.signing_bonus)
            .bind(&$f.description)
            .bind($f.closing_date)
            .bind($f.rule_no_final_warning)
            .bind($f.rule_min_company_months)
            .bind($f.rule_same_site)
            .bind($f.published)
            .bind($f.hiring_manager_id)
    };
}

const SELECT: &str = "SELECT o.id, o.role_id, o.title, o.site_id, o.account_id, o.team_id, o.headcount, o.shift,
    o.shift_hours, o.hours_per_week, o.arrangement, o.pay_min, o.pay_max, o.currency, o.allowances, o.allowances_note,
    o.night_differential_percent, o.signing_bonus, o.description, o.posted_on, o.closing_date, o.rule_no_final_warning,
    o.rule_min_company_months, o.rule_same_site, o.status, o.published, o.hiring_manager_id, o.created_by,
    o.created_at, o.updated_at, s.name AS site_name, s.country AS site_country
    FROM openings o JOIN sites s ON s.id = o.site_id";

/// Posts an opening (open from `today`); its id.
pub async fn create(db: &Db, f: &OpeningFields, by: Option<UserId>, today: NaiveDate) -> Result<i64> {
    let sql = "INSERT INTO openings (role_id, title, site_id, account_id, team_id, headcount, shift, shift_hours,
        hours_per_week, arrangement, pay_min, pay_max, currency, allowances, allowances_note, night_differential_percent,
        signing_bonus, description, closing_date, rule_no_final_warning, rule_min_company_months, rule_same_site,
        published, hiring_manager_id, posted_on, status, created_by, created_at, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
        $23, $24, $25, 'open', $26, $27, $27) RETURNING id";
    let now = Utc::now();
    Ok(on_db!(db, p => bind_fields!(sqlx::query_scalar(sql), f).bind(today).bind(by).bind(now).fetch_one(p).await?))
}

/// Rewrites an opening's fields (not its status or posting date).
pub async fn update(db: &Db, id: i64, f: &OpeningFields) -> Result<()> {
    let sql = "UPDATE openings SET role_id = $1, title = $2, site_id = $3, account_id = $4, team_id = $5,
        headcount = $6, shift = $7, shift_hours = $8, hours_per_week = $9, arrangement = $10, pay_min = $11,
        pay_max = $12, currency = $13, allowances = $14, allowances_note = $15, night_differential_percent = $16,
        signing_bonus = $17, description = $18, closing_date = $19, rule_no_final_warning = $20,
        rule_min_company_months = $21, rule_same_site = $22, published = $23, hiring_manager_id = $24,
        updated_at = $25 WHERE id = $26";
    let done =
        on_db!(db, p => bind_fields!(sqlx::query(sql), f).bind(Utc::now()).bind(id).execute(p).await?.rows_affected());
    if done == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// How many people an opening has hired (its headcount may not go below this).
pub async fn hired(db: &Db, id: i64) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM applications WHERE opening_id = $1 AND stage = 'hired'";
    Ok(on_db!(db, p => sqlx::query_scalar(sql).bind(id).fetch_one(p).await?))
}

/// Opens or closes an opening.
pub async fn set_status(db: &Db, id: i64, open: bool) -> Result<()> {
    let sql = "UPDATE openings SET status = $1, updated_at = $2 WHERE id = $3";
    let status = if open { "open" } else { "closed" };
    let done =
        on_db!(db, p => sqlx::query(sql).bind(status).bind(Utc::now()).bind(id).execute(p).await?.rows_affected());
    if done == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub async fn opening(db: &Db, id: i64) -> Result<Opening> {
    let sql = format!("{SELECT} WHERE o.id = $1");
    on_db!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await?).ok_or(StoreError::NotFound)
}

/// Openings newest first after the cursor (`before`: an id), at most `limit`; `open_on`: only
/// those open on that day; `published`: only published ones.
pub async fn list(
    db: &Db,
    open_on: Option<NaiveDate>,
    published: bool,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<Opening>> {
    let sql = format!(
        "{SELECT} WHERE ($1 IS NULL OR (o.status = 'open' AND o.closing_date >= $1))
         AND ($2 = FALSE OR o.published = TRUE) AND ($3 IS NULL OR o.id < $3) ORDER BY o.id DESC LIMIT $4"
    );
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(open_on).bind(published).bind(before).bind(limit).fetch_all(p).await?))
}

/// How many openings [`list`] would give without the cursor.
pub async fn count(db: &Db, open_on: Option<NaiveDate>, published: bool) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM openings o WHERE ($1 IS NULL OR (o.status = 'open' AND o.closing_date >= $1))
        AND ($2 = FALSE OR o.published = TRUE)";
    Ok(on_db!(db, p => sqlx::query_scalar(sql).bind(open_on).bind(published).fetch_one(p).await?))
}
