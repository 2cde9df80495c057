//! How a person stands for each open opening: the role's readiness (the same checklist and
//! forecast as their career plan) plus the opening's rules, judged by the core.

use ladder_core::openings::{self as core, Applicant, Eligibility, OpeningRules, Standing};
use ladder_core::readiness::Profile;
use ladder_store::openings::{self as store, Opening};
use ladder_store::org::Employee;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{today, view, OpeningView};
use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::service::listing::{Listing, Order, PageSpec};
use crate::service::{career, scorecards};
use crate::state::AppState;

/// The most open openings a person is matched against at once: the newest this many. The
/// OpenAPI description of `/api/v1/me/openings` says so (its `total` is of these).
const MAX_MATCHED: i64 = 500;

/// One opening and how the caller stands for it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatchView {
    pub opening: OpeningView,
    /// eligible, nearly-eligible or not-eligible.
    pub standing: String,
    pub standing_label: String,
    /// Each open gap in words (the role's requirements, then the opening's rules).
    pub gaps: Vec<String>,
    /// What closes the role's gaps (training, certifications, time).
    pub closes_with: Vec<String>,
    /// When the role's requirements are forecast to be met.
    pub forecast_date: Option<chrono::NaiveDate>,
    /// The forecast in words.
    pub forecast: String,
    /// The opening's rules and where the person stands on each.
    #[schema(value_type = Vec<Object>)]
    pub rules: Vec<core::RuleCheck>,
    /// The caller's application to it, if any (its id and stage).
    pub application: Option<(i64, String)>,
}

/// What the rules need to know about a person, once for all openings.
pub(crate) struct Facts {
    pub profile: Profile,
    pub applicant: Applicant,
}

pub(crate) async fn facts(state: &AppState, employee: &Employee) -> ApiResult<Facts> {
    let (first, through) = career::score_window();
    let scores = scorecards::monthly_totals(state, std::slice::from_ref(employee), first, through)
        .await?
        .remove(&employee.id)
        .unwrap_or_default();
    let profile = career::profile(state, employee, scores).await?;
    let applicant = Applicant {
        months_with_company: career::months_between(employee.hire_date, profile.as_of),
        site_id: employee.site_id,
    };
    Ok(Facts { profile, applicant })
}

pub(crate) fn rules_of(o: &Opening) -> OpeningRules {
    OpeningRules {
        no_final_warning: o.rule_no_final_warning,
        min_company_months: o.rule_min_company_months.max(0) as u32,
        same_site: o.rule_same_site,
    }
}

pub(crate) fn judge(state: &AppState, o: &Opening, f: &Facts) -> ApiResult<Eligibility> {
    core::eligibility(&state.framework, &o.role_id, o.site_id, &rules_of(o), &f.profile, &f.applicant)
        .map_err(ApiError::internal)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MatchQuery {
    /// Also the openings the caller is not eligible for (default: eligible and nearly).
    pub all: Option<bool>,
    /// Openings per page (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// The `next` of the page before.
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}

/// A page of [`for_me`], by rank: eligible first, then nearly eligible, then the rest; the
/// newest opening first within each.
pub async fn for_me_page(state: &AppState, me: &Me, q: &MatchQuery) -> ApiResult<Listing<MatchView>> {
    let page = PageSpec::new(q.limit, q.cursor.as_deref())?;
    let all = for_me(state, me, q).await?;
    Listing::slice(all, &page, Order::Ascending, rank)
}

/// Where an opening ranks for the caller: by standing, then newest first.
fn rank(m: &MatchView) -> (u8, i64) {
    let standing = match m.standing.as_str() {
        "eligible" => 0,
        "nearly-eligible" => 1,
        _ => 2,
    };
    (standing, -m.opening.id)
}

/// The open openings for the caller's own record, eligible first, then nearly eligible (with
/// the gaps and the forecast), then (with `all`) the rest.
pub async fn for_me(state: &AppState, me: &Me, q: &MatchQuery) -> ApiResult<Vec<MatchView>> {
    let id = me.actor.employee_id.ok_or_else(|| ApiError::not_found("employee record of yours"))?;
    let employee = crate::service::people::visible_employee(state, me, id).await?;
    let facts = facts(state, &employee).await?;
    let mine = ladder_store::openings::applications::of_employee(&state.db, id).await?;
    let openings = store::list(&state.db, Some(today()), false, None, MAX_MATCHED).await?;
    let mut out = Vec::new();
    for o in openings {
        let e = judge(state, &o, &facts)?;
        if e.standing == Standing::NotEligible && !q.all.unwrap_or(false) {
            continue;
        }
        let application = mine.iter().find(|a| a.opening_id == o.id).map(|a| (a.id, a.stage.clone()));
        out.push(match_view(view(state, Some(me), o), e, application));
    }
    out.sort_by_key(rank);
    Ok(out)
}

fn match_view(opening: OpeningView, e: Eligibility, application: Option<(i64, String)>) -> MatchView {
    let closes_with = if e.same_role {
        vec![]
    } else {
        e.readiness.items.iter().filter(|i| !i.met).flat_map(|i| i.closes_with.iter().cloned()).collect()
    };
    MatchView {
        opening,
        standing: e.standing.as_str().into(),
        standing_label: e.standing.label().into(),
        gaps: e.gaps,
        closes_with,
        forecast_date: e.forecast_date,
        forecast: e.readiness.forecast.message,
        rules: e.rules,
        application,
    }
}
