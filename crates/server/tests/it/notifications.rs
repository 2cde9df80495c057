//! Notifications (issue 26): written with the event they tell of, to the right people only;
//! one's own list paged newest first; marking read; the daily pass's follow-ups (once each) and
//! sweep; the header's unread count; the review queue and a past check-in's page.

use crate::common;

use chrono::{Duration, Utc};
use common::{each_app, Persona, Session, TestApp};
use ladder_core::period::Month;
use ladder_core::Framework;
use ladder_server::service::notifications as service;
use ladder_server::state::{AppState, Config};
use ladder_store::notifications::{self as store, Kind, New};
use ladder_store::org::{create_employee, NewEmployee};
use ladder_store::records::{self, NewCheckin, NewCoachingNote};
use reqwest::Method;
use serde_json::{json, Value};

async fn page(s: &Session, path: &str) -> (u16, String) {
    let res = s.get(path).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn form(s: &Session, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let mut body: Vec<(&str, &str)> = vec![("_csrf", s.csrf.as_deref().unwrap())];
    body.extend_from_slice(fields);
    let res = s.client.request(Method::POST, format!("{}{}", s.base, path)).form(&body).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn notifications(s: &Session) -> Value {
    s.get_json("/api/v1/me/notifications", 200).await
}

fn this_month() -> String {
    Month::of(Utc::now().date_naive()).to_string()
}

/// The agent sends this month's check-in through the API; its id.
async fn send_checkin(app: &TestApp, who: &Session, employee: ladder_core::EmployeeId, text: &str) -> i64 {
    let body = json!({ "month": this_month(), "highlights": text });
    let res = who.post(&format!("/api/v1/employees/{employee}/checkins"), body).await;
    assert_eq!(res.status(), 201, "{:?}", app.backend);
    res.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn a_checkin_sent_tells_the_leader_and_its_review_tells_the_person() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        let leader = app.sign_in(Persona::Leader).await;
        let id = send_checkin(&app, &agent, app.fixture.agent, "Closed the backlog").await;
        // Edited and sent again before the review: still one notification.
        assert_eq!(send_checkin(&app, &agent, app.fixture.agent, "Closed the backlog, twice").await, id);

        let list = notifications(&leader).await;
        assert_eq!(list["total"], 1, "{list}");
        let n = &list["items"][0];
        assert_eq!(n["kind"], "checkin_sent");
        assert_eq!(n["link"], format!("/team/checkins/{id}"));
        assert_eq!(n["read"], false);
        assert!(n["text"].as_str().unwrap().starts_with("Ana Agent sent their check-in for "), "{n}");
        // Not to the one who sent it, nor to another team's leader, nor to the manager.
        for other in [&agent, &app.sign_in(Persona::OtherLeader).await, &app.sign_in(Persona::Manager).await] {
            assert_eq!(notifications(other).await["total"], 0);
        }
        // The header counts it.
        let (_, html) = page(&leader, "/team").await;
        assert!(html.contains(r#"<span class="unread">1<span class="visually-hidden"> unread</span>"#), "{html}");

        let ack = json!({ "comment": "Great work" });
        let path = format!("/api/v1/employees/{}/checkins/{id}/acknowledge", app.fixture.agent);
        assert_eq!(leader.post(&path, ack).await.status(), 200);
        let list = notifications(&agent).await;
        assert_eq!(list["total"], 1, "{list}");
        assert_eq!(list["items"][0]["kind"], "checkin_acknowledged");
        assert_eq!(list["items"][0]["link"], format!("/checkin/{id}"));
        let mine = list["items"][0]["id"].as_i64().unwrap();

        // Marking: one's own only; one or all, never both or neither.
        let read = "/api/v1/me/notifications/read";
        assert_eq!(leader.post(read, json!({ "id": mine })).await.status(), 404);
        for (body, field) in [(json!({}), "id"), (json!({ "id": mine, "all": true }), "all")] {
            let res = agent.post(read, body).await;
            assert_eq!(res.status(), 422);
            assert_eq!(res.json::<Value>().await.unwrap()["error"]["field"], field);
        }
        let res = agent.post(read, json!({ "id": mine })).await;
        assert_eq!(res.json::<Value>().await.unwrap()["unread"], 0);
        assert_eq!(notifications(&agent).await["items"][0]["read"], true);
        let res = leader.post(read, json!({ "all": true })).await;
        assert_eq!(res.json::<Value>().await.unwrap()["unread"], 0);
        let (_, html) = page(&leader, "/team").await;
        assert!(!html.contains(r#"class="unread""#), "{html}");
    })
    .await;
}

#[tokio::test]
async fn a_leader_confirming_a_self_rated_skill_and_an_application_moving_tell_the_person() {
    each_app(async |app| {
        let (db, f) = (&app.db, &app.fixture);
        let agent = app.sign_in(Persona::Agent).await;
        let leader = app.sign_in(Persona::Leader).await;
        let skill = Framework::default_framework().skills[0].id.clone();
        let path = format!("/api/v1/employees/{}/skills/{skill}/assessments", f.agent);
        // A leader's level on a skill the person never rated tells no one.
        assert_eq!(leader.post(&path, json!({ "level": 2 })).await.status(), 201);
        assert_eq!(notifications(&agent).await["total"], 0);
        assert_eq!(agent.post(&path, json!({ "level": 3 })).await.status(), 201);
        assert_eq!(notifications(&leader).await["total"], 0, "a self-rating tells no one");
        assert_eq!(leader.post(&path, json!({ "level": 4 })).await.status(), 201);
        let list = notifications(&agent).await;
        assert_eq!(list["total"], 1, "{list}");
        assert_eq!(list["items"][0]["kind"], "skill_confirmed");
        assert!(list["items"][0]["text"].as_str().unwrap().ends_with("level 4 of 5"), "{list}");

        let fields: ladder_store::openings::OpeningFields = serde_json::from_value(json!({
            "role_id": "senior-agent", "title": "Senior Agent", "site_id": f.sites[0], "account_id": f.accounts[0],
            "team_id": f.teams[0].0, "headcount": 1, "shift": "day", "shift_hours": "08:00–17:00",
            "hours_per_week": 40, "arrangement": "on-site", "pay_min": 1, "pay_max": 2, "currency": "PHP",
            "allowances": 0, "allowances_note": "", "night_differential_percent": 10, "signing_bonus": 0,
            "description": "", "closing_date": "2099-12-31", "rule_no_final_warning": false,
            "rule_min_company_months": 0, "rule_same_site": false, "published": true, "hiring_manager_id": null,
        }))
        .unwrap();
        let hr = f.users[&Persona::Hr];
        let opening = ladder_store::openings::create(db, &fields, Some(hr), Utc::now().date_naive()).await.unwrap();
        let applied = ladder_store::openings::applications::apply(db, opening, f.agent, "{}", hr).await.unwrap();
        let step = ladder_store::openings::applications::Move {
            id: applied,
            employee: f.agent,
            from: "applied",
            to: "screening",
            note: "",
            actor: hr,
            hire: None,
        };
        ladder_store::openings::applications::move_stage(db, &step).await.unwrap();
        let list = notifications(&agent).await;
        assert_eq!(list["total"], 2, "{list}");
        assert_eq!(list["items"][0]["kind"], "application_moved", "newest first");
        assert_eq!(list["items"][0]["link"], format!("/applications/{applied}"));
        assert!(list["items"][0]["text"].as_str().unwrap().ends_with("screening"), "{list}");
    })
    .await;
}

#[tokio::test]
async fn the_list_pages_newest_first_with_a_total_and_the_page_marks_read() {
    each_app(async |app| {
        let user = app.fixture.users[&Persona::Agent];
        let start = Utc::now() - Duration::days(10);
        for i in 0..5 {
            let n = New {
                kind: Kind::ApplicationMoved,
                employee_id: Some(app.fixture.agent),
                link: format!("/applications/{i}"),
                params: json!({ "stage": format!("stage {i}") }),
                about: None,
            };
            assert!(store::to_user(&app.db, user, &n, start + Duration::days(i)).await.unwrap());
        }
        let agent = app.sign_in(Persona::Agent).await;
        let first = agent.get_json("/api/v1/me/notifications?limit=2", 200).await;
        assert_eq!(first["total"], 5);
        let links: Vec<&str> = first["items"].as_array().unwrap().iter().map(|n| n["link"].as_str().unwrap()).collect();
        assert_eq!(links, ["/applications/4", "/applications/3"]);
        let mut seen = 2;
        let mut next = first["next"].as_str().map(str::to_owned);
        while let Some(cursor) = next {
            let more = agent.get_json(&format!("/api/v1/me/notifications?limit=2&cursor={cursor}"), 200).await;
            seen += more["items"].as_array().unwrap().len();
            next = more["next"].as_str().map(str::to_owned);
        }
        assert_eq!(seen, 5);
        let res = agent.get("/api/v1/me/notifications?limit=0").await;
        assert_eq!(res.status(), 422);

        let (status, html) = page(&agent, "/notifications").await;
        assert_eq!(status, 200);
        assert!(html.contains("1–5 of 5, 5 unread") && html.contains("moved to the stage: stage 4"), "{html}");
        let id = notifications(&agent).await["items"][0]["id"].as_i64().unwrap().to_string();
        // Opening one marks it read and goes to its page; a link elsewhere is never followed.
        let res = agent
            .client
            .post(format!("{}/notifications/read", agent.base))
            .form(&[("_csrf", agent.csrf.as_deref().unwrap()), ("id", &id), ("open", "//evil.example/")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.url().path(), "/notifications");
        let (_, html) = res.text().await.map(|h| (0, h)).unwrap();
        assert!(html.contains("4 unread"), "{html}");
        // Paths that browsers turn into another host are refused too.
        for open in ["/\\evil.example/", "/\t/evil.example/"] {
            let res = agent
                .client
                .post(format!("{}/notifications/read", agent.base))
                .form(&[("_csrf", agent.csrf.as_deref().unwrap()), ("id", &id), ("open", open)])
                .send()
                .await
                .unwrap();
            assert_eq!((res.url().host_str(), res.url().path()), (Some("127.0.0.1"), "/notifications"), "{open:?}");
        }
        let (_, html) = form(&agent, "/notifications/read", &[]).await;
        assert!(html.contains("0 unread") && !html.contains("Mark all read"), "{html}");
        // Another person's page shows only their own; no one signed in is sent to sign in.
        let (_, html) = page(&app.sign_in(Persona::OtherTeamAgent).await, "/notifications").await;
        assert!(html.contains("None yet"), "{html}");
        let res = app.sign_in(Persona::Anonymous).await.get("/notifications").await;
        assert!(res.status() == 303 || res.url().path() == "/signin", "{} {}", res.status(), res.url());
        assert_eq!(app.sign_in(Persona::Anonymous).await.get("/api/v1/me/notifications").await.status(), 401);
    })
    .await;
}

#[tokio::test]
async fn the_daily_pass_tells_of_a_follow_up_once_and_sweeps_old_read_ones() {
    each_app(async |app| {
        let (db, f) = (&app.db, &app.fixture);
        let leader = f.users[&Persona::Leader];
        let today = Utc::now().date_naive();
        let soon = NewCoachingNote {
            metric: "fcr".into(),
            note: "Recap each call".into(),
            follow_up: today + Duration::days(3),
        };
        let later =
            NewCoachingNote { metric: "csat".into(), note: "Later".into(), follow_up: today + Duration::days(90) };
        records::add_coaching_note(db, f.agent, leader, &soon).await.unwrap();
        records::add_coaching_note(db, f.agent, leader, &later).await.unwrap();
        let state = AppState::new(db.clone(), Framework::default_framework(), Config::default());
        assert_eq!(service::daily_pass(&state, Utc::now()).await.unwrap(), 1, "the near follow-up only");
        assert_eq!(service::daily_pass(&state, Utc::now()).await.unwrap(), 0, "once per note");
        let agent = app.sign_in(Persona::Agent).await;
        let list = notifications(&agent).await;
        assert_eq!(list["total"], 1);
        assert_eq!(list["items"][0]["kind"], "followup_due");
        let text = list["items"][0]["text"].as_str().unwrap();
        assert!(
            text.starts_with("A coaching follow-up on ") && text.ends_with(&(today + Duration::days(3)).to_string()),
            "{text}"
        );

        // Read ones beyond the newest KEEP_PER_USER go; unread ones stay.
        let user = f.users[&Persona::Agent];
        let old = Utc::now() - Duration::days(30);
        let extra = service::KEEP_PER_USER + 3;
        for i in 0..extra {
            let n = New {
                kind: Kind::SkillConfirmed,
                employee_id: Some(f.agent),
                link: "/growth".into(),
                params: json!({ "skill": "x", "level": "3" }),
                about: None,
            };
            store::to_user(db, user, &n, old + Duration::minutes(i)).await.unwrap();
        }
        store::mark_all_read(db, user, Utc::now()).await.unwrap();
        let unread = New {
            kind: Kind::SkillConfirmed,
            employee_id: Some(f.agent),
            link: "/growth".into(),
            params: json!({ "skill": "y", "level": "2" }),
            about: None,
        };
        store::to_user(db, user, &unread, Utc::now()).await.unwrap();
        assert_eq!(store::count(db, user).await.unwrap(), extra + 2);
        service::daily_pass(&state, Utc::now()).await.unwrap();
        assert_eq!(store::count(db, user).await.unwrap(), service::KEEP_PER_USER);
        assert_eq!(store::unread_count(db, user).await.unwrap(), 1, "the unread one stays");
    })
    .await;
}

/// A "skill confirmed" notification about `employee`, made once per `about`.
fn confirmed(employee: ladder_core::EmployeeId, about: &str) -> New {
    New {
        kind: Kind::SkillConfirmed,
        employee_id: Some(employee),
        link: "/growth".into(),
        params: json!({ "skill": "x", "level": "3" }),
        about: Some(about.into()),
    }
}

#[tokio::test]
async fn the_daily_pass_sweeps_read_ones_after_90_days_and_any_after_a_year() {
    each_app(async |app| {
        let (db, f) = (&app.db, &app.fixture);
        let user = f.users[&Persona::Leader];
        let now = Utc::now();
        let mut made = Vec::new();
        for (days, read) in [(100, true), (80, true), (200, false), (400, false)] {
            store::to_user(db, user, &confirmed(f.agent, &format!("aged-{days}")), now - Duration::days(days))
                .await
                .unwrap();
            let id = store::list(db, user, None, 1).await.unwrap()[0].id;
            if read {
                assert!(store::mark_read(db, user, id, now).await.unwrap());
            }
            made.push((days, id));
        }
        let state = AppState::new(db.clone(), Framework::default_framework(), Config::default());
        service::daily_pass(&state, now).await.unwrap();
        let kept: Vec<i64> = store::list(db, user, None, 10).await.unwrap().iter().map(|n| n.id).collect();
        let want: Vec<i64> = made.iter().rev().filter(|(d, _)| [80, 200].contains(d)).map(|(_, id)| *id).collect();
        assert_eq!(kept, want, "read after 90 days and anything after a year go: {made:?}");
    })
    .await;
}

#[tokio::test]
async fn the_header_counts_unread_as_99_plus_and_a_download_reads_no_count() {
    each_app(async |app| {
        let (db, f) = (&app.db, &app.fixture);
        let user = f.users[&Persona::Agent];
        for i in 0..100 {
            store::to_user(db, user, &confirmed(f.agent, &format!("n-{i}")), Utc::now()).await.unwrap();
        }
        let agent = app.sign_in(Persona::Agent).await;
        let (_, html) = page(&agent, "/log").await;
        assert!(html.contains(r#"<span class="unread">99+<span class="visually-hidden"> unread</span>"#), "{html}");
        let (_, html) = page(&agent, "/notifications").await;
        assert!(html.contains("100 unread"), "the list itself says how many: {html}");

        // A download draws no header: it works even when the count cannot be read at all.
        let url = "https://x.example/c";
        let cert = json!({ "certification_id": "itil-4-foundation", "status": "earned", "earned_date": "2026-01-20",
            "evidence_url": url });
        let res = agent.post(&format!("/api/v1/employees/{}/certifications", f.agent), cert).await;
        assert_eq!(res.status(), 200);
        let pdf = b"%PDF-1.4\n%%EOF\n".to_vec();
        let upload = format!("/api/v1/employees/{}/certifications/itil-4-foundation/evidence?name=c.pdf", f.agent);
        let mut req = agent.client.request(Method::PUT, format!("{}{upload}", agent.base)).body(pdf.clone());
        if let Some(t) = &agent.csrf {
            req = req.header("x-csrf-token", t);
        }
        assert_eq!(req.send().await.unwrap().status(), 200);
        ladder_store::on_db!(db, p => sqlx::query("DROP TABLE notifications").execute(p).await.map(drop).unwrap());
        let res = agent.get(&format!("/people/{}/evidence/itil-4-foundation", f.agent)).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.bytes().await.unwrap().as_ref(), pdf.as_slice());
    })
    .await;
}

#[tokio::test]
async fn the_review_queue_is_the_leaders_team_only_oldest_first_with_age_and_count() {
    each_app(async |app| {
        let (db, f) = (&app.db, &app.fixture);
        let month = Month::of(Utc::now().date_naive()).first_day();
        let checkin = |text: &str| NewCheckin { month, highlights: text.into(), ..Default::default() };
        // The leader sits in the team they lead: their own check-in is someone else's to review.
        let own = records::submit_checkin(db, f.leader, &checkin("Mine")).await.unwrap();
        let agents = records::submit_checkin(db, f.agent, &checkin("Theirs")).await.unwrap();
        records::submit_checkin(db, f.other_agent, &checkin("Other team")).await.unwrap();
        // Someone of the leader's team who has left since sending: no longer anyone's to review.
        let gone = NewEmployee {
            code: "G1".into(),
            name: "Gus Gone".into(),
            email: None,
            team_id: Some(f.teams[0]),
            role_id: "customer-service-executive".into(),
            role_since: common::day(2024, 1, 1),
            hire_date: common::day(2024, 1, 1),
            manager_id: None,
        };
        let gone = create_employee(db, f.organisation, &gone).await.unwrap();
        records::submit_checkin(db, gone, &checkin("Before I left")).await.unwrap();
        let left = "UPDATE employees SET active = FALSE WHERE id = $1";
        ladder_store::on_db!(db, p => sqlx::query(left).bind(gone).execute(p).await.map(drop).unwrap());

        let leader = app.sign_in(Persona::Leader).await;
        let queue = leader.get_json("/api/v1/checkins/pending", 200).await;
        let ids: Vec<i64> = queue["items"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
        assert_eq!(queue["total"], 1, "{queue}");
        assert_eq!(ids, [agents.id], "{queue}");
        assert_eq!(
            (&queue["items"][0]["employee_name"], &queue["items"][0]["waiting_days"]),
            (&json!("Ana Agent"), &json!(0))
        );
        let (_, html) = page(&leader, "/team").await;
        assert!(html.contains("Check-ins to review (1)") && html.contains("waiting since today"), "{html}");
        assert!(html.contains("1 waiting, the oldest first.") && !html.contains("Gus Gone"), "{html}");
        assert!(!html.contains(&format!("/team/checkins/{}\"", own.id)), "{html}");
        assert_eq!(page(&leader, &format!("/team/checkins/{}", own.id)).await.0, 403);
        let (_, html) = page(&leader, "/home").await;
        assert!(html.contains("Check-ins to review: 1 waiting"), "{html}");
        // Their manager reviews both of account A1's teams, the leader's own first (sent first),
        // a page at a time.
        let manager = app.sign_in(Persona::Manager).await;
        let first = manager.get_json("/api/v1/checkins/pending?limit=2", 200).await;
        assert_eq!((first["items"].as_array().unwrap().len(), &first["total"]), (2, &json!(3)), "{first}");
        assert_eq!(first["items"][0]["id"], own.id, "oldest first");
        let next = first["next"].as_str().expect("a second page");
        let rest = manager.get_json(&format!("/api/v1/checkins/pending?limit=2&cursor={next}"), 200).await;
        assert_eq!((rest["items"].as_array().unwrap().len(), &rest["next"]), (1, &Value::Null), "{rest}");
        assert_eq!(rest["items"][0]["employee_name"], "Ben Other", "{rest}");
        let (_, html) = page(&manager, "/team").await;
        assert!(html.contains("Check-ins to review (3)"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn a_checkin_refused_shares_none_of_the_entries_it_picked() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let agent = app.sign_in(Persona::Agent).await;
        let leader = app.sign_in(Persona::Leader).await;
        let id = send_checkin(&app, &agent, e, "First go").await;
        let path = format!("/api/v1/employees/{e}/checkins/{id}/acknowledge");
        assert_eq!(leader.post(&path, json!({ "comment": "Seen" })).await.status(), 200);
        let today = Utc::now().date_naive().to_string();
        let entry: Value = agent
            .post(
                &format!("/api/v1/employees/{e}/accomplishments"),
                json!({ "date": today, "title": "Private until I say", "shared": false }),
            )
            .await
            .json()
            .await
            .unwrap();
        // The month's check-in is reviewed: sending it again is refused, and shares nothing.
        let again = json!({ "month": this_month(), "highlights": "Again", "accomplishment_ids": [entry["id"]] });
        let res = agent.post(&format!("/api/v1/employees/{e}/checkins"), again).await;
        assert_eq!(res.status(), 409, "{:?}", app.backend);
        let seen = leader.get_json(&format!("/api/v1/employees/{e}/accomplishments"), 200).await;
        assert_eq!(seen["total"], 0, "the entry stays private: {seen}");
        let own = agent.get_json(&format!("/api/v1/employees/{e}/accomplishments"), 200).await;
        assert_eq!(own["items"][0]["shared"], false, "{own}");
    })
    .await;
}

#[tokio::test]
async fn highlights_behind_the_newest_500_entries_still_show_on_the_checkin_and_the_packet() {
    each_app(async |app| {
        let (db, e) = (&app.db, app.fixture.agent);
        let entry = |title: String, date, shared| records::NewAccomplishment {
            date,
            title,
            details: String::new(),
            impact_value: None,
            impact_unit: None,
            tags: vec![],
            kras: vec![],
            skills: vec![],
            shared,
        };
        let old = records::add_accomplishment(db, e, &entry("The old win".into(), common::day(2025, 1, 6), true))
            .await
            .unwrap();
        // 500 newer private entries: more than any page the pages read.
        let today = Utc::now().date_naive();
        for i in 0..500 {
            records::add_accomplishment(db, e, &entry(format!("Private {i}"), today, false)).await.unwrap();
        }
        let month = Month::of(today).first_day();
        let picked =
            NewCheckin { month, highlights: "x".into(), accomplishment_ids: vec![old.id], ..Default::default() };
        let checkin = records::submit_checkin(db, e, &picked).await.unwrap();
        let (_, html) = page(&app.sign_in(Persona::Leader).await, &format!("/team/checkins/{}", checkin.id)).await;
        assert!(html.contains("The old win"), "the leader's review: {html}");
        let agent = app.sign_in(Persona::Agent).await;
        let (_, html) = page(&agent, &format!("/checkin/{}", checkin.id)).await;
        assert!(html.contains("The old win"), "the person's past check-in: {html}");
        let (_, html) = page(&agent, &format!("/people/{e}/packet")).await;
        assert!(html.contains("The old win") && !html.contains("Private 1"), "the packet's shared ones: {html}");
    })
    .await;
}

#[tokio::test]
async fn a_past_checkin_opens_with_the_leaders_comment_and_coaching_note_and_the_review_shows_the_kras() {
    each_app(async |app| {
        let f = &app.fixture;
        let agent = app.sign_in(Persona::Agent).await;
        let leader = app.sign_in(Persona::Leader).await;
        let id = send_checkin(&app, &agent, f.agent, "Closed the backlog").await;
        let (status, html) = page(&leader, &format!("/team/checkins/{id}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("KRAs in "), "{html}");
        let (_, html) = page(&agent, &format!("/checkin/{id}")).await;
        assert!(html.contains("Not reviewed yet."), "{html}");

        let follow_up = (Utc::now().date_naive() + Duration::days(20)).to_string();
        let fields =
            [("comment", "Great work"), ("metric", "fcr"), ("note", "Keep the recap habit"), ("follow_up", &follow_up)];
        let (status, _) = form(&leader, &format!("/team/checkins/{id}/acknowledge"), &fields).await;
        assert_eq!(status, 200);
        let (_, html) = page(&agent, "/checkin").await;
        assert!(
            html.contains(&format!(r#"<a href="/checkin/{id}">"#)) && html.contains("reviewed, with a comment"),
            "{html}"
        );
        let (status, html) = page(&agent, &format!("/checkin/{id}")).await;
        assert_eq!(status, 200);
        assert!(html.contains(r#"<blockquote id="leader-comment">Great work</blockquote>"#), "{html}");
        assert!(html.contains("Keep the recap habit") && html.contains(&follow_up), "{html}");
        assert!(html.contains("Closed the backlog"), "{html}");
        // Someone else's check-in is not found on one's own page.
        assert_eq!(page(&app.sign_in(Persona::OtherTeamAgent).await, &format!("/checkin/{id}")).await.0, 404);
    })
    .await;
}

#[tokio::test]
async fn the_training_form_checks_before_it_claims_its_key() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        let (_, html) = page(&agent, "/growth").await;
        let key = html.split(r#"name="_key" value=""#).nth(1).and_then(|r| r.split('"').next()).unwrap().to_string();
        let good =
            [("title", "Excel basics"), ("kind", "course"), ("hours", "4"), ("status", "planned"), ("_key", &key)];
        assert_eq!(form(&agent, "/growth/training", &good).await.0, 200);
        // The same key with a refused input is refused as such, not sent on to the first one's result.
        let bad =
            [("title", "Excel basics"), ("kind", "course"), ("hours", "5000"), ("status", "planned"), ("_key", &key)];
        let (status, html) = form(&agent, "/growth/training", &bad).await;
        assert_eq!(status, 200);
        assert!(html.contains("Hours: hours are 0 to 2000"), "{html}");
        // A refused post holds no key: corrected, a fresh form's key goes through once.
        let (_, html) = page(&agent, "/growth").await;
        let key = html.split(r#"name="_key" value=""#).nth(1).and_then(|r| r.split('"').next()).unwrap().to_string();
        let bad = [("title", ""), ("kind", "course"), ("hours", "2"), ("status", "planned"), ("_key", &key)];
        let (_, html) = form(&agent, "/growth/training", &bad).await;
        assert!(html.contains("Title: cannot be empty"), "{html}");
        assert!(
            ladder_store::form_keys::claim(&app.db, app.fixture.users[&Persona::Agent], &key, Utc::now(), Utc::now())
                .await
                .map(|c| matches!(c, ladder_store::form_keys::Claim::First))
                .unwrap(),
            "the refused post left the key unclaimed"
        );
    })
    .await;
}

#[tokio::test]
async fn a_checkins_coaching_notes_are_its_own_newest_first() {
    each_app(async |app| {
        use common::day;
        use records::{acknowledge_checkin, add_coaching_note, checkin_coaching_notes, submit_checkin};
        let (db, e) = (&app.db, app.fixture.agent);
        let leader = app.fixture.users[&Persona::Leader];
        let checkin = |month| NewCheckin {
            month,
            highlights: "A month".into(),
            accomplishment_ids: vec![],
            blockers: String::new(),
            asks: String::new(),
        };
        let note = |text: &str| NewCoachingNote { metric: "aht".into(), note: text.into(), follow_up: day(2026, 4, 1) };
        let feb = submit_checkin(db, e, &checkin(day(2026, 2, 1))).await.unwrap();
        let march = submit_checkin(db, e, &checkin(day(2026, 3, 1))).await.unwrap();
        acknowledge_checkin(db, feb.id, leader, "Fine", Some(&note("February's"))).await.unwrap();
        acknowledge_checkin(db, march.id, leader, "Fine", Some(&note("March's"))).await.unwrap();
        add_coaching_note(db, e, leader, &note("Outside a check-in")).await.unwrap();
        // A later note on March's check-in: it comes first.
        let later =
            "INSERT INTO coaching_notes (employee_id, checkin_id, author_id, metric, note, follow_up, created_at)
            VALUES ($1, $2, $3, 'aht', 'A follow-up on March', $4, $5)";
        ladder_store::on_db!(db, p => sqlx::query(later).bind(e).bind(march.id).bind(leader).bind(day(2026, 4, 1))
            .bind(Utc::now() + Duration::hours(1)).execute(p).await.map(drop).unwrap());
        let texts = async |employee, checkin_id| -> Vec<String> {
            checkin_coaching_notes(db, employee, checkin_id).await.unwrap().into_iter().map(|n| n.note).collect()
        };
        assert_eq!(texts(e, march.id).await, ["A follow-up on March", "March's"]);
        assert_eq!(texts(e, feb.id).await, ["February's"]);
        assert!(texts(app.fixture.other_agent, march.id).await.is_empty(), "another person's: none");
    })
    .await;
}
