//! A person's own Ladder (issue 30): the calendar (download, secret feed, revocation, stable
//! UIDs, every feed read back by an iCalendar parser), reminder e-mails (to a folder, through a
//! local SMTP server, once only across restarts, per-person opt-outs) and self sign-up.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{Duration, Utc};
use icalendar::Component;
use ladder_core::{EmployeeId, Framework};
use ladder_server::service::mail::{self, Mailer};
use ladder_server::state::{AppState, Config};
use ladder_store::records::{self, CertificationRecord, CertificationStatus, NewCoachingNote};
use ladder_store::wellbeing::{self, Kind, Record, Shift};
use ladder_store::Db;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::common::{each_app, each_app_with, Persona, TestApp, PASSWORD};

/// A mail folder of its own for one test, removed when dropped.
struct MailFolder(PathBuf);

impl MailFolder {
    fn new(name: &str) -> MailFolder {
        let dir = std::env::temp_dir().join(format!("ladder-test-mail-{name}-{}", ladder_server::auth::new_secret()));
        MailFolder(dir)
    }
    /// Every message written so far, as text with quoted-printable soft breaks joined.
    fn messages(&self) -> Vec<String> {
        let Ok(dir) = std::fs::read_dir(&self.0) else { return vec![] };
        let mut out: Vec<String> = dir
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .map(|p| std::fs::read_to_string(p).unwrap().replace("=\r\n", "").replace("=3D", "="))
            .collect();
        out.sort();
        out
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for MailFolder {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

/// The agent's plan, a certification expiring soon, a coaching follow-up and two shifts ahead.
async fn fill_calendar(db: &Db, employee: EmployeeId, author: ladder_core::UserId) {
    let today = Utc::now().date_naive();
    records::save_career_plan(db, employee, "team-leader", 5, &[], None).await.unwrap();
    let cert = CertificationRecord {
        id: 0,
        employee_id: employee,
        certification_id: "six-sigma-yellow-belt".into(),
        status: CertificationStatus::Earned,
        planned_date: None,
        earned_date: Some(today - Duration::days(700)),
        expires_date: Some(today + Duration::days(20)),
        evidence_url: None,
        evidence_file: None,
        evidence_changed_at: None,
        verification: None,
        verified_by: None,
        verified_at: None,
        rejection_reason: None,
    };
    records::upsert_certification(db, &cert, None, None).await.unwrap();
    let note = NewCoachingNote {
        metric: "csat".into(),
        note: "Listen first, then; ask\\why\r\nnext line\rlast\u{7}".into(),
        follow_up: today + Duration::days(5),
    };
    records::add_coaching_note(db, employee, author, &note).await.unwrap();
    let start = Utc::now() + Duration::days(2);
    let shifts: Vec<Shift> = (0..2)
        .map(|d| Shift {
            employee_id: employee,
            record: Record::Scheduled,
            starts_at: start + Duration::days(d),
            ends_at: start + Duration::days(d) + Duration::hours(9),
            time_zone: "Asia/Manila".into(),
            kind: Kind::Day,
            breaks_minutes: 60,
        })
        .collect();
    let mut tx = db.begin().await.unwrap();
    wellbeing::insert(&mut tx, &shifts, None).await.unwrap();
    tx.commit().await.unwrap();
}

/// Parses an iCalendar text back (the `icalendar` crate's parser) and gives its events' UIDs.
fn uids_of(text: &str) -> BTreeSet<String> {
    let calendar: icalendar::Calendar = text.parse().unwrap_or_else(|e| panic!("{e}\n{text}"));
    let events: Vec<_> = calendar.events().collect();
    assert!(events.iter().all(|e| e.get_summary().is_some() && e.get_start().is_some()), "{text}");
    events.iter().map(|e| e.get_uid().expect("every event has a UID").to_string()).collect()
}

async fn calendar_text(res: reqwest::Response) -> String {
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    res.text().await.unwrap()
}

#[tokio::test]
async fn the_calendar_has_every_kind_of_date_with_stable_uids_and_its_feed_can_be_revoked() {
    each_app(async |app: TestApp| {
        let f = &app.fixture;
        fill_calendar(&app.db, f.agent, f.users[&Persona::Leader]).await;
        let agent = app.sign_in(Persona::Agent).await;
        let first = calendar_text(agent.get("/api/v1/me/calendar.ics").await).await;
        let uids = uids_of(&first);
        for kind in ["milestone-", "checkin-", "certification-", "follow-up-", "shift-"] {
            assert!(uids.iter().any(|u| u.starts_with(kind)), "a {kind} event in {uids:?}");
        }
        assert!(first.contains("X-WR-CALNAME:Ladder: Ana Agent"), "{first}");
        let again = calendar_text(agent.get("/account/calendar.ics").await).await;
        assert_eq!(uids_of(&again), uids, "the same UIDs on every call");

        // A feed at a secret address, readable without signing in, webcal-friendly.
        let links: serde_json::Value = agent.put("/api/v1/me/calendar-feed", json!({})).await.json().await.unwrap();
        let url = links["url"].as_str().unwrap().to_string();
        assert!(links["webcal"].as_str().unwrap().starts_with("webcal://"), "{links}");
        let path = url.split_once("/calendar/").map(|(_, t)| format!("/calendar/{t}")).unwrap();
        let anonymous = app.sign_in(Persona::Anonymous).await;
        assert_eq!(uids_of(&calendar_text(anonymous.get(&path).await).await), uids);

        // A new address replaces the old one; revoking ends it.
        let links: serde_json::Value = agent.put("/api/v1/me/calendar-feed", json!({})).await.json().await.unwrap();
        let new_path =
            links["url"].as_str().unwrap().split_once("/calendar/").map(|(_, t)| format!("/calendar/{t}")).unwrap();
        assert_eq!(anonymous.get(&path).await.status(), 404, "the replaced address stops working");
        assert_eq!(uids_of(&calendar_text(anonymous.get(&new_path).await).await), uids);
        assert_eq!(agent.delete("/api/v1/me/calendar-feed").await.status(), 204);
        assert_eq!(anonymous.get(&new_path).await.status(), 404, "a revoked address stops working");
        assert_eq!(agent.delete("/api/v1/me/calendar-feed").await.status(), 404, "nothing left to revoke");
        assert_eq!(anonymous.get("/calendar/nonsense.ics").await.status(), 404);

        // The account page: the download, a feed address shown once, the reminder e-mail choices.
        let account = agent.get("/account").await.text().await.unwrap();
        assert!(account.contains("href=\"/account/calendar.ics\"") && account.contains("No feed address is active"));
        let csrf = agent.csrf.clone().unwrap();
        let post = |path: &str, fields: Vec<(&'static str, String)>| {
            agent.client.post(format!("{}{path}", app.base)).form(&fields).send()
        };
        let page = post("/account/calendar-feed", vec![("_csrf", csrf.clone())]).await.unwrap().text().await.unwrap();
        let webcal = page.split("href=\"webcal://").nth(1).and_then(|r| r.split('"').next()).expect(&page);
        let path = format!("/calendar/{}", webcal.split_once("/calendar/").unwrap().1);
        assert_eq!(uids_of(&calendar_text(anonymous.get(&path).await).await), uids);
        let page = post("/account/calendar-feed/revoke", vec![("_csrf", csrf.clone())]).await.unwrap();
        assert!(page.text().await.unwrap().contains("Calendar feed revoked"));
        assert_eq!(anonymous.get(&path).await.status(), 404);
        let fields = vec![("_csrf", csrf.clone()), ("checkin-due", "on".to_string())];
        let page = post("/account/mail", fields).await.unwrap().text().await.unwrap();
        assert!(page.contains("Reminder e-mails saved."), "{page}");
        let settings: serde_json::Value = agent.get("/api/v1/me/mail").await.json().await.unwrap();
        let on: Vec<&str> = settings["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["on"] == true)
            .map(|m| m["kind"].as_str().unwrap())
            .collect();
        assert_eq!(on, ["checkin-due"]);

        // No personal record, no calendar; another person's is not reachable at all.
        let hr = app.sign_in(Persona::Hr).await;
        assert_eq!(hr.get("/api/v1/me/calendar.ics").await.status(), 404);
        assert!(!hr.get("/account").await.text().await.unwrap().contains("/account/calendar.ics"));
        let other = app.sign_in(Persona::OtherTeamAgent).await;
        let theirs = calendar_text(other.get("/api/v1/me/calendar.ics").await).await;
        assert!(uids_of(&theirs).iter().all(|u| !u.contains(&format!("-{}-", f.agent))), "{theirs}");
    })
    .await;
}

#[tokio::test]
async fn the_service_calendar_for_an_employee_parses_back() {
    each_app(async |app: TestApp| {
        let f = &app.fixture;
        fill_calendar(&app.db, f.agent, f.users[&Persona::Leader]).await;
        let employee = ladder_store::org::employee(&app.db, f.agent).await.unwrap();
        let framework = Framework::default_framework();
        let text =
            ladder_server::service::calendar::for_employee(&app.db, &framework, &employee, Utc::now()).await.unwrap();
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.contains("PRODID:-//Ladder//"), "{text}");
        assert_eq!(text.matches("\r\nPRODID:").count(), 1, "one PRODID, as RFC 5545 has it: {text}");
        let uids = uids_of(&text);
        assert!(uids.len() >= 7, "{text}");
        let domain = uids.first().and_then(|u| u.split_once('@')).map(|(_, d)| d.to_string()).unwrap();
        assert!(uids.iter().all(|u| u.ends_with(&format!("@{domain}"))), "one domain per database: {uids:?}");
        assert!(text.contains("SUMMARY:Coaching follow-up: "), "{text}");
        // CRLF and a lone CR in a note become escaped line breaks; `,;\` are escaped; only CRLF
        // ends a line, and the calendar's name is X-WR-CALNAME alone.
        let unfolded = text.replace("\r\n ", "");
        assert!(
            unfolded.contains(concat!(r"DESCRIPTION:Listen first\, then\; ask\\why\nnext line\nlast", "\r\n")),
            "{text}"
        );
        assert!(text.split("\r\n").all(|line| !line.contains('\r') && !line.contains('\n')), "{text:?}");
        assert!(!text.contains('\u{7}'), "control characters are dropped");
        assert!(text.contains("\r\nX-WR-CALNAME:Ladder: ") && !text.contains("\r\nNAME:"), "{text}");
    })
    .await;
}

fn mail_config(folder: &MailFolder) -> Config {
    Config { mail_folder: folder.path().to_path_buf(), reminder_mail_minutes: 0, ..Config::default() }
}

#[tokio::test]
async fn reminder_mails_go_once_even_after_a_restart_and_not_to_who_turned_them_off() {
    let folder = MailFolder::new("reminders");
    each_app_with(mail_config(&folder), async |app: TestApp| {
        std::fs::remove_dir_all(folder.path()).ok();
        let f = &app.fixture;
        fill_calendar(&app.db, f.agent, f.users[&Persona::Leader]).await;
        let other = app.sign_in(Persona::OtherTeamAgent).await;
        let res = other.put("/api/v1/me/mail", json!({ "off": ["checkin-due"] })).await;
        assert_eq!(res.status(), 200);
        let settings: serde_json::Value = res.json().await.unwrap();
        let first = &settings["items"][0];
        assert_eq!(*first, json!({ "kind": "checkin-due", "label": "My monthly check-in is due", "on": false }));
        assert_eq!((&settings["total"], &settings["next"]), (&json!(7), &json!(null)), "every kind, one page");
        let bad = other.put("/api/v1/me/mail", json!({ "off": ["spam"] })).await;
        assert_eq!(bad.status(), 422);
        assert!(bad.text().await.unwrap().contains("off[0]"));

        // An SMTP server out of reach ends the pass with nothing sent and nothing claimed.
        let unreachable = Config { smtp_url: Some("smtp://127.0.0.1:1".into()), ..mail_config(&folder) };
        let down = AppState::new(app.db.clone(), Framework::default_framework(), unreachable);
        assert_eq!(mail::send_due_reminders(&down, Utc::now()).await.unwrap(), 0);

        let state = AppState::new(app.db.clone(), Framework::default_framework(), mail_config(&folder));
        let sent = mail::send_due_reminders(&state, Utc::now()).await.unwrap();
        assert!(sent > 0, "the claims of the failed pass were given back");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(folder.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700, "the mail folder is private");
        }
        let messages = folder.messages();
        assert_eq!(messages.len(), sent as usize);
        let to_agent: Vec<&String> = messages.iter().filter(|m| m.contains("To: agent@example.com")).collect();
        for subject in ["check-in for", "expires on", "Coaching follow-up"] {
            assert!(to_agent.iter().any(|m| m.contains(subject)), "a mail about {subject:?} in {to_agent:#?}");
        }
        assert!(messages.iter().any(|m| m.contains("To: leader@example.com")), "the leader's check-in too");
        assert!(!messages.iter().any(|m| m.contains("To: other-agent@example.com")), "turned off");

        // As after a restart: a new server state over the same database sends nothing again.
        let restarted = AppState::new(app.db.clone(), Framework::default_framework(), mail_config(&folder));
        assert_eq!(mail::send_due_reminders(&restarted, Utc::now()).await.unwrap(), 0);
        assert_eq!(folder.messages().len(), messages.len());

        // Turned back on, the other agent's check-in reminder goes out once.
        other.put("/api/v1/me/mail", json!({ "off": [] })).await;
        assert_eq!(mail::send_due_reminders(&restarted, Utc::now()).await.unwrap(), 1);
        assert_eq!(mail::send_due_reminders(&state, Utc::now()).await.unwrap(), 0);
    })
    .await;
}

/// A tiny SMTP server: answers every command, keeps each message's DATA, serves one connection.
async fn smtp_sink() -> (u16, tokio::task::JoinHandle<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
        let mut seen = String::new();
        let mut in_data = false;
        while let Some(line) = lines.next_line().await.unwrap() {
            seen.push_str(&line);
            seen.push('\n');
            let reply: &[u8] = if in_data {
                if line != "." {
                    continue;
                }
                in_data = false;
                b"250 queued\r\n"
            } else {
                match line.get(..4).unwrap_or("").to_ascii_uppercase().as_str() {
                    "DATA" => {
                        in_data = true;
                        b"354 go on\r\n"
                    }
                    "QUIT" => {
                        write.write_all(b"221 bye\r\n").await.ok();
                        break;
                    }
                    _ => b"250 ok\r\n",
                }
            };
            write.write_all(reply).await.unwrap();
        }
        seen
    });
    (port, task)
}

#[tokio::test]
async fn mail_goes_through_a_local_smtp_server() {
    let (port, sink) = smtp_sink().await;
    let config = Config { smtp_url: Some(format!("smtp://127.0.0.1:{port}")), ..Config::default() };
    let mailer = Mailer::from_config(&config).unwrap();
    mailer.send("agent@example.com", "Your check-in is due", "Hello Ana".into()).await.unwrap();
    drop(mailer);
    let seen = tokio::time::timeout(std::time::Duration::from_secs(30), sink).await.unwrap().unwrap();
    assert!(seen.contains("RCPT TO:<agent@example.com>"), "{seen}");
    assert!(seen.contains("Subject: Your check-in is due") && seen.contains("Hello Ana"), "{seen}");
    let bad = Config { smtp_url: Some("ftp://nowhere".into()), ..Config::default() };
    assert!(Mailer::from_config(&bad).err().is_some_and(|e| e.starts_with("smtp-url")));
}

fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"_csrf\" value=\"").expect("a form with a CSRF field") + 20;
    html[at..].split('"').next().unwrap().to_string()
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

#[tokio::test]
async fn self_signup_is_off_by_default() {
    each_app(async |app: TestApp| {
        let client = browser();
        assert_eq!(client.get(format!("{}/signup", app.base)).send().await.unwrap().status(), 404);
        assert_eq!(client.get(format!("{}/signup/{}", app.base, "ab".repeat(32))).send().await.unwrap().status(), 404);
        let page = client.get(format!("{}/signin", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(!page.contains("/signup"), "no sign-up link");
        let csrf = csrf_of(&page);
        let res = client
            .post(format!("{}/signup", app.base))
            .form(&[("_csrf", csrf.as_str()), ("email", "new@example.org"), ("name", "New")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
    })
    .await;
}

/// Posts the sign-up form for `email`; the status.
async fn sign_up(app: &TestApp, client: &reqwest::Client, email: &str) -> u16 {
    let page = client.get(format!("{}/signup", app.base)).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);
    let form = [("_csrf", csrf.as_str()), ("email", email), ("name", "Nina New")];
    client.post(format!("{}/signup", app.base)).form(&form).send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn a_signup_is_confirmed_once_by_its_link_an_old_link_is_refused_and_hr_links_the_account() {
    let folder = MailFolder::new("signup");
    let config = Config { self_signup: true, ..mail_config(&folder) };
    each_app_with(config, async |app: TestApp| {
        std::fs::remove_dir_all(folder.path()).ok();
        let client = browser();
        let signin = client.get(format!("{}/signin", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(signin.contains("href=\"/signup\""), "the sign-in page links the sign-up");
        // A display name or a bare word is not an address; the address is kept lower-case.
        assert_eq!(sign_up(&app, &client, "Eve <eve@example.org>").await, 422);
        assert_eq!(sign_up(&app, &client, "eve@").await, 422);
        assert_eq!(sign_up(&app, &client, "Nina@Example.ORG").await, 200);
        let mails = folder.messages();
        assert_eq!(mails.len(), 1);
        assert!(!mails[0].contains("Nina New"), "the visitor's free-text name is not mailed");
        let at = mails[0].find("/signup/").expect("a confirmation link") + 8;
        let token: String = mails[0][at..].chars().take_while(char::is_ascii_hexdigit).collect();
        assert_eq!(token.len(), 64);
        let link = format!("{}/signup/{token}", app.base);

        let page = client.get(&link).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("nina@example.org"));
        let csrf = csrf_of(&page);
        let weak = client.post(&link).form(&[("_csrf", csrf.as_str()), ("password", "short")]).send().await.unwrap();
        assert_eq!(weak.status(), 422, "a weak password is refused and the link still works");
        let form = [("_csrf", csrf.as_str()), ("password", PASSWORD)];
        assert_eq!(client.post(&link).form(&form).send().await.unwrap().status(), 200);
        assert_eq!(client.post(&link).form(&form).send().await.unwrap().status(), 404, "a link confirms once");
        assert_eq!(client.get(&link).send().await.unwrap().status(), 404);

        // The new account signs in, with no employee record yet.
        let api = app.client();
        let res = api
            .post(format!("{}/api/v1/session", app.base))
            .json(&json!({ "email": "nina@example.org", "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let session: serde_json::Value = res.json().await.unwrap();
        assert_eq!(session["user"]["employee_id"], serde_json::Value::Null);
        assert_eq!(session["user"]["access"], "agent");
        let nina = session["user"]["id"].as_i64().unwrap();
        let csrf_token = session["csrf_token"].as_str().map(str::to_string);
        let own = crate::common::Session { client: api, csrf: csrf_token, base: app.base.clone() };

        // Their personal plan, from a role to another, laid out by the planner.
        let plan = json!({ "from_role": "Customer Service Executive", "to_role": "team-leader", "horizon_years": 5 });
        let res = own.put("/api/v1/me/personal-plan", plan).await;
        assert_eq!(res.status(), 200);
        let view: serde_json::Value = res.json().await.unwrap();
        assert_eq!(view["from_role"], "customer-service-executive");
        assert!(!view["plan"]["fastest"]["milestones"].as_array().unwrap().is_empty(), "{view}");
        let bad = own
            .put("/api/v1/me/personal-plan", json!({ "from_role": "x", "to_role": "team-leader", "horizon_years": 5 }));
        assert_eq!(bad.await.status(), 422);
        let page = own.get("/my-plan").await.text().await.unwrap();
        assert!(page.contains("The path") && page.contains("Team Leader"), "{page}");
        let home = own.get("/home").await.text().await.unwrap();
        assert!(home.contains("href=\"/my-plan\"") && !home.contains("href=\"/pipeline\""), "{home}");

        // HR links it to a record that has no account; a second link is a conflict.
        let hr = app.sign_in(Persona::Hr).await;
        let far = app.fixture.far_agent;
        let body = json!({ "employee_id": far });
        let agent = app.sign_in(Persona::Agent).await;
        assert_eq!(agent.put(&format!("/api/v1/users/{nina}/employee"), body.clone()).await.status(), 403);
        let res = hr.put(&format!("/api/v1/users/{nina}/employee"), body.clone()).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.json::<serde_json::Value>().await.unwrap()["employee_id"], json!(far));
        assert_eq!(hr.put(&format!("/api/v1/users/{nina}/employee"), body).await.status(), 409);

        // An expired link is refused; so is signing up again with a taken e-mail (a note instead).
        let now = Utc::now();
        let old = "cd".repeat(32);
        let hash = ladder_server::auth::hash_secret(&old);
        ladder_store::signups::start(
            &app.db,
            "late@example.org",
            "Late",
            &hash,
            now - Duration::days(2),
            now - Duration::days(1),
        )
        .await
        .unwrap();
        assert_eq!(client.get(format!("{}/signup/{old}", app.base)).send().await.unwrap().status(), 404);
        let form = [("_csrf", csrf.as_str()), ("password", PASSWORD)];
        let res = client.post(format!("{}/signup/{old}", app.base)).form(&form).send().await.unwrap();
        assert_eq!(res.status(), 404, "an expired link makes no account");
        assert!(ladder_store::users::user_by_email(&app.db, "late@example.org").await.unwrap().is_none());
        assert_eq!(sign_up(&app, &client, "agent@example.com").await, 200);
        assert!(folder.messages().iter().any(|m| m.contains("You already have a Ladder account")));

        // Throttled per e-mail: the fourth sign-up in the hour waits.
        for _ in 0..2 {
            assert_eq!(sign_up(&app, &client, "spam@example.org").await, 200);
        }
        assert_eq!(sign_up(&app, &client, "spam@example.org").await, 200);
        assert_eq!(sign_up(&app, &client, "spam@example.org").await, 429);
    })
    .await;
}

#[tokio::test]
async fn a_signup_link_makes_one_account_once_in_one_transaction() {
    each_app(async |app: TestApp| {
        let now = Utc::now();
        let start = |email: &'static str, token: &'static str| {
            let db = app.db.clone();
            async move {
                let hash = ladder_server::auth::hash_secret(token);
                ladder_store::signups::start(&db, email, "Nina New", &hash, now, now + Duration::hours(1))
                    .await
                    .unwrap();
                hash
            }
        };
        let org = app.fixture.organisation;
        let hash = start("twice@example.org", "ab01").await;
        // Two confirmations of the same link at once: one account, one link spent.
        let (a, b) = tokio::join!(
            ladder_store::signups::confirm(&app.db, &hash, now, org, "x"),
            ladder_store::signups::confirm(&app.db, &hash, now, org, "x"),
        );
        let made: Vec<_> = [a.unwrap(), b.unwrap()].into_iter().flatten().collect();
        assert_eq!(made.len(), 1, "{made:?}");
        let user = ladder_store::users::user_by_email(&app.db, "twice@example.org").await.unwrap().unwrap();
        assert_eq!(user.id, made[0]);
        assert_eq!((user.access.as_str(), user.employee_id), ("agent", None));
        assert_eq!(ladder_store::signups::confirm(&app.db, &hash, now, org, "x").await.unwrap(), None);
        assert!(ladder_store::signups::pending(&app.db, &hash, now).await.unwrap().is_none());

        // An account that cannot be made (the e-mail was taken meanwhile) leaves the link unspent.
        let hash = start("agent@example.com", "ab02").await;
        let err = ladder_store::signups::confirm(&app.db, &hash, now, org, "x").await.unwrap_err();
        assert!(matches!(err, ladder_store::StoreError::Conflict(_)), "{err}");
        assert!(ladder_store::signups::pending(&app.db, &hash, now).await.unwrap().is_some(), "the link still works");
    })
    .await;
}

/// Each recipient's (address, subject) of what [`mail::due_mails`] gives them one at a time,
/// less the kinds they turned off: what a batched pass must send.
async fn expected_one_by_one(state: &AppState, now: chrono::DateTime<Utc>) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (user, email, id) in ladder_store::mail::recipients(&state.db).await.unwrap() {
        let employee = ladder_store::org::employee(&state.db, id).await.unwrap();
        if !employee.active {
            continue;
        }
        let off = ladder_store::mail::opt_outs(&state.db, user).await.unwrap();
        for m in mail::due_mails(state, &employee, now).await.unwrap() {
            if !off.iter().any(|k| k == m.kind.as_str()) {
                out.insert((email.clone(), m.subject));
            }
        }
    }
    out
}

/// The (address, subject) of every message in the folder.
fn sent_in(folder: &MailFolder) -> BTreeSet<(String, String)> {
    let header = |m: &str, name: &str| {
        m.lines().find_map(|l| l.strip_prefix(name)).map(|v| v.trim().to_string()).unwrap_or_default()
    };
    folder.messages().iter().map(|m| (header(m, "To: "), header(m, "Subject: "))).collect()
}

#[tokio::test]
async fn the_reminder_pass_reads_everyone_at_once_and_sends_what_one_by_one_would() {
    let folder = MailFolder::new("reminder-batch");
    each_app_with(mail_config(&folder), async |app: TestApp| {
        std::fs::remove_dir_all(folder.path()).ok();
        let (db, f) = (&app.db, &app.fixture);
        let now = Utc::now();
        let leader = f.users[&Persona::Leader];
        // The agent: an expiring certification, a follow-up, an acknowledged check-in.
        fill_calendar(db, f.agent, leader).await;
        let checkin = records::NewCheckin {
            month: ladder_core::period::Month::of(now.date_naive()).first_day(),
            highlights: "A good month".into(),
            accomplishment_ids: vec![],
            blockers: String::new(),
            asks: String::new(),
        };
        let sent = records::submit_checkin(db, f.agent, &checkin).await.unwrap();
        records::acknowledge_checkin(db, sent.id, leader, "Well done", None).await.unwrap();
        // The other agent: an application moved on, and check-in reminders turned off.
        let fields: ladder_store::openings::OpeningFields = serde_json::from_value(json!({
            "role_id": "senior-agent", "title": "Senior Agent", "site_id": f.sites[0], "account_id": f.accounts[0],
            "team_id": f.teams[1].0, "headcount": 1, "shift": "day", "shift_hours": "08:00–17:00",
            "hours_per_week": 40, "arrangement": "on-site", "pay_min": 1, "pay_max": 2, "currency": "PHP",
            "allowances": 0, "allowances_note": "", "night_differential_percent": 10, "signing_bonus": 0,
            "description": "", "closing_date": "2099-12-31", "rule_no_final_warning": false,
            "rule_min_company_months": 0, "rule_same_site": false, "published": true, "hiring_manager_id": null,
        }))
        .unwrap();
        let hr = f.users[&Persona::Hr];
        let opening = ladder_store::openings::create(db, &fields, Some(hr), now.date_naive()).await.unwrap();
        let other = f.other_agent;
        let applied = ladder_store::openings::applications::apply(db, opening, other, "{}", hr).await.unwrap();
        let step = ladder_store::openings::applications::Move {
            id: applied,
            employee: other,
            from: "applied",
            to: "screening",
            note: "",
            actor: hr,
            hire: None,
        };
        ladder_store::openings::applications::move_stage(db, &step).await.unwrap();
        ladder_store::mail::set_opt_outs(db, f.users[&Persona::OtherTeamAgent], &["checkin-due"]).await.unwrap();
        // The other leader left: nothing for them.
        let gone = ladder_store::leaver_links::Leaver {
            employee: f.other_leader,
            left_on: now.date_naive(),
            token_hash: "ff".into(),
            by: None,
            expires_at: now,
        };
        ladder_store::leaver_links::close_as_leaver(db, &gone).await.unwrap();

        let state = AppState::new(db.clone(), Framework::default_framework(), mail_config(&folder));
        let expected = expected_one_by_one(&state, now).await;
        let to = |who: Persona| expected.iter().filter(|(to, _)| to == who.email()).count();
        assert!(
            to(Persona::Agent) >= 3 && to(Persona::OtherTeamAgent) == 1 && to(Persona::Leader) >= 1,
            "{expected:?}"
        );
        assert_eq!(to(Persona::OtherLeader), 0, "{expected:?}");
        assert!(expected.iter().any(|(_, s)| s.contains("was acknowledged")), "{expected:?}");
        assert!(expected.iter().any(|(_, s)| s.contains("moved to screening")), "{expected:?}");

        let count = mail::send_due_reminders(&state, now).await.unwrap();
        assert_eq!(count as usize, expected.len());
        assert_eq!(sent_in(&folder), expected);
        assert_eq!(mail::send_due_reminders(&state, now).await.unwrap(), 0, "each goes once");
    })
    .await;
}
