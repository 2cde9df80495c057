//! A stored posting as lists show it (everything but the description), read through sqlx or
//! directly (rusqlite) on SQLite.

use chrono::NaiveDate;
use rusqlite::Row;
use serde::Serialize;

/// The columns of [`StoredPosting`], in its order.
pub const COLUMNS: &str = "id, title, organisation, url, location, date_posted, posted_on, valid_through, \
    employment_types, role_id, matched_by, pay_month_min, pay_month_max, currency, pay_unit, arrangement, \
    arrangement_rank, shift, signing_bonus, night_differential, industry, channel, degree_required, experience_months";

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct StoredPosting {
    pub id: i64,
    pub title: String,
    pub organisation: Option<String>,
    pub url: Option<String>,
    pub location: Option<String>,
    pub date_posted: Option<NaiveDate>,
    pub posted_on: NaiveDate,
    pub valid_through: Option<NaiveDate>,
    pub employment_types: String,
    pub role_id: Option<String>,
    pub matched_by: String,
    pub pay_month_min: Option<i64>,
    pub pay_month_max: Option<i64>,
    pub currency: Option<String>,
    pub pay_unit: Option<String>,
    pub arrangement: String,
    pub arrangement_rank: i16,
    pub shift: Option<String>,
    pub signing_bonus: bool,
    pub night_differential: bool,
    pub industry: Option<String>,
    pub channel: Option<String>,
    pub degree_required: Option<bool>,
    pub experience_months: Option<i32>,
}

#[derive(sqlx::FromRow)]
pub(super) struct WithDescription {
    #[sqlx(flatten)]
    pub posting: StoredPosting,
    pub description: String,
}

impl StoredPosting {
    /// Whether it has closed by `today`.
    pub fn expired(&self, today: NaiveDate) -> bool {
        self.valid_through.is_some_and(|d| d < today)
    }

    /// The direct (rusqlite) read of [`COLUMNS`].
    pub(crate) fn read(r: &Row<'_>) -> rusqlite::Result<StoredPosting> {
        Ok(StoredPosting {
            id: r.get(0)?,
            title: r.get(1)?,
            organisation: r.get(2)?,
            url: r.get(3)?,
            location: r.get(4)?,
            date_posted: date_or_null(r, 5)?,
            posted_on: crate::read::date(r, 6)?,
            valid_through: date_or_null(r, 7)?,
            employment_types: r.get(8)?,
            role_id: r.get(9)?,
            matched_by: r.get(10)?,
            pay_month_min: r.get(11)?,
            pay_month_max: r.get(12)?,
            currency: r.get(13)?,
            pay_unit: r.get(14)?,
            arrangement: r.get(15)?,
            arrangement_rank: r.get(16)?,
            shift: r.get(17)?,
            signing_bonus: r.get(18)?,
            night_differential: r.get(19)?,
            industry: r.get(20)?,
            channel: r.get(21)?,
            degree_required: r.get(22)?,
            experience_months: r.get(23)?,
        })
    }
}

fn date_or_null(r: &Row<'_>, column: usize) -> rusqlite::Result<Option<NaiveDate>> {
    match r.get_ref(column)? {
        rusqlite::types::ValueRef::Null => Ok(None),
        _ => crate::read::date(r, column).map(Some),
    }
}
