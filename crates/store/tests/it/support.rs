//! What the store's tests share beyond `ladder_testkit`: a small demo organisation and logged
//! imports.
#![allow(dead_code)]

use ladder_store::Db;

/// A password hash for generated users (never checked by these tests).
pub const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$ZGVtbw$ZGVtbw";

/// Generates a one-site, one-account demo organisation of `teams` teams and `employees` people
/// with `months` months of KRA history up to October 2026.
pub async fn small_demo(db: &Db, seed: u64, teams: usize, employees: usize, months: u32) {
    let spec = ladder_store::demo::DemoSpec {
        seed,
        sites: 1,
        accounts: 1,
        teams,
        employees,
        months,
        through: ladder_core::period::Month::new(2026, 10).unwrap(),
    };
    let framework = ladder_core::Framework::default_framework();
    ladder_store::demo::generate(db, &framework, &spec, HASH, &mut |_| {}).await.unwrap();
}

/// Logs an import of each (kind, file name), in order; returns their ids.
pub async fn log_imports(db: &Db, imports: &[(&str, &str)]) -> Vec<i64> {
    let sql = "INSERT INTO imports (kind, file_name, sha256, rows, started_at, finished_at)
        VALUES ($1, $2, '', 0, $3, $3) RETURNING id";
    let mut ids = Vec::new();
    for (kind, file) in imports {
        let id: i64 = ladder_store::on_db!(db, p => sqlx::query_scalar(sql).bind(kind).bind(file)
            .bind(chrono::Utc::now()).fetch_one(p).await.unwrap());
        ids.push(id);
    }
    ids
}
