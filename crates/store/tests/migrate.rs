//! Version 5 rebuilds `kra_actuals` and `kra_plan_lines` on SQLite (stored in key order): every row survives, and
//! the planner's statistics, which a rebuilt table loses, are gathered again.

mod support;

use ladder_core::period::Month;
use ladder_core::Framework;
use ladder_store::demo::{self, DemoSpec};
use ladder_store::on_db;
use support::{Backend, Fresh};

const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$ZGVtbw$ZGVtbw";

#[tokio::test]
async fn rebuilding_tables_in_key_order_keeps_every_row_and_the_statistics() {
    let fresh = Fresh::new(Backend::Sqlite).await;
    let db = &fresh.db;
    let spec = DemoSpec {
        seed: 5,
        sites: 1,
        accounts: 1,
        teams: 2,
        employees: 30,
        months: 2,
        through: Month::new(2026, 10).unwrap(),
    };
    demo::generate(db, &Framework::default_framework(), &spec, HASH, &mut |_| {}).await.unwrap();
    let digest = demo::digest(db).await.unwrap();
    let stats = "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'kra_actuals'";
    on_db!(db, p => {
        assert!(sqlx::query_scalar::<_, i64>(stats).fetch_one(p).await.unwrap() > 0, "the demo gathers statistics");
        // As if the database were at version 4: the next migrate rebuilds the table again.
        sqlx::query("DELETE FROM _sqlx_migrations WHERE version = 5").execute(p).await.unwrap();
    });

    db.migrate().await.unwrap();

    assert_eq!(db.applied_migrations().await.unwrap(), vec![1, 2, 3, 4, 5]);
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
    fresh.drop_now().await;
}
