//! A per-interaction long file (several rows per employee, day and metric) gives the same
//! monthly scores through `ladder import kpi` with `rows = "interaction"` as `ladder score
//! --actuals` gives from the file itself: both add the rows up. On SQLite and PostgreSQL.

use std::path::PathBuf;
use std::process::Command;

use ladder_testkit::each_backend;

use crate::import_kill::ladder;

/// tests/data/actuals.csv with each row cut in two rows of whole halves (a share stays within its denominator), the
/// second halves after all the first.
fn per_interaction(dir: &std::path::Path) -> PathBuf {
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/actuals.csv");
    let text = std::fs::read_to_string(source).unwrap();
    let (mut first, mut second) = (Vec::new(), Vec::new());
    // E1001 only: the people file below has them alone.
    for line in text.lines().skip(1).filter(|l| l.starts_with("E1001,")) {
        let f: Vec<&str> = line.split(',').collect();
        let n: f64 = f[3].parse().unwrap();
        let n1 = (n / 2.0).floor();
        // A plain sum's denominator stays empty.
        let (d1, d2) = match f.get(4).and_then(|d| d.parse::<f64>().ok()) {
            Some(d) => ((d / 2.0).floor().to_string(), (d - (d / 2.0).floor()).to_string()),
            None => (String::new(), String::new()),
        };
        first.push(format!("{},{},{},{},{}", f[0], f[1], f[2], n1, d1));
        second.push(format!("{},{},{},{},{}", f[0], f[1], f[2], n - n1, d2));
    }
    let path = dir.join("calls.csv");
    let body: Vec<String> = first.into_iter().chain(second).collect();
    std::fs::write(&path, format!("employee,date,metric,numerator,denominator\n{}\n", body.join("\n"))).unwrap();
    path
}

#[tokio::test]
async fn an_interaction_file_imported_scores_as_ladder_score_reads_it() {
    let dir = std::env::temp_dir().join(format!("ladder-interactions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let calls = per_interaction(&dir);
    let people = dir.join("people.csv");
    std::fs::write(
        &people,
        "code,name,site,account,team,role,role_since,hire_date\n\
         E1001,Ana Agent,Manila,Telco voice,T1,customer-service-executive,2024-01-01,2024-01-01\n",
    )
    .unwrap();
    let mapping = dir.join("per-call.toml");
    std::fs::write(
        &mapping,
        "name = \"per-call\"\nformat = \"long\"\ngrain = \"day\"\nrows = \"interaction\"\nemployee = \"employee\"\n\
         date = \"date\"\nmetric_column = \"metric\"\nnumerator = \"numerator\"\ndenominator = \"denominator\"\n",
    )
    .unwrap();
    let scored = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(["score", "--role", "customer-service-executive", "--actuals", calls.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert!(scored.status.success(), "{}", String::from_utf8_lossy(&scored.stderr));
    let scored: serde_json::Value = serde_json::from_slice(&scored.stdout).unwrap();
    let expected: Vec<(String, f64)> = scored["employees"][0]["months"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["period"].as_str().unwrap().len() == 7)
        .map(|m| (m["period"].as_str().unwrap().to_string(), m["scorecard"]["total"].as_f64().unwrap()))
        .collect();
    assert!(expected.len() >= 2, "{scored}");

    each_backend(async |t| {
        let url = t.url.clone();
        let (ok, out) = ladder(&["import", "people", people.to_str().unwrap()], &url);
        assert!(ok, "{out}");
        let (ok, out) =
            ladder(&["import", "kpi", calls.to_str().unwrap(), "--mapping", mapping.to_str().unwrap()], &url);
        assert!(ok, "{out}");
        let scores = dir.join(format!("scores-{:?}.csv", t.backend));
        let (ok, out) = ladder(&["import", "score-all", "--out", scores.to_str().unwrap()], &url);
        assert!(ok, "{out}");
        let text = std::fs::read_to_string(&scores).unwrap();
        let mut header = text.lines().next().unwrap().split(',');
        let (month_at, total_at) =
            (header.clone().position(|h| h == "month").unwrap(), header.position(|h| h == "total").unwrap());
        let got: Vec<(String, f64)> = text
            .lines()
            .skip(1)
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (f[month_at][..7].to_string(), f[total_at].parse().unwrap())
            })
            .collect();
        assert_eq!(got.len(), expected.len(), "{text}");
        for ((m1, a), (m2, b)) in got.iter().zip(&expected) {
            assert_eq!(m1, m2);
            assert!((a - b).abs() < 1e-9, "{m1}: imported {a}, ladder score {b}");
        }
    })
    .await;
}
