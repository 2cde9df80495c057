//! The `--database` option shared by every subcommand that opens the store.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use ladder_store::Db;

#[derive(Args, Debug, Clone)]
pub struct DatabaseArgs {
    /// sqlite://PATH or postgres://… (default: ladder.db in the user's data directory).
    #[arg(long, env = "LADDER_DATABASE", value_name = "URL")]
    pub database: Option<String>,
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
        Db::connect_and_migrate(&url).await.with_context(|| format!("cannot open {}", redact(&url)))
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
