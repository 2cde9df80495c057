//! Platform reports as they come: interval start and end columns (a day, a half hour, a month,
//! a custom range across a month end), 12- and 24-hour clocks, blank counts, title lines,
//! per-call reports, and platform data that breaks one metric's rule on one row. On both
//! databases.

use crate::common;

use common::*;
use ladder_import::{Input, Options};

async fn seed_callcentre(db: &ladder_store::Db) {
    let r = import_people(db, Input::path(data("people-callcentre.csv"))).await;
    assert!(r.committed, "{r}");
}

const GIL: &str = "4e1f0a77-2b7c-4c55-9d31-5a6b7c8d9e01";
const HANA: &str = "9a8b7c6d-1e2f-4a3b-8c7d-6e5f4a3b2c1d";

#[tokio::test]
async fn half_hour_intervals_add_up_to_their_day_with_blank_counts_as_zero() {
    each_backend(async |t| {
        seed_callcentre(&t.db).await;
        let r = import_kpi(&t.db, "genesys-cloud", Input::path(data("genesys-half-hours.csv")), &options()).await;
        assert!(r.committed, "{r}");
        let july = day(2025, 7, 1);
        // Gil: 7:30 × 6 + 9:00 × 4 over 10 answered; Transferred 1 and blank (none).
        assert_eq!(monthly(&t.db, GIL, july, "aht").await, Some((2700.0 + 2160.0, 10.0)));
        assert_eq!(monthly(&t.db, GIL, july, "transfer-rate").await, Some((1.0, 10.0)));
        // Hana: an empty half hour is no data; 11:30 PM to 12:00 AM is the 25th's.
        assert_eq!(monthly(&t.db, HANA, july, "aht").await, Some((601.0, 2.0)));
        let days: Vec<_> = daily(&t.db).await.into_iter().map(|f| f.1).collect();
        assert!(days.iter().all(|d| *d == day(2025, 7, 25)), "{days:?}");
    })
    .await;
}

#[tokio::test]
async fn a_custom_range_across_a_month_end_is_refused_unless_the_import_says_how() {
    each_backend(async |t| {
        seed_callcentre(&t.db).await;
        let file = || Input::path(data("genesys-custom-range.csv"));
        let refused = import_kpi(&t.db, "genesys-cloud", file(), &options()).await;
        assert!(!refused.committed);
        assert_eq!(refused.problem_count, 2, "{refused}");
        let p = &refused.problems[0];
        assert_eq!((p.row, p.column.as_str(), p.value.as_str()), (2, "Interval End", "8/16/25 00:00"));
        assert!(p.message.contains("--period YYYY-MM") && p.message.contains("--split-intervals"), "{p}");

        // --period 2025-07: the whole file counts for July, as July's figures.
        let july = Options { period: Some((day(2025, 7, 1), day(2025, 7, 31))), dry_run: true, ..options() };
        let r = import_kpi(&t.db, "genesys-cloud", file(), &july).await;
        assert!(r.is_ok(), "{r}");
        assert_eq!(r.counts("monthly actuals").unwrap().new, 3, "Gil's aht and transfers, Hana's aht: {r}");
        // Hana has more transfers than answered calls: that metric is left out, with a warning.
        assert_eq!(r.warning_count, 1, "{r}");
        let w = &r.warnings[0];
        assert_eq!((w.row, w.column.as_str(), w.value.as_str()), (4, "Transferred", "50"));
        assert!(w.message.contains("cannot exceed 100 %"), "{w}");

        // --split-intervals: each row over July and August by days (16 and 15 of 31).
        let split = Options { split_intervals: true, ..options() };
        let r = import_kpi(&t.db, "genesys-cloud", file(), &split).await;
        assert!(r.committed, "{r}");
        let (jul, aug) = (day(2025, 7, 1), day(2025, 8, 1));
        let (n7, d7) = monthly(&t.db, GIL, jul, "aht").await.unwrap();
        let (n8, d8) = monthly(&t.db, GIL, aug, "aht").await.unwrap();
        assert!(close(d7, 300.0 * 16.0 / 31.0) && close(d8, 300.0 * 15.0 / 31.0), "{d7} {d8}");
        assert!(close(n7 + n8, 144_000.0) && close(d7 + d8, 300.0));
        assert!((n7 / d7 - 480.0).abs() < 1e-9 && (n8 / d8 - 480.0).abs() < 1e-9, "every ratio stays the same");
        let (t7, td7) = monthly(&t.db, GIL, jul, "transfer-rate").await.unwrap();
        assert!((t7 / td7 - 12.0 / 300.0).abs() < 1e-12);
        assert_eq!(monthly(&t.db, HANA, jul, "transfer-rate").await, None, "left out, not refused");
        assert_eq!(daily(&t.db).await, vec![], "a month's interval is stored as the month's figures");
    })
    .await;
}

#[tokio::test]
async fn a_malformed_count_is_still_an_error_not_a_warning() {
    each_backend(async |t| {
        seed_callcentre(&t.db).await;
        let text = std::fs::read_to_string(data("genesys-half-hours.csv")).unwrap().replacen("\"6\"", "\"six\"", 1);
        let r = import_kpi(&t.db, "genesys-cloud", csv("g.csv", &text), &options()).await;
        assert!(!r.committed);
        assert_eq!(r.warning_count, 0);
        let p = &r.problems[0];
        assert_eq!((p.row, p.column.as_str(), p.value.as_str()), (2, "Answered", "six"), "{r}");
    })
    .await;
}

#[tokio::test]
async fn nice_cxone_agent_performance_below_title_lines_counts_for_its_month() {
    each_backend(async |t| {
        seed_callcentre(&t.db).await;
        let input = Input::path(data("nice-cxone-agent-performance.csv"));
        // The window was asked for in UTC (the title line says so) while Ida and Jon work in
        // Denver: the mapping names the window's zone, else it would read as the site's and
        // cross the month end.
        let text = format!("timezone = \"UTC\"\n{}", include_str!("../../presets/nice-cxone.toml"));
        let mapping = ladder_import::Mapping::parse("nice-cxone-utc", &text).unwrap();
        let fw = ladder_core::Framework::default_framework();
        let r = ladder_import::kpi::import(&t.db, &fw, &mapping, &input, &options()).await.unwrap();
        assert!(r.committed, "{r}");
        assert_eq!(r.rows, 2);
        // PT416.5S × 412 handled; Jon handled nothing (blank counts): no figure.
        assert_eq!(monthly(&t.db, "1184205", day(2025, 7, 1), "aht").await, Some((416.5 * 412.0, 412.0)));
        assert_eq!(monthly(&t.db, "1184206", day(2025, 7, 1), "aht").await, None);
        assert_eq!(r.counts("monthly actuals").unwrap().new, 1, "{r}");
    })
    .await;
}

#[tokio::test]
async fn talkdesk_calls_are_summed_per_agent_and_day_and_unanswered_ones_skipped() {
    each_backend(async |t| {
        seed_callcentre(&t.db).await;
        let opts = Options { today: day(2026, 12, 1), ..options() };
        let r = import_kpi(&t.db, "talkdesk", Input::path(data("talkdesk-calls.csv")), &opts).await;
        assert!(r.committed, "{r}");
        assert_eq!(r.rows, 9);
        let reason = "not answered by an agent (abandoned, missed, voicemail)".to_string();
        assert_eq!(r.skipped, vec![(reason, 3)]);
        let (kai, lia, april) = ("5f0c2d3e4a5b6c7d8e9f0a1b", "6a1d3e4f5b6c7d8e9f0a1b2c", day(2026, 4, 1));
        // Kai: 380+40, 200+30, 300+(blank hold), 280 on the 24th; one transfer; ratings 5, 3, 4, 5.
        assert_eq!(monthly(&t.db, kai, april, "aht").await, Some((420.0 + 230.0 + 300.0 + 280.0, 4.0)));
        assert_eq!(monthly(&t.db, kai, april, "transfer-rate").await, Some((1.0, 4.0)));
        assert_eq!(monthly(&t.db, kai, april, "csat").await, Some((2.0, 4.0)));
        // Lia: a survey "null" is no survey.
        assert_eq!(monthly(&t.db, lia, april, "aht").await, Some((300.0 + 650.0, 2.0)));
        assert_eq!(monthly(&t.db, lia, april, "csat").await, Some((1.0, 1.0)));
        let kai_days: Vec<_> =
            daily(&t.db).await.into_iter().filter(|f| f.0 == kai && f.2 == "aht").map(|f| (f.1, f.4)).collect();
        assert_eq!(
            kai_days,
            // The call at 23:58Z on the 23rd began at 00:58 on the 24th in Lisbon (UTC+1).
            vec![(day(2026, 4, 23), 2.0), (day(2026, 4, 24), 2.0)],
            "a call counts for its start's day"
        );
    })
    .await;
}

#[tokio::test]
async fn the_same_xlsx_imported_again_changes_nothing() {
    each_backend(async |t| {
        seed_people(&t.db).await;
        let file = || Input::path(data("five9-agent-report.xlsx"));
        let first = import_kpi(&t.db, "five9", file(), &options()).await;
        assert!(first.committed, "{first}");
        let stored = daily(&t.db).await;
        // Spreadsheet times to the millisecond: 6:21:30 + 6:36:40 exactly.
        let (n, _) = monthly(&t.db, "cora.cruz@example.com", day(2025, 3, 1), "aht").await.unwrap();
        assert_eq!(n, 22_890.0 + 23_800.0);
        let again = import_kpi(&t.db, "five9", file(), &options()).await;
        let c = again.counts("daily facts").unwrap();
        assert_eq!((c.new, c.updated, c.unchanged), (0, 0, first.counts("daily facts").unwrap().new), "{again}");
        assert_eq!(daily(&t.db).await, stored);
    })
    .await;
}

/// A Genesys report of one week for Gil: `from`–`to` as the platform writes them.
fn genesys_week(from: &str, to: &str, answered: u32) -> Input {
    let header = "Interval Start,Interval End,Interval Complete,Filters,Media Type,Agent Id,Agent Name,Group,\
                  Answered,Avg Handle,Avg Talk,Avg Hold,Avg ACW,Held,Transferred,Department,Avg Hold Handled";
    let row = format!(
        "{from},{to},TRUE,,voice,{GIL},Gil Genesys,Bank Voice,{answered}, 00:08:00.000, 00:06:30.000, \
         00:00:30.000, 00:01:00.000,4,1,Operations, 00:01:15.000"
    );
    csv("genesys-week.csv", &format!("{header}\n{row}\n"))
}

#[tokio::test]
async fn a_week_does_not_silently_replace_the_stored_figure_of_its_month() {
    each_backend(async |t| {
        seed_callcentre(&t.db).await;
        let july = day(2025, 7, 1);
        let first =
            import_kpi(&t.db, "genesys-cloud", genesys_week("7/7/25 00:00", "7/14/25 00:00", 50), &options()).await;
        assert!(first.committed && first.replacement_count == 0, "nothing stored to replace: {first}");
        assert_eq!(monthly(&t.db, GIL, july, "aht").await, Some((480.0 * 50.0, 50.0)));

        // The next week would be stored as July's figure in place of the first one.
        let week = || genesys_week("7/14/25 00:00", "7/21/25 00:00", 70);
        let refused = import_kpi(&t.db, "genesys-cloud", week(), &options()).await;
        assert!(!refused.committed, "{refused}");
        assert_eq!(refused.replacement_count, 2, "aht and transfers: {refused}");
        let aht = refused.replacements.iter().find(|r| r.metric == "aht").expect("listed");
        assert_eq!((aht.before_denominator, aht.after_denominator), (50.0, 70.0));
        assert_eq!(aht.what, "a monthly figure over a monthly figure");
        assert!(refused.problems.iter().any(|p| p.message.contains("--replace-months")), "{refused}");
        assert_eq!(monthly(&t.db, GIL, july, "aht").await, Some((480.0 * 50.0, 50.0)), "kept");

        let replace = Options { replace_months: true, ..options() };
        let r = import_kpi(&t.db, "genesys-cloud", week(), &replace).await;
        assert!(r.committed, "{r}");
        assert_eq!(monthly(&t.db, GIL, july, "aht").await, Some((480.0 * 70.0, 70.0)));

        // A whole month over it counts more: no question asked.
        let whole =
            import_kpi(&t.db, "genesys-cloud", genesys_week("7/1/25 00:00", "8/1/25 00:00", 300), &options()).await;
        assert!(whole.committed && whole.replacement_count == 0, "{whole}");
    })
    .await;
}

/// The Genesys preset with other date formats (as a site's own mapping might have).
fn genesys_with_formats(formats: &str) -> ladder_import::Mapping {
    let text = include_str!("../../presets/genesys-cloud.toml");
    let (head, tail) = text.split_once("date_formats = [").unwrap();
    let (_, rest) = tail.split_once(']').unwrap();
    let text = format!("{head}date_formats = [{formats}]{rest}");
    ladder_import::Mapping::parse("genesys-formats", &text).unwrap()
}

#[tokio::test]
async fn interval_dates_that_read_both_ways_are_refused_as_ambiguous() {
    each_backend(async |t| {
        seed_callcentre(&t.db).await;
        let header = "Interval Start,Interval End,Agent Id,Answered,Avg Handle,Transferred";
        let row = |from: &str, to: &str| format!("{from},{to},{GIL},6, 00:07:30.000,1");
        let fw = ladder_core::Framework::default_framework();
        let import = async |text: String| {
            let input = csv("half-hours.csv", &text);
            ladder_import::kpi::import(
                &t.db,
                &fw,
                &genesys_with_formats(r#""%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M""#),
                &input,
                &options(),
            )
            .await
            .unwrap()
        };
        // 3 July or 7 March: every date reads both ways.
        let text = format!(
            "{header}\n{}\n{}\n",
            row("03/07/2025 09:00", "03/07/2025 09:30"),
            row("03/07/2025 09:30", "03/07/2025 10:00")
        );
        let r = import(text).await;
        assert!(!r.committed, "{r}");
        assert!(r.problems.iter().any(|p| p.message.contains("ambiguous dates")), "{r}");
        assert_eq!(daily(&t.db).await, vec![]);
        // A day past 12 says which.
        let text = format!(
            "{header}\n{}\n{}\n",
            row("03/07/2025 09:00", "03/07/2025 09:30"),
            row("25/07/2025 09:30", "25/07/2025 10:00")
        );
        let r = import(text).await;
        assert!(r.committed, "{r}");
        let days: Vec<_> = daily(&t.db).await.into_iter().map(|f| f.1).collect();
        assert!(days.contains(&day(2025, 7, 3)) && days.contains(&day(2025, 7, 25)), "{days:?}");
    })
    .await;
}

#[tokio::test]
async fn an_interval_under_a_millisecond_is_refused_not_split_into_nan() {
    each_backend(async |t| {
        seed_callcentre(&t.db).await;
        let header = "Interval Start,Interval End,Agent Id,Answered,Avg Handle,Transferred";
        // A week (the file counts for months), then 0.4 ms across the end of July.
        let text = format!(
            "{header}\n07/07/2025 00:00:00,07/14/2025 00:00:00,{GIL},6, 00:07:30.000,1\n\
             07/31/2025 23:59:59.9999,08/01/2025 00:00:00.0003,{HANA},2, 00:05:00.000,0\n"
        );
        let fw = ladder_core::Framework::default_framework();
        let mapping = genesys_with_formats(r#""%m/%d/%Y %H:%M:%S%.f""#);
        let split = Options { split_intervals: true, ..options() };
        let r = ladder_import::kpi::import(&t.db, &fw, &mapping, &csv("tiny.csv", &text), &split).await.unwrap();
        assert!(!r.committed, "{r}");
        let p = &r.problems[0];
        assert_eq!((p.row, p.column.as_str()), (3, "Interval End"), "{r}");
        assert!(p.message.contains("shorter than a millisecond"), "{p}");
        assert_eq!(monthly(&t.db, HANA, day(2025, 7, 1), "aht").await, None);
    })
    .await;
}

#[tokio::test]
async fn a_dry_run_of_split_intervals_names_every_month_they_count_for() {
    each_backend(async |t| {
        seed_callcentre(&t.db).await;
        let split = Options { split_intervals: true, dry_run: true, ..options() };
        let r = import_kpi(&t.db, "genesys-cloud", Input::path(data("genesys-custom-range.csv")), &split).await;
        assert!(r.is_ok() && !r.committed, "{r}");
        assert_eq!(r.months, vec!["2025-07".to_string(), "2025-08".to_string()], "{r}");
        assert_eq!(r.people, 2, "{r}");
    })
    .await;
}

#[tokio::test]
async fn the_same_half_hours_twice_are_refused_not_summed() {
    each_backend(async |t| {
        seed_callcentre(&t.db).await;
        let text = std::fs::read_to_string(data("genesys-half-hours.csv")).unwrap();
        let rows = text.split_once('\n').unwrap().1;
        // Two exports put one after another (the second without its header).
        let r = import_kpi(&t.db, "genesys-cloud", csv("twice.csv", &format!("{text}{rows}")), &options()).await;
        assert!(!r.committed, "{r}");
        assert_eq!(r.problem_count, 4, "each repeated row: {r}");
        let p = &r.problems[0];
        assert_eq!((p.row, p.column.as_str(), p.value.as_str()), (6, "Interval Start", "7/25/25 9:00 AM"), "{r}");
        assert!(p.message.contains("overlapping interval") && p.message.contains("added twice"), "{p}");
        assert_eq!(daily(&t.db).await, vec![]);

        // Half hours that overlap the one before by a quarter: refused too.
        let header = text.lines().next().unwrap();
        let overlap = rows.lines().take(2).collect::<Vec<_>>().join("\n").replacen(
            "9:30 AM\",\"7/25/25 10:00",
            "9:15 AM\",\"7/25/25 9:45",
            1,
        );
        let r =
            import_kpi(&t.db, "genesys-cloud", csv("overlap.csv", &format!("{header}\n{overlap}\n")), &options()).await;
        assert_eq!(r.problem_count, 1, "{r}");
        assert!(r.problems[0].message.contains("9:00:00 to"), "{r}");
    })
    .await;
}
