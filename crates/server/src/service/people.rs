//! The people and teams a caller may see, loaded for the API and the pages alike.

use ladder_core::access::{Access, Action};
use ladder_core::identity::{self, Platform};
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

/// Loads an employee whose skills, certifications and training the caller may see (a
/// QA/trainer too, who may not see the rest of the person): 404 when there is none, 403 when
/// it is not theirs to see.
pub async fn development_employee(state: &AppState, me: &Me, id: EmployeeId) -> ApiResult<Employee> {
    let employee = ladder_store::org::employee(&state.db, id).await.map_err(|e| match e {
        ladder_store::StoreError::NotFound => ApiError::not_found("employee"),
        other => other.into(),
    })?;
    me.require(Action::ViewDevelopment(employee.placement()))?;
    Ok(employee)
}

/// Loads a team the caller may see: 404 when there is none, 403 when it is not theirs to see.
pub async fn visible_team(state: &AppState, me: &Me, team_id: TeamId) -> ApiResult<ladder_store::org::Team> {
    let team = ladder_store::org::team(&state.db, team_id).await.map_err(|e| match e {
        ladder_store::StoreError::NotFound => ApiError::not_found("team"),
        other => other.into(),
    })?;
    me.require(Action::ViewTeam { team_id, account_id: team.account_id, site_id: team.site_id })?;
    Ok(team)
}

/// The teams a leader leads or a manager's sites and accounts hold; `None` for anyone who
/// oversees no teams this way (agents, HR, admins).
pub async fn overseen_teams(state: &AppState, me: &Me) -> ApiResult<Option<Vec<TeamId>>> {
    Ok(match me.actor.access {
        Access::TeamLeader => Some(me.actor.led_teams.clone()),
        Access::Manager => Some(ladder_store::org::teams_in(&state.db, &me.actor.sites, &me.actor.accounts).await?),
        Access::Agent | Access::Hr | Access::Admin | Access::Trainer => None,
    })
}

/// A person's identifier on a platform.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct IdentityView {
    /// genesys, amazon-connect, five9, nice, talkdesk or wfm.
    pub platform: String,
    /// What the identifier is, in words ("Genesys Cloud user id").
    pub label: String,
    pub identifier: String,
}

/// A visible person's platform identities.
pub async fn identities(state: &AppState, me: &Me, id: EmployeeId) -> ApiResult<Vec<IdentityView>> {
    visible_employee(state, me, id).await?;
    let stored = ladder_store::org::identities::of_employee(&state.db, id).await?;
    Ok(stored
        .into_iter()
        .filter_map(|(platform, identifier)| {
            let p = Platform::parse(&platform)?;
            Some(IdentityView { platform, label: p.label().to_string(), identifier })
        })
        .collect())
}

/// Sets (or, with `None`, removes) a person's identifier on a platform: the people who may edit
/// HR and administrators only. Another person's identifier is a 409 that does not say whose
/// (the caller may not see them). Every change goes to the audit trail.
pub async fn set_identity(
    state: &AppState,
    me: &Me,
    id: EmployeeId,
    platform: &str,
    identifier: Option<&str>,
) -> ApiResult<Vec<IdentityView>> {
    let employee = visible_employee(state, me, id).await?;
    me.require(Action::SetIdentity(employee.placement()))?;
    let platform = Platform::parse(platform)
        .ok_or_else(|| ApiError::invalid("platform", format!("one of {}", Platform::names())))?;
    let identifier = identifier
        .map(|v| identity::check_identifier(platform, v))
        .transpose()
        .map_err(|m| ApiError::invalid("identifier", m))?;
    let before = ladder_store::org::identities::of_employee(&state.db, id)
        .await?
        .into_iter()
        .find(|(p, _)| p == platform.as_str())
        .map(|(_, v)| v);
    ladder_store::org::identities::set(&state.db, id, platform.as_str(), identifier.as_deref()).await.map_err(|e| {
        match e {
            ladder_store::StoreError::Conflict(_) => {
                ApiError::conflict(format!("this {} identifier already belongs to another person", platform.label()))
            }
            other => other.into(),
        }
    })?;
    let change = ladder_store::audit::Change {
        actor_id: Some(me.user.id),
        entity: "employee_identity",
        entity_id: format!("{}/{}", id.0, platform.as_str()),
        action: "set",
        before: before.map(serde_json::Value::from),
        after: identifier.clone().map(serde_json::Value::from),
    };
    ladder_store::audit::record(&state.db, change).await?;
    identities(state, me, id).await
}
