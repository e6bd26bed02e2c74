//! `greenmile-server`: the reference Green API from a terminal.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;

/// The reference Green API server.
#[derive(Debug, Parser)]
#[command(name = "greenmile-server", version, about)]
struct Args {
    /// Seed the demo account (a household's two years of green bills) if the store is new.
    #[arg(long)]
    demo: bool,

    /// The address to listen on; port 0 picks a free one. Keep it on loopback unless a proxy
    /// with TLS stands in front.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,

    /// Add this many generated bills, offers and carbon entries to the store, such as
    /// 100000,10000,100000 (deterministic; for benchmarks).
    #[arg(long, value_name = "BILLS,OFFERS,CARBON")]
    bulk: Option<greenmile_server::bulk::Volume>,

    /// The SQLite file of the store. Without it, a temporary file is used and removed at exit.
    #[arg(long)]
    db: Option<PathBuf>,

    /// Seed the store from payment exports (Alipay, WeChat Pay, JD, Meituan; CSV or xlsx):
    /// their green bills, as the app's own import recognises them. With or without --demo.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    seed_from: Vec<PathBuf>,
    /// Misbehave on purpose, for testing clients: errors, delays, cut-off bodies, invalid
    /// items, replayed pages, with faults drawn reproducibly from SEED.
    #[arg(long, value_name = "SEED")]
    faults: Option<u64>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "greenmile_server=info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let args = Args::parse();

    let scratch = tempfile::tempdir().context("cannot create a temporary folder")?;
    let db = args.db.clone().unwrap_or_else(|| scratch.path().join("green-api.sqlite"));
    let now = chrono::Utc::now();
    if let Some(dir) = db.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let store = greenmile_server::Store::open(&db).await?;
    if args.demo {
        store.seed_demo(now).await?;
    }
    if let Some(volume) = args.bulk {
        store.seed_bulk(volume, now).await?;
    }
    if !args.seed_from.is_empty() {
        let seeded = greenmile_server::seed::seed_from_files(&store, &args.seed_from, now).await?;
        eprintln!(
            "seeded {} green bills from {} files ({} were already there)",
            seeded.bills_added,
            seeded.files.len(),
            seeded.bills_present
        );
    }
    let options = greenmile_server::StartOptions { faults: args.faults };
    let server = greenmile_server::start_with(args.listen, store, options).await?;

    // The URL alone on stdout, so scripts can read it; logs go to stderr.
    println!("{}", server.url());
    stopped().await?;
    server.stop().await;
    Ok(())
}

/// Waits for Ctrl-C, or SIGTERM where there is one, so the temporary store is removed either way.
async fn stopped() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).context("cannot wait for SIGTERM")?;
        tokio::select! {
            interrupted = tokio::signal::ctrl_c() => interrupted.context("cannot wait for Ctrl-C")?,
            _ = term.recv() => {}
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await.context("cannot wait for Ctrl-C")
    }
}
