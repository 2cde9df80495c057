//! A shift file uploaded from the browser (issue 29): schedules and time-clock exports in any
//! shift preset, as `ladder import shifts` reads them, with the KPI import's rule for leaders:
//! rows about people outside the teams they may import for are problems, and nothing is written.

use std::sync::Arc;

use ladder_import::shifts::{self, ShiftReport};
use ladder_import::{EmployeeFilter, Input, Options};

use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::service::imports::importable_teams;
use crate::state::AppState;

/// The longest preset name read from a form.
pub const MAX_PRESET_CHARS: usize = 40;

/// Imports (or, `dry_run`, checks) a shift file as the caller.
pub async fn import(
    state: &AppState,
    me: &Me,
    preset: &str,
    file_name: &str,
    bytes: Vec<u8>,
    dry_run: bool,
) -> ApiResult<ShiftReport> {
    let teams = importable_teams(state, me).await?;
    let preset = preset.trim();
    if preset.chars().count() > MAX_PRESET_CHARS || !shifts::preset_names().contains(&preset) {
        let names = shifts::preset_names().join(", ");
        return Err(ApiError::invalid("mapping", format!("no shift preset '{preset}' (presets: {names})")));
    }
    let allowed: Option<EmployeeFilter> = teams.map(|teams| {
        let f: EmployeeFilter =
            Arc::new(move |e: &ladder_import::EmployeeRef<'_>| e.team_id.is_some_and(|t| teams.contains(&t)));
        f
    });
    let opts = Options { dry_run, allowed, imported_by: Some(me.user.id), ..Options::default() };
    let input = Input::bytes(file_name, bytes);
    shifts::import(&state.db, preset, &input, &opts).await.map_err(|e| ApiError::invalid("file", e.to_string()))
}
