//! What the screens ask of a full cache, timed: the dashboard's aggregates, a search, a page
//! of the bill list; and the bill list read again and again while a sync writes into the
//! same file, which must neither stall a frame (16 ms) nor fail with SQLITE_BUSY.
//!
//! Each query runs once untimed to warm SQLite's page cache, then `runs` times; the table
//! shows the 99th percentile (nearest rank) and the median as its baseline.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono_tz::Asia::Shanghai;
use greenmile_core::db::bills::{self, BillFilter, BillQuery};
use greenmile_core::{Cache, CoreError, dashboard, sync};

use crate::feeds::Feeds;
use crate::table::Row;
use crate::{bench_now, ms, percentile};

/// What the search figure types, in turn: merchants, items, Chinese and English, long and
/// short (the short ones go to LIKE, not the trigram index).
const SEARCHES: [&str; 6] = ["北京地铁", "地铁出行", "Metro", "书桌", "kWh", "单车 骑行"];

/// Bills per page of the list screen.
const PAGE: u32 = 50;

/// The most time one figure's runs may take: a slow cache stops early with fewer samples,
/// so the whole suite stays within minutes.
const BUDGET: Duration = Duration::from_secs(15);

/// Whether to stop timing: every run done, or the budget spent.
fn enough(samples: &[Duration], runs: usize) -> bool {
    samples.len() >= runs || samples.iter().sum::<Duration>() >= BUDGET
}

/// Times the screens' queries on the synced cache, and reads during a sync into `dir`.
pub async fn measure(feeds: &Feeds, dir: &Path, runs: usize) -> anyhow::Result<Vec<Row>> {
    let pool = feeds.cache.pool();
    let total = bills::count(pool).await?;
    let mut rows = Vec::new();

    let mut samples = Vec::with_capacity(runs);
    for n in 0..=runs {
        if enough(&samples, runs) {
            break;
        }
        let started = Instant::now();
        dashboard::dashboard(pool, bench_now(), Shanghai).await?;
        if n > 0 {
            samples.push(started.elapsed());
        }
    }
    rows.push(latency_row(&format!("Dashboard aggregates, {total} bills"), &samples, 5.0));

    let mut samples = Vec::with_capacity(runs);
    for n in 0..=runs {
        if enough(&samples, runs) {
            break;
        }
        let text = SEARCHES[n % SEARCHES.len()];
        let filter = BillFilter { search: Some(text.to_owned()), ..Default::default() };
        let query = BillQuery { limit: PAGE, filter, after: None };
        let started = Instant::now();
        bills::list(pool, &query, Shanghai).await?;
        if n > 0 {
            samples.push(started.elapsed());
        }
    }
    rows.push(latency_row(&format!("Search, {total} bills, a page of {PAGE}"), &samples, 20.0));

    // Pages anywhere in the list, as a scrolled virtual list asks for them: the list is read
    // by key, so each page starts from the position the page before it ended at. A fixed
    // stride over every page's position keeps runs comparable.
    let positions = page_positions(pool).await?;
    let mut samples = Vec::with_capacity(runs);
    for n in 0..=runs {
        if enough(&samples, runs) {
            break;
        }
        let after = positions[n * 7_919 % positions.len()].clone();
        let query = BillQuery { limit: PAGE, after, ..Default::default() };
        let started = Instant::now();
        bills::list(pool, &query, Shanghai).await?;
        if n > 0 {
            samples.push(started.elapsed());
        }
    }
    rows.push(latency_row(&format!("A page of {PAGE} bills, {total} bills"), &samples, 5.0));

    rows.extend(reads_during_sync(feeds, dir).await?);
    Ok(rows)
}

/// Where every page of the whole list starts (`None` for the first), found by walking it.
async fn page_positions(pool: &sqlx::SqlitePool) -> anyhow::Result<Vec<Option<String>>> {
    let mut positions = vec![None];
    let mut query = BillQuery { limit: PAGE, ..Default::default() };
    while let Some(next) = bills::list(pool, &query, Shanghai).await?.next {
        positions.push(Some(next.clone()));
        query.after = Some(next);
    }
    Ok(positions)
}

fn latency_row(figure: &str, samples: &[Duration], target_ms: f64) -> Row {
    let p99 = ms(percentile(samples, 99.0));
    let p50 = ms(percentile(samples, 50.0));
    Row {
        figure: format!("{figure}: p99 of {}", samples.len()),
        measured: format!("{p99:.2} ms"),
        baseline: format!("p50 {p50:.2} ms"),
        ratio: format!("{:.1}×", p99 / p50.max(1e-6)),
        target: format!("p99 ≤ {target_ms} ms"),
        met: Some(p99 <= target_ms),
    }
}

/// A first sync into a new cache, with the first page of the bill list read in a loop from
/// the same cache until it ends.
async fn reads_during_sync(feeds: &Feeds, dir: &Path) -> anyhow::Result<Vec<Row>> {
    let cache = Cache::open(&dir.join("concurrent.sqlite")).await?;
    let writer = {
        let (api, cache) = (feeds.api.clone(), cache.clone());
        tokio::spawn(async move { sync::sync_all(&api, &cache, &bench_now, &|_| {}).await })
    };

    let (mut samples, mut busy, mut other) = (Vec::new(), 0, Vec::new());
    let query = BillQuery { limit: PAGE, ..Default::default() };
    while !writer.is_finished() {
        let started = Instant::now();
        match bills::list(cache.pool(), &query, Shanghai).await {
            Ok(_) => samples.push(started.elapsed()),
            Err(error) if is_busy(&error) => busy += 1,
            Err(error) => other.push(error.to_string()),
        }
        // A screen reads when the user scrolls, not in a hot loop that starves the writer.
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    writer.await??;
    cache.close().await;
    anyhow::ensure!(other.is_empty(), "reads failed during a sync: {other:?}");

    let p99 = ms(percentile(&samples, 99.0));
    Ok(vec![
        Row {
            figure: format!("Reads during a sync: p99 of {}", samples.len()),
            measured: format!("{p99:.2} ms"),
            baseline: format!("p50 {:.2} ms", ms(percentile(&samples, 50.0))),
            ratio: "—".to_owned(),
            target: "p99 ≤ 16 ms".to_owned(),
            met: Some(p99 <= 16.0),
        },
        Row::plain("Reads during a sync: SQLITE_BUSY", busy.to_string(), "0", Some(busy == 0)),
    ])
}

/// Whether SQLite gave up waiting for a lock (SQLITE_BUSY or SQLITE_LOCKED, any extended code).
fn is_busy(error: &CoreError) -> bool {
    match error {
        CoreError::Cache(sqlx::Error::Database(db)) => {
            let code = db.code().and_then(|c| c.parse::<i32>().ok()).unwrap_or(0);
            matches!(code & 0xff, 5 | 6)
        }
        _ => false,
    }
}
