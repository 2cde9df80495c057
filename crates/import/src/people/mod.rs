//! Importing people and structure: employees, sites, accounts, teams, reporting lines (who each
//! person's team leader is) and roles with their start dates.
//!
//! Employees are matched by `code`; sites by name, accounts by name within their site, teams by
//! name within their account. Columns a file leaves out are left as they are; a column present
//! with an empty cell clears the value (email, team, team leader). Files are small next to KPI
//! files, so the whole file is read and checked (`rows`), then compared in memory with what
//! is stored (`compare`); a real run then hands what changes (`changes`) to the store
//! (`ladder_store::org::bulk`), which writes it all in one transaction.

mod changes;
mod compare;
pub mod mapping;
mod places;
mod rows;
mod skip;

pub use mapping::PeopleMapping;

use std::time::Instant;

use ladder_core::Framework;
use ladder_store::audit::{self, ImportTouch};
use ladder_store::imports::{self, ImportLog, Outcome};
use ladder_store::{org, Db};

use crate::read::Input;
use crate::report::{Kind, Report};
use crate::{Options, Phase, Progress};

/// Imports a people file in Ladder's own columns.
pub async fn import(db: &Db, fw: &Framework, input: &Input, opts: &Options) -> crate::Result<Report> {
    import_mapped(db, fw, &PeopleMapping::default(), input, opts).await
}

/// Imports a people file whose columns a [`PeopleMapping`] names (an HR system's export).
pub async fn import_mapped(
    db: &Db,
    fw: &Framework,
    mapping: &PeopleMapping,
    input: &Input,
    opts: &Options,
) -> crate::Result<Report> {
    let started = Instant::now();
    let started_at = chrono::Utc::now();
    let mapping_name = if mapping.is_written() { mapping.name.as_str() } else { "people" };
    let mut report = Report::new(Kind::People, &input.name, mapping_name, opts.dry_run);

    // 1. Read and check every row on its own.
    let Some(mut file) = rows::read(input, fw, mapping, opts, &mut report)? else { return Ok(report) };
    let total_bytes = file.total_bytes;
    opts.report_progress(Progress::of_file(Phase::Summarising, report.rows, total_bytes, total_bytes));

    // 2. Compare with what the database holds.
    let stored = org::bulk::stored(db).await?;
    let index = compare::Index::new(&stored);
    keep_first_data_dates(&mut file, &index);
    if opts.skip_bad_rows {
        skip::leave_out_bad_rows(&mut file, &index, opts, &mut report);
        report.rows_rejected = file.rejected.count;
        report.rows_rejected_written = skip::write_rejects(input, mapping, &file, opts)?;
    }
    let places = places::places_in(&file.rows);
    let links = places::links_in(&file.rows);
    let problems_before = report.problem_count;
    let employees = compare::compare(&file, &index, &places, &links, opts, &mut report);
    // What is still wrong once the bad rows are out is the file's, not a row's.
    report.blocking += report.problem_count - problems_before;
    if opts.dry_run || !report.may_commit(opts.skip_bad_rows) {
        report.elapsed_ms = started.elapsed().as_millis() as u64;
        return Ok(report);
    }

    // 3. Write it all in one transaction.
    opts.report_progress(Progress::of_file(Phase::Finishing, report.rows, total_bytes, total_bytes));
    let changes = changes::changes(&file.rows, &index, &places, &links, &opts.organisation_name, opts.today);
    let sha256 = report.sha256.clone().unwrap_or_default();
    let outcome = Outcome {
        sha256: &sha256,
        rows: report.rows,
        new: employees.new,
        updated: employees.updated,
        unchanged: employees.unchanged,
    };
    let log = ImportLog {
        kind: Kind::People,
        file_name: &input.name,
        mapping: mapping_name,
        started_at,
        imported_by: opts.imported_by,
        outcome,
    };
    let mut tx = db.begin().await?;
    let touched = org::bulk::write(&mut tx, &changes).await?;
    org::bulk::hire_dates_from_first_data(&mut tx).await?;
    let import_id = imports::record(&mut tx, &log).await?;
    let touch = ImportTouch { import_id, kind: "people", file_name: &input.name, actor_id: opts.imported_by };
    audit::record_import(&mut tx, &touch, &touched).await?;
    // Team moves change the roll-ups.
    ladder_store::kra::figures_changed(&mut tx).await?;
    tx.commit().await?;
    report.committed = true;
    report.import_id = Some(import_id);
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    Ok(report)
}

/// A row without a hire date never loses a known one: someone stored with a given or derived
/// date keeps it (and, in the same role, the role's start), and someone whose date counts from
/// their first figures keeps that date, so importing the same file again changes nothing.
fn keep_first_data_dates(file: &mut rows::FileRows, index: &compare::Index<'_>) {
    for r in file.rows.iter_mut().filter(|r| r.hire_basis == rows::HireBasis::FirstData) {
        let Some(e) = index.by_code.get(r.code.as_str()) else { continue };
        if let Some(known) = rows::HireBasis::known(&e.hire_date_basis) {
            r.hire_date = e.hire_date;
            r.hire_basis = known;
            if !r.role_since_given && e.role_id == r.role {
                r.role_since = e.role_since;
            }
            continue;
        }
        if r.role_since_given {
            r.hire_date = e.hire_date.min(r.role_since);
        } else {
            r.hire_date = e.hire_date;
            if e.role_id == r.role {
                r.role_since = e.role_since;
            }
        }
    }
}
