//! Outside job postings over the API (issue 28): HR imports a saved job page and a careers
//! site's JSON-LD; an agent searches with filters and sees their fit from their own record;
//! a file that is not JSON is reported with its line and column; bad filters are 422.

use crate::common;

use common::{each_app, Persona};
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/it/fixtures/postings/");

/// Posts a fixture file as the import body.
async fn import(s: &common::Session, name: &str) -> Value {
    let text = std::fs::read_to_string(format!("{FIXTURES}{name}")).unwrap();
    let (status, report) = s.upload(&format!("/api/v1/jobs/postings/import?name={name}"), &text).await;
    assert_eq!(status, 200, "{name}: {report}");
    report
}

#[tokio::test]
async fn hr_imports_postings_and_an_agent_finds_them_with_their_fit() {
    each_app(async |app| {
        let hr = app.sign_in(Persona::Hr).await;
        let report = import(&hr, "careers_graph.jsonld").await;
        assert_eq!((report["imported"].as_u64(), report["skipped_files"].as_u64()), (Some(1), Some(0)), "{report}");
        let broken = import(&hr, "broken.json").await;
        assert_eq!(broken["skipped_files"], 1);
        assert!(broken["files"][0]["error"].as_str().unwrap().starts_with("line 4, column 33"), "{broken}");
        let again = import(&hr, "careers_graph.jsonld").await;
        assert_eq!((again["imported"].as_u64(), again["updated"].as_u64()), (Some(0), Some(1)));

        let agent = app.sign_in(Persona::Agent).await;
        let found = agent.get_json("/api/v1/jobs/postings?arrangement=remote&channel=non-voice", 200).await;
        assert_eq!(found["total"], 1, "{found}");
        let item = &found["items"][0];
        assert_eq!(item["title"], "Chat Support Agent (Work From Home)");
        assert_eq!(
            (item["role"].as_str(), item["matched_by"].as_str(), item["remote"].as_bool()),
            (Some("chat-email-support-associate"), Some("code"), Some(true))
        );
        let fit = &item["fit"];
        assert!(fit["percent"].as_u64().is_some() && fit["met"].is_array() && fit["gaps"].is_array(), "{fit}");
        let id = item["id"].as_i64().unwrap();
        let one = agent.get_json(&format!("/api/v1/jobs/postings/{id}"), 200).await;
        assert!(one["description"].as_str().unwrap().contains("Non-voice account"), "{one}");
        let none = agent.get_json("/api/v1/jobs/postings?shift=night", 200).await;
        assert_eq!(none["total"], 0);
        let market = agent.get_json("/api/v1/jobs/market", 200).await;
        assert_eq!(market["items"][0]["role"], "chat-email-support-associate", "{market}");
        assert_eq!(market["items"][0]["remote_percent"], 100.0);
    })
    .await;
}

#[tokio::test]
async fn a_filter_out_of_its_set_or_an_unknown_one_is_refused_naming_it() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        for (query, field) in [
            ("shift=graveyard", "shift"),
            ("pay_at_least=lots", "pay_at_least"),
            ("experience_at_most=-1", "experience_at_most"),
            ("currency=pesos", "currency"),
        ] {
            let body = agent.get_json(&format!("/api/v1/jobs/postings?{query}"), 422).await;
            assert_eq!(body["error"]["field"], field, "{query}: {body}");
        }
        agent.get_json("/api/v1/jobs/postings?salary=1", 422).await;
        let page = agent.get("/jobs?shift=night&signing_bonus=true").await;
        assert_eq!(page.status().as_u16(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("Jobs outside") && !html.contains("Import postings"), "agents do not import");
        let hr = app.sign_in(Persona::Hr).await;
        let html = hr.get("/jobs").await.text().await.unwrap();
        assert!(html.contains("Import postings"));
        assert_eq!(hr.get("/jobs/market").await.status().as_u16(), 200);
    })
    .await;
}

/// `n` open postings matched by ISCO-08 4222 (customer-service-executive), paid PHP
/// 20,000 + 1,000·i to 2,000 more a month, the even ones remote.
fn chat_postings(n: usize) -> String {
    let postings: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            let min = 20_000 + 1_000 * i;
            let mut p = serde_json::json!({
                "@type": "JobPosting", "title": format!("Chat Support {i}"), "identifier": format!("chat-{i}"),
                "description": "Non-voice support.", "datePosted": "2026-11-01", "validThrough": "2099-01-01",
                "hiringOrganization": "Acme Contact",
                "jobLocation": { "@type": "Place", "address": "Makati, Metro Manila, PH" },
                "occupationalCategory": { "@type": "CategoryCode", "codeValue": "4222", "inCodeSet": "ISCO-08" },
                "baseSalary": { "@type": "MonetaryAmount", "currency": "PHP",
                    "value": { "@type": "QuantitativeValue", "minValue": min, "maxValue": min + 2_000, "unitText": "MONTH" } }
            });
            if i % 2 == 0 {
                p["jobLocationType"] = "TELECOMMUTE".into();
            }
            p
        })
        .collect();
    serde_json::Value::Array(postings).to_string()
}

#[tokio::test]
async fn the_role_page_says_what_the_market_pays_from_five_postings_and_nothing_before() {
    each_app(async |app| {
        let hr = app.sign_in(Persona::Hr).await;
        let visitor = app.sign_in(Persona::Anonymous).await;
        let role = "/api/v1/explore/roles/customer-service-executive";
        let (status, _) = hr.upload("/api/v1/jobs/postings/import?name=four.json", &chat_postings(4)).await;
        assert_eq!(status, 200);
        assert!(visitor.get_json(role, 200).await.get("market_pay").is_none(), "4 postings say nothing");
        let html = visitor.get("/explore/roles/customer-service-executive").await.text().await.unwrap();
        assert!(!html.contains("What the market pays"));

        let (status, _) = hr.upload("/api/v1/jobs/postings/import?name=six.json", &chat_postings(6)).await;
        assert_eq!(status, 200);
        let pay = visitor.get_json(role, 200).await["market_pay"].clone();
        let market = hr.get_json("/api/v1/jobs/market", 200).await;
        assert_eq!(pay["postings"], 6, "{:?} {market}", app.backend);
        assert_eq!((pay["currency"].as_str(), pay["monthly_median"].as_i64()), (Some("PHP"), Some(2_350_000)));
        assert_eq!((pay["monthly_low"].as_i64(), pay["monthly_high"].as_i64()), (Some(2_225_000), Some(2_475_000)));
        assert_eq!(pay["remote_percent"], 50.0);
        let html = visitor.get("/explore/roles/customer-service-executive").await.text().await.unwrap();
        assert!(html.contains("What the market pays") && html.contains("median PHP 23,500"), "the page shows it");
    })
    .await;
}

#[tokio::test]
async fn a_job_boards_csv_and_xlsx_import_with_errors_naming_row_and_column_and_never_twice() {
    each_app(async |app| {
        let hr = app.sign_in(Persona::Hr).await;
        let csv = std::fs::read_to_string(format!("{FIXTURES}board_export.csv")).unwrap();
        let (status, report) = hr.upload("/api/v1/jobs/postings/import?name=board_export.csv", &csv).await;
        assert_eq!(status, 200, "{report}");
        let file = &report["files"][0];
        assert_eq!((report["imported"].as_u64(), file["postings"].as_u64()), (Some(3), Some(3)), "{report}");
        let skipped: Vec<&str> =
            file["skipped_postings"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
        assert_eq!(skipped.len(), 2, "{skipped:?}");
        assert!(skipped[0].contains("row 7, column 'Date Posted': 'next week' is not a date"), "{skipped:?}");
        assert!(skipped[1].starts_with("row 8, column 'Job Title'"), "{skipped:?}");
        let again = hr.upload("/api/v1/jobs/postings/import?name=board_export.csv", &csv).await.1;
        assert_eq!((again["imported"].as_u64(), again["updated"].as_u64()), (Some(0), Some(3)), "{again}");

        let found = hr.get_json("/api/v1/jobs/postings?company=harbor", 200).await;
        assert_eq!(found["total"], 2, "{found}");
        let chat = found["items"].as_array().unwrap().iter().find(|i| i["title"] == "Chat Support Agent").unwrap();
        assert_eq!((chat["remote"].as_bool(), chat["shift"].as_str()), (Some(true), Some("rotating")), "{chat}");
        assert_eq!((chat["pay_month_min"].as_i64(), chat["currency"].as_str()), (Some(2_000_000), Some("PHP")));
        let csr = found["items"].as_array().unwrap().iter().find(|i| i["title"] != "Chat Support Agent").unwrap();
        assert_eq!(
            (csr["date_posted"].as_str(), csr["valid_through"].as_str()),
            (Some("2026-11-03"), Some("2099-12-31"))
        );
        assert_eq!((csr["shift"].as_str(), csr["pay_month_max"].as_i64()), (Some("night"), Some(2_200_000)), "{csr}");

        // The same board's export as a workbook, a sheet title row first and a date cell.
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write(0, 0, "Saved jobs").unwrap();
        for (c, h) in ["Job ID", "Job Title", "Company", "Salary", "Date Posted"].iter().enumerate() {
            sheet.write(2, c as u16, *h).unwrap();
        }
        let day = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 11, 9).unwrap();
        let format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
        sheet.write(3, 0, "JP-2001").unwrap();
        sheet.write(3, 1, "Data Entry Clerk").unwrap();
        sheet.write(3, 2, "Harbor Contact Solutions").unwrap();
        sheet.write(3, 3, "PHP 16,000 - 18,000 / month").unwrap();
        sheet.write_datetime_with_format(3, 4, &day, &format).unwrap();
        sheet.write(4, 0, "JP-1001").unwrap();
        sheet.write(4, 1, "Customer Service Representative").unwrap();
        sheet.write(4, 2, "Harbor Contact Solutions").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let res = hr
            .client
            .post(format!("{}/api/v1/jobs/postings/import?name=board.xlsx", hr.base))
            .header("x-csrf-token", hr.csrf.clone().unwrap_or_default())
            .body(bytes)
            .send()
            .await
            .unwrap();
        let report: Value = res.json().await.unwrap();
        assert_eq!((report["imported"].as_u64(), report["updated"].as_u64()), (Some(1), Some(1)), "{report}");
        let clerk = hr.get_json("/api/v1/jobs/postings?q=clerk", 200).await;
        assert_eq!(clerk["items"][0]["date_posted"], "2026-11-09", "{clerk}");
        assert_eq!(
            hr.get_json("/api/v1/jobs/postings?company=harbor", 200).await["total"],
            3,
            "JP-1001 updated, not added"
        );
    })
    .await;
}
