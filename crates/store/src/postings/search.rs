//! The job search: postings a page at a time, remote first, then the newest posted, with the
//! filters BPO job seekers use; a count under the same filters. Every filter is optional;
//! the SQL is one fixed text (`$n IS NULL OR …`) so both drivers and the direct reader prepare
//! it once.

use chrono::NaiveDate;
use rusqlite::Row;

use super::row::{StoredPosting, COLUMNS};
use crate::{read, Db, Result};

/// The search's filters; `None` / `false` means any.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    /// Postings closed before this day are left out; `None` keeps them (`--all`).
    pub open_on: Option<NaiveDate>,
    /// "remote", "hybrid" or "on-site".
    pub arrangement: Option<String>,
    /// "day", "night" or "rotating".
    pub shift: Option<String>,
    /// Monthly pay whose top reaches this many minor units of `currency`.
    pub pay_at_least: Option<(i64, String)>,
    pub signing_bonus: bool,
    pub night_differential: bool,
    /// An industry key ([`ladder_core::postings::Industry::key`]).
    pub industry: Option<String>,
    /// Part of the organisation's name, any case.
    pub company: Option<String>,
    /// Part of the location, any case.
    pub location: Option<String>,
    /// "voice" or "non-voice".
    pub channel: Option<String>,
    /// `Some(true)`: a degree is asked; `Some(false)`: none is (or the posting does not say).
    pub degree: Option<bool>,
    /// Postings that say they ask for at most this many months of experience.
    pub experience_at_most: Option<i64>,
    /// A framework role id.
    pub role: Option<String>,
    /// Words in the title, any case.
    pub text: Option<String>,
}

/// Where a page resumes: the last row's arrangement rank, day posted and id.
pub type After = Option<(i16, NaiveDate, i64)>;

const WHERE: &str = "($1 IS NULL OR valid_through IS NULL OR valid_through >= $1)
    AND ($2 IS NULL OR arrangement = $2) AND ($3 IS NULL OR shift = $3)
    AND ($4 IS NULL OR (pay_month_max >= $4 AND currency = $5))
    AND ($6 IS NULL OR signing_bonus = $6) AND ($7 IS NULL OR night_differential = $7)
    AND ($8 IS NULL OR industry = $8)
    AND ($9 IS NULL OR LOWER(organisation) LIKE $9 ESCAPE '\\')
    AND ($10 IS NULL OR LOWER(location) LIKE $10 ESCAPE '\\')
    AND ($11 IS NULL OR channel = $11) AND ($12 IS NULL OR COALESCE(degree_required, FALSE) = $12)
    AND ($13 IS NULL OR experience_months <= $13) AND ($14 IS NULL OR role_id = $14)
    AND ($15 IS NULL OR LOWER(title) LIKE $15 ESCAPE '\\')";

/// A `LIKE` pattern matching `part` anywhere, lower-cased, its `%`, `_` and `\` taken literally.
fn contains(part: &Option<String>) -> Option<String> {
    let p = part.as_deref().map(str::trim).filter(|p| !p.is_empty())?;
    let escaped = p.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    Some(format!("%{escaped}%"))
}

/// The bound values of `$1`–`$15`.
struct Params {
    open_on: Option<NaiveDate>,
    arrangement: Option<String>,
    shift: Option<String>,
    pay: Option<i64>,
    currency: Option<String>,
    bonus: Option<bool>,
    nd: Option<bool>,
    industry: Option<String>,
    company: Option<String>,
    location: Option<String>,
    channel: Option<String>,
    degree: Option<bool>,
    experience: Option<i64>,
    role: Option<String>,
    text: Option<String>,
}

fn params(f: &Filters) -> Params {
    Params {
        open_on: f.open_on,
        arrangement: f.arrangement.clone(),
        shift: f.shift.clone(),
        pay: f.pay_at_least.as_ref().map(|p| p.0),
        currency: f.pay_at_least.as_ref().map(|p| p.1.clone()),
        bonus: f.signing_bonus.then_some(true),
        nd: f.night_differential.then_some(true),
        industry: f.industry.clone(),
        company: contains(&f.company),
        location: contains(&f.location),
        channel: f.channel.clone(),
        degree: f.degree,
        experience: f.experience_at_most,
        role: f.role.clone(),
        text: contains(&f.text),
    }
}

/// Up to `limit` postings after `after`: remote first, then hybrid, then on site; within each,
/// the newest posted first.
pub async fn search(db: &Db, f: &Filters, after: After, limit: i64) -> Result<Vec<StoredPosting>> {
    let p = params(f);
    let (rank, day, id) = after.map_or((None, None, None), |(r, d, i)| (Some(i64::from(r)), Some(d), Some(i)));
    let sql = format!(
        "SELECT {COLUMNS} FROM job_postings WHERE {WHERE}
        AND ($16 IS NULL OR arrangement_rank > $16 OR (arrangement_rank = $16 AND (posted_on < $17
            OR (posted_on = $17 AND id < $18))))
        ORDER BY arrangement_rank, posted_on DESC, id DESC LIMIT $19"
    );
    Ok(read!(db, all, query_as, &sql, StoredPosting::read;
        p.open_on, p.arrangement, p.shift, p.pay, p.currency, p.bonus, p.nd, p.industry, p.company,
        p.location, p.channel, p.degree, p.experience, p.role, p.text, rank, day, id, limit))
}

/// How many postings [`search`] walks over, on all its pages.
pub async fn count(db: &Db, f: &Filters) -> Result<u64> {
    let p = params(f);
    let sql = format!("SELECT COUNT(*) FROM job_postings WHERE {WHERE}");
    let n: Option<i64> = read!(db, optional, query_scalar, &sql, |r: &Row<'_>| r.get(0);
        p.open_on, p.arrangement, p.shift, p.pay, p.currency, p.bonus, p.nd, p.industry, p.company,
        p.location, p.channel, p.degree, p.experience, p.role, p.text);
    Ok(n.unwrap_or(0).max(0) as u64)
}
