//! Stored employee-month scores against the scorecards computed on read, on SQLite and
//! PostgreSQL: every month of a demo, a hand entry, an import, a framework change, and a worker
//! stopped in the middle.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use ladder_core::access::{Access, Actor};
use ladder_core::period::Month;
use ladder_core::{EmployeeId, Framework, UserId};
use ladder_server::auth::Me;
use ladder_server::service::{scorecards, stored_scores};
use ladder_server::state::{AppState, Config};
use ladder_store::demo::{self, DemoSpec};
use ladder_store::org::Scope;
use ladder_store::scores::{self, ScoreScope, StoredScore};
use ladder_store::users::User;
use ladder_store::Db;
use ladder_testkit::each_backend;
use serde_json::json;

use crate::common::{each_app, Persona};

const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$ZGVtbw$ZGVtbw";

fn spec() -> DemoSpec {
    let through = Month::new(2026, 10).unwrap();
    DemoSpec { seed: 11, sites: 2, accounts: 4, teams: 8, employees: 150, months: 6, through }
}

fn admin() -> Me {
    let user = User {
        id: UserId(0),
        email: "test".into(),
        name: "test".into(),
        access: Access::Admin.as_str().into(),
        employee_id: None,
        password_hash: None,
        disabled: false,
        session_epoch: 0,
        created_at: Utc::now(),
    };
    let actor = Actor {
        user_id: UserId(0),
        access: Access::Admin,
        employee_id: None,
        led_teams: vec![],
        sites: vec![],
        accounts: vec![],
    };
    Me { user, actor, via_token: false }
}

async fn demo_state(db: &Db, framework: Framework) -> AppState {
    demo::generate(db, &framework, &spec(), HASH, &mut |_| {}).await.expect("the demo generates");
    AppState::new(db.clone(), framework, Config::default())
}

/// Every stored score of the spec's months, by (employee, month).
async fn stored(db: &Db) -> HashMap<(EmployeeId, NaiveDate), StoredScore> {
    let spec = spec();
    let mut out = HashMap::new();
    let mut m = spec.through;
    for _ in 0..spec.months {
        for s in scores::of_month(db, m.first_day(), ScoreScope::All).await.unwrap() {
            out.insert((s.employee_id, s.month), s);
        }
        m = m.prev();
    }
    out
}

/// Compares every active person's trend (computed on read) with the stored scores: total, rating
/// and state; a month without a stored row has no figures. Returns the scored months compared.
async fn assert_stored_equal_computed(state: &AppState) -> usize {
    let spec = spec();
    let kept = stored(&state.db).await;
    let people = ladder_store::org::employees(&state.db, &Scope::All, None, 100_000, 0).await.unwrap();
    let mut scored = 0;
    for e in &people {
        let trend = scorecards::trend(state, &admin(), e, spec.through, spec.months).await.unwrap();
        for point in trend {
            let at = (e.id, point.month.first_day());
            match kept.get(&at) {
                Some(s) => {
                    assert_eq!(s.version, *state.score_version, "{at:?}");
                    assert_eq!(s.total, point.total, "{at:?}: total");
                    assert_eq!(s.rating, point.rating.map(i32::from), "{at:?}: rating");
                    assert_eq!(s.rating_label, point.rating_label, "{at:?}: rating label");
                    let state_name = if s.state == "no-plan" { "no-data" } else { s.state.as_str() };
                    assert_eq!(state_name, point.data.state, "{at:?}: state");
                    scored += usize::from(s.total.is_some());
                }
                None => assert_eq!(point.data.state, "no-data", "{at:?}: computed but not stored"),
            }
        }
    }
    scored
}

#[tokio::test]
async fn stored_scores_equal_the_computed_ones_for_every_month_of_a_demo() {
    each_backend(async |t| {
        let state = demo_state(&t.db, Framework::default_framework()).await;
        let queued = scores::queue_len(&t.db, 1_000_000).await.unwrap();
        assert!(queued > 500, "{:?}: the demo queues its months ({queued})", t.backend);
        let settled = stored_scores::drain(&state, |_| {}).await.unwrap();
        assert_eq!(settled as i64, queued);
        assert_eq!(scores::queue_len(&t.db, 10).await.unwrap(), 0);
        let scored = assert_stored_equal_computed(&state).await;
        assert!(scored > 300, "{:?}: {scored} scored months compared", t.backend);

        // monthly_totals reads them and agrees with the computation on read.
        let people = ladder_store::org::employees(&t.db, &Scope::All, None, 100_000, 0).await.unwrap();
        let (first, through) = (spec().through.prev().prev(), spec().through);
        let read = scorecards::monthly_totals(&state, &people, first, through).await.unwrap();
        let computed = scorecards::computed_monthly_totals(&state, &people, first, through).await.unwrap();
        assert_eq!(read, computed);
    })
    .await;
}

#[tokio::test]
async fn a_framework_change_is_reflected_once_recomputed() {
    each_backend(async |t| {
        let state = demo_state(&t.db, Framework::default_framework()).await;
        stored_scores::drain(&state, |_| {}).await.unwrap();
        let before = stored(&t.db).await;

        let mut changed = Framework::default_framework();
        changed.scoring.threshold_credit += 20.0;
        let state = AppState::new(t.db.clone(), changed, Config::default());
        assert_ne!(*state.score_version, *before.values().next().unwrap().version);
        // Until recomputed, monthly totals do not serve the old version's figures.
        let people = ladder_store::org::employees(&t.db, &Scope::All, None, 100_000, 0).await.unwrap();
        let through = spec().through;
        let read = scorecards::monthly_totals(&state, &people, through, through).await.unwrap();
        assert_eq!(read, scorecards::computed_monthly_totals(&state, &people, through, through).await.unwrap());

        let queued = scores::enqueue_stale(&t.db, &state.score_version).await.unwrap();
        assert_eq!(queued as usize, before.len(), "every stored score is of the old version");
        let mut seen = Vec::new();
        stored_scores::drain(&state, |n| seen.push(n)).await.unwrap();
        assert_eq!(seen.last().copied(), Some(before.len() as u64), "progress counts to the end");
        assert_stored_equal_computed(&state).await;
        let after = stored(&t.db).await;
        let moved = before.iter().filter(|(k, s)| after[*k].total != s.total).count();
        assert!(moved > 0, "{:?}: a higher threshold credit moves some totals", t.backend);
    })
    .await;
}

#[tokio::test]
async fn a_worker_stopped_in_the_middle_loses_nothing() {
    each_backend(async |t| {
        let state = demo_state(&t.db, Framework::default_framework()).await;
        let queued = scores::queue_len(&t.db, 1_000_000).await.unwrap();

        // Scored, then stopped before storing: nothing is lost, nothing settled.
        let taken = scores::queued(&t.db, 100).await.unwrap();
        drop(stored_scores::compute(&state, &taken).await.unwrap());
        assert_eq!(scores::queue_len(&t.db, 1_000_000).await.unwrap(), queued);

        // A change after the keys were taken keeps its key queued when they are stored.
        let taken = scores::queued(&t.db, 100).await.unwrap();
        let done = stored_scores::compute(&state, &taken).await.unwrap();
        let mut tx = t.db.begin().await.unwrap();
        scores::enqueue_keys(&mut tx, &[(taken[0].employee_id.0, taken[0].month)]).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(scores::settle(&t.db, &done).await.unwrap(), taken.len() - 1);
        let left = scores::queued(&t.db, 1).await.unwrap();
        assert_eq!((left[0].employee_id, left[0].month), (taken[0].employee_id, taken[0].month));
        assert_ne!(left[0].stamp, taken[0].stamp, "the change moved the stamp on");

        // A key settled by one worker and queued again by a new change is a new key: another
        // worker's older take of it settles nothing (its stamp is never reused).
        let key = left[0];
        let done = stored_scores::compute(&state, &[key]).await.unwrap();
        assert_eq!(scores::settle(&t.db, &done).await.unwrap(), 1);
        let mut tx = t.db.begin().await.unwrap();
        scores::enqueue_keys(&mut tx, &[(key.employee_id.0, key.month)]).await.unwrap();
        tx.commit().await.unwrap();
        let take = scores::queued(&t.db, 1).await.unwrap();
        let older = stored_scores::compute(&state, &take).await.unwrap();
        assert_eq!(scores::settle(&t.db, &stored_scores::compute(&state, &take).await.unwrap()).await.unwrap(), 1);
        let mut tx = t.db.begin().await.unwrap();
        scores::enqueue_keys(&mut tx, &[(key.employee_id.0, key.month)]).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            scores::settle(&t.db, &older).await.unwrap(),
            0,
            "{:?}: the older take leaves the new key",
            t.backend
        );
        let again = scores::queued(&t.db, 1).await.unwrap();
        assert_eq!((again[0].employee_id, again[0].month), (key.employee_id, key.month));

        // A worker task aborted after its first batch: the rest stays queued.
        let (sender, mut progress) = tokio::sync::mpsc::unbounded_channel();
        let worker_state = state.clone();
        let worker = tokio::spawn(async move {
            loop {
                let (taken, _) = stored_scores::drain_batch(&worker_state, 50).await.unwrap();
                let _ = sender.send(taken);
                if taken == 0 {
                    break;
                }
            }
        });
        progress.recv().await.unwrap();
        worker.abort();
        let _ = worker.await;
        let left = scores::queue_len(&t.db, 1_000_000).await.unwrap();
        assert!(left > 0 && left < queued, "{:?}: {left} of {queued} left", t.backend);

        stored_scores::drain(&state, |_| {}).await.unwrap();
        assert_eq!(scores::queue_len(&t.db, 10).await.unwrap(), 0);
        assert_stored_equal_computed(&state).await;
    })
    .await;
}

/// The stored total of one employee-month, if any.
async fn stored_total(db: &Db, employee: EmployeeId, month: &str) -> Option<StoredScore> {
    let day = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").unwrap();
    scores::of_month(db, day, ScoreScope::All).await.unwrap().into_iter().find(|s| s.employee_id == employee)
}

#[tokio::test]
async fn a_changed_kra_figure_changes_the_stored_score_in_the_same_request() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let leader = app.sign_in(Persona::Leader).await;
        let plan = json!({ "name": "2026 voice", "kras": [ { "metric": "fcr", "weight": 60 }, { "metric": "csat", "weight": 40 } ] });
        assert_eq!(leader.put(&format!("/api/v1/employees/{e}/kra-plans/2026"), plan).await.status(), 200);
        let url = format!("/api/v1/employees/{e}/actuals/2026-03");
        for fcr in [70, 40] {
            let figures = json!([
                { "metric": "fcr", "numerator": fcr, "denominator": 100 },
                { "metric": "csat", "numerator": 45, "denominator": 50 }
            ]);
            assert_eq!(leader.put(&url, figures).await.status(), 204);
            // Read at once: the answer came after the score was stored.
            let kept = stored_total(&app.db, e, "2026-03").await.expect("stored with the figures");
            let card = leader.get_json(&format!("/api/v1/employees/{e}/scorecard?month=2026-03"), 200).await;
            assert_same_total(kept.total, card["scorecard"]["total"].as_f64(), "FCR {fcr}");
            assert_eq!(kept.state, card["month_state"]["state"].as_str().unwrap());
            let fcr_kra = kept.kras.iter().find(|k| k.metric == "fcr").unwrap();
            assert_eq!(fcr_kra.value, Some(f64::from(fcr)));
        }
        // A new plan for the year queues its months in its transaction: once drained, the stored
        // score is the new plan's.
        let before = stored_total(&app.db, e, "2026-03").await.unwrap().total;
        let plan = json!({ "name": "2026 voice", "kras": [ { "metric": "fcr", "weight": 40 }, { "metric": "csat", "weight": 60 } ] });
        assert_eq!(leader.put(&format!("/api/v1/employees/{e}/kra-plans/2026"), plan).await.status(), 200);
        let state = AppState::new(app.db.clone(), Framework::default_framework(), Config::default());
        stored_scores::drain(&state, |_| {}).await.unwrap();
        let kept = stored_total(&app.db, e, "2026-03").await.unwrap();
        let card = leader.get_json(&format!("/api/v1/employees/{e}/scorecard?month=2026-03"), 200).await;
        assert_same_total(kept.total, card["scorecard"]["total"].as_f64(), "the new plan");
        assert_ne!(kept.total, before, "the weights moved");
    })
    .await;
}

#[tokio::test]
async fn an_import_queues_the_months_it_writes_in_its_transaction() {
    each_app(async |app| {
        let leader = app.sign_in(Persona::Leader).await;
        let state = AppState::new(app.db.clone(), Framework::default_framework(), Config::default());
        let file = "employee,date,metric,numerator,denominator\nE1,2026-03-02,fcr,7,10\nE1,2026-04-03,fcr,3,10\n";
        let (status, report) = leader.upload("/api/v1/imports/kpi", file).await;
        assert_eq!(status, 200, "{report}");
        // The server's worker may have stored them already; either way they are stored now.
        stored_scores::drain(&state, |_| {}).await.unwrap();
        for month in ["2026-03", "2026-04"] {
            let kept = stored_total(&app.db, app.fixture.agent, month).await.expect("the import queued it");
            let card =
                leader.get_json(&format!("/api/v1/employees/{}/scorecard?month={month}", app.fixture.agent), 200).await;
            assert_eq!(kept.state, card["month_state"]["state"].as_str().unwrap(), "{month}");
            assert_same_total(kept.total, card["scorecard"]["total"].as_f64(), "{month}");
        }
        // Another import changes March: its stored score follows.
        let file = "employee,date,metric,numerator,denominator\nE1,2026-03-02,fcr,1,10\n";
        let (status, report) = leader.upload("/api/v1/imports/kpi", file).await;
        assert_eq!(status, 200, "{report}");
        stored_scores::drain(&state, |_| {}).await.unwrap();
        let kept = stored_total(&app.db, app.fixture.agent, "2026-03").await.unwrap();
        let fcr = kept.kras.iter().find(|k| k.metric == "fcr").unwrap();
        assert_eq!(fcr.value, Some(10.0), "the day replaced: 1 of 10");
    })
    .await;
}

#[tokio::test]
async fn a_role_change_queues_the_months_its_template_scores() {
    each_app(async |app| {
        let (e, leader) = (app.fixture.agent, app.sign_in(Persona::Leader).await);
        let figures = json!([
            { "metric": "fcr", "numerator": 70, "denominator": 100 },
            { "metric": "csat", "numerator": 45, "denominator": 50 },
            { "metric": "qa-score", "numerator": 85, "denominator": 100 },
            { "metric": "aht", "numerator": 59000, "denominator": 100 }
        ]);
        assert_eq!(leader.put(&format!("/api/v1/employees/{e}/actuals/2026-03"), figures).await.status(), 204);
        let before = stored_total(&app.db, e, "2026-03").await.unwrap();
        ladder_store::org::change_role(&app.db, e, "team-leader", Some(app.fixture.teams[0]), common_day())
            .await
            .unwrap();
        let state = AppState::new(app.db.clone(), Framework::default_framework(), Config::default());
        stored_scores::drain(&state, |_| {}).await.unwrap();
        let after = stored_total(&app.db, e, "2026-03").await.unwrap();
        let card = leader.get_json(&format!("/api/v1/employees/{e}/scorecard?month=2026-03"), 200).await;
        assert_same_total(after.total, card["scorecard"]["total"].as_f64(), "the new role");
        assert_eq!(after.state, card["month_state"]["state"].as_str().unwrap());
        assert_ne!((after.total, &after.kras), (before.total, &before.kras), "scored under the new role's template");
    })
    .await;
}

fn common_day() -> NaiveDate {
    crate::common::day(2026, 6, 1)
}

/// A total read from the API's JSON against a stored one: JSON's decimal text can round the
/// last bit of a float (serde_json parses fast, not always to the nearest), so within 1e-9.
#[track_caller]
fn assert_same_total(stored: Option<f64>, from_api: Option<f64>, because: impl std::fmt::Display) {
    match (stored, from_api) {
        (Some(a), Some(b)) => assert!((a - b).abs() < 1e-9, "{because}: {a} against {b}"),
        (a, b) => assert_eq!(a, b, "{because}"),
    }
}

/// Makes storing any score of `employee` fail, as a row the database refuses would.
async fn poison(db: &Db, employee: EmployeeId) {
    let id = employee.0;
    let statements = match db.backend() {
        ladder_store::Backend::Sqlite => vec![format!(
            "CREATE TRIGGER poison BEFORE INSERT ON employee_scores WHEN NEW.employee_id = {id}
             BEGIN SELECT RAISE(ABORT, 'poisoned'); END"
        )],
        ladder_store::Backend::Postgres => vec![
            format!(
                "CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
                 IF NEW.employee_id = {id} THEN RAISE EXCEPTION 'poisoned'; END IF; RETURN NEW; END $$"
            ),
            "CREATE TRIGGER poison BEFORE INSERT ON employee_scores FOR EACH ROW EXECUTE FUNCTION poison()".into(),
        ],
    };
    for sql in statements {
        ladder_store::on_db!(db, p => sqlx::query(&sql).execute(p).await.map(drop).unwrap());
    }
}

#[tokio::test]
async fn a_score_that_cannot_be_stored_does_not_hold_up_the_others() {
    each_backend(async |t| {
        let state = demo_state(&t.db, Framework::default_framework()).await;
        let first = scores::queued(&t.db, 1).await.unwrap()[0];
        poison(&t.db, first.employee_id).await;
        let of_first = |keys: &[scores::Queued]| keys.iter().filter(|k| k.employee_id == first.employee_id).count();
        let queued_first = of_first(&scores::queued(&t.db, 1_000_000).await.unwrap());

        // The worker's walk: past the poisoned keys to the end of the queue, then from the start.
        let mut after = (EmployeeId(0), NaiveDate::from_ymd_opt(1970, 1, 1).unwrap());
        while let Some(last) = stored_scores::work_after(&state, after).await.unwrap() {
            after = last;
        }
        let left = scores::queued(&t.db, 1_000_000).await.unwrap();
        assert_eq!(left.len(), queued_first, "{:?}: only the poisoned person's months stay queued", t.backend);
        assert_eq!(of_first(&left), queued_first);
    })
    .await;
}

#[tokio::test]
async fn a_hand_entry_is_saved_even_when_its_score_cannot_be_stored_yet() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let leader = app.sign_in(Persona::Leader).await;
        let plan = json!({ "name": "2026 voice", "kras": [ { "metric": "fcr", "weight": 60 }, { "metric": "csat", "weight": 40 } ] });
        assert_eq!(leader.put(&format!("/api/v1/employees/{e}/kra-plans/2026"), plan).await.status(), 200);
        poison(&app.db, e).await;
        let figures = json!([
            { "metric": "fcr", "numerator": 70, "denominator": 100 },
            { "metric": "csat", "numerator": 45, "denominator": 50 }
        ]);
        let url = format!("/api/v1/employees/{e}/actuals/2026-03");
        assert_eq!(leader.put(&url, figures).await.status(), 204, "the figures are saved");
        assert!(stored_total(&app.db, e, "2026-03").await.is_none());
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let left = scores::queued_of(&app.db, &[e], day, day).await.unwrap();
        assert_eq!(left.len(), 1, "the month stays queued for the worker");
        // Read on the way, the scorecard is the figures' own.
        let card = leader.get_json(&format!("/api/v1/employees/{e}/scorecard?month=2026-03"), 200).await;
        assert!(card["scorecard"]["total"].as_f64().is_some(), "{card}");
    })
    .await;
}
