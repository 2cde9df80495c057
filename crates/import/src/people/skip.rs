//! `--skip-bad-rows` for a people file: the rows whose problems need the stored state (a team
//! leader no one is, a change the importer may not make) are left out too, and then the rows
//! those leave without their leader, until what is left passes; the rows left out go to the
//! rejects file as they were, with a reason column.

use std::collections::BTreeSet;

use super::compare::{self, Index};
use super::mapping::PeopleMapping;
use super::places;
use super::rows::FileRows;
use crate::read::{Input, Table};
use crate::rejects::Rejects;
use crate::report::{Kind, Report};
use crate::{ImportError, Options};

/// Each pass leaves out at least one row, so this bounds the work on a file where every row
/// depends on the one before (a long chain of leaders) — what is still bad after it blocks.
const MAX_PASSES: usize = 20;

/// Leaves out the rows the comparison with the stored state finds bad, adding their problems
/// to the report and to `file.rejected`.
pub(super) fn leave_out_bad_rows(file: &mut FileRows, index: &Index<'_>, opts: &Options, report: &mut Report) {
    let all = Options { max_problems: usize::MAX, ..opts.clone() };
    for _ in 0..MAX_PASSES {
        let mut scratch = Report::new(Kind::People, "", "", true);
        {
            let places = places::places_in(&file.rows);
            let links = places::links_in(&file.rows);
            compare::compare(file, index, &places, &links, &all, &mut scratch);
        }
        let in_file: BTreeSet<u64> = file.rows.iter().map(|r| r.row).collect();
        let bad: BTreeSet<u64> = scratch.problems.iter().map(|p| p.row).filter(|row| in_file.contains(row)).collect();
        if bad.is_empty() {
            return;
        }
        for p in scratch.problems.into_iter().filter(|p| bad.contains(&p.row)) {
            file.rejected.add(&p);
            report.add_problem(p, opts.max_problems);
        }
        file.rows.retain(|r| !bad.contains(&r.row));
    }
}

/// Writes the rows left out, as the file has them, to `opts.rejects`; the rows written.
pub(super) fn write_rejects(
    input: &Input,
    mapping: &PeopleMapping,
    file: &FileRows,
    opts: &Options,
) -> crate::Result<u64> {
    let Some(path) = opts.rejects.as_deref().filter(|_| !file.rejected.rows.is_empty()) else { return Ok(0) };
    let failed = |e: std::io::Error| ImportError::Reader(format!("writing the rejects file {}: {e}", path.display()));
    let mut out = Rejects::create(path).map_err(failed)?;
    let mut table = Table::open(input, &[mapping.names("code")])?;
    let last = *file.rejected.rows.keys().next_back().expect("not empty");
    while table.row() < last && table.next_row()? {
        if let Some(problems) = file.rejected.rows.get(&table.row()) {
            out.write(&table, problems).map_err(failed)?;
        }
    }
    out.finish().map_err(failed)
}
