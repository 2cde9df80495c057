//! Who is who: platform identities from a people file (and an HR system's export through a people
//! mapping), a platform's KPI export matched by them, unknown users left out on request, job
//! titles as roles, hire dates counted back from years of service.

use crate::common;

use common::*;
use ladder_core::Framework;
use ladder_import::people::PeopleMapping;
use ladder_import::Input;
use ladder_store::org;

async fn import_hr_export(db: &ladder_store::Db) -> ladder_import::Report {
    let mapping = PeopleMapping::load(&data("hr-attrition.toml")).unwrap();
    let fw = Framework::default_framework();
    ladder_import::people::import_mapped(db, &fw, &mapping, &Input::path(data("hr-export.csv")), &options())
        .await
        .unwrap()
}

async fn identities(db: &ladder_store::Db, code: &str) -> Vec<(String, String)> {
    let e = org::employee_by_code(db, code).await.unwrap();
    org::identities::of_employee(db, e.id).await.unwrap()
}

#[tokio::test]
async fn an_hr_export_maps_without_renaming_a_column() {
    each_backend(async |t| {
        let r = import_hr_export(&t.db).await;
        assert!(r.committed, "{:?}: {r}", t.backend);
        assert_eq!(r.mapping, "hr-attrition");
        assert_eq!(r.counts("employees").unwrap().new, 6, "the title line and the blank row are no one: {r}");
        assert_eq!(r.counts("teams").unwrap().new, 3, "{r}");
        let ids = ladder_import::Counts { new: 10, updated: 0, unchanged: 0 };
        assert_eq!(r.counts("platform identities"), Some(ids), "4 Genesys ids, 6 WFM names: {r}");
        let marco = org::employee_by_code(&t.db, "2002").await.unwrap();
        assert_eq!(marco.name, "2002", "no name column: the code stands in");
        assert_eq!(marco.role_id, "customer-service-executive", "Customer Care Associate");
        assert_eq!(marco.team_name.as_deref(), Some("Voice Support"));
        assert_eq!(
            (marco.hire_date, marco.role_since),
            (day(2024, 1, 1), day(2024, 1, 1)),
            "2 years before 2025-12-31"
        );
        let lena = org::employee_by_code(&t.db, "2001").await.unwrap();
        assert_eq!((lena.role_id.as_str(), marco.manager_id), ("team-leader", Some(lena.id)));
        let sam = org::employee_by_code(&t.db, "2003").await.unwrap();
        assert_eq!(sam.hire_date, day(2025, 7, 1), "half a year back");
        let tess = org::employee_by_code(&t.db, "2006").await.unwrap();
        assert_eq!((tess.role_id.as_str(), tess.team_name.as_deref()), ("quality-analyst", Some("Quality")));
        let basis: String = ladder_store::on_db!(&t.db, p => sqlx::query_scalar(
            "SELECT hire_date_basis FROM employees WHERE code = '2002'").fetch_one(p).await.unwrap());
        assert_eq!(basis, "derived");
        assert!(
            r.changes.iter().any(|c| c.starts_with("2002") && c.contains("estimated from years of service")),
            "{r}"
        );
        assert_eq!(
            identities(&t.db, "2002").await,
            vec![
                ("genesys".to_string(), "a9f0d7c6-2b3e-4f51-8a6d-0c1b2e3f4a55".to_string()),
                ("wfm".to_string(), "Marco Diaz".to_string())
            ]
        );
        assert_eq!(
            identities(&t.db, "2004").await,
            vec![("wfm".to_string(), "Sam Cruz".to_string())],
            "a blank id is none"
        );

        let before = people_dump(&t.db).await;
        let again = import_hr_export(&t.db).await;
        assert_eq!(again.counts("employees").unwrap().unchanged, 6, "{again}");
        assert_eq!(again.counts("platform identities").unwrap().unchanged, 10, "{again}");
        assert_eq!(people_dump(&t.db).await, before);
    })
    .await;
}

#[tokio::test]
async fn a_genesys_export_matches_people_by_their_genesys_id_and_unknown_users_stop_it_unless_left_out() {
    each_backend(async |t| {
        assert!(import_hr_export(&t.db).await.committed);
        let file = || Input::path(data("genesys-by-user-id.csv"));
        let refused = import_kpi(&t.db, "genesys-cloud", file(), &options()).await;
        assert!(!refused.committed);
        assert_eq!(refused.problem_count, 3, "{refused}");
        let message = "unknown employee code or Genesys Cloud user id: give people theirs in the people file's \
                       genesys_id column, or leave such users out with --ignore-unknown";
        assert!(refused.problems.iter().all(|p| p.message == message && p.column == "Agent Id"), "{refused}");
        assert_eq!(count(&t.db, "kpi_employee_months").await, 0);

        let opts = ladder_import::Options { ignore_unknown: true, ..options() };
        let r = import_kpi(&t.db, "genesys-cloud", file(), &opts).await;
        assert!(r.committed, "{r}");
        assert_eq!(r.unknown.rows, 3);
        assert_eq!(
            r.unknown.values,
            vec![("00000000-qa00-tmpl-0000-000000000001".to_string(), 2), ("admin.user@bank.example".to_string(), 1)]
        );
        let text = r.to_string();
        assert!(
            text.contains("3 row(s) of 2 unknown people left out: 00000000-qa00-tmpl-0000-000000000001 (2 rows)"),
            "{text}"
        );
        let dec = day(2025, 12, 1);
        assert_eq!(monthly(&t.db, "2002", dec, "aht").await, Some((430.0 * 42.0 + 410.0 * 40.0, 82.0)));
        assert_eq!(monthly(&t.db, "2003", dec, "aht").await, Some((480.0 * 30.0, 30.0)));
        assert_eq!(monthly(&t.db, "2005", dec, "aht").await, Some((540.0 * 12.0, 12.0)));
    })
    .await;
}

const PEOPLE_HEADER: &str = "code,name,role,hire_date,genesys_id,wfm_name\n";

#[tokio::test]
async fn a_platform_identifier_names_one_person_and_a_clash_names_its_row() {
    each_backend(async |t| {
        let file = |rows: &str| csv("people.csv", &format!("{PEOPLE_HEADER}{rows}"));
        let twice = "A1,Ana,CSR,2024-01-01,g-1,Ana R\nB1,Ben,CSR,2024-01-01, g-1 ,Ana R\n";
        let r = import_people(&t.db, file(twice)).await;
        assert!(!r.committed);
        assert_eq!(r.problem_count, 1, "a shared WFM name is no clash: {r}");
        let p = &r.problems[0];
        assert_eq!((p.row, p.column.as_str(), p.value.as_str()), (3, "genesys_id", "g-1"));
        assert!(p.message.contains("also given to A1 at row 2"), "{}", p.message);

        let r = import_people(&t.db, file("A1,Ana,CSR,2024-01-01,g-1,Ana R\nB1,Ben,CSR,2024-01-01,g-2,\n")).await;
        assert!(r.committed, "{r}");
        let taken = import_people(&t.db, file("B1,Ben,CSR,2024-01-01,g-1,\n")).await;
        assert!(!taken.committed);
        assert!(taken.problems[0].message.contains("already belongs to A1"), "{taken}");

        // Swapped in one file: each is released by the row that gives its holder another.
        let swap = import_people(&t.db, file("A1,Ana,CSR,2024-01-01,g-2,Ana R\nB1,Ben,CSR,2024-01-01,g-1,\n")).await;
        assert!(swap.committed, "{swap}");
        assert!(swap.changes.iter().any(|c| c.starts_with("A1") && c.contains("genesys_id g-1 → g-2")), "{swap}");
        assert_eq!(identities(&t.db, "B1").await, vec![("genesys".to_string(), "g-1".to_string())]);
        let cleared = import_people(&t.db, file("A1,Ana,CSR,2024-01-01,,Ana R\n")).await;
        assert!(cleared.committed, "{cleared}");
        assert_eq!(identities(&t.db, "A1").await, vec![("wfm".to_string(), "Ana R".to_string())]);
    })
    .await;
}

#[tokio::test]
async fn an_unknown_job_title_lists_the_roles_and_titles_a_file_may_give() {
    each_backend(async |t| {
        let r =
            import_people(&t.db, csv("people.csv", "code,name,job title,hire date\nX1,Xia,Floor Walker,2024-01-01\n"))
                .await;
        assert!(!r.committed);
        let p = &r.problems[0];
        assert_eq!((p.column.as_str(), p.value.as_str()), ("job title", "Floor Walker"));
        assert!(
            p.message.contains("team-leader (") && p.message.contains("Call Center Representative"),
            "{}",
            p.message
        );
    })
    .await;
}

#[tokio::test]
async fn a_wfm_export_matches_by_display_name_only_where_one_person_has_it() {
    each_backend(async |t| {
        assert!(import_hr_export(&t.db).await.committed);
        let mapping = ladder_import::Mapping::parse(
            "wfm.toml",
            r#"
            name = "wfm-adherence"
            format = "wide"
            grain = "day"
            platform = "wfm"
            employee = "Agent"
            date = "Date"
            date_formats = ["%m/%d/%Y"]
            [[metric]]
            id = "adherence"
            numerator = "Minutes In Adherence"
            denominator = "Scheduled Minutes"
            "#,
        )
        .unwrap();
        let file = "Historical Adherence\nAgent,Date,Scheduled Minutes,Minutes In Adherence\n\
            Marco Diaz,12/01/2025,480,450\nSam Cruz,12/01/2025,480,470\n2004,12/01/2025,480,400\n";
        let fw = Framework::default_framework();
        let r =
            ladder_import::kpi::import(&t.db, &fw, &mapping, &csv("adherence.csv", file), &options()).await.unwrap();
        assert_eq!(r.problem_count, 1, "{r}");
        assert_eq!((r.problems[0].row, r.problems[0].value.as_str()), (4, "Sam Cruz"), "two people are Sam Cruz");
        let opts = ladder_import::Options { ignore_unknown: true, ..options() };
        let r = ladder_import::kpi::import(&t.db, &fw, &mapping, &csv("adherence.csv", file), &opts).await.unwrap();
        assert!(r.committed, "{r}");
        assert_eq!(monthly(&t.db, "2002", day(2025, 12, 1), "adherence").await, Some((450.0, 480.0)));
        assert_eq!(
            monthly(&t.db, "2004", day(2025, 12, 1), "adherence").await,
            Some((400.0, 480.0)),
            "the code still works"
        );
    })
    .await;
}
