//! Version 5 rebuilds `kra_actuals` and `kra_plan_lines` on SQLite (stored in key order): every row survives, and
//! the planner's statistics, which a rebuilt table loses, are gathered again. Version 6 names
//! each row of packed days by its import instead of its file's path; version 7 packs a month's
//! rows of an employee into one.

use ladder_store::demo;
use ladder_store::on_db;
use ladder_testkit::{each_backend, Backend, TestDb};

use crate::support::{log_imports, small_demo};

#[tokio::test]
async fn rebuilding_tables_in_key_order_keeps_every_row_and_the_statistics() {
    let fresh = TestDb::new(Backend::Sqlite).await;
    let db = &fresh.db;
    small_demo(db, 5, 2, 30, 2).await;
    let digest = demo::digest(db).await.unwrap();
    let stats = "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'kra_actuals'";
    on_db!(db, p => {
        assert!(sqlx::query_scalar::<_, i64>(stats).fetch_one(p).await.unwrap() > 0, "the demo gathers statistics");
        // As if the database were at version 4: the next migrate rebuilds the table again.
        sqlx::query("DELETE FROM _sqlx_migrations WHERE version = 5").execute(p).await.unwrap();
    });

    db.migrate().await.unwrap();

    assert_eq!(
        db.applied_migrations().await.unwrap(),
        vec![
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
            30, 31, 32, 33, 34, 35, 36
        ]
    );
    assert_eq!(demo::digest(db).await.unwrap(), digest, "every row survives the rebuild");
    on_db!(db, p => {
        assert!(sqlx::query_scalar::<_, i64>(stats).fetch_one(p).await.unwrap() > 0, "statistics gathered again");
        let stat4: i64 = sqlx::query_scalar("SELECT count(*) FROM sqlite_stat4").fetch_one(p).await.unwrap();
        assert_eq!(stat4, 0, "only sqlite_stat1 is kept (BENCHMARKS.md: stat4 re-prepares statements)");
        for table in ["kra_actuals", "kra_plan_lines"] {
            let shape: String = sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE name = $1")
                .bind(table).fetch_one(p).await.unwrap();
            assert!(shape.contains("WITHOUT ROWID"), "{shape}");
        }
    });
    fresh.clean_up().await;
}

/// `kpi_month_days` as version 4 made it, with the file's path on every row (version 7 packed it
/// into `kpi_employee_months` and dropped it).
fn days_by_path(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "CREATE TABLE kpi_month_days (employee_id BIGINT NOT NULL REFERENCES employees(id), month TEXT NOT NULL,
             metric TEXT NOT NULL, days BLOB NOT NULL, source_file TEXT NOT NULL, PRIMARY KEY (employee_id, month, metric))"
        }
        Backend::Postgres => {
            "CREATE TABLE kpi_month_days (employee_id BIGINT NOT NULL REFERENCES employees(id), month DATE NOT NULL,
             metric TEXT NOT NULL, days BYTEA NOT NULL, source_file TEXT NOT NULL, PRIMARY KEY (employee_id, month, metric))"
        }
    }
}

#[tokio::test]
async fn packed_days_name_the_last_import_of_their_file() {
    each_backend(async |fresh| {
        let backend = fresh.backend;
        let db = &fresh.db;
        small_demo(db, 6, 1, 8, 1).await;
        let employee: i64 =
            on_db!(db, p => sqlx::query_scalar("SELECT min(id) FROM employees").fetch_one(p).await.unwrap());
        // b.csv was imported twice, and a.csv only as a people file.
        let logged = log_imports(db, &[("kpi", "b.csv"), ("kpi", "b.csv"), ("people", "a.csv")]).await;
        let month = "2025-01-01".parse::<chrono::NaiveDate>().unwrap();
        on_db!(db, p => {
            sqlx::query(days_by_path(backend)).execute(p).await.unwrap();
            for (metric, file) in [("aht", "b.csv"), ("csat", "a.csv"), ("fcr", "c.csv")] {
                sqlx::query("INSERT INTO kpi_month_days (employee_id, month, metric, days, source_file)
                    VALUES ($1, $2, $3, $4, $5)")
                    .bind(employee).bind(month).bind(metric).bind(vec![1u8, 2, 3]).bind(file)
                    .execute(p).await.unwrap();
            }
            sqlx::query("DELETE FROM _sqlx_migrations WHERE version = 6").execute(p).await.unwrap();
        });

        db.migrate().await.unwrap();

        // Version 7 packs the month's rows into one, days as they were.
        let packed: Vec<(i64, chrono::NaiveDate, Vec<u8>)> = on_db!(db, p => sqlx::query_as(
            "SELECT employee_id, month, metrics FROM kpi_employee_months").fetch_all(p).await.unwrap());
        assert_eq!(packed.len(), 1, "{backend:?}");
        assert_eq!((packed[0].0, packed[0].1), (employee, month));
        let rows: Vec<(String, Vec<u8>, Option<i64>)> = ladder_store::daily::unpack_metrics(&packed[0].2)
            .unwrap()
            .into_iter()
            .map(|m| (m.metric.to_string(), m.days.to_vec(), m.import_id))
            .collect();
        let days = vec![1u8, 2, 3];
        assert_eq!(
            rows,
            vec![
                ("aht".to_string(), days.clone(), Some(logged[1])),
                ("csat".to_string(), days.clone(), None),
                ("fcr".to_string(), days, None)
            ],
            "{backend:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn copies_of_daily_figures_leave_kra_actuals_and_later_monthly_rows_replace_the_days() {
    use ladder_store::daily::{pack_metrics, unpack_metrics, MetricDays, MonthDays};
    each_backend(async |fresh| {
        let backend = fresh.backend;
        let db = &fresh.db;
        small_demo(db, 7, 1, 8, 2).await;
        // An employee-month of the demo's monthly rows, and two of its metrics.
        let rows: Vec<(i64, chrono::NaiveDate, String, f64, f64)> = on_db!(db, p => sqlx::query_as(
            "SELECT employee_id, month, metric, numerator, denominator FROM kra_actuals
             ORDER BY employee_id, month, metric LIMIT 2").fetch_all(p).await.unwrap());
        let (employee, month) = (rows[0].0, rows[0].1);
        assert_eq!((rows[1].0, rows[1].1), (employee, month), "two metrics of one month");
        let (copied, later) = (&rows[0], &rows[1]);
        let days = |n: f64, d: f64| {
            let mut days = MonthDays::default();
            days.set(1, (n, d));
            days.encode()
        };
        // As version 8 left them: the days of `copied` with a copy of their total in
        // kra_actuals; days of `later` that a monthly file then replaced there; and days of a
        // metric with no monthly row.
        let (copied_days, later_days, own_days) =
            (days(copied.3, copied.4), days(later.3 + 1.0, later.4), days(3.0, 4.0));
        let packed = pack_metrics(vec![
            MetricDays { metric: &copied.2, import_id: None, days: &copied_days },
            MetricDays { metric: &later.2, import_id: None, days: &later_days },
            MetricDays { metric: "zz-own", import_id: None, days: &own_days },
        ]);
        on_db!(db, p => {
            sqlx::query("INSERT INTO kpi_employee_months (employee_id, month, metrics) VALUES ($1, $2, $3)")
                .bind(employee).bind(month).bind(&packed).execute(p).await.unwrap();
            sqlx::query("DROP TABLE IF EXISTS figures_in_two_places").execute(p).await.unwrap();
            sqlx::query("DELETE FROM _sqlx_migrations WHERE version = 9").execute(p).await.unwrap();
        });
        let count = |sql: &'static str| async move {
            on_db!(db, p => sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await.unwrap())
        };
        let monthly_rows = count("SELECT count(*) FROM kra_actuals").await;

        db.migrate().await.unwrap();

        assert_eq!(count("SELECT count(*) FROM kra_actuals").await, monthly_rows - 1, "{backend:?}: the copy went");
        let metrics: Vec<u8> = on_db!(db, p => sqlx::query_scalar("SELECT metrics FROM kpi_employee_months")
            .fetch_one(p).await.unwrap());
        let kept: Vec<String> = unpack_metrics(&metrics).unwrap().iter().map(|m| m.metric.to_string()).collect();
        assert_eq!(kept, vec![copied.2.clone(), "zz-own".to_string()], "{backend:?}: the replaced days went");
        let read: Vec<(String, f64, f64)> =
            ladder_store::kra::actuals(db, ladder_core::EmployeeId(employee), month, month)
                .await
                .unwrap()
                .into_iter()
                .filter(|a| [&copied.2, &later.2, "zz-own"].contains(&a.metric.as_str()))
                .map(|a| (a.metric, a.numerator, a.denominator))
                .collect();
        assert_eq!(
            read,
            vec![
                (copied.2.clone(), copied.3, copied.4),
                (later.2.clone(), later.3, later.4),
                ("zz-own".into(), 3.0, 4.0)
            ],
            "{backend:?}: each figure once, as it read before"
        );
        let marker = "SELECT count(*) FROM _sqlx_migrations WHERE version = 9";
        assert_eq!(count(marker).await, 1);
        assert_eq!(ladder_store::daily::keep_figures_in_one_place(db).await.unwrap(), 0, "done once");
    })
    .await;
}

#[tokio::test]
async fn copies_summed_in_another_order_go_in_every_chunk_and_damaged_days_are_left_as_they_are() {
    use ladder_store::daily::{pack_metrics, unpack_metrics, MetricDays, MonthDays};
    each_backend(async |fresh| {
        let backend = fresh.backend;
        let db = &fresh.db;
        small_demo(db, 7, 1, 8, 2).await;
        let rows: Vec<(i64, chrono::NaiveDate, String)> = on_db!(db, p => sqlx::query_as(
            "SELECT employee_id, month, metric FROM kra_actuals ORDER BY employee_id, month, metric")
            .fetch_all(p).await.unwrap());
        // The first two figures of each of the first four employees' first month.
        let people: Vec<&[(i64, chrono::NaiveDate, String)]> = rows.chunk_by(|a, b| a.0 == b.0).take(4).collect();
        assert_eq!(people.len(), 4);
        assert!(people.iter().all(|p| p.len() >= 2 && p[0].1 == p[1].1), "two metrics in a month");
        // Days of 0.1, 0.2 and 0.3 total 0.6000000000000001 in day order; a SQL SUM of
        // earlier versions could add them as 0.3 + 0.2 + 0.1 = 0.6.
        let (in_day_order, summed_otherwise) = (0.1 + 0.2 + 0.3, 0.3 + 0.2 + 0.1);
        assert_ne!(in_day_order, summed_otherwise);
        let mut days = MonthDays::default();
        for (day, n) in [(1, 0.1), (2, 0.2), (3, 0.3)] {
            days.set(day, (n, 1.0));
        }
        let days = days.encode();
        let bad_days = vec![1, 0];
        let copy = |metric| MetricDays { metric, import_id: None, days: &days };
        // 0 and 3: a copy; 1: a copy beside a metric whose days are damaged; 2: a month that
        // cannot be unpacked at all.
        let packed = [
            pack_metrics(vec![copy(&people[0][0].2)]),
            pack_metrics(vec![
                MetricDays { metric: &people[1][0].2, import_id: None, days: &bad_days },
                copy(&people[1][1].2),
            ]),
            vec![0xff, 0x01],
            pack_metrics(vec![copy(&people[3][0].2)]),
        ];
        for (person, packed) in people.iter().zip(&packed) {
            let (employee, month) = (person[0].0, person[0].1);
            on_db!(db, p => {
                sqlx::query("INSERT INTO kpi_employee_months (employee_id, month, metrics) VALUES ($1, $2, $3)")
                    .bind(employee).bind(month).bind(packed).execute(p).await.unwrap();
                sqlx::query("UPDATE kra_actuals SET numerator = $3, denominator = 3 WHERE employee_id = $1
                             AND month = $2 AND metric IN ($4, $5)")
                    .bind(employee).bind(month).bind(summed_otherwise).bind(&person[0].2).bind(&person[1].2)
                    .execute(p).await.unwrap();
            });
        }
        on_db!(db, p => {
            sqlx::query("CREATE TABLE figures_in_two_places (pending INTEGER)").execute(p).await.unwrap();
        });
        let count = |sql: &'static str| async move {
            on_db!(db, p => sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await.unwrap())
        };
        let monthly_rows = count("SELECT count(*) FROM kra_actuals").await;

        // Two employees at a time: 0 and 1 in one chunk, 2 and 3 in the next.
        let removed = ladder_store::daily::keep_figures_in_one_place_by(db, 2).await.unwrap();

        assert_eq!(removed, 3, "{backend:?}");
        assert_eq!(count("SELECT count(*) FROM kra_actuals").await, monthly_rows - 3, "{backend:?}");
        let read = |employee: i64, month, metric: String| async move {
            let found: Vec<(f64, f64)> =
                ladder_store::kra::actuals(db, ladder_core::EmployeeId(employee), month, month)
                    .await
                    .unwrap()
                    .into_iter()
                    .filter(|a| a.metric == metric)
                    .map(|a| (a.numerator, a.denominator))
                    .collect();
            found
        };
        for (employee, month, metric) in [&people[0][0], &people[3][0]] {
            let found = read(*employee, *month, metric.clone()).await;
            assert_eq!(found, vec![(in_day_order, 3.0)], "{backend:?}: the days stay, once");
        }
        for (i, person) in people.iter().enumerate().filter(|(i, _)| [1, 2].contains(i)) {
            let (employee, month) = (person[0].0, person[0].1);
            let left: Vec<u8> = on_db!(db, p => sqlx::query_scalar(
                "SELECT metrics FROM kpi_employee_months WHERE employee_id = $1 AND month = $2")
                .bind(employee).bind(month).fetch_one(p).await.unwrap());
            assert_eq!(left, packed[i], "{backend:?}: damaged days are left for their reader to name");
        }
        let held = |(employee, month, metric): &(i64, chrono::NaiveDate, String)| {
            let (employee, month, metric) = (*employee, *month, metric.clone());
            async move {
                let n: i64 = on_db!(db, p => sqlx::query_scalar(
                    "SELECT count(*) FROM kra_actuals WHERE employee_id = $1 AND month = $2 AND metric = $3")
                    .bind(employee).bind(month).bind(&metric).fetch_one(p).await.unwrap());
                n
            }
        };
        assert_eq!(held(&people[1][0]).await, 1, "{backend:?}: the monthly row of damaged days stays");
        assert_eq!(held(&people[1][1]).await, 0, "{backend:?}: the copy beside them goes");
        assert!(unpack_metrics(&packed[2]).is_err());
        assert_eq!(count("SELECT count(*) FROM kpi_employee_months").await, 4, "{backend:?}");
        assert_eq!(ladder_store::daily::keep_figures_in_one_place(db).await.unwrap(), 0, "{backend:?}: done once");
    })
    .await;
}

/// Version 11 allows one account per employee: where a database already linked several, the
/// first keeps the link and each later one is unlinked, disabled and signed out; then the index
/// refuses another.
#[tokio::test]
async fn a_second_account_of_an_employee_is_unlinked_and_disabled_then_refused() {
    each_backend(async |fresh| {
        let db = &fresh.db;
        small_demo(db, 4, 1, 30, 1).await;
        let (organisation, employee): (i64, i64) = on_db!(db, p => sqlx::query_as(
            "SELECT organisation_id, min(id) FROM employees WHERE id NOT IN (SELECT employee_id FROM users WHERE employee_id IS NOT NULL) GROUP BY organisation_id")
            .fetch_one(p).await.unwrap());
        let insert = "INSERT INTO users (organisation_id, email, name, access, employee_id, created_at)
            VALUES ($1, $2, 'Twin', 'agent', $3, $4) RETURNING id";
        let ids: Vec<i64> = on_db!(db, p => {
            sqlx::query("DROP INDEX users_one_per_employee").execute(p).await.unwrap();
            sqlx::query("DELETE FROM _sqlx_migrations WHERE version = 11").execute(p).await.unwrap();
            let mut ids = Vec::new();
            for email in ["first@example.com", "second@example.com", "third@example.com"] {
                ids.push(sqlx::query_scalar(insert).bind(organisation).bind(email).bind(employee)
                    .bind(chrono::Utc::now()).fetch_one(p).await.unwrap());
            }
            ids
        });

        db.migrate().await.unwrap();

        let rows: Vec<(i64, Option<i64>, bool, i64)> = on_db!(db, p => sqlx::query_as(
            "SELECT id, employee_id, disabled, session_epoch FROM users WHERE email LIKE '%@example.com' AND name = 'Twin' ORDER BY id")
            .fetch_all(p).await.unwrap());
        assert_eq!(
            rows,
            vec![(ids[0], Some(employee), false, 0), (ids[1], None, true, 1), (ids[2], None, true, 1)],
            "the first keeps the link; the others are unlinked, disabled and signed out"
        );
        let again = on_db!(db, p => sqlx::query(insert).bind(organisation).bind("fourth@example.com").bind(employee)
            .bind(chrono::Utc::now()).execute(p).await.is_err());
        assert!(again, "the index refuses a second account");
    })
    .await;
}

/// Version 15 keeps scores per employee-month: a database with figures from before it has every
/// month with figures queued to be scored.
#[tokio::test]
async fn version_15_queues_every_month_with_figures() {
    each_backend(async |t| {
        small_demo(&t.db, 5, 2, 30, 2).await;
        on_db!(&t.db, p => {
            for sql in ["DROP TABLE score_queue", "DROP TABLE employee_scores", "DELETE FROM _sqlx_migrations WHERE version = 15"] {
                sqlx::query(sql).execute(p).await.unwrap();
            }
        });
        t.db.migrate().await.unwrap();
        let months = "SELECT COUNT(*) FROM (SELECT employee_id, month FROM kra_actuals
            UNION SELECT employee_id, month FROM kpi_employee_months) AS k";
        let (with_figures, queued): (i64, i64) = on_db!(&t.db, p => (
            sqlx::query_scalar(months).fetch_one(p).await.unwrap(),
            sqlx::query_scalar("SELECT COUNT(*) FROM score_queue").fetch_one(p).await.unwrap(),
        ));
        assert!(with_figures > 0);
        assert_eq!(queued, with_figures, "{:?}", t.backend);
    })
    .await;
}

/// Version 31 writes the shifts' checks as comparisons (on SQLite by rebuilding the table): every
/// shift keeps its id and values, the index is back, and the checks still refuse what they did.
#[tokio::test]
async fn version_31_keeps_every_shift_and_its_checks() {
    each_backend(async |fresh| {
        let backend = fresh.backend;
        let db = &fresh.db;
        small_demo(db, 5, 1, 8, 1).await;
        let shifts =
            "SELECT COUNT(*), CAST(COALESCE(SUM(id), 0) AS BIGINT), CAST(COALESCE(SUM(breaks_minutes), 0) AS BIGINT), \
            COUNT(DISTINCT starts_at || kind || record || time_zone) FROM shifts";
        let before: (i64, i64, i64, i64) = on_db!(db, p => sqlx::query_as(shifts).fetch_one(p).await.unwrap());
        assert!(before.0 > 0, "{backend:?}: the demo writes shifts");
        on_db!(db, p => {
            // As if the database were at version 30: the next migrate runs 31 again.
            sqlx::query("DELETE FROM _sqlx_migrations WHERE version = 31").execute(p).await.unwrap();
        });
        db.migrate().await.unwrap();
        let after: (i64, i64, i64, i64) = on_db!(db, p => sqlx::query_as(shifts).fetch_one(p).await.unwrap());
        assert_eq!(after, before, "{backend:?}: every shift survives");
        let employee: i64 =
            on_db!(db, p => sqlx::query_scalar("SELECT MIN(employee_id) FROM shifts").fetch_one(p).await.unwrap());
        let insert = "INSERT INTO shifts (employee_id, record, starts_at, ends_at, time_zone, kind) \
            VALUES ($1, $2, '2026-01-01T01:00:00+00:00', '2026-01-01T09:00:00+00:00', 'UTC', $3)";
        for (record, kind, ok) in
            [("scheduled", "rotating", true), ("worked", "evening", false), ("planned", "day", false)]
        {
            let done =
                on_db!(db, p => sqlx::query(insert).bind(employee).bind(record).bind(kind).execute(p).await.map(drop));
            assert_eq!(done.is_ok(), ok, "{backend:?}: {record} {kind}");
        }
        if backend == Backend::Sqlite {
            let index = "SELECT sql FROM sqlite_master WHERE name = 'shifts_by_employee' AND tbl_name = 'shifts'";
            let sql: String = on_db!(db, p => sqlx::query_scalar(index).fetch_one(p).await.unwrap());
            assert!(sql.contains("(employee_id, record, starts_at)"), "{sql}");
        }
    })
    .await;
}
