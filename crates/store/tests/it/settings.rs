//! `StoreSettings` reach the pools and the direct reads; `Db::connect` takes the defaults.

use ladder_store::db::StoreSettings;
use ladder_store::Db;
use ladder_testkit::{each_backend, Backend};

#[tokio::test]
async fn the_settings_size_the_pools_and_switch_the_direct_reads() {
    let defaults = StoreSettings::default();
    assert!((2..=16).contains(&defaults.sqlite_connections) && defaults.sqlite_direct_reads);
    assert_eq!(defaults.postgres_connections, 16);
    each_backend(async |t| {
        let max = |db: &Db| match db {
            Db::Sqlite(pool, _) => pool.options().get_max_connections(),
            Db::Postgres(pool) => pool.options().get_max_connections(),
        };
        let by_default = Db::connect(&t.url).await.unwrap();
        let (expected, direct) = match t.backend {
            Backend::Sqlite => (defaults.sqlite_connections, true),
            Backend::Postgres => (defaults.postgres_connections, false),
        };
        assert_eq!((max(&by_default), by_default.readers().is_some()), (expected, direct), "{:?}", t.backend);
        by_default.close().await;

        let set = StoreSettings { sqlite_connections: 3, sqlite_direct_reads: false, postgres_connections: 5 };
        let db = Db::connect_with(&t.url, &set).await.unwrap();
        let expected = if t.backend == Backend::Sqlite { 3 } else { 5 };
        assert_eq!((max(&db), db.readers().is_some()), (expected, false), "{:?}", t.backend);
        db.close().await;
    })
    .await;
}
