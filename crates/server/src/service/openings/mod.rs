//! Internal openings (issue 28): HR and managers post, edit and close them; everyone signed in
//! reads the open ones; a person sees how they stand for each ([`matching`]) and applies
//! ([`applications`]); published ones have a public page with schema.org JSON-LD ([`posting`]).

pub mod applications;
pub mod matching;
pub mod posting;

use chrono::{NaiveDate, Utc};
use ladder_core::access::Action;
use ladder_core::openings::{Arrangement, ShiftPattern};
use ladder_core::{TeamId, UserId};
use ladder_store::openings::{self as store, Opening, OpeningFields};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::service::limits::{check_line, check_text, TITLE};
use crate::service::listing::{Listing, PageSpec};
use crate::state::AppState;

/// The longest description, in characters.
pub const MAX_DESCRIPTION: usize = 10_000;
/// The most any amount (minor units a month) may be: 10¹² (ten billion in a currency with cents).
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;

/// An opening as posted or edited.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpeningInput {
    /// A framework role id.
    #[schema(max_length = 80)]
    pub role_id: String,
    /// Left empty: the role's name.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub title: String,
    pub site_id: i64,
    pub account_id: Option<i64>,
    #[schema(value_type = Option<i64>)]
    pub team_id: Option<TeamId>,
    /// 1–1000.
    pub headcount: i32,
    /// day, night or rotating.
    #[schema(max_length = 10)]
    pub shift: String,
    /// The shift's hours in words, e.g. "22:00–07:00, Monday to Friday" (at most 100 characters).
    #[serde(default)]
    #[schema(max_length = 100)]
    pub shift_hours: String,
    /// 1–80.
    pub hours_per_week: i32,
    /// on-site, hybrid or remote.
    #[schema(max_length = 10)]
    pub arrangement: String,
    /// The monthly pay band in minor units (centavos, cents) of `currency`.
    pub pay_min: i64,
    pub pay_max: i64,
    /// ISO 4217, e.g. PHP.
    #[schema(max_length = 3)]
    pub currency: String,
    /// Allowances a month in minor units (rice, transport…), and what they are.
    #[serde(default)]
    pub allowances: i64,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub allowances_note: String,
    /// Percent of the hourly wage for night hours (0–100).
    #[serde(default)]
    pub night_differential_percent: i32,
    /// In minor units; 0 for none.
    #[serde(default)]
    pub signing_bonus: i64,
    /// At most 10,000 characters.
    #[schema(max_length = 10_000)]
    pub description: String,
    pub closing_date: NaiveDate,
    /// The applicant declares they have no final written warning.
    #[serde(default)]
    pub rule_no_final_warning: bool,
    /// Whole months with the company (0–600).
    #[serde(default)]
    pub rule_min_company_months: i32,
    /// Only people already at the opening's site.
    #[serde(default)]
    pub rule_same_site: bool,
    /// Shown on a public page and in the feed (no sign-in).
    #[serde(default)]
    pub published: bool,
    /// The user who moves applications with HR; left out, the poster.
    #[schema(value_type = Option<i64>)]
    pub hiring_manager_id: Option<UserId>,
}

/// An opening as everyone signed in sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpeningView {
    pub id: i64,
    pub role_id: String,
    pub role_name: String,
    /// The role's O*NET-SOC code, when the framework gives one.
    pub onet_soc: Option<String>,
    pub title: String,
    pub site_id: i64,
    pub site_name: String,
    /// The site's country (ISO 3166 code or name, as the site gives it).
    pub site_country: String,
    pub account_id: Option<i64>,
    #[schema(value_type = Option<i64>)]
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
    /// open or closed (an open opening past its closing date takes no applications).
    pub status: String,
    /// Takes applications today.
    pub open: bool,
    pub published: bool,
    #[schema(value_type = Option<i64>)]
    pub hiring_manager_id: Option<UserId>,
    /// The caller may edit and close it.
    pub can_manage: bool,
}

pub(crate) fn today() -> NaiveDate {
    Utc::now().date_naive()
}

pub(crate) fn view(state: &AppState, me: Option<&Me>, o: Opening) -> OpeningView {
    let role = state.framework.role(&o.role_id);
    let can_manage = me
        .is_some_and(|me| me.require(Action::ManageOpenings { site_id: o.site_id, account_id: o.account_id }).is_ok());
    OpeningView {
        open: o.is_open(today()),
        role_name: role.map_or_else(|| o.role_id.clone(), |r| r.name.clone()),
        onet_soc: role.and_then(|r| r.onet_soc.clone()),
        id: o.id,
        role_id: o.role_id,
        title: o.title,
        site_id: o.site_id,
        site_name: o.site_name,
        site_country: o.site_country,
        account_id: o.account_id,
        team_id: o.team_id,
        headcount: o.headcount,
        shift: o.shift,
        shift_hours: o.shift_hours,
        hours_per_week: o.hours_per_week,
        arrangement: o.arrangement,
        pay_min: o.pay_min,
        pay_max: o.pay_max,
        currency: o.currency,
        allowances: o.allowances,
        allowances_note: o.allowances_note,
        night_differential_percent: o.night_differential_percent,
        signing_bonus: o.signing_bonus,
        description: o.description,
        posted_on: o.posted_on,
        closing_date: o.closing_date,
        rule_no_final_warning: o.rule_no_final_warning,
        rule_min_company_months: o.rule_min_company_months,
        rule_same_site: o.rule_same_site,
        status: o.status,
        published: o.published,
        hiring_manager_id: o.hiring_manager_id,
        can_manage,
    }
}

/// Loads an opening: 404 when there is none.
pub(crate) async fn load(state: &AppState, id: i64) -> ApiResult<Opening> {
    store::opening(&state.db, id).await.map_err(|e| match e {
        ladder_store::StoreError::NotFound => ApiError::not_found("opening"),
        other => other.into(),
    })
}

fn amount(field: &str, v: i64) -> ApiResult<()> {
    if (0..=MAX_AMOUNT).contains(&v) {
        Ok(())
    } else {
        Err(ApiError::invalid(field, format!("must be between 0 and {MAX_AMOUNT} (minor units)")))
    }
}

fn within(field: &str, v: i32, lo: i32, hi: i32) -> ApiResult<()> {
    if (lo..=hi).contains(&v) {
        Ok(())
    } else {
        Err(ApiError::invalid(field, format!("must be between {lo} and {hi}")))
    }
}

/// Checks every field (each error names it) and that the place exists and holds together.
async fn checked(state: &AppState, me: &Me, i: OpeningInput) -> ApiResult<OpeningFields> {
    let role =
        state.framework.role(&i.role_id).ok_or_else(|| ApiError::invalid("role_id", "is not a framework role"))?;
    let title = if i.title.trim().is_empty() { role.name.clone() } else { i.title.trim().to_string() };
    check_line("title", &title, TITLE)?;
    check_line("shift_hours", &i.shift_hours, 100)?;
    check_line("allowances_note", &i.allowances_note, 200)?;
    check_text("description", &i.description, MAX_DESCRIPTION)?;
    if i.description.trim().is_empty() {
        return Err(ApiError::invalid("description", "is required"));
    }
    within("headcount", i.headcount, 1, 1000)?;
    within("hours_per_week", i.hours_per_week, 1, 80)?;
    within("night_differential_percent", i.night_differential_percent, 0, 100)?;
    within("rule_min_company_months", i.rule_min_company_months, 0, 600)?;
    ShiftPattern::parse(&i.shift).ok_or_else(|| ApiError::invalid("shift", "is day, night or rotating"))?;
    Arrangement::parse(&i.arrangement)
        .ok_or_else(|| ApiError::invalid("arrangement", "is on-site, hybrid or remote"))?;
    for (field, v) in [
        ("pay_min", i.pay_min),
        ("pay_max", i.pay_max),
        ("allowances", i.allowances),
        ("signing_bonus", i.signing_bonus),
    ] {
        amount(field, v)?;
    }
    if i.pay_max < i.pay_min {
        return Err(ApiError::invalid("pay_max", "is below pay_min"));
    }
    let currency = i.currency.trim().to_ascii_uppercase();
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(ApiError::invalid("currency", "is a three-letter ISO 4217 code, e.g. PHP"));
    }
    ladder_core::dates::in_range(i.closing_date).map_err(|e| ApiError::invalid("closing_date", e.to_string()))?;
    if i.closing_date < today() {
        return Err(ApiError::invalid("closing_date", "is in the past"));
    }
    check_place(state, &i).await?;
    let hiring_manager_id = match i.hiring_manager_id {
        Some(u) => Some(check_hiring_manager(state, u, i.site_id, i.account_id).await?),
        None => Some(me.user.id),
    };
    Ok(OpeningFields {
        role_id: i.role_id,
        title,
        site_id: i.site_id,
        account_id: i.account_id,
        team_id: i.team_id,
        headcount: i.headcount,
        shift: i.shift,
        shift_hours: i.shift_hours,
        hours_per_week: i.hours_per_week,
        arrangement: i.arrangement,
        pay_min: i.pay_min,
        pay_max: i.pay_max,
        currency,
        allowances: i.allowances,
        allowances_note: i.allowances_note,
        night_differential_percent: i.night_differential_percent,
        signing_bonus: i.signing_bonus,
        description: i.description,
        closing_date: i.closing_date,
        rule_no_final_warning: i.rule_no_final_warning,
        rule_min_company_months: i.rule_min_company_months,
        rule_same_site: i.rule_same_site,
        published: i.published,
        hiring_manager_id,
    })
}

/// The site exists; the account is at the site; the team is in the account.
/// The hiring manager reads every application's packet, so they must be someone who could post
/// the opening: HR, an administrator, or a manager with its site or account in scope.
async fn check_hiring_manager(state: &AppState, u: UserId, site_id: i64, account_id: Option<i64>) -> ApiResult<UserId> {
    let user = ladder_store::users::user(&state.db, u)
        .await
        .map_err(|_| ApiError::invalid("hiring_manager_id", "is not a user"))?;
    let actor = ladder_store::users::actor(&state.db, &user).await?;
    if user.disabled || !ladder_core::access::allowed(&actor, Action::ManageOpenings { site_id, account_id }) {
        return Err(ApiError::invalid(
            "hiring_manager_id",
            "is not HR, an administrator or a manager of the opening's site or account",
        ));
    }
    Ok(u)
}

async fn check_place(state: &AppState, i: &OpeningInput) -> ApiResult<()> {
    let sites = ladder_store::org::sites(&state.db).await?;
    if !sites.iter().any(|s| s.id == i.site_id) {
        return Err(ApiError::invalid("site_id", "is not a site"));
    }
    if let Some(a) = i.account_id {
        let account = ladder_store::org::account(&state.db, a)
            .await
            .map_err(|_| ApiError::invalid("account_id", "is not an account"))?;
        if account.site_id != i.site_id {
            return Err(ApiError::invalid("account_id", "is not at that site"));
        }
    }
    if let Some(t) = i.team_id {
        let team =
            ladder_store::org::team(&state.db, t).await.map_err(|_| ApiError::invalid("team_id", "is not a team"))?;
        if Some(team.account_id) != i.account_id {
            return Err(ApiError::invalid("team_id", "is not in that account (give the team's account too)"));
        }
    }
    Ok(())
}

/// Posts an opening.
pub async fn create(state: &AppState, me: &Me, input: OpeningInput) -> ApiResult<OpeningView> {
    me.require(Action::ManageOpenings { site_id: input.site_id, account_id: input.account_id })?;
    let fields = checked(state, me, input).await?;
    let id = store::create(&state.db, &fields, Some(me.user.id), today()).await?;
    Ok(view(state, Some(me), load(state, id).await?))
}

/// Edits an opening: the caller must manage both where it was and where it goes.
pub async fn update(state: &AppState, me: &Me, id: i64, input: OpeningInput) -> ApiResult<OpeningView> {
    let before = load(state, id).await?;
    me.require(Action::ManageOpenings { site_id: before.site_id, account_id: before.account_id })?;
    me.require(Action::ManageOpenings { site_id: input.site_id, account_id: input.account_id })?;
    let fields = checked(state, me, input).await?;
    let hired = store::hired(&state.db, id).await?;
    if i64::from(fields.headcount) < hired {
        return Err(ApiError::invalid("headcount", format!("{hired} people are hired already: at least {hired}")));
    }
    store::update(&state.db, id, &fields).await?;
    Ok(view(state, Some(me), load(state, id).await?))
}

/// Closes (or reopens) an opening.
pub async fn set_open(state: &AppState, me: &Me, id: i64, open: bool) -> ApiResult<OpeningView> {
    let o = load(state, id).await?;
    me.require(Action::ManageOpenings { site_id: o.site_id, account_id: o.account_id })?;
    store::set_status(&state.db, id, open).await?;
    Ok(view(state, Some(me), load(state, id).await?))
}

/// Whether the caller sees internal openings, not just the published ones.
fn sees_internal(me: &Me) -> bool {
    me.require(Action::ViewInternalOpenings).is_ok()
}

/// One opening (anyone signed in; an outside visitor only a published one taking applications).
pub async fn opening(state: &AppState, me: &Me, id: i64) -> ApiResult<OpeningView> {
    if !sees_internal(me) {
        return posting::published(state, id).await;
    }
    Ok(view(state, Some(me), load(state, id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OpeningsQuery {
    /// Closed and expired ones too (default: only those taking applications).
    pub all: Option<bool>,
    /// 1–500, default 50.
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Openings, newest first: those taking applications, or with `all` every one.
pub async fn list(state: &AppState, me: &Me, q: &OpeningsQuery) -> ApiResult<Listing<OpeningView>> {
    let page = PageSpec::new(q.limit, q.cursor.as_deref())?;
    let internal = sees_internal(me);
    let open_on = if q.all.unwrap_or(false) && internal { None } else { Some(today()) };
    let rows = store::list(&state.db, open_on, !internal, page.after::<i64>()?, page.fetch()).await?;
    let total = store::count(&state.db, open_on, !internal).await?;
    Ok(Listing::from_rows(rows, &page, total as u64, |o| o.id).map(|o| view(state, Some(me), o)))
}
