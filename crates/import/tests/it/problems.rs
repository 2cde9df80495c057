//! Problems a person can act on (issue 24, point 5): problems summarised by kind, every missing
//! column at once, dates shown by example and ambiguous dates refused, the months and people a
//! file touches, partial files that would replace whole months, and skipping bad rows.

use crate::common;

use common::*;
use ladder_core::Framework;
use ladder_import::{Input, Mapping, Options, Report};

async fn import_with(db: &ladder_store::Db, mapping: &Mapping, input: Input, opts: &Options) -> Report {
    ladder_import::kpi::import(db, &Framework::default_framework(), mapping, &input, opts).await.unwrap()
}

/// November 2025 as whole-month figures for Ana (E1001) and Ben (E1002): CSAT 98 of 120 and
/// 110 of 130, AHT 360,000 s over 1,000 calls.
const NOVEMBER_MONTHLY: &str = "employee,month,metric,numerator,denominator
E1001,2025-11,csat,98,120
E1001,2025-11,aht,360000,1000
E1002,2025-11,csat,110,130
";

/// One day's rows for the same two people: 40 of 48 surveys, and Ana's calls of that day.
const ONE_DAY: &str = "employee,date,metric,numerator,denominator
E1001,2025-11-20,csat,40,48
E1001,2025-11-20,aht,18000,50
E1002,2025-11-20,csat,20,24
";

#[tokio::test]
async fn a_days_file_over_whole_month_figures_is_listed_and_refused_until_chosen() {
    each_backend(async |t| {
        let (backend, db) = (t.backend, &t.db);
        seed_people(db).await;
        let r = import_kpi(db, "ladder-monthly", csv("november.csv", NOVEMBER_MONTHLY), &options()).await;
        assert!(r.committed, "{r}");
        let before = dump(db).await;

        // The dry run says what goes, per person, month and metric, before → after.
        let dry = Options { dry_run: true, ..options() };
        let r = import_kpi(db, "ladder-long", csv("one-day.csv", ONE_DAY), &dry).await;
        assert_eq!(r.replacement_count, 3, "{backend:?}: {r}");
        let ana_csat = r.replacements.iter().find(|x| x.employee == "E1001" && x.metric == "csat").expect("listed");
        assert_eq!(ana_csat.month, "2025-11");
        assert_eq!((ana_csat.before_numerator, ana_csat.before_denominator, ana_csat.before_days), (98.0, 120.0, 0));
        assert_eq!((ana_csat.after_numerator, ana_csat.after_denominator, ana_csat.after_days), (40.0, 48.0, 1));
        let text = r.to_string();
        assert!(
            text.contains(
                "E1001 2025-11 Customer satisfaction (top box): 81.7 % (120 surveys) from the whole month → \
                 83.3 % (48 surveys) from 1 day"
            ),
            "{text}"
        );
        assert!(text.contains("--replace-months"), "the way on is named: {text}");
        assert_eq!((r.months.clone(), r.people), (vec!["2025-11".to_string()], 2), "{backend:?}");

        // The real run refuses and writes nothing.
        let r = import_kpi(db, "ladder-long", csv("one-day.csv", ONE_DAY), &options()).await;
        assert!(!r.committed && r.problem_count == 1, "{backend:?}: {r}");
        assert_eq!(dump(db).await, before, "{backend:?}: nothing changed");

        // Chosen: the day replaces the month.
        let replace = Options { replace_months: true, ..options() };
        let r = import_kpi(db, "ladder-long", csv("one-day.csv", ONE_DAY), &replace).await;
        assert!(r.committed && r.replacement_count == 3, "{backend:?}: {r}");
        assert_eq!(monthly(db, "E1001", day(2025, 11, 1), "csat").await, Some((40.0, 48.0)));

        // A day added to days already stored replaces nothing: no question asked.
        let next_day = "employee,date,metric,numerator,denominator\nE1001,2025-11-21,csat,9,10\n";
        let r = import_kpi(db, "ladder-long", csv("next-day.csv", next_day), &options()).await;
        assert!(r.committed && r.replacement_count == 0, "{backend:?}: {r}");
    })
    .await;
}

#[tokio::test]
async fn a_monthly_figure_over_days_that_counted_more_is_refused_until_chosen() {
    each_backend(async |t| {
        let (backend, db) = (t.backend, &t.db);
        seed_people(db).await;
        let days = "employee,date,metric,numerator,denominator
E1001,2025-10-01,csat,40,50
E1001,2025-10-02,csat,45,50
";
        assert!(import_kpi(db, "ladder-long", csv("october.csv", days), &options()).await.committed);
        // A figure of 30 surveys where the days held 100: a part of the month.
        let part = "employee,month,metric,numerator,denominator\nE1001,2025-10,csat,25,30\n";
        let r = import_kpi(db, "ladder-monthly", csv("october-monthly.csv", part), &options()).await;
        assert!(!r.committed && r.replacement_count == 1, "{backend:?}: {r}");
        let x = &r.replacements[0];
        assert_eq!((x.before_numerator, x.before_denominator, x.before_days), (85.0, 100.0, 2));
        assert_eq!((x.before.as_str(), x.after.as_str()), ("85.0 % (100 surveys)", "83.3 % (30 surveys)"));
        assert!(r.to_string().contains("from 2 days → 83.3 % (30 surveys) from the whole month"), "{r}");
        assert_eq!(monthly(db, "E1001", day(2025, 10, 1), "csat").await, Some((85.0, 100.0)), "{backend:?}");
        // A figure of the whole month (more surveys) goes in without a question.
        let whole = "employee,month,metric,numerator,denominator\nE1001,2025-10,csat,180,210\n";
        let r = import_kpi(db, "ladder-monthly", csv("october-monthly.csv", whole), &options()).await;
        assert!(r.committed && r.replacement_count == 0, "{backend:?}: {r}");
    })
    .await;
}

#[tokio::test]
async fn problems_are_summarised_by_kind_with_counts_first_rows_and_distinct_values() {
    each_backend(async |t| {
        let (backend, db) = (t.backend, &t.db);
        seed_people(db).await;
        let mut file = String::from("employee,date,metric,numerator,denominator\nE1001,2025-03-03,aht,600,2\n");
        // 1,200 rows of unknown people (6 distinct codes), then 30 duplicates of row 2.
        let unknown = ["ana.r", "ben.t", "cy.p", "dee.q", "eli.s", "fay.u"];
        for i in 0..1200 {
            file += &format!("{},2025-03-{:02},aht,600,2\n", unknown[i % 6], i % 28 + 1);
        }
        for _ in 0..30 {
            file += "E1001,2025-03-03,aht,600,2\n";
        }
        let r = import_kpi(db, "ladder-long", csv("many.csv", &file), &options()).await;
        assert_eq!(r.problem_count, 1230, "{backend:?}");
        let kinds: Vec<(&str, &str, u64, u64, u64)> = r
            .problem_summary
            .iter()
            .map(|g| (g.kind.as_str(), g.column.as_str(), g.count, g.first_row, g.distinct))
            .collect();
        assert_eq!(
            kinds,
            vec![("unknown employee code", "employee", 1200, 3, 6), ("duplicate row", "metric", 30, 1203, 1)],
            "{backend:?}"
        );
        assert_eq!(r.problem_summary[0].values, vec!["ana.r", "ben.t", "cy.p", "dee.q", "eli.s"]);
        let text = r.to_string();
        assert!(
            text.contains("1200 × unknown employee code in column 'employee' (first at row 3)")
                && text.contains("6 distinct values: ana.r, ben.t, cy.p, dee.q, eli.s, …"),
            "{text}"
        );
        assert!(text.contains("30 × duplicate row in column 'metric' (first at row 1203)"), "{text}");
    })
    .await;
}

#[tokio::test]
async fn every_missing_column_is_named_once_with_the_header_found() {
    each_backend(async |t| {
        seed_people(&t.db).await;
        // A wide file with a title line, missing two metrics' columns.
        let file = "Agent report for March\nemployee,date,handle_seconds,contacts,surveys\nE1001,2025-03-03,600,2,1\n";
        let r = import_kpi(&t.db, "ladder-wide", csv("wide.csv", file), &options()).await;
        assert_eq!(r.problem_count, 1, "{r}");
        let m = &r.problems[0].message;
        for expected in [
            "missing columns:",
            "'resolved_first_contact' (for metric fcr)",
            "'surveys_top_box' (for metric csat)",
            "'qa_points'",
            "the header found (row 2) has: employee, date, handle_seconds, contacts, surveys",
        ] {
            assert!(m.contains(expected), "{expected:?} in {m}");
        }
        // No row names every key column: the likeliest header is shown with what it lacks.
        let file = "Agent,Day,Calls\nE1001,2025-03-03,2\n";
        let r = import_kpi(&t.db, "ladder-long", csv("odd.csv", file), &options()).await;
        let m = &r.problems[0].message;
        assert_eq!(m, "missing column: 'employee' or 'code'; the header found (row 1) has: Agent, Day, Calls");
        let r = import_kpi(&t.db, "ladder-long", csv("odd.csv", "Report\n\nAgent,When\n"), &options()).await;
        let m = &r.problems[0].message;
        assert!(m.starts_with("missing columns: no row in the first") && m.contains("row 1 has: Report"), "{m}");
    })
    .await;
}

fn dated(formats: &str, order: &str) -> Mapping {
    let text = format!(
        "name = \"dated\"\nformat = \"long\"\ngrain = \"day\"\nemployee = \"employee\"\ndate = \"date\"\n\
         date_formats = {formats}\n{order}\nmetric_column = \"metric\"\nnumerator = \"numerator\"\n\
         denominator = \"denominator\"\n"
    );
    Mapping::parse("dated", &text).unwrap()
}

#[tokio::test]
async fn a_bad_date_shows_an_example_and_ambiguous_dates_need_the_order_named() {
    each_backend(async |t| {
        let (backend, db) = (t.backend, &t.db);
        seed_people(db).await;
        let genesys = Mapping::preset("genesys-cloud").unwrap();
        let export = std::fs::read_to_string(data("genesys-agent-performance.csv")).unwrap();
        let r =
            import_with(db, &genesys, csv("g.csv", &export.replacen("3/3/25 12:00 AM", "25.07.2025", 1)), &options())
                .await;
        let date_problem = r.problems.iter().find(|p| p.column == "Interval Start").expect("a date problem");
        assert!(
            date_problem.message.contains("a date like 07/25/25 12:00 AM or 07/25/2025 12:00 AM"),
            "{date_problem}"
        );
        assert!(!date_problem.message.contains('%'), "no format string: {date_problem}");

        let both = r#"["%d/%m/%Y", "%m/%d/%Y"]"#;
        let early =
            "employee,date,metric,numerator,denominator\nE1001,03/04/2025,aht,600,2\nE1002,05/04/2025,aht,600,2\n";
        let r = import_with(db, &dated(both, ""), csv("early.csv", early), &options()).await;
        assert!(!r.committed, "{backend:?}: {r}");
        assert!(
            r.problems[0].message.contains("ambiguous dates") && r.problems[0].message.contains("date_order"),
            "{r}"
        );
        // Even bad rows skipped, an ambiguous file stays refused.
        let skip = Options { skip_bad_rows: true, ..options() };
        assert!(!import_with(db, &dated(both, ""), csv("early.csv", early), &skip).await.committed);

        // Named: read that way (3 April, not 4 March).
        let r = import_with(db, &dated(both, "date_order = \"day-first\""), csv("early.csv", early), &options()).await;
        assert!(r.committed, "{backend:?}: {r}");
        assert_eq!(r.months, vec!["2025-04".to_string()]);
        assert_eq!(monthly(db, "E1001", day(2025, 4, 1), "aht").await, Some((600.0, 2.0)));

        // Read month-first at first, but a later row can only be day-first: refused, saying so.
        let mixed =
            "employee,date,metric,numerator,denominator\nE1003,03/05/2025,aht,600,2\nE1003,13/05/2025,aht,600,2\n";
        let month_first = r#"["%m/%d/%Y", "%d/%m/%Y"]"#;
        let r = import_with(db, &dated(month_first, ""), csv("mixed.csv", mixed), &options()).await;
        assert!(!r.committed, "{backend:?}: {r}");
        let m = &r.problems[0].message;
        assert!(m.contains("row 2 (03/05/2025) was read as month/day but row 3 (13/05/2025) is day/month"), "{m}");
    })
    .await;
}

#[tokio::test]
async fn skipping_bad_rows_writes_the_good_ones_and_the_bad_ones_as_they_were() {
    each_backend(async |t| {
        let (backend, db) = (t.backend, &t.db);
        seed_people(db).await;
        let file = "employee,date,metric,numerator,denominator
E1001,2025-03-03,aht,600,2
ghost,2025-03-03,aht,600,2
E1002,2025-03-03,aht,abc,2
E1002,2025-03-04,aht,300,1
";
        let rejects = t.scratch().join("march.rejects.csv");
        // The default stays all or nothing.
        let r = import_kpi(db, "ladder-long", csv("march.csv", file), &options()).await;
        assert!(!r.committed && r.problem_count == 2, "{r}");
        assert_eq!(count(db, "imports").await, 1, "{backend:?}: the people only");

        let skip = Options { skip_bad_rows: true, rejects: Some(rejects.clone()), ..options() };
        let r = import_kpi(db, "ladder-long", csv("march.csv", file), &skip).await;
        assert!(r.committed && r.rows_rejected == 2 && r.problem_count == 2, "{backend:?}: {r}");
        assert_eq!(monthly(db, "E1001", day(2025, 3, 1), "aht").await, Some((600.0, 2.0)));
        assert_eq!(monthly(db, "E1002", day(2025, 3, 1), "aht").await, Some((300.0, 1.0)), "the good row of E1002");
        let written = std::fs::read_to_string(&rejects).unwrap();
        let lines: Vec<&str> = written.lines().collect();
        assert_eq!(lines[0], "employee,date,metric,numerator,denominator,reason");
        assert!(lines[1].starts_with("ghost,2025-03-03,aht,600,2,\"row 3, column 'employee'"), "{written}");
        assert!(lines[2].starts_with("E1002,2025-03-03,aht,abc,2,"), "{written}");
        assert_eq!(lines.len(), 3, "{written}");

        // A problem with the file as a whole is not a bad row: nothing is written.
        let r = import_kpi(db, "ladder-long", csv("odd.csv", "Agent,Day\nE1001,2025-03-03\n"), &skip).await;
        assert!(!r.committed && r.rows_rejected == 0, "{backend:?}: {r}");
    })
    .await;
}

#[tokio::test]
async fn the_rejects_file_is_capped_private_and_defuses_formulas() {
    each_backend(async |t| {
        let (backend, db) = (t.backend, &t.db);
        seed_people(db).await;
        let cap = ladder_import::rejects::MAX_ROWS;
        let mut file =
            String::from("employee,date,metric,numerator,denominator\n=HYPERLINK(\"x\"),2025-03-03,aht,-5,2\n");
        for _ in 0..cap + 4 {
            file.push_str("E1001,2025-03-03,aht,abc,2\n");
        }
        let rejects = t.scratch().join("big.rejects.csv");
        let skip = Options { skip_bad_rows: true, dry_run: true, rejects: Some(rejects.clone()), ..options() };
        let r = import_kpi(db, "ladder-long", csv("big.csv", &file), &skip).await;
        assert_eq!((r.rows_rejected, r.rows_rejected_written), (cap + 5, cap), "{backend:?}");
        assert!(r.to_string().contains(&format!("the first {cap} written")), "{r}");
        let written = std::fs::read_to_string(&rejects).unwrap();
        let lines: Vec<&str> = written.lines().collect();
        assert_eq!(lines.len() as u64, cap + 1, "the header and the first rows");
        assert!(lines[1].starts_with("\"'=HYPERLINK(\"\"x\"\")\",2025-03-03,aht,-5,2,"), "{}", lines[1]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&rejects).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "readable by its owner only: {mode:o}");
        }
    })
    .await;
}
