//! A person's own short-term goals under the milestones of their career plan (issue 26): the
//! person adds, edits, ticks done, reopens and deletes them; whoever sees the person (their
//! leader, manager, HR, administrators) reads them. The pages and the API share these rules.

use chrono::{Months, NaiveDate, TimeDelta, Utc};
use ladder_core::access::Action;
use ladder_core::limits::TITLE;
use ladder_store::career_goals::{self as store, Caps, Goal, GoalFields};
use ladder_store::org::Employee;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::service::career;
use crate::service::limits;
use crate::service::listing::{Listing, Order, PageSpec};
use crate::state::AppState;

/// The most open goals one person may have.
pub const MAX_OPEN: i64 = 50;
/// The most goals one person may keep in all, done ones included: the pages list every one (and
/// a record file carries as many).
pub const MAX_TOTAL: i64 = ladder_core::record::MAX_GOALS as i64;
/// Both caps, as the store checks them.
pub const CAPS: Caps = Caps { open: MAX_OPEN, total: MAX_TOTAL };
/// The longest note.
pub const NOTE: usize = 2000;
/// A due date may lie this far before today: the person's day may still be yesterday.
const GRACE: TimeDelta = TimeDelta::days(1);
/// Open goals due within this many days are home's to-dos (overdue ones too).
pub const DUE_SOON_DAYS: i64 = 14;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GoalView {
    pub id: i64,
    /// The role of the milestone the goal sits under.
    pub milestone_role: String,
    pub milestone_role_name: String,
    /// Whether that role is still a milestone of the plan's route.
    pub on_route: bool,
    /// 1–200 characters.
    pub title: String,
    /// At most 2,000 characters.
    pub note: String,
    pub due_on: NaiveDate,
    /// The day it was ticked done; absent while open.
    pub done_on: Option<NaiveDate>,
    pub done: bool,
    /// Open and due before today.
    pub overdue: bool,
    pub created_at: chrono::DateTime<Utc>,
    pub updated_at: chrono::DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalInput {
    /// A role of the plan's route (one of its milestones).
    #[schema(max_length = 80)]
    pub milestone_role: String,
    /// 1 to 200 characters.
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    /// At most 2,000 characters.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: String,
    /// YYYY-MM-DD: from today, and within the plan's horizon.
    #[serde(deserialize_with = "ladder_core::dates::deserialize")]
    pub due_on: NaiveDate,
}

/// What to change; what is left out stays.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalPatch {
    #[schema(max_length = 80)]
    pub milestone_role: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    pub title: Option<String>,
    #[schema(max_length = 2000)]
    pub note: Option<String>,
    /// YYYY-MM-DD: from today, and within the plan's horizon.
    #[serde(default, deserialize_with = "ladder_core::dates::deserialize_opt")]
    pub due_on: Option<NaiveDate>,
    /// `true` ticks the goal done (today), `false` reopens it.
    pub done: Option<bool>,
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// The roles of the plan's milestones and the last day a goal may be due (the horizon); `None`
/// without a plan that has a route.
fn route_and_horizon(
    state: &AppState,
    employee: &Employee,
    plan: Option<&ladder_store::records::CareerPlanRow>,
) -> Option<(Vec<String>, NaiveDate)> {
    let plan = plan?;
    let route = career::plan_route(state, employee, &plan.target_role, plan.horizon_years).ok()?;
    let months = Months::new(plan.horizon_years.clamp(1, 15) as u32 * 12);
    let last = today().checked_add_months(months).unwrap_or(NaiveDate::MAX);
    Some((route.fastest.roles.into_iter().skip(1).collect(), last))
}

fn view(state: &AppState, route: &[String], g: Goal) -> GoalView {
    GoalView {
        milestone_role_name: career::role_name(state, &g.milestone_role),
        on_route: route.contains(&g.milestone_role),
        done: g.done_on.is_some(),
        overdue: g.done_on.is_none() && g.due_on < today(),
        id: g.id,
        milestone_role: g.milestone_role,
        title: g.title,
        note: g.note,
        due_on: g.due_on,
        done_on: g.done_on,
        created_at: g.created_at,
        updated_at: g.updated_at,
    }
}

/// Every goal of the person, by due date (the pages: at most 50 open and 500 in all).
pub async fn all(state: &AppState, me: &Me, employee: &Employee) -> ApiResult<Vec<GoalView>> {
    me.require(Action::ViewPerson(employee.placement()))?;
    let plan = ladder_store::records::career_plan(&state.db, employee.id).await?;
    let route = route_and_horizon(state, employee, plan.as_ref()).map(|r| r.0).unwrap_or_default();
    let goals = store::of_employee(&state.db, employee.id).await?;
    Ok(goals.into_iter().map(|g| view(state, &route, g)).collect())
}

/// One page of the person's goals, by due date then id.
pub async fn list(state: &AppState, me: &Me, employee: &Employee, page: &PageSpec) -> ApiResult<Listing<GoalView>> {
    let goals = all(state, me, employee).await?;
    Listing::slice(goals, page, Order::Ascending, |g| (g.due_on, g.id))
}

/// Checks a title, a note and a due date, naming the field at fault.
fn check(title: &str, note: &str, due_on: NaiveDate, last: NaiveDate) -> ApiResult<()> {
    if title.trim().is_empty() {
        return Err(ApiError::invalid("title", "a goal needs a title"));
    }
    limits::check_line("title", title, TITLE)?;
    limits::check_text("note", note, NOTE)?;
    if due_on < today() - GRACE {
        return Err(ApiError::invalid("due_on", "a goal is due today or later"));
    }
    if due_on > last {
        return Err(ApiError::invalid("due_on", format!("a goal is due within the plan's horizon, by {last}")));
    }
    Ok(())
}

/// The plan's route and horizon, or why a goal cannot be set yet.
async fn plan_bounds(state: &AppState, employee: &Employee) -> ApiResult<(Vec<String>, NaiveDate)> {
    let plan = ladder_store::records::career_plan(&state.db, employee.id).await?;
    route_and_horizon(state, employee, plan.as_ref()).ok_or_else(|| {
        ApiError::invalid("milestone_role", "choose a target role first: goals sit under the plan's milestones")
    })
}

fn check_milestone(route: &[String], role: &str) -> ApiResult<()> {
    limits::check_line("milestone_role", role, limits::KEY)?;
    if !route.iter().any(|r| r == role) {
        return Err(ApiError::invalid("milestone_role", "not a milestone of the plan's route"));
    }
    Ok(())
}

/// Adds an open goal under a milestone: the person only.
pub async fn create(state: &AppState, me: &Me, employee: &Employee, input: &GoalInput) -> ApiResult<GoalView> {
    me.require(Action::WriteOwnRecord(employee.placement()))?;
    let (route, last) = plan_bounds(state, employee).await?;
    let role = input.milestone_role.trim();
    check_milestone(&route, role)?;
    check(&input.title, &input.note, input.due_on, last)?;
    let fields = GoalFields {
        milestone_role: role.to_string(),
        title: input.title.trim().to_string(),
        note: input.note.trim().to_string(),
        due_on: input.due_on,
        done_on: None,
    };
    let goal = store::add(&state.db, employee.id, &fields, Some(me.user.id), CAPS, Utc::now()).await?;
    Ok(view(state, &route, goal))
}

/// The person's goal `id` (another person's is not found).
async fn own_goal(state: &AppState, employee: &Employee, id: i64) -> ApiResult<Goal> {
    match store::goal(&state.db, id).await {
        Ok(g) if g.employee_id == employee.id => Ok(g),
        Ok(_) | Err(ladder_store::StoreError::NotFound) => Err(ApiError::not_found("goal")),
        Err(e) => Err(e.into()),
    }
}

/// Edits, ticks or reopens a goal: the person only. A due date is checked only when it changes,
/// so an overdue goal can still be ticked.
pub async fn update(state: &AppState, me: &Me, employee: &Employee, id: i64, patch: &GoalPatch) -> ApiResult<GoalView> {
    me.require(Action::WriteOwnRecord(employee.placement()))?;
    let goal = own_goal(state, employee, id).await?;
    let plan = ladder_store::records::career_plan(&state.db, employee.id).await?;
    let bounds = route_and_horizon(state, employee, plan.as_ref());
    let route = bounds.as_ref().map(|b| b.0.clone()).unwrap_or_default();
    let mut f = GoalFields {
        milestone_role: goal.milestone_role.clone(),
        title: patch.title.as_deref().map_or(goal.title.clone(), |t| t.trim().to_string()),
        note: patch.note.as_deref().map_or(goal.note.clone(), |n| n.trim().to_string()),
        due_on: patch.due_on.unwrap_or(goal.due_on),
        done_on: match patch.done {
            Some(true) => goal.done_on.or(Some(today())),
            Some(false) => None,
            None => goal.done_on,
        },
    };
    if let Some(role) = patch.milestone_role.as_deref().map(str::trim).filter(|r| *r != goal.milestone_role) {
        check_milestone(&route, role)?;
        f.milestone_role = role.to_string();
    }
    let last = bounds.map_or(NaiveDate::MAX, |b| b.1);
    if f.title.is_empty() {
        return Err(ApiError::invalid("title", "a goal needs a title"));
    }
    limits::check_line("title", &f.title, TITLE)?;
    limits::check_text("note", &f.note, NOTE)?;
    if f.due_on != goal.due_on {
        check(&f.title, &f.note, f.due_on, last)?;
    }
    let saved = store::update(&state.db, id, &f, Some(me.user.id), MAX_OPEN, Utc::now()).await?;
    Ok(view(state, &route, saved))
}

/// Deletes a goal (audited): the person only.
pub async fn delete(state: &AppState, me: &Me, employee: &Employee, id: i64) -> ApiResult<()> {
    me.require(Action::WriteOwnRecord(employee.placement()))?;
    own_goal(state, employee, id).await?;
    Ok(store::delete(&state.db, id, Some(me.user.id)).await?)
}

/// The person's open goals due within [`DUE_SOON_DAYS`] of `on`, overdue ones first (home's
/// to-dos and the calendar; the caller has checked access).
pub async fn due_soon(state: &AppState, employee: &Employee, on: NaiveDate) -> ApiResult<Vec<Goal>> {
    Ok(store::open_due_by(&state.db, employee.id, on + TimeDelta::days(DUE_SOON_DAYS)).await?)
}
