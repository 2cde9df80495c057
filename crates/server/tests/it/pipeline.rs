//! The pipeline over everyone in scope, on SQLite and PostgreSQL (issue 25): pages add up to the
//! total, the 9-box's cells add up to it too, filters hold for every item, scope, unknown
//! parameters, and a change that moves readiness shows in the same request.

use std::collections::BTreeSet;

use crate::common;

use common::{each_app, Persona, Session, TestApp};
use ladder_core::{Framework, TeamId};
use ladder_server::state::{AppState, Config};
use ladder_store::org::NewEmployee;
use serde_json::Value;

/// Adds `n` people across the three teams (more than one page of the page's 50) and
/// recomputes the pipeline, as the daily refresh would.
async fn grow(app: &TestApp, n: usize) {
    let roles = ["customer-service-executive", "data-entry-operator", "team-leader"];
    for i in 0..n {
        let team: TeamId = app.fixture.teams[i % 3];
        let person = NewEmployee {
            code: format!("P{i:03}"),
            name: format!("Person {:03}", (i * 37) % 101),
            email: None,
            team_id: Some(team),
            role_id: roles[i % roles.len()].into(),
            role_since: common::day(2023 - (i % 4) as i32, 1 + (i % 12) as u32, 1),
            hire_date: common::day(2022, 1, 1),
            manager_id: None,
        };
        ladder_store::org::create_employee(&app.db, app.fixture.organisation, &person).await.unwrap();
    }
    let state = AppState::new(app.db.clone(), Framework::default_framework(), Config::default());
    ladder_server::service::pipeline::refresh_all(&state, false, &|_, _| {}).await.unwrap();
}

/// Every item of the list at `query`, page by page of `limit`; checks each page's `total`.
async fn walk(s: &Session, query: &str, limit: u32) -> (Vec<Value>, u64) {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    let mut total = None;
    loop {
        let mut path = format!("/api/v1/pipeline?limit={limit}{query}");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = s.get_json(&path, 200).await;
        let this_total = page["total"].as_u64().unwrap();
        assert_eq!(*total.get_or_insert(this_total), this_total, "the total stays the same over the pages");
        let got = page["items"].as_array().unwrap();
        assert!(got.len() <= limit as usize);
        items.extend(got.iter().cloned());
        match page["next"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
        assert!(items.len() < 10_000, "the cursor goes forward");
    }
    (items, total.unwrap_or(0))
}

/// Whether an item matches a filter.
type Matches = Box<dyn Fn(&Value) -> bool>;

fn ids(items: &[Value]) -> BTreeSet<i64> {
    items.iter().map(|i| i["employee_id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn the_pages_add_up_to_the_total_in_every_order_and_the_nine_box_too() {
    each_app(async |app| {
        grow(&app, 70).await;
        let hr = app.sign_in(Persona::Hr).await;
        let (all, total) = walk(&hr, "", 500).await;
        assert!(total > 50, "more than one page: {total}");
        assert_eq!(all.len() as u64, total);
        for sort in ["readiness", "name", "performance", "trend"] {
            let (items, t) = walk(&hr, &format!("&sort={sort}"), 7).await;
            assert_eq!((items.len() as u64, t), (total, total), "{sort}");
            assert_eq!(ids(&items), ids(&all), "{sort}: every person once");
            assert_eq!(ids(&items).len(), items.len(), "{sort}: no one twice");
        }
        let (by_name, _) = walk(&hr, "&sort=name", 9).await;
        let names: Vec<&str> = by_name.iter().map(|i| i["name"].as_str().unwrap()).collect();
        assert!(names.windows(2).all(|w| w[0] <= w[1]), "{names:?}");
        let (by_readiness, _) = walk(&hr, "", 11).await;
        let key = |i: &Value| i["readiness_percent"].as_f64().unwrap() + if i["ready"] == true { 1000.0 } else { 0.0 };
        assert!(by_readiness.windows(2).all(|w| key(&w[0]) >= key(&w[1])));

        let summary = hr.get_json("/api/v1/pipeline/summary", 200).await;
        assert_eq!(summary["total"].as_u64(), Some(total));
        let cells = summary["cells"].as_array().unwrap();
        assert_eq!(cells.len(), 12, "nine cells and the no-data row");
        let in_cells: u64 = cells.iter().map(|c| c["people"].as_u64().unwrap()).sum();
        assert_eq!(in_cells, total);
        let staged: u64 = ["ready", "nearly", "developing"].iter().map(|s| summary[s].as_u64().unwrap()).sum();
        assert_eq!(staged, total);
        // A cell's link lists exactly its people.
        for cell in cells {
            let (p, r) = (cell["performance_band"].as_str().unwrap(), cell["readiness_band"].as_str().unwrap());
            let (items, t) = walk(&hr, &format!("&performance_band={p}&readiness_band={r}"), 13).await;
            assert_eq!(t, cell["people"].as_u64().unwrap(), "{p}/{r}");
            assert!(items.iter().all(|i| i["performance_band"] == p && i["readiness_band"] == r));
        }
    })
    .await;
}

#[tokio::test]
async fn a_filtered_list_holds_only_matching_people_and_all_of_them() {
    each_app(async |app| {
        grow(&app, 40).await;
        let hr = app.sign_in(Persona::Hr).await;
        let (all, _) = walk(&hr, "", 500).await;
        let [t1, _, t3] = app.fixture.teams;
        let filters: Vec<(String, Matches)> = vec![
            (format!("&team={t1}"), Box::new(move |i: &Value| i["team_id"] == t1.0)),
            (format!("&team={t3}"), Box::new(move |i: &Value| i["team_id"] == t3.0)),
            ("&stage=nearly".into(), Box::new(|i: &Value| i["stage"] == "nearly")),
            ("&stage=developing".into(), Box::new(|i: &Value| i["stage"] == "developing")),
            ("&role=data-entry-operator".into(), Box::new(|i: &Value| i["role_id"] == "data-entry-operator")),
            ("&readiness_band=low".into(), Box::new(|i: &Value| i["readiness_band"] == "low")),
            ("&performance_band=no-data".into(), Box::new(|i: &Value| i["performance_band"] == "no-data")),
            ("&no_data=true".into(), Box::new(|i: &Value| i["performance"].is_null())),
            ("&slipping=false".into(), Box::new(|i: &Value| i["slipping"] == false)),
        ];
        for (query, matches) in &filters {
            let (items, total) = walk(&hr, query, 6).await;
            assert!(items.iter().all(matches), "{query}: {items:?}");
            let expected: Vec<&Value> = all.iter().filter(|i| matches(i)).collect();
            assert_eq!((total, items.len()), (expected.len() as u64, expected.len()), "{query}");
        }
        let next_role = all[0]["next_role"].as_str().unwrap().to_string();
        let account = app.fixture.accounts[0];
        let (items, _) = walk(&hr, &format!("&account={account}&next_role={next_role}"), 5).await;
        assert!(!items.is_empty());
        assert!(items.iter().all(|i| i["next_role"] == next_role.as_str()));
        let in_a1 = [app.fixture.teams[0].0, app.fixture.teams[1].0];
        assert!(items.iter().all(|i| in_a1.contains(&i["team_id"].as_i64().unwrap())));
        let site = app.fixture.sites[1];
        let (items, _) = walk(&hr, &format!("&site={site}"), 50).await;
        assert!(!items.is_empty() && items.iter().all(|i| i["team_id"] == app.fixture.teams[2].0));
    })
    .await;
}

#[tokio::test]
async fn each_viewer_sees_their_scope_and_agents_none() {
    each_app(async |app| {
        grow(&app, 30).await;
        let [t1, t2, t3] = app.fixture.teams;
        for (persona, teams) in [
            (Persona::Leader, vec![t1]),
            (Persona::OtherLeader, vec![t2]),
            (Persona::Manager, vec![t1, t2]),
            (Persona::Hr, vec![t1, t2, t3]),
        ] {
            let s = app.sign_in(persona).await;
            let (items, total) = walk(&s, "", 8).await;
            assert!(total > 0, "{persona:?}");
            let seen: BTreeSet<i64> = items.iter().map(|i| i["team_id"].as_i64().unwrap()).collect();
            let allowed: BTreeSet<i64> = teams.iter().map(|t| t.0).collect();
            assert_eq!(seen, allowed, "{persona:?}");
            let summary = s.get_json("/api/v1/pipeline/summary", 200).await;
            assert_eq!(summary["total"].as_u64(), Some(total), "{persona:?}");
        }
        let agent = app.sign_in(Persona::Agent).await;
        assert_eq!(agent.get("/api/v1/pipeline").await.status(), 403);
        assert_eq!(agent.get("/api/v1/pipeline/summary").await.status(), 403);
        assert_eq!(agent.get("/pipeline").await.status(), 403);
    })
    .await;
}

#[tokio::test]
async fn an_unknown_or_bad_parameter_is_a_422_naming_it() {
    each_app(async |app| {
        let hr = app.sign_in(Persona::Hr).await;
        for (path, field) in [
            ("/api/v1/pipeline?colour=red", "colour"),
            ("/api/v1/pipeline/summary?colour=red", "colour"),
            ("/api/v1/pipeline/summary?limit=5", "limit"),
            ("/api/v1/pipeline?limit=0", "limit"),
            ("/api/v1/pipeline?limit=501", "limit"),
            ("/api/v1/pipeline?cursor=zz", "cursor"),
            ("/api/v1/pipeline?stage=almost", "stage"),
            ("/api/v1/pipeline?sort=height", "sort"),
        ] {
            let res = hr.get(path).await;
            assert_eq!(res.status(), 422, "{path}");
            let body: Value = res.json().await.unwrap();
            assert!(body.to_string().contains(field), "{path}: {body}");
        }
        // A cursor of one order does not resume another.
        let page = hr.get_json("/api/v1/pipeline?limit=1", 200).await;
        let next = page["next"].as_str().unwrap();
        assert_eq!(hr.get(&format!("/api/v1/pipeline?limit=1&sort=name&cursor={next}")).await.status(), 422);
    })
    .await;
}

#[tokio::test]
async fn a_skill_assessment_moves_readiness_in_the_same_request() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let hr = app.sign_in(Persona::Hr).await;
        let leader = app.sign_in(Persona::Leader).await;
        let find = async |s: &Session| {
            let (items, _) = walk(s, "", 500).await;
            items.into_iter().find(|i| i["employee_id"] == e.0).expect("the agent is in the pipeline")
        };
        let before = find(&hr).await;
        for skill in &Framework::default_framework().skills {
            let path = format!("/api/v1/employees/{e}/skills/{}/assessments", skill.id);
            let res = leader.post(&path, serde_json::json!({ "level": 5 })).await;
            assert!(res.status().is_success(), "{path}: {}", res.status());
        }
        let after = find(&hr).await;
        let percent = |v: &Value| v["readiness_percent"].as_f64().unwrap();
        assert!(percent(&after) > percent(&before), "{before} → {after}");
        assert_eq!(after["computed_on"], chrono::Utc::now().date_naive().to_string());
    })
    .await;
}

#[tokio::test]
async fn the_page_shows_counts_pages_and_nine_box_links() {
    each_app(async |app| {
        grow(&app, 70).await;
        let hr = app.sign_in(Persona::Hr).await;
        let total = hr.get_json("/api/v1/pipeline/summary", 200).await["total"].as_u64().unwrap();
        // Askama writes `&` in an attribute as `&#38;`.
        let page = hr.get("/pipeline").await.text().await.unwrap().replace("&#38;", "&");
        assert!(page.contains(&format!("1–50 of {total}")), "{page}");
        let next = page.split("href=\"").find_map(|s| s.split_once("\" rel=\"next\"")).map(|(h, _)| h).unwrap();
        let second = hr.get(next).await.text().await.unwrap();
        assert!(second.contains(&format!("51–{total} of {total}")), "{second}");
        assert!(second.contains("First page"));
        assert!(page.contains("/pipeline?performance_band=high&readiness_band=low"), "{page}");
        let slipping = hr.get("/pipeline?slipping=true&site=").await;
        assert_eq!(slipping.status(), 200);
        assert_eq!(hr.get("/pipeline?colour=red").await.status(), 422);
        // The leader's team page still lists readiness from the same rows.
        let leader = app.sign_in(Persona::Leader).await;
        assert_eq!(leader.get("/team").await.status(), 200);
    })
    .await;
}

#[tokio::test]
async fn the_download_holds_the_filtered_list_in_its_order_every_page() {
    each_app(async |app| {
        grow(&app, 60).await;
        let hr = app.sign_in(Persona::Hr).await;
        for query in ["", "&stage=developing&sort=name", &format!("&team={}&sort=performance", app.fixture.teams[1])] {
            let (listed, total) = walk(&hr, query, 7).await;
            let res = hr.get(&format!("/api/v1/pipeline/export?format=csv{query}")).await;
            assert_eq!(res.status(), 200, "{query}");
            let text = res.text().await.unwrap();
            let mut reader = csv::Reader::from_reader(text.as_bytes());
            let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
            assert_eq!(rows.len() as u64, total, "{query}: one row per person in the list");
            for (row, item) in rows.iter().zip(&listed) {
                assert_eq!(
                    row[0].parse::<i64>().unwrap(),
                    item["employee_id"].as_i64().unwrap(),
                    "{query}: same order"
                );
                assert_eq!(&row[7], item["stage"].as_str().unwrap());
            }
        }
        let res = hr.get("/api/v1/pipeline/export?format=xlsx&stage=nearly").await;
        assert_eq!(res.status(), 200);
        assert!(res.bytes().await.unwrap().starts_with(b"PK"), "an XLSX (zip) file");
        for bad in ["", "?format=pdf", "?format=csv&bogus=1"] {
            assert_eq!(hr.get(&format!("/api/v1/pipeline/export{bad}")).await.status(), 422, "{bad:?}");
        }
        let agent = app.sign_in(Persona::Agent).await;
        assert_eq!(agent.get("/api/v1/pipeline/export?format=csv").await.status(), 403);
        let page = hr.get("/pipeline?stage=nearly").await.text().await.unwrap().replace("&#38;", "&amp;");
        assert!(page.contains("/api/v1/pipeline/export?stage=nearly&amp;format=csv"), "the page links its download");
    })
    .await;
}

#[tokio::test]
async fn a_framework_change_marks_every_row_stale_and_the_refresh_applies_it() {
    each_app(async |app| {
        grow(&app, 12).await;
        let today = chrono::Utc::now().date_naive();
        let before = AppState::new(app.db.clone(), Framework::default_framework(), Config::default());
        let everyone = ladder_store::pipeline::employee_count(&app.db).await.unwrap();
        assert_eq!(ladder_store::pipeline::stale_count(&app.db, today, &before.pipeline_version).await.unwrap(), 0);

        // Every role's skill requirements dropped: readiness can only rise, for someone it must.
        let mut changed = Framework::default_framework();
        for role in &mut changed.roles {
            role.requirements.skills.clear();
        }
        let after = AppState::new(app.db.clone(), changed, Config::default());
        assert_ne!(after.pipeline_version, before.pipeline_version);
        let stale = ladder_store::pipeline::stale_count(&app.db, today, &after.pipeline_version).await.unwrap();
        assert_eq!(stale, everyone, "a framework change leaves every row stale");

        let hr = app.sign_in(Persona::Hr).await;
        let (old, _) = walk(&hr, "", 500).await;
        let done = ladder_server::service::pipeline::refresh_all(&after, true, &|_, _| {}).await.unwrap();
        assert_eq!(done, everyone);
        assert_eq!(ladder_store::pipeline::stale_count(&app.db, today, &after.pipeline_version).await.unwrap(), 0);
        let (new, _) = walk(&hr, "", 500).await;
        let percent = |items: &[Value]| -> Vec<(i64, f64)> {
            let mut v: Vec<_> = items
                .iter()
                .filter(|i| !i["readiness_percent"].is_null())
                .map(|i| (i["employee_id"].as_i64().unwrap(), i["readiness_percent"].as_f64().unwrap()))
                .collect();
            v.sort_by_key(|p| p.0);
            v
        };
        let (old, new) = (percent(&old), percent(&new));
        assert_eq!(old.len(), new.len());
        assert!(old.iter().zip(&new).all(|(o, n)| n.1 >= o.1), "readiness fell without skill requirements");
        assert!(old.iter().zip(&new).any(|(o, n)| n.1 > o.1), "no one's readiness moved: {old:?}");
    })
    .await;
}

#[tokio::test]
async fn the_kept_nine_box_counts_follow_rows_written_by_another_process() {
    each_app(async |app| {
        let hr = app.sign_in(Persona::Hr).await;
        let total = async || hr.get_json("/api/v1/pipeline/summary", 200).await["total"].as_u64().unwrap();
        let before = total().await;
        assert_eq!(total().await, before, "asked again, the same counts");
        // `grow` refreshes through its own state, as `ladder pipeline refresh` would from the CLI.
        grow(&app, 12).await;
        let after = total().await;
        assert!(after > before, "{before} → {after}: the kept counts were not refreshed");
        assert_eq!(after, walk(&hr, "", 500).await.1, "the counts add up to the list's total");
    })
    .await;
}
