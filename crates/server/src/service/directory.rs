//! The organisation's long lists a page at a time (people, teams) and the people list as a
//! download, as far as the caller may see: what the API and the pages list (issue 25).

use ladder_core::access::{self, Access, Action};
use ladder_core::TeamId;
use ladder_store::org::listing as store;
use ladder_store::org::{Employee, Team};

use crate::api::people::scope_of;
use crate::auth::Me;
use crate::error::ApiResult;
use crate::service::export::{self, Cell, Table};
use crate::service::listing::{Listing, PageSpec};
use crate::state::AppState;

/// A page of the people the caller may see (optionally one team's), by name.
pub async fn employees(
    state: &AppState,
    me: &Me,
    team: Option<TeamId>,
    page: &PageSpec,
) -> ApiResult<Listing<Employee>> {
    let scope = scope_of(state, me).await?;
    let rows = store::employees_after(&state.db, &scope, team, page.after()?, page.fetch()).await?;
    let total = store::count_employees(&state.db, &scope, team).await?;
    Ok(Listing::from_rows(rows, page, total, |e| (e.name.clone(), e.id)))
}

/// Every person of [`employees`]' list, for a download (at most [`export::MAX_ROWS`]).
pub async fn employees_table(state: &AppState, me: &Me, team: Option<TeamId>) -> ApiResult<Table> {
    let scope = scope_of(state, me).await?;
    export::check_size(store::count_employees(&state.db, &scope, team).await?, "team")?;
    let mut table = Table {
        header: vec!["id", "code", "name", "email", "team", "role", "role since", "hire date", "hire date estimated"],
        rows: Vec::new(),
    };
    let mut after = None;
    loop {
        let rows = store::employees_after(&state.db, &scope, team, after.take(), 5_000).await?;
        let Some(last) = rows.last() else { break };
        after = Some((last.name.clone(), last.id));
        for e in rows {
            let role = state.framework.role(&e.role_id).map_or_else(|| e.role_id.clone(), |r| r.name.clone());
            table.rows.push(vec![
                Cell::Number(e.id.0 as f64),
                Cell::Text(e.code),
                Cell::Text(e.name),
                Cell::from(e.email),
                Cell::from(e.team_name),
                Cell::Text(role),
                Cell::Date(e.role_since),
                Cell::Date(e.hire_date),
                Cell::Text(if e.hire_date_basis == "given" { "no" } else { "yes" }.into()),
            ]);
        }
    }
    Ok(table)
}

/// A page of the teams the caller may see, by name.
pub async fn teams(state: &AppState, me: &Me, page: &PageSpec) -> ApiResult<Listing<Team>> {
    let only: Option<Vec<TeamId>> = match me.actor.access {
        Access::Hr | Access::Admin => None,
        _ => Some(
            ladder_store::org::teams(&state.db)
                .await?
                .into_iter()
                .filter(|t| {
                    let view = Action::ViewTeam { team_id: t.id, account_id: t.account_id, site_id: t.site_id };
                    access::allowed(&me.actor, view)
                })
                .map(|t| t.id)
                .collect(),
        ),
    };
    let rows = store::teams_after(&state.db, only.as_deref(), page.after()?, page.fetch()).await?;
    let total = store::count_teams(&state.db, only.as_deref()).await?;
    Ok(Listing::from_rows(rows, page, total, |t| (t.name.clone(), t.id)))
}
