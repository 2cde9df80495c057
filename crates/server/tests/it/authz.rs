//! The authorization matrix: every API operation × {anonymous, agent, agent of another team,
//! team leader, leader of another team, manager, HR, admin, QA/trainer}, on SQLite and
//! PostgreSQL.
//!
//! The subject of person-level operations is `agent` (team T1, account A1, site S1). Allowed
//! means the access layer let the request through (any status but 401/403 — the body may still
//! be refused as invalid); denied means exactly 403 (401 for anonymous).

use crate::common;

use common::{each_app, Fixture, Persona};
use reqwest::Method;
use serde_json::{json, Value};
use Persona::*;

struct Operation {
    method: Method,
    path: String,
    body: Option<Value>,
    allowed: &'static [Persona],
}

const SIGNED_IN: &[Persona] = &[Agent, OtherTeamAgent, Leader, OtherLeader, Manager, Hr, Admin, Trainer];
/// Who may see the agent's skills, certifications and training: who sees the agent, and the
/// QA/trainer of their site (issue 26).
const DEVELOPMENT_OF_AGENT: &[Persona] = &[Agent, Leader, Manager, Hr, Admin, Trainer];
/// Who may see the agent: themselves, their leader, their manager, HR, admin.
const SEES_AGENT: &[Persona] = &[Agent, Leader, Manager, Hr, Admin];
/// Who stands above the agent: their team leader and their manager.
const ABOVE_AGENT: &[Persona] = &[Leader, Manager];

fn op(method: Method, path: String, body: Option<Value>, allowed: &'static [Persona]) -> Operation {
    Operation { method, path, body, allowed }
}

/// The agent's own saved search and tracked outside application (ids), made before the matrix.
struct AgentsOwn {
    search: i64,
    tracked: i64,
    /// HR's own learning catalogue entry.
    learning_item: i64,
    /// The agent's mentoring request, paired by their leader with the other leader.
    mentoring: i64,
}

fn operations(f: &Fixture, own: &AgentsOwn) -> Vec<Operation> {
    let e = f.agent;
    let t1 = f.teams[0];
    let month = "2026-03";
    vec![
        // Session and self.
        op(Method::GET, "/api/v1/me".into(), None, SIGNED_IN),
        op(Method::GET, "/api/v1/me/tokens".into(), None, SIGNED_IN),
        // One's own notifications: everyone signed in, for themselves (another's id is a 404).
        op(Method::GET, "/api/v1/me/notifications".into(), None, SIGNED_IN),
        op(Method::POST, "/api/v1/me/notifications/read".into(), Some(json!({ "all": true })), SIGNED_IN),
        // Administration.
        op(Method::GET, "/api/v1/users".into(), None, &[Admin]),
        op(
            Method::POST,
            "/api/v1/users".into(),
            Some(json!({ "email": "x@example.com", "name": "X", "access": "agent" })),
            &[Admin],
        ),
        // People.
        op(Method::GET, "/api/v1/employees".into(), None, SIGNED_IN),
        op(Method::GET, format!("/api/v1/employees/{e}"), None, SEES_AGENT),
        op(Method::GET, "/api/v1/teams".into(), None, SIGNED_IN),
        op(Method::GET, format!("/api/v1/employees/{e}/identities"), None, SEES_AGENT),
        op(
            Method::PUT,
            format!("/api/v1/employees/{e}/identities/genesys"),
            Some(json!({ "identifier": "5e1c2a34-93b1-4a7e-b0c1-7d2f1e0a9b11" })),
            &[Hr, Admin],
        ),
        // KRAs and scores.
        op(Method::GET, format!("/api/v1/employees/{e}/kra-plans/2026"), None, SEES_AGENT),
        op(
            Method::PUT,
            format!("/api/v1/employees/{e}/kra-plans/2026"),
            Some(json!({ "name": "2026", "kras": [ { "metric": "csat", "weight": 100 } ] })),
            ABOVE_AGENT,
        ),
        // The KRA sheet signed off (issue 26): only the person agrees, not their leader or HR.
        op(Method::POST, format!("/api/v1/employees/{e}/kra-plans/2026/agree"), Some(json!({})), &[Agent]),
        op(Method::GET, format!("/api/v1/employees/{e}/year/2026"), None, SEES_AGENT),
        op(Method::GET, format!("/api/v1/employees/{e}/actuals/{month}"), None, SEES_AGENT),
        op(
            Method::PUT,
            format!("/api/v1/employees/{e}/actuals/{month}"),
            Some(json!([ { "metric": "fcr", "numerator": 70, "denominator": 100 } ])),
            // Self-entry is on in the fixture's organisation; admins may correct figures too.
            &[Agent, Leader, Manager, Admin],
        ),
        op(Method::GET, format!("/api/v1/employees/{e}/scorecard?month={month}"), None, SEES_AGENT),
        op(Method::GET, format!("/api/v1/employees/{e}/trend?through={month}&months=12"), None, SEES_AGENT),
        op(Method::GET, format!("/api/v1/employees/{e}/audit"), None, SEES_AGENT),
        op(Method::GET, format!("/api/v1/teams/{t1}/scorecard?month={month}"), None, &[Leader, Manager, Hr, Admin]),
        op(Method::GET, format!("/api/v1/employees/{e}/career-plan"), None, SEES_AGENT),
        // The PDFs (issue 30): whoever sees the person, as the JSON and the pages.
        op(Method::GET, format!("/api/v1/employees/{e}/career-plan.pdf"), None, SEES_AGENT),
        op(Method::GET, format!("/api/v1/employees/{e}/packet.pdf"), None, SEES_AGENT),
        op(
            Method::PUT,
            format!("/api/v1/employees/{e}/career-plan"),
            Some(json!({ "target_role": "team-leader", "horizon_years": 5 })),
            &[Agent],
        ),
        // The person's own goals (issue 26): read by whoever sees them, written by them alone. No
        // goal 999999: allowed is a 404.
        op(Method::GET, format!("/api/v1/employees/{e}/career-plan/goals"), None, SEES_AGENT),
        op(
            Method::POST,
            format!("/api/v1/employees/{e}/career-plan/goals"),
            Some(json!({ "milestone_role": "team-leader", "title": "Run a huddle", "due_on": "2099-01-01" })),
            &[Agent],
        ),
        op(
            Method::PATCH,
            format!("/api/v1/employees/{e}/career-plan/goals/999999"),
            Some(json!({ "done": true })),
            &[Agent],
        ),
        op(Method::DELETE, format!("/api/v1/employees/{e}/career-plan/goals/999999"), None, &[Agent]),
        op(Method::GET, "/api/v1/pipeline".into(), None, &[Leader, OtherLeader, Manager, Hr, Admin]),
        op(Method::GET, "/api/v1/pipeline/summary".into(), None, &[Leader, OtherLeader, Manager, Hr, Admin]),
        op(Method::GET, "/api/v1/pipeline/export?format=csv".into(), None, &[Leader, OtherLeader, Manager, Hr, Admin]),
        // Records.
        op(Method::GET, format!("/api/v1/employees/{e}/accomplishments"), None, SEES_AGENT),
        op(
            Method::POST,
            format!("/api/v1/employees/{e}/accomplishments"),
            Some(json!({ "date": "2026-03-10", "title": "Cut repeat calls", "shared": false })),
            &[Agent],
        ),
        op(Method::GET, format!("/api/v1/employees/{e}/skills"), None, DEVELOPMENT_OF_AGENT),
        op(
            Method::POST,
            format!("/api/v1/employees/{e}/skills/communication/assessments"),
            Some(json!({ "level": 3 })),
            &[Agent, Leader, Manager, Trainer],
        ),
        op(Method::GET, format!("/api/v1/employees/{e}/certifications"), None, DEVELOPMENT_OF_AGENT),
        // Evidence and verification (issue 26). No certification is recorded: allowed is a 404.
        op(
            Method::GET,
            format!("/api/v1/employees/{e}/certifications/itil-4-foundation/evidence"),
            None,
            DEVELOPMENT_OF_AGENT,
        ),
        op(
            Method::PUT,
            format!("/api/v1/employees/{e}/certifications/itil-4-foundation/evidence?name=c.pdf"),
            Some(json!({})),
            &[Agent, Leader, Manager],
        ),
        op(
            Method::POST,
            format!("/api/v1/employees/{e}/certifications/itil-4-foundation/verification"),
            Some(json!({ "decision": "verified" })),
            &[Leader, Hr, Admin, Trainer],
        ),
        op(Method::GET, "/api/v1/certifications/to-verify".into(), None, &[Leader, OtherLeader, Hr, Admin, Trainer]),
        op(Method::GET, "/api/v1/skills/to-confirm".into(), None, &[Leader, OtherLeader, Hr, Admin, Trainer]),
        op(Method::GET, format!("/api/v1/employees/{e}/reminders"), None, SEES_AGENT),
        op(
            Method::POST,
            format!("/api/v1/employees/{e}/certifications"),
            Some(json!({ "certification_id": "itil-4-foundation", "status": "planned" })),
            &[Agent, Leader, Manager],
        ),
        op(Method::GET, format!("/api/v1/employees/{e}/training"), None, DEVELOPMENT_OF_AGENT),
        op(
            Method::POST,
            format!("/api/v1/employees/{e}/training"),
            Some(json!({ "kind": "course", "title": "De-escalation", "hours": 4, "status": "planned" })),
            &[Agent, Leader, Manager],
        ),
        op(Method::GET, format!("/api/v1/employees/{e}/checkins"), None, SEES_AGENT),
        op(
            Method::POST,
            format!("/api/v1/employees/{e}/checkins"),
            Some(json!({ "month": month, "highlights": "h", "blockers": "", "asks": "" })),
            &[Agent],
        ),
        op(Method::GET, format!("/api/v1/employees/{e}/coaching-notes"), None, SEES_AGENT),
        op(
            Method::POST,
            format!("/api/v1/employees/{e}/accomplishments/1/share"),
            Some(json!({ "shared": true })),
            &[Agent],
        ),
        op(
            Method::POST,
            format!("/api/v1/employees/{e}/checkins/1/acknowledge"),
            Some(json!({ "comment": "Thanks" })),
            ABOVE_AGENT,
        ),
        op(
            Method::POST,
            format!("/api/v1/employees/{e}/coaching-notes"),
            Some(json!({ "metric": "csat", "note": "Use the recap script", "follow_up": "2099-01-31" })),
            ABOVE_AGENT,
        ),
        op(Method::GET, "/api/v1/checkins/pending".into(), None, SIGNED_IN),
        op(Method::GET, "/api/v1/framework".into(), None, SIGNED_IN),
        op(
            Method::GET,
            format!("/api/v1/rollups?level=team&through={month}"),
            None,
            &[Leader, OtherLeader, Manager, Hr, Admin],
        ),
        op(Method::DELETE, format!("/api/v1/employees/{e}/accomplishments/1"), None, &[Agent]),
        op(
            Method::POST,
            "/api/v1/imports/kpi?dry_run=true".into(),
            Some(json!("employee,date,metric,numerator,denominator")),
            &[Leader, OtherLeader, Manager, Hr, Admin],
        ),
        // Shift files run as jobs (issue 29); a job is its owner's (an unknown id is 404).
        op(
            Method::POST,
            "/api/v1/imports/shifts?dry_run=true".into(),
            Some(json!("employee,start,end")),
            &[Leader, OtherLeader, Manager, Hr, Admin],
        ),
        op(Method::GET, "/api/v1/imports/jobs/nope".into(), None, &[Leader, OtherLeader, Manager, Hr, Admin]),
        // Lists as downloads and the headcount (issue 25).
        op(Method::GET, "/api/v1/employees/export?format=csv".into(), None, SIGNED_IN),
        op(Method::GET, format!("/api/v1/employees/export?format=xlsx&team={t1}"), None, SIGNED_IN),
        op(Method::GET, format!("/api/v1/headcount?month={month}&level=tenure"), None, &[Manager, Hr, Admin]),
        op(Method::GET, format!("/api/v1/headcount/export?format=csv&month={month}"), None, &[Manager, Hr, Admin]),
        // Well-being (issue 29): shifts and flags follow the person; the pulse is one's own,
        // and a team's pulse is only ever a mean of 5 or more.
        op(Method::GET, format!("/api/v1/employees/{e}/wellbeing?week=2026-03-02"), None, SEES_AGENT),
        op(Method::GET, format!("/api/v1/teams/{t1}/wellbeing?week=2026-03-02"), None, &[Leader, Manager, Hr, Admin]),
        op(Method::GET, format!("/api/v1/teams/{t1}/pulse?week=2026-03-02"), None, &[Leader, Manager, Hr, Admin]),
        op(Method::GET, "/api/v1/me/pulse".into(), None, SIGNED_IN),
        op(Method::GET, format!("/api/v1/employees/{e}/night-work?week=2026-03-02"), None, SEES_AGENT),
        op(Method::GET, format!("/api/v1/employees/{e}/attendance?week=2026-03-02"), None, SEES_AGENT),
        op(Method::GET, format!("/api/v1/employees/{e}/shifts?from=2026-03-01&to=2026-03-31"), None, SEES_AGENT),
        op(Method::GET, format!("/api/v1/teams/{t1}/attendance?week=2026-03-02"), None, &[Leader, Manager, Hr, Admin]),
        op(Method::PUT, "/api/v1/me/pulse".into(), Some(json!({ "energy": 3, "stress": 2, "sleep": 4 })), SIGNED_IN),
        // The roll-up by site, account and team: leaders and up, each seeing their own units.
        op(
            Method::GET,
            "/api/v1/wellbeing/rollup?week=2026-03-02".into(),
            None,
            &[Leader, OtherLeader, Manager, Hr, Admin],
        ),
        op(
            Method::GET,
            "/api/v1/wellbeing/rollup/export?format=csv&month=2026-03".into(),
            None,
            &[Leader, OtherLeader, Manager, Hr, Admin],
        ),
        // Shifts by hand: only one's own (the path names no one else); a leader changes a
        // schedule in the WFM tool, not in another person's record.
        op(
            Method::POST,
            "/api/v1/me/shifts".into(),
            Some(json!({ "start": "2026-03-02T08:00:00", "end": "2026-03-02T17:00:00", "kind": "day" })),
            SIGNED_IN,
        ),
        op(Method::DELETE, "/api/v1/me/shifts?start=2026-03-02T08:00:00".into(), None, SIGNED_IN),
        // A site's night-differential rule: administrators.
        op(
            Method::PUT,
            format!("/api/v1/sites/{}/night-differential", f.sites[1]),
            Some(json!({ "start": "22:00", "end": "06:00", "percent": 10 })),
            &[Admin],
        ),
        // Internal openings (issue 28): posted by HR, admins and managers of the place; read by
        // everyone signed in. Each application's own rules are in openings.rs.
        op(Method::GET, "/api/v1/openings".into(), None, SIGNED_IN),
        op(Method::POST, "/api/v1/openings".into(), Some(opening_body(f)), &[Manager, Hr, Admin]),
        op(Method::GET, "/api/v1/me/openings".into(), None, SIGNED_IN),
        op(Method::GET, "/api/v1/me/applications".into(), None, SIGNED_IN),
        op(Method::GET, "/api/v1/me/applications-to-endorse".into(), None, SIGNED_IN),
        // Outside job postings (issue 28): everyone signed in searches; HR and admins import.
        op(Method::GET, "/api/v1/jobs/postings?shift=night".into(), None, SIGNED_IN),
        op(Method::GET, "/api/v1/jobs/postings/999999".into(), None, SIGNED_IN),
        op(Method::GET, "/api/v1/jobs/market".into(), None, SIGNED_IN),
        op(
            Method::POST,
            "/api/v1/jobs/postings/import?name=board.json&dry_run=true".into(),
            Some(json!({ "@type": "JobPosting", "title": "Customer Service Representative" })),
            &[Hr, Admin],
        ),
        // The record that goes with a person (issue 30): one's own (404 for a user with no
        // employee record), a person's for HR and admins (not leaders: private entries are in
        // it); closing an account as a leaver (a person outside every leader's and the
        // manager's scope, so the agent stays signed in for the cells after).
        op(Method::GET, "/api/v1/me/record".into(), None, SIGNED_IN),
        op(Method::GET, "/api/v1/me/record?format=zip".into(), None, SIGNED_IN),
        op(Method::GET, format!("/api/v1/employees/{e}/record?format=json-resume"), None, &[Agent, Hr, Admin]),
        op(Method::POST, format!("/api/v1/employees/{}/leave", f.far_agent), Some(json!({})), &[Hr, Admin]),
        // A person's own job hunt (issue 28): each lists and saves their own; the agent's saved
        // search and outside applications are reached by the agent only — not their leader,
        // their manager, HR or an administrator.
        op(Method::GET, "/api/v1/me/job-searches".into(), None, SIGNED_IN),
        op(
            Method::POST,
            "/api/v1/me/job-searches".into(),
            Some(json!({ "name": "Night", "query": "shift=night" })),
            SIGNED_IN,
        ),
        op(Method::GET, format!("/api/v1/me/job-searches/{}/postings", own.search), None, &[Agent]),
        op(Method::DELETE, format!("/api/v1/me/job-searches/{}", own.search), None, &[Agent]),
        op(Method::GET, "/api/v1/me/outside-applications".into(), None, SIGNED_IN),
        op(Method::POST, "/api/v1/me/outside-applications".into(), Some(json!({ "title": "Chat agent" })), SIGNED_IN),
        op(Method::GET, format!("/api/v1/me/outside-applications/{}", own.tracked), None, &[Agent]),
        op(
            Method::PUT,
            format!("/api/v1/me/outside-applications/{}", own.tracked),
            Some(json!({ "stage": "applied" })),
            &[Agent],
        ),
        // A person's own Ladder (issue 30): one's own calendar and reminder e-mails (those with no
        // personal record get 404, not 403); HR and admins link a self sign-up to a record (the
        // manager's account is refused as a body error, so nothing changes).
        op(Method::GET, "/api/v1/me/calendar.ics".into(), None, SIGNED_IN),
        op(Method::PUT, "/api/v1/me/calendar-feed".into(), Some(json!({})), SIGNED_IN),
        op(Method::DELETE, "/api/v1/me/calendar-feed".into(), None, SIGNED_IN),
        op(Method::GET, "/api/v1/me/mail".into(), None, SIGNED_IN),
        op(Method::PUT, "/api/v1/me/mail".into(), Some(json!({ "off": [] })), SIGNED_IN),
        op(Method::GET, "/api/v1/me/personal-plan".into(), None, SIGNED_IN),
        op(
            Method::PUT,
            "/api/v1/me/personal-plan".into(),
            Some(json!({ "from_role": "customer-service-executive", "to_role": "team-leader", "horizon_years": 5 })),
            SIGNED_IN,
        ),
        op(
            Method::PUT,
            format!("/api/v1/users/{}/employee", f.users[&Manager]),
            Some(json!({ "employee_id": f.far_agent })),
            &[Hr, Admin],
        ),
        // A supervisor invited by link exists only in a personal Ladder (tests/it/supervisor.rs):
        // in an organisation's, no one may make, revoke or remove one, not even an administrator.
        op(Method::GET, "/api/v1/me/supervisors".into(), None, &[]),
        op(Method::POST, "/api/v1/me/supervisors/invite".into(), Some(json!({})), &[]),
        op(Method::DELETE, "/api/v1/me/supervisors/invite".into(), None, &[]),
        op(Method::DELETE, format!("/api/v1/me/supervisors/{}", f.users[&Leader]), None, &[]),
        // The learning catalogue and mentoring (issue 26).
        op(Method::GET, "/api/v1/learning/items".into(), None, SIGNED_IN),
        op(Method::POST, "/api/v1/learning/items".into(), Some(learning_entry()), &[Hr, Admin]),
        op(Method::PUT, format!("/api/v1/learning/items/{}", own.learning_item), Some(learning_entry()), &[Hr, Admin]),
        op(
            Method::POST,
            format!("/api/v1/learning/items/{}/retired", own.learning_item),
            Some(json!({ "retired": false })),
            &[Hr, Admin],
        ),
        op(Method::GET, format!("/api/v1/employees/{e}/learning"), None, SEES_AGENT),
        op(
            Method::POST,
            format!("/api/v1/employees/{e}/learning/enrol"),
            Some(json!({ "item": "starter-book-coaching-habit" })),
            &[Agent, Leader, Manager],
        ),
        op(Method::GET, "/api/v1/mentoring".into(), None, SIGNED_IN),
        op(
            Method::POST,
            format!("/api/v1/employees/{e}/mentoring"),
            Some(json!({ "kind": "shadowing", "target_role": "quality-analyst" })),
            &[Agent],
        ),
        // The mentor (the other team's leader) sees and logs; the mentee's leader and HR pair.
        op(Method::GET, format!("/api/v1/mentoring/{}", own.mentoring), None, &[Agent, Leader, OtherLeader, Hr, Admin]),
        op(
            Method::POST,
            format!("/api/v1/mentoring/{}/mentor", own.mentoring),
            Some(json!({ "mentor_id": f.other_leader })),
            &[Leader, Hr, Admin],
        ),
        op(
            Method::POST,
            format!("/api/v1/mentoring/{}/sessions", own.mentoring),
            Some(json!({ "held_on": "2026-01-05", "minutes": 30 })),
            &[Agent, OtherLeader],
        ),
        // The mentee, their leader and HR close (after the rows above: a closed request is 409).
        op(
            Method::POST,
            format!("/api/v1/mentoring/{}/closed", own.mentoring),
            Some(json!({})),
            &[Agent, Leader, Hr, Admin],
        ),
        // Last: resetting HR's access signs HR out, which would spoil HR's later cells.
        op(Method::POST, format!("/api/v1/users/{}/reset", f.users[&Hr]), Some(json!({})), &[Admin]),
    ]
}

fn learning_entry() -> Value {
    json!({ "title": "Coaching clinic", "provider": "L&D", "format": "programme", "skill_id": "coaching" })
}

fn opening_body(f: &Fixture) -> Value {
    json!({
        "role_id": "senior-agent", "site_id": f.sites[0], "account_id": f.accounts[0], "headcount": 1,
        "shift": "day", "hours_per_week": 40, "arrangement": "on-site", "pay_min": 100, "pay_max": 200,
        "currency": "PHP", "description": "d", "closing_date": "2099-01-01"
    })
}

/// POSTs `body` and gives the id of what was made.
async fn made(s: &common::Session, path: &str, body: Value) -> i64 {
    let res = s.post(path, body).await;
    assert_eq!(res.status().as_u16(), 201, "POST {path}");
    res.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn every_operation_for_every_persona() {
    // The matrix sends hundreds of unsigned requests from one address in a burst; the limit on
    // those has its own test (sign_in_limits), so it is raised out of the way here.
    let config = ladder_server::state::Config { anonymous_per_second: 100_000, ..Default::default() };
    common::each_app_with(config, async |app| {
        let backend = app.backend;
        let mut sessions = Vec::new();
        // The agent acts last on each operation: deleting their own item first would turn the
        // others' 403 into 404.
        for persona in Persona::ALL.into_iter().filter(|p| *p != Agent).chain([Agent]) {
            sessions.push((persona, app.sign_in(persona).await));
        }
        let session = |persona: common::Persona| &sessions.iter().find(|(p, _)| *p == persona).unwrap().1;
        let agent = session(Agent);
        let own = AgentsOwn {
            search: made(agent, "/api/v1/me/job-searches", json!({ "name": "Mine", "query": "" })).await,
            tracked: made(agent, "/api/v1/me/outside-applications", json!({ "title": "Mine" })).await,
            learning_item: made(session(Hr), "/api/v1/learning/items", learning_entry()).await,
            mentoring: made(
                agent,
                &format!("/api/v1/employees/{}/mentoring", app.fixture.agent),
                json!({ "kind": "mentor", "target_role": "team-leader" }),
            )
            .await,
        };
        let pairing = json!({ "mentor_id": app.fixture.other_leader });
        let res = session(Leader).post(&format!("/api/v1/mentoring/{}/mentor", own.mentoring), pairing).await;
        assert_eq!(res.status(), 200, "the leader pairs the agent's request");
        let mut failures = Vec::new();
        for operation in operations(&app.fixture, &own) {
            for (persona, session) in &sessions {
                let res = session.request(operation.method.clone(), &operation.path, operation.body.clone()).await;
                let status = res.status().as_u16();
                let expected_allowed = operation.allowed.contains(persona);
                let ok = match (persona, expected_allowed) {
                    (Anonymous, _) => status == 401,
                    (_, true) => status != 401 && status != 403 && status != 405 && status < 500,
                    (_, false) => status == 403,
                };
                if !ok {
                    let body = res.text().await.unwrap_or_default();
                    failures.push(format!(
                        "{:?} {} {} as {persona:?}: got {status}, expected {} — {}",
                        backend,
                        operation.method,
                        operation.path,
                        if *persona == Anonymous {
                            "401"
                        } else if expected_allowed {
                            "allowed"
                        } else {
                            "403"
                        },
                        body.chars().take(160).collect::<String>()
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "{} matrix cells wrong:\n{}", failures.len(), failures.join("\n"));
    })
    .await;
}

#[tokio::test]
async fn errors_are_json_with_a_stable_code_and_the_field() {
    each_app(async |app| {
        let admin = app.sign_in(Admin).await;
        let res = admin.get("/api/v1/employees/999999").await;
        assert_eq!(res.status(), 404);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "not-found");
        assert!(body["error"]["message"].as_str().unwrap().contains("employee"));

        let res =
            admin.post("/api/v1/users", json!({ "email": "x@example.com", "name": "X", "access": "wizard" })).await;
        assert_eq!(res.status(), 422);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid");
        assert_eq!(body["error"]["field"], "access");

        // A body that does not parse names the missing field too.
        let res = admin.post("/api/v1/users", json!({ "name": "X", "access": "agent" })).await;
        assert_eq!(res.status(), 422);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["field"], "email", "{body}");
    })
    .await;
}

/// Only in a personal Ladder does someone review their own check-ins: in an organisation, an
/// Admin who is also on the staff (linked to an employee record) may not acknowledge their own.
#[tokio::test]
async fn an_admin_on_the_staff_may_not_acknowledge_their_own_checkin() {
    use ladder_core::access::Access;
    use ladder_store::org::NewEmployee;
    use ladder_store::records::NewCheckin;
    use ladder_store::users::NewUser;
    each_app(async |app| {
        let (db, f) = (&app.db, &app.fixture);
        let day = common::day(2024, 1, 1);
        let staff = NewEmployee {
            code: "AD1".into(),
            name: "Ada Admin".into(),
            email: None,
            team_id: Some(f.teams[0]),
            role_id: "team-leader".into(),
            role_since: day,
            hire_date: day,
            manager_id: None,
        };
        let ada = ladder_store::org::create_employee(db, f.organisation, &staff).await.unwrap();
        let hash = ladder_server::auth::hash_password(common::PASSWORD).unwrap();
        let user = NewUser {
            organisation_id: f.organisation,
            email: "ada@example.com",
            name: "Ada Admin",
            access: Access::Admin,
            employee_id: Some(ada),
            password_hash: Some(&hash),
        };
        ladder_store::users::create_user(db, &user).await.unwrap();
        let checkin = NewCheckin {
            month: common::day(2026, 3, 1),
            highlights: "Ran the floor".into(),
            accomplishment_ids: Vec::new(),
            blockers: String::new(),
            asks: String::new(),
        };
        let own = ladder_store::records::submit_checkin(db, ada, &checkin).await.unwrap();

        let client = app.client();
        let res = client
            .post(format!("{}/api/v1/session", app.base))
            .json(&json!({ "email": "ada@example.com", "password": common::PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let csrf = res.json::<Value>().await.unwrap()["csrf_token"].as_str().map(str::to_string);
        let session = common::Session { client, csrf, base: app.base.clone() };
        let ack = |e: ladder_core::EmployeeId, id: i64| format!("/api/v1/employees/{e}/checkins/{id}/acknowledge");
        let body = || Some(json!({ "comment": "Fine" }));
        let res = session.request(Method::POST, &ack(ada, own.id), body()).await;
        assert_eq!(res.status(), 403, "her own check-in: {}", res.text().await.unwrap());
        // Her team's leader may (the check-in itself is open to review).
        let leader = app.sign_in(Leader).await;
        let res = leader.request(Method::POST, &ack(ada, own.id), body()).await;
        assert_eq!(res.status(), 200, "her leader: {}", res.text().await.unwrap());
    })
    .await;
}
