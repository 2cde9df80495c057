//! The personal plan of an account with no employee record (issue 30: a self sign-up): from a
//! role they hold or aim to start in to the role they want, within a horizon, laid out by the
//! same planner as a person's career plan.

use chrono::Utc;
use ladder_core::planner::{self, CareerPlan, PlanRequest};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::service::{career, limits};
use crate::state::AppState;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PersonalPlanInput {
    /// The role one holds or means to start in (id or name).
    #[schema(max_length = 80)]
    pub from_role: String,
    /// The role one wants (id or name).
    #[schema(max_length = 80)]
    pub to_role: String,
    /// 1 to 15 years.
    #[schema(minimum = 1, maximum = 15)]
    pub horizon_years: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonalPlanView {
    /// Role ids; none until a plan is saved.
    pub from_role: Option<String>,
    pub to_role: Option<String>,
    pub horizon_years: Option<i32>,
    /// The fastest route and alternatives, as dated milestones from today.
    #[schema(value_type = Option<Object>)]
    pub plan: Option<CareerPlan>,
    /// Why no route could be planned (the framework changed since it was saved).
    pub plan_problem: Option<String>,
}

fn plan(state: &AppState, from: &str, to: &str, horizon_years: i32) -> Result<CareerPlan, String> {
    let request = PlanRequest {
        from: from.to_string(),
        to: to.to_string(),
        months_in_role: 0,
        start: Utc::now().date_naive(),
        horizon_months: (horizon_years.clamp(1, 15) * 12) as u32,
        alternatives: 2,
    };
    planner::plan(&state.framework, &request).map_err(|e| career::planning_problem(state, &e))
}

/// The signed-in account's personal plan, laid out from today.
pub async fn view(state: &AppState, me: &Me) -> ApiResult<PersonalPlanView> {
    let Some(saved) = ladder_store::personal_plans::get(&state.db, me.user.id).await? else {
        return Ok(PersonalPlanView {
            from_role: None,
            to_role: None,
            horizon_years: None,
            plan: None,
            plan_problem: None,
        });
    };
    let (plan, plan_problem) = match plan(state, &saved.from_role, &saved.to_role, saved.horizon_years) {
        Ok(p) => (Some(p), None),
        Err(e) => (None, Some(e)),
    };
    Ok(PersonalPlanView {
        from_role: Some(saved.from_role),
        to_role: Some(saved.to_role),
        horizon_years: Some(saved.horizon_years),
        plan,
        plan_problem,
    })
}

/// Saves the personal plan; refuses roles the framework lacks and a target no path reaches in time.
pub async fn save(state: &AppState, me: &Me, input: &PersonalPlanInput) -> ApiResult<PersonalPlanView> {
    limits::check_line("from_role", &input.from_role, limits::KEY)?;
    limits::check_line("to_role", &input.to_role, limits::KEY)?;
    let from = state.framework.find_role(&input.from_role).map_err(|e| ApiError::invalid("from_role", e))?.id.clone();
    let to = state.framework.find_role(&input.to_role).map_err(|e| ApiError::invalid("to_role", e))?.id.clone();
    if !(1..=15).contains(&input.horizon_years) {
        return Err(ApiError::invalid("horizon_years", "must be 1 to 15 years"));
    }
    plan(state, &from, &to, input.horizon_years).map_err(|e| ApiError::invalid("to_role", e))?;
    ladder_store::personal_plans::save(&state.db, me.user.id, &from, &to, input.horizon_years, Utc::now()).await?;
    view(state, me).await
}
