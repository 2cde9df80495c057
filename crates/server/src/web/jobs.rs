//! The jobs pages (issue 28): outside postings searched with the filters BPO job seekers use,
//! each with the person's fit and what closes the gap; the market view per role; and, for HR
//! and administrators, the upload of JobPosting JSON-LD files.

use askama::Template;
use axum::extract::{Multipart, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ladder_core::access::{allowed, Action};
use ladder_core::postings::Industry;

use super::format;
use super::pager::{PageAt, Pager};
use super::{message_page, Nav, Page, PageError, PageResult, WebUser};
use crate::error::ApiError;
use crate::service::postings::tracker::{self, SavedSearchView, TrackedView};
use crate::service::postings::{self, market::RoleMarket, PostingItem, SearchQuery};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "jobs.html")]
struct JobsPage {
    nav: Option<Nav>,
    csrf: String,
    q: SearchQuery,
    items: Vec<PostingItem>,
    pager: Pager,
    industries: Vec<(&'static str, &'static str)>,
    may_import: bool,
    notice: Option<String>,
    /// The person's saved searches, their due reminders, and the search shown as a query string.
    searches: Vec<SavedSearchView>,
    due: Vec<TrackedView>,
    query_now: String,
    error: Option<String>,
}

impl JobsPage {
    fn pay(&self, i: &PostingItem) -> String {
        format::monthly_pay(i.pay_month_min, i.pay_month_max, i.currency.as_deref())
    }
    fn text(&self, v: &Option<String>) -> String {
        v.clone().unwrap_or_default()
    }
    fn is(&self, v: &Option<String>, want: &str) -> bool {
        v.as_deref() == Some(want)
    }
    fn experience(&self, i: &PostingItem) -> String {
        match i.experience_months {
            Some(0) => "no experience needed".into(),
            Some(12) => "1 year of experience".into(),
            Some(m) if m % 12 == 0 => format!("{} years of experience", m / 12),
            Some(m) => format!("{m} months of experience"),
            None => String::new(),
        }
    }
}

/// Splits `from` (the pager's label) off the query string; the rest is the search.
fn read_query(raw: Option<String>) -> Result<(SearchQuery, PageAt), PageError> {
    let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.as_deref().unwrap_or("")).map_err(bad)?;
    let from = pairs.iter().position(|(k, _)| k == "from").map(|i| pairs.remove(i).1);
    let q: SearchQuery = serde_urlencoded::from_str(&serde_urlencoded::to_string(&pairs).map_err(bad)?).map_err(bad)?;
    let at = PageAt { cursor: q.cursor.clone(), from: from.and_then(|f| f.parse().ok()) };
    Ok((q, at))
}

fn bad(e: impl std::fmt::Display) -> PageError {
    PageError::BadQuery(ApiError::invalid("query", e.to_string()))
}

/// The search's address without its page, ending in `?` or `&` for the pager.
fn base(q: &SearchQuery) -> String {
    let mut plain = q.clone();
    plain.cursor = None;
    let query = serde_urlencoded::to_string(&plain).unwrap_or_default();
    if query.is_empty() {
        "/jobs?".into()
    } else {
        format!("/jobs?{query}&")
    }
}

pub async fn show(State(state): State<AppState>, user: WebUser, RawQuery(raw): RawQuery) -> PageResult<Response> {
    let (q, at) = read_query(raw)?;
    page(&state, &user, q, at, None, None).await
}

pub(super) async fn page(
    state: &AppState,
    user: &WebUser,
    q: SearchQuery,
    at: PageAt,
    notice: Option<String>,
    error: Option<String>,
) -> PageResult<Response> {
    let listing = postings::search(state, &user.me, &q).await?;
    let query_now = tracker::query_string(&q);
    let due = tracker::applications(state, &user.me).await?.into_iter().filter(|a| a.reminder_due).collect();
    let pager = Pager::of(&listing, &at, &base(&q));
    Ok(Page(JobsPage {
        nav: Some(Nav::new(user, "/jobs")),
        csrf: user.csrf.clone(),
        items: listing.items,
        pager,
        q,
        industries: Industry::ALL.iter().map(|i| (i.key(), i.label())).collect(),
        may_import: allowed(&user.me.actor, Action::ImportJobs),
        notice,
        searches: tracker::searches(state, &user.me).await?,
        due,
        query_now,
        error,
    })
    .into_response())
}

#[derive(Template)]
#[template(path = "jobs_market.html")]
struct MarketPage {
    nav: Option<Nav>,
    roles: Vec<RoleMarket>,
}

impl MarketPage {
    fn money(&self, r: &RoleMarket, minor: &i64) -> String {
        format::monthly_pay(Some(*minor), Some(*minor), r.currency.as_deref())
    }
}

pub async fn market(State(state): State<AppState>, user: WebUser) -> PageResult<Page<impl Template>> {
    let roles = postings::market::market(&state, &user.me).await?;
    Ok(Page(MarketPage { nav: Some(Nav::new(&user, "/jobs")), roles }))
}

/// The upload form's files (several), CSRF token first; then the search page with the report.
pub async fn upload(State(state): State<AppState>, user: WebUser, mut multipart: Multipart) -> PageResult<Response> {
    let (mut csrf, mut dry_run, mut files) = (String::new(), false, Vec::new());
    let mut mapping: Option<String> = None;
    let mut total = 0usize;
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name().unwrap_or_default() {
            "_csrf" => csrf = field.text().await.unwrap_or_default(),
            "dry_run" => dry_run = true,
            "mapping" if !csrf.is_empty() && csrf == user.csrf => {
                let bytes = field.bytes().await.map_err(|e| ApiError::invalid("mapping", e.to_string()))?;
                if bytes.len() > ladder_import::postings_table::MAX_MAPPING_BYTES {
                    return Err(ApiError::invalid("mapping", "over 64 KB").into());
                }
                let text = String::from_utf8_lossy(&bytes).trim().to_string();
                mapping = (!text.is_empty()).then_some(text);
            }
            "files" if !csrf.is_empty() && csrf == user.csrf => {
                let name = field.file_name().unwrap_or("upload.json").to_string();
                let bytes = field.bytes().await.map_err(|e| ApiError::invalid("files", e.to_string()))?;
                total += bytes.len();
                if total > postings::MAX_UPLOAD {
                    return Err(ApiError::invalid("files", "over 20 MB in all").into());
                }
                if !bytes.is_empty() {
                    files.push((name, bytes.to_vec()));
                }
            }
            _ => {}
        }
    }
    if csrf.is_empty() || csrf != user.csrf {
        return Ok(message_page(StatusCode::FORBIDDEN, "Form expired", "Reload the page and try again.", None));
    }
    if files.is_empty() {
        let at = PageAt::default();
        return page(
            &state,
            &user,
            SearchQuery::default(),
            at,
            Some("Choose one or more files to import.".into()),
            None,
        )
        .await;
    }
    let report = match postings::import_files(&state, &user.me, files, mapping.as_deref(), dry_run).await {
        Ok(report) => report.to_string(),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => format!("Nothing imported: {}", e.message),
        Err(e) => return Err(e.into()),
    };
    page(&state, &user, SearchQuery::default(), PageAt::default(), Some(report), None).await
}
