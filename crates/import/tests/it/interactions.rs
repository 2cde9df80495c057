//! Interaction-level files (one row per call): rows of an employee's day add up, yes/no and
//! rating columns become counts, row filters skip what is not an agent's call, and a file with
//! no date column takes its date from the import or its file name. On both databases.

use crate::common;

use common::*;
use ladder_core::Framework;
use ladder_import::{Input, Mapping, Options};

/// The people of the call-centre fixtures (tests/data/people-callcentre.csv).
async fn seed_callcentre(db: &ladder_store::Db) {
    let r = import_people(db, Input::path(data("people-callcentre.csv"))).await;
    assert!(r.committed, "{r}");
}

async fn import_with(db: &ladder_store::Db, mapping: &str, input: Input, opts: &Options) -> ladder_import::Report {
    let mapping = Mapping::parse("test", mapping).unwrap();
    ladder_import::kpi::import(db, &Framework::default_framework(), &mapping, &input, opts).await.unwrap()
}

/// The bank's one-day log: no date column, an agent's name in `server`, `NO_SERVER` where no
/// agent took the call, the service time in seconds.
const BANK: &str = r#"
name = "bank-calls"
format = "wide"
grain = "day"
rows = "interaction"
employee = "server"
date_in_file_name = "%Y-%m-%d"

[[skip]]
reason = "no agent took the call"
column = "server"
one_of = ["", "NO_SERVER"]

[[metric]]
id = "aht"
numerator = "ser_time"
denominator = 1
"#;

#[tokio::test]
async fn a_bank_call_log_without_a_date_column_sums_each_agents_calls() {
    each_backend(async |t| {
        seed_callcentre(&t.db).await;
        let input = Input::path(data("bank-calls-2025-07-25.csv"));
        let r = import_with(&t.db, BANK, input, &options()).await;
        assert!(r.committed, "{r}");
        assert_eq!(r.rows, 10);
        assert_eq!(r.skipped, vec![("no agent took the call".to_string(), 3)], "counted, not problems");
        assert_eq!(r.problem_count, 0);
        let july = day(2025, 7, 1);
        assert_eq!(monthly(&t.db, "MICHAL", july, "aht").await, Some((54.0 + 107.0 + 275.0 + 27.0, 4.0)));
        assert_eq!(monthly(&t.db, "DORIT", july, "aht").await, Some((208.0 + 224.0 + 222.0, 3.0)));
        let days: Vec<_> = daily(&t.db).await.into_iter().map(|(code, d, m, n, den, _)| (code, d, m, n, den)).collect();
        assert_eq!(
            days,
            vec![
                ("DORIT".into(), day(2025, 7, 25), "aht".into(), 654.0, 3.0),
                ("MICHAL".into(), day(2025, 7, 25), "aht".into(), 463.0, 4.0)
            ],
            "one fact per agent and day, dated by the file name"
        );
        assert!(r.to_string().contains("Skipped 3 row(s): no agent took the call"), "{r}");

        // The same file again changes nothing: a day's calls are the day's, not added to it.
        let again = import_with(&t.db, BANK, Input::path(data("bank-calls-2025-07-25.csv")), &options()).await;
        assert_eq!(again.counts("daily facts").unwrap().unchanged, 2, "{again}");
    })
    .await;
}

#[tokio::test]
async fn a_file_without_a_date_takes_the_imports_date_or_says_how_to_give_one() {
    each_backend(async |t| {
        seed_callcentre(&t.db).await;
        let bytes = std::fs::read(data("bank-calls-2025-07-25.csv")).unwrap();
        let no_pattern = BANK.replace("date_in_file_name = \"%Y-%m-%d\"\n", "");
        let r = import_with(&t.db, &no_pattern, Input::bytes("calls.csv", bytes.clone()), &options()).await;
        assert!(!r.committed);
        assert!(r.problems[0].message.contains("--date YYYY-MM-DD"), "{r}");

        let by_name = import_with(&t.db, BANK, Input::bytes("calls.csv", bytes.clone()), &options()).await;
        assert!(by_name.problems[0].message.contains("holds no date in the form %Y-%m-%d"), "{by_name}");

        let opts = Options { date: Some(day(2025, 7, 24)), ..options() };
        let r = import_with(&t.db, &no_pattern, Input::bytes("calls.csv", bytes.clone()), &opts).await;
        assert!(r.committed, "{r}");
        let dates: Vec<_> = daily(&t.db).await.into_iter().map(|f| f.1).collect();
        assert_eq!(dates, vec![day(2025, 7, 24); 2]);

        // A date for the whole file is refused where the mapping reads each row's date.
        let opts = Options { date: Some(day(2025, 7, 24)), ..options() };
        let r =
            import_kpi(&t.db, "ladder-long", csv("x.csv", "employee,date,metric,numerator,denominator\n"), &opts).await;
        assert!(r.problems[0].message.contains("only for files without a date column"), "{r}");
    })
    .await;
}

/// The case-study log: Answered and Resolved as Y/N in any spelling, talk, hold and wrap-up as
/// mm:ss (hold blank when there was none), a 1–5 rating on some answered calls.
const CASE_STUDY: &str = r#"
name = "case-study"
format = "wide"
grain = "day"
rows = "interaction"
employee = "Agent"
date = "Date"
date_formats = ["%m/%d/%Y"]

[[metric]]
id = "aht"
numerator = { when = { column = "Answered (Y/N)", is = "yes" }, then = { sum = ["Talk", "Hold", "Wrap"] } }
denominator = { yes = "Answered (Y/N)" }

[[metric]]
id = "fcr"
numerator = { yes = "Resolved" }
denominator = { yes = "Answered (Y/N)" }

[[metric]]
id = "csat"
numerator = { count = { column = "Satisfaction rating", at_least = 5 } }
denominator = { count = { column = "Satisfaction rating", is = "present" } }
"#;

#[tokio::test]
async fn a_case_study_log_with_yes_no_ratings_and_durations() {
    each_backend(async |t| {
        seed_callcentre(&t.db).await;
        let r = import_with(&t.db, CASE_STUDY, Input::path(data("case-study-calls.csv")), &options()).await;
        assert!(r.committed, "{r}");
        let jan = day(2021, 1, 1);
        // Diane: 2:23+0:00+0:41, 3:11+(none)+0:30, 1:28+0:15+0:35 over 3 answered calls; the
        // unanswered one counts nowhere.
        assert_eq!(monthly(&t.db, "Diane", jan, "aht").await, Some((184.0 + 221.0 + 138.0, 3.0)));
        assert_eq!(monthly(&t.db, "Diane", jan, "fcr").await, Some((2.0, 3.0)));
        assert_eq!(monthly(&t.db, "Diane", jan, "csat").await, Some((1.0, 3.0)), "ratings 3, 5, 4: one top box");
        // Becky: a 75-minute call written 75:30; a rating left blank is no survey.
        assert_eq!(monthly(&t.db, "Becky", jan, "aht").await, Some((377.0 + 79.0 + 4710.0, 3.0)));
        assert_eq!(monthly(&t.db, "Becky", jan, "fcr").await, Some((2.0, 3.0)));
        assert_eq!(monthly(&t.db, "Becky", jan, "csat").await, Some((1.0, 2.0)));
        let becky_days: Vec<_> = daily(&t.db)
            .await
            .into_iter()
            .filter(|f| f.0 == "Becky" && f.2 == "aht")
            .map(|f| (f.1, f.3, f.4))
            .collect();
        assert_eq!(becky_days, vec![(day(2021, 1, 4), 456.0, 2.0), (day(2021, 1, 5), 4710.0, 1.0)]);
    })
    .await;
}

#[tokio::test]
async fn a_bad_yes_no_or_rating_names_row_column_and_value() {
    each_backend(async |t| {
        seed_callcentre(&t.db).await;
        let file = "Call Id,Agent,Date,Time,Topic,Answered (Y/N),Resolved,Speed of answer in seconds,Talk,Hold,Wrap,Satisfaction rating\n\
                    ID1,Diane,1/4/2021,9:00:00,x,Y,maybe,1,01:00,00:00,00:10,5\n\
                    ID2,Diane,1/4/2021,9:05:00,x,Y,Y,1,01:00,00:00,00:10,five\n";
        let r = import_with(&t.db, CASE_STUDY, csv("calls.csv", file), &options()).await;
        assert!(!r.committed);
        let found: Vec<_> = r.problems.iter().map(|p| (p.row, p.column.as_str(), p.value.as_str())).collect();
        assert_eq!(found, vec![(2, "Resolved", "maybe"), (3, "Satisfaction rating", "five")], "{r}");
        assert!(r.problems[0].message.contains("Y/N"), "{r}");
        assert_eq!(count(&t.db, "kpi_employee_months").await, 0, "all or nothing");
    })
    .await;
}

#[tokio::test]
async fn a_per_interaction_long_file_adds_up_as_ladder_score_does() {
    // The long form `ladder score --actuals` reads, with several rows per employee, day and
    // metric: `rows = "interaction"` sums them, as the scorer does (crates/cli tests compare
    // the two on one file); without it the second row is a duplicate.
    each_backend(async |t| {
        seed_people(&t.db).await;
        let file = "employee,date,metric,numerator,denominator\n\
                    E1001,2025-03-03,aht,300,1\nE1001,2025-03-03,aht,420.5,1\nE1001,2025-03-04,aht,200,1\n\
                    E1001,2025-03-03,fcr,1,1\nE1001,2025-03-03,fcr,0,1\nE1002,2025-03-03,aht,100,1\n";
        let summary = import_kpi(&t.db, "ladder-long", csv("calls.csv", file), &options()).await;
        assert_eq!(summary.problem_count, 2, "{summary}");
        assert!(summary.problems[0].message.contains("duplicate row"), "{summary}");

        let per_call = ladder_import::mapping::PRESETS.iter().find(|(n, _)| *n == "ladder-long").unwrap().1;
        let per_call =
            format!("{per_call}\nrows = \"interaction\"\n").replace("name = \"ladder-long\"", "name = \"x\"");
        let r = import_with(&t.db, &per_call, csv("calls.csv", file), &options()).await;
        assert!(r.committed, "{r}");
        let march = day(2025, 3, 1);
        assert_eq!(monthly(&t.db, "E1001", march, "aht").await, Some((920.5, 3.0)));
        assert_eq!(monthly(&t.db, "E1001", march, "fcr").await, Some((1.0, 2.0)));
        assert_eq!(r.counts("daily facts").unwrap().new, 4, "(E1001: 2 aht days, 1 fcr day) + E1002");
    })
    .await;
}

#[tokio::test]
async fn a_generated_call_log_imports_to_the_sums_of_its_calls() {
    // `ladder gen --per-interaction`'s file through the `ladder-calls` preset: each agent's
    // monthly AHT is the sum of their answered calls' times over the count, as a query of the
    // file gives.
    let org = ladder_import::gen::Org { agents: 4, seed: 3, year: 2025 };
    let (mut people, mut calls) = (Vec::new(), Vec::new());
    org.write_people(&mut people).unwrap();
    org.write_calls(&mut calls).unwrap();
    let text = String::from_utf8(calls.clone()).unwrap();
    let mut expected = std::collections::BTreeMap::<(String, String), (f64, f64)>::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f[4] == "N" {
            continue;
        }
        let seconds: f64 = f[6..9].iter().map(|s| s.parse::<f64>().unwrap_or(0.0)).sum();
        let e = expected.entry((f[1].to_string(), f[2][..7].to_string())).or_default();
        *e = (e.0 + seconds, e.1 + 1.0);
    }
    each_backend(async |t| {
        assert!(import_people(&t.db, Input::bytes("people.csv", people.clone())).await.committed);
        let r = import_kpi(&t.db, "ladder-calls", Input::bytes("calls.csv", calls.clone()), &options()).await;
        assert!(r.committed, "{r}");
        assert!(r.skipped[0].1 > 0, "unanswered calls are skipped: {r}");
        for ((agent, month), (n, d)) in &expected {
            let first = chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").unwrap();
            let (got_n, got_d) = monthly(&t.db, agent, first, "aht").await.unwrap();
            assert!((got_n - n).abs() <= 1e-9 * n && got_d == *d, "{agent} {month}: {got_n}/{got_d} vs {n}/{d}");
        }
    })
    .await;
}
