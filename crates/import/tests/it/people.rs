//! People import: structure, reporting lines and roles; idempotent; corrections; bad rows.

use crate::common;

use common::*;
use ladder_store::{on_db, org};

#[tokio::test]
async fn people_structure_and_reporting_lines() {
    each_backend(async |t| {
        let backend = t.backend;
        let r = import_people(&t.db, ladder_import::Input::path(data("people.csv"))).await;
        assert!(r.committed, "{backend:?}: {r}");
        assert_eq!(r.counts("employees").unwrap().new, 11);
        assert_eq!(r.counts("sites").unwrap().new, 3);
        assert_eq!(r.counts("teams").unwrap().new, 4);
        assert_eq!(r.counts("team leaders").unwrap().new, 3, "L1 leads T1, L2 leads T2 and G1");
        let ana = org::employee_by_code(&t.db, "E1001").await.unwrap();
        let lena = org::employee_by_code(&t.db, "L1").await.unwrap();
        assert_eq!(ana.manager_id, Some(lena.id));
        assert_eq!(ana.team_name.as_deref(), Some("T1"));
        assert_eq!(org::led_teams(&t.db, lena.id).await.unwrap(), vec![ana.team_id.unwrap()]);
        let dan = org::employee_by_code(&t.db, "dan.lim@example.com").await.unwrap();
        assert_eq!((dan.role_id.as_str(), dan.role_since), ("senior-agent", day(2025, 1, 1)));
        assert_eq!(org::role_history(&t.db, dan.id).await.unwrap().len(), 1);

        let before = people_dump(&t.db).await;
        let again = import_people(&t.db, ladder_import::Input::path(data("people.csv"))).await;
        assert!(again.committed);
        assert_eq!(again.counts("employees").unwrap().unchanged, 11, "{again}");
        assert_eq!(people_dump(&t.db).await, before, "{backend:?}: re-import changed something");
    })
    .await;
}

#[tokio::test]
async fn a_promotion_and_a_team_move_update_just_those_people() {
    each_backend(async |t| {
        seed_people(&t.db).await;
        let text = std::fs::read_to_string(data("people.csv")).unwrap();
        let text = text
            .replace(
                "E1001,Ana Agent,ana@example.com,Manila,PH,Asia/Manila,Telco voice,Telco,voice,T1,customer-service-executive,2024-01-01",
                "E1001,Ana Agent,ana@example.com,Manila,PH,Asia/Manila,Telco voice,Telco,voice,T1,senior-agent,2025-06-01",
            )
            .replace("Telco voice,Telco,voice,T1,customer-service-executive,2024-02-01,2024-02-01,L1", "Telco voice,Telco,voice,T2,customer-service-executive,2024-02-01,2024-02-01,L2");
        let r = import_people(&t.db, csv("people.csv", &text)).await;
        assert!(r.committed, "{r}");
        assert_eq!(r.counts("employees").unwrap(), ladder_import::Counts { new: 0, updated: 2, unchanged: 9 }, "{r}");
        assert!(r
            .changes
            .iter()
            .any(|c| c.starts_with("E1001") && c.contains("role customer-service-executive → senior-agent")));
        let ana = org::employee_by_code(&t.db, "E1001").await.unwrap();
        let spells = org::role_history(&t.db, ana.id).await.unwrap();
        assert_eq!(spells.len(), 2);
        assert_eq!(spells[0].to_date, Some(day(2025, 5, 31)));
        assert_eq!((spells[1].role_id.as_str(), spells[1].from_date), ("senior-agent", day(2025, 6, 1)));
        let ben = org::employee_by_code(&t.db, "E1002").await.unwrap();
        let omar = org::employee_by_code(&t.db, "L2").await.unwrap();
        assert_eq!((ben.team_name.as_deref(), ben.manager_id), (Some("T2"), Some(omar.id)));
    })
    .await;
}

#[tokio::test]
async fn bad_people_rows_are_named_and_nothing_is_written() {
    let header = "code,name,email,site,country,timezone,account,client,line_of_business,team,role,role_since,hire_date,team_leader\n";
    let good =
        "P1,Pia,,Manila,PH,Asia/Manila,Telco voice,Telco,voice,T1,customer-service-executive,2024-01-01,2024-01-01,\n";
    let cases = [
        ("P2,Pat,,Manila,PH,Asia/Manila,Telco voice,Telco,voice,T1,astronaut,2024-01-01,2024-01-01,", "role", "astronaut", "unknown role"),
        ("P2,Pat,,Manila,PH,Asia/Manila,Telco voice,Telco,voice,T1,customer-service-executive,2024-01-01,01/02/2024,", "hire_date", "01/02/2024", "not a date"),
        ("P1,Pia again,,Manila,PH,Asia/Manila,Telco voice,Telco,voice,T1,customer-service-executive,2024-01-01,2024-01-01,", "code", "P1", "duplicate row"),
        ("P2,Pat,,Manila,PH,Asia/Manila,Telco voice,Telco,voice,T1,customer-service-executive,2024-01-01,2024-01-01,ZZ", "team_leader", "ZZ", "unknown team leader"),
        ("P2,Pat,,,,,,,,T1,customer-service-executive,2024-01-01,2024-01-01,", "team", "T1", "needs its site and account"),
        ("P2,Pat,pat-at-example,Manila,PH,Asia/Manila,Telco voice,Telco,voice,T1,customer-service-executive,2024-01-01,2024-01-01,", "email", "pat-at-example", "not an e-mail"),
        ("P2,Pat,,Manila,PH,Asia/Manila,Telco voice,Telco,voice,T1,customer-service-executive,2023-01-01,2024-01-01,", "role_since", "2023-01-01", "before the hire date"),
    ];
    each_backend(async |t| {
        for (line, column, value, says) in cases {
            let r = import_people(&t.db, csv("people.csv", &format!("{header}{good}{line}\n"))).await;
            assert!(!r.committed, "{line}");
            assert_eq!(r.problem_count, 1, "{r}");
            let p = &r.problems[0];
            assert_eq!((p.row, p.column.as_str(), p.value.as_str()), (3, column, value), "{p}");
            assert!(p.message.contains(says), "{p}");
            assert_eq!(count(&t.db, "employees").await, 0);
        }
        let r = import_people(&t.db, csv("people.csv", "code,name\nP1,Pia\n")).await;
        assert!(
            r.problems.iter().any(|p| p.row == 1 && p.column == "role" && p.message.contains("missing column")),
            "{r}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_large_file_is_written_in_batches_with_every_reporting_line() {
    // 1,300 agents in three teams, their leaders last, so most reporting lines name someone
    // written in a later batch; site and account attributes change half-way down the file.
    let header = "code,name,email,site,country,timezone,account,client,line_of_business,team,role,role_since,hire_date,team_leader\n";
    let mut file = String::from(header);
    for i in 0..1300 {
        let (team, country) = (i % 3, if i < 650 { "PH" } else { "IN" });
        file += &format!(
            "A{i:04},Agent {i},,Manila,{country},Asia/Manila,Telco voice,Telco,voice,T{team},customer-service-executive,2024-01-01,2024-01-01,L{team}\n"
        );
    }
    for team in 0..3 {
        file += &format!("L{team},Leader {team},,Manila,,,Telco voice,,,T{team},team-leader,2024-01-01,2023-01-01,\n");
    }
    each_backend(async |t| {
        let backend = t.backend;
        let r = import_people(&t.db, csv("people.csv", &file)).await;
        assert!(r.committed, "{backend:?}: {r}");
        assert_eq!(r.counts("employees").unwrap().new, 1303);
        assert_eq!((count(&t.db, "employees").await, count(&t.db, "role_history").await), (1303, 1303));
        assert_eq!(count(&t.db, "team_leaders").await, 3);
        for code in ["A0000", "A0499", "A0500", "A1001", "A1299"] {
            let agent = org::employee_by_code(&t.db, code).await.unwrap();
            let team = agent.team_name.clone().unwrap();
            let leader = org::employee_by_code(&t.db, &team.replace('T', "L")).await.unwrap();
            assert_eq!(agent.manager_id, Some(leader.id), "{backend:?}: {code}");
            assert_eq!(org::led_teams(&t.db, leader.id).await.unwrap(), vec![agent.team_id.unwrap()]);
        }
        let country: String = on_db!(&t.db, p => sqlx::query_scalar("SELECT country FROM sites WHERE name = 'Manila'")
            .fetch_one(p).await.unwrap());
        assert_eq!(country, "IN", "the last row that gives the site's country wins");

        let before = people_dump(&t.db).await;
        let again = import_people(&t.db, csv("people.csv", &file)).await;
        assert_eq!(again.counts("employees").unwrap().unchanged, 1303, "{again}");
        let sites = again.counts("sites").unwrap();
        assert_eq!(
            (sites.new, sites.updated, sites.unchanged),
            (0, 0, 1),
            "the report judges the site as it is written"
        );
        assert_eq!(people_dump(&t.db).await, before, "{backend:?}: re-import changed something");
    })
    .await;
}

/// Good rows, a row bad on its own (an unknown role), a row whose team leader no one is, and a
/// row led by that one: the last needs the second pass, once its leader is left out.
const SOME_BAD: &str = "code,name,site,account,team,role,role_since,hire_date,team_leader
L1,Lena Leader,Manila,Telco voice,T1,team-leader,2023-01-01,2021-06-01,
A1,Ana Agent,Manila,Telco voice,T1,customer-service-executive,2024-01-01,2024-01-01,L1
B2,Bea Bad,Manila,Telco voice,T1,Astronaut,2024-01-01,2024-01-01,L1
C3,Cy Lost,Manila,Telco voice,T1,team-leader,2024-01-01,2024-01-01,NOBODY
D4,Dee Led,Manila,Telco voice,T1,customer-service-executive,2024-01-01,2024-01-01,C3
";

#[tokio::test]
async fn skip_bad_rows_writes_the_good_people_and_the_bad_rows_with_their_reason() {
    each_backend(async |t| {
        let backend = t.backend;
        let fw = ladder_core::Framework::default_framework();
        let input = csv("people.csv", SOME_BAD);
        // By default nothing is written.
        let r = import_people(&t.db, input.clone()).await;
        assert!(!r.committed && r.problem_count == 2, "{backend:?}: {r}");
        assert!(people_dump(&t.db).await.is_empty());

        let dir = tempfile::tempdir().unwrap();
        let rejects = dir.path().join("people.rejects.csv");
        let opts = ladder_import::Options { skip_bad_rows: true, rejects: Some(rejects.clone()), ..options() };
        let r = ladder_import::people::import(&t.db, &fw, &input, &opts).await.unwrap();
        assert!(r.committed, "{backend:?}: {r}");
        assert_eq!((r.rows_rejected, r.rows_rejected_written), (3, 3), "{r}");
        assert_eq!(r.counts("employees").unwrap().new, 2, "L1 and A1: {r}");
        assert!(org::employee_by_code(&t.db, "A1").await.is_ok());
        for code in ["B2", "C3", "D4"] {
            assert!(org::employee_by_code(&t.db, code).await.is_err(), "{backend:?}: {code} left out");
        }
        let text = std::fs::read_to_string(&rejects).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "the header and three rows: {text}");
        assert!(lines[0].ends_with(",team_leader,reason"), "{text}");
        assert!(lines[1].starts_with("B2,Bea Bad,") && lines[1].contains("unknown role"), "{text}");
        assert!(lines[2].starts_with("C3,") && lines[2].contains("unknown team leader"), "{text}");
        assert!(lines[3].starts_with("D4,") && lines[3].contains("unknown team leader"), "{text}");
    })
    .await;
}

#[tokio::test]
async fn an_unknown_hire_date_counts_from_the_first_figures() {
    each_backend(async |t| {
        let backend = t.backend;
        let file = "code,name,site,account,team,role,hire_date
N1,Nia New,Manila,Telco voice,T1,customer-service-executive,
";
        let r = import_people(&t.db, csv("people.csv", file)).await;
        assert!(r.committed, "{backend:?}: {r}");
        assert!(r.changes.iter().any(|c| c.contains("hire date unknown")), "{r}");
        let nia = org::employee_by_code(&t.db, "N1").await.unwrap();
        // No figures yet: the file's date stands in.
        assert_eq!((nia.hire_date_basis.as_str(), nia.hire_date), ("unknown", day(2026, 1, 1)));

        let figures =
            "employee,date,metric,numerator,denominator\nN1,2025-03-14,aht,3000,10\nN1,2025-05-02,aht,900,3\n";
        let r = import_kpi(&t.db, "ladder-long", csv("march.csv", figures), &options()).await;
        assert!(r.committed, "{r}");
        let nia = org::employee_by_code(&t.db, "N1").await.unwrap();
        assert_eq!((nia.hire_date, nia.role_since), (day(2025, 3, 1), day(2025, 3, 1)), "{backend:?}");
        assert_eq!(nia.hire_date_basis, "unknown", "still an estimate");
        let spells = org::role_history(&t.db, nia.id).await.unwrap();
        assert_eq!(spells.iter().map(|s| s.from_date).collect::<Vec<_>>(), vec![day(2025, 3, 1)], "{backend:?}");

        // The same people file again changes nothing: the first-data date is kept.
        let again = import_people(&t.db, csv("people.csv", file)).await;
        assert_eq!(again.counts("employees").unwrap().unchanged, 1, "{backend:?}: {again}");
        let kept = org::employee_by_code(&t.db, "N1").await.unwrap();
        assert_eq!((kept.hire_date, kept.role_since), (day(2025, 3, 1), day(2025, 3, 1)));

        // A hire date given later replaces the estimate.
        let known = file.replace("customer-service-executive,", "customer-service-executive,2024-11-04");
        let r = import_people(&t.db, csv("people.csv", &known)).await;
        assert!(r.committed, "{r}");
        let nia = org::employee_by_code(&t.db, "N1").await.unwrap();
        assert_eq!((nia.hire_date_basis.as_str(), nia.hire_date), ("given", day(2024, 11, 4)), "{backend:?}");

        // A later file with the cell blank again keeps the given date, its basis and the role's start.
        let r = import_people(&t.db, csv("people.csv", file)).await;
        assert_eq!(r.counts("employees").unwrap().unchanged, 1, "{backend:?}: {r}");
        let kept = org::employee_by_code(&t.db, "N1").await.unwrap();
        assert_eq!((kept.hire_date_basis.as_str(), kept.hire_date), ("given", day(2024, 11, 4)), "{backend:?}");
        assert_eq!(kept.role_since, nia.role_since, "{backend:?}");
    })
    .await;
}
