//! Each table's column list, declared once by the module that owns it, against both migration
//! sets: every listed column exists, and every column a row must be given (NOT NULL, without a
//! default) is listed — so a migration that adds one fails here until its owner lists it.

use ladder_store::on_db;
use ladder_store::table::Table;
use ladder_testkit::{each_backend, Backend};

/// (column, whether a row must give it) of a table, as the database describes it.
async fn described(db: &ladder_store::Db, backend: Backend, table: &str) -> Vec<(String, bool)> {
    let sql = match backend {
        // An INTEGER PRIMARY KEY is the rowid: given or not, it has a value.
        Backend::Sqlite => "SELECT name, \"notnull\" = 1 AND dflt_value IS NULL AND pk = 0 FROM pragma_table_info($1)",
        Backend::Postgres => {
            "SELECT column_name::text, is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO'
             FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1"
        }
    };
    on_db!(db, p => sqlx::query_as(sql).bind(table).fetch_all(p).await.unwrap())
}

#[tokio::test]
async fn every_declared_table_matches_both_schemas() {
    each_backend(async |t| {
        for table in ladder_store::demo::TABLES {
            let Table { name, identity, .. } = *table;
            let columns: Vec<&str> = table.column_names().collect();
            let found = described(&t.db, t.backend, name).await;
            assert!(!found.is_empty(), "{:?}: no table {name}", t.backend);
            for column in &columns {
                assert!(
                    found.iter().any(|(c, _)| c == column),
                    "{:?}: {name}.{column} is not in the schema",
                    t.backend
                );
            }
            for (column, required) in &found {
                let listed = columns.contains(&column.as_str());
                assert!(
                    listed || !required,
                    "{:?}: {name}.{column} must be given but its owner does not list it",
                    t.backend
                );
            }
            assert_eq!(identity, columns.first() == Some(&"id"), "{name}: an identity table is written with its id");
        }
    })
    .await;
}
