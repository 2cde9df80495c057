//! The JobPosting reader on files shaped like real ones: a saved job-board page with other
//! scripts around, a careers site's `@graph`, a board's array, broken JSON.

use chrono::NaiveDate;
use ladder_core::postings::{read_file, Arrangement, Channel, Industry, MatchedBy, PayUnit, Shift};
use ladder_core::Framework;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/it/fixtures/postings/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn a_saved_job_board_page_gives_its_posting_and_ignores_the_other_scripts() {
    let read = read_file(&fixture("indeed_saved.html"), &Framework::default_framework()).unwrap();
    assert_eq!(read.postings.len(), 1, "{read:?}");
    let p = &read.postings[0];
    assert_eq!(p.title, "Customer Service Representative - Night Shift");
    assert_eq!(p.organisation.as_deref(), Some("Acme Contact Solutions"));
    assert_eq!(p.identity, "id:acme contact solutions:Indeed:a1b2c3");
    assert_eq!(p.location.as_deref(), Some("Makati, Metro Manila, PH"));
    assert_eq!((p.date_posted, p.valid_through), (Some(day("2026-11-20")), Some(day("2026-12-31"))));
    assert!(p.description.starts_with("Earn up to PHP 25,000!\n• Night differential"), "{}", p.description);
    assert!(!p.description.contains('<') && !p.description.contains("&lt;"));
    let pay = p.pay.as_ref().unwrap();
    assert_eq!(
        (pay.min, pay.max, pay.currency.as_deref(), pay.unit),
        (1_800_000, 2_500_000, Some("PHP"), PayUnit::Month)
    );
    assert_eq!((p.role.as_deref(), p.matched_by), (Some("customer-service-executive"), MatchedBy::Title));
    assert_eq!((p.arrangement, p.shift), (Arrangement::OnSite, Some(Shift::Night)));
    assert!(p.signing_bonus && p.night_differential);
    assert_eq!((p.industry, p.channel), (Some(Industry::Telecom), Some(Channel::Voice)));
    assert_eq!((p.degree_required, p.experience_months), (Some(false), Some(0)));
    assert_eq!(p.employment_types, ["FULL_TIME"]);
    assert!(!p.expired(day("2026-12-31")) && p.expired(day("2027-01-01")));
}

#[test]
fn a_graph_gives_its_postings_and_skips_one_without_a_title() {
    let read = read_file(&fixture("careers_graph.jsonld"), &Framework::default_framework()).unwrap();
    assert_eq!(read.postings.len(), 1);
    assert_eq!(read.skipped, ["posting 2: no title"]);
    let p = &read.postings[0];
    assert_eq!(p.identity, "url:https://careers.northwind.example/jobs/481");
    assert_eq!((p.role.as_deref(), p.matched_by), (Some("chat-email-support-associate"), MatchedBy::Code));
    assert_eq!(p.occupational_category.as_deref(), Some("4222"));
    assert_eq!(p.location.as_deref(), Some("Philippines"));
    assert_eq!(p.employment_types, ["FULL_TIME", "CONTRACTOR"]);
    assert_eq!(
        (p.arrangement, p.shift, p.channel),
        (Arrangement::Remote, Some(Shift::Rotating), Some(Channel::NonVoice))
    );
    assert_eq!(p.industry, Some(Industry::Ecommerce));
    // USD 4.50 an hour × 45 hours a week (its workHours) × 52/12 weeks = 877.50 a month
    let pay = p.pay.as_ref().unwrap();
    assert_eq!((pay.min, pay.max, pay.currency.as_deref(), pay.unit), (87_750, 87_750, Some("USD"), PayUnit::Hour));
    assert_eq!((p.degree_required, p.experience_months), (Some(true), Some(12)));
    assert!(!p.signing_bonus && !p.night_differential);
}

#[test]
fn an_array_with_address_texts_pay_as_text_and_an_unmatched_posting() {
    let read = read_file(&fixture("board_array.json"), &Framework::default_framework()).unwrap();
    assert_eq!(read.postings.len(), 2);
    let (lead, nurse) = (&read.postings[0], &read.postings[1]);
    assert_eq!(lead.identity, "key:blue harbor outsourcing|team lead|cebu it park cebu city taguig ph|2026-10-05");
    assert_eq!(lead.location.as_deref(), Some("Cebu IT Park, Cebu City; Taguig, PH"));
    assert_eq!(lead.pay.as_ref().map(|p| (p.min, p.max)), Some((3_500_000, 4_500_000)));
    assert_eq!(
        (lead.arrangement, lead.shift, lead.industry),
        (Arrangement::Hybrid, Some(Shift::Day), Some(Industry::BankingFinancial))
    );
    assert_eq!((lead.role.as_deref(), lead.matched_by), (Some("team-leader"), MatchedBy::Title));
    assert_eq!((nurse.role.as_deref(), nurse.matched_by), (None, MatchedBy::None));
    assert_eq!(nurse.pay.as_ref().map(|p| (p.min, p.currency.clone())), Some((5_200_000, Some("USD".into()))));
}

#[test]
fn invalid_json_is_refused_with_its_line_and_column_in_the_file() {
    let fw = Framework::default_framework();
    let e = read_file(&fixture("broken.json"), &fw).unwrap_err();
    assert_eq!((e.line, e.column), (Some(4), Some(33)), "{e}");
    assert!(e.to_string().starts_with("line 4, column 33: not valid JSON"), "{e}");
    // In a page, the place is the script's place in the file.
    let e = read_file(&fixture("broken_script.html"), &fw).unwrap_err();
    assert_eq!(e.line, Some(6), "{e}");
    let e = read_file("<html><body>No data</body></html>", &fw).unwrap_err();
    assert!(e.to_string().contains("without a JSON-LD script"), "{e}");
}

#[test]
fn the_same_posting_read_twice_has_the_same_identity() {
    let fw = Framework::default_framework();
    let a = read_file(&fixture("board_array.json"), &fw).unwrap();
    let b = read_file(&fixture("board_array.json"), &fw).unwrap();
    assert_eq!(a.postings[0].identity, b.postings[0].identity);
}

#[test]
fn a_broken_unrelated_script_beside_a_posting_is_a_note_not_a_refusal() {
    let page = "<html><head>\n<script type=\"application/ld+json\">{\"@type\": \"BreadcrumbList\", oops}</script>\n\
        <script type=\"application/ld+json\">{\"@type\": \"JobPosting\", \"title\": \"CSR\"}</script>\n</head></html>";
    let read = read_file(page, &Framework::default_framework()).unwrap();
    assert_eq!(read.postings.len(), 1, "{read:?}");
    assert_eq!(read.skipped.len(), 1, "{read:?}");
    assert!(read.skipped[0].contains("line 2") && read.skipped[0].contains("not valid JSON"), "{:?}", read.skipped);
}

#[test]
fn graph_references_are_followed_and_a_shared_url_does_not_merge_postings() {
    let file = r##"{"@context": "https://schema.org", "@graph": [
        {"@type": "Organization", "@id": "#org", "name": "Acme BPO"},
        {"@type": "Place", "@id": "#site", "address": {"addressLocality": "Makati"}},
        {"@type": "JobPosting", "title": "CSR", "url": "https://jobs.example/search",
         "hiringOrganization": {"@id": "#org"}, "jobLocation": {"@id": "#site"}},
        {"@type": "JobPosting", "title": "Team Leader", "url": "https://jobs.example/search",
         "hiringOrganization": {"@id": "#org"}}
    ]}"##;
    let read = read_file(file, &Framework::default_framework()).unwrap();
    assert_eq!(read.postings.len(), 2, "{read:?}");
    let (a, b) = (&read.postings[0], &read.postings[1]);
    assert_eq!(a.organisation.as_deref(), Some("Acme BPO"));
    assert_eq!(a.location.as_deref(), Some("Makati"));
    assert_ne!(a.identity, b.identity);
    assert!(a.identity.starts_with("key:"), "{}", a.identity);
}
