//! `ladder me` end to end (issue 30): an empty database becomes a personal Ladder, the person
//! signs in to the served app, types a month's figures and gets the month's score; a second
//! setup is refused, `ladder me invite` prints a supervisor's link, and `ladder serve` on an
//! empty database says how to start.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::json;

use crate::serve::{ok, scratch, sign_in, start, url_of};

const PASSWORD: &str = "a long personal passphrase";

/// `ladder ARGS` with `stdin` written to its standard input.
fn ladder_with_input(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(args)
        .env_remove("LADDER_DATABASE")
        .env_remove("LADDER_PUBLIC_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the ladder binary runs");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn ladder_me_sets_up_a_personal_ladder_that_scores_a_first_month() {
    let dir = scratch("me");
    let db = url_of(&dir.join("me.db"));
    let me = |more: &[&str]| {
        let base = ["me", "--no-serve", "--database", &db, "--password-stdin", "--hire-date", "2025-01-13"];
        ladder_with_input(&[&base[..], more].concat(), &format!("{PASSWORD}\n"))
    };

    // Without a terminal, a missing answer names its flag; a bad one names its field.
    let out = me(&["--email", "ana@example.com"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--name is required"), "{out:?}");
    let out = me(&["--name", "Ana Reyes", "--email", "ana@example.com", "--role", "astronaut"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("role:"), "{out:?}");

    let printed =
        ok(me(&["--name", "Ana Reyes", "--email", "ana@example.com", "--role", "Customer Service Executive"]));
    assert!(printed.contains("Your personal Ladder is ready: Ana Reyes"), "{printed}");
    assert!(printed.contains("/signin") && printed.contains("your own admin"), "{printed}");
    let again = me(&["--name", "Bo", "--email", "bo@example.com"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds"), "{again:?}");
    // Refused before any question: no answers at all, still told the database is taken.
    let again = ladder_with_input(&["me", "--no-serve", "--database", &db], "");
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds"), "{again:?}");

    let server = start(&["serve", "--database", &db, "--bind", "127.0.0.1:0"]);
    let (client, status, body) = sign_in(&server.base, "ana@example.com", PASSWORD).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"]["access"], "admin", "{body}");
    let employee = body["user"]["employee_id"].as_i64().expect("her own record");
    let csrf = body["csrf_token"].as_str().unwrap().to_string();
    let month = "2026-03";
    let figures = json!([
        { "metric": "csat", "numerator": 45, "denominator": 50 },
        { "metric": "fcr", "numerator": 75, "denominator": 100 },
        { "metric": "aht", "numerator": 560 * 200, "denominator": 200 }
    ]);
    let res = client
        .put(format!("{}/api/v1/employees/{employee}/actuals/{month}", server.base))
        .header("x-csrf-token", &csrf)
        .json(&figures)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204, "{}", res.text().await.unwrap());
    let card: serde_json::Value = client
        .get(format!("{}/api/v1/employees/{employee}/scorecard?month={month}", server.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(card["month_state"]["state"], "scored", "{card}");
    assert!(card["scorecard"]["total"].as_f64().unwrap() > 0.0, "{card}");
    drop(server);

    // `ladder me invite`: a supervisor's one-time link, starting with the public address.
    let invite = ok(ladder_with_input(
        &["me", "invite", "--database", &db, "--public-url", "https://ladder.example.com/", "--days", "2"],
        "",
    ));
    assert!(invite.contains("https://ladder.example.com/supervise/"), "{invite}");
    let out = ladder_with_input(&["me", "invite", "--database", &db, "--days", "31"], "");
    assert!(!out.status.success(), "at most 30 days: {out:?}");

    // `ladder serve` over an empty database, without a terminal: it says how to start.
    let empty = url_of(&dir.join("empty.db"));
    let server = start(&["serve", "--database", &empty, "--bind", "127.0.0.1:0"]);
    assert!(server.stdout.iter().any(|l| l.contains("`ladder me` sets up a personal Ladder")), "{:?}", server.stdout);
    drop(server);
    let out = ladder_with_input(&["me", "invite", "--database", &empty], "");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a personal Ladder"), "{out:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
