//! Syncing the three feeds at volume: the first sync into an empty cache, a sync with no
//! changes, and replaying an applied page, with the baselines they are held against.
//!
//! The reference server runs in this process on 127.0.0.1 port 0, serving the router of
//! [`greenmile_server::routes`] behind a layer that counts requests, so "one request per
//! collection" is counted, not inferred from the sync's report.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use greenmile_api::BillPage;
use greenmile_core::db::bills;
use greenmile_core::{Cache, GreenApi, sync};
use greenmile_server::bulk::Volume;
use greenmile_server::demo::DemoData;
use greenmile_server::routes::{self, AppState};
use greenmile_server::{Store, bulk};
use tokio::task::JoinHandle;

use crate::table::Row;
use crate::{baseline, bench_now, ms};

/// How many bill pages the replay figure applies twice.
const REPLAY_PAGES: usize = 20;

/// What the sync measurements leave for the rest of the suite.
#[derive(Debug)]
pub struct Feeds {
    /// The generated rows, as the server holds them.
    pub data: DemoData,
    /// A client of the server.
    pub api: GreenApi,
    /// The cache the first sync filled.
    pub cache: Cache,
    /// The table's rows about syncing.
    pub rows: Vec<Row>,
    /// Notes for under the table.
    pub notes: Vec<String>,
    store: Store,
    server: JoinHandle<()>,
}

impl Feeds {
    /// Stops the server and closes both databases.
    pub async fn stop(self) {
        self.server.abort();
        self.cache.close().await;
        self.store.close().await;
    }
}

/// Requests the server has answered.
static REQUESTS: AtomicU64 = AtomicU64::new(0);

/// Fills a server with `volume`, syncs it into an empty cache in `dir`, and measures.
pub async fn measure(dir: &Path, volume: Volume) -> anyhow::Result<Feeds> {
    let now = bench_now();
    let store = Store::open(&dir.join("server.sqlite")).await?;
    let user = store.add_user("bench@example.invalid", "not used to sign in", now).await?;
    store.seed_bulk(user, volume, now).await?;
    let tokens = store.issue_tokens(user, chrono::Utc::now()).await?;
    let data = bulk::dataset(volume, now);
    let rows_total = (data.bills.len() + data.offers.len() + data.carbon.len()) as f64;

    // Every answer names its store, as the real server's do: the client checks it on each
    // feed page.
    let store_id = axum::http::HeaderValue::from_str(&store.id().await?)?;
    let app = routes::router(AppState::new(store.clone())).layer(axum::middleware::from_fn(
        move |request, next: axum::middleware::Next| {
            let store_id = store_id.clone();
            async move {
                REQUESTS.fetch_add(1, Ordering::Relaxed);
                let mut response = next.run(request).await;
                response.headers_mut().insert(greenmile_api::STORE_ID_HEADER, store_id);
                response
            }
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/", listener.local_addr()?);
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let api = GreenApi::new(&url)?.with_session(tokens.into(), None);

    // The first sync, into an empty cache.
    let cache = Cache::open(&dir.join("cache.sqlite")).await?;
    REQUESTS.store(0, Ordering::Relaxed);
    let started = Instant::now();
    let report = sync::sync_all(&api, &cache, &bench_now, &|_| {}).await?;
    let first = started.elapsed();
    let first_requests = REQUESTS.load(Ordering::Relaxed);
    anyhow::ensure!(report.changes() as f64 == rows_total, "the first sync applied every row");

    let limits = baseline::measure(dir, &data).await.context("baselines")?;
    let mut rows = vec![
        Row::plain(
            "First sync: bills + offers + carbon entries",
            format!(
                "{:.3} s ({} rows, {:.0} rows/s, {} requests)",
                first.as_secs_f64(),
                rows_total,
                rows_total / first.as_secs_f64(),
                first_requests
            ),
            "≤ 1.0 s at 210k rows",
            Some(first.as_secs_f64() * FULL_ROWS / rows_total <= 1.0),
        ),
        ratio_row("First sync vs raw rusqlite", first, "rusqlite", limits.rusqlite, 2.0),
        ratio_row("First sync vs INSERT … SELECT", first, "INSERT … SELECT", limits.copy, 3.0),
    ];

    // A sync with nothing new.
    REQUESTS.store(0, Ordering::Relaxed);
    let started = Instant::now();
    let again = sync::sync_all(&api, &cache, &bench_now, &|_| {}).await?;
    let idle = started.elapsed();
    let idle_requests = REQUESTS.load(Ordering::Relaxed);
    // One request per feed, and one for the education catalogue.
    let expected = sync::COLLECTIONS.len() as u64 + 1;
    rows.push(Row::plain(
        "Sync with no changes: requests",
        format!("{idle_requests} ({} changes)", again.changes()),
        &format!("{expected} (one per collection, one for the catalogue)"),
        Some(idle_requests <= expected && again.changes() == 0),
    ));
    rows.push(Row::plain(
        "Sync with no changes: time",
        format!("{:.1} ms", ms(idle)),
        "≤ 50 ms",
        Some(ms(idle) <= 50.0),
    ));

    rows.extend(replay(dir, &api).await?);

    let notes = vec![format!(
        "Volume: {} bills, {} offers, {} carbon entries ({} rows); the first-sync target is \
         scaled to the rows synced.",
        data.bills.len(),
        data.offers.len(),
        data.carbon.len(),
        rows_total
    )];
    Ok(Feeds { data, api, cache, rows, notes, store, server })
}

/// The rows of the full volume, which the 1 s target is set for.
const FULL_ROWS: f64 = 210_000.0;

fn ratio_row(figure: &str, measured: Duration, name: &str, base: Duration, at_most: f64) -> Row {
    let ratio = measured.as_secs_f64() / base.as_secs_f64().max(1e-9);
    Row {
        figure: figure.to_owned(),
        measured: format!("{:.3} s", measured.as_secs_f64()),
        baseline: format!("{name} {:.3} s", base.as_secs_f64()),
        ratio: format!("{ratio:.2}×"),
        target: format!("≤ {at_most}×"),
        met: Some(ratio <= at_most),
    }
}

/// Applies the first bill pages to a fresh cache, then applies them again: the replay must
/// change nothing and cost a fraction of the first apply.
async fn replay(dir: &Path, api: &GreenApi) -> anyhow::Result<Vec<Row>> {
    let cache = Cache::open(&dir.join("replay.sqlite")).await?;
    let mut pages: Vec<BillPage> = Vec::new();
    let mut cursor: Option<String> = None;
    while pages.len() < REPLAY_PAGES {
        let answer =
            api.page::<BillPage>("bills", cursor.as_deref(), sync::PAGE_LIMIT, None).await?;
        let page = answer.page.ok_or_else(|| anyhow::anyhow!("304 to a request without a tag"))?;
        let more = page.has_more;
        cursor = Some(page.next_cursor.clone());
        pages.push(page);
        if !more {
            break;
        }
    }

    let apply = |pages: &[BillPage]| {
        let cache = cache.clone();
        let pages = pages.to_vec();
        async move {
            let (mut spent, mut changed) = (Duration::ZERO, 0);
            for page in &pages {
                let started = Instant::now();
                let mut tx = cache.begin_write().await?;
                changed += bills::upsert(&mut tx, &page.upserts).await?;
                tx.commit().await?;
                spent += started.elapsed();
            }
            anyhow::Ok((spent, changed))
        }
    };
    let (first, applied) = apply(&pages).await?;
    let (again, changed) = apply(&pages).await?;
    cache.close().await;

    let share = again.as_secs_f64() / first.as_secs_f64().max(1e-9);
    Ok(vec![
        Row {
            figure: format!("Replay of {} applied bill pages: time", pages.len()),
            measured: format!("{:.1} ms", ms(again)),
            baseline: format!("first apply {:.1} ms ({applied} rows)", ms(first)),
            ratio: format!("{:.0} %", share * 100.0),
            target: "≤ 30 %".to_owned(),
            met: Some(share <= 0.30),
        },
        Row::plain(
            "Replay of applied pages: rows changed",
            changed.to_string(),
            "0",
            Some(changed == 0),
        ),
    ])
}
