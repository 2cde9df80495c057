//! The people and teams a caller may see, loaded for the API and the pages alike.

use ladder_core::access::{Access, Action};
use ladder_core::{EmployeeId, TeamId};
use ladder_store::org::Employee;

use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Loads an employee the caller may see: 404 when there is none, 403 when it is not theirs to see.
pub async fn visible_employee(state: &AppState, me: &Me, id: EmployeeId) -> ApiResult<Employee> {
    let employee = ladder_store::org::employee(&state.db, id).await.map_err(|e| match e {
        ladder_store::StoreError::NotFound => ApiError::not_found("employee"),
        other => other.into(),
    })?;
    me.require(Action::ViewPerson(employee.placement()))?;
    Ok(employee)
}

/// The teams a leader leads or a manager's sites and accounts hold; `None` for anyone who
/// oversees no teams this way (agents, HR, admins).
pub async fn overseen_teams(state: &AppState, me: &Me) -> ApiResult<Option<Vec<TeamId>>> {
    Ok(match me.actor.access {
        Access::TeamLeader => Some(me.actor.led_teams.clone()),
        Access::Manager => Some(ladder_store::org::teams_in(&state.db, &me.actor.sites, &me.actor.accounts).await?),
        Access::Agent | Access::Hr | Access::Admin => None,
    })
}
