//! A store transaction (`Tx`) is all or nothing on both backends: committed, its rows are there;
//! dropped without a commit (an error, a cancelled import), none of them are.

use ladder_store::imports::{self, ImportKind, ImportLog};
use ladder_store::on_db;
use ladder_testkit::each_backend;

async fn imports_logged(db: &ladder_store::Db) -> i64 {
    on_db!(db, p => sqlx::query_scalar("SELECT count(*) FROM imports").fetch_one(p).await.unwrap())
}

#[tokio::test]
async fn a_transaction_dropped_without_commit_leaves_nothing() {
    each_backend(async |t| {
        let log = |file_name| ImportLog {
            kind: ImportKind::Kpi,
            file_name,
            mapping: "genesys-cloud",
            started_at: chrono::Utc::now(),
            imported_by: None,
            outcome: Default::default(),
        };
        let mut tx = t.db.begin().await.unwrap();
        imports::record(&mut tx, &log("dropped.csv")).await.unwrap();
        ladder_store::kra::figures_changed(&mut tx).await.unwrap();
        drop(tx);
        assert_eq!(imports_logged(&t.db).await, 0, "{:?}: a dropped transaction rolls back", t.backend);
        let version = ladder_store::kra::figures_version(&t.db).await.unwrap();

        let mut tx = t.db.begin().await.unwrap();
        imports::record(&mut tx, &log("kept.csv")).await.unwrap();
        ladder_store::kra::figures_changed(&mut tx).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(imports_logged(&t.db).await, 1);
        assert_eq!(ladder_store::kra::figures_version(&t.db).await.unwrap(), version + 1);
    })
    .await;
}
