//! The outbox against the real reference server on loopback, with the cache in a SQLite file:
//! local writes reach the server in order, once each in effect, across restarts and lost
//! answers.

#![allow(clippy::unwrap_used)]

use std::net::{Ipv4Addr, SocketAddr};

use chrono::{DateTime, Utc};
use greenmile_core::{Cache, ErrorCode, outbox, settings, sync};
use greenmile_server::RunningServer;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-04T08:00:00Z").expect("valid instant").to_utc()
}

async fn server(dir: &std::path::Path) -> RunningServer {
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    greenmile_server::start_demo(&dir.join("server.sqlite"), listen, now())
        .await
        .expect("demo server starts")
}

fn pairs(list: &[(String, String)]) -> Vec<(&str, &str)> {
    list.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

#[tokio::test]
async fn settings_reach_the_server_in_order_once_each_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    let path = dir.path().join("cache.sqlite");

    let cache = Cache::open(&path).await.unwrap();
    settings::set(&cache, "locale", "zh-CN", "k-1", now()).await.unwrap();
    settings::set(&cache, "theme", "dark", "k-2", now()).await.unwrap();
    settings::set(&cache, "locale", "en", "k-3", now()).await.unwrap();
    let listed = settings::list(&cache).await.unwrap();
    assert!(listed.iter().all(|s| s.pending), "nothing delivered yet: {listed:?}");
    cache.close().await;

    // A restart: the writes are still there and go out with the next sync.
    let cache = Cache::open(&path).await.unwrap();
    let api = server.demo_client().await.unwrap();
    let report = sync::sync_all(&api, &cache, &now, &|_| {}).await.expect("sync");
    assert_eq!(report.outbox.applied, 3, "three writes applied");

    let writes = server.store().writes(server.demo_user().await.unwrap()).await.unwrap();
    let keys: Vec<(&str, i64)> = writes.iter().map(|w| (w.key.as_str(), w.deliveries)).collect();
    assert_eq!(keys, [("k-1", 1), ("k-2", 1), ("k-3", 1)], "in order, each once");
    let on_server = server.store().settings(server.demo_user().await.unwrap()).await.unwrap();
    assert_eq!(pairs(&on_server), [("locale", "en"), ("theme", "dark")], "the last value won");
    let listed = settings::list(&cache).await.unwrap();
    assert!(listed.iter().all(|s| !s.pending), "every setting delivered: {listed:?}");

    let again = sync::sync_all(&api, &cache, &now, &|_| {}).await.expect("sync again");
    assert_eq!(again.outbox, outbox::OutboxReport::default(), "nothing is sent twice");
    server.stop().await;
}

#[tokio::test]
async fn a_write_whose_answer_was_lost_is_sent_again_and_applied_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    let cache = Cache::open(&dir.path().join("cache.sqlite")).await.unwrap();
    let api = server.demo_client().await.unwrap();
    settings::set(&cache, "units", "metric", "k-1", now()).await.unwrap();
    sync::sync_all(&api, &cache, &now, &|_| {}).await.expect("sync");

    // As if the process died after the server applied the write but before the cache
    // recorded the answer.
    sqlx::query("UPDATE outbox SET delivered_at = NULL").execute(cache.pool()).await.unwrap();
    let report = sync::sync_all(&api, &cache, &now, &|_| {}).await.expect("sync");
    assert_eq!((report.outbox.applied, report.outbox.duplicates), (0, 1), "a duplicate");

    let writes = server.store().writes(server.demo_user().await.unwrap()).await.unwrap();
    assert_eq!(writes.len(), 1, "one record for the key");
    assert_eq!(writes[0].deliveries, 2, "which arrived twice");
    let pending = outbox::pending(cache.pool(), 10).await.unwrap();
    assert!(pending.is_empty(), "the repeat was acknowledged");
    server.stop().await;
}

#[tokio::test]
async fn a_refused_write_is_kept_with_the_reason_and_does_not_hold_back_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    let cache = Cache::open(&dir.path().join("cache.sqlite")).await.unwrap();
    let api = server.demo_client().await.unwrap();
    settings::set(&cache, "locale", "en", "k-1", now()).await.unwrap();
    sync::sync_all(&api, &cache, &now, &|_| {}).await.expect("sync");

    // The same key for another body (a second device that picked the same key), then a write
    // of a kind the server does not know, then a good one.
    let mut tx = cache.begin_write().await.unwrap();
    let other = serde_json::json!({"key": "locale", "value": "zh-CN"});
    sqlx::query("UPDATE outbox SET idempotency_key = 'k-1-old' WHERE idempotency_key = 'k-1'")
        .execute(&mut *tx)
        .await
        .unwrap();
    outbox::enqueue(&mut tx, "setting", "k-1", &other, now()).await.unwrap();
    outbox::enqueue(&mut tx, "wish", "k-2", &serde_json::json!({}), now()).await.unwrap();
    tx.commit().await.unwrap();
    settings::set(&cache, "theme", "light", "k-3", now()).await.unwrap();

    let report = sync::sync_all(&api, &cache, &now, &|_| {}).await.expect("sync");
    assert_eq!((report.outbox.refused, report.outbox.applied), (2, 1), "two refused, one applied");
    let rows = outbox::all(cache.pool()).await.unwrap();
    let error = |key: &str| {
        rows.iter().find(|r| r.idempotency_key == key).and_then(|r| r.last_error.clone())
    };
    assert!(error("k-1").unwrap_or_default().contains("idempotency_conflict"), "{rows:?}");
    assert!(error("k-2").unwrap_or_default().contains("unknown_kind"), "{rows:?}");
    assert!(rows.iter().all(|r| r.delivered_at.is_some()), "every row answered: {rows:?}");
    let on_server = server.store().settings(server.demo_user().await.unwrap()).await.unwrap();
    assert_eq!(
        pairs(&on_server),
        [("locale", "en"), ("theme", "light")],
        "refusals changed nothing"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_bad_setting_is_refused_locally_and_leaves_no_outbox_row() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(&dir.path().join("cache.sqlite")).await.unwrap();
    for (key, value) in
        [("", "x"), ("Locale", "en"), ("note", "a\u{7}b"), ("locale", "fr"), ("currency", "rmb")]
    {
        let err = settings::set(&cache, key, value, "k", now()).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{key:?}={value:?}: {err}");
    }
    assert!(outbox::all(cache.pool()).await.unwrap().is_empty(), "no row for a refused write");
    assert!(settings::list(&cache).await.unwrap().is_empty(), "and no setting");
}

#[tokio::test]
async fn an_unreachable_server_leaves_the_writes_pending_with_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(&dir.path().join("cache.sqlite")).await.unwrap();
    settings::set(&cache, "locale", "en", "k-1", now()).await.unwrap();
    let probe = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let url = format!("http://{}/", probe.local_addr().unwrap());
    drop(probe);
    let api =
        greenmile_core::GreenApi::with_retry(&url, greenmile_core::retry::RetryPolicy::fast(), 1)
            .unwrap();

    let err = sync::sync_all(&api, &cache, &now, &|_| {}).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ServerUnreachable, "{err}");
    let rows = outbox::pending(cache.pool(), 10).await.unwrap();
    assert_eq!(rows.len(), 1, "the write still waits");
    assert_eq!(rows[0].tries, 1, "the failed try is counted");
    assert!(rows[0].last_error.is_some(), "with its error");
}
