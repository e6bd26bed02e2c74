//! The cache file itself: a damaged file is moved aside and rebuilt, a full disk is a clear
//! error with nothing half-written, and readers are not blocked by the writer.

#![allow(clippy::unwrap_used)]

use std::io::{Seek, SeekFrom, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use chrono::{DateTime, Utc};
use greenmile_core::db::{bills, cursors};
use greenmile_core::{Cache, ErrorCode, outbox, settings, sync};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-04T08:00:00Z").expect("valid instant").to_utc()
}

async fn server(dir: &std::path::Path) -> greenmile_server::RunningServer {
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    greenmile_server::start_demo(&dir.join("server.sqlite"), listen, now()).await.unwrap()
}

#[tokio::test]
async fn a_damaged_cache_is_moved_aside_its_writes_kept_and_rebuilt_by_a_sync() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("greenmile.sqlite");
    let cache = Cache::open(&path).await.unwrap();
    assert!(cache.recovered().is_none(), "a new cache needed no recovery");
    settings::set(&cache, "locale", "en", "k-1", now()).await.unwrap();
    // Bills imported from an export exist only on this device: a sync cannot bring them back.
    let export = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/bills/greenmile/wechat-green.csv");
    greenmile_core::import::import_file(&cache, &export, now()).await.unwrap();
    // Enough rows that damage in the middle of the file lands in the bills table, far from
    // the outbox's first pages.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000)
         INSERT INTO bills (id, occurred_at, merchant, item, category, amount_minor, currency,
             certification, status, version)
         SELECT printf('x-%05d', i), '2026-01-01T00:00:00.000Z', 'm', hex(randomblob(40)),
             'public_transport', i, 'CNY', 'platform_reviewed', 'posted', 1 FROM n",
    )
    .execute(cache.pool())
    .await
    .unwrap();
    cache.close().await;

    let length = std::fs::metadata(&path).unwrap().len();
    let mut file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.seek(SeekFrom::Start(length * 3 / 5 / 4096 * 4096)).unwrap();
    file.write_all(&[0xA5; 8192]).unwrap();
    drop(file);

    let cache = Cache::open(&path).await.expect("a damaged cache still opens");
    let recovery = cache.recovered().expect("and says it was recovered").clone();
    assert_eq!(recovery.outbox_rows, 1, "the pending write was read out: {recovery:?}");
    assert!(std::path::Path::new(&recovery.moved_to).exists(), "the damaged file is kept aside");
    let export = std::fs::read_to_string(recovery.outbox_export.as_ref().unwrap()).unwrap();
    assert!(export.contains("k-1") && export.contains("locale"), "exported: {export}");
    assert_eq!(bills::count(cache.pool()).await.unwrap(), 0, "the new cache starts empty");
    assert!(
        recovery.salvaged.iter().any(|line| line == "imported_bills: 4 rows"),
        "the 4 imported bills were copied across: {recovery:?}"
    );
    let (imported,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM imported_bills")
        .fetch_one(cache.pool())
        .await
        .unwrap();
    assert_eq!(imported, 4, "and are in the new cache");
    let pending = outbox::pending(cache.pool(), 10).await.unwrap();
    assert_eq!(pending.len(), 1, "the write is queued again");
    assert_eq!(pending[0].idempotency_key, "k-1", "under its own key");
    let listed = settings::list(&cache).await.unwrap();
    assert_eq!((listed[0].key.as_str(), listed[0].pending), ("locale", true), "{listed:?}");

    let server = server(dir.path()).await;
    let api = server.demo_client().await.unwrap();
    let report = sync::sync_all(&api, &cache, &now, &|_| {}).await.expect("a fresh sync");
    assert_eq!(report.outbox.applied, 1, "the saved write reached the server");
    assert_eq!(bills::count(cache.pool()).await.unwrap(), 1817, "the cache is rebuilt");
    let (check,): (String,) =
        sqlx::query_as("PRAGMA integrity_check").fetch_one(cache.pool()).await.unwrap();
    assert_eq!(check, "ok", "the new file is sound");
    server.stop().await;
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("greenmile.sqlite");
    std::fs::write(&path, b"this is not a SQLite file, just some text that fills a page.").unwrap();
    let cache = Cache::open(&path).await.expect("opens afresh");
    let recovery = cache.recovered().expect("recovered");
    assert_eq!(recovery.outbox_rows, 0, "nothing could be read out");
    assert!(recovery.outbox_export.is_none(), "so no export was written");
    assert_eq!(
        std::fs::read(&recovery.moved_to).unwrap(),
        b"this is not a SQLite file, just some text that fills a page.",
        "the old file is kept byte for byte"
    );
}

#[tokio::test]
async fn a_full_disk_is_a_coded_error_and_leaves_nothing_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(&dir.path().join("greenmile.sqlite")).await.unwrap();
    let server = server(dir.path()).await;
    let api = server.demo_client().await.unwrap();

    // Cap the writer's file at two pages over its size: the first page of bills cannot fit.
    let mut tx = cache.begin_write().await.unwrap();
    let (pages,): (i64,) = sqlx::query_as("PRAGMA page_count").fetch_one(&mut *tx).await.unwrap();
    sqlx::query(&format!("PRAGMA max_page_count = {}", pages + 2)).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();

    let err = sync::sync_all(&api, &cache, &now, &|_| {}).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::DiskFull, "SQLITE_FULL has its own code: {err}");
    assert_eq!(bills::count(cache.pool()).await.unwrap(), 0, "no part of the page was kept");
    assert_eq!(cursors::get(cache.pool(), "bills").await.unwrap(), None, "nor its cursor");
    server.stop().await;
}

#[tokio::test]
async fn readers_are_not_blocked_by_the_writer_and_writers_take_turns() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(&dir.path().join("greenmile.sqlite")).await.unwrap();
    let mut tx = cache.begin_write().await.unwrap();
    sqlx::query("INSERT INTO settings (key, value, updated_at) VALUES ('a', 'b', 'c')")
        .execute(&mut *tx)
        .await
        .unwrap();

    // A reader sees the last committed state at once, while the write is open.
    let read = tokio::time::timeout(Duration::from_secs(1), settings::list(&cache)).await;
    assert!(read.expect("the reader was not blocked").unwrap().is_empty(), "nothing committed");

    // A second writer waits for the first instead of failing half-way.
    let second = cache.clone();
    let waiting =
        tokio::spawn(async move { settings::set(&second, "theme", "dark", "k-2", now()).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!waiting.is_finished(), "the second writer waits its turn");
    tx.commit().await.unwrap();
    waiting.await.unwrap().expect("and then writes");
    assert_eq!(settings::list(&cache).await.unwrap().len(), 2, "both writes are in");
}

#[tokio::test]
async fn readers_map_the_file_and_keep_sorts_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(&dir.path().join("greenmile.sqlite")).await.unwrap();

    let mut reader = cache.pool().acquire().await.unwrap();
    let (cache_size,): (i64,) =
        sqlx::query_as("PRAGMA cache_size").fetch_one(&mut *reader).await.unwrap();
    let (mmap_size,): (i64,) =
        sqlx::query_as("PRAGMA mmap_size").fetch_one(&mut *reader).await.unwrap();
    let (temp_store,): (i64,) =
        sqlx::query_as("PRAGMA temp_store").fetch_one(&mut *reader).await.unwrap();

    assert_eq!(cache_size, -8 * 1024, "an 8 MiB page cache per reader, not SQLite's 2 MB");
    assert_eq!(mmap_size, 256 * 1024 * 1024, "reads go through a 256 MiB memory map");
    assert_eq!(temp_store, 2, "GROUP BY and ORDER BY b-trees stay in memory");
}

/// sqlx's pool upkeep task can read the idle count while a release has it below zero and
/// spin forever (sqlx #3645); it runs only when connections may expire, so none do.
#[tokio::test]
async fn the_pools_never_expire_connections_so_no_upkeep_task_runs() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(&dir.path().join("c.sqlite")).await.unwrap();
    let options = cache.pool().options();
    assert_eq!((options.get_idle_timeout(), options.get_max_lifetime()), (None, None));
    assert_eq!(options.get_min_connections(), 0, "nor is a minimum kept up");
    let made = greenmile_core::db::pool_options(1);
    assert_eq!((made.get_idle_timeout(), made.get_max_lifetime()), (None, None));
    assert!(!made.get_test_before_acquire(), "a local file needs no ping");
}
