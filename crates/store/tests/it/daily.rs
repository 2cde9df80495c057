//! Daily facts kept by earlier versions a row each (`kpi_daily`) are packed into
//! `kpi_employee_months` when the database is migrated, with nothing lost.

use chrono::NaiveDate;
use ladder_store::daily::{pack_legacy, pack_metrics_by_month, unpack_metrics, MonthDays};
use ladder_store::on_db;
use ladder_testkit::{each_backend, Backend};

use crate::support::{log_imports, small_demo};

/// (employee, month, metric, (day, numerator, denominator) in day order, import).
type PackedRow = (i64, NaiveDate, String, Vec<(u32, f64, f64)>, Option<i64>);

/// Every metric of every row of `kpi_employee_months`, in key order.
async fn packed_rows(db: &ladder_store::Db) -> Vec<PackedRow> {
    let rows: Vec<(i64, NaiveDate, Vec<u8>)> = on_db!(db, p => sqlx::query_as(
        "SELECT employee_id, month, metrics FROM kpi_employee_months ORDER BY employee_id, month")
        .fetch_all(p).await.unwrap());
    let mut out = Vec::new();
    for (e, m, metrics) in rows {
        for metric in unpack_metrics(&metrics).unwrap() {
            let days = MonthDays::decode(metric.days).unwrap().iter().collect();
            out.push((e, m, metric.metric.to_string(), days, metric.import_id));
        }
    }
    out
}

/// A small demo organisation's first two employees.
async fn two_employees(db: &ladder_store::Db) -> Vec<i64> {
    small_demo(db, 3, 1, 12, 1).await;
    on_db!(db, p => sqlx::query_scalar("SELECT id FROM employees ORDER BY id LIMIT 2").fetch_all(p).await.unwrap())
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn legacy_table(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "CREATE TABLE kpi_daily (employee_id BIGINT NOT NULL REFERENCES employees(id), day TEXT NOT NULL,
             metric TEXT NOT NULL, numerator REAL NOT NULL, denominator REAL NOT NULL, source_file TEXT NOT NULL,
             PRIMARY KEY (employee_id, day, metric)) WITHOUT ROWID"
        }
        Backend::Postgres => {
            "CREATE TABLE kpi_daily (employee_id BIGINT NOT NULL REFERENCES employees(id), day DATE NOT NULL,
             metric TEXT NOT NULL, numerator DOUBLE PRECISION NOT NULL, denominator DOUBLE PRECISION NOT NULL,
             source_file TEXT NOT NULL, PRIMARY KEY (employee_id, day, metric))"
        }
    }
}

#[tokio::test]
async fn legacy_daily_rows_are_packed_by_month_and_the_old_table_dropped() {
    each_backend(async |fresh| {
        let backend = fresh.backend;
        let db = &fresh.db;
        let ids = two_employees(db).await;
        let facts = [
            (ids[0], day("2025-01-02"), "aht", 600.5, 2.0, "a.csv"),
            (ids[0], day("2025-01-31"), "aht", 0.1, 1.0, "b.csv"),
            (ids[0], day("2025-02-01"), "aht", 7.0, 3.0, "b.csv"),
            (ids[0], day("2025-01-02"), "fcr", 1.0, 1.0, "a.csv"),
            (ids[1], day("2025-01-02"), "aht", 9.0, 9.0, "a.csv"),
        ];
        // The last KPI import of b.csv names its rows; a.csv was logged only as a people file.
        let logged = log_imports(db, &[("kpi", "b.csv"), ("kpi", "b.csv"), ("people", "a.csv")]).await;
        let b = Some(logged[1]);
        on_db!(db, p => {
            sqlx::query(legacy_table(backend)).execute(p).await.unwrap();
            for (e, d, m, n, q, f) in facts {
                sqlx::query("INSERT INTO kpi_daily VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(e).bind(d).bind(m).bind(n).bind(q).bind(f).execute(p).await.unwrap();
            }
        });

        db.migrate().await.unwrap();

        let shape = packed_rows(db).await;
        assert_eq!(
            shape,
            vec![
                (ids[0], day("2025-01-01"), "aht".into(), vec![(2, 600.5, 2.0), (31, 0.1, 1.0)], b),
                (ids[0], day("2025-01-01"), "fcr".into(), vec![(2, 1.0, 1.0)], None),
                (ids[0], day("2025-02-01"), "aht".into(), vec![(1, 7.0, 3.0)], b),
                (ids[1], day("2025-01-01"), "aht".into(), vec![(2, 9.0, 9.0)], None),
            ],
            "{backend:?}"
        );
        let gone = on_db!(db, p => sqlx::query("SELECT 1 FROM kpi_daily").fetch_all(p).await.is_err());
        assert!(gone, "kpi_daily is dropped ({backend:?})");
        assert_eq!(pack_legacy(db).await.unwrap(), 0, "a second run has nothing to do");
    })
    .await;
}

/// `kpi_month_days` as versions 4–6 left it.
fn month_days_table(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "CREATE TABLE kpi_month_days (employee_id BIGINT NOT NULL REFERENCES employees(id), month TEXT NOT NULL,
             metric TEXT NOT NULL, days BLOB NOT NULL, import_id BIGINT, PRIMARY KEY (employee_id, month, metric))"
        }
        Backend::Postgres => {
            "CREATE TABLE kpi_month_days (employee_id BIGINT NOT NULL REFERENCES employees(id), month DATE NOT NULL,
             metric TEXT NOT NULL, days BYTEA NOT NULL, import_id BIGINT, PRIMARY KEY (employee_id, month, metric))"
        }
    }
}

#[tokio::test]
async fn rows_a_metric_each_are_packed_a_row_a_month_beside_what_kpi_daily_packed() {
    each_backend(async |fresh| {
        let backend = fresh.backend;
        let db = &fresh.db;
        let ids = two_employees(db).await;
        let days = |facts: &[(u32, f64, f64)]| {
            let mut m = MonthDays::default();
            for &(d, n, q) in facts {
                m.set(d, (n, q));
            }
            m.encode()
        };
        // Both old tables, as a database could hold them if packing kpi_daily once failed: for
        // the first employee's January, kpi_daily has AHT and FCR, kpi_month_days FCR (newer)
        // and CSAT.
        on_db!(db, p => {
            sqlx::query(legacy_table(backend)).execute(p).await.unwrap();
            for (metric, n) in [("aht", 600.0), ("fcr", 1.0)] {
                sqlx::query("INSERT INTO kpi_daily VALUES ($1, $2, $3, $4, 1.0, 'a.csv')")
                    .bind(ids[0]).bind(day("2025-01-02")).bind(metric).bind(n).execute(p).await.unwrap();
            }
            sqlx::query(month_days_table(backend)).execute(p).await.unwrap();
            let rows = [
                (ids[0], "2025-01-01", "csat", days(&[(5, 9.0, 10.0)]), Some(7)),
                (ids[0], "2025-01-01", "fcr", days(&[(2, 0.0, 1.0)]), Some(8)),
                (ids[0], "2025-02-01", "aht", days(&[(1, 300.0, 1.0)]), None),
                (ids[1], "2025-01-01", "aht", days(&[(31, 60.0, 2.0)]), Some(7)),
            ];
            for (e, month, metric, packed, import) in rows {
                sqlx::query("INSERT INTO kpi_month_days VALUES ($1, $2, $3, $4, $5)")
                    .bind(e).bind(day(month)).bind(metric).bind(packed).bind(import).execute(p).await.unwrap();
            }
        });

        db.migrate().await.unwrap();

        let shape = packed_rows(db).await;
        assert_eq!(
            shape,
            vec![
                (ids[0], day("2025-01-01"), "aht".into(), vec![(2, 600.0, 1.0)], None),
                (ids[0], day("2025-01-01"), "csat".into(), vec![(5, 9.0, 10.0)], Some(7)),
                (ids[0], day("2025-01-01"), "fcr".into(), vec![(2, 0.0, 1.0)], Some(8)),
                (ids[0], day("2025-02-01"), "aht".into(), vec![(1, 300.0, 1.0)], None),
                (ids[1], day("2025-01-01"), "aht".into(), vec![(31, 60.0, 2.0)], Some(7)),
            ],
            "{backend:?}"
        );
        for table in ["kpi_daily", "kpi_month_days"] {
            let gone = on_db!(db, p => sqlx::query(&format!("SELECT 1 FROM {table}")).fetch_all(p).await.is_err());
            assert!(gone, "{table} is dropped ({backend:?})");
        }
        assert_eq!(pack_metrics_by_month(db).await.unwrap(), 0, "a second run has nothing to do");
        db.migrate().await.unwrap();
    })
    .await;
}
