//! The web pages over HTTP: who may open which page, and the forms that change things.
//! (The real-browser suite in tests/browser covers rendering, accessibility and small screens.)

use crate::common;

use common::{each_app, Persona, Session};
use reqwest::Method;

async fn page(s: &Session, path: &str) -> (u16, String) {
    let res = s.get(path).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn form(s: &Session, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let mut body: Vec<(&str, &str)> = vec![("_csrf", s.csrf.as_deref().unwrap())];
    body.extend_from_slice(fields);
    // The signed-in client follows the redirect after a successful post.
    s.client.request(Method::POST, format!("{}{}", s.base, path)).form(&body).send().await.unwrap()
}

#[tokio::test]
async fn each_person_opens_their_pages_and_no_one_elses() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        for path in ["/home", "/plan", "/kras?month=2026-03", "/log", "/growth", "/checkin"] {
            let (status, html) = page(&agent, path).await;
            assert_eq!(status, 200, "{path}: {html}");
            assert!(html.contains("<main id=\"main\">"), "{path}");
        }
        assert_eq!(page(&agent, "/team").await.0, 403);
        assert_eq!(page(&agent, &format!("/people/{}", app.fixture.other_agent)).await.0, 403);

        let leader = app.sign_in(Persona::Leader).await;
        let (status, html) = page(&leader, "/team?month=2026-03").await;
        assert_eq!(status, 200);
        assert!(html.contains("id=\"team-scorecard\"") && html.contains("Ana Agent"));
        assert!(!html.contains("Ben Other"), "another team's agent is not on the board");
        assert_eq!(page(&leader, &format!("/people/{}", app.fixture.agent)).await.0, 200);
        assert_eq!(page(&leader, &format!("/people/{}/packet", app.fixture.agent)).await.0, 200);
        let (status, html) = page(&leader, &format!("/people/{}", app.fixture.other_agent)).await;
        assert_eq!(status, 403, "a leader cannot open another team's agent by URL");
        assert!(html.contains("Not yours to see"));
        assert_eq!(page(&leader, &format!("/people/{}/packet", app.fixture.far_agent)).await.0, 403);

        for persona in [Persona::Manager, Persona::Hr, Persona::Admin] {
            let s = app.sign_in(persona).await;
            for path in ["/home", "/org?level=site&month=2026-03", "/pipeline"] {
                assert_eq!(page(&s, path).await.0, 200, "{persona:?} {path}");
            }
        }
        // HR has no employee record, so no personal pages: each says so.
        let hr = app.sign_in(Persona::Hr).await;
        for path in ["/plan", "/kras?month=2026-03", "/log", "/growth", "/checkin"] {
            let (status, html) = page(&hr, path).await;
            assert_eq!(status, 404, "{path}");
            assert!(html.contains("No personal record"), "{path}: {html}");
        }
        // Signed out: sent to sign in, with the way back.
        let anonymous = app.sign_in(Persona::Anonymous).await;
        let res = anonymous.client.get(format!("{}/kras", app.base)).send().await.unwrap();
        assert!(res.url().path().starts_with("/signin"), "{}", res.url());
    })
    .await;
}

#[tokio::test]
async fn figures_typed_on_the_kras_page_are_scored_and_explained() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        let res = form(&agent, "/kras?month=2026-03", &[("fcr.numerator", "70"), ("fcr.denominator", "100")]).await;
        assert_eq!(res.status(), 200, "followed the redirect back to the page");
        let html = res.text().await.unwrap();
        assert!(html.contains("Figures saved"), "{html}");
        assert!(html.contains("class=\"explanation\""));
        assert!(html.contains("70.0 %"), "the FCR value is shown");

        let res =
            form(&agent, "/kras?month=2026-03", &[("fcr.numerator", "seventy"), ("fcr.denominator", "100")]).await;
        let html = res.text().await.unwrap();
        assert!(html.contains("type numbers only"), "{html}");

        // Without the form token nothing is saved.
        let res = agent
            .client
            .post(format!("{}/kras?month=2026-03", app.base))
            .form(&[("fcr.numerator", "1"), ("fcr.denominator", "100")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
    })
    .await;
}

#[tokio::test]
async fn an_entry_is_logged_shared_and_seen_by_the_leader_on_the_packet() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        let res = form(
            &agent,
            "/log",
            &[
                ("title", "Cut repeat calls"),
                ("date", "2026-03-10"),
                ("impact_value", "12"),
                ("impact_unit", "% fewer repeats"),
                ("tags", "process"),
                ("kras", "fcr"),
            ],
        )
        .await;
        let html = res.text().await.unwrap();
        assert!(html.contains("Cut repeat calls") && html.contains("Private"), "{html}");

        let leader = app.sign_in(Persona::Leader).await;
        let packet = format!("/people/{}/packet", app.fixture.agent);
        assert!(!page(&leader, &packet).await.1.contains("Cut repeat calls"), "private until shared");

        let entries = agent.get_json(&format!("/api/v1/employees/{}/accomplishments", app.fixture.agent), 200).await;
        let id = entries["items"][0]["id"].as_i64().unwrap();
        form(&agent, &format!("/log/{id}/share"), &[("shared", "1")]).await;
        let (_, html) = page(&leader, &packet).await;
        assert!(html.contains("Cut repeat calls") && html.contains("% fewer repeats"), "{html}");

        // The leader endorses; the agent cannot endorse themselves.
        let res = form(&leader, &format!("/people/{}/endorse", app.fixture.agent), &[("text", "Ready to lead.")]).await;
        assert!(res.text().await.unwrap().contains("Ready to lead."));
        let res = form(&agent, &format!("/people/{}/endorse", app.fixture.agent), &[("text", "Me!")]).await;
        assert_eq!(res.status(), 403);
    })
    .await;
}

#[tokio::test]
async fn a_leader_acknowledges_a_checkin_from_the_review_page() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        let res = form(
            &agent,
            "/checkin",
            &[("highlights", "Closed the backlog"), ("blockers", ""), ("asks", "QA calibration")],
        )
        .await;
        assert!(res.text().await.unwrap().contains("Waiting for your leader"));

        let leader = app.sign_in(Persona::Leader).await;
        let pending = leader.get_json("/api/v1/checkins/pending", 200).await;
        let id = pending["items"][0]["id"].as_i64().unwrap();
        let (status, html) = page(&leader, &format!("/team/checkins/{id}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("Closed the backlog"));
        assert_eq!(page(&app.sign_in(Persona::OtherLeader).await, &format!("/team/checkins/{id}")).await.0, 403);

        let res = form(
            &leader,
            &format!("/team/checkins/{id}/acknowledge"),
            &[
                ("comment", "Great work"),
                ("metric", "fcr"),
                ("note", "Keep the recap habit"),
                ("follow_up", "2099-05-01"),
            ],
        )
        .await;
        assert_eq!(res.status(), 200);
        let notes = agent.get_json(&format!("/api/v1/employees/{}/coaching-notes", app.fixture.agent), 200).await;
        assert_eq!(notes["items"][0]["note"], "Keep the recap habit");
        let (_, html) = page(&agent, "/checkin").await;
        assert!(html.contains("Acknowledged") && html.contains("Great work"));
    })
    .await;
}

#[tokio::test]
async fn a_month_left_out_is_the_last_full_month_and_a_malformed_one_is_an_error_page() {
    each_app(async |app| {
        let last_full = ladder_core::period::Month::last_full(chrono::Utc::now().date_naive());
        let label = last_full.first_day().format("%b %Y").to_string();
        let agent = app.sign_in(Persona::Agent).await;
        let leader = app.sign_in(Persona::Leader).await;
        let manager = app.sign_in(Persona::Manager).await;
        for (s, path, heading) in [
            (&agent, "/kras", "KRAs"),
            (&agent, "/kras?month=", "KRAs"),
            (&leader, "/team", "My team"),
            (&manager, "/org?level=site", "Roll-ups by site"),
        ] {
            let (status, html) = page(s, path).await;
            assert_eq!(status, 200, "{path}");
            assert!(html.contains(&format!("<h1>{heading} — {label}</h1>")), "{path} opens on {label}: {html}");
        }
        for (s, path) in [(&agent, "/kras?month=March"), (&leader, "/team?month=2026-13"), (&manager, "/org?month=x")] {
            let (status, html) = page(s, path).await;
            assert_eq!(status, 422, "{path}");
            assert!(html.contains("Check the address") && html.contains("month: "), "{path}: {html}");
        }
        // Home names its own month (this one, until last month's figures are the latest), so its
        // links to the KRAs page say which: a bare /kras would open the last full month.
        let this_month = ladder_core::period::Month::of(chrono::Utc::now().date_naive());
        let (_, html) = page(&agent, "/home").await;
        let why = format!("<a href=\"/kras?month={this_month}\">KRAs and the why of each score</a>");
        assert!(html.contains(&why), "{html}");
        // A roll-up level is read by the same rule as on the API: an unknown one is named.
        let (status, html) = page(&manager, "/org?level=planet").await;
        assert_eq!(status, 422);
        assert!(html.contains("Check the address") && html.contains("level: "), "{html}");
    })
    .await;
}

/// A column heading of a roll-up table.
fn heading(name: &str) -> String {
    format!("<th scope=\"col\" class=\"num\">{name}</th>")
}

#[tokio::test]
async fn the_org_roll_up_shows_the_most_weighted_four_and_others_when_picked() {
    each_app(async |app| {
        let backend = app.backend;
        let leader = app.sign_in(Persona::Leader).await;
        let figures = serde_json::json!([
            { "metric": "qa-score", "numerator": 90, "denominator": 100 },
            { "metric": "csat", "numerator": 80, "denominator": 100 },
            { "metric": "fcr", "numerator": 70, "denominator": 100 },
            { "metric": "attendance", "numerator": 150, "denominator": 160 },
            { "metric": "aht", "numerator": 36000, "denominator": 100 },
            { "metric": "transfer-rate", "numerator": 5, "denominator": 100 },
        ]);
        let put = leader.put(&format!("/api/v1/employees/{}/actuals/2026-03", app.fixture.agent), figures).await;
        assert_eq!(put.status(), 204, "{backend:?}");
        let manager = app.sign_in(Persona::Manager).await;

        // The framework weighs quality, CSAT, FCR and attendance most (summed over the roles'
        // KRA templates); handle time and transfers wait behind the picker.
        let (status, html) = page(&manager, "/org?level=team&month=2026-03").await;
        assert_eq!(status, 200, "{backend:?}");
        for shown in
            ["Quality audit score", "Customer satisfaction (top box)", "First-contact resolution", "Attendance"]
        {
            assert!(html.contains(&heading(shown)), "{shown} is a column: {html}");
        }
        for hidden in ["Average handle time", "Transfer rate"] {
            assert!(!html.contains(&heading(hidden)), "{hidden} is not a column");
        }
        assert!(
            html.contains("<details class=\"picker no-print\">") && html.contains("name=\"metrics\" value=\"aht\"")
        );

        // Picked, the table shows those and no others; links and forms keep the choice.
        let (status, html) = page(&manager, "/org?level=team&month=2026-03&metrics=aht&metrics=transfer-rate").await;
        assert_eq!(status, 200);
        assert!(html.contains(&heading("Average handle time")) && html.contains(&heading("Transfer rate")), "{html}");
        assert!(!html.contains(&heading("Quality audit score")), "only the picked metrics");
        assert!(html.contains("<input type=\"hidden\" name=\"metrics\" value=\"aht\">"), "the month form keeps it");
        assert!(html.contains("value=\"aht\" checked") && !html.contains("value=\"csat\" checked"));

        // An unknown metric is refused, naming it.
        let (status, html) = page(&manager, "/org?level=team&month=2026-03&metrics=fcr&metrics=bogus").await;
        assert_eq!(status, 422);
        assert!(html.contains("metrics: ") && html.contains("bogus"), "{html}");
    })
    .await;
}
