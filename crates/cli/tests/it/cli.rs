//! Runs the real `ladder` binary: golden JSON for each command, and errors that name the place.

use std::path::PathBuf;
use std::process::{Command, Output};

fn data(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name).display().to_string()
}

fn ladder(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ladder")).args(args).output().expect("the ladder binary runs")
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "ladder failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    assert!(!out.status.success(), "ladder should have failed");
    String::from_utf8(out.stderr.clone()).unwrap().replace(&data(""), "tests/data/")
}

/// The output as JSON, floats rounded to 12 significant digits: whether serde_json parses the
/// last bit exactly depends on features other crates' tests switch on (float_roundtrip).
fn json(out: &Output) -> serde_json::Value {
    round_floats(serde_json::from_str(&stdout(out)).expect("stdout is JSON"))
}

fn round_floats(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Number(n) if n.is_f64() => {
            let x = n.as_f64().unwrap_or_default();
            let rounded: f64 = format!("{x:.11e}").parse().unwrap_or(x);
            serde_json::Number::from_f64(rounded).map_or(Value::Null, Value::Number)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(round_floats).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, round_floats(v))).collect()),
        other => other,
    }
}

#[test]
fn score_json_is_stable() {
    let out = ladder(&[
        "score",
        "--role",
        "customer-service-executive",
        "--actuals",
        &data("actuals.csv"),
        "--variable-pay",
        "2500",
        "--json",
    ]);
    insta::assert_json_snapshot!("score", json(&out));
}

#[test]
fn score_json_carries_what_the_issue_promises() {
    let out =
        json(&ladder(&["score", "--role", "customer-service-executive", "--actuals", &data("actuals.csv"), "--json"]));
    let employees = out["employees"].as_array().unwrap();
    assert_eq!(employees.len(), 2);
    let e1 = &employees[0];
    assert_eq!(e1["months"].as_array().unwrap().len(), 3);
    let feb = &e1["months"][1]["scorecard"];
    // E1001 had a fatal error in February: the gate fires and caps the rating.
    assert_eq!(feb["gates"][0]["id"], "fatal-error");
    assert!(feb["rating"].as_u64().unwrap() <= 2);
    for kra in feb["kras"].as_array().unwrap() {
        for field in ["metric", "value", "attainment", "weighted"] {
            assert!(kra.get(field).is_some(), "{field} in {kra}");
        }
    }
    // E1002 had no CSAT surveys in February: re-weighted, and said so.
    let e2_feb = &employees[1]["months"][1];
    assert_eq!(e2_feb["scorecard"]["reweighted"], true);
    assert!(e2_feb["explanation"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l.as_str().unwrap().contains("No data for Customer satisfaction (top box)")));
    // Year to date is one ratio of sums over the three months.
    assert_eq!(e1["year_to_date"][0]["period"], "2026-YTD-03");
}

#[test]
fn a_month_of_three_calls_is_not_enough_data_and_the_year_counts_volume_per_month() {
    let args = ["score", "--role", "customer-service-executive", "--actuals", &data("actuals-thin.csv")];
    let out = json(&ladder(&[&args[..], &["--variable-pay", "2500", "--json"]].concat()));
    let e = &out["employees"][0];
    // April: AHT of 200 s on three calls, nothing else.
    let april = &e["months"][0]["scorecard"];
    assert_eq!(april["state"], "not-enough-data");
    assert!(april["total"].is_null() && april["rating"].is_null() && april["bonus"].is_null(), "{april}");
    let reasons: Vec<&str> =
        april["short_of_data"].as_array().unwrap().iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert_eq!(reasons, ["volume", "weight"]);
    // May: CSAT 25 + FCR 20 + QA 20 + AHT 15 = 80 % of the weight, each with enough volume.
    let may = &e["months"][1]["scorecard"];
    assert_eq!(may["state"], "scored", "{may}");
    assert!(may["bonus"].is_string());
    // The two months together: 33 calls, under the 60 (30 a month) two months need.
    let ytd = &e["year_to_date"][0]["scorecard"];
    let aht = ytd["kras"].as_array().unwrap().iter().find(|k| k["metric"] == "aht").unwrap();
    assert_eq!(
        (aht["volume"].as_f64(), aht["min_volume"].as_f64(), aht["counted"].as_bool()),
        (Some(33.0), Some(60.0), Some(false))
    );
    // The minimum is per month with figures: May's 10 surveys and 30 contacts are half of what
    // two months need, so only QA (20 % of the weight) counts for the year so far.
    assert_eq!(ytd["state"], "not-enough-data");
    assert_eq!(ytd["weight_with_data"], 20.0);
    let explanation = e["year_to_date"][0]["explanation"][0].as_str().unwrap();
    assert!(
        explanation.contains("Customer satisfaction (top box): 10 surveys over 2 months, 20 needed"),
        "{explanation}"
    );

    let text = stdout(&ladder(&args));
    assert!(text.contains("2026-04            score   —   · not enough data"), "{text}");
    assert!(text.contains("Average handle time: 3 contacts, 30 needed"), "{text}");
    assert!(text.contains("KRAs with data carry 0 % of the weight, 60 % needed"), "{text}");
    assert!(text.contains("aht 200.0 (not counted)"), "{text}");
}

#[test]
fn a_plan_file_overrides_the_template() {
    let out = json(&ladder(&[
        "score",
        "--role",
        "customer-service-executive",
        "--actuals",
        &data("actuals.csv"),
        "--plan",
        &data("plan.toml"),
        "--json",
    ]));
    assert_eq!(out["plan"]["id"], "acme-voice-2026");
    assert_eq!(out["plan"]["kras"].as_array().unwrap().len(), 4);
    let aht = out["plan"]["kras"].as_array().unwrap().iter().find(|k| k["metric"] == "aht").unwrap();
    assert_eq!(aht["limits"]["target"], 420.0);
    // The plan's variable pay gives a bonus estimate.
    assert!(out["employees"][0]["months"][0]["scorecard"]["bonus"].is_string());
}

#[test]
fn score_text_is_readable() {
    let text = stdout(&ladder(&["score", "--role", "customer-service-executive", "--actuals", &data("actuals.csv")]));
    assert!(text.contains("E1001"));
    assert!(text.contains("2026-01"));
    assert!(text.contains("Gate 'fatal-error' fired"));
}

#[test]
fn bad_actuals_name_every_line_and_field() {
    let err =
        stderr(&ladder(&["score", "--role", "customer-service-executive", "--actuals", &data("actuals-bad.csv")]));
    for expected in [
        "tests/data/actuals-bad.csv:3: field 'date': '2026-13-01' is not a month or a date",
        "tests/data/actuals-bad.csv:4: field 'metric': unknown metric 'handle-time'",
        "tests/data/actuals-bad.csv:5: field 'numerator': 'seven' is not a number",
        "tests/data/actuals-bad.csv:6: field 'denominator': 'fcr' is a ratio, so its denominator is needed",
        "tests/data/actuals-bad.csv:7: field 'denominator': 'fatal-errors' is a plain sum",
        "tests/data/actuals-bad.csv:8: field 'employee': is empty",
        "6 row problem(s)",
    ] {
        assert!(err.contains(expected), "missing «{expected}» in:\n{err}");
    }
}

#[test]
fn a_missing_column_is_named() {
    let err = stderr(&ladder(&[
        "score",
        "--role",
        "customer-service-executive",
        "--actuals",
        &data("actuals-missing-column.csv"),
    ]));
    assert!(err.contains("actuals-missing-column.csv:1: missing column(s) denominator"), "{err}");
}

#[test]
fn an_unknown_role_lists_the_known_ones() {
    let err = stderr(&ladder(&["score", "--role", "astronaut", "--actuals", &data("actuals.csv")]));
    assert!(err.contains("unknown role 'astronaut'") && err.contains("team-leader"), "{err}");
}

#[test]
fn plan_json_is_stable() {
    let out = ladder(&[
        "plan",
        "--from",
        "customer-service-executive",
        "--to",
        "operations-manager",
        "--months-in-role",
        "6",
        "--start",
        "2026-01-15",
        "--json",
    ]);
    insta::assert_json_snapshot!("plan", json(&out));
}

#[test]
fn plan_reaches_team_leader_in_two_to_three_years() {
    let out = json(&ladder(&[
        "plan",
        "--from",
        "customer-service-executive",
        "--to",
        "team-leader",
        "--start",
        "2026-01-01",
        "--json",
    ]));
    let fastest = &out["fastest"];
    let (min, max) = (fastest["months_min"].as_u64().unwrap(), fastest["months_max"].as_u64().unwrap());
    assert!((18..=30).contains(&min) && (24..=42).contains(&max), "{min}–{max} months");
    assert_eq!(fastest["roles"].as_array().unwrap().last().unwrap(), "team-leader");
}

#[test]
fn wellbeing_json_is_stable() {
    insta::assert_json_snapshot!("wellbeing", json(&ladder(&["wellbeing", "--shifts", &data("shifts.csv"), "--json"])));
}

#[test]
fn wellbeing_flags_the_night_worker_and_not_the_day_worker() {
    let out = json(&ladder(&["wellbeing", "--shifts", &data("shifts.csv"), "--json"]));
    let by = |id: &str| out.as_array().unwrap().iter().find(|e| e["employee"] == id).unwrap()["assessment"].clone();
    let kinds: Vec<String> =
        by("N01")["flags"].as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap().to_string()).collect();
    for kind in ["consecutive-nights", "short-rest", "long-shift"] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} in {kinds:?}");
    }
    assert!(by("D01")["flags"].as_array().unwrap().is_empty());
}

#[test]
fn bad_shifts_name_the_line() {
    let err = stderr(&ladder(&["wellbeing", "--shifts", &data("shifts-bad.csv")]));
    assert!(err.contains("shifts-bad.csv:3: field 'start': 'yesterday' is not a date-time"), "{err}");
}

#[test]
fn framework_validate_passes_the_default_and_names_problems_in_a_broken_file() {
    let dir = std::env::temp_dir().join(format!("ladder-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.toml");
    std::fs::write(&good, ladder_core::framework::DEFAULT_FRAMEWORK_TOML).unwrap();
    assert!(stdout(&ladder(&["framework", "validate", good.to_str().unwrap()])).contains("valid"));

    let broken = dir.join("broken.toml");
    let text = ladder_core::framework::DEFAULT_FRAMEWORK_TOML.to_string()
        + "\n[[path]]\nfrom = \"team-leader\"\nto = \"nobody\"\nmonths_min = 30\nmonths_max = 20\n";
    std::fs::write(&broken, text).unwrap();
    let out = ladder(&["framework", "validate", broken.to_str().unwrap()]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!out.status.success());
    assert!(err.contains("(team-leader → nobody).to: unknown role 'nobody'"), "{err}");
    assert!(err.contains("months_min: 30 is more than months_max 20"), "{err}");
    assert!(err.contains("2 problem(s) found"), "{err}");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn framework_show_prints_a_role() {
    let text = stdout(&ladder(&["framework", "show", "team-leader"]));
    assert!(text.contains("Team Leader") && text.contains("KRAs") && text.contains("To move into this role"), "{text}");
}
