//! A person's own job hunt (issue 28): saved searches of `/jobs` with how many postings are new
//! since they last ran one, and the tracker of their outside applications with a date per stage
//! and a reminder. Both are private: only the owner reads or changes them
//! ([`Action::OwnJobItem`]); no list of another person's items exists anywhere.

use chrono::{Days, NaiveDate, Utc};
use ladder_core::access::Action;
use ladder_core::limits;
use ladder_store::postings::tracker::{self as store, OutsideApplication, SavedSearch, Tracked};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{PostingItem, SearchQuery};
use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::service::listing::Listing;
use crate::state::AppState;

/// How many searches one person may save, and how many outside applications they may track.
pub const MAX_SEARCHES: i64 = 20;
pub const MAX_TRACKED: i64 = 500;
/// The longest saved query string and url kept (the tables' limits).
pub const MAX_QUERY: usize = 2000;
pub const MAX_URL: usize = 500;
/// The stages of an outside application, in order.
pub const STAGES: [&str; 6] = ["saved", "applied", "interview", "offer", "rejected", "withdrawn"];

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SavedSearchView {
    pub id: i64,
    pub name: String,
    /// The `/jobs` filters as a query string (`shift=night&arrangement=remote`).
    pub query: String,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: chrono::DateTime<Utc>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub looked_at: Option<chrono::DateTime<Utc>>,
    /// Open postings matching it that arrived since it was last run.
    pub new_since_looked: u64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchInput {
    /// 1–120 characters, one line.
    #[schema(max_length = 120)]
    pub name: String,
    /// The search's filters as a query string, as `/jobs` and `GET /api/v1/jobs/postings` take them.
    #[schema(max_length = 2000)]
    pub query: String,
}

fn owned(me: &Me, owner: ladder_core::UserId) -> ApiResult<()> {
    me.require(Action::OwnJobItem { owner })
}

/// The query string read and checked as the search reads it; its page (cursor, limit) dropped.
pub fn parse_query(raw: &str) -> ApiResult<SearchQuery> {
    let raw = raw.trim().trim_start_matches('?');
    if raw.chars().count() > MAX_QUERY {
        return Err(ApiError::invalid("query", format!("at most {MAX_QUERY} characters")));
    }
    let mut q: SearchQuery =
        serde_urlencoded::from_str(raw).map_err(|e| ApiError::invalid("query", format!("not a job search: {e}")))?;
    q.cursor = None;
    q.limit = None;
    q.filters(Utc::now().date_naive())?;
    Ok(q)
}

/// The query string of `q`, its blank and unset filters left out.
pub fn query_string(q: &SearchQuery) -> String {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(&serde_urlencoded::to_string(q).unwrap_or_default()).unwrap_or_default();
    let kept: Vec<_> = pairs.into_iter().filter(|(_, v)| !v.trim().is_empty() && v != "false").collect();
    serde_urlencoded::to_string(kept).unwrap_or_default()
}

async fn view(state: &AppState, s: SavedSearch) -> ApiResult<SavedSearchView> {
    let new = match parse_query(&s.query) {
        Ok(q) => {
            let mut filters = q.filters(Utc::now().date_naive())?;
            filters.id_above = Some(s.seen_posting_id);
            ladder_store::postings::count(&state.db, &filters).await?
        }
        // A search saved under filters that no longer exist finds nothing new.
        Err(_) => 0,
    };
    Ok(SavedSearchView {
        id: s.id,
        name: s.name,
        query: s.query,
        created_at: s.created_at,
        looked_at: s.looked_at,
        new_since_looked: new,
    })
}

/// The signed-in person's saved searches, oldest first, each with its new postings.
pub async fn searches(state: &AppState, me: &Me) -> ApiResult<Vec<SavedSearchView>> {
    me.require(Action::SearchJobs)?;
    let mut views = Vec::new();
    for s in store::searches(&state.db, me.user.id).await? {
        views.push(view(state, s).await?);
    }
    Ok(views)
}

/// Saves a search for the signed-in person (at most [`MAX_SEARCHES`]).
pub async fn save_search(state: &AppState, me: &Me, input: &SearchInput) -> ApiResult<SavedSearchView> {
    me.require(Action::SearchJobs)?;
    let name = input.name.trim();
    if name.is_empty() {
        return Err(ApiError::invalid("name", "a name, so you can find it again"));
    }
    if let Some(p) = limits::line_problem(name, limits::NAME) {
        return Err(ApiError::invalid("name", p));
    }
    let query = query_string(&parse_query(&input.query)?);
    // Re-encoding may lengthen it (`é` becomes `%C3%A9`): the stored form is what the table limits.
    if query.chars().count() > MAX_QUERY {
        return Err(ApiError::invalid("query", format!("at most {MAX_QUERY} characters once encoded")));
    }
    let id = store::save_search(&state.db, me.user.id, (name, &query), Utc::now(), MAX_SEARCHES)
        .await?
        .ok_or_else(|| ApiError::conflict(format!("at most {MAX_SEARCHES} saved searches: delete one first")))?;
    let saved = store::search_by_id(&state.db, id).await?.ok_or_else(|| ApiError::not_found("saved search"))?;
    view(state, saved).await
}

async fn own_search(state: &AppState, me: &Me, id: i64) -> ApiResult<SavedSearch> {
    let s = store::search_by_id(&state.db, id).await?.ok_or_else(|| ApiError::not_found("saved search"))?;
    owned(me, s.user_id)?;
    Ok(s)
}

/// Opens a saved search: marks every posting so far as seen and gives its query string.
pub async fn open_search(state: &AppState, me: &Me, id: i64) -> ApiResult<String> {
    let s = own_search(state, me, id).await?;
    store::mark_looked(&state.db, me.user.id, id, Utc::now()).await?;
    Ok(s.query)
}

/// Runs a saved search: a page of its postings (each with the person's fit), seen from now.
pub async fn run_search(
    state: &AppState,
    me: &Me,
    id: i64,
    limit: Option<u32>,
    cursor: Option<String>,
) -> ApiResult<Listing<PostingItem>> {
    let s = own_search(state, me, id).await?;
    let mut q = parse_query(&s.query)?;
    q.limit = limit;
    q.cursor = cursor;
    let listing = super::search(state, me, &q).await?;
    store::mark_looked(&state.db, me.user.id, id, Utc::now()).await?;
    Ok(listing)
}

pub async fn delete_search(state: &AppState, me: &Me, id: i64) -> ApiResult<()> {
    own_search(state, me, id).await?;
    store::delete_search(&state.db, me.user.id, id).await?;
    Ok(())
}

/// An outside application as its owner tracks it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrackedView {
    pub id: i64,
    /// The imported posting it came from, if any.
    pub posting_id: Option<i64>,
    pub title: String,
    pub organisation: Option<String>,
    pub url: Option<String>,
    /// saved, applied, interview, offer, rejected or withdrawn.
    pub stage: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub saved_on: Option<NaiveDate>,
    #[schema(value_type = Option<String>, format = Date)]
    pub applied_on: Option<NaiveDate>,
    #[schema(value_type = Option<String>, format = Date)]
    pub interview_on: Option<NaiveDate>,
    #[schema(value_type = Option<String>, format = Date)]
    pub offer_on: Option<NaiveDate>,
    /// The day it was rejected or withdrawn.
    #[schema(value_type = Option<String>, format = Date)]
    pub closed_on: Option<NaiveDate>,
    #[schema(value_type = Option<String>, format = Date)]
    pub remind_on: Option<NaiveDate>,
    /// The reminder's day has come and the application is still going.
    pub reminder_due: bool,
    pub note: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: chrono::DateTime<Utc>,
}

impl TrackedView {
    fn new(a: OutsideApplication, today: NaiveDate) -> TrackedView {
        let closed = matches!(a.stage.as_str(), "rejected" | "withdrawn");
        TrackedView {
            reminder_due: !closed && a.remind_on.is_some_and(|d| d <= today),
            id: a.id,
            posting_id: a.posting_id,
            title: a.title,
            organisation: a.organisation,
            url: a.url,
            stage: a.stage,
            saved_on: a.saved_on,
            applied_on: a.applied_on,
            interview_on: a.interview_on,
            offer_on: a.offer_on,
            closed_on: a.closed_on,
            remind_on: a.remind_on,
            note: a.note,
            updated_at: a.updated_at,
        }
    }
}

/// What the owner sends: a posting to copy from, or a typed title (and company, url); the
/// stage (default saved); any stage's date (the current stage's defaults to today); a note
/// and a reminder day. On a change a missing field keeps its value; `null` (or `""` for text)
/// clears it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackInput {
    pub posting_id: Option<i64>,
    #[schema(max_length = 200)]
    pub title: Option<String>,
    #[schema(max_length = 200)]
    pub organisation: Option<String>,
    /// http or https, at most 500 characters.
    #[schema(max_length = 500)]
    pub url: Option<String>,
    #[schema(max_length = 20)]
    pub stage: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(default, deserialize_with = "present")]
    pub saved_on: Option<Option<NaiveDate>>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(default, deserialize_with = "present")]
    pub applied_on: Option<Option<NaiveDate>>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(default, deserialize_with = "present")]
    pub interview_on: Option<Option<NaiveDate>>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(default, deserialize_with = "present")]
    pub offer_on: Option<Option<NaiveDate>>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(default, deserialize_with = "present")]
    pub closed_on: Option<Option<NaiveDate>>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(default, deserialize_with = "present")]
    pub remind_on: Option<Option<NaiveDate>>,
    #[schema(max_length = 4000)]
    pub note: Option<String>,
}

/// A field that is there, even as `null` (`Some(None)`), apart from one left out (`None`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<NaiveDate>>, D::Error> {
    Option::<NaiveDate>::deserialize(d).map(Some)
}

/// A single line, blank is none.
fn optional_line(field: &str, v: &Option<String>, max: usize) -> ApiResult<Option<String>> {
    let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) else { return Ok(None) };
    match limits::line_problem(v, max) {
        Some(p) => Err(ApiError::invalid(field, p)),
        None => Ok(Some(v.to_string())),
    }
}

/// Checks `input` into what is stored, filling the title, company and url from the posting.
async fn tracked(state: &AppState, input: &TrackInput) -> ApiResult<Tracked> {
    let today = Utc::now().date_naive();
    let posting = match input.posting_id {
        Some(id) => Some(
            ladder_store::postings::get(&state.db, id)
                .await?
                .ok_or_else(|| ApiError::invalid("posting_id", "no such posting"))?
                .0,
        ),
        None => None,
    };
    let stage = input.stage.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or("saved");
    if !STAGES.contains(&stage) {
        return Err(ApiError::invalid("stage", format!("one of {}", STAGES.join(", "))));
    }
    let title = optional_line("title", &input.title, limits::TITLE)?
        .or_else(|| posting.as_ref().map(|p| ladder_core::postings::fields::clip(&p.title, limits::TITLE)))
        .ok_or_else(|| ApiError::invalid("title", "the job's title, or a posting to track"))?;
    let organisation = optional_line("organisation", &input.organisation, limits::TITLE)?
        .or_else(|| posting.as_ref().and_then(|p| p.organisation.clone()))
        .map(|o| ladder_core::postings::fields::clip(&o, limits::TITLE));
    let url = match optional_line("url", &input.url, MAX_URL)? {
        Some(u) if !(u.starts_with("https://") || u.starts_with("http://")) => {
            return Err(ApiError::invalid("url", "an address starting with https:// or http://"))
        }
        Some(u) => Some(u),
        None => posting
            .as_ref()
            .and_then(|p| p.url.clone())
            .filter(|u| u.chars().count() <= MAX_URL && ladder_core::postings::is_web_url(u)),
    };
    let note = match input.note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => match limits::text_problem(n, limits::TEXT) {
            Some(p) => return Err(ApiError::invalid("note", p)),
            None => Some(n.to_string()),
        },
        None => None,
    };
    let earliest = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    let latest = today.checked_add_days(Days::new(2 * 366)).unwrap_or(today);
    let day = |field: &str, d: Option<Option<NaiveDate>>| -> ApiResult<Option<NaiveDate>> {
        match d.flatten() {
            Some(d) if d < earliest || d > latest => {
                Err(ApiError::invalid(field, format!("a day from {earliest} to {latest}")))
            }
            d => Ok(d),
        }
    };
    let or_today = |wanted: &[&str], d: Option<NaiveDate>| if wanted.contains(&stage) { d.or(Some(today)) } else { d };
    Ok(Tracked {
        posting_id: posting.map(|p| p.id),
        title,
        organisation,
        url,
        stage: stage.to_string(),
        saved_on: or_today(&["saved"], day("saved_on", input.saved_on)?),
        applied_on: or_today(&["applied"], day("applied_on", input.applied_on)?),
        interview_on: or_today(&["interview"], day("interview_on", input.interview_on)?),
        offer_on: or_today(&["offer"], day("offer_on", input.offer_on)?),
        closed_on: or_today(&["rejected", "withdrawn"], day("closed_on", input.closed_on)?),
        remind_on: day("remind_on", input.remind_on)?,
        note,
    })
}

/// The signed-in person's tracked applications, the most recently changed first.
pub async fn applications(state: &AppState, me: &Me) -> ApiResult<Vec<TrackedView>> {
    me.require(Action::SearchJobs)?;
    let today = Utc::now().date_naive();
    Ok(store::applications(&state.db, me.user.id).await?.into_iter().map(|a| TrackedView::new(a, today)).collect())
}

async fn own_application(state: &AppState, me: &Me, id: i64) -> ApiResult<OutsideApplication> {
    let a = store::application(&state.db, id).await?.ok_or_else(|| ApiError::not_found("outside application"))?;
    owned(me, a.user_id)?;
    Ok(a)
}

pub async fn application(state: &AppState, me: &Me, id: i64) -> ApiResult<TrackedView> {
    Ok(TrackedView::new(own_application(state, me, id).await?, Utc::now().date_naive()))
}

/// Starts tracking an outside application (at most [`MAX_TRACKED`]).
pub async fn track(state: &AppState, me: &Me, input: &TrackInput) -> ApiResult<TrackedView> {
    me.require(Action::SearchJobs)?;
    let t = tracked(state, input).await?;
    let id = store::track(&state.db, me.user.id, &t, Utc::now(), MAX_TRACKED).await?.ok_or_else(|| {
        ApiError::conflict(format!("at most {MAX_TRACKED} tracked applications: delete old ones first"))
    })?;
    application(state, me, id).await
}

/// Changes what is tracked of an application: a field left out keeps its old value (a stage
/// change does not lose the earlier stages' days, the note or the reminder); one sent blank clears.
pub async fn update_application(state: &AppState, me: &Me, id: i64, input: &TrackInput) -> ApiResult<TrackedView> {
    let old = own_application(state, me, id).await?;
    let mut input = input.clone();
    input.posting_id = input.posting_id.or(old.posting_id);
    input.title = input.title.filter(|t| !t.trim().is_empty()).or(Some(old.title));
    input.organisation = input.organisation.or(old.organisation);
    input.url = input.url.or(old.url);
    input.stage = input.stage.filter(|s| !s.trim().is_empty()).or(Some(old.stage));
    input.note = input.note.or(old.note);
    input.saved_on = input.saved_on.or(Some(old.saved_on));
    input.applied_on = input.applied_on.or(Some(old.applied_on));
    input.interview_on = input.interview_on.or(Some(old.interview_on));
    input.offer_on = input.offer_on.or(Some(old.offer_on));
    input.closed_on = input.closed_on.or(Some(old.closed_on));
    input.remind_on = input.remind_on.or(Some(old.remind_on));
    let t = tracked(state, &input).await?;
    store::update_application(&state.db, me.user.id, id, &t, Utc::now()).await?;
    application(state, me, id).await
}

pub async fn delete_application(state: &AppState, me: &Me, id: i64) -> ApiResult<()> {
    own_application(state, me, id).await?;
    store::delete_application(&state.db, me.user.id, id).await?;
    Ok(())
}
