//! Issue 25 on both databases: lists paged by cursor (the pages add up to the total, with no
//! person twice, even when someone is added during the walk), an unknown query parameter
//! refused by name on every GET of the OpenAPI document, downloads that hold what the JSON list
//! holds, and the headcount of a hand-built organisation.

use std::collections::HashSet;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use ladder_core::{EmployeeId, Framework, TeamId};
use ladder_server::service::headcount;
use ladder_server::state::{AppState, Config};
use ladder_store::org::{create_employee, NewEmployee};
use serde_json::Value;

use crate::common::{day, each_app, Persona, Session, TestApp};

fn person(code: &str, name: &str, team: TeamId, hired: NaiveDate) -> NewEmployee {
    NewEmployee {
        code: code.into(),
        name: name.into(),
        email: None,
        team_id: Some(team),
        role_id: "customer-service-executive".into(),
        role_since: hired,
        hire_date: hired,
        manager_id: None,
    }
}

/// Every page of `path` (which has a `?`) at `limit` a page: the items, and the total each page said.
async fn walk(s: &Session, path: &str, limit: u32, mut between: impl AsyncFnMut()) -> (Vec<Value>, Vec<u64>) {
    let (mut items, mut totals, mut cursor) = (Vec::new(), Vec::new(), None::<String>);
    loop {
        let after = cursor.as_ref().map_or(String::new(), |c| format!("&cursor={c}"));
        let page = s.get_json(&format!("{path}limit={limit}{after}"), 200).await;
        let got = page["items"].as_array().unwrap();
        assert!(got.len() <= limit as usize, "{page}");
        items.extend(got.iter().cloned());
        totals.push(page["total"].as_u64().unwrap());
        between().await;
        match page["next"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => return (items, totals),
        }
    }
}

#[tokio::test]
async fn pages_add_up_to_the_total_with_no_one_twice_even_when_someone_is_added() {
    each_app(async |app| {
        let org = app.fixture.organisation;
        // Same names, so the walk relies on the id to break ties.
        for i in 0..11 {
            let name = if i % 2 == 0 { "Sam Same" } else { "Zed Zulu" };
            create_employee(&app.db, org, &person(&format!("P{i}"), name, app.fixture.teams[0], day(2024, 1, 1)))
                .await
                .unwrap();
        }
        let hr = app.sign_in(Persona::Hr).await;
        let before = hr.get_json("/api/v1/employees?limit=500", 200).await;
        let total = before["total"].as_u64().unwrap();
        assert_eq!(before["items"].as_array().unwrap().len() as u64, total);
        let mut added = false;
        let (items, totals) = walk(&hr, "/api/v1/employees?", 4, async || {
            if !added {
                added = true;
                let joiner = person("NEW", "Aaron Early", app.fixture.teams[1], day(2024, 1, 1));
                create_employee(&app.db, org, &joiner).await.unwrap();
            }
        })
        .await;
        let ids: Vec<i64> = items.iter().map(|e| e["id"].as_i64().unwrap()).collect();
        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len(), "no one twice");
        // Aaron sorts before the first page's end, so the walk does not meet him; everyone else, once.
        assert_eq!(ids.len() as u64, total);
        assert_eq!(*totals.last().unwrap(), total + 1, "the total counts the newcomer");
        let names: Vec<&str> = items.iter().map(|e| e["name"].as_str().unwrap()).collect();
        assert!(names.is_sorted(), "{names:?}");

        // A team filter pages too, and a leader's walk covers only their team.
        let leader = app.sign_in(Persona::Leader).await;
        let (mine, totals) = walk(&leader, "/api/v1/employees?", 3, async || {}).await;
        assert_eq!(mine.len() as u64, totals[0]);
        assert!(mine.iter().all(|e| e["team_id"] == app.fixture.teams[0].0), "{mine:?}");

        let (teams, totals) = walk(&hr, "/api/v1/teams?", 1, async || {}).await;
        assert_eq!((teams.len(), totals[0]), (3, 3));
        let (users, totals) = walk(&app.sign_in(Persona::Admin).await, "/api/v1/users?", 2, async || {}).await;
        assert_eq!(users.len() as u64, totals[0]);
        assert_eq!(users.len(), 8, "the fixture's eight users, the QA/trainer among them");

        for bad in ["limit=0", "limit=501", "cursor=zz"] {
            let res = hr.get(&format!("/api/v1/employees?{bad}")).await;
            assert_eq!(res.status(), 422, "{bad}");
        }
    })
    .await;
}

#[tokio::test]
async fn an_unknown_query_parameter_is_refused_by_name_on_every_get_route() {
    each_app(async |app| {
        let admin = app.sign_in(Persona::Admin).await;
        let doc = admin.get_json("/api/v1/openapi.json", 200).await;
        let mut walked = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            if item.get("get").is_none() {
                continue;
            }
            let concrete = path
                .replace("{id}", &app.fixture.agent.0.to_string())
                .replace("{year}", "2026")
                .replace("{month}", "2026-03");
            let res = admin.get(&format!("{concrete}?bogus=1")).await;
            let status = res.status().as_u16();
            let body: Value = res.json().await.unwrap_or_default();
            assert_eq!(status, 422, "{path}: {body}");
            assert_eq!(body["error"]["field"], "bogus", "{path}: {body}");
            walked += 1;
        }
        assert!(walked >= 20, "walked {walked} GET routes");
    })
    .await;
}

/// Every employee HR may see, from the JSON list.
async fn all_employees(hr: &Session) -> Vec<Value> {
    walk(hr, "/api/v1/employees?", 500, async || {}).await.0
}

#[tokio::test]
async fn downloads_hold_what_the_json_list_holds() {
    each_app(async |app| {
        let org = app.fixture.organisation;
        let tricky = person("X1", "=HYPERLINK(\"http://x\")", app.fixture.teams[0], day(2024, 2, 3));
        create_employee(&app.db, org, &tricky).await.unwrap();
        let hr = app.sign_in(Persona::Hr).await;
        let listed = all_employees(&hr).await;

        let res = hr.get("/api/v1/employees/export?format=csv").await;
        assert_eq!(res.status(), 200);
        assert!(res.headers()["content-disposition"].to_str().unwrap().contains("employees.csv"));
        let csv = res.text().await.unwrap();
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), listed.len());
        for (row, e) in rows.iter().zip(&listed) {
            assert_eq!(row[0], e["id"].to_string());
            assert_eq!(row[1], *e["code"].as_str().unwrap());
            let name = e["name"].as_str().unwrap();
            let written = if name.starts_with('=') { format!("'{name}") } else { name.to_string() };
            assert_eq!(row[2], written, "formulas are neutralised");
            assert_eq!(row[7], *e["hire_date"].as_str().unwrap());
        }

        let res = hr.get(&format!("/api/v1/employees/export?format=xlsx&team={}", app.fixture.teams[0])).await;
        assert_eq!(res.status(), 200);
        let bytes = res.bytes().await.unwrap().to_vec();
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let sheet = book.worksheet_range("employees").unwrap();
        let team: Vec<&Value> = listed.iter().filter(|e| e["team_id"] == app.fixture.teams[0].0).collect();
        assert_eq!(sheet.height(), team.len() + 1, "a header and one row each");
        for (row, e) in sheet.rows().skip(1).zip(team) {
            assert_eq!(row[0], Data::Float(e["id"].as_f64().unwrap()));
            assert_eq!(row[2], Data::String(e["name"].as_str().unwrap().into()), "text stays text");
            let hired: NaiveDate = e["hire_date"].as_str().unwrap().parse().unwrap();
            // A date cell: the days since Excel's epoch.
            let Data::DateTime(written) = &row[7] else { panic!("{:?} is not a date", row[7]) };
            assert_eq!(written.as_f64(), (hired - day(1899, 12, 30)).num_days() as f64);
        }
        let res = hr.get("/api/v1/employees/export?format=pdf").await;
        assert_eq!(res.status(), 422);
    })
    .await;
}

/// Adds `who`, then marks them left on `left` (inactive, as an import does).
async fn leaver(app: &TestApp, who: NewEmployee, left: NaiveDate) -> EmployeeId {
    let id = create_employee(&app.db, app.fixture.organisation, &who).await.unwrap();
    let sql = "UPDATE employees SET active = FALSE, left_on = $2 WHERE id = $1";
    ladder_store::on_db!(&app.db, p => sqlx::query(sql).bind(id).bind(left).execute(p).await.map(drop).unwrap());
    id
}

#[tokio::test]
async fn the_headcount_of_a_hand_built_month() {
    each_app(async |app| {
        let f = app.fixture.clone();
        let [t1, _, t3] = f.teams;
        // The fixture's five people were hired in 2023 and are here all of March 2026.
        create_employee(&app.db, f.organisation, &person("J1", "Jo Joiner", t3, day(2026, 3, 10))).await.unwrap();
        leaver(&app, person("G1", "Gus Gone", t3, day(2020, 1, 1)), day(2026, 3, 20)).await;
        // Left before leave dates were kept: counted nowhere.
        let unknown = person("U1", "Uma Unknown", t3, day(2020, 1, 1));
        let id = create_employee(&app.db, f.organisation, &unknown).await.unwrap();
        let sql = "UPDATE employees SET active = FALSE WHERE id = $1";
        ladder_store::on_db!(&app.db, p => sqlx::query(sql).bind(id).execute(p).await.map(drop).unwrap());
        create_employee(&app.db, f.organisation, &person("A1", "Al April", t3, day(2026, 4, 2))).await.unwrap();
        // Promoted from agent (level 1) to team leader (level 3) on 15 March.
        let promoted =
            create_employee(&app.db, f.organisation, &person("P1", "Pat Promoted", t1, day(2020, 1, 1))).await.unwrap();
        let close = "UPDATE role_history SET to_date = $2 WHERE employee_id = $1";
        let open =
            "INSERT INTO role_history (employee_id, role_id, team_id, from_date) VALUES ($1, 'team-leader', $2, $3)";
        ladder_store::on_db!(&app.db, p => {
            sqlx::query(close).bind(promoted).bind(day(2026, 3, 14)).execute(p).await.unwrap();
            sqlx::query(open).bind(promoted).bind(t1).bind(day(2026, 3, 15)).execute(p).await.unwrap();
        });

        let hr = app.sign_in(Persona::Hr).await;
        let view = hr.get_json("/api/v1/headcount?month=2026-03&level=site", 200).await;
        // By hand: start = 5 + Gus + Pat = 7; end = 5 + Jo + Pat = 7; attrition = 1 / ((7 + 7) / 2).
        let total = &view["total"];
        let figures = |g: &Value| ["start", "end", "joiners", "leavers", "promotions"].map(|k| g[k].as_u64().unwrap());
        assert_eq!(figures(total), [7, 7, 1, 1, 1], "{view}");
        assert!((total["attrition"].as_f64().unwrap() - 1.0 / 7.0).abs() < 1e-9);
        let groups = view["groups"].as_array().unwrap();
        // S1: four of the fixture and Pat; S2: the far agent, Gus leaving, Jo joining.
        assert_eq!(figures(&groups[0]), [5, 5, 0, 0, 1], "{view}");
        assert_eq!(figures(&groups[1]), [2, 2, 1, 1, 0], "{view}");
        assert_eq!(groups[1]["attrition"].as_f64(), Some(0.5));

        let roles = hr.get_json("/api/v1/headcount?month=2026-03&level=role", 200).await;
        let leaders = roles["groups"].as_array().unwrap().iter().find(|g| g["name"] == "Team Leader").unwrap();
        assert_eq!(leaders["promotions"], 1, "{roles}");
        let tenure = hr.get_json("/api/v1/headcount?month=2026-03&level=tenure", 200).await;
        let first = &tenure["groups"][0];
        assert_eq!((first["name"].as_str(), first["end"].as_u64()), (Some("under 6 months"), Some(1)), "{tenure}");

        // The manager answers for account A1 (site S1) only.
        let manager = app.sign_in(Persona::Manager).await;
        let theirs = manager.get_json("/api/v1/headcount?month=2026-03", 200).await;
        assert_eq!(figures(&theirs["total"]), [5, 5, 0, 0, 1], "{theirs}");

        let csv = hr.get("/api/v1/headcount/export?format=csv&month=2026-03").await.text().await.unwrap();
        let last = csv.lines().last().unwrap();
        assert!(last.starts_with("2026-03,Everyone,7,7,1,1,1,0.142857"), "{csv}");

        // Someone in the manager's team years ago, in another site's team now: not theirs to count.
        let mover = create_employee(&app.db, f.organisation, &person("M1", "Mo Moved", t3, day(2020, 1, 1))).await.unwrap();
        let earlier = "INSERT INTO role_history (employee_id, role_id, team_id, from_date, to_date) \
            VALUES ($1, 'customer-service-executive', $2, $3, $4)";
        ladder_store::on_db!(&app.db, p => {
            sqlx::query(earlier).bind(mover).bind(t1).bind(day(2019, 1, 1)).bind(day(2019, 12, 31)).execute(p).await.unwrap();
        });
        let theirs = manager.get_json("/api/v1/headcount?month=2026-03&level=site", 200).await;
        assert_eq!(figures(&theirs["total"]), [5, 5, 0, 0, 1], "{theirs}");
        assert_eq!(theirs["groups"].as_array().unwrap().len(), 1, "only the manager's site: {theirs}");
    })
    .await;
}

#[tokio::test]
async fn the_headcount_page_is_hrs_and_managers_with_a_chart_and_downloads() {
    each_app(async |app| {
        leaver(&app, person("G1", "Gus Gone", app.fixture.teams[2], day(2020, 1, 1)), day(2026, 3, 20)).await;
        let hr = app.sign_in(Persona::Hr).await;
        let res = hr.get("/home").await;
        assert!(res.text().await.unwrap().contains("href=\"/headcount\""), "in HR's navigation");
        let res = hr.get("/headcount?month=2026-03&level=site").await;
        assert_eq!(res.status(), 200);
        let html = res.text().await.unwrap();
        assert!(html.contains("id=\"headcount\"") && html.contains("<svg"), "a table and a chart");
        assert!(
            html.contains("Everyone: 6 at the start, 5 at the end; 0 joined, 1 left, 0 promoted; attrition 18.2 %"),
            "{html}"
        );
        assert!(html.contains("/api/v1/headcount/export?format=xlsx&amp;month=2026-03&amp;level=site"));
        // The download link works with the page's session.
        let res = hr.get("/api/v1/headcount/export?format=xlsx&month=2026-03&level=site").await;
        assert_eq!(res.status(), 200);
        assert_eq!(app.sign_in(Persona::Manager).await.get("/headcount").await.status(), 200);
        for persona in [Persona::Agent, Persona::Leader] {
            let s = app.sign_in(persona).await;
            assert_eq!(s.get("/headcount").await.status(), 403, "{persona:?}");
            assert!(!s.get("/home").await.text().await.unwrap().contains("href=\"/headcount\""), "{persona:?}");
        }
        assert_eq!(hr.get("/headcount?bogus=1").await.status(), 422);
        let leader = app.sign_in(Persona::Leader).await;
        let team = leader.get("/team?month=2026-03").await.text().await.unwrap();
        let link = format!("/api/v1/employees/export?format=csv&amp;team={}", app.fixture.teams[0]);
        assert!(team.contains(&link), "the team page offers its people as a download");
    })
    .await;
}

#[tokio::test]
async fn the_admin_page_lists_users_a_page_at_a_time() {
    each_app(async |app| {
        for i in 0..55 {
            let email = format!("user{i:02}@example.com");
            let user = ladder_store::users::NewUser {
                organisation_id: app.fixture.organisation,
                email: &email,
                name: "Someone",
                access: ladder_core::access::Access::Agent,
                employee_id: None,
                password_hash: None,
            };
            ladder_store::users::create_user(&app.db, &user).await.unwrap();
        }
        let admin = app.sign_in(Persona::Admin).await;
        let html = admin.get("/admin").await.text().await.unwrap();
        assert!(html.contains("Users (1–50 of 63)"), "{html}");
        let next = html.split("<a href=\"/admin?cursor=").nth(1).and_then(|rest| rest.split('"').next()).unwrap();
        let html = admin
            .get(&format!("/admin?cursor={}", next.replace("&amp;", "&").replace("&#38;", "&")))
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains("Users (51–63 of 63)"), "{html}");
        assert!(!html.contains("Next page"));
    })
    .await;
}

#[tokio::test]
async fn the_team_boards_headcount_changes_are_kept_until_the_figures_move() {
    each_app(async |app| {
        let f = app.fixture.clone();
        let state = AppState::new(app.db.clone(), Framework::default_framework(), Config::default());
        let team = f.teams[0];
        let joiners = async || {
            let (by_team, everyone) =
                headcount::team_changes(&state, Some(&[team]), day(2026, 3, 1), day(2026, 3, 31)).await.unwrap();
            (by_team.get(&Some(team)).map(|c| c.joiners), everyone.joiners)
        };
        assert_eq!(joiners().await, (Some(0), 0));
        // Changed behind the figures' version (no write of the store does that): the kept answer.
        let rehire = "UPDATE employees SET hire_date = $2 WHERE id = $1";
        ladder_store::on_db!(&app.db, p => sqlx::query(rehire).bind(f.agent).bind(day(2026, 3, 5))
            .execute(p).await.map(drop).unwrap());
        assert_eq!(joiners().await, (Some(0), 0), "asked again before the version moved, the kept answer");
        let moved = ladder_store::kra::FIGURES_CHANGED;
        ladder_store::on_db!(&app.db, p => sqlx::query(moved).execute(p).await.map(drop).unwrap());
        assert_eq!(joiners().await, (Some(1), 1), "the version moved: counted again");
        create_employee(&app.db, f.organisation, &person("J3", "Jay Joiner", team, day(2026, 3, 9))).await.unwrap();
        assert_eq!(joiners().await, (Some(2), 2), "the kept changes missed the new employee");
        // Another team's joiner is not in this board's count.
        create_employee(&app.db, f.organisation, &person("J4", "Kim Joiner", f.teams[2], day(2026, 3, 9)))
            .await
            .unwrap();
        assert_eq!(joiners().await, (Some(2), 2));
    })
    .await;
}

#[tokio::test]
async fn a_kept_headcount_follows_a_new_employee() {
    each_app(async |app| {
        let f = app.fixture.clone();
        let hr = app.sign_in(Persona::Hr).await;
        let joiners = async || hr.get_json("/api/v1/headcount?month=2026-03", 200).await["total"]["joiners"].as_u64();
        assert_eq!(joiners().await, Some(0));
        assert_eq!(joiners().await, Some(0), "asked again, the same");
        create_employee(&app.db, f.organisation, &person("J2", "Jan Joiner", f.teams[0], day(2026, 3, 9)))
            .await
            .unwrap();
        assert_eq!(joiners().await, Some(1), "the kept headcount missed the new employee");
    })
    .await;
}
