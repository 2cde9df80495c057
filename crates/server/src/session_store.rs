//! tower-sessions over Ladder's store: sessions live in the database, so app servers are stateless.
//! Rows are keyed by the SHA-256 of the session id, so someone who can read the database cannot
//! sign in with what they read (as for API tokens).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use ladder_store::Db;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result, SessionStore};

#[derive(Clone)]
pub struct DbSessionStore {
    db: Db,
}

impl std::fmt::Debug for DbSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbSessionStore")
    }
}

impl DbSessionStore {
    pub fn new(db: Db) -> DbSessionStore {
        DbSessionStore { db }
    }
}

fn expiry(record: &Record) -> DateTime<Utc> {
    DateTime::from_timestamp(record.expiry_date.unix_timestamp(), 0).unwrap_or_else(Utc::now)
}

fn key(id: &Id) -> String {
    crate::auth::hash_secret(&id.to_string())
}

fn backend(e: ladder_store::StoreError) -> Error {
    Error::Backend(e.to_string())
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        loop {
            let data = serde_json::to_vec(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
            if ladder_store::sessions::create(&self.db, &key(&record.id), &data, expiry(record))
                .await
                .map_err(backend)?
            {
                return Ok(());
            }
            record.id = Id::default(); // taken: draw another
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let data = serde_json::to_vec(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
        ladder_store::sessions::save(&self.db, &key(&record.id), &data, expiry(record)).await.map_err(backend)
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let Some(data) = ladder_store::sessions::load(&self.db, &key(id), Utc::now()).await.map_err(backend)? else {
            return Ok(None);
        };
        let data = serde_json::from_slice(&data).map_err(|e| Error::Decode(e.to_string()))?;
        // The expiry is renewed by the session layer on save; a loaded record only needs a future one.
        Ok(Some(Record { id: *id, data, expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(12) }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        ladder_store::sessions::delete(&self.db, &key(id)).await.map_err(backend)
    }
}
