//! `ladder import history` and `ladder import people --skip-bad-rows` from the command line:
//! the flags reach the import, the exit status says whether anything was written, and the
//! rejects file lands beside the input. On both databases.

use std::process::{Command, Output};

use ladder_testkit::each_backend;

fn ladder(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ladder")).args(args).output().expect("ladder runs")
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

const PEOPLE: &str = "code,name,role,hire_date
A1,Ana Agent,customer-service-executive,2024-01-01
B2,Bea Bad,astronaut,2024-01-01
";

const RATINGS: &str = "employee,year,rating\nA1,2024,4\nGHOST,2024,3\n";

#[tokio::test]
async fn people_skip_bad_rows_and_history_from_the_command_line() {
    each_backend(async |t| {
        let backend = t.backend;
        let dir = t.scratch();
        let (people, ratings) = (dir.join("people.csv"), dir.join("ratings.csv"));
        std::fs::write(&people, PEOPLE).unwrap();
        std::fs::write(&ratings, RATINGS).unwrap();
        let (people, ratings) = (people.to_str().unwrap(), ratings.to_str().unwrap());
        let db = t.url.as_str();

        let out = ladder(&["import", "people", people, "--database", db]);
        assert!(!out.status.success(), "{backend:?}: {}", text(&out));
        let out = ladder(&["import", "people", people, "--skip-bad-rows", "--database", db]);
        assert!(out.status.success(), "{backend:?}: {}", text(&out));
        let rejects = std::fs::read_to_string(dir.join("people.rejects.csv")).unwrap();
        assert!(rejects.contains("B2,Bea Bad,astronaut") && rejects.contains("unknown role"), "{rejects}");

        let out = ladder(&["import", "history", ratings, "--kind", "ratings", "--database", db]);
        assert!(!out.status.success() && text(&out).contains("GHOST (1 row)"), "{backend:?}: {}", text(&out));
        let out = ladder(&["import", "history", ratings, "--kind", "ratings", "--skip-bad-rows", "--database", db]);
        assert!(out.status.success() && text(&out).contains("ratings: 1 new"), "{backend:?}: {}", text(&out));
        let out = ladder(&["import", "history", ratings, "--kind", "grades", "--database", db]);
        assert!(!out.status.success() && text(&out).contains("ratings, skills or certifications"), "{}", text(&out));
    })
    .await;
}
