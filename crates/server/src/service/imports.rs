//! Imports from the API and the web page: who may import what (per row, through the import's
//! employee filter), and background jobs whose progress a page can show.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use ladder_core::access::{Access, Action};
use std::future::Future;
use std::pin::Pin;

use ladder_import::shifts::ShiftReport;
use ladder_import::{EmployeeFilter, Input, Mapping, Options, Progress, Report};

use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Employees, sites, accounts, teams, leaders, roles.
    People,
    /// KRA facts, daily or monthly.
    Kpi,
}

/// The teams whose people the caller may import rows about; `None` means everyone.
pub(crate) async fn importable_teams(state: &AppState, me: &Me) -> ApiResult<Option<Vec<ladder_core::TeamId>>> {
    me.require(Action::Import)?;
    Ok(match me.actor.access {
        Access::Hr | Access::Admin => None,
        Access::TeamLeader => Some(me.actor.led_teams.clone()),
        Access::Manager => Some(ladder_store::org::teams_in(&state.db, &me.actor.sites, &me.actor.accounts).await?),
        Access::Agent | Access::Trainer => return Err(ApiError::forbidden()),
    })
}

/// How a KPI file's columns map to the framework's metrics.
pub enum MappingChoice {
    /// A preset by name; Ladder's long format when none is named.
    Preset(Option<String>),
    /// A mapping file the user wrote, as `ladder import kpi --mapping FILE` reads, for an
    /// export no preset reads.
    Written { name: String, text: String },
}

/// A file to import and how.
pub struct Upload {
    pub kind: Kind,
    /// For KPI files.
    pub mapping: MappingChoice,
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub dry_run: bool,
    /// KPI files: leave out rows about unknown people, listing them in the report.
    pub ignore_unknown: bool,
    /// Let a file replace stored figures with less (part-month days over a month's figure).
    pub replace_months: bool,
    /// Write the good rows and hand back the bad ones ([`Imported::rejects`]).
    pub skip_bad_rows: bool,
    pub kpi: KpiChoices,
}

/// The most a written mapping may be.
pub const MAX_MAPPING_BYTES: usize = 64 * 1024;

/// The longest file name taken (as file systems allow); a longer one is refused where it enters,
/// before the dates in it are looked for.
pub const MAX_FILE_NAME: usize = 255;

/// Refuses an upload whose file or mapping file names are too long.
fn check_names(upload: &Upload) -> ApiResult<()> {
    let too_long = |name: &str| name.chars().count() > MAX_FILE_NAME;
    if too_long(&upload.file_name) {
        return Err(ApiError::invalid("file", format!("a file name is at most {MAX_FILE_NAME} characters")));
    }
    if let MappingChoice::Written { name, .. } = &upload.mapping {
        if too_long(name) {
            let message = format!("a file name is at most {MAX_FILE_NAME} characters");
            return Err(ApiError::invalid("mapping_file", message));
        }
    }
    Ok(())
}

/// What an import did, and the rows it left out (CSV with a `reason` column) when it skipped
/// bad rows.
#[derive(Debug, Clone)]
pub struct Imported {
    pub report: Report,
    /// Shared, not copied: a job's page asks for it on every refresh.
    pub rejects: Option<Arc<str>>,
}

/// A written people mapping, checked.
fn people_mapping(name: &str, text: &str) -> ApiResult<ladder_import::people::PeopleMapping> {
    if text.len() > MAX_MAPPING_BYTES {
        return Err(ApiError::invalid(
            "mapping_file",
            format!("a mapping file is at most {} KB", MAX_MAPPING_BYTES / 1024),
        ));
    }
    ladder_import::people::PeopleMapping::parse(name, text)
        .map_err(|e| ApiError::invalid("mapping_file", e.to_string()))
}

/// How a KPI file's dates are read, as the form or query gave them (checked here, for the
/// page and the API alike).
#[derive(Debug, Clone, Default)]
pub struct KpiChoices {
    /// `YYYY-MM-DD`: the date of every row of a file with no date column.
    pub date: Option<String>,
    /// `YYYY-MM`: rows outside the month are refused, and rows whose interval crosses its
    /// start or end count for it.
    pub period: Option<String>,
    /// Spread a row whose interval crosses a month end over its months.
    pub split_intervals: bool,
}

impl KpiChoices {
    /// The choices checked into the import's options.
    fn apply(&self, opts: &mut Options) -> ApiResult<()> {
        let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
        if let Some(date) = given(&self.date) {
            let bad = || {
                ApiError::invalid(
                    "date",
                    format!("'{}' is not a date: use YYYY-MM-DD", date.chars().take(20).collect::<String>()),
                )
            };
            let day = chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|_| bad())?;
            opts.date = Some(ladder_core::dates::in_range(day).map_err(|e| ApiError::invalid("date", e.to_string()))?);
        }
        if let Some(period) = given(&self.period) {
            let month: ladder_core::period::Month = period.parse().map_err(|_| {
                ApiError::invalid(
                    "period",
                    format!("'{}' is not a month: use YYYY-MM", period.chars().take(20).collect::<String>()),
                )
            })?;
            ladder_core::dates::in_range(month.first_day()).map_err(|e| ApiError::invalid("period", e.to_string()))?;
            opts.period = Some((month.first_day(), month.last_day()));
        }
        opts.split_intervals = self.split_intervals;
        Ok(())
    }
}

/// Runs an import as the caller: rows about people outside their reach are problems, refused
/// with the whole file, or left out (and listed) when the upload skips bad rows.
pub async fn run(
    state: &AppState,
    me: &Me,
    upload: Upload,
    progress: Option<ladder_import::ProgressFn>,
) -> ApiResult<Imported> {
    check_names(&upload)?;
    let Upload { kind, mapping, file_name, bytes, dry_run, ignore_unknown, replace_months, skip_bad_rows, kpi } =
        upload;
    let file_name = file_name.as_str();
    let teams = importable_teams(state, me).await?;
    let teams_scope = teams.clone();
    let allowed: Option<EmployeeFilter> = teams.map(|teams| {
        let f: EmployeeFilter =
            Arc::new(move |e: &ladder_import::EmployeeRef<'_>| e.team_id.is_some_and(|t| teams.contains(&t)));
        f
    });
    let importer = me.actor.employee_id;
    // The rejects go through a file of this import's own, read back and removed.
    let rejects =
        skip_bad_rows.then(|| std::env::temp_dir().join(format!("ladder-rejects-{}.csv", crate::auth::new_secret())));
    let mut opts = Options {
        dry_run,
        allowed,
        progress,
        imported_by: Some(me.user.id),
        importer,
        ignore_unknown,
        replace_months,
        skip_bad_rows,
        rejects: rejects.clone(),
        ..Options::default()
    };
    kpi.apply(&mut opts)?;
    let input = Input::bytes(file_name, bytes);
    let result = match (kind, mapping) {
        (Kind::People, MappingChoice::Written { name, text }) => {
            let mapping = people_mapping(&name, &text)?;
            ladder_import::people::import_mapped(&state.db, &state.framework, &mapping, &input, &opts).await
        }
        // Presets are for KPI exports (the page's platform list says so).
        (Kind::People, MappingChoice::Preset(_)) => {
            ladder_import::people::import(&state.db, &state.framework, &input, &opts).await
        }
        (Kind::Kpi, mapping) => {
            let mapping = match mapping {
                MappingChoice::Preset(name) => {
                    let name = name.as_deref().unwrap_or(ladder_import::mapping::DEFAULT_PRESET);
                    Mapping::preset(name).ok_or_else(|| {
                        let names: Vec<&str> = ladder_import::mapping::PRESETS.iter().map(|(n, _)| *n).collect();
                        ApiError::invalid("mapping", format!("unknown preset '{name}' (one of {})", names.join(", ")))
                    })?
                }
                MappingChoice::Written { name, text } => {
                    if text.len() > MAX_MAPPING_BYTES {
                        return Err(ApiError::invalid(
                            "mapping_file",
                            format!("a mapping file is at most {} KB", MAX_MAPPING_BYTES / 1024),
                        ));
                    }
                    Mapping::parse(&name, &text).map_err(|e| ApiError::invalid("mapping_file", e.to_string()))?
                }
            };
            ladder_import::kpi::import(&state.db, &state.framework, &mapping, &input, &opts).await
        }
    };
    let kept = match &rejects {
        Some(path) => {
            let text = std::fs::read_to_string(path).ok();
            let _ = std::fs::remove_file(path);
            text.filter(|t| !t.is_empty()).map(Arc::from)
        }
        None => None,
    };
    let report = result.map_err(|e| match e {
        ladder_import::ImportError::Read(r) => ApiError::invalid("file", r.to_string()),
        ladder_import::ImportError::Mapping(m) => ApiError::invalid("mapping", m.to_string()),
        limit @ ladder_import::ImportError::Limit(_) => ApiError::invalid("file", limit.to_string()),
        other => ApiError::internal(other),
    })?;
    if report.committed && !report.dry_run {
        // Figures, teams and roles moved: the importer's people are recomputed in the background.
        crate::service::pipeline::refresh_after_import(state, teams_scope.as_deref()).await?;
    }
    Ok(Imported { rejects: kept.filter(|_| report.rows_rejected > 0), report })
}

/// An import running in the background for a page to follow.
#[derive(Debug, Clone)]
pub struct Job {
    pub owner: ladder_core::UserId,
    pub progress: Option<Progress>,
    pub report: Option<Report>,
    /// A shift file's report (shift imports have their own).
    pub shifts: Option<ShiftReport>,
    /// The rows a `skip_bad_rows` import left out, for the page to offer as a download.
    pub rejects: Option<Arc<str>>,
    pub error: Option<String>,
    /// When it ended: finished jobs are dropped after [`JOB_TTL`].
    pub finished: Option<std::time::Instant>,
}

impl Job {
    fn new(owner: ladder_core::UserId) -> Job {
        Job { owner, progress: None, report: None, shifts: None, rejects: None, error: None, finished: None }
    }
    /// Still running: no report and no error yet.
    pub fn running(&self) -> bool {
        self.report.is_none() && self.shifts.is_none() && self.error.is_none()
    }
}

/// What a job's work hands back.
pub enum Finished {
    /// Boxed: a people or KPI report is over twice a shift report's size.
    Import(Box<Imported>),
    Shifts(ShiftReport),
}

/// A job's work, given the callback its progress goes to.
pub type Work = Pin<Box<dyn Future<Output = ApiResult<Finished>> + Send>>;

/// How long a finished job (and its rejects file) is kept for its page.
pub const JOB_TTL: std::time::Duration = std::time::Duration::from_secs(60 * 60);
/// The most finished jobs kept; the oldest go first.
pub const MAX_FINISHED_JOBS: usize = 100;

/// Jobs of this app server, by id. (A job lives on the server that runs it; its result is in
/// the database and the `imports` table either way.)
#[derive(Default)]
pub struct Jobs(Mutex<HashMap<String, Job>>);

impl Jobs {
    pub fn get(&self, id: &str) -> Option<Job> {
        self.0.lock().expect("jobs lock").get(id).cloned()
    }
    /// Drops finished jobs older than [`JOB_TTL`], then the oldest past [`MAX_FINISHED_JOBS`].
    pub fn prune(&self, now: std::time::Instant) {
        let mut jobs = self.0.lock().expect("jobs lock");
        jobs.retain(|_, j| j.finished.is_none_or(|at| now.saturating_duration_since(at) < JOB_TTL));
        let mut finished: Vec<(std::time::Instant, String)> =
            jobs.iter().filter_map(|(id, j)| j.finished.map(|at| (at, id.clone()))).collect();
        if finished.len() > MAX_FINISHED_JOBS {
            finished.sort();
            for (_, id) in &finished[..finished.len() - MAX_FINISHED_JOBS] {
                jobs.remove(id);
            }
        }
    }
    fn update(&self, id: &str, f: impl FnOnce(&mut Job)) {
        if let Some(job) = self.0.lock().expect("jobs lock").get_mut(id) {
            f(job);
        }
    }
}

/// Starts an import in the background and returns its job id.
pub async fn start(state: &AppState, me: &Me, upload: Upload) -> ApiResult<String> {
    importable_teams(state, me).await?;
    check_names(&upload)?;
    if let (Kind::People, MappingChoice::Written { name, text }) = (upload.kind, &upload.mapping) {
        people_mapping(name, text)?;
    }
    // A mistyped date is the form's to show, before any job starts.
    upload.kpi.apply(&mut Options::default())?;
    let (for_job, me_for_job) = (state.clone(), me.clone());
    Ok(spawn(state, me, move |progress| {
        Box::pin(async move {
            run(&for_job, &me_for_job, upload, Some(progress)).await.map(|done| Finished::Import(Box::new(done)))
        })
    }))
}

/// Runs `work` in the background as the caller's job (the shift and KPI uploads alike) and
/// returns its id; the job's progress and result are kept for its page.
pub fn spawn(
    state: &AppState,
    me: &Me,
    work: impl FnOnce(ladder_import::ProgressFn) -> Work + Send + 'static,
) -> String {
    state.imports.prune(std::time::Instant::now());
    let id = crate::auth::new_secret();
    state.imports.0.lock().expect("jobs lock").insert(id.clone(), Job::new(me.user.id));
    let (state, job) = (state.clone(), id.clone());
    tokio::spawn(async move {
        let jobs = state.imports.clone();
        let for_progress = job.clone();
        let progress: ladder_import::ProgressFn =
            Arc::new(move |p: &Progress| jobs.update(&for_progress, |j| j.progress = Some(*p)));
        let result = work(progress).await;
        // No response carries this failure to the logging layer, so its cause is logged here.
        if let Some(cause) = result.as_ref().err().and_then(|e| e.cause.as_ref()) {
            cause.log();
        }
        state.imports.update(&job, |j| {
            j.finished = Some(std::time::Instant::now());
            match result {
                Ok(Finished::Import(done)) => {
                    j.report = Some(done.report);
                    j.rejects = done.rejects;
                }
                Ok(Finished::Shifts(report)) => j.shifts = Some(report),
                Err(e) => j.error = Some(e.message),
            }
        });
    });
    id
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn job(finished: Option<Instant>) -> Job {
        Job { finished, ..Job::new(ladder_core::UserId(1)) }
    }

    #[test]
    fn finished_jobs_go_after_their_time_and_past_the_count_running_ones_stay() {
        let jobs = Jobs::default();
        let now = Instant::now() + JOB_TTL + Duration::from_secs(10);
        {
            let mut map = jobs.0.lock().unwrap();
            map.insert("old".into(), job(Some(now - JOB_TTL - Duration::from_secs(1))));
            map.insert("running".into(), job(None));
            for i in 0..MAX_FINISHED_JOBS + 2 {
                map.insert(format!("j{i}"), job(Some(now - Duration::from_secs(1000 - i as u64))));
            }
        }
        jobs.prune(now);
        let map = jobs.0.lock().unwrap();
        assert!(!map.contains_key("old") && map.contains_key("running"));
        assert_eq!(map.len(), MAX_FINISHED_JOBS + 1);
        assert!(!map.contains_key("j0") && !map.contains_key("j1") && map.contains_key("j2"), "the oldest go");
    }
}
