//! The job search: postings a page at a time, remote first, then the newest posted, with the
//! filters BPO job seekers use; a count under the same filters. Every filter is optional, and
//! the SQL holds only the filters given, so the planner can use the indexes for them.

use chrono::NaiveDate;
use rusqlite::Row;

use super::row::{StoredPosting, COLUMNS};
use crate::{on_db, Db, Result};

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
    /// Only postings stored after this id (a saved search's "new since you last looked").
    pub id_above: Option<i64>,
}

/// Where a page resumes: the last row's arrangement rank, day posted and id.
pub type After = Option<(i16, NaiveDate, i64)>;

/// One bound value of the search's SQL.
#[derive(Debug, Clone)]
enum Param {
    Text(String),
    Int(i64),
    Bool(bool),
    Date(NaiveDate),
}

impl Param {
    fn sql(&self) -> &dyn rusqlite::ToSql {
        match self {
            Param::Text(v) => v,
            Param::Int(v) => v,
            Param::Bool(v) => v,
            Param::Date(v) => v,
        }
    }
}

/// The `WHERE` clause of the filters present and its values (`$1`…, in order). Only the
/// filters given are in the SQL, so SQLite can count over the covering index
/// `job_postings_filters` when no text filter is given.
struct Clause {
    sql: Vec<String>,
    params: Vec<Param>,
}

impl Clause {
    fn add(&mut self, sql: &str, values: Vec<Param>) {
        let mut text = sql.to_string();
        for v in values {
            self.params.push(v);
            text = text.replacen('?', &format!("${}", self.params.len()), 1);
        }
        self.sql.push(text);
    }

    fn text(&self) -> String {
        if self.sql.is_empty() {
            "1 = 1".into()
        } else {
            self.sql.join(" AND ")
        }
    }
}

fn clause(f: &Filters) -> Clause {
    use Param::*;
    let mut c = Clause { sql: Vec::new(), params: Vec::new() };
    let text = |v: &Option<String>| v.clone().map(Text);
    if let Some(d) = f.open_on {
        c.add("(valid_through IS NULL OR valid_through >= ?)", vec![Date(d)]);
    }
    for (column, value) in [
        ("arrangement", text(&f.arrangement)),
        ("shift", text(&f.shift)),
        ("industry", text(&f.industry)),
        ("channel", text(&f.channel)),
        ("role_id", text(&f.role)),
    ] {
        if let Some(v) = value {
            c.add(&format!("{column} = ?"), vec![v]);
        }
    }
    if let Some((minor, currency)) = &f.pay_at_least {
        c.add("pay_month_max >= ? AND currency = ?", vec![Int(*minor), Text(currency.clone())]);
    }
    if f.signing_bonus {
        c.add("signing_bonus = ?", vec![Bool(true)]);
    }
    if f.night_differential {
        c.add("night_differential = ?", vec![Bool(true)]);
    }
    match f.degree {
        Some(true) => c.add("degree_required = ?", vec![Bool(true)]),
        Some(false) => c.add("(degree_required IS NULL OR degree_required = ?)", vec![Bool(false)]),
        None => {}
    }
    if let Some(id) = f.id_above {
        c.add("id > ?", vec![Int(id)]);
    }
    if let Some(m) = f.experience_at_most {
        c.add("experience_months <= ?", vec![Int(m)]);
    }
    for (column, value) in [("organisation_key", &f.company), ("location_key", &f.location), ("LOWER(title)", &f.text)]
    {
        if let Some(pattern) = contains(value) {
            c.add(&format!("{column} LIKE ? ESCAPE '\\'"), vec![Text(pattern)]);
        }
    }
    c
}

/// A `LIKE` pattern matching `part` anywhere, lower-cased, its `%`, `_` and `\` taken literally.
fn contains(part: &Option<String>) -> Option<String> {
    let p = part.as_deref().map(str::trim).filter(|p| !p.is_empty())?;
    let escaped = p.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    Some(format!("%{escaped}%"))
}

/// Up to `limit` postings after `after`: remote first, then hybrid, then on site; within each,
/// the newest posted first.
pub async fn search(db: &Db, f: &Filters, after: After, limit: i64) -> Result<Vec<StoredPosting>> {
    let mut c = clause(f);
    if let Some((rank, day, id)) = after {
        c.add(
            "(arrangement_rank > ? OR (arrangement_rank = ? AND (posted_on < ? OR (posted_on = ? AND id < ?))))",
            vec![Param::Int(rank.into()), Param::Int(rank.into()), Param::Date(day), Param::Date(day), Param::Int(id)],
        );
    }
    c.params.push(Param::Int(limit));
    let sql = format!(
        "SELECT {COLUMNS} FROM job_postings WHERE {} ORDER BY arrangement_rank, posted_on DESC, id DESC LIMIT ${}",
        c.text(),
        c.params.len()
    );
    if let Some(readers) = db.readers() {
        let params: Vec<&dyn rusqlite::ToSql> = c.params.iter().map(Param::sql).collect();
        return readers.all(&sql, &params, StoredPosting::read);
    }
    Ok(on_db!(db, p => {
        let mut q = sqlx::query_as(&sql);
        for v in &c.params {
            q = match v {
                Param::Text(t) => q.bind(t),
                Param::Int(i) => q.bind(i),
                Param::Bool(b) => q.bind(b),
                Param::Date(d) => q.bind(d),
            };
        }
        q.fetch_all(p).await?
    }))
}

/// How many postings [`search`] walks over, on all its pages.
pub async fn count(db: &Db, f: &Filters) -> Result<u64> {
    let c = clause(f);
    let sql = format!("SELECT COUNT(*) FROM job_postings WHERE {}", c.text());
    let n: i64 = match db.readers() {
        Some(readers) => {
            let params: Vec<&dyn rusqlite::ToSql> = c.params.iter().map(Param::sql).collect();
            readers.optional(&sql, &params, |r: &Row<'_>| r.get(0))?.unwrap_or(0)
        }
        None => on_db!(db, p => {
            let mut q = sqlx::query_scalar(&sql);
            for v in &c.params {
                q = match v {
                    Param::Text(t) => q.bind(t),
                    Param::Int(i) => q.bind(i),
                    Param::Bool(b) => q.bind(b),
                    Param::Date(d) => q.bind(d),
                };
            }
            q.fetch_one(p).await?
        }),
    };
    Ok(n.max(0) as u64)
}
