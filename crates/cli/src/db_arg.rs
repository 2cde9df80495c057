//! The `--database` option and the store's settings, shared by every subcommand that opens the
//! store.

use std::path::PathBuf;

use anyhow::Context;
use clap::builder::BoolishValueParser;
use clap::{value_parser, ArgAction, Args};
use ladder_store::db::StoreSettings;
use ladder_store::Db;

#[derive(Args, Debug, Clone)]
pub struct DatabaseArgs {
    /// sqlite://PATH or postgres://… (default: ladder.db in the user's data directory).
    #[arg(long, env = "LADDER_DATABASE", value_name = "URL")]
    pub database: Option<String>,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// How the database is opened: the flags of [`StoreSettings`], whose defaults they show.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Database settings")]
pub struct StoreArgs {
    /// SQLite connections in the pool, each on a thread of its own (default: twice the cores, 2
    /// to 16).
    #[arg(long, env = "LADDER_SQLITE_CONNECTIONS", value_name = "N",
          default_value_t = StoreSettings::default().sqlite_connections, value_parser = value_parser!(u32).range(1..))]
    pub sqlite_connections: u32,
    /// Read SQLite's hot paths straight through the C library; false reads everything through
    /// sqlx (to compare the two).
    #[arg(long, env = "LADDER_SQLITE_DIRECT_READS", value_name = "BOOL",
          default_value_t = StoreSettings::default().sqlite_direct_reads, action = ArgAction::Set,
          value_parser = BoolishValueParser::new())]
    pub sqlite_direct_reads: bool,
    /// PostgreSQL connections in the pool.
    #[arg(long, env = "LADDER_POSTGRES_CONNECTIONS", value_name = "N",
          default_value_t = StoreSettings::default().postgres_connections, value_parser = value_parser!(u32).range(1..))]
    pub postgres_connections: u32,
}

impl StoreArgs {
    pub fn settings(&self) -> StoreSettings {
        StoreSettings {
            sqlite_connections: self.sqlite_connections,
            sqlite_direct_reads: self.sqlite_direct_reads,
            postgres_connections: self.postgres_connections,
        }
    }
}

impl DatabaseArgs {
    pub fn url(&self) -> anyhow::Result<String> {
        match &self.database {
            Some(url) => Ok(url.clone()),
            None => {
                let dir = data_dir().context("no data directory: set --database or LADDER_DATABASE")?;
                std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
                Ok(Db::sqlite_url(&dir.join("ladder.db")))
            }
        }
    }

    /// Connects and brings the schema up to date.
    pub async fn open(&self) -> anyhow::Result<Db> {
        let url = self.url()?;
        Db::connect_and_migrate_with(&url, &self.store.settings())
            .await
            .with_context(|| format!("cannot open {}", redact(&url)))
    }
}

/// `$XDG_DATA_HOME/ladder`, else `~/.local/share/ladder`.
fn data_dir() -> Option<PathBuf> {
    if let Some(xdg) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(xdg).join("ladder"));
    }
    std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share/ladder"))
}

/// A URL fit for an error message: the password, if any, is hidden.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.find(':') {
                Some(colon) => format!("{}{}:***{}", &url[..scheme + 3], &credentials[..colon], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_are_hidden_in_messages() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite:///tmp/x.db"), "sqlite:///tmp/x.db");
    }
}
