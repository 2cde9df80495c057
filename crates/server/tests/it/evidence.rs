//! Evidence people can trust (issue 26): an earned certification needs evidence and a
//! verifier's word before it counts, a changed claim waits again, a file is served back only to
//! those who may see the person, and a QA/trainer confirms skills and verifies certifications
//! at their sites and sees nothing else. On SQLite and PostgreSQL.

use crate::common;

use common::{each_app, Persona, Session, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

/// The smallest file that sniffs as a PDF.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

fn certs_path(app: &TestApp) -> String {
    format!("/api/v1/employees/{}/certifications", app.fixture.agent)
}

async fn json_of(res: reqwest::Response, status: u16, what: &str) -> Value {
    let got = res.status().as_u16();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "{what}: {body}");
    body
}

/// The agent claims ITIL 4 Foundation as earned, with `evidence` merged into the body.
async fn claim(app: &TestApp, agent: &Session, evidence: Value) -> reqwest::Response {
    let mut body = json!({ "certification_id": "itil-4-foundation", "status": "earned", "earned_date": "2026-01-20" });
    body.as_object_mut().unwrap().extend(evidence.as_object().unwrap().clone());
    agent.post(&certs_path(app), body).await
}

async fn decide(s: &Session, app: &TestApp, body: Value) -> reqwest::Response {
    s.post(&format!("{}/itil-4-foundation/verification", certs_path(app)), body).await
}

/// The agent's readiness item for ITIL 4 Foundation (preferred for their next role).
async fn itil_item(s: &Session, app: &TestApp) -> Value {
    let plan = s.get_json(&format!("/api/v1/employees/{}/career-plan", app.fixture.agent), 200).await;
    let items = plan["readiness"]["items"].as_array().cloned().unwrap_or_default();
    items.into_iter().find(|i| i["id"] == "itil-4-foundation").unwrap_or_else(|| panic!("no ITIL item: {plan}"))
}

async fn to_verify(s: &Session) -> Vec<String> {
    let list = s.get_json("/api/v1/certifications/to-verify", 200).await;
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| format!("{}/{}", i["employee_name"].as_str().unwrap(), i["certification_id"].as_str().unwrap()))
        .collect()
}

#[tokio::test]
async fn an_earned_certification_needs_evidence_and_counts_only_once_verified() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        let leader = app.sign_in(Persona::Leader).await;
        let e = json_of(claim(&app, &agent, json!({})).await, 422, "no evidence").await;
        assert_eq!(e["error"]["field"], "evidence_url", "{e}");
        let e = json_of(claim(&app, &agent, json!({ "evidence_url": "ftp://x.example/c" })).await, 422, "ftp").await;
        assert_eq!(e["error"]["field"], "evidence_url");
        let long = format!("https://example.com/{}", "a".repeat(2_000));
        let e = json_of(claim(&app, &agent, json!({ "evidence_url": long })).await, 422, "too long").await;
        assert_eq!(e["error"]["field"], "evidence_url");

        let url = "https://certs.example.com/itil/ana";
        let saved = json_of(claim(&app, &agent, json!({ "evidence_url": url })).await, 200, "claim").await;
        assert_eq!(saved["evidence_url"], url);
        assert!(saved["verification"].is_null(), "a claim waits: {saved}");
        let item = itil_item(&leader, &app).await;
        assert_eq!(item["met"], false, "an unverified certification is not held: {item}");
        assert!(item["gap"].as_str().unwrap().contains("earned, awaiting verification"), "{item}");

        // The person cannot verify their own; the manager is not a verifier.
        assert_eq!(decide(&agent, &app, json!({ "decision": "verified" })).await.status(), 403);
        let manager = app.sign_in(Persona::Manager).await;
        assert_eq!(decide(&manager, &app, json!({ "decision": "verified" })).await.status(), 403);

        let verified = json_of(decide(&leader, &app, json!({ "decision": "verified" })).await, 200, "verify").await;
        assert_eq!(verified["verification"], "verified");
        assert_eq!(verified["verified_by"], json!(app.fixture.users[&Persona::Leader]));
        assert!(verified["verified_at"].is_string());
        assert_eq!(itil_item(&leader, &app).await["met"], true, "verified: now it counts");
        let audit = agent.get_json(&format!("/api/v1/employees/{}/audit", app.fixture.agent), 200).await;
        assert!(audit.to_string().contains("verified"), "the verification is audited: {audit}");

        // Saving the same claim keeps the verification; a new link sends it back.
        let same = json_of(claim(&app, &agent, json!({})).await, 200, "same claim").await;
        assert_eq!(same["verification"], "verified", "the link given before stands: {same}");
        let changed = claim(&app, &agent, json!({ "evidence_url": "https://certs.example.com/other" })).await;
        let changed = json_of(changed, 200, "new link").await;
        assert!(changed["verification"].is_null() && changed["verified_by"].is_null(), "{changed}");
        assert_eq!(itil_item(&leader, &app).await["met"], false);
    })
    .await;
}

#[tokio::test]
async fn nobody_verifies_a_claim_they_recorded_themselves() {
    each_app(async |app| {
        let leader = app.sign_in(Persona::Leader).await;
        let url = json!({ "evidence_url": "https://certs.example.com/itil/typed-by-leader" });
        let saved = json_of(claim(&app, &leader, url).await, 200, "the leader records it").await;
        assert!(saved["verification"].is_null(), "{saved}");
        let e = json_of(decide(&leader, &app, json!({ "decision": "verified" })).await, 409, "own claim").await;
        assert!(e.to_string().contains("recorded this claim yourself"), "{e}");
        assert_eq!(itil_item(&leader, &app).await["met"], false, "still waiting");
        let hr = app.sign_in(Persona::Hr).await;
        let verified = json_of(decide(&hr, &app, json!({ "decision": "verified" })).await, 200, "HR").await;
        assert_eq!(verified["verification"], "verified");
    })
    .await;
}

#[tokio::test]
async fn a_rejection_needs_a_reason_the_person_reads() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        let hr = app.sign_in(Persona::Hr).await;
        json_of(claim(&app, &agent, json!({ "evidence_url": "https://x.example/c" })).await, 200, "claim").await;
        let e = json_of(decide(&hr, &app, json!({ "decision": "rejected" })).await, 422, "no reason").await;
        assert_eq!(e["error"]["field"], "reason");
        let long = json!({ "decision": "rejected", "reason": "x".repeat(501) });
        assert_eq!(json_of(decide(&hr, &app, long).await, 422, "long reason").await["error"]["field"], "reason");
        let e = json_of(decide(&hr, &app, json!({ "decision": "maybe" })).await, 422, "bad decision").await;
        assert_eq!(e["error"]["field"], "decision");
        let reason = "The link shows an enrolment, not the certificate";
        let body = json!({ "decision": "rejected", "reason": reason });
        let rejected = json_of(decide(&hr, &app, body).await, 200, "reject").await;
        assert_eq!(rejected["verification"], "rejected");
        let listed = agent.get_json(&certs_path(&app), 200).await;
        assert_eq!(listed["items"][0]["rejection_reason"], reason, "{listed}");
        assert_eq!(itil_item(&agent, &app).await["met"], false, "a rejected claim is not held");
        // The person's growth page says where it stands and why.
        let html = agent.get("/growth").await.text().await.unwrap();
        assert!(html.contains("earned, evidence rejected") && html.contains(reason), "{html}");
    })
    .await;
}

async fn put_file(s: &Session, path: &str, bytes: &[u8]) -> reqwest::Response {
    let mut req = s.client.request(Method::PUT, format!("{}{path}", s.base)).body(bytes.to_vec());
    if let Some(t) = &s.csrf {
        req = req.header("x-csrf-token", t);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn an_evidence_file_is_sniffed_limited_and_served_only_to_who_may_see_the_person() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        let planned = json!({ "certification_id": "itil-4-foundation", "status": "in-progress" });
        json_of(agent.post(&certs_path(&app), planned).await, 200, "in progress").await;
        let file_path = format!("{}/itil-4-foundation/evidence", certs_path(&app));
        let upload = format!("{file_path}?name=..%2Fitil%20certificate.pdf");
        let e = json_of(put_file(&agent, &upload, b"just text, not a PDF").await, 422, "text").await;
        assert_eq!(e["error"]["field"], "evidence_file");
        let mut big = PDF.to_vec();
        big.resize(2 * 1024 * 1024 + 1, b' ');
        let e = json_of(put_file(&agent, &upload, &big).await, 422, "over 2 MiB").await;
        assert_eq!(e["error"]["field"], "evidence_file");
        let saved = json_of(put_file(&agent, &upload, PDF).await, 200, "pdf").await;
        assert_eq!(saved["evidence_file"], "itil certificate.pdf", "no folders kept: {saved}");
        // With the file as evidence, earned needs no link.
        let earned =
            json!({ "certification_id": "itil-4-foundation", "status": "earned", "earned_date": "2026-02-01" });
        let saved = json_of(agent.post(&certs_path(&app), earned).await, 200, "earned with the file").await;
        assert!(saved["verification"].is_null());

        for persona in [Persona::Agent, Persona::Leader, Persona::Trainer, Persona::Hr] {
            let res = app.sign_in(persona).await.get(&file_path).await;
            assert_eq!(res.status(), 200, "{persona:?}");
            assert_eq!(res.headers()["content-type"], "application/pdf");
            let disposition = res.headers()["content-disposition"].to_str().unwrap().to_string();
            assert!(disposition.starts_with("attachment;") && disposition.contains("itil certificate.pdf"));
            assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);
        }
        for persona in [Persona::OtherTeamAgent, Persona::OtherLeader] {
            assert_eq!(app.sign_in(persona).await.get(&file_path).await.status(), 403, "{persona:?}");
        }
        let page = app.sign_in(Persona::Trainer).await;
        let res = page.get(&format!("/people/{}/evidence/itil-4-foundation", app.fixture.agent)).await;
        assert_eq!(res.status(), 200, "the page route serves it too");
        let res = app.sign_in(Persona::OtherTeamAgent).await;
        let res = res.get(&format!("/people/{}/evidence/itil-4-foundation", app.fixture.agent)).await;
        assert_eq!(res.status(), 403);

        // A verified file replaced is a new claim.
        let trainer = app.sign_in(Persona::Trainer).await;
        json_of(decide(&trainer, &app, json!({ "decision": "verified" })).await, 200, "trainer verifies").await;
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        let saved = json_of(put_file(&agent, &upload, png).await, 200, "png").await;
        assert!(saved["verification"].is_null(), "{saved}");
        let res = agent.get(&file_path).await;
        assert_eq!(res.headers()["content-type"], "image/png");
    })
    .await;
}

#[tokio::test]
async fn the_to_verify_list_is_each_verifiers_scope_oldest_first() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        json_of(claim(&app, &agent, json!({ "evidence_url": "https://x.example/a" })).await, 200, "agent").await;
        let other = app.sign_in(Persona::OtherTeamAgent).await;
        let body = json!({ "certification_id": "ccsp", "status": "earned", "earned_date": "2026-01-02",
            "evidence_url": "https://x.example/b" });
        let path = format!("/api/v1/employees/{}/certifications", app.fixture.other_agent);
        json_of(other.post(&path, body).await, 200, "other agent").await;

        let ana = "Ana Agent/itil-4-foundation".to_string();
        let ben = "Ben Other/ccsp".to_string();
        assert_eq!(to_verify(&app.sign_in(Persona::Leader).await).await, vec![ana.clone()]);
        assert_eq!(to_verify(&app.sign_in(Persona::OtherLeader).await).await, vec![ben.clone()]);
        assert_eq!(to_verify(&app.sign_in(Persona::Trainer).await).await, vec![ana.clone(), ben.clone()]);
        assert_eq!(to_verify(&app.sign_in(Persona::Hr).await).await, vec![ana.clone(), ben.clone()]);
        assert_eq!(app.sign_in(Persona::Manager).await.get("/api/v1/certifications/to-verify").await.status(), 403);

        // The page: the leader verifies from the list, and it leaves the list.
        let leader = app.sign_in(Persona::Leader).await;
        let html = leader.get("/verify").await.text().await.unwrap();
        assert!(html.contains("Ana Agent") && html.contains("https://x.example/a"), "{html}");
        let version = shown_version(&html);
        let form = [("_csrf", leader.csrf.as_deref().unwrap()), ("decision", "verified"), ("version", &version)];
        let url = format!("{}/verify/{}/itil-4-foundation", leader.base, app.fixture.agent);
        let res = leader.client.post(url).form(&form).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let html = res.text().await.unwrap();
        assert!(html.contains("Nothing is waiting for you"), "{html}");
        let listed = agent.get_json(&certs_path(&app), 200).await;
        assert_eq!(listed["items"][0]["verification"], "verified");
        assert!(agent.get("/growth").await.text().await.unwrap().contains("earned, verified"));
    })
    .await;
}

/// The evidence version in the first form of a "to verify" page.
fn shown_version(html: &str) -> String {
    let at = html.find(r#"name="version" value=""#).unwrap_or_else(|| panic!("no version: {html}"));
    let rest = &html[at + r#"name="version" value=""#.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

#[tokio::test]
async fn a_decision_on_evidence_replaced_after_the_page_was_drawn_is_refused() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        let leader = app.sign_in(Persona::Leader).await;
        json_of(claim(&app, &agent, json!({ "evidence_url": "https://x.example/real" })).await, 200, "claim").await;
        let html = leader.get("/verify").await.text().await.unwrap();
        let seen = shown_version(&html);
        // The person swaps the link while the leader reads the page.
        json_of(claim(&app, &agent, json!({ "evidence_url": "https://x.example/swapped" })).await, 200, "swap").await;
        let form = [("_csrf", leader.csrf.as_deref().unwrap()), ("decision", "verified"), ("version", &seen)];
        let url = format!("{}/verify/{}/itil-4-foundation", leader.base, app.fixture.agent);
        let res = leader.client.post(&url).form(&form).send().await.unwrap();
        assert_eq!(res.status(), 409);
        let html = res.text().await.unwrap();
        assert!(html.contains("the evidence changed after your page was drawn"), "{html}");
        assert!(html.contains("https://x.example/swapped"), "the list shows what is there now: {html}");
        assert!(agent.get_json(&certs_path(&app), 200).await["items"][0]["verification"].is_null(), "nothing decided");

        // The API: the list's version; a file uploaded since makes it stale too.
        let listed = leader.get_json("/api/v1/certifications/to-verify", 200).await;
        let version = listed["items"][0]["evidence_version"].as_str().unwrap().to_string();
        assert_ne!(version, seen);
        let file = format!("{}/itil-4-foundation/evidence?name=c.pdf", certs_path(&app));
        json_of(put_file(&agent, &file, PDF).await, 200, "a file added").await;
        let stale = json!({ "decision": "verified", "evidence_version": version });
        let e = json_of(decide(&leader, &app, stale).await, 409, "stale version").await;
        assert!(e.to_string().contains("evidence changed"), "{e}");
        let long = json!({ "decision": "verified", "evidence_version": "x".repeat(65) });
        let e = json_of(decide(&leader, &app, long).await, 422, "long version").await;
        assert_eq!(e["error"]["field"], "evidence_version");
        let listed = leader.get_json("/api/v1/certifications/to-verify", 200).await;
        let fresh = json!({ "decision": "verified", "evidence_version": listed[0]["evidence_version"] });
        let verified = json_of(decide(&leader, &app, fresh).await, 200, "fresh version").await;
        assert_eq!(verified["verification"], "verified");
    })
    .await;
}

#[tokio::test]
async fn a_trainer_confirms_skills_at_their_site_and_sees_no_kras_or_pipeline() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        let trainer = app.sign_in(Persona::Trainer).await;
        let e = app.fixture.agent;
        let skill = |s: &str| format!("/api/v1/employees/{e}/skills/{s}/assessments");
        json_of(agent.post(&skill("communication"), json!({ "level": 5 })).await, 201, "self").await;
        let waiting = trainer.get_json("/api/v1/skills/to-confirm", 200).await;
        assert_eq!((waiting["items"].as_array().unwrap().len(), &waiting["total"]), (1, &json!(1)), "{waiting}");
        let first = &waiting["items"][0];
        assert_eq!((&first["skill_id"], &first["level"]), (&json!("communication"), &json!(5)));
        let html = trainer.get("/verify").await.text().await.unwrap();
        assert!(html.contains("Self-ratings to confirm") && html.contains("Ana Agent"), "{html}");
        let other_leader = app.sign_in(Persona::OtherLeader).await;
        let none = json!({ "items": [], "total": 0, "next": null });
        assert_eq!(other_leader.get_json("/api/v1/skills/to-confirm", 200).await, none, "not their team");
        let confirmed = json_of(trainer.post(&skill("communication"), json!({ "level": 4 })).await, 201, "qa").await;
        assert_eq!(confirmed["assessor"], "leader", "a QA/trainer's assessment confirms: {confirmed}");
        assert_eq!(trainer.get_json("/api/v1/skills/to-confirm", 200).await, none);
        let skills = trainer.get_json(&format!("/api/v1/employees/{e}/skills"), 200).await;
        assert_eq!((skills["items"].as_array().unwrap().len(), &skills["total"]), (2, &json!(2)), "{skills}");

        for path in [
            format!("/api/v1/employees/{e}"),
            format!("/api/v1/employees/{e}/kra-plans/2026"),
            format!("/api/v1/employees/{e}/scorecard?month=2026-03"),
            format!("/api/v1/employees/{e}/accomplishments"),
            "/api/v1/pipeline".to_string(),
        ] {
            assert_eq!(trainer.get(&path).await.status(), 403, "{path}");
        }
        let far = app.fixture.far_agent;
        let res = trainer.get(&format!("/api/v1/employees/{far}/certifications")).await;
        assert_eq!(res.status(), 403, "another site's people are not theirs");
        for path in ["/home", "/verify"] {
            let res = trainer.get(path).await;
            assert_eq!(res.status(), 200, "{path}");
        }
        assert_eq!(trainer.get("/pipeline").await.status(), 403);
    })
    .await;
}

#[tokio::test]
async fn an_administrator_adds_a_qa_trainer_with_sites_only() {
    each_app(async |app| {
        let admin = app.sign_in(Persona::Admin).await;
        let site = app.fixture.sites[1];
        let body = json!({ "email": "qa2@example.com", "name": "Q Two", "access": "qa-trainer", "sites": [site] });
        json_of(admin.post("/api/v1/users", body).await, 201, "qa-trainer").await;
        let no_site = json!({ "email": "qa3@example.com", "name": "Q Three", "access": "qa-trainer" });
        let e = json_of(admin.post("/api/v1/users", no_site).await, 422, "no site").await;
        assert_eq!(e["error"]["field"], "sites");
        let account = json!({ "email": "qa4@example.com", "name": "Q Four", "access": "qa-trainer",
            "sites": [site], "accounts": [app.fixture.accounts[1]] });
        let e = json_of(admin.post("/api/v1/users", account).await, 422, "an account").await;
        assert_eq!(e["error"]["field"], "accounts");
    })
    .await;
}

/// HR's queue is the whole organisation's, so it is read a page at a time in the store: claims
/// never dated (before migration 0032 kept the time) first, then those dated the same instant by
/// the migration (spelt `…Z` on SQLite, unlike the app's own), each once, the pages adding up.
#[tokio::test]
async fn the_to_verify_queue_pages_in_the_store_over_undated_and_migrated_claims() {
    use ladder_store::records::{upsert_certification, CertificationRecord, CertificationStatus};
    each_app(async |app| {
        let f = &app.fixture;
        let claims = [(f.agent, "itil-4-foundation"), (f.agent, "ccsp"), (f.other_agent, "itil-4-foundation")];
        let mut ids = Vec::new();
        for (who, cert) in claims.into_iter().chain([(f.other_agent, "ccsp"), (f.far_agent, "ccsp")]) {
            let c = CertificationRecord {
                id: 0,
                employee_id: who,
                certification_id: cert.into(),
                status: CertificationStatus::Earned,
                planned_date: None,
                earned_date: Some(common::day(2026, 1, 5)),
                expires_date: None,
                evidence_url: Some("https://x.example/c".into()),
                evidence_file: None,
                evidence_changed_at: None,
                verification: None,
                verified_by: None,
                verified_at: None,
                rejection_reason: None,
            };
            ids.push(upsert_certification(&app.db, &c, None, None).await.unwrap().id);
        }
        // Two undated; three dated the same instant, as the migration dated them.
        let migrated = match app.backend {
            ladder_store::Backend::Sqlite => "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            ladder_store::Backend::Postgres => "date_trunc('second', now())",
        };
        let undated =
            format!("UPDATE certifications SET evidence_changed_at = NULL WHERE id IN ({}, {})", ids[3], ids[1]);
        let dated = format!(
            "UPDATE certifications SET evidence_changed_at = {migrated} WHERE id NOT IN ({}, {})",
            ids[3], ids[1]
        );
        for sql in [undated, dated] {
            ladder_store::on_db!(&app.db, p => sqlx::query(&sql).execute(p).await.map(drop).unwrap());
        }

        let hr = app.sign_in(Persona::Hr).await;
        let (mut seen, mut cursor) = (Vec::new(), None::<String>);
        loop {
            let after = cursor.as_ref().map_or(String::new(), |c| format!("&cursor={c}"));
            let page = hr.get_json(&format!("/api/v1/certifications/to-verify?limit=2{after}"), 200).await;
            assert_eq!(page["total"], 5, "{page}");
            for item in page["items"].as_array().unwrap() {
                seen.push((
                    item["employee_id"].as_i64().unwrap(),
                    item["certification_id"].as_str().unwrap().to_string(),
                ));
                assert!(seen.len() <= 5, "a claim came twice: {seen:?}");
            }
            match page["next"].as_str() {
                Some(next) => cursor = Some(next.to_string()),
                None => break,
            }
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!((seen.len(), unique.len()), (5, 5), "{seen:?}");
        let first_two: Vec<_> = seen[..2].to_vec();
        assert_eq!(
            first_two,
            [(f.agent.0, "ccsp".to_string()), (f.other_agent.0, "ccsp".to_string())],
            "undated first, by row"
        );
    })
    .await;
}
