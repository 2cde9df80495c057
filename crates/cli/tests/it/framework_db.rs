//! The organisation's framework lives with its data (issue 24, point 7): `framework apply`
//! stores an overlay, `import` and `score-all` use it without a flag, a different `--extend` is
//! refused with what to do, `framework validate` reads overlays, and roles go by name too.

use std::process::{Command, Output};

use ladder_testkit::each_backend;

fn ladder(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ladder")).args(args).env("USER", "hr.lead").output().expect("ladder runs")
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// A new role, "Floor Walker", that the built-in framework does not have.
const OVERLAY: &str = r#"[[role]]
id = "floor-walker"
name = "Floor Walker"
family = "management"
level = 3
summary = "Walks the floor and helps agents with difficult contacts."
education = "not-required"
kras = [{ metric = "csat", weight = 100 }]
"#;

const PEOPLE: &str =
    "code,name,email,site,country,timezone,account,client,line_of_business,team,role,role_since,hire_date,team_leader
F1,Fe Walker,,Manila,PH,Asia/Manila,Telco voice,Telco,voice,T1,floor-walker,2024-01-01,2023-01-01,
";

#[tokio::test]
async fn an_applied_overlay_is_used_by_import_and_score_all_and_a_different_extend_is_refused() {
    each_backend(async |t| {
        let backend = t.backend;
        let dir = t.scratch();
        let (overlay, other, people) = (dir.join("acme.toml"), dir.join("other.toml"), dir.join("people.csv"));
        std::fs::write(&overlay, OVERLAY).unwrap();
        std::fs::write(&other, OVERLAY.replace("Floor Walker", "Floor Captain")).unwrap();
        std::fs::write(&people, PEOPLE).unwrap();
        let (overlay, other, people) = (overlay.to_str().unwrap(), other.to_str().unwrap(), people.to_str().unwrap());
        let db = t.url.as_str();

        // Without the overlay the role is unknown.
        let out = ladder(&["import", "people", people, "--database", db]);
        assert!(!out.status.success() && text(&out).contains("unknown role"), "{backend:?}: {}", text(&out));

        let out = ladder(&["framework", "apply", overlay, "--database", db]);
        assert!(out.status.success(), "{backend:?}: {}", text(&out));
        assert!(text(&out).contains("version 1 (applied by hr.lead)"), "{}", text(&out));
        let out = ladder(&["framework", "apply", overlay, "--database", db]);
        assert!(text(&out).contains("already the framework in force (version 1"), "{}", text(&out));

        // Now every command on the database uses it, without a flag.
        let out = ladder(&["import", "people", people, "--database", db]);
        assert!(out.status.success(), "{backend:?}: {}", text(&out));
        let out = ladder(&["import", "score-all", "--database", db]);
        assert!(out.status.success(), "{backend:?}: {}", text(&out));
        // The same overlay named again is fine; another is refused, saying what to do.
        assert!(ladder(&["import", "score-all", "--database", db, "--extend", overlay]).status.success());
        let whole = dir.join("whole.toml");
        std::fs::write(&whole, ladder_core::framework::DEFAULT_FRAMEWORK_TOML).unwrap();
        for (flag, file) in [("--extend", other), ("--framework", whole.to_str().unwrap())] {
            let out = ladder(&["import", "score-all", "--database", db, flag, file]);
            let said = text(&out);
            assert!(!out.status.success(), "{backend:?} {flag}: {said}");
            assert!(said.contains("version 1, applied by hr.lead"), "{said}");
            assert!(said.contains("ladder framework apply"), "{said}");
        }
        let out = ladder(&["framework", "apply", other, "--database", db, "--by", "ops.admin"]);
        assert!(text(&out).contains("version 2 (applied by ops.admin)"), "{}", text(&out));
        let history = text(&ladder(&["framework", "history", "--database", db]));
        assert!(history.contains("version 2") && history.contains("ops.admin") && history.contains("(in force)"));
        assert!(history.contains("version 1") && history.contains("hr.lead"), "{history}");

        // An overlay that does not fit is not stored.
        let bad = dir.join("bad.toml");
        std::fs::write(&bad, OVERLAY.replace("csat", "smiles")).unwrap();
        let out = ladder(&["framework", "apply", bad.to_str().unwrap(), "--database", db]);
        assert!(!out.status.success() && text(&out).contains("Nothing was stored"), "{}", text(&out));
    })
    .await;
}

#[test]
fn framework_validate_reads_an_overlay_and_names_its_problems() {
    let dir = std::env::temp_dir().join(format!("ladder-overlay-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("acme.toml");
    std::fs::write(&good, OVERLAY).unwrap();
    let out = ladder(&["framework", "validate", good.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("a valid overlay of the built-in framework — it adds or replaces 1 role(s)"));
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, OVERLAY.replace("csat", "smiles")).unwrap();
    let out = ladder(&["framework", "validate", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out).contains("role[floor-walker]") && text(&out).contains("smiles"), "{}", text(&out));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn roles_go_by_name_as_well_as_id() {
    let by_name = ladder(&["plan", "--from", "Team Leader", "--to", "operations manager", "--json"]);
    let by_id = ladder(&["plan", "--from", "team-leader", "--to", "operations-manager", "--json"]);
    assert!(by_name.status.success(), "{}", text(&by_name));
    let strip = |o: &Output| String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(strip(&by_name), strip(&by_id));
    let out = ladder(&["plan", "--from", "Team Captain", "--to", "operations-manager"]);
    assert!(!out.status.success() && text(&out).contains("unknown role 'Team Captain'"), "{}", text(&out));
}
