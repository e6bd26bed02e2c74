//! GreenMile's benchmark suite.
//!
//! Machines differ and are noisy, so every figure is printed beside a baseline measured in the
//! same run, and the ratio between the two is what the targets hold. Nothing here fails on a
//! slow machine: a missed target is a row that says "missed".
//!
//! [`run`] builds a reference server full of generated data ([`greenmile_server::bulk`]) on
//! loopback and measures, in order:
//! - [`feeds`]: the first sync into an empty cache, a sync with no changes, and a replayed
//!   page, against the same rows written by raw rusqlite and by SQLite's INSERT … SELECT
//!   ([`baseline`]);
//! - [`queries`]: what the screens ask of the synced cache (dashboard, search, a page of
//!   bills) and reads made while a sync writes;
//! - [`checks`]: cross-checks of the figures (totals, months and categories, APRs by IRR);
//! - [`desktop`]: sizes, memory and cold start of the release app, when it is given.
//!
//! Import figures come from `cargo bench -p greenmile-core --bench import`, read by
//! [`table::import_rows`]. [`table`] renders the lot as a markdown table.

pub mod baseline;
pub mod checks;
pub mod desktop;
pub mod feeds;
pub mod queries;
pub mod table;

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use greenmile_server::bulk::Volume;

pub use table::{Check, Row};

/// The full volume: 100k bills, 10k offers, 100k carbon entries.
pub const FULL: Volume = Volume { bills: 100_000, offers: 10_000, carbon: 100_000 };

/// What to run.
#[derive(Debug, Clone)]
pub struct Options {
    /// A fraction of [`FULL`] (1.0 is the real volume; 0.01 checks the suite quickly).
    pub scale: f64,
    /// How many times each screen query is timed.
    pub query_runs: usize,
    /// The release desktop binary, to measure its size, memory and start-up.
    pub desktop: Option<PathBuf>,
    /// The `.deb` built from it, to measure its size.
    pub deb: Option<PathBuf>,
    /// The output of `cargo bench -p greenmile-core --bench import`, if it ran.
    pub import_output: Option<PathBuf>,
    /// A new folder to leave the caches and the server's store in, to look into afterwards;
    /// by default they go to a temporary folder that is removed.
    pub keep: Option<PathBuf>,
}

impl Options {
    /// The volume at this scale, at least one row of each kind.
    pub fn volume(&self) -> Volume {
        let of = |n: usize| ((n as f64 * self.scale).round() as usize).max(1);
        Volume { bills: of(FULL.bills), offers: of(FULL.offers), carbon: of(FULL.carbon) }
    }
}

/// Everything one run measured.
#[derive(Debug, Clone)]
pub struct Report {
    /// The volume synced.
    pub volume: Volume,
    /// The table's rows.
    pub rows: Vec<Row>,
    /// The cross-checks.
    pub checks: Vec<Check>,
    /// Notes printed under the table.
    pub notes: Vec<String>,
}

/// The instant every generated timestamp is relative to, so runs hold the same data.
pub fn bench_now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-04T08:00:00Z")
        .map(|t| t.to_utc())
        .unwrap_or(DateTime::UNIX_EPOCH)
}

/// Runs the suite.
pub async fn run(options: &Options) -> anyhow::Result<Report> {
    let volume = options.volume();
    let temporary = tempfile::tempdir()?;
    let dir = match &options.keep {
        Some(keep) => {
            anyhow::ensure!(
                !keep.exists(),
                "{} already exists; --keep needs a new folder",
                keep.display()
            );
            std::fs::create_dir_all(keep)?;
            keep.as_path()
        }
        None => temporary.path(),
    };
    let mut report = Report { volume, rows: Vec::new(), checks: Vec::new(), notes: Vec::new() };

    let feeds = feeds::measure(dir, volume).await?;
    report.rows.extend(feeds.rows.iter().cloned());
    report.notes.extend(feeds.notes.iter().cloned());

    report.rows.extend(queries::measure(&feeds, dir, options.query_runs).await?);
    report.checks.extend(checks::run(&feeds).await?);
    report.rows.extend(table::import_rows(options.import_output.as_deref()));
    if let Some(binary) = &options.desktop {
        report.rows.extend(desktop::measure(binary, options.deb.as_deref(), dir)?);
    } else {
        report.notes.push("Desktop figures were not measured (no --desktop binary).".to_owned());
    }

    feeds.stop().await;
    Ok(report)
}

/// The `p`th percentile (0 to 100) of `samples`, nearest rank.
pub fn percentile(samples: &[Duration], p: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    let mut sorted = samples.to_vec();
    sorted.sort();
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Milliseconds, for the table.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
