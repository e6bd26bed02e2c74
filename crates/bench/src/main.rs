//! `greenmile-bench`: runs the benchmark suite and writes its table.
//!
//! `scripts/bench.sh` builds it in release and runs it under Xvfb with the desktop app, its
//! `.deb` and the import benchmark's output; run alone it measures the core only.

use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use greenmile_bench::{Options, table};

/// GreenMile's benchmark suite: figures at volume beside baselines measured in the same run.
#[derive(Debug, Parser)]
#[command(name = "greenmile-bench", version, about)]
struct Args {
    /// A fraction of the full volume (100k bills, 10k offers, 100k carbon entries).
    #[arg(long, default_value_t = 1.0)]
    scale: f64,

    /// How many times each screen query is timed (fewer when they take over 15 s in all).
    #[arg(long, default_value_t = 300)]
    runs: usize,

    /// The release desktop binary, for its size, start-up and memory.
    #[arg(long, value_name = "BINARY")]
    desktop: Option<PathBuf>,

    /// The `.deb` package, for its size.
    #[arg(long, value_name = "FILE")]
    deb: Option<PathBuf>,

    /// The saved output of `cargo bench -p greenmile-core --bench import`.
    #[arg(long, value_name = "FILE")]
    import_output: Option<PathBuf>,

    /// Leave the synced caches and the server's store in this new folder (for `sqlite3`).
    #[arg(long, value_name = "DIR")]
    keep: Option<PathBuf>,

    /// Where to write the markdown results (they go to stdout too).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(args.scale > 0.0 && args.scale <= 10.0, "--scale must be in (0, 10]");
    let options = Options {
        scale: args.scale,
        query_runs: args.runs.max(1),
        desktop: args.desktop,
        deb: args.deb,
        import_output: args.import_output,
        keep: args.keep,
    };

    let report = greenmile_bench::run(&options).await?;
    let mut text = format!(
        "Measured {} with `greenmile-bench --scale {}` (SQLite {}, {} CPUs).\n\n",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        options.scale,
        rusqlite::version(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    );
    text.push_str(&table::markdown(&report.rows));
    text.push_str("\nCross-checks:\n\n");
    text.push_str(&table::check_lines(&report.checks));
    if !report.notes.is_empty() {
        text.push('\n');
        for note in &report.notes {
            text.push_str(&format!("{note}\n"));
        }
    }

    println!("{text}");
    if let Some(out) = &args.out {
        std::fs::write(out, &text).with_context(|| format!("cannot write {}", out.display()))?;
    }
    Ok(())
}
