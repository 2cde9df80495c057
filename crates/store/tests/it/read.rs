//! The hot reads on SQLite run through the C library directly (`ladder_store::read`); they must
//! return exactly what sqlx returns, see every commit at once, and stay away from in-memory
//! databases they cannot open.

use chrono::{NaiveDate, Utc};
use ladder_core::access::Access;
use ladder_core::period::Month;
use ladder_core::{EmployeeId, Framework, TeamId};
use ladder_store::demo::{self, DemoSpec};
use ladder_store::kra::{self, ManualFigure};
use ladder_store::{on_db, org, users, Db};
use ladder_testkit::{Backend, TestDb};

const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$ZGVtbw$ZGVtbw";

fn first_day(m: Month) -> NaiveDate {
    m.first_day()
}

#[tokio::test]
async fn direct_reads_return_what_sqlx_returns() {
    let fresh = TestDb::new(Backend::Sqlite).await;
    let direct = &fresh.db;
    assert!(direct.readers().is_some(), "a SQLite file gets direct readers");
    let through = Month::new(2026, 10).unwrap();
    let spec = DemoSpec { seed: 11, sites: 1, accounts: 1, teams: 2, employees: 40, months: 3, through };
    demo::generate(direct, &Framework::default_framework(), &spec, HASH, &mut |_| {}).await.unwrap();
    let via_sqlx = direct.without_direct_reads();
    assert!(via_sqlx.readers().is_none());

    // A token, touched so that `last_used_at` is set, and a manager's scopes.
    let some_user = users::users(direct).await.unwrap().into_iter().next().expect("the demo has users");
    users::create_api_token(direct, some_user.id, "bench", "hash-1").await.unwrap();
    users::user_for_token(direct, "hash-1").await.unwrap();

    let teams: Vec<TeamId> = on_db!(direct, p => sqlx::query_scalar("SELECT id FROM teams ORDER BY id")
        .fetch_all(p).await.unwrap());
    let all = org::employees(direct, &org::Scope::All, None, 1000, 0).await.unwrap();
    assert!(all.len() >= 30);
    assert_eq!(all, org::employees(&via_sqlx, &org::Scope::All, None, 1000, 0).await.unwrap());
    let scope = org::Scope::Teams(teams.clone());
    assert_eq!(
        org::employees(direct, &scope, Some(teams[0]), 100, 1).await.unwrap(),
        org::employees(&via_sqlx, &scope, Some(teams[0]), 100, 1).await.unwrap()
    );
    for team in &teams {
        assert_eq!(org::team(direct, *team).await.unwrap(), org::team(&via_sqlx, *team).await.unwrap());
        let month = first_day(through);
        let members: Vec<EmployeeId> = all.iter().filter(|e| e.team_id == Some(*team)).map(|e| e.id).collect();
        let by_name: Vec<org::Member> = org::employees(direct, &org::Scope::Teams(vec![*team]), None, 1000, 0)
            .await
            .unwrap()
            .into_iter()
            .map(|e| org::Member { id: e.id, name: e.name, role_id: e.role_id })
            .collect();
        assert_eq!(org::team_members(direct, *team).await.unwrap(), by_name);
        assert_eq!(org::team_members(&via_sqlx, *team).await.unwrap(), by_name);
        let actuals = kra::actuals_of(direct, &members, month, month).await.unwrap();
        assert!(!actuals.is_empty(), "the demo team has figures for its last month");
        assert_eq!(actuals, kra::actuals_of(&via_sqlx, &members, month, month).await.unwrap());
        let figures = kra::figures_of(direct, &members, month).await.unwrap();
        assert_eq!(figures.len(), actuals.len());
        assert!(figures.iter().zip(&actuals).all(|(f, a)| (f.employee_id, &f.metric, f.numerator, f.denominator)
            == (a.employee_id, &a.metric, a.numerator, a.denominator)));
        assert_eq!(figures, kra::figures_of(&via_sqlx, &members, month).await.unwrap());
    }
    let (jan, from) = (first_day(Month::new(2026, 1).unwrap()), first_day(through.prev().prev()));
    let ids: Vec<EmployeeId> = all.iter().map(|e| e.id).collect();
    let heads = kra::plan_heads_for_employees(direct, &ids, 2026).await.unwrap();
    assert!(heads.len() >= ids.len() / 2, "the demo stores plans for 2026");
    assert_eq!(heads, kra::plan_heads_for_employees(&via_sqlx, &ids, 2026).await.unwrap());
    let plan_ids: Vec<i64> = heads.iter().map(|h| h.id).collect();
    let lines = kra::plan_lines(direct, &plan_ids).await.unwrap();
    assert_eq!(lines, kra::plan_lines(&via_sqlx, &plan_ids).await.unwrap());
    let codes = org::codes(direct, &ids).await.unwrap();
    assert_eq!(codes.len(), ids.len());
    assert_eq!(codes, org::codes(&via_sqlx, &ids).await.unwrap());
    assert_eq!(codes[&all[0].id], all[0].code);
    assert_eq!(
        kra::actuals_of(direct, &ids, from, first_day(through)).await.unwrap(),
        kra::actuals_of(&via_sqlx, &ids, from, first_day(through)).await.unwrap()
    );
    for e in &all {
        assert_eq!(org::employee(direct, e.id).await.unwrap(), org::employee(&via_sqlx, e.id).await.unwrap());
        let plans = kra::plans_for_year(direct, e.id, 2026).await.unwrap();
        assert_eq!(plans, kra::plans_for_year(&via_sqlx, e.id, 2026).await.unwrap());
        // The heads and their lines, read apart, are the same plans.
        let heads_of_year = kra::plan_heads_for_year(direct, e.id, 2026).await.unwrap();
        assert_eq!(heads_of_year, kra::plan_heads_for_year(&via_sqlx, e.id, 2026).await.unwrap());
        assert_eq!(heads_of_year, heads.iter().filter(|h| h.employee_id == e.id).cloned().collect::<Vec<_>>());
        assert_eq!(heads_of_year.len(), plans.len());
        for (head, plan) in heads_of_year.iter().zip(&plans) {
            assert_eq!(
                (head.id, head.effective_from, &head.role_id, head.variable_pay_minor, head.updated_at),
                (plan.id, plan.effective_from, &plan.role_id, plan.variable_pay_minor, plan.updated_at)
            );
            let of_plan: Vec<_> = lines.iter().filter(|l| l.plan_id == plan.id).collect();
            assert!(of_plan.iter().all(|l| l.updated_at == plan.updated_at && l.role_id == plan.role_id));
            assert_eq!(of_plan.iter().map(|l| l.line.clone()).collect::<Vec<_>>(), plan.lines);
        }
        assert_eq!(
            kra::actuals(direct, e.id, jan, first_day(through)).await.unwrap(),
            kra::actuals(&via_sqlx, e.id, jan, first_day(through)).await.unwrap()
        );
        assert_eq!(org::led_teams(direct, e.id).await.unwrap(), org::led_teams(&via_sqlx, e.id).await.unwrap());
    }
    for u in users::users(direct).await.unwrap() {
        assert_eq!(users::user(direct, u.id).await.unwrap(), users::user(&via_sqlx, u.id).await.unwrap());
        assert_eq!(users::actor(direct, &u).await.unwrap(), users::actor(&via_sqlx, &u).await.unwrap());
    }
    // A personal Ladder's supervisor leads a team without an employee record (migration 0029).
    let team = all.iter().find_map(|e| e.team_id).expect("a team");
    let lead = "INSERT INTO team_supervisors (user_id, team_id, created_at) VALUES ($1, $2, $3)";
    let someone = users::users(direct).await.unwrap().remove(0).id;
    on_db!(&via_sqlx, p => sqlx::query(lead).bind(someone).bind(team).bind(Utc::now()).execute(p).await.unwrap().rows_affected());
    let supervised = ladder_store::supervisors::supervised_teams(direct, someone).await.unwrap();
    assert_eq!(supervised, vec![team]);
    assert_eq!(supervised, ladder_store::supervisors::supervised_teams(&via_sqlx, someone).await.unwrap());
    assert_eq!(
        users::user_for_token(direct, "hash-1").await.unwrap(),
        users::user_for_token(&via_sqlx, "hash-1").await.unwrap()
    );
    assert_eq!(users::user_for_token(direct, "no-such-token").await.unwrap(), None);
    assert!(matches!(org::employee(direct, EmployeeId(-5)).await, Err(ladder_store::StoreError::NotFound)));
    fresh.clean_up().await;
}

#[tokio::test]
async fn direct_reads_see_each_commit_at_once() {
    let fresh = TestDb::new(Backend::Sqlite).await;
    let db = &fresh.db;
    let org_id = org::create_organisation(db, "Solo").await.unwrap();
    let site = org::create_site(db, org_id, "Cebu", "PH", "Asia/Manila").await.unwrap();
    let account = org::create_account(db, site, "Telco", "Telco Inc", "Voice").await.unwrap();
    let team = org::create_team(db, account, "Team A").await.unwrap();
    let day = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
    let new = org::NewEmployee {
        code: "E1".into(),
        name: "Ana".into(),
        email: None,
        team_id: Some(team),
        role_id: "csr".into(),
        role_since: day,
        hire_date: day,
        manager_id: None,
    };
    let id = org::create_employee(db, org_id, &new).await.unwrap();
    // Read before and after each write, so a reader's cached statement or snapshot would show.
    assert_eq!(org::employee(db, id).await.unwrap().role_id, "csr");
    org::change_role(db, id, "senior-csr", Some(team), NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).await.unwrap();
    assert_eq!(org::employee(db, id).await.unwrap().role_id, "senior-csr");

    let month = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
    assert!(kra::actuals(db, id, month, month).await.unwrap().is_empty());
    let figure = ManualFigure { metric: "csat".into(), numerator: 45.0, denominator: 50.0 };
    kra::put_manual(db, id, month, std::slice::from_ref(&figure), None).await.unwrap();
    let read = kra::actuals(db, id, month, month).await.unwrap();
    assert_eq!((read.len(), read[0].numerator, read[0].denominator), (1, 45.0, 50.0));
    let changed = ManualFigure { numerator: 48.0, ..figure };
    kra::put_manual(db, id, month, &[changed], None).await.unwrap();
    let read = kra::actuals(db, id, month, month).await.unwrap();
    assert_eq!((read.len(), read[0].numerator, read[0].denominator), (1, 48.0, 50.0));

    // A saved plan's head and lines carry the same version (`updated_at`, to the nanosecond the
    // store wrote), on both paths, and a second save moves it: the server keeps plans by it.
    let via_sqlx = db.without_direct_reads();
    let mut versions = Vec::new();
    for weight in [60.0, 70.0] {
        let lines = [
            kra::PlanLine { metric: "fcr".into(), weight, threshold: 60.0, target: 70.0, stretch: 80.0 },
            kra::PlanLine {
                metric: "csat".into(),
                weight: 100.0 - weight,
                threshold: 70.0,
                target: 80.0,
                stretch: 85.0,
            },
        ];
        let input = kra::PlanInput {
            employee_id: id,
            year: 2026,
            effective_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            name: "2026",
            role_id: "csr",
            variable_pay_minor: None,
            currency: "PHP",
            lines: &lines,
        };
        let saved = kra::save_plan(db, &input, None).await.unwrap();
        let heads = kra::plan_heads_for_year(db, id, 2026).await.unwrap();
        assert_eq!(heads, kra::plan_heads_for_year(&via_sqlx, id, 2026).await.unwrap());
        assert_eq!((heads.len(), heads[0].id, heads[0].updated_at), (1, saved.id, saved.updated_at));
        let read = kra::plan_lines(db, &[saved.id]).await.unwrap();
        assert_eq!(read, kra::plan_lines(&via_sqlx, &[saved.id]).await.unwrap());
        assert!(read.iter().all(|l| l.updated_at == heads[0].updated_at), "{read:?}");
        assert_eq!(read.iter().map(|l| l.line.clone()).collect::<Vec<_>>(), lines);
        versions.push((saved.id, saved.updated_at));
    }
    assert_eq!(versions[0].0, versions[1].0, "the plan is saved over, keeping its id");
    assert!(versions[1].1 > versions[0].1, "saving moves the version: {versions:?}");

    let user = users::create_user(
        db,
        &users::NewUser {
            organisation_id: org_id,
            email: "ana@example.com",
            name: "Ana",
            access: Access::Agent,
            employee_id: Some(id),
            password_hash: None,
        },
    )
    .await
    .unwrap();
    assert!(!users::user(db, user).await.unwrap().disabled);
    users::set_disabled(db, user, true).await.unwrap();
    assert!(users::user(db, user).await.unwrap().disabled, "a disabled account is seen as disabled at once");
    let before = Utc::now();
    users::create_api_token(db, user, "t", "hash-2").await.unwrap();
    assert!(users::user_for_token(db, "hash-2").await.unwrap().is_some());
    assert!(users::api_tokens(db, user).await.unwrap()[0]
        .last_used_at
        .is_some_and(|t| t >= before - chrono::Duration::seconds(1)));
    fresh.clean_up().await;
}

#[tokio::test]
async fn parameters_bind_by_number_whatever_their_order_in_the_text() {
    let fresh = TestDb::new(Backend::Sqlite).await;
    let readers = fresh.db.readers().expect("direct readers on a file");
    let rows = readers.all("SELECT $2 || $1 || $2", &[&"a", &"b"], |r| r.get::<_, String>(0)).unwrap();
    assert_eq!(rows, vec!["bab".to_string()]);
    let error = readers.all("SELECT * FROM no_such_table", &[], |r| r.get::<_, i64>(0)).unwrap_err();
    assert!(error.to_string().contains("no_such_table"), "{error}");
    fresh.clean_up().await;
}

#[tokio::test]
async fn an_in_memory_database_reads_through_sqlx() {
    let db = Db::connect_and_migrate("sqlite::memory:").await.unwrap();
    assert!(db.readers().is_none(), "no other connection can open an in-memory database");
    assert!(org::organisation(&db).await.unwrap().is_none());
    db.close().await;
}
