//! The real binary end to end: `ladder demo --no-serve` builds a database, `ladder serve` serves
//! it on a free port, the printed demo sign-ins work over HTTP, and `user`, `migrate` and
//! `backup` work beside the running server.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{json, Value};

const PASSWORD: &str = "ladder-demo-2026";

fn ladder(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(args)
        .env_remove("LADDER_DATABASE")
        .env_remove("LADDER_PUBLIC_URL")
        .output()
        .expect("the ladder binary runs")
}

/// `ladder user add` of (email, name, access) into `db`, with more flags after.
fn add_user(db: &str, (email, name, access): (&str, &str, &str), more: &[&str]) -> Output {
    let args = ["user", "add", "--database", db, "--email", email, "--name", name, "--access", access];
    ladder(&[&args[..], more].concat())
}

pub(crate) fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "ladder failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub(crate) fn scratch(name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let dir = std::env::temp_dir().join(format!("ladder-cli-{name}-{}-{nanos:x}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub(crate) fn url_of(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// A running `ladder` that is killed when dropped.
pub(crate) struct Server {
    child: Child,
    pub(crate) base: String,
    pub(crate) stdout: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `ladder ARGS` and waits for "Ladder is listening on http://…".
pub(crate) fn start(args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(args)
        .env_remove("LADDER_DATABASE")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the ladder binary starts");
    let out = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    let mut server = Server { child, base: String::new(), stdout: vec![] };
    loop {
        let line = rx
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|_| panic!("no 'listening' line from ladder {args:?}; it printed:\n{}", lines.join("\n")));
        lines.push(line.clone());
        if let Some(rest) = line.split("Ladder is listening on ").nth(1) {
            server.base = rest.trim().to_string();
            // The lines after it: the API's address and how to stop.
            while let Ok(more) = rx.recv_timeout(Duration::from_secs(5)) {
                let last = more.contains("Ctrl-C");
                lines.push(more);
                if last {
                    break;
                }
            }
            server.stdout = lines;
            return server;
        }
    }
}

/// The sign-ins the demo printed: (persona, email).
fn sign_ins(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .skip_while(|l| !l.starts_with("Sign in with password"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| {
            let email = l.split_whitespace().find(|w| w.contains('@'))?.to_string();
            let persona = l.trim_start().split("  ").next()?.trim().to_string();
            Some((persona, email))
        })
        .collect()
}

pub(crate) async fn sign_in(base: &str, email: &str, password: &str) -> (reqwest::Client, reqwest::StatusCode, Value) {
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let res = client
        .post(format!("{base}/api/v1/session"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap();
    let status = res.status();
    let body = res.json().await.unwrap_or(Value::Null);
    (client, status, body)
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_then_serve_then_sign_in_and_manage_users() {
    let dir = scratch("serve");
    let db = url_of(&dir.join("demo.db"));
    let built = ok(ladder(&[
        "demo",
        "--no-serve",
        "--database",
        &db,
        "--employees",
        "100",
        "--teams",
        "6",
        "--accounts",
        "6",
        "--sites",
        "2",
        "--months",
        "3",
        "--through",
        "2026-10",
        "--seed",
        "5",
    ]));
    let logins = sign_ins(&built);
    let personas: Vec<&str> = logins.iter().map(|(p, _)| p.as_str()).collect();
    for p in ["agent", "team leader", "manager", "HR", "admin"] {
        assert!(personas.contains(&p), "the demo prints a {p} sign-in:\n{built}");
    }
    assert!(built.contains(&format!("password {PASSWORD}")), "{built}");

    let server = start(&["serve", "--database", &db, "--bind", "127.0.0.1:0"]);
    let base = server.base.clone();
    assert!(server.stdout.iter().any(|l| l.contains("/api/v1/openapi.json")), "{:?}", server.stdout);

    let http = reqwest::Client::new();
    let health = http.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(health.text().await.unwrap(), "ok");
    let openapi = http.get(format!("{base}/api/v1/openapi.json")).send().await.unwrap();
    assert_eq!(openapi.status(), 200);

    // Every printed sign-in works, and says who it is.
    for (persona, email) in &logins {
        let (client, status, body) = sign_in(&base, email, PASSWORD).await;
        assert_eq!(status, 200, "{persona} ({email}) signs in: {body}");
        let me: Value = client.get(format!("{base}/api/v1/me")).send().await.unwrap().json().await.unwrap();
        assert_eq!(me["email"], email.as_str(), "{me}");
    }
    let (_, wrong, _) = sign_in(&base, &logins[0].1, "not the password").await;
    assert_eq!(wrong, 401);

    // An API token for the admin, as the benchmark script makes one.
    let admin = &logins.iter().find(|(p, _)| p == "admin").unwrap().1;
    let (client, _, body) = sign_in(&base, admin, PASSWORD).await;
    let csrf = body["csrf_token"].as_str().expect("a CSRF token").to_string();
    let res = client
        .post(format!("{base}/api/v1/me/tokens"))
        .header("x-csrf-token", csrf)
        .json(&json!({ "name": "test" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let token: Value = res.json().await.unwrap();
    let res = http.get(format!("{base}/api/v1/me")).bearer_auth(token["token"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(res.status(), 200);

    // Users from the command line while the server runs: with a password, or an invitation.
    let mut add = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(["user", "add", "--database", &db, "--email", "Nora.HR@Example.com", "--name", "Nora Cruz"])
        .args(["--access", "hr", "--password-stdin"])
        .env_remove("LADDER_DATABASE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    add.stdin.take().unwrap().write_all(b"a long enough password\n").unwrap();
    let added = ok(add.wait_with_output().unwrap());
    assert!(added.contains("can sign in now"), "{added}");
    let (_, status, body) = sign_in(&base, "nora.hr@example.com", "a long enough password").await;
    assert_eq!(status, 200, "a user added with --password-stdin signs in: {body}");

    let invited = ok(add_user(
        &db,
        ("new.agent@example.com", "New Agent", "agent"),
        &["--employee", "NS000090", "--public-url", "https://ladder.example.com"],
    ));
    assert!(invited.contains("https://ladder.example.com/invite/"), "{invited}");
    // One account per employee (issue 27): NS000090 has one now.
    let second = add_user(&db, ("spy@example.com", "Spy", "agent"), &["--employee", "NS000090"]);
    assert!(!second.status.success(), "a second account for the same employee is refused");
    let said = String::from_utf8_lossy(&second.stderr);
    assert!(said.contains("employee_id") && said.contains("already has an account"), "{said}");
    let manager = ok(add_user(&db, ("ops@example.com", "Ops Person", "manager"), &["--site", "Manila"]));
    assert!(manager.contains("/invite/"), "{manager}");
    let refused = add_user(&db, ("x@example.com", "X", "root"), &[]);
    assert!(!refused.status.success());
    let duplicate = add_user(&db, ("new.agent@example.com", "Again", "agent"), &[]);
    assert!(!duplicate.status.success(), "the same email twice is refused");

    let list = ok(ladder(&["user", "list", "--database", &db]));
    assert!(list.contains("nora.hr@example.com") && list.contains("active"), "{list}");
    assert!(list.contains("new.agent@example.com") && list.contains("invited") && list.contains("NS000090"), "{list}");
    let json: Value = serde_json::from_str(&ok(ladder(&["user", "list", "--database", &db, "--json"]))).unwrap();
    assert!(json.as_array().unwrap().len() > logins.len());

    let reset = ok(ladder(&["user", "reset", "nora.hr@example.com", "--database", &db]));
    assert!(reset.contains("/invite/"), "{reset}");

    // Migrations and a backup beside the running server.
    let migrated = ok(ladder(&["migrate", "--database", &db]));
    assert!(
        migrated.contains(
            "applied migrations: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36\n"
        ),
        "{migrated}"
    );
    let copy = dir.join("copy.db");
    let backed_up = ok(ladder(&["backup", copy.to_str().unwrap(), "--database", &db]));
    assert!(backed_up.contains("Backed up"), "{backed_up}");
    let again = ladder(&["backup", copy.to_str().unwrap(), "--database", &db]);
    assert!(!again.status.success(), "a backup never overwrites a file");
    let copied = ok(ladder(&["user", "list", "--database", &url_of(&copy)]));
    assert!(copied.contains("nora.hr@example.com"), "the copy holds the data: {copied}");

    drop(server);
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_serves_what_it_builds() {
    let dir = scratch("demo");
    let db = url_of(&dir.join("demo.db"));
    let server = start(&[
        "demo",
        "--database",
        &db,
        "--bind",
        "127.0.0.1:0",
        "--employees",
        "60",
        "--teams",
        "4",
        "--accounts",
        "3",
        "--sites",
        "1",
        "--months",
        "2",
        "--through",
        "2026-10",
    ]);
    let printed = server.stdout.join("\n");
    let logins = sign_ins(&printed);
    assert!(logins.len() >= 5, "{printed}");
    for (persona, email) in &logins {
        let (_, status, body) = sign_in(&server.base, email, PASSWORD).await;
        assert_eq!(status, 200, "{persona}: {body}");
    }
    drop(server);
    // A second demo into the same database is refused, not mixed in.
    let out = ladder(&["demo", "--no-serve", "--database", &db, "--employees", "60", "--teams", "4", "--sites", "1"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already holds an organisation"));
    std::fs::remove_dir_all(dir).ok();
}
