//! The bugs a walk through every role found (issue 26, "Bugs found on the way"), each pinned by
//! the page or the API that showed it, and the checks on figures typed by hand.

use crate::common;

use chrono::Utc;
use common::{each_app, Persona, Session, TestApp};
use ladder_core::period::Month;
use reqwest::Method;
use serde_json::json;

async fn page(s: &Session, path: &str) -> (u16, String) {
    let res = s.get(path).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

/// Posts a form with the session's token; the client follows a redirect.
async fn form(s: &Session, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let mut body: Vec<(&str, &str)> = vec![("_csrf", s.csrf.as_deref().unwrap())];
    body.extend_from_slice(fields);
    let res = s.client.request(Method::POST, format!("{}{}", s.base, path)).form(&body).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

fn this_month() -> Month {
    Month::of(Utc::now().date_naive())
}

/// The month as the pages name it ("Dec 2026").
fn named(m: Month) -> String {
    const NAMES: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    format!("{} {}", NAMES[(m.month - 1) as usize], m.year)
}

async fn entries(app: &TestApp, s: &Session) -> Vec<serde_json::Value> {
    let list = s.get_json(&format!("/api/v1/employees/{}/accomplishments", app.fixture.agent), 200).await;
    list["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn bug1_the_check_in_reminder_names_the_month_due_and_only_a_led_person_is_told_to_tell_a_leader() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        // Last month's check-in went in (through the store: the page only sends this month's).
        let last = this_month().prev();
        let entry = ladder_store::records::NewCheckin {
            month: last.first_day(),
            highlights: "Sent".into(),
            accomplishment_ids: vec![],
            blockers: String::new(),
            asks: String::new(),
        };
        ladder_store::records::submit_checkin(&app.db, app.fixture.agent, &entry).await.unwrap();
        let (_, html) = page(&agent, "/home").await;
        let due = format!("Your check-in for {} is due: tell your leader", named(this_month()));
        assert!(html.contains(&due), "{html}");
        assert!(!html.contains(&format!("check-in for {} is due", named(last))), "{html}");

        // The leader of T1 leads herself: no one to tell.
        let leader = app.sign_in(Persona::Leader).await;
        let (_, html) = page(&leader, "/home").await;
        assert!(html.contains(&format!("Your check-in for {} is due", named(this_month()))), "{html}");
        assert!(!html.contains("tell your leader"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn bug2_a_refused_log_entry_keeps_what_was_typed() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        let fields = [
            ("title", "Kept & typed"),
            ("date", "2099-01-01"),
            ("details", "Line one\nline two"),
            ("impact_value", "12"),
            ("impact_unit", "% fewer repeats"),
            ("tags", "process, billing"),
            ("kras", "fcr"),
            ("shared", "1"),
        ];
        let (_, html) = form(&agent, "/log", &fields).await;
        assert!(html.contains("Date: an accomplishment cannot be in the future"), "{html}");
        assert!(html.contains(r#"value="Kept &#38; typed""#) || html.contains(r#"value="Kept &amp; typed""#), "{html}");
        assert!(html.contains(">Line one\nline two</textarea>"), "{html}");
        assert!(html.contains(r#"value="% fewer repeats""#) && html.contains(r#"value="process, billing""#), "{html}");
        assert!(html.contains(r#"<option value="fcr" selected>"#), "{html}");
        assert!(html.contains(r#"value="1" checked>"#), "{html}");
        assert!(entries(&app, &agent).await.is_empty());
    })
    .await;
}

#[tokio::test]
async fn bug3_an_endorsement_has_a_length_limit_and_wraps() {
    each_app(async |app| {
        let leader = app.sign_in(Persona::Leader).await;
        let path = format!("/people/{}/endorse", app.fixture.agent);
        let (status, html) = form(&leader, &path, &[("text", &format!("Kept {}", "x".repeat(20_000)))]).await;
        assert_eq!(status, 200, "the person page again, not the error page: {html}");
        assert!(html.contains("Your endorsement: ") && html.contains("at most 4000"), "{html}");
        assert!(html.contains(r#"aria-describedby="text-error">Kept xxx"#), "what was typed is kept: {html}");
        // A browser sends a line break as \r\n but counts it as one character against maxlength.
        let lines = "a line\r\n".repeat(570);
        let (status, html) = form(&leader, &path, &[("text", &lines)]).await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains(r#"<blockquote class="endorsement">a line"#), "{html}");
        let (status, html) = form(&leader, &path, &[("text", "Ready: coaches the new joiners.")]).await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains(r#"<blockquote class="endorsement">Ready: coaches"#), "{html}");
        let (_, css) = page(&leader, "/static/app.css").await;
        assert!(css.contains("blockquote {") && css.contains("overflow-wrap:anywhere"), "long words wrap");
    })
    .await;
}

#[tokio::test]
async fn bug4_the_packet_reads_in_words_and_units_and_names_the_next_step_and_the_goal_apart() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        let (status, html) =
            form(&agent, "/plan", &[("target_role", "operations-manager"), ("horizon_years", "10")]).await;
        assert_eq!(status, 200, "{html}");
        let leader = app.sign_in(Persona::Leader).await;
        let (status, html) = page(&leader, &format!("/people/{}/packet", app.fixture.agent)).await;
        assert_eq!(status, 200);
        assert!(html.contains("→ next step <strong>"), "{html}");
        assert!(html.contains("(long-term goal: Operations Manager)"), "{html}");
        assert!(!html.contains("(needs "), "no bare figures: {html}");
        assert!(html.contains(" in role (") && html.contains(" needed)"), "tenure in months and years: {html}");
        assert!(html.contains("with us 3 years") || html.contains("with us 4 years"), "{html}");
        let text: String = html
            .split("<svg")
            .enumerate()
            .map(|(i, part)| if i == 0 { part } else { part.split_once("</svg>").map_or("", |(_, rest)| rest) })
            .collect();
        let long_decimal = text.split(|c: char| !(c.is_ascii_digit() || c == '.')).any(|t| {
            t.split_once('.')
                .is_some_and(|(_, decimals)| decimals.len() > 2 && decimals.chars().all(|c| c.is_ascii_digit()))
        });
        assert!(!long_decimal, "no raw floats: {html}");
    })
    .await;
}

#[tokio::test]
async fn bug5_a_plan_no_path_reaches_names_the_roles_not_their_ids() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        let (_, html) = form(&agent, "/plan", &[("target_role", "head-of-operations"), ("horizon_years", "1")]).await;
        assert!(html.contains("from Customer Service Executive to Head of Operations"), "{html}");
        assert!(!html.contains("'customer-service-executive'"), "{html}");
        assert!(html.contains("within 1 year;"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn bug6_every_error_is_the_apps_page_with_navigation_and_says_why() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        let (status, html) = page(&agent, "/no-such-page").await;
        assert_eq!(status, 404);
        assert!(html.contains("Not found") && html.contains("Sign out") && html.contains("<nav"), "{html}");
        let (status, html) = page(&agent, "/people/abc").await;
        assert_eq!(status, 400);
        assert!(html.contains("Check the address") && html.contains("Sign out"), "{html}");
        let (status, html) = page(&agent, "/team").await;
        assert_eq!(status, 403);
        assert!(html.contains("Sign out") && html.contains("<footer>"), "{html}");
        assert!(html.contains("You asked to open /team") && html.contains("your own record only"), "{html}");
        let (status, html) = page(&agent, "/people/999999").await;
        assert_eq!(status, 404);
        assert!(html.contains("Sign out"), "{html}");
        // Not signed in: the same page, without the navigation.
        let anonymous = app.sign_in(Persona::Anonymous).await;
        let (status, html) = page(&anonymous, "/no-such-page").await;
        assert_eq!(status, 404);
        assert!(html.contains("Not found") && !html.contains("Sign out"), "{html}");
        // The API keeps its JSON errors.
        let res = agent.get("/api/v1/no-such-thing").await;
        assert_eq!(res.status(), 404);
        assert!(res.json::<serde_json::Value>().await.unwrap()["error"]["code"].is_string());
    })
    .await;
}

#[tokio::test]
async fn bug8_skills_certifications_training_and_the_log_refuse_and_show_plainly() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        let (_, html) = page(&agent, "/growth").await;
        assert!(html.contains(r#"<option value="" selected disabled>Not assessed yet</option>"#), "{html}");
        let fields = [("certification_id", "itil-4-foundation"), ("status", "planned"), ("planned_date", "2027-02-15")];
        let (status, html) = form(&agent, "/growth/certifications", &fields).await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("<td>2027-02-15</td>"), "the planned date is shown: {html}");
        let training = [("title", "Excel"), ("kind", "course"), ("hours", "5000"), ("status", "planned")];
        let (status, html) = form(&agent, "/growth/training", &training).await;
        assert_eq!(status, 200, "a refused form is shown again: {html}");
        assert!(html.contains("Hours: hours are 0 to 2000"), "{html}");

        let (status, html) =
            form(&agent, "/log", &[("title", "Huge"), ("date", "2026-03-10"), ("impact_value", "1e308")]).await;
        assert_eq!(status, 200, "a refused form is shown again: {html}");
        assert!(html.contains("Impact value: a number from"), "{html}");
        let (status, html) = form(&agent, "/log", &[("title", "Old"), ("date", "1901-01-01")]).await;
        assert_eq!(status, 200, "a refused form is shown again: {html}");
        assert!(html.contains("before the hire date"), "{html}");
        let (_, html) =
            form(&agent, "/log", &[("title", "Big"), ("date", "2026-03-10"), ("impact_value", "1234567.891")]).await;
        assert!(html.contains("<strong>1,234,567.89</strong>"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn bug9_no_save_button_when_every_figure_is_imported() {
    each_app(async |app| {
        let hr = app.sign_in(Persona::Hr).await;
        let mut file = String::from("employee,date,metric,numerator,denominator\n");
        for (metric, n, d) in [
            ("csat", 45, 50),
            ("fcr", 70, 100),
            ("qa-score", 90, 100),
            ("aht", 60000, 100),
            ("adherence", 95, 100),
            ("attendance", 98, 100),
        ] {
            file.push_str(&format!("E1,2026-03-02,{metric},{n},{d}\n"));
        }
        let (status, report) = hr.upload("/api/v1/imports/kpi", &file).await;
        assert_eq!(status, 200, "{report}");
        let agent = app.sign_in(Persona::Agent).await;
        let (_, html) = page(&agent, "/kras?month=2026-03").await;
        assert!(html.contains("imported"), "{html}");
        assert!(!html.contains("Save figures"), "{html}");
        assert!(html.contains("Every figure of this month is imported"), "{html}");
        let (_, html) = page(&agent, "/kras?month=2026-02").await;
        assert!(html.contains("Save figures"), "a month with nothing imported can be typed: {html}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bug10_the_same_form_posted_twice_makes_one_entry() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        let (_, html) = page(&agent, "/log").await;
        let key = html.split(r#"name="_key" value=""#).nth(1).and_then(|r| r.split('"').next()).unwrap().to_string();
        let fields = [("title", "Once"), ("date", "2026-03-10"), ("_key", key.as_str())];
        let (a, b) = tokio::join!(form(&agent, "/log", &fields), form(&agent, "/log", &fields));
        // Each lands on the log, or, while the other is still saving, on a page that says so.
        assert!(a.0 == 200 && [200, 202].contains(&b.0) || b.0 == 200 && a.0 == 202, "{} {}", a.0, b.0);
        let (status, html) = form(&agent, "/log", &fields).await;
        assert_eq!(status, 200);
        assert!(html.contains("Once"), "a repeat is sent to the first one's result: {html}");
        assert_eq!(entries(&app, &agent).await.len(), 1, "one entry");

        // A refused post gives its key back: corrected, the same form goes through.
        let (_, html) = page(&agent, "/log").await;
        let key = html.split(r#"name="_key" value=""#).nth(1).and_then(|r| r.split('"').next()).unwrap().to_string();
        let (_, html) = form(&agent, "/log", &[("title", "Twice"), ("date", "2099-01-01"), ("_key", &key)]).await;
        assert!(html.contains("cannot be in the future"), "{html}");
        let (status, _) = form(&agent, "/log", &[("title", "Twice"), ("date", "2026-03-11"), ("_key", &key)]).await;
        assert_eq!(status, 200);
        assert_eq!(entries(&app, &agent).await.len(), 2);
        let (status, _) = form(&agent, "/log", &[("title", "Bad"), ("date", "2026-03-11"), ("_key", "<script>")]).await;
        assert_eq!(status, 422);

        // The training form too.
        let (_, html) = page(&agent, "/growth").await;
        let key = html.split(r#"name="_key" value=""#).nth(1).and_then(|r| r.split('"').next()).unwrap().to_string();
        let training =
            [("title", "Excel basics"), ("kind", "course"), ("hours", "4"), ("status", "planned"), ("_key", &key)];
        let (a, b) =
            tokio::join!(form(&agent, "/growth/training", &training), form(&agent, "/growth/training", &training));
        assert!(a.0 == 200 && [200, 202].contains(&b.0) || b.0 == 200 && a.0 == 202, "{} {}", a.0, b.0);
        let list = agent.get_json(&format!("/api/v1/employees/{}/training", app.fixture.agent), 200).await;
        let same = list["items"].as_array().unwrap().iter().filter(|t| t["title"] == "Excel basics").count();
        assert_eq!(same, 1, "{list}");
    })
    .await;
}

#[tokio::test]
async fn a_repeated_log_post_is_never_lost_nor_loses_what_was_typed() {
    each_app(async |app| {
        use ladder_store::form_keys;
        let agent = app.sign_in(Persona::Agent).await;
        let user = app.fixture.users[&Persona::Agent];
        // A refused post claims nothing: the second tap is refused the same way, text kept.
        let refused = [("title", "Kept twice"), ("date", "2099-01-01"), ("_key", "k-refused")];
        for _ in 0..2 {
            let (status, html) = form(&agent, "/log", &refused).await;
            assert_eq!(status, 200, "{html}");
            assert!(html.contains("cannot be in the future") && html.contains(r#"value="Kept twice""#), "{html}");
        }
        // A first post still being saved: the repeat says so rather than sending to the log.
        let now = Utc::now();
        let claimed = form_keys::claim(&app.db, user, "k-young", now, now).await.unwrap();
        assert_eq!(claimed, form_keys::Claim::First);
        let (status, html) =
            form(&agent, "/log", &[("title", "Young"), ("date", "2026-03-10"), ("_key", "k-young")]).await;
        assert_eq!(status, 202, "{html}");
        assert!(html.contains("still being saved"), "{html}");
        assert!(entries(&app, &agent).await.is_empty());
        // A first post abandoned between claiming and saving (a minute ago): the repeat saves it.
        let then = now - chrono::TimeDelta::seconds(60);
        form_keys::claim(&app.db, user, "k-lost", then, then).await.unwrap();
        let (status, html) =
            form(&agent, "/log", &[("title", "Saved at last"), ("date", "2026-03-10"), ("_key", "k-lost")]).await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("Saved at last"), "{html}");
        assert_eq!(entries(&app, &agent).await.len(), 1);
        // And its result stands: one more repeat goes to the log, creating nothing.
        let (status, _) =
            form(&agent, "/log", &[("title", "Saved at last"), ("date", "2026-03-10"), ("_key", "k-lost")]).await;
        assert_eq!(status, 200);
        assert_eq!(entries(&app, &agent).await.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn typed_figures_get_the_checks_of_imported_ones() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let agent = app.sign_in(Persona::Agent).await;
        let fcr = |n: i64, d: i64| json!([ { "metric": "fcr", "numerator": n, "denominator": d } ]);
        // A month still to come.
        let next = this_month().next();
        let res = agent.put(&format!("/api/v1/employees/{e}/actuals/{next}"), fcr(7, 10)).await;
        assert_eq!(res.status(), 422);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"]["field"], "month", "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("in the future"), "{body}");
        // This month is fine; before the hire date (June 2023) is not.
        let now = this_month();
        assert_eq!(agent.put(&format!("/api/v1/employees/{e}/actuals/{now}"), fcr(7, 10)).await.status(), 204);
        let res = agent.put(&format!("/api/v1/employees/{e}/actuals/2023-05"), fcr(7, 10)).await;
        assert_eq!(res.status(), 422);
        // A share over 100 % names the figure on the page.
        let (status, html) =
            form(&agent, "/kras?month=2026-03", &[("fcr.numerator", "120"), ("fcr.denominator", "100")]).await;
        assert_eq!(status, 200, "a refused form is shown again: {html}");
        assert!(html.contains("First-contact resolution: ") && html.contains("cannot exceed 100 %"), "{html}");
        // Two KRAs typed at their best carry 45 % of the weight: not enough data, not "Exceptional".
        let fields = [
            ("csat.numerator", "50"),
            ("csat.denominator", "50"),
            ("fcr.numerator", "100"),
            ("fcr.denominator", "100"),
        ];
        let (status, html) = form(&agent, "/kras?month=2026-03", &fields).await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("id=\"not-enough-data\"") && html.contains("60 % needed"), "{html}");
        let card = agent.get_json(&format!("/api/v1/employees/{e}/scorecard?month=2026-03"), 200).await;
        assert_eq!(card["scorecard"]["state"], "not-enough-data", "{card}");
        assert!(card["scorecard"]["rating_label"].is_null(), "{card}");
    })
    .await;
}

#[tokio::test]
async fn a_self_rating_alone_does_not_make_anyone_ready_and_an_earned_date_is_not_in_the_future() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let agent = app.sign_in(Persona::Agent).await;
        let framework = ladder_core::Framework::default_framework();
        for skill in &framework.skills {
            let path = format!("/api/v1/employees/{e}/skills/{}/assessments", skill.id);
            assert_eq!(agent.post(&path, json!({ "level": 5 })).await.status(), 201);
        }
        let plan = agent.get_json(&format!("/api/v1/employees/{e}/career-plan"), 200).await;
        let skills: Vec<&serde_json::Value> =
            plan["readiness"]["items"].as_array().unwrap().iter().filter(|i| i["kind"] == "skill").collect();
        assert!(!skills.is_empty(), "{plan}");
        for item in &skills {
            assert_eq!(item["met"], false, "a self-rating is a claim: {item}");
            assert!(item["gap"].as_str().unwrap().contains("self-rated 5, awaiting a leader's assessment"), "{item}");
        }
        // The leader confirms one: it counts.
        let first = skills[0]["id"].as_str().unwrap();
        let leader = app.sign_in(Persona::Leader).await;
        let path = format!("/api/v1/employees/{e}/skills/{first}/assessments");
        assert_eq!(leader.post(&path, json!({ "level": 5 })).await.status(), 201);
        let plan = agent.get_json(&format!("/api/v1/employees/{e}/career-plan"), 200).await;
        let item = plan["readiness"]["items"].as_array().unwrap().iter().find(|i| i["id"] == first).unwrap().clone();
        assert_eq!(item["met"], true, "{item}");
        // The pipeline reads the same: one skill met, not all of them.
        let hr = app.sign_in(Persona::Hr).await;
        let rows = hr.get_json("/api/v1/pipeline?limit=500", 200).await;
        let row = rows["items"].as_array().unwrap().iter().find(|r| r["employee_id"] == e.0).unwrap().clone();
        assert!(row["readiness_percent"].as_f64().unwrap() < 100.0, "{row}");

        let tomorrow = (Utc::now().date_naive() + chrono::Days::new(2)).to_string();
        let cert = json!({ "certification_id": "itil-4-foundation", "status": "earned", "earned_date": tomorrow });
        let res = agent.post(&format!("/api/v1/employees/{e}/certifications"), cert).await;
        assert_eq!(res.status(), 422);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"]["field"], "earned_date", "{body}");
        // "Today" east of UTC may be tomorrow in UTC: one day of grace, as for the log.
        let today_east = (Utc::now().date_naive() + chrono::Days::new(1)).to_string();
        let cert = json!({ "certification_id": "itil-4-foundation", "status": "earned", "earned_date": today_east,
            "evidence_url": "https://certs.example.com/itil" });
        assert_eq!(agent.post(&format!("/api/v1/employees/{e}/certifications"), cert).await.status(), 200);
    })
    .await;
}

#[tokio::test]
async fn an_entry_dated_before_the_hire_date_stays_editable_while_its_date_is_kept() {
    each_app(async |app| {
        let e = app.fixture.agent;
        // Saved before the hire-date check existed (the fixture's hire date is 2023-06-01).
        let old = ladder_store::records::NewAccomplishment {
            date: common::day(2020, 5, 1),
            title: "Old".into(),
            details: String::new(),
            impact_value: None,
            impact_unit: None,
            tags: vec![],
            kras: vec![],
            skills: vec![],
            shared: false,
        };
        let id = ladder_store::records::add_accomplishment(&app.db, e, &old).await.unwrap().id;
        let agent = app.sign_in(Persona::Agent).await;
        let path = format!("/api/v1/employees/{e}/accomplishments/{id}");
        let res = agent.put(&path, json!({ "date": "2020-05-01", "title": "Old, retitled" })).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let res = agent.put(&path, json!({ "date": "2020-06-01", "title": "Old, moved" })).await;
        assert_eq!(res.status(), 422, "a new date before the hire date is refused");
    })
    .await;
}
