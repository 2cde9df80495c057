//! Outside job postings in the store: re-import updates, never duplicates; the search's
//! filters, order and pages; expired postings out unless asked.

use chrono::{NaiveDate, TimeZone, Utc};
use ladder_core::postings::{read_file, Posting};
use ladder_core::Framework;
use ladder_store::postings::{self, Filters};
use ladder_testkit::each_backend;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn read(json: &str) -> Vec<Posting> {
    read_file(json, &Framework::default_framework()).unwrap().postings
}

const BOARD: &str = r#"[
 {"@type": "JobPosting", "identifier": "r1", "title": "Customer Service Representative (WFH)", "hiringOrganization": "Acme BPO",
  "jobLocationType": "TELECOMMUTE", "datePosted": "2026-11-01", "validThrough": "2026-12-31", "description": "Night shift, night differential, inbound calls",
  "baseSalary": {"currency": "PHP", "value": {"minValue": 20000, "maxValue": 26000, "unitText": "MONTH"}}},
 {"@type": "JobPosting", "identifier": "r2", "title": "Team Lead", "hiringOrganization": "Blue Harbor",
  "jobLocation": {"address": {"addressLocality": "Cebu City"}}, "datePosted": "2026-11-05", "description": "Day shift. PHP 15,000 signing bonus. Bachelor's degree.",
  "baseSalary": {"currency": "PHP", "value": {"minValue": 35000, "maxValue": 45000, "unitText": "MONTH"}}},
 {"@type": "JobPosting", "identifier": "r3", "title": "Chat Support Agent", "hiringOrganization": "Acme BPO",
  "jobLocation": {"address": {"addressLocality": "Makati"}}, "datePosted": "2026-11-03", "validThrough": "2026-11-10",
  "description": "Non-voice. No experience needed. Hybrid.", "baseSalary": "PHP 18,000"},
 {"@type": "JobPosting", "identifier": "r4", "title": "Data Entry Clerk", "hiringOrganization": "Northwind 100%_Data",
  "jobLocation": {"address": {"addressLocality": "Makati"}}, "datePosted": "2026-11-04",
  "description": "Back office. At least 6 months experience. Rotating shifts.", "baseSalary": "PHP 16,000"}
]"#;

#[tokio::test]
async fn importing_the_same_postings_again_updates_them_and_adds_no_copies() {
    each_backend(async |t| {
        let at = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();
        let first = postings::upsert(&t.db, &read(BOARD), "board.json", at).await.unwrap();
        assert_eq!((first.imported, first.updated), (4, 0));
        let changed = BOARD.replace("20000, \"maxValue\": 26000", "21000, \"maxValue\": 27000");
        let again = postings::upsert(&t.db, &read(&changed), "board.json", at).await.unwrap();
        assert_eq!((again.imported, again.updated), (0, 4));
        let all = postings::search(&t.db, &Filters::default(), None, 50).await.unwrap();
        assert_eq!(all.len(), 4);
        let csr = all.iter().find(|p| p.title.starts_with("Customer")).unwrap();
        assert_eq!((csr.pay_month_min, csr.pay_month_max), (Some(2_100_000), Some(2_700_000)));
        let (got, description) = postings::get(&t.db, csr.id).await.unwrap().unwrap();
        assert_eq!(got.id, csr.id);
        assert!(description.contains("inbound calls"));
    })
    .await;
}

#[tokio::test]
async fn search_is_remote_first_then_newest_filters_and_leaves_expired_out() {
    each_backend(async |t| {
        let at = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();
        postings::upsert(&t.db, &read(BOARD), "board.json", at).await.unwrap();
        let open = Filters { open_on: Some(day("2026-11-20")), ..Filters::default() };
        let titles =
            |rows: Vec<ladder_store::postings::StoredPosting>| rows.into_iter().map(|p| p.title).collect::<Vec<_>>();
        let found = postings::search(&t.db, &open, None, 50).await.unwrap();
        assert_eq!(titles(found), ["Customer Service Representative (WFH)", "Team Lead", "Data Entry Clerk"]);
        assert_eq!(postings::count(&t.db, &open).await.unwrap(), 3);
        let all = postings::search(&t.db, &Filters::default(), None, 50).await.unwrap();
        assert_eq!(all.len(), 4, "expired ones when asked");
        let with = |f: Filters| Filters { open_on: Some(day("2026-11-20")), ..f };
        for (filters, expected) in [
            (
                with(Filters { arrangement: Some("remote".into()), ..Filters::default() }),
                vec!["Customer Service Representative (WFH)"],
            ),
            (with(Filters { shift: Some("rotating".into()), ..Filters::default() }), vec!["Data Entry Clerk"]),
            (
                with(Filters { pay_at_least: Some((2_500_000, "PHP".into())), ..Filters::default() }),
                vec!["Customer Service Representative (WFH)", "Team Lead"],
            ),
            (with(Filters { pay_at_least: Some((2_500_000, "USD".into())), ..Filters::default() }), vec![]),
            (with(Filters { signing_bonus: true, ..Filters::default() }), vec!["Team Lead"]),
            (
                with(Filters { night_differential: true, ..Filters::default() }),
                vec!["Customer Service Representative (WFH)"],
            ),
            (
                with(Filters { company: Some("acme".into()), ..Filters::default() }),
                vec!["Customer Service Representative (WFH)"],
            ),
            (with(Filters { company: Some("100%_d".into()), ..Filters::default() }), vec!["Data Entry Clerk"]),
            (with(Filters { company: Some("100%x".into()), ..Filters::default() }), vec![]),
            (with(Filters { location: Some("MAKATI".into()), ..Filters::default() }), vec!["Data Entry Clerk"]),
            (with(Filters { channel: Some("non-voice".into()), ..Filters::default() }), vec!["Data Entry Clerk"]),
            (with(Filters { degree: Some(true), ..Filters::default() }), vec!["Team Lead"]),
            (
                with(Filters { degree: Some(false), ..Filters::default() }),
                vec!["Customer Service Representative (WFH)", "Data Entry Clerk"],
            ),
            (with(Filters { experience_at_most: Some(6), ..Filters::default() }), vec!["Data Entry Clerk"]),
            (with(Filters { role: Some("team-leader".into()), ..Filters::default() }), vec!["Team Lead"]),
            (with(Filters { text: Some("clerk".into()), ..Filters::default() }), vec!["Data Entry Clerk"]),
        ] {
            let found = titles(postings::search(&t.db, &filters, None, 50).await.unwrap());
            assert_eq!(found, expected, "{filters:?}");
            assert_eq!(postings::count(&t.db, &filters).await.unwrap(), expected.len() as u64, "{filters:?}");
        }
        // Pages resume after the last row shown.
        let first = postings::search(&t.db, &Filters::default(), None, 2).await.unwrap();
        let last = first.last().unwrap();
        let after = Some((last.arrangement_rank, last.posted_on, last.id));
        let rest = postings::search(&t.db, &Filters::default(), after, 10).await.unwrap();
        let mut seen: Vec<i64> = first.iter().chain(rest.iter()).map(|p| p.id).collect();
        assert_eq!(seen.len(), 4);
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 4);
    })
    .await;
}

#[tokio::test]
async fn the_market_rows_are_the_open_matched_postings() {
    each_backend(async |t| {
        let at = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();
        postings::upsert(&t.db, &read(BOARD), "board.json", at).await.unwrap();
        let rows = postings::market_rows(&t.db, day("2026-11-20")).await.unwrap();
        let mut roles: Vec<&str> = rows.iter().map(|r| r.role_id.as_str()).collect();
        roles.sort();
        assert_eq!(roles, ["customer-service-executive", "data-entry-operator", "team-leader"]);
    })
    .await;
}
