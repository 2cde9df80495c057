//! KPI import: every kind of bad input names its row, column and value and leaves the database
//! as it was; re-imports change nothing; corrections change only what changed; dry runs write
//! nothing; the permission filter is applied per row.

use crate::common;

use std::sync::Arc;

use chrono::Datelike;

use common::*;
use ladder_core::{EmployeeId, TeamId};
use ladder_import::{Input, Options};

const GOOD: &str = "employee,date,metric,numerator,denominator
E1001,2025-03-03,aht,5400,10
E1001,2025-03-03,fcr,7,10
E1002,2025-03-03,aht,6000,12
E1003,2025-03-04,csat,8,10
E1003,2025-03-04,fatal-errors,1,
";

/// Imports the people and GOOD.
async fn import_march(db: &ladder_store::Db) {
    seed_people(db).await;
    let first = import_kpi(db, "ladder-long", csv("march.csv", GOOD), &options()).await;
    assert!(first.committed, "{first}");
}

/// GOOD with E1002's AHT of 3 March corrected (6000 → 6600 s) and a new day, 4 March.
fn corrected_march() -> Input {
    let corrected = GOOD.replace("E1002,2025-03-03,aht,6000,12", "E1002,2025-03-03,aht,6600,12");
    csv("march-fixed.csv", &format!("{corrected}E1002,2025-03-04,aht,3000,5\n"))
}

/// (what, file, options change, expected row, column, value, words in the message)
struct Case {
    what: &'static str,
    mapping: &'static str,
    file: String,
    period: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    row: u64,
    column: &'static str,
    value: &'static str,
    says: &'static str,
}

fn with_line(line: &str) -> String {
    format!("{GOOD}{line}\n")
}

fn cases() -> Vec<Case> {
    let case = |what, file: String, row, column, value, says| Case {
        what,
        mapping: "ladder-long",
        file,
        period: None,
        row,
        column,
        value,
        says,
    };
    vec![
        case(
            "missing column",
            GOOD.replace(",denominator", "").replace(",10\n", "\n"),
            1,
            "denominator",
            "",
            "missing column",
        ),
        case("unknown employee", with_line("E9999,2025-03-05,aht,100,1"), 7, "employee", "E9999", "unknown employee"),
        case("bad number", with_line("E1002,2025-03-05,aht,54x0,10"), 7, "numerator", "54x0", "not a number"),
        case("duplicate row", with_line("E1001,2025-03-03,fcr,8,10"), 7, "metric", "fcr", "duplicate row"),
        case("denominator zero", with_line("E1002,2025-03-05,aht,5400,0"), 7, "denominator", "0", "zero"),
        case("future date", with_line("E1002,2026-02-02,aht,5400,10"), 7, "date", "2026-02-02", "in the future"),
        case("before hire date", with_line("E1003,2024-03-01,aht,5400,10"), 7, "date", "2024-03-01", "hire date"),
        case("bad date", with_line("E1002,2025-02-30,aht,5400,10"), 7, "date", "2025-02-30", "not a date"),
        case("unknown metric", with_line("E1002,2025-03-05,speed,1,1"), 7, "metric", "speed", "unknown metric"),
        case("share above 100 %", with_line("E1002,2025-03-05,fcr,12,10"), 7, "numerator", "12", "cannot exceed"),
        case("negative", with_line("E1002,2025-03-05,aht,-5,10"), 7, "numerator", "-5", "negative"),
        Case {
            what: "outside the import period",
            period: Some((day(2025, 3, 1), day(2025, 3, 31))),
            ..case("", with_line("E1002,2025-02-28,aht,5400,10"), 7, "date", "2025-02-28", "outside the import period")
        },
        Case {
            what: "a day in a monthly file",
            mapping: "ladder-monthly",
            ..case(
                "",
                "employee,month,metric,numerator,denominator\nE1001,2025-03,aht,5400,10\nE1001,2025-03-15,fcr,7,10\n"
                    .to_string(),
                3,
                "month",
                "2025-03-15",
                "monthly file needs a month",
            )
        },
    ]
}

#[tokio::test]
async fn every_bad_input_is_named_and_nothing_is_written() {
    each_backend(async |t| {
        let backend = t.backend;
        seed_people(&t.db).await;
        // Something already there, which a failed import must leave alone.
        let base = import_kpi(
            &t.db,
            "ladder-long",
            csv("base.csv", "employee,date,metric,numerator,denominator\nE1001,2025-02-03,aht,100,1\n"),
            &options(),
        )
        .await;
        assert!(base.committed, "{base}");
        let before = dump(&t.db).await;
        for c in cases() {
            let opts = Options { period: c.period, ..options() };
            let r = import_kpi(&t.db, c.mapping, csv("bad.csv", &c.file), &opts).await;
            assert!(!r.committed, "{backend:?} {}: committed despite a problem", c.what);
            assert_eq!(r.problem_count, 1, "{backend:?} {}: {r}", c.what);
            let p = &r.problems[0];
            assert_eq!(
                (p.row, p.column.as_str(), p.value.as_str()),
                (c.row, c.column, c.value),
                "{backend:?} {}: {p}",
                c.what
            );
            assert!(p.message.contains(c.says), "{backend:?} {}: '{}' should say '{}'", c.what, p.message, c.says);
            assert_eq!(dump(&t.db).await, before, "{backend:?} {}: the database changed", c.what);
        }
        assert_eq!(count(&t.db, "imports").await, 2, "people + base only: failed imports are not logged");
    })
    .await;
}

#[tokio::test]
async fn reimporting_the_same_file_changes_nothing() {
    each_backend(async |t| {
        let backend = t.backend;
        seed_people(&t.db).await;
        let first = import_kpi(&t.db, "ladder-long", csv("march.csv", GOOD), &options()).await;
        assert!(first.committed, "{first}");
        assert_eq!(first.counts("daily facts").unwrap(), ladder_import::Counts { new: 5, updated: 0, unchanged: 0 });
        assert_eq!(first.counts("monthly actuals").unwrap().new, 5);
        // A plain sum keeps no denominator.
        assert_eq!(monthly(&t.db, "E1003", day(2025, 3, 1), "fatal-errors").await, Some((1.0, 0.0)));
        let after_first = dump(&t.db).await;
        let second = import_kpi(&t.db, "ladder-long", csv("march.csv", GOOD), &options()).await;
        assert!(second.committed, "{second}");
        assert_eq!(second.counts("daily facts").unwrap(), ladder_import::Counts { new: 0, updated: 0, unchanged: 5 });
        assert_eq!(second.counts("monthly actuals").unwrap().changed(), 0);
        assert_eq!(dump(&t.db).await, after_first, "{backend:?}: the second import changed the data");
    })
    .await;
}

#[tokio::test]
async fn exports_with_different_metrics_fill_the_same_month_and_each_keeps_its_file() {
    each_backend(async |t| {
        let backend = t.backend;
        seed_people(&t.db).await;
        let handle_time =
            "employee,date,metric,numerator,denominator\nE1001,2025-03-03,aht,5400,10\nE1001,2025-03-04,aht,600,2\n";
        let resolution = "employee,date,metric,numerator,denominator\nE1001,2025-03-03,fcr,7,10\n";
        for (file, text) in [("wfm.csv", handle_time), ("acd.csv", resolution)] {
            let r = import_kpi(&t.db, "ladder-long", csv(file, text), &options()).await;
            assert!(r.committed, "{r}");
        }
        let facts = |rows: Vec<(String, chrono::NaiveDate, String, f64, f64, String)>| {
            rows.into_iter().map(|(_, day, metric, n, d, file)| (day.day(), metric, n, d, file)).collect::<Vec<_>>()
        };
        let expected = vec![
            (3, "aht".to_string(), 5400.0, 10.0, "wfm.csv".to_string()),
            (3, "fcr".to_string(), 7.0, 10.0, "acd.csv".to_string()),
            (4, "aht".to_string(), 600.0, 2.0, "wfm.csv".to_string()),
        ];
        assert_eq!(facts(daily(&t.db).await), expected, "{backend:?}");
        assert_eq!(monthly(&t.db, "E1001", day(2025, 3, 1), "aht").await, Some((6000.0, 12.0)));
        assert_eq!(monthly(&t.db, "E1001", day(2025, 3, 1), "fcr").await, Some((7.0, 10.0)));

        // The first export again changes nothing, and the second's metric still names its file.
        let again = import_kpi(&t.db, "ladder-long", csv("wfm-again.csv", handle_time), &options()).await;
        assert_eq!(again.counts("daily facts").unwrap(), ladder_import::Counts { new: 0, updated: 0, unchanged: 2 });
        assert_eq!(facts(daily(&t.db).await), expected, "{backend:?}");
    })
    .await;
}

#[tokio::test]
async fn a_corrected_file_updates_just_what_changed() {
    each_backend(async |t| {
        let backend = t.backend;
        import_march(&t.db).await;
        let before = dump(&t.db).await;
        let r = import_kpi(&t.db, "ladder-long", corrected_march(), &options()).await;
        assert!(r.committed, "{r}");
        assert_eq!(r.counts("daily facts").unwrap(), ladder_import::Counts { new: 1, updated: 1, unchanged: 4 });
        let m = r.counts("monthly actuals").unwrap();
        assert_eq!((m.new, m.updated), (0, 1), "{r}");
        assert_eq!(monthly(&t.db, "E1002", day(2025, 3, 1), "aht").await, Some((9600.0, 17.0)));
        let after = dump(&t.db).await;
        let changed: Vec<&String> = after.iter().filter(|l| !before.contains(l)).collect();
        // The corrected day, the new day, and E1002's March AHT; nothing else.
        assert_eq!(changed.len(), 3, "{backend:?}: {changed:#?}");
        assert!(changed.iter().all(|l| l.contains("\"E1002\"")), "{changed:#?}");
    })
    .await;
}

#[tokio::test]
async fn days_stored_in_the_first_layout_are_merged_and_rewritten_in_the_compact_one() {
    each_backend(async |t| {
        let backend = t.backend;
        import_march(&t.db).await;
        // E1002's March AHT as a database from before the compact layout holds it: a day mask,
        // then 16 bytes of f64 sums a day, bit 31 clear; with a 9th day the file does not have.
        let e1002 = ladder_store::org::employee_by_code(&t.db, "E1002").await.unwrap().id;
        let mut first_layout = (1u32 << 2 | 1 << 8).to_le_bytes().to_vec();
        for sum in [6000f64, 12.0, 100.0, 1.0] {
            first_layout.extend_from_slice(&sum.to_le_bytes());
        }
        let month = day(2025, 3, 1);
        let stored = common::employee_month(&t.db, e1002, month).await;
        let mut metrics = ladder_store::daily::unpack_metrics(&stored).unwrap();
        metrics.iter_mut().find(|m| m.metric == "aht").unwrap().days = &first_layout;
        let rewritten = ladder_store::on_db!(&t.db, p => sqlx::query(
            "UPDATE kpi_employee_months SET metrics = $1 WHERE employee_id = $2 AND month = $3")
            .bind(ladder_store::daily::pack_metrics(metrics)).bind(e1002).bind(month).execute(p).await.unwrap().rows_affected());
        assert_eq!(rewritten, 1);

        let r = import_kpi(&t.db, "ladder-long", corrected_march(), &options()).await;

        assert!(r.committed, "{r}");
        assert_eq!(r.counts("daily facts").unwrap(), ladder_import::Counts { new: 1, updated: 1, unchanged: 4 });
        assert_eq!(monthly(&t.db, "E1002", day(2025, 3, 1), "aht").await, Some((9700.0, 18.0)));
        let stored = common::employee_month(&t.db, e1002, month).await;
        let metrics = ladder_store::daily::unpack_metrics(&stored).unwrap();
        let days = metrics.iter().find(|m| m.metric == "aht").unwrap().days;
        assert_ne!(days[3] & 0x80, 0, "{backend:?}: rewritten in the compact layout");
        let stored: Vec<(u32, f64, f64)> = ladder_store::daily::MonthDays::decode(days).unwrap().iter().collect();
        assert_eq!(stored, vec![(3, 6600.0, 12.0), (4, 3000.0, 5.0), (9, 100.0, 1.0)]);
    })
    .await;
}

#[tokio::test]
async fn a_dry_run_reports_and_writes_nothing() {
    each_backend(async |t| {
        seed_people(&t.db).await;
        let before = dump(&t.db).await;
        let opts = Options { dry_run: true, ..options() };
        let bad = format!("{GOOD}E9999,2025-03-05,aht,1,1\n");
        let r = import_kpi(&t.db, "ladder-long", csv("march.csv", &bad), &opts).await;
        assert!(!r.committed && r.import_id.is_none());
        assert_eq!(r.counts("daily facts").unwrap().new, 5, "the good rows are counted: {r}");
        assert_eq!(r.problems.len(), 1);
        assert!(r.to_string().contains("row 7, column 'employee', value 'E9999'"), "{r}");
        assert_eq!(dump(&t.db).await, before);
        assert_eq!(count(&t.db, "kpi_employee_months").await, 0);
    })
    .await;
}

#[tokio::test]
async fn rows_outside_the_callers_people_are_refused() {
    each_backend(async |t| {
        seed_people(&t.db).await;
        let e1001 = ladder_store::org::employee_by_code(&t.db, "E1001").await.unwrap();
        let team = e1001.team_id;
        // A team leader of T1 may import for T1 only.
        let opts = Options { allowed: Some(Arc::new(move |e| e.team_id == team)), ..options() };
        let r = import_kpi(&t.db, "ladder-long", csv("march.csv", GOOD), &opts).await;
        assert!(!r.committed);
        let refused: Vec<(u64, &str)> = r.problems.iter().map(|p| (p.row, p.value.as_str())).collect();
        assert_eq!(refused, vec![(5, "E1003"), (6, "E1003")], "{r}");
        assert!(r.problems[0].message.contains("not allowed"));
        assert_eq!(count(&t.db, "kpi_employee_months").await, 0);
        let mine: String = GOOD.lines().filter(|l| !l.starts_with("E1003")).map(|l| format!("{l}\n")).collect();
        let r = import_kpi(&t.db, "ladder-long", csv("mine.csv", &mine), &opts).await;
        assert!(r.committed, "{r}");
    })
    .await;
}

#[tokio::test]
async fn monthly_files_go_straight_to_the_monthly_actuals() {
    each_backend(async |t| {
        seed_people(&t.db).await;
        let file = "employee,month,metric,numerator,denominator\nE1001,2025-03,aht,54000,100\nE1001,2025-03,qa-score,170,200\n";
        let r = import_kpi(&t.db, "ladder-monthly", csv("march.csv", file), &options()).await;
        assert!(r.committed, "{r}");
        assert_eq!(r.counts("monthly actuals").unwrap().new, 2);
        assert_eq!(monthly(&t.db, "E1001", day(2025, 3, 1), "qa-score").await, Some((170.0, 200.0)));
        assert_eq!(count(&t.db, "kpi_employee_months").await, 0);
        let again = import_kpi(&t.db, "ladder-monthly", csv("march.csv", file), &options()).await;
        assert_eq!(again.counts("monthly actuals").unwrap().unchanged, 2, "{again}");
    })
    .await;
}

#[tokio::test]
async fn generated_errors_are_found_on_the_rows_they_were_put() {
    let org = ladder_import::gen::Org { agents: 24, seed: 5, year: 2025 };
    let (mut people, mut kpi) = (Vec::new(), Vec::new());
    org.write_people(&mut people).unwrap();
    let spoiled = org.write_kpi(&mut kpi, 6).unwrap();
    let kpi = Arc::new(kpi);
    each_backend(async |t| {
        let backend = t.backend;
        let r = import_people(&t.db, Input::bytes("people.csv", people.clone())).await;
        assert!(r.committed, "{r}");
        assert_eq!(r.counts("employees").unwrap().new, 26, "24 agents and 2 team leaders");
        let input = Input { name: "kpi.csv".into(), data: ladder_import::read::InputData::Bytes(kpi.clone()) };
        let r = import_kpi(&t.db, "ladder-wide", input, &options()).await;
        let found: Vec<u64> = r.problems.iter().map(|p| p.row).collect();
        let expected: Vec<u64> = spoiled.iter().map(|(row, _)| *row).collect();
        assert_eq!(found, expected, "{backend:?}: {r}");
        assert_eq!(count(&t.db, "kpi_employee_months").await, 0);
    })
    .await;
}

#[tokio::test]
async fn a_file_of_several_batches_is_written_whole_and_reimports_unchanged() {
    // 120 agents × 12 months × 6 metrics, in batches of about 50 (employee, month, metric)
    // groups: a month is 15 batches, each merged while the one before is written, so an
    // employee's month split between two batches would lose the first one's metrics.
    let org = ladder_import::gen::Org { agents: 120, seed: 11, year: 2025 };
    let (mut people, mut kpi) = (Vec::new(), Vec::new());
    org.write_people(&mut people).unwrap();
    org.write_kpi(&mut kpi, 0).unwrap();
    let kpi = Arc::new(kpi);
    let input = || Input { name: "kpi.csv".into(), data: ladder_import::read::InputData::Bytes(kpi.clone()) };
    let small_batches = Options { groups_per_batch: 50, ..options() };
    each_backend(async |t| {
        let backend = t.backend;
        assert!(import_people(&t.db, Input::bytes("people.csv", people.clone())).await.committed);

        let first = import_kpi(&t.db, "ladder-wide", input(), &small_batches).await;
        assert!(first.committed, "{first}");
        let facts = first.counts("daily facts").unwrap();
        let monthly = first.counts("monthly actuals").unwrap();
        assert!(monthly.new > 8_000, "{backend:?}: {first}");
        assert_eq!((facts.updated, facts.unchanged, monthly.updated), (0, 0, 0), "{first}");
        assert_eq!(daily(&t.db).await.len() as u64, facts.new, "every fact stored once");
        assert_eq!(monthly_sums(&t.db).await.len() as u64, monthly.new, "every monthly figure readable once");
        assert_eq!(count(&t.db, "kra_actuals").await, 0, "a daily file's figures stay with their days");

        // Whole months at a time, then small batches again: nothing to change either way.
        for opts in [options(), small_batches.clone()] {
            let again = import_kpi(&t.db, "ladder-wide", input(), &opts).await;
            assert!(again.committed, "{again}");
            assert_eq!(
                again.counts("daily facts").unwrap(),
                ladder_import::Counts { unchanged: facts.new, ..Default::default() }
            );
            assert_eq!(again.counts("monthly actuals").unwrap().changed(), 0, "{again}");
        }
    })
    .await;
}

/// Every monthly sum as the store reads it: (code, month, metric, numerator, denominator, source).
async fn monthly_sums(db: &ladder_store::Db) -> Vec<(String, chrono::NaiveDate, String, f64, f64, String)> {
    let people: Vec<(EmployeeId, String)> = ladder_store::on_db!(db, p =>
        sqlx::query_as("SELECT id, code FROM employees ORDER BY code").fetch_all(p).await.unwrap());
    let (ids, codes): (Vec<EmployeeId>, std::collections::HashMap<EmployeeId, String>) =
        (people.iter().map(|p| p.0).collect(), people.into_iter().collect());
    let (from, through) = (day(1900, 1, 1), day(2999, 12, 1));
    let mut sums: Vec<_> = ladder_store::kra::actuals_of(db, &ids, from, through)
        .await
        .unwrap()
        .into_iter()
        .map(|a| {
            (
                codes[&a.employee_id].clone(),
                a.month,
                a.metric,
                a.numerator,
                a.denominator,
                a.source.as_str().to_string(),
            )
        })
        .collect();
    sums.sort_by(|a, b| (&a.0, a.1, &a.2).cmp(&(&b.0, b.1, &b.2)));
    sums
}

/// A generated year for `agents` agents: the people file, and the KPI file's header and rows
/// (in date order, as `gen` writes them and platforms export them).
fn generated_year(agents: usize) -> (Vec<u8>, String, Vec<String>) {
    let org = ladder_import::gen::Org { agents, seed: 5, year: 2025 };
    let (mut people, mut kpi) = (Vec::new(), Vec::new());
    org.write_people(&mut people).unwrap();
    org.write_kpi(&mut kpi, 0).unwrap();
    let kpi = String::from_utf8(kpi).unwrap();
    let mut lines = kpi.lines().map(str::to_string);
    let header = lines.next().unwrap();
    (people, header, lines.collect())
}

fn kpi_file(header: &str, rows: &[String]) -> Input {
    csv("year.csv", &format!("{header}\n{}\n", rows.join("\n")))
}

#[tokio::test]
async fn a_file_out_of_date_order_is_read_again_and_stored_the_same() {
    let (people, header, rows) = generated_year(30);
    let mut by_employee = rows.clone();
    // The employee code comes first in every row: a year per agent, agent after agent.
    by_employee.sort_by(|a, b| a.split(',').next().cmp(&b.split(',').next()));
    assert_ne!(by_employee, rows);
    let dry_run = Options { dry_run: true, ..options() };
    each_backend(async |ordered| {
        let backend = ordered.backend;
        let unordered = TestDb::new(backend).await;
        for t in [&ordered, &unordered] {
            assert!(import_people(&t.db, Input::bytes("people.csv", people.clone())).await.committed);
        }
        let dry = import_kpi(&unordered.db, "ladder-wide", kpi_file(&header, &by_employee), &dry_run).await;
        assert_eq!(
            (dry.reads, dry.committed, count(&unordered.db, "kpi_employee_months").await),
            (2, false, 0),
            "{dry}"
        );

        let writing = Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = writing.clone();
        let watched = Options {
            progress: Some(Arc::new(move |p: &ladder_import::Progress| {
                if p.phase == ladder_import::Phase::Writing {
                    seen.lock().unwrap().push(p.to_write);
                }
            })),
            ..options()
        };
        let first = import_kpi(&ordered.db, "ladder-wide", kpi_file(&header, &rows), &watched).await;
        let second = import_kpi(&unordered.db, "ladder-wide", kpi_file(&header, &by_employee), &options()).await;
        assert!(first.committed && second.committed, "{first}\n{second}");
        assert_eq!(first.reads, 1, "a file in date order is read once");
        // The months before were written while the file was read: what is left to write once it
        // is read is December's facts alone.
        let december = daily(&ordered.db).await.iter().filter(|f| f.1.month() == 12).count() as u64;
        let to_write = writing.lock().unwrap().clone();
        assert!(!to_write.is_empty() && to_write.iter().all(|&n| n == december), "{to_write:?} vs {december}");
        assert_eq!(second.reads, 2, "{second}");
        assert!(second.to_string().contains("not in date order, so the file was read 2 times"), "{second}");
        assert_eq!(first.counts, second.counts);
        assert_eq!(first.counts, dry.counts, "the dry run counted what the real run did");
        assert_eq!(daily(&ordered.db).await, daily(&unordered.db).await, "{backend:?}");
        assert_eq!(monthly_sums(&ordered.db).await, monthly_sums(&unordered.db).await, "{backend:?}");
        assert_eq!(count(&unordered.db, "imports").await, 2, "people and one KPI import: the first read left nothing");

        // Each order re-imported over the other's rows changes nothing.
        let facts = first.counts("daily facts").unwrap();
        for (t, file) in [(&ordered, kpi_file(&header, &by_employee)), (&unordered, kpi_file(&header, &rows))] {
            let again = import_kpi(&t.db, "ladder-wide", file, &options()).await;
            let unchanged = ladder_import::Counts { unchanged: facts.new, ..Default::default() };
            assert_eq!(again.counts("daily facts").unwrap(), unchanged, "{again}");
            assert_eq!(again.counts("monthly actuals").unwrap().changed(), 0, "{again}");
        }
        unordered.clean_up().await;
    })
    .await;
}

#[tokio::test]
async fn a_bad_last_row_of_a_file_in_date_order_leaves_nothing() {
    let (people, header, mut rows) = generated_year(20);
    // December's last row gets a bad number of contacts: by then the eleven months before were
    // cut off and handed to the writer (the test above shows a file in date order is written so).
    let mut last: Vec<String> = rows.pop().unwrap().split(',').map(str::to_string).collect();
    last[2] = "many".into();
    rows.push(last.join(","));
    each_backend(async |t| {
        let backend = t.backend;
        assert!(import_people(&t.db, Input::bytes("people.csv", people.clone())).await.committed);
        let before = dump(&t.db).await;
        let imports = count(&t.db, "imports").await;
        let r = import_kpi(&t.db, "ladder-wide", kpi_file(&header, &rows), &options()).await;
        assert!(!r.committed && r.problem_count == 1, "{r}");
        assert!(r.counts.is_empty(), "what was written before the problem is not counted: {r}");
        assert_eq!(r.problems[0].row, rows.len() as u64 + 1, "{r}");
        assert_eq!(dump(&t.db).await, before, "{backend:?}");
        assert_eq!(count(&t.db, "imports").await, imports, "not even the import's own row");
    })
    .await;
}

#[tokio::test]
async fn a_figure_is_kept_in_one_place_whichever_came_last() {
    use ladder_store::kra::{put_manual, ManualFigure};
    use ladder_store::StoreError;
    let march = day(2025, 3, 1);
    each_backend(async |t| {
        let backend = t.backend;
        import_march(&t.db).await;
        let db = &t.db;
        let id = |code: &'static str| async move {
            ladder_store::on_db!(db, p => sqlx::query_scalar::<_, EmployeeId>("SELECT id FROM employees WHERE code = $1")
                .bind(code).fetch_one(p).await.unwrap())
        };
        assert_eq!(count(db, "kra_actuals").await, 0, "{backend:?}: a daily file's figures stay with their days");
        let figure =
            |metric: &str, numerator, denominator| ManualFigure { metric: metric.into(), numerator, denominator };

        // Imported days cannot be overwritten by hand.
        let typed = put_manual(db, id("E1001").await, march, &[figure("aht", 1.0, 1.0)], None).await;
        assert!(matches!(typed, Err(StoreError::Conflict(_))), "{backend:?}: {typed:?}");

        // A monthly file after the days: a figure that differs replaces theirs, one equal to
        // their total changes nothing; the other metric's days stay.
        let monthly_file = "employee,month,metric,numerator,denominator
E1001,2025-03,aht,9999,20
E1001,2025-03,fcr,7,10
E1003,2025-03,csat,9,10
E1003,2025-03,fatal-errors,2,
";
        let r = import_kpi(db, "ladder-monthly", csv("march-monthly.csv", monthly_file), &options()).await;
        assert!(r.committed, "{r}");
        let figures = r.counts("monthly actuals").unwrap();
        assert_eq!(figures, ladder_import::Counts { new: 0, updated: 3, unchanged: 1 }, "{backend:?}: {r}");
        assert_eq!(monthly(db, "E1001", march, "aht").await, Some((9999.0, 20.0)));
        assert_eq!(monthly(db, "E1001", march, "fcr").await, Some((7.0, 10.0)), "days of another metric stay");
        let days: Vec<_> = daily(db).await.into_iter().map(|(code, _, metric, ..)| (code, metric)).collect();
        assert_eq!(days, vec![("E1001".into(), "fcr".into()), ("E1002".into(), "aht".into())], "{backend:?}");
        assert_eq!(count(db, "kpi_employee_months").await, 2, "E1003's month had no metric left");
        assert_eq!(monthly_sums(db).await.len(), 5, "one figure each");

        // A typed-in figure where nothing was imported, then daily days for it.
        put_manual(db, id("E1002").await, march, &[figure("qa-score", 45.0, 50.0)], None).await.unwrap();
        let days_again = format!("{GOOD}E1002,2025-03-05,qa-score,90,100\n");
        let r = import_kpi(db, "ladder-long", csv("march-again.csv", &days_again), &options()).await;
        assert!(!r.committed && r.replacement_count == 4, "{backend:?}: days over monthly figures are refused: {r}");
        // Chosen: they replace them.
        let replace = Options { replace_months: true, ..options() };
        let r = import_kpi(db, "ladder-long", csv("march-again.csv", &days_again), &replace).await;
        assert!(r.committed, "{r}");
        assert_eq!(r.counts("daily facts").unwrap(), ladder_import::Counts { new: 4, updated: 0, unchanged: 2 }, "{r}");
        // E1001 aht and E1003's two replace monthly rows; E1002 qa-score replaces the typed one.
        assert_eq!(
            r.counts("monthly actuals").unwrap(),
            ladder_import::Counts { new: 0, updated: 4, unchanged: 2 },
            "{r}"
        );
        assert_eq!(monthly(db, "E1001", march, "aht").await, Some((5400.0, 10.0)));
        assert_eq!(monthly(db, "E1002", march, "qa-score").await, Some((90.0, 100.0)));
        assert_eq!(monthly(db, "E1003", march, "csat").await, Some((8.0, 10.0)));
        assert_eq!(count(db, "kra_actuals").await, 0, "{backend:?}: every monthly row was replaced");
        assert_eq!(monthly_sums(db).await.len(), 6, "one figure each");
    })
    .await;
}

#[tokio::test]
async fn roll_ups_add_up_both_places_and_count_each_person_once() {
    use ladder_store::kra::{put_manual, rollup, Level, ManualFigure};
    each_backend(async |t| {
        let backend = t.backend;
        import_march(&t.db).await;
        let db = &t.db;
        let ana: EmployeeId = ladder_store::on_db!(db, p => sqlx::query_scalar("SELECT id FROM employees WHERE code = 'E1001'")
            .fetch_one(p).await.unwrap());
        // February typed in, March imported day by day.
        let typed = ManualFigure { metric: "fcr".into(), numerator: 3.0, denominator: 10.0 };
        put_manual(db, ana, day(2025, 2, 1), &[typed], None).await.unwrap();

        let sums = rollup(db, Level::Site, day(2025, 2, 1), day(2025, 3, 1), None).await.unwrap();
        let of = |metric: &str| {
            let found: Vec<_> =
                sums.iter().filter(|s| s.metric == metric).map(|s| (s.numerator, s.denominator, s.people)).collect();
            found
        };
        assert_eq!(of("fcr"), vec![(10.0, 20.0, 1)], "{backend:?}: {sums:?}");
        assert_eq!(of("aht"), vec![(11400.0, 22.0, 2)], "{backend:?}: Ana's and Ben's days");
        assert_eq!(of("csat"), vec![(8.0, 10.0, 1)]);

        // Scoped to team T2: Cora's figures only.
        let t2: TeamId = ladder_store::on_db!(db, p => sqlx::query_scalar("SELECT team_id FROM employees WHERE code = 'E1003'")
            .fetch_one(p).await.unwrap());
        let team = rollup(db, Level::Team, day(2025, 2, 1), day(2025, 3, 1), Some(&[t2])).await.unwrap();
        let metrics: Vec<(&str, i64)> = team.iter().map(|s| (s.metric.as_str(), s.group_id)).collect();
        assert_eq!(metrics, vec![("csat", t2.0), ("fatal-errors", t2.0)], "{backend:?}");

        // Ana's April days too: her two months of days add up, and she still counts once.
        let april = "employee,date,metric,numerator,denominator\nE1001,2025-04-02,aht,600,2\n";
        let r = import_kpi(db, "ladder-long", csv("april.csv", april), &options()).await;
        assert!(r.committed, "{r}");
        let sums = rollup(db, Level::Site, day(2025, 3, 1), day(2025, 4, 1), None).await.unwrap();
        let aht: Vec<_> =
            sums.iter().filter(|s| s.metric == "aht").map(|s| (s.numerator, s.denominator, s.people)).collect();
        assert_eq!(aht, vec![(12000.0, 24.0, 2)], "{backend:?}: {sums:?}");
    })
    .await;
}

/// A transaction on PostgreSQL holding the figures lock as `lock` takes it (as an import or
/// hand entry in progress would), with `write` run in it; None on SQLite.
async fn holding_figures_lock(
    db: &ladder_store::Db,
    lock: &str,
    write: sqlx::query::Query<'_, sqlx::Postgres, sqlx::postgres::PgArguments>,
) -> Option<sqlx::Transaction<'static, sqlx::Postgres>> {
    let ladder_store::Db::Postgres(p) = db else { return None };
    let mut tx = p.begin().await.unwrap();
    sqlx::query(&format!("SELECT {lock}($1)")).bind(ladder_store::kra::FIGURES_LOCK).execute(&mut *tx).await.unwrap();
    write.execute(&mut *tx).await.unwrap();
    Some(tx)
}

/// March imported into a fresh PostgreSQL database (`None` where PostgreSQL is not tested), and
/// the id of E1003, whose April the lock tests write.
async fn march_on_postgres() -> Option<(TestDb, EmployeeId)> {
    if !backends().await.contains(&Backend::Postgres) {
        return None;
    }
    let t = TestDb::new(Backend::Postgres).await;
    import_march(&t.db).await;
    let sql = "SELECT id FROM employees WHERE code = 'E1003'";
    let cora = ladder_store::on_db!(&t.db, p => sqlx::query_scalar(sql).fetch_one(p).await.unwrap());
    Some((t, cora))
}

/// Long enough for the waiting side to have written, had it not waited.
const A_WHILE: std::time::Duration = std::time::Duration::from_millis(300);

#[tokio::test]
async fn on_postgres_typing_in_waits_for_an_import_in_progress_and_then_finds_its_days() {
    use ladder_store::daily::{pack_metrics, MetricDays, MonthDays};
    use ladder_store::kra::{put_manual, ManualFigure};
    let Some((t, cora)) = march_on_postgres().await else { return };
    let (db, april) = (t.db.clone(), day(2025, 4, 1));
    let mut days = MonthDays::default();
    days.set(7, (9.0, 10.0));
    let days = days.encode();
    let packed = pack_metrics(vec![MetricDays { metric: "csat", import_id: None, days: &days }]);
    // An import that has written April's days and not yet committed.
    let import = holding_figures_lock(
        &db,
        "pg_advisory_xact_lock",
        sqlx::query("INSERT INTO kpi_employee_months (employee_id, month, metrics) VALUES ($1, $2, $3)")
            .bind(cora)
            .bind(april)
            .bind(packed),
    )
    .await
    .unwrap();
    let typing = {
        let db = db.clone();
        tokio::spawn(async move {
            let typed = ManualFigure { metric: "csat".into(), numerator: 5.0, denominator: 10.0 };
            put_manual(&db, cora, april, &[typed], None).await
        })
    };
    tokio::time::sleep(A_WHILE).await;
    assert!(!typing.is_finished(), "hand entry waits for the import");
    import.commit().await.unwrap();

    let typed = typing.await.unwrap();
    assert!(matches!(typed, Err(ladder_store::StoreError::Conflict(_))), "{typed:?}");
    assert_eq!(monthly(&db, "E1003", april, "csat").await, Some((9.0, 10.0)), "the imported days, once");
    assert_eq!(count(&db, "kra_actuals").await, 0, "nothing typed in beside them");
    t.clean_up().await;
}

#[tokio::test]
async fn on_postgres_an_import_waits_for_typing_in_progress_and_then_its_days_replace_the_typed_figure() {
    let Some((t, cora)) = march_on_postgres().await else { return };
    let (db, april) = (t.db.clone(), day(2025, 4, 1));
    // Hand entry that has written April's figure and not yet committed.
    let typing = holding_figures_lock(
        &db,
        "pg_advisory_xact_lock_shared",
        sqlx::query(
            "INSERT INTO kra_actuals (employee_id, month, metric, numerator, denominator, source, updated_at)
             VALUES ($1, $2, 'csat', 5, 10, 'manual', now())",
        )
        .bind(cora)
        .bind(april),
    )
    .await
    .unwrap();
    let importing = {
        let db = db.clone();
        tokio::spawn(async move {
            let file = format!("{GOOD}E1003,2025-04-07,csat,9,10\n");
            let replace = Options { replace_months: true, ..options() };
            import_kpi(&db, "ladder-long", csv("april.csv", &file), &replace).await
        })
    };
    tokio::time::sleep(A_WHILE).await;
    assert!(!importing.is_finished(), "the import waits for hand entry");
    typing.commit().await.unwrap();

    let r = importing.await.unwrap();
    assert!(r.committed, "{r}");
    assert_eq!(monthly(&db, "E1003", april, "csat").await, Some((9.0, 10.0)), "the days replaced the typed figure");
    assert_eq!(count(&db, "kra_actuals").await, 0, "one place");
    t.clean_up().await;
}

#[tokio::test]
async fn corrected_days_that_add_up_to_the_same_figure_leave_it_unchanged() {
    each_backend(async |t| {
        let backend = t.backend;
        let db = &t.db;
        seed_people(db).await;
        let before = format!("{GOOD}E1001,2025-03-04,aht,600,2\n");
        let r = import_kpi(db, "ladder-long", csv("march.csv", &before), &options()).await;
        assert!(r.committed, "{r}");
        // Two of E1001's days moved between each other: (5400, 10) + (600, 2) = (5000, 9) + (1000, 3).
        let after = before
            .replace("E1001,2025-03-03,aht,5400,10", "E1001,2025-03-03,aht,5000,9")
            .replace("E1001,2025-03-04,aht,600,2", "E1001,2025-03-04,aht,1000,3");
        let r = import_kpi(db, "ladder-long", csv("march.csv", &after), &options()).await;
        assert!(r.committed, "{r}");
        assert_eq!(r.counts("daily facts").unwrap(), ladder_import::Counts { new: 0, updated: 2, unchanged: 4 }, "{r}");
        assert_eq!(
            r.counts("monthly actuals").unwrap(),
            ladder_import::Counts { new: 0, updated: 0, unchanged: 5 },
            "{backend:?}: {r}"
        );
        assert_eq!(monthly(db, "E1001", day(2025, 3, 1), "aht").await, Some((6000.0, 12.0)));
    })
    .await;
}

#[tokio::test]
async fn days_replace_a_typed_figure_among_many_other_monthly_rows_of_the_same_person() {
    use ladder_store::kra::{put_manual, ManualFigure};
    each_backend(async |t| {
        let backend = t.backend;
        import_march(&t.db).await;
        let db = &t.db;
        let ben: EmployeeId = ladder_store::on_db!(db, p => sqlx::query_scalar("SELECT id FROM employees WHERE code = 'E1002'")
            .fetch_one(p).await.unwrap());
        let figure = |metric: &str| ManualFigure { metric: metric.into(), numerator: 4.0, denominator: 5.0 };
        for month in [day(2025, 1, 1), day(2025, 2, 1)] {
            put_manual(db, ben, month, &[figure("csat"), figure("fcr"), figure("qa-score")], None).await.unwrap();
        }
        put_manual(db, ben, day(2025, 4, 1), &[figure("csat"), figure("fcr"), figure("qa-score")], None).await.unwrap();
        // One figure changed against three monthly rows of the person in its month: SQLite stops
        // reading them by range and looks the figure's month up instead.
        let april = "employee,date,metric,numerator,denominator\nE1002,2025-04-09,qa-score,90,100\n";
        let replace = Options { replace_months: true, ..options() };
        let r = import_kpi(db, "ladder-long", csv("april.csv", april), &replace).await;
        assert!(r.committed, "{r}");
        assert_eq!(r.counts("monthly actuals").unwrap(), ladder_import::Counts { new: 0, updated: 1, unchanged: 0 });
        assert_eq!(monthly(db, "E1002", day(2025, 4, 1), "qa-score").await, Some((90.0, 100.0)), "{backend:?}");
        assert_eq!(monthly(db, "E1002", day(2025, 4, 1), "csat").await, Some((4.0, 5.0)), "{backend:?}");
        assert_eq!(count(db, "kra_actuals").await, 8, "{backend:?}: the other rows stay");
    })
    .await;
}

#[tokio::test]
async fn on_postgres_typing_in_during_a_long_import_is_refused_after_a_few_seconds_and_a_dry_run_does_not_wait() {
    use ladder_store::kra::{put_manual, ManualFigure};
    if !backends().await.contains(&Backend::Postgres) {
        return;
    }
    let t = TestDb::new(Backend::Postgres).await;
    import_march(&t.db).await;
    let db = &t.db;
    let cora: EmployeeId = ladder_store::on_db!(db, p => sqlx::query_scalar("SELECT id FROM employees WHERE code = 'E1003'")
        .fetch_one(p).await.unwrap());
    // An import holding the lock and writing for longer than anyone waits.
    let import = holding_figures_lock(db, "pg_advisory_xact_lock", sqlx::query("SELECT 1")).await.unwrap();

    let typed = ManualFigure { metric: "csat".into(), numerator: 5.0, denominator: 10.0 };
    let refused = put_manual(db, cora, day(2025, 4, 1), &[typed], None).await;
    assert!(
        matches!(&refused, Err(ladder_store::StoreError::Conflict(m)) if m.contains("being imported")),
        "{refused:?}"
    );
    let dry = Options { dry_run: true, ..options() };
    let file = format!("{GOOD}E1003,2025-04-07,csat,9,10\n");
    let checking = import_kpi(db, "ladder-long", csv("april.csv", &file), &dry);
    // Bounded only so that a dry run that waited fails here instead of hanging the suite.
    let r = tokio::time::timeout(std::time::Duration::from_secs(60), checking).await.expect("the dry run did not wait");
    assert!(!r.committed, "{r}");
    assert_eq!(r.counts("daily facts").unwrap(), ladder_import::Counts { new: 1, updated: 0, unchanged: 5 }, "{r}");
    import.rollback().await.unwrap();
    assert_eq!(count(db, "kra_actuals").await, 0, "nothing typed in, nothing imported");
    t.clean_up().await;
}
