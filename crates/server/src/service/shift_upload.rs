//! A shift file uploaded from the browser or the API (issue 29): schedules and time-clock
//! exports in any shift preset, as `ladder import shifts` reads them, run as an import job
//! (progress, then the report) with the KPI import's rule for leaders: rows about people
//! outside the teams they may import for are problems, and nothing is written.

use std::sync::Arc;

use ladder_import::shifts::{self, ShiftReport};
use ladder_import::{EmployeeFilter, Input, Options, ProgressFn};

use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::service::imports::{self, importable_teams, Finished, MAX_FILE_NAME};
use crate::state::AppState;

/// The longest preset name read from a form.
pub const MAX_PRESET_CHARS: usize = 40;

/// A shift file to import and how.
pub struct ShiftUpload {
    /// A shift preset's name (see `ladder_import::shifts::preset_names`).
    pub preset: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub dry_run: bool,
}

/// Refuses an unknown preset or an over-long file name, before any job starts.
fn check(upload: &ShiftUpload) -> ApiResult<()> {
    let preset = upload.preset.trim();
    if preset.chars().count() > MAX_PRESET_CHARS || !shifts::preset_names().contains(&preset) {
        let shown: String = preset.chars().take(MAX_PRESET_CHARS).collect();
        let names = shifts::preset_names().join(", ");
        return Err(ApiError::invalid("mapping", format!("no shift preset '{shown}' (presets: {names})")));
    }
    if upload.file_name.chars().count() > MAX_FILE_NAME {
        return Err(ApiError::invalid("file", format!("a file name is at most {MAX_FILE_NAME} characters")));
    }
    Ok(())
}

/// Imports (or, `dry_run`, checks) a shift file as the caller.
pub async fn import(
    state: &AppState,
    me: &Me,
    upload: ShiftUpload,
    progress: Option<ProgressFn>,
) -> ApiResult<ShiftReport> {
    let teams = importable_teams(state, me).await?;
    check(&upload)?;
    let allowed: Option<EmployeeFilter> = teams.map(|teams| {
        let f: EmployeeFilter =
            Arc::new(move |e: &ladder_import::EmployeeRef<'_>| e.team_id.is_some_and(|t| teams.contains(&t)));
        f
    });
    let opts =
        Options { dry_run: upload.dry_run, allowed, progress, imported_by: Some(me.user.id), ..Options::default() };
    let input = Input::bytes(&upload.file_name, upload.bytes);
    shifts::import(&state.db, upload.preset.trim(), &input, &opts)
        .await
        .map_err(|e| ApiError::invalid("file", e.to_string()))
}

/// Starts a shift import in the background and returns its job id (followed on
/// `/import/jobs/{id}` and `/api/v1/imports/jobs/{id}`).
pub async fn start(state: &AppState, me: &Me, upload: ShiftUpload) -> ApiResult<String> {
    importable_teams(state, me).await?;
    check(&upload)?;
    let (for_job, me_for_job) = (state.clone(), me.clone());
    Ok(imports::spawn(state, me, move |progress| {
        Box::pin(async move { import(&for_job, &me_for_job, upload, Some(progress)).await.map(Finished::Shifts) })
    }))
}
