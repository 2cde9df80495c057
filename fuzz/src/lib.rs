//! What the fuzz targets share: one SQLite database per fuzzing process, migrated and holding a
//! small organisation (the import tests' people file), and the import an upload runs, as a dry
//! run so every input meets the same database.

use std::sync::OnceLock;

use chrono::NaiveDate;
use ladder_core::Framework;
use ladder_import::{ImportError, Input, Mapping, Options, Report};
use ladder_store::db::StoreSettings;
use ladder_store::Db;

/// The people of crates/import/tests/data, so KPI rows can name real employees.
const PEOPLE: &[u8] = include_bytes!("../../crates/import/tests/data/people.csv");

pub struct Harness {
    pub rt: tokio::runtime::Runtime,
    pub db: Db,
    pub fw: Framework,
    _dir: tempfile::TempDir,
}

/// The process's harness, made on first use.
pub fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        let_calamine_unwind();
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let url = Db::sqlite_url(&dir.path().join("fuzz.db"));
        let settings = StoreSettings { sqlite_connections: 2, ..StoreSettings::default() };
        let db = rt.block_on(Db::connect_and_migrate_with(&url, &settings)).unwrap();
        let fw = Framework::default_framework();
        let seeded = rt.block_on(ladder_import::people::import(
            &db,
            &fw,
            &Input::bytes("people.csv", PEOPLE.to_vec()),
            &real_run(),
        ));
        assert!(seeded.as_ref().is_ok_and(|r| r.committed), "seeding the people failed: {seeded:?}");
        Harness { rt, db, fw, _dir: dir }
    })
}

/// libFuzzer's hook aborts on every panic. The import catches a panic in calamine (a damaged
/// workbook, `read::first_sheet`) and answers with an error about the file, so such a panic may
/// unwind to there; any other still aborts.
fn let_calamine_unwind() {
    let aborting = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !info.location().is_some_and(|l| l.file().contains("/calamine-")) {
            aborting(info);
        }
    }));
}

/// A fixed "today", so a run does not depend on the calendar.
fn real_run() -> Options {
    Options { today: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), ..Options::default() }
}

fn dry_run() -> Options {
    Options { dry_run: true, ..real_run() }
}

/// What the server does with an import's outcome: a report, a 400 (the file or the mapping),
/// or a 500. Any answer but a 500 is fine; a 500 (or a panic) is a finding.
fn check(result: ladder_import::Result<Report>) {
    match result {
        Ok(report) => {
            assert!(!report.committed, "a dry run committed");
            let _ = report.to_string();
        }
        Err(ImportError::Read(_) | ImportError::Mapping(_) | ImportError::Limit(_)) => {}
        Err(other) => panic!("an upload would get a 500: {other:?}"),
    }
}

/// A KPI upload: `name` decides CSV or XLSX, as the server's does.
pub fn kpi(name: &str, bytes: &[u8], mapping: &Mapping) {
    let h = harness();
    let input = Input::bytes(name, bytes.to_vec());
    check(h.rt.block_on(ladder_import::kpi::import(&h.db, &h.fw, mapping, &input, &dry_run())));
}

/// A people upload.
pub fn people(name: &str, bytes: &[u8]) {
    let h = harness();
    let input = Input::bytes(name, bytes.to_vec());
    check(h.rt.block_on(ladder_import::people::import(&h.db, &h.fw, &input, &dry_run())));
}

/// The mapping a KPI upload names (a preset), parsed once.
pub fn preset(name: &str) -> &'static Mapping {
    static PRESETS: OnceLock<Vec<Mapping>> = OnceLock::new();
    let all = PRESETS
        .get_or_init(|| ladder_import::mapping::PRESETS.iter().map(|(n, _)| Mapping::preset(n).unwrap()).collect());
    all.iter().find(|m| m.name == name).expect("a preset")
}
