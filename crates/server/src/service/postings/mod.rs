//! Outside job postings for the person (issue 28): the search with the filters BPO job
//! seekers use, each result with the person's fit ([`fit`]); the market view per framework
//! role ([`market`]); and the import of uploaded JSON-LD files for HR and administrators.

use chrono::Utc;
use ladder_core::access::Action;
use ladder_import::postings_table::PostingsMapping;
use ladder_store::postings::{self as store, StoredPosting};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::service::listing::{Listing, PageSpec};
use crate::state::AppState;

pub mod fit;
pub mod market;
mod query;
pub mod tracker;

pub use fit::{Fit, Fitter, Gap};
pub use query::SearchQuery;

/// One posting in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PostingItem {
    pub id: i64,
    pub title: String,
    pub organisation: Option<String>,
    pub location: Option<String>,
    pub url: Option<String>,
    /// The matched framework role id, or null.
    pub role: Option<String>,
    pub role_name: Option<String>,
    /// code, title or none.
    pub matched_by: String,
    /// Monthly pay, in minor units of `currency` (centavos, cents).
    pub pay_month_min: Option<i64>,
    pub pay_month_max: Option<i64>,
    pub currency: Option<String>,
    /// How the posting stated its pay: hour, day, week, month or year.
    pub pay_unit: Option<String>,
    pub remote: bool,
    /// remote, hybrid or on-site.
    pub arrangement: String,
    /// day, night, rotating or null.
    pub shift: Option<String>,
    pub signing_bonus: bool,
    pub night_differential: bool,
    pub industry: Option<String>,
    /// voice, non-voice or null.
    pub channel: Option<String>,
    pub degree_required: Option<bool>,
    pub experience_months: Option<i32>,
    #[schema(value_type = Option<String>, format = Date)]
    pub date_posted: Option<chrono::NaiveDate>,
    #[schema(value_type = Option<String>, format = Date)]
    pub valid_through: Option<chrono::NaiveDate>,
    pub expired: bool,
    /// The signed-in person's fit; null when the posting has no role or they have no record.
    pub fit: Option<Fit>,
}

impl PostingItem {
    pub fn new(state: &AppState, p: StoredPosting, fit: Option<Fit>) -> PostingItem {
        let today = Utc::now().date_naive();
        PostingItem {
            expired: p.expired(today),
            role_name: p.role_id.as_deref().and_then(|r| state.framework.role(r)).map(|r| r.name.clone()),
            id: p.id,
            title: p.title,
            organisation: p.organisation,
            location: p.location,
            url: p.url,
            role: p.role_id,
            matched_by: p.matched_by,
            pay_month_min: p.pay_month_min,
            pay_month_max: p.pay_month_max,
            currency: p.currency,
            pay_unit: p.pay_unit,
            remote: p.arrangement == "remote",
            arrangement: p.arrangement,
            shift: p.shift,
            signing_bonus: p.signing_bonus,
            night_differential: p.night_differential,
            industry: p.industry,
            channel: p.channel,
            degree_required: p.degree_required,
            experience_months: p.experience_months,
            date_posted: p.date_posted,
            valid_through: p.valid_through,
            fit,
        }
    }
}

/// The fitter of the signed-in person, when they have an employee record.
async fn fitter<'a>(state: &'a AppState, me: &Me) -> ApiResult<Option<Fitter<'a>>> {
    let Some(id) = me.actor.employee_id else { return Ok(None) };
    let employee = ladder_store::org::employee(&state.db, id).await?;
    Ok(Some(Fitter::new(state, &employee).await?))
}

/// A page of the search, each result with the person's fit.
pub async fn search(state: &AppState, me: &Me, q: &SearchQuery) -> ApiResult<Listing<PostingItem>> {
    me.require(Action::SearchJobs)?;
    let filters = q.filters(Utc::now().date_naive())?;
    let page = PageSpec::new(q.limit, q.cursor.as_deref())?;
    let after = page.after::<(i16, chrono::NaiveDate, i64)>()?;
    let rows = store::search(&state.db, &filters, after, page.fetch()).await?;
    let total = store::count(&state.db, &filters).await?;
    let listing = Listing::from_rows(rows, &page, total, |p| (p.arrangement_rank, p.posted_on, p.id));
    let mut fitter = fitter(state, me).await?;
    Ok(listing.map(|p| {
        let fit = fitter.as_mut().and_then(|f| f.fit(p.role_id.as_deref()));
        PostingItem::new(state, p, fit)
    }))
}

/// One posting with its description.
pub async fn posting(state: &AppState, me: &Me, id: i64) -> ApiResult<(PostingItem, String)> {
    me.require(Action::SearchJobs)?;
    let (p, description) = store::get(&state.db, id).await?.ok_or_else(|| ApiError::not_found("job posting"))?;
    let mut fitter = fitter(state, me).await?;
    let fit = fitter.as_mut().and_then(|f| f.fit(p.role_id.as_deref()));
    Ok((PostingItem::new(state, p, fit), description))
}

/// The open postings by a person's fit, best first (then remote first, newest): for
/// `ladder jobs match`. At most `limit`.
pub async fn by_fit(
    state: &AppState,
    employee: &ladder_store::org::Employee,
    limit: usize,
) -> ApiResult<Vec<PostingItem>> {
    let filters = store::Filters { open_on: Some(Utc::now().date_naive()), ..store::Filters::default() };
    let mut fitter = Fitter::new(state, employee).await?;
    let mut items = Vec::new();
    let mut after = None;
    loop {
        let rows = store::search(&state.db, &filters, after, 1000).await?;
        let Some(last) = rows.last() else { break };
        after = Some((last.arrangement_rank, last.posted_on, last.id));
        for p in rows {
            let fit = fitter.fit(p.role_id.as_deref());
            items.push(PostingItem::new(state, p, fit));
        }
    }
    // Stable: within the same fit, the search's order stays.
    items.sort_by_key(|i| std::cmp::Reverse(i.fit.as_ref().map_or(-1, |f| i16::from(f.percent))));
    items.truncate(limit);
    Ok(items)
}

/// The largest upload of posting files (all files together).
pub const MAX_UPLOAD: usize = 20 * 1024 * 1024;

/// Imports uploaded posting files (HR and administrators): JSON-LD, saved pages, or CSV/XLSX
/// tables read through `mapping` (its TOML; none: a common job board's column names).
pub async fn import_files(
    state: &AppState,
    me: &Me,
    files: Vec<(String, Vec<u8>)>,
    mapping: Option<&str>,
    dry_run: bool,
) -> ApiResult<ladder_import::postings::PostingsReport> {
    me.require(Action::ImportJobs)?;
    let mapping = match mapping {
        Some(text) => PostingsMapping::from_toml(text).map_err(|e| ApiError::invalid("mapping", e))?,
        None => PostingsMapping::default(),
    };
    let named = files
        .into_iter()
        .map(|(name, bytes)| {
            let body = if bytes.len() > ladder_core::postings::MAX_FILE_BYTES {
                Err(format!("larger than {} MB", ladder_core::postings::MAX_FILE_BYTES / (1024 * 1024)))
            } else {
                Ok(bytes)
            };
            (name, body)
        })
        .collect();
    let report =
        ladder_import::postings::import(&state.db, &state.framework, named, &mapping, dry_run, Utc::now(), &|_, _| {})
            .await?;
    Ok(report)
}
