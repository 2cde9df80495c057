//! The well-being roll-up over HTTP (issue 29), on both databases: a total is the sum of its
//! units, a unit of 4 people shows no share, a leader sees only their teams, the attrition and
//! attendance figures on hand-computed cases, and kept sums that follow newly imported shifts.

use crate::common;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use common::{day, each_app, Persona};
use ladder_core::wellbeing::zone::{local_to_utc, parse_zone};
use ladder_core::{EmployeeId, TeamId};
use ladder_store::org::NewEmployee;
use ladder_store::wellbeing::{self as store, Kind, Record};
use ladder_store::Db;
use serde_json::Value;

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

/// Local Manila shifts of `record`, each (start, minutes).
async fn shifts(db: &Db, employee: EmployeeId, record: Record, times: &[(NaiveDateTime, i64)]) {
    let tz = parse_zone("Asia/Manila").unwrap();
    let rows: Vec<store::Shift> = times
        .iter()
        .map(|&(start, minutes)| store::Shift {
            employee_id: employee,
            record,
            starts_at: local_to_utc(start, tz).0,
            ends_at: local_to_utc(start + TimeDelta::minutes(minutes), tz).0,
            time_zone: "Asia/Manila".into(),
            kind: Kind::Day,
            breaks_minutes: 60,
        })
        .collect();
    let mut tx = db.begin().await.unwrap();
    store::insert(&mut tx, &rows, None).await.unwrap();
    tx.commit().await.unwrap();
}

/// A week's starts from Monday 2 March 2026: five 09:00–17:00 days, or (`nights`) four nights
/// in a row, 22:00–06:00, which the rules flag (more than 3).
fn week(nights: bool) -> Vec<(NaiveDateTime, i64)> {
    let (days, start) = if nights { (4, "22:00") } else { (5, "09:00") };
    (0..days).map(|d| (t(&format!("2026-03-02 {start}")) + TimeDelta::days(d), 8 * 60)).collect()
}

async fn week_of_shifts(db: &Db, employee: EmployeeId, nights: bool) {
    shifts(db, employee, Record::Scheduled, &week(nights)).await;
}

async fn hire(db: &Db, org: i64, code: &str, team: TeamId, hired: NaiveDate) -> EmployeeId {
    let e = NewEmployee {
        code: code.into(),
        name: format!("Person {code}"),
        email: None,
        team_id: Some(team),
        role_id: "customer-service-executive".into(),
        role_since: hired,
        hire_date: hired,
        manager_id: None,
    };
    ladder_store::org::create_employee(db, org, &e).await.unwrap()
}

/// T1: the leader, the agent and N1–N5 (7 with shifts; the agent and N1 work four nights in a
/// row); T2: the other leader, the other agent and O1–O3 (5; O1 on nights); T3: the far agent
/// and F1–F3 (4). N5 leaves on 15 March; J1 joins T1 on 10 March, with no shifts. Returns T1's
/// people with shifts (and whether on nights), T2's, T3's.
async fn seed(app: &common::TestApp) -> [Vec<(EmployeeId, bool)>; 3] {
    let (db, f) = (&app.db, &app.fixture);
    let [t1, t2, t3] = f.teams;
    let hired = day(2023, 6, 1);
    let mut t1_people = vec![(f.leader, false), (f.agent, true)];
    for i in 1..=5 {
        t1_people.push((hire(db, f.organisation, &format!("N{i}"), t1, hired).await, i == 1));
    }
    let mut t2_people = vec![(f.other_leader, false), (f.other_agent, false)];
    for i in 1..=3 {
        t2_people.push((hire(db, f.organisation, &format!("O{i}"), t2, hired).await, i == 1));
    }
    let mut t3_people = vec![(f.far_agent, true)];
    for i in 1..=3 {
        t3_people.push((hire(db, f.organisation, &format!("F{i}"), t3, hired).await, false));
    }
    for (id, nights) in t1_people.iter().chain(&t2_people).chain(&t3_people) {
        week_of_shifts(db, *id, *nights).await;
    }
    let n5 = t1_people[6].0;
    ladder_store::on_db!(db, p => sqlx::query("UPDATE employees SET left_on = $1, active = $2 WHERE id = $3")
        .bind(day(2026, 3, 15)).bind(false).bind(n5).execute(p).await.map(drop).unwrap());
    hire(db, f.organisation, "J1", t1, day(2026, 3, 10)).await;
    [t1_people, t2_people, t3_people]
}

fn unit<'a>(view: &'a Value, name: &str) -> &'a Value {
    view["units"].as_array().unwrap().iter().find(|u| u["name"] == name).unwrap_or_else(|| panic!("{name} in {view}"))
}

fn flagged(u: &Value, kind: &str) -> u64 {
    u["flags"].as_array().unwrap().iter().find(|f| f["kind"] == kind).unwrap()["people"].as_u64().unwrap()
}

#[tokio::test]
async fn a_total_is_the_sum_of_its_units_and_four_people_show_no_share() {
    each_app(async |app| {
        let backend = app.backend;
        seed(&app).await;
        let [a1, _] = app.fixture.accounts;
        let hr = app.sign_in(Persona::Hr).await;
        let teams = hr.get_json(&format!("/api/v1/wellbeing/rollup?week=2026-03-04&level=team&parent={a1}"), 200).await;
        assert_eq!((teams["from"].as_str(), teams["through"].as_str()), (Some("2026-03-02"), Some("2026-03-08")));
        let (t1, t2, total) = (unit(&teams, "T1"), unit(&teams, "T2"), &teams["total"]);
        assert_eq!(teams["units"].as_array().unwrap().len(), 2, "{backend:?}: only the account's teams");
        assert_eq!(total["name"], "Telco voice", "the parent account is the total");
        assert_eq!((t1["people_with_shifts"].as_u64(), t2["people_with_shifts"].as_u64()), (Some(7), Some(5)));
        assert_eq!(total["people_with_shifts"], 12);
        assert_eq!((flagged(t1, "consecutive-nights"), flagged(t2, "consecutive-nights")), (2, 1), "{backend:?}");
        assert_eq!(flagged(total, "consecutive-nights"), 3);
        for kind in ["weekly-hours", "consecutive-nights", "short-rest", "no-weekly-rest", "long-shift"] {
            assert_eq!(flagged(t1, kind) + flagged(t2, kind), flagged(total, kind), "{kind}");
        }
        assert_eq!(t1["any_flag_share"].as_f64(), Some(2.0 / 7.0));
        // Nights: 4 each for three people over 12 with shifts; hours: 32 or 40 a week.
        assert_eq!(total["nights_per_person"].as_f64(), Some(1.0));
        assert_eq!(total["average_weekly_hours"].as_f64(), Some((3.0 * 32.0 + 9.0 * 40.0) / 12.0));
        assert!(total["attendance"].is_null() && total["attendance_hidden"] == "no worked-time data", "{total}");

        // By site: S2 holds only T3's four people, so no share, count or mean.
        let sites = hr.get_json("/api/v1/wellbeing/rollup?week=2026-03-04&level=site", 200).await;
        assert_eq!(hr.get("/api/v1/wellbeing/rollup?week=%2B262142-12-31").await.status().as_u16(), 422, "a far date");
        let (s1, s2) = (unit(&sites, "Manila"), unit(&sites, "Cebu"));
        assert_eq!((s1["people_with_shifts"].as_u64(), s2["people_with_shifts"].as_u64()), (Some(12), Some(4)));
        assert_eq!(sites["total"]["people_with_shifts"], 16, "{backend:?}: the total is every unit's people");
        assert_eq!(sites["total"]["name"], "Whole organisation");
        assert_eq!(s2["too_few_people"], true);
        for field in ["flags", "any_flag_share", "nights_per_person", "average_weekly_hours"] {
            assert!(s2[field].is_null(), "{field} of 4 people is shown: {s2}");
        }
        assert_eq!(flagged(&sites["total"], "consecutive-nights"), 4, "the hidden unit still counts in the total");

        // The page and the download say so in words.
        let page = hr.get("/wellbeing/rollup?week=2026-03-04&level=site").await.text().await.unwrap();
        assert!(page.contains("too few people") && page.contains("no worked-time data"), "{backend:?}");
        let csv =
            hr.get("/api/v1/wellbeing/rollup/export?format=csv&week=2026-03-04&level=site").await.text().await.unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 4, "header, two sites, the total: {csv}");
        assert!(lines.iter().any(|l| l.contains("Cebu") && l.contains("too few people")), "{csv}");
    })
    .await;
}

#[tokio::test]
async fn a_leader_sees_only_their_teams_and_an_agent_nothing() {
    each_app(async |app| {
        let backend = app.backend;
        seed(&app).await;
        let f = &app.fixture;
        let leader = app.sign_in(Persona::Leader).await;
        let view = leader.get_json("/api/v1/wellbeing/rollup?week=2026-03-04", 200).await;
        assert_eq!(view["level"], "team", "{backend:?}: a leader sees no site or account");
        let names: Vec<&str> = view["units"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["T1"]);
        assert_eq!(
            (view["total"]["name"].as_str(), view["total"]["people_with_shifts"].as_u64()),
            (Some("Everyone you may see"), Some(7))
        );
        let sites = leader.get_json("/api/v1/wellbeing/rollup?week=2026-03-04&level=site", 200).await;
        assert!(sites["units"].as_array().unwrap().is_empty(), "{sites}");
        let res = leader.get(&format!("/api/v1/wellbeing/rollup?level=team&parent={}", f.accounts[0])).await;
        assert_eq!(res.status().as_u16(), 404, "another's account is not a parent to open");
        let other = app.sign_in(Persona::OtherLeader).await;
        let view = other.get_json("/api/v1/wellbeing/rollup?week=2026-03-04", 200).await;
        assert_eq!(view["units"][0]["name"], "T2");
        assert_eq!(view["units"].as_array().unwrap().len(), 1);
        // The manager answers for account A1: its teams, not site S2's.
        let manager = app.sign_in(Persona::Manager).await;
        let view = manager.get_json("/api/v1/wellbeing/rollup?week=2026-03-04&level=account", 200).await;
        let names: Vec<&str> = view["units"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Telco voice"], "{backend:?}");
        let agent = app.sign_in(Persona::Agent).await;
        assert_eq!(agent.get("/api/v1/wellbeing/rollup").await.status().as_u16(), 403);
        assert_eq!(agent.get("/wellbeing/rollup").await.status().as_u16(), 403);
    })
    .await;
}

#[tokio::test]
async fn attrition_is_leavers_over_the_average_headcount() {
    each_app(async |app| {
        let backend = app.backend;
        seed(&app).await;
        let hr = app.sign_in(Persona::Hr).await;
        let view = hr.get_json("/api/v1/wellbeing/rollup?month=2026-03&level=team", 200).await;
        assert_eq!((view["from"].as_str(), view["through"].as_str()), (Some("2026-03-01"), Some("2026-03-31")));
        // T1: 7 on 28 February; N5 left on 15 March and J1 joined on 10 March, so 7 on 31 March:
        // 1 leaver over an average of 7.
        let t1 = &unit(&view, "T1")["attrition"];
        assert_eq!((t1["start"].as_u64(), t1["end"].as_u64(), t1["leavers"].as_u64()), (Some(7), Some(7), Some(1)));
        assert_eq!(t1["rate"].as_f64(), Some(1.0 / 7.0), "{backend:?}");
        let t2 = &unit(&view, "T2")["attrition"];
        assert_eq!((t2["leavers"].as_u64(), t2["rate"].as_f64()), (Some(0), Some(0.0)));
        // Everyone: 16 at the start, 16 at the end, 1 leaver.
        assert_eq!(view["total"]["attrition"]["rate"].as_f64(), Some(1.0 / 16.0));
        // A month's average weekly hours: T1's 7 people worked 2×32 + 5×40 h in 31 days.
        let hours = unit(&view, "T1")["average_weekly_hours"].as_f64().unwrap();
        assert!((hours - (2.0 * 32.0 + 5.0 * 40.0) / 7.0 / (31.0 / 7.0)).abs() < 1e-9, "{hours}");
    })
    .await;
}

fn share(v: &Value, field: &str) -> f64 {
    v["attendance"][field].as_f64().unwrap_or_else(|| panic!("{field} in {v}"))
}

#[tokio::test]
async fn attendance_counts_worked_late_and_missed_shifts_of_teams_with_time_clock_data() {
    each_app(async |app| {
        let backend = app.backend;
        let [t1, _, t3] = seed(&app).await;
        // T1's and T3's time clocks: everyone worked their week as scheduled, except that the
        // agent began the second night 10 minutes late and N1 missed their third night.
        for (i, (id, nights)) in t1.iter().chain(&t3).enumerate() {
            let mut worked = week(*nights);
            match i {
                1 => worked[1] = (worked[1].0 + TimeDelta::minutes(10), 8 * 60 - 10),
                2 => drop(worked.remove(2)),
                _ => {}
            }
            shifts(&app.db, *id, Record::Worked, &worked).await;
        }
        let hr = app.sign_in(Persona::Hr).await;
        let view = hr.get_json("/api/v1/wellbeing/rollup?week=2026-03-04&level=team", 200).await;
        // T1: 3 × 5 days + 2 × 4 nights + 2 more × 5 days = 33 scheduled shifts of 8 h.
        let u1 = unit(&view, "T1");
        let a = &u1["attendance"];
        assert_eq!((a["people"].as_u64(), a["scheduled_shifts"].as_u64()), (Some(7), Some(33)), "{backend:?}: {u1}");
        assert_eq!(share(u1, "worked_share"), 32.0 / 33.0);
        assert_eq!((share(u1, "late_share"), share(u1, "missed_share")), (1.0 / 33.0, 1.0 / 33.0));
        assert_eq!(share(u1, "scheduled_hours"), 264.0);
        // 8 h missed and 10 minutes late: 255 h 50 min.
        assert!((share(u1, "worked_hours") - (264.0 - 8.0 - 10.0 / 60.0)).abs() < 1e-9, "{u1}");
        assert!((share(u1, "hours_share") - (264.0 - 8.0 - 10.0 / 60.0) / 264.0).abs() < 1e-9, "{u1}");
        // T2 has no time-clock data, T3 too few people: neither shown.
        assert_eq!(unit(&view, "T2")["attendance_hidden"], "no worked-time data");
        assert_eq!(unit(&view, "T3")["attendance_hidden"], "too few people");
        // Everyone: T1 and T3 (4 nights and 3 × 5 days, all worked); T2's schedule is not
        // counted as missed for want of a time clock.
        let total = &view["total"]["attendance"];
        assert_eq!((total["people"].as_u64(), total["scheduled_shifts"].as_u64()), (Some(11), Some(52)), "{backend:?}");
        assert_eq!(
            (total["missed_share"].as_f64(), total["late_share"].as_f64()),
            (Some(1.0 / 52.0), Some(1.0 / 52.0))
        );
        assert_eq!(view["late_after_minutes"], 5);
        let doc = hr.get_json("/api/v1/openapi.json", 200).await;
        let documented = &doc["components"]["schemas"]["AttendanceFigures"]["properties"];
        assert!(documented["worked_share"].is_object() && documented["missed_share"].is_object(), "{documented}");

        let page = hr.get("/wellbeing/rollup?week=2026-03-04&level=team").await.text().await.unwrap();
        assert!(page.contains("97 % worked, 3 % late, 3 % missed of 33 shifts; 97 % of the hours"), "{backend:?}");
        let csv =
            hr.get("/api/v1/wellbeing/rollup/export?format=csv&week=2026-03-04&level=team").await.text().await.unwrap();
        let header = csv.lines().next().unwrap();
        assert!(
            header.ends_with(
                "scheduled shifts ended,% of them worked,% late starts,% missed,% of scheduled hours worked"
            ),
            "{header}"
        );
        let t1_line = csv.lines().find(|l| l.contains(",T1,")).unwrap();
        assert!(t1_line.ends_with(",33,97,3,3,96.9"), "{t1_line}");
    })
    .await;
}

#[tokio::test]
async fn kept_sums_follow_newly_imported_shifts() {
    each_app(async |app| {
        let backend = app.backend;
        seed(&app).await;
        let (db, f) = (&app.db, &app.fixture);
        let x1 = hire(db, f.organisation, "X1", f.teams[2], day(2023, 6, 1)).await;
        let x2 = hire(db, f.organisation, "X2", f.teams[2], day(2023, 6, 1)).await;
        let hr = app.sign_in(Persona::Hr).await;
        let url = "/api/v1/wellbeing/rollup?week=2026-03-04&level=team";
        let people = |v: &Value| unit(v, "T3")["people_with_shifts"].as_u64().unwrap();
        assert_eq!(people(&hr.get_json(url, 200).await), 4, "{backend:?}");
        // Written behind the store's back, the version does not move: the kept answer stands.
        let sql = "INSERT INTO shifts (employee_id, record, starts_at, ends_at, time_zone, kind)
            VALUES ($1, 'scheduled', $2, $3, 'Asia/Manila', 'day')";
        let start = local_to_utc(t("2026-03-03 09:00"), parse_zone("Asia/Manila").unwrap()).0;
        ladder_store::on_db!(db, p => sqlx::query(sql).bind(x1).bind(start).bind(start + TimeDelta::hours(8))
            .execute(p).await.map(drop).unwrap());
        assert_eq!(people(&hr.get_json(url, 200).await), 4, "{backend:?}: kept");
        // A shift file: both new people count now, and so do their shares.
        let log = store::ShiftImport {
            file_name: "x2.csv",
            sha256: "0",
            mapping: "",
            rows: 1,
            started_at: chrono::Utc::now(),
            imported_by: None,
        };
        let row = store::Shift {
            employee_id: x2,
            record: Record::Scheduled,
            starts_at: start,
            ends_at: start + TimeDelta::hours(8),
            time_zone: "Asia/Manila".into(),
            kind: Kind::Day,
            breaks_minutes: 0,
        };
        let mut tx = db.begin().await.unwrap();
        store::replace(&mut tx, &log, &[], &[row]).await.unwrap();
        tx.commit().await.unwrap();
        let view = hr.get_json(url, 200).await;
        assert_eq!(people(&view), 6, "{backend:?}");
        assert_eq!(unit(&view, "T3")["too_few_people"], false);
    })
    .await;
}

#[tokio::test]
async fn the_page_shows_a_few_columns_and_others_when_picked_while_the_download_keeps_all() {
    each_app(async |app| {
        let backend = app.backend;
        seed(&app).await;
        let hr = app.sign_in(Persona::Hr).await;
        let th = |name: &str| format!(">{name}</th>");
        let page = hr.get("/wellbeing/rollup?week=2026-03-04&level=team").await.text().await.unwrap();
        for shown in ["With any flag", "Hours a week per person", "Attrition", "Attendance"] {
            assert!(page.contains(&th(shown)), "{backend:?}: {shown} by default");
        }
        assert!(!page.contains(&th("With nights in a row")), "the kinds wait behind the picker");

        let url = "/wellbeing/rollup?week=2026-03-04&level=account&metrics=consecutive-nights&metrics=nights";
        let page = hr.get(url).await.text().await.unwrap();
        assert!(page.contains(&th("With nights in a row")) && page.contains(&th("Nights per person")), "{page}");
        assert!(!page.contains(&th("Attendance")), "only the picked columns");
        // Opening an account keeps the choice.
        let link = page.split("href=\"").find(|h| h.contains("level=team")).expect("a link to an account's teams");
        let link = &link[..link.find('"').unwrap()];
        assert!(link.contains("metrics=consecutive-nights") && link.contains("metrics=nights"), "{link}");

        let res = hr.get("/wellbeing/rollup?week=2026-03-04&metrics=sleep").await;
        assert_eq!(res.status().as_u16(), 422);
        let text = res.text().await.unwrap();
        assert!(text.contains("metrics: ") && text.contains("sleep"), "{text}");
        // The download has every column whatever the page shows.
        let csv =
            hr.get("/api/v1/wellbeing/rollup/export?format=csv&week=2026-03-04&level=team").await.text().await.unwrap();
        let header = csv.lines().next().unwrap();
        assert!(header.contains("% nights in a row") && header.contains("% of scheduled hours worked"), "{header}");
    })
    .await;
}

/// The team board's attrition line of `team`.
fn board_attrition(page: &str, team: TeamId) -> &str {
    let after = page.split(&format!("id=\"team-{team}\"")).nth(1).unwrap_or_else(|| panic!("team {team}: {page}"));
    let line = after.split("class=\"team-attrition\">").nth(1).expect("an attrition line");
    &line[..line.find("</p>").unwrap()]
}

#[tokio::test]
async fn the_team_board_shows_each_teams_attrition_but_not_under_five_people() {
    each_app(async |app| {
        let backend = app.backend;
        seed(&app).await;
        let f = &app.fixture;
        // The manager oversees A1 (T1, T2) and here A2 too (T3, four people).
        ladder_store::users::add_manager_scope(&app.db, f.users[&Persona::Manager], None, Some(f.accounts[1]))
            .await
            .unwrap();
        let manager = app.sign_in(Persona::Manager).await;
        let page = manager.get("/team?month=2026-03").await.text().await.unwrap();
        // T1: N5 left of 7 on average (as on the roll-up); T2: 5, none left; T3: 4.
        let [t1, t2, t3] = f.teams;
        assert!(board_attrition(&page, t1).contains("14.3 % (1 left of 7.0 on average"), "{backend:?}: {page}");
        assert!(
            board_attrition(&page, t2).starts_with("Attrition in ") && board_attrition(&page, t2).contains(": 0.0 %")
        );
        assert!(
            board_attrition(&page, t3).contains("not shown: fewer than 5 people"),
            "{}",
            board_attrition(&page, t3)
        );

        // A leader sees their own team's.
        let leader = app.sign_in(Persona::Leader).await;
        let page = leader.get("/team?month=2026-03").await.text().await.unwrap();
        assert!(board_attrition(&page, t1).contains("14.3 %"));
        assert!(!page.contains(&format!("id=\"team-{t2}\"")));
    })
    .await;
}
