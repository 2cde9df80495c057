//! `ladder import history`: past ratings, skill assessments and certifications, one kind a file
//! or mixed with a `kind` column; all or nothing, problems by row and column, unknown people
//! listed, re-import changes nothing, bad rows skipped on request. On both databases.

use crate::common;

use common::*;
use ladder_core::{EmployeeId, Framework};
use ladder_import::history::{self, HistoryKind, HistoryReport};
use ladder_import::{Input, Options};
use ladder_store::records;

async fn import(db: &ladder_store::Db, input: Input, kind: Option<HistoryKind>, opts: &Options) -> HistoryReport {
    history::import(db, &Framework::default_framework(), &input, kind, opts).await.unwrap()
}

async fn id(db: &ladder_store::Db, code: &str) -> EmployeeId {
    ladder_store::org::employee_by_code(db, code).await.unwrap().id
}

const RATINGS: &str = "Employee,Year,Rating
E1001,2023,3
E1001,2024,4
E1002,2024,5
";

const MIXED: &str = "employee,kind,year,rating,skill,level,date,assessor,certification,earned,expires
E1001,rating,2022,2,,,,,,,
E1001,skills,,,empathy,4,2024-06-30,leader,,,
E1002,skill,,,communication,3,2024-07-01,self,,,
E1002,certification,,,,,,,six-sigma-yellow-belt,2023-05-10,2026-05-10
";

#[tokio::test]
async fn ratings_skills_and_certifications_go_in_and_again_change_nothing() {
    each_backend(async |t| {
        let (backend, db) = (t.backend, &t.db);
        seed_people(db).await;
        let r = import(db, csv("ratings.csv", RATINGS), Some(HistoryKind::Ratings), &options()).await;
        assert!(r.committed, "{backend:?}: {r}");
        assert_eq!(r.written[&HistoryKind::Ratings].new, 3, "{r}");
        let ana = id(db, "E1001").await;
        assert_eq!(records::history::ratings(db, ana).await.unwrap(), vec![(2023, 3), (2024, 4)]);

        let r = import(db, csv("mixed.csv", MIXED), None, &options()).await;
        assert!(r.committed, "{backend:?}: {r}");
        let counts: Vec<(HistoryKind, u64)> = r.written.iter().map(|(k, w)| (*k, w.new)).collect();
        assert_eq!(
            counts,
            vec![(HistoryKind::Ratings, 1), (HistoryKind::Skills, 2), (HistoryKind::Certifications, 1)],
            "{r}"
        );
        let skills = records::skill_assessments(db, ana).await.unwrap();
        assert_eq!((skills[0].skill_id.as_str(), skills[0].level), ("empathy", 4), "{backend:?}");
        let ben = id(db, "E1002").await;
        let certs = records::certifications(db, ben).await.unwrap();
        assert_eq!((certs[0].earned_date, certs[0].expires_date), (Some(day(2023, 5, 10)), Some(day(2026, 5, 10))));

        // The same files again: nothing new.
        let again = import(db, csv("mixed.csv", MIXED), None, &options()).await;
        assert!(again.committed && again.written.values().all(|w| w.new == 0 && w.updated == 0), "{again}");
        assert_eq!(records::skill_assessments(db, ana).await.unwrap().len(), 1);
        // A changed rating is an update.
        let changed = RATINGS.replace("E1002,2024,5", "E1002,2024,4");
        let r = import(db, csv("ratings.csv", &changed), Some(HistoryKind::Ratings), &options()).await;
        assert_eq!((r.written[&HistoryKind::Ratings].updated, r.written[&HistoryKind::Ratings].unchanged), (1, 2));
    })
    .await;
}

#[tokio::test]
async fn bad_rows_are_named_by_row_and_column_unknown_people_listed_and_nothing_written() {
    let file = "employee,year,rating
E1001,2024,4
GHOST,2024,3
E1002,1969,3
E1002,2024,7
GHOST,2023,2
E1003,2025,x
";
    each_backend(async |t| {
        let (backend, db) = (t.backend, &t.db);
        seed_people(db).await;
        let r = import(db, csv("ratings.csv", file), Some(HistoryKind::Ratings), &options()).await;
        assert!(!r.committed, "{backend:?}: {r}");
        assert_eq!(r.problem_count, 5, "{r}");
        let at = |row: u64| r.problems.iter().find(|p| p.row == row).unwrap_or_else(|| panic!("row {row}: {r}"));
        assert_eq!((at(3).column.as_str(), at(3).value.as_str()), ("employee", "GHOST"));
        assert_eq!((at(4).column.as_str(), at(4).value.as_str()), ("year", "1969"));
        assert!(at(5).message.contains("from 1 to 5"), "{r}");
        assert_eq!((at(7).column.as_str(), at(7).value.as_str()), ("rating", "x"));
        assert_eq!(r.unknown, vec![("GHOST".to_string(), 2)], "listed once with its rows");
        assert!(r.to_string().contains("1 unknown employee code(s): GHOST (2 rows)"), "{r}");
        assert!(records::history::ratings(db, id(db, "E1001").await).await.unwrap().is_empty(), "all or nothing");

        // Skipped: the good row is written, the bad ones go to the rejects file with a reason.
        let dir = tempfile::tempdir().unwrap();
        let rejects = dir.path().join("ratings.rejects.csv");
        let skip = Options { skip_bad_rows: true, rejects: Some(rejects.clone()), ..options() };
        let r = import(db, csv("ratings.csv", file), Some(HistoryKind::Ratings), &skip).await;
        assert!(r.committed && r.rows_rejected == 5, "{backend:?}: {r}");
        assert_eq!(records::history::ratings(db, id(db, "E1001").await).await.unwrap(), vec![(2024, 4)]);
        let text = std::fs::read_to_string(&rejects).unwrap();
        assert_eq!(text.lines().count(), 6, "{text}");
        assert!(text.lines().next().unwrap().ends_with(",reason"), "{text}");
    })
    .await;
}

#[tokio::test]
async fn a_file_without_its_columns_or_kind_is_refused_once_with_the_header() {
    each_backend(async |t| {
        seed_people(&t.db).await;
        let r = import(
            &t.db,
            csv("skills.csv", "employee,skill,level\nE1001,empathy,3\n"),
            Some(HistoryKind::Skills),
            &options(),
        )
        .await;
        assert_eq!(r.problem_count, 1, "{r}");
        assert!(
            r.problems[0].message.contains("'date', 'assessor'")
                && r.problems[0].message.contains("employee, skill, level"),
            "{r}"
        );
        let r = import(&t.db, csv("any.csv", "employee,year,rating\nE1001,2024,3\n"), None, &options()).await;
        assert!(r.problems[0].message.contains("--kind"), "{r}");
        let bad =
            "employee,skill,level,date,assessor\nE1001,juggling,3,2024-01-01,leader\nE1001,empathy,3,2024-01-01,peer\n";
        let r = import(&t.db, csv("skills.csv", bad), Some(HistoryKind::Skills), &options()).await;
        assert!(
            r.problems[0].message.contains("unknown skill") && r.problems[1].message.contains("self or leader"),
            "{r}"
        );
    })
    .await;
}
