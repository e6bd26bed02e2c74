//! `greenmile-faults`: the fault-injection suite.
//!
//! Each run takes one seed. From it the run builds a small data set on a reference server in
//! fault mode (the seed also drives the server's faults), then works through a few steps: the
//! real `greenmile` binary syncs with small pages or saves a setting, and is killed with
//! SIGKILL at a seeded point (after the server has seen a number of its requests, or a few
//! milliseconds in); between steps the server's data changes. After every step the cache is
//! checked ([`check`]); at the end the faults are turned off, one last sync must succeed, and
//! the cache must equal the server row for row with every local write recorded there once.
//!
//! A failing run prints its seed; `greenmile-faults --seed N` replays it.

mod check;
mod run;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Parser;

/// Runs the real client against a misbehaving server and checks the cache after every crash.
#[derive(Debug, Parser)]
#[command(name = "greenmile-faults", version, about)]
struct Args {
    /// Replay this one seed, printing what each step did.
    #[arg(long, conflicts_with_all = ["runs", "first"])]
    seed: Option<u64>,

    /// How many seeds to run.
    #[arg(long, default_value_t = 100)]
    runs: u64,

    /// The first seed.
    #[arg(long, default_value_t = 0)]
    first: u64,

    /// Runs at a time.
    #[arg(long, default_value_t = 4)]
    jobs: usize,

    /// The `greenmile` binary to test (default: built now with cargo, next to this one).
    #[arg(long, value_name = "PATH")]
    greenmile: Option<PathBuf>,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    // The servers' own failures (not the injected ones) go to stderr, to explain a failing seed.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "greenmile_server=error".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let greenmile = match &args.greenmile {
        Some(path) => path.clone(),
        None => build_greenmile()?,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(suite(args, greenmile))
}

async fn suite(args: Args, greenmile: PathBuf) -> anyhow::Result<()> {
    let world = Arc::new(run::World::new(greenmile));
    let (seeds, verbose) = match args.seed {
        Some(seed) => (seed..seed + 1, true),
        None => (args.first..args.first + args.runs, false),
    };
    let started = Instant::now();
    let total = seeds.end - seeds.start;

    let gate = Arc::new(tokio::sync::Semaphore::new(args.jobs.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for seed in seeds {
        let world = world.clone();
        let permit = gate.clone().acquire_owned().await.context("the job gate closed")?;
        tasks.spawn(async move {
            let outcome = run::run(&world, seed, verbose).await;
            drop(permit);
            (seed, outcome)
        });
    }

    let mut failed = Vec::new();
    let mut stats = run::Stats::default();
    while let Some(done) = tasks.join_next().await {
        let (seed, outcome) = done.context("a run panicked")?;
        match outcome {
            Ok(s) => stats.add(&s),
            Err(error) => {
                println!("seed {seed} FAILED: {error:#}");
                println!("  replay: cargo run -p greenmile-faults -- --seed {seed}");
                failed.push(seed);
            }
        }
    }

    println!(
        "{total} runs in {:.1} s: {} client processes, {} killed, {} syncs ended in an error \
         the client reported, {} server requests; {} failed",
        started.elapsed().as_secs_f64(),
        stats.processes,
        stats.killed,
        stats.sync_errors,
        stats.requests,
        failed.len(),
    );
    if !failed.is_empty() {
        failed.sort_unstable();
        bail!("{} runs failed; seeds {:?}", failed.len(), failed);
    }
    Ok(())
}

/// Builds `greenmile` with the same cargo and profile as this binary, so the suite always tests
/// the current code, and returns its path.
fn build_greenmile() -> anyhow::Result<PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(cargo)
        .args(["build", "--quiet", "-p", "greenmile-cli", "--bin", "greenmile"])
        .status()
        .context("cannot run cargo to build greenmile; pass --greenmile PATH")?;
    if !status.success() {
        bail!("building greenmile failed");
    }
    let here = std::env::current_exe().context("cannot find this program's path")?;
    let mut dir = here.parent().map(PathBuf::from).unwrap_or_default();
    // A test binary lives one folder further down, in deps/.
    if dir.ends_with("deps") {
        dir.pop();
    }
    let path = dir.join(format!("greenmile{}", std::env::consts::EXE_SUFFIX));
    if !path.exists() {
        bail!("no greenmile binary at {}; pass --greenmile PATH", path.display());
    }
    Ok(path)
}
