//! `ladder serve`: the API and the pages over a database.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::Args;
use ladder_core::Framework;
use ladder_server::state::{AppState, Config};
use ladder_store::Db;

use crate::db_arg::DatabaseArgs;

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,
    #[command(flatten)]
    pub http: HttpArgs,
}

/// How the server is reached; shared with `ladder demo`.
#[derive(Args, Debug, Clone)]
pub struct HttpArgs {
    /// The address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub bind: SocketAddr,
    /// The address people reach Ladder at, used in invitation links (default: http://ADDR).
    #[arg(long, env = "LADDER_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// Mark session cookies Secure (set this when Ladder is served over HTTPS).
    #[arg(long)]
    pub secure_cookies: bool,
}

impl HttpArgs {
    pub fn config(&self) -> Config {
        let public_url = self.public_url.clone().unwrap_or_else(|| {
            let host =
                if self.bind.ip().is_unspecified() { "localhost".to_string() } else { self.bind.ip().to_string() };
            let host = if self.bind.is_ipv6() && host != "localhost" { format!("[{host}]") } else { host };
            format!("http://{host}:{}", self.bind.port())
        });
        Config { secure_cookies: self.secure_cookies, public_url, ..Config::default() }
    }
}

/// Logs to stderr; `RUST_LOG` picks what (default: `default`).
pub fn init_tracing(default: &str) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

/// Twice as many worker threads as cores: SQLite's hot reads run on the worker that asks
/// (`ladder_store::read`), and a page that is not in memory stalls that worker while the disk
/// answers; with one worker per core that stalled half the server (p99 of 170–200 ms in some
/// runs, BENCHMARKS.md). `TOKIO_WORKER_THREADS` overrides it.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    if std::env::var_os("TOKIO_WORKER_THREADS").is_none() {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        builder.worker_threads(cores * 2);
    }
    Ok(builder.enable_all().build()?)
}

pub fn run(framework: Framework, args: ServeArgs) -> anyhow::Result<ExitCode> {
    init_tracing("info,sqlx=warn");
    runtime()?.block_on(async {
        let db = args.db.open().await?;
        serve(db, framework, &args.http).await
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Serves until Ctrl-C, printing where (the line tests and scripts read is "Ladder is listening
/// on http://…").
pub async fn serve(db: Db, framework: Framework, http: &HttpArgs) -> anyhow::Result<()> {
    let state = AppState::new(db, framework, http.config());
    let listener = tokio::net::TcpListener::bind(http.bind).await?;
    let bound = listener.local_addr()?;
    let host = if bound.ip().is_unspecified() { format!("localhost:{}", bound.port()) } else { bound.to_string() };
    println!("Ladder is listening on http://{host}");
    println!("  API: http://{host}/api/v1 (OpenAPI document: http://{host}/api/v1/openapi.json)");
    println!("  Stop with Ctrl-C.");
    ladder_server::serve(state, listener, async {
        tokio::signal::ctrl_c().await.ok();
    })
    .await
}
