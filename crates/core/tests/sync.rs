//! The sync engine against the real reference server on loopback, into a SQLite file in a
//! temporary folder.

#![allow(clippy::unwrap_used)]

use std::net::{Ipv4Addr, SocketAddr};

use chrono::{DateTime, Utc};
use greenmile_api::{Bill, Money};
use greenmile_core::db::{bills, cursors};
use greenmile_core::retry::RetryPolicy;
use greenmile_core::{Cache, ErrorCode, GreenApi, SyncReport, sync};
use greenmile_server::{Collection, RunningServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Fixture {
    _dir: tempfile::TempDir,
    server: RunningServer,
    cache: Cache,
    api: GreenApi,
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-04T08:00:00Z").expect("valid instant").to_utc()
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let server = greenmile_server::start_demo(&dir.path().join("server.sqlite"), listen, now())
        .await
        .expect("demo server starts");
    let cache = Cache::open(&dir.path().join("cache.sqlite")).await.expect("cache opens");
    let api = server.demo_client().await.unwrap();
    Fixture { _dir: dir, server, cache, api }
}

async fn run_sync(f: &Fixture) -> greenmile_core::error::Result<SyncReport> {
    sync::sync_all(&f.api, &f.cache, &now, &|_| {}).await
}

fn collection<'a>(report: &'a SyncReport, name: &str) -> &'a greenmile_core::CollectionReport {
    report.collections.iter().find(|c| c.collection == name).expect("collection in report")
}

async fn count(cache: &Cache, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    let (n,): (i64,) = sqlx::query_as(&sql).fetch_one(cache.pool()).await.expect("count");
    n
}

#[tokio::test]
async fn first_sync_copies_every_collection_and_a_second_applies_nothing() {
    let f = fixture().await;
    let demo = greenmile_server::demo::demo_dataset(now());

    let first = run_sync(&f).await.expect("first sync");
    assert_eq!(count(&f.cache, "bills").await, demo.bills.len() as i64, "every demo bill cached");
    assert_eq!(count(&f.cache, "offers").await, demo.offers.len() as i64, "every offer cached");
    assert_eq!(
        count(&f.cache, "carbon_entries").await,
        demo.carbon.len() as i64,
        "every carbon entry cached"
    );
    assert_eq!(collection(&first, "bills").upserted, demo.bills.len() as u64, "all bills new");
    assert!(collection(&first, "bills").pages >= 2, "bills arrive over several pages");

    let served_before = f.server.requests();
    let second = run_sync(&f).await.expect("second sync");
    assert_eq!(second.changes(), 0, "a sync with no server changes applies nothing");
    for c in &second.collections {
        assert!(c.not_modified, "{}: the server answered 304", c.collection);
        assert_eq!((c.pages, c.requests), (0, 1), "{}: one request, no page", c.collection);
    }
    assert_eq!(
        f.server.requests() - served_before,
        5,
        "the server saw one request per collection, one for the catalogue and no health check"
    );

    let spend: (i64,) = sqlx::query_as("SELECT SUM(amount_minor) FROM bills")
        .fetch_one(f.cache.pool())
        .await
        .expect("sum");
    let expected: i64 = demo.bills.iter().map(|b| b.amount.minor).sum();
    assert_eq!(spend.0, expected, "cached spend equals the server's, to the fen");
    f.server.stop().await;
}

#[tokio::test]
async fn a_tombstone_removes_the_bill_and_an_update_replaces_it() {
    let f = fixture().await;
    run_sync(&f).await.expect("first sync");
    let before = count(&f.cache, "bills").await;

    f.server
        .store()
        .delete(f.server.demo_user().await.unwrap(), Collection::Bills, "b-00001")
        .await
        .expect("delete on server");
    let mut changed: Bill = f
        .server
        .store()
        .bill(f.server.demo_user().await.unwrap(), "b-00002")
        .await
        .expect("bill exists");
    changed.amount = Money::cny(4_321);
    changed.version += 1;
    f.server
        .store()
        .put_bill(f.server.demo_user().await.unwrap(), &changed)
        .await
        .expect("update on server");

    let report = run_sync(&f).await.expect("sync after changes");
    assert_eq!(collection(&report, "bills").deleted, 1, "one tombstone applied");
    assert_eq!(collection(&report, "bills").upserted, 1, "one bill updated");
    assert_eq!(count(&f.cache, "bills").await, before - 1, "the deleted bill is gone");

    let (gone,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM bills WHERE id = 'b-00001'")
        .fetch_one(f.cache.pool())
        .await
        .expect("query");
    assert_eq!(gone, 0, "the tombstoned bill is not in the cache");
    let (amount,): (i64,) = sqlx::query_as("SELECT amount_minor FROM bills WHERE id = 'b-00002'")
        .fetch_one(f.cache.pool())
        .await
        .expect("query");
    assert_eq!(amount, 4_321, "the cache holds the newer version");
    f.server.stop().await;
}

#[tokio::test]
async fn replaying_applied_pages_changes_nothing() {
    let f = fixture().await;
    run_sync(&f).await.expect("first sync");
    let spend_before: (i64,) = sqlx::query_as("SELECT SUM(amount_minor) FROM bills")
        .fetch_one(f.cache.pool())
        .await
        .unwrap();

    // Rewind the bills cursor to the start, as a crash before the cursor was stored would.
    let mut conn = f.cache.pool().acquire().await.unwrap();
    sqlx::query("DELETE FROM sync_cursors WHERE collection = 'bills'")
        .execute(&mut *conn)
        .await
        .unwrap();
    drop(conn);

    let replay = run_sync(&f).await.expect("replay");
    assert_eq!(collection(&replay, "bills").upserted, 0, "known versions are not applied again");
    let spend_after: (i64,) = sqlx::query_as("SELECT SUM(amount_minor) FROM bills")
        .fetch_one(f.cache.pool())
        .await
        .unwrap();
    assert_eq!(spend_before, spend_after, "a replay leaves every amount as it was");
    f.server.stop().await;
}

#[tokio::test]
async fn an_unreachable_server_is_a_clear_error_and_the_cache_stays() {
    let f = fixture().await;
    run_sync(&f).await.expect("first sync");
    let before = count(&f.cache, "bills").await;

    // A port that was just free: nothing listens there.
    let probe = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = probe.local_addr().unwrap().port();
    drop(probe);
    let api = GreenApi::new(&format!("http://127.0.0.1:{port}/")).unwrap();

    let err = sync::sync_all(&api, &f.cache, &now, &|_| {}).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ServerUnreachable, "connection refused: {err}");
    assert!(err.to_string().contains(&format!("127.0.0.1:{port}")), "names the address: {err}");
    assert_eq!(count(&f.cache, "bills").await, before, "the cache is unchanged");
    f.server.stop().await;
}

/// A server that answers every request with `response` (a whole HTTP/1.1 response) as the
/// store `server_id`, until aborted; it counts the requests it got.
async fn canned_server(
    server_id: String,
    response: String,
) -> (String, tokio::task::JoinHandle<()>, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let requests = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = requests.clone();
    let answer = response.replacen("\r\n", &format!("\r\nGreen-Store-Id: {server_id}\r\n"), 1);
    let task = tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            let _ = socket.write_all(answer.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    (url, task, requests)
}

fn json_response(body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
}

#[tokio::test]
async fn a_response_that_is_not_the_contract_changes_nothing() {
    let f = fixture().await;
    run_sync(&f).await.expect("first sync");
    let before = count(&f.cache, "bills").await;
    let cursor_before = cursors::get(f.cache.pool(), "bills").await.unwrap();

    let cases = [
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n<html></html>",
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{\"upserts\":[",
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
    ];
    let id = f.server.store().id().await.unwrap();
    for response in cases {
        let (url, task, _) = canned_server(id.clone(), response.to_owned()).await;
        let api = GreenApi::new(&url).unwrap();
        let err = sync::sync_all(&api, &f.cache, &now, &|_| {}).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::BadResponse, "not the contract: {err}");
        task.abort();
    }

    assert_eq!(count(&f.cache, "bills").await, before, "no bill lost or added");
    assert_eq!(cursors::get(f.cache.pool(), "bills").await.unwrap(), cursor_before, "cursor kept");
    f.server.stop().await;
}

#[tokio::test]
async fn a_problem_document_surfaces_its_code() {
    let f = fixture().await;
    let mut conn = f.cache.pool().acquire().await.unwrap();
    cursors::set(&mut conn, "bills", "not-a-cursor", now()).await.unwrap();
    drop(conn);

    let err = run_sync(&f).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ServerError, "the server refused the cursor: {err}");
    assert!(err.to_string().contains("invalid_cursor"), "the problem's code is kept: {err}");
    assert_eq!(bills::count(f.cache.pool()).await.unwrap(), 0, "nothing was applied");
    f.server.stop().await;
}

#[tokio::test]
async fn a_cache_never_mixes_two_servers_data() {
    let f = fixture().await;
    run_sync(&f).await.expect("first sync");
    let before = count(&f.cache, "bills").await;

    let other_dir = tempfile::tempdir().unwrap();
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let other = greenmile_server::start_demo(&other_dir.path().join("s.sqlite"), listen, now())
        .await
        .unwrap();
    let api = other.demo_client().await.unwrap();

    let err = sync::sync_all(&api, &f.cache, &now, &|_| {}).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "another server's data is refused: {err}");
    assert!(err.to_string().contains("another server"), "the message says why: {err}");
    assert_eq!(count(&f.cache, "bills").await, before, "the cache is unchanged");

    // The same server at a new address (a demo server's port changes) is still welcome.
    let moved = GreenApi::new(&f.server.url().replace("127.0.0.1", "localhost"))
        .unwrap()
        .with_session(f.server.demo_tokens().await.unwrap().into(), None);
    let report = sync::sync_all(&moved, &f.cache, &now, &|_| {}).await.expect("same server");
    assert_eq!(report.changes(), 0, "nothing new from the same server");
    other.stop().await;
    f.server.stop().await;
}

#[tokio::test]
async fn a_redirect_off_loopback_over_plain_http_is_refused() {
    let f = fixture().await;
    let id = f.server.store().id().await.unwrap();
    let redirect = "HTTP/1.1 302 Found\r\nLocation: http://green.example.invalid/v1/bills\r\n\
                    Content-Length: 0\r\nConnection: close\r\n\r\n";
    let (url, task, _) = canned_server(id, redirect.to_owned()).await;
    let api = GreenApi::new(&url).unwrap();

    let err = sync::sync_all(&api, &f.cache, &now, &|_| {}).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::BadResponse, "the redirect is not followed: {err}");
    assert!(err.to_string().contains("refused a redirect"), "and says so: {err}");
    assert_eq!(count(&f.cache, "bills").await, 0, "nothing was cached");
    task.abort();
    f.server.stop().await;
}

#[tokio::test]
async fn a_cursor_that_never_moves_stops_the_sync() {
    let f = fixture().await;
    let id = f.server.store().id().await.unwrap();
    let stuck =
        json_response(r#"{"upserts":[],"tombstones":[],"next_cursor":"s1","has_more":true}"#);
    let (url, task, requests) = canned_server(id, stuck).await;
    let api = GreenApi::new(&url).unwrap();

    let err = sync::sync_all(&api, &f.cache, &now, &|_| {}).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::BadResponse, "a stuck cursor is not the contract: {err}");
    let asked = requests.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(asked, 2, "the first page, and the page that repeated the cursor");
    task.abort();
    f.server.stop().await;
}

/// A server that answers `/v1/bills` with `bills_body` and the other feeds with an empty last
/// page, as the store `server_id`, until aborted.
async fn bills_only_server(
    server_id: String,
    bills_body: String,
) -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let empty = r#"{"upserts":[],"tombstones":[],"next_cursor":"s0","has_more":false}"#;
    let task = tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let n = socket.read(&mut buf).await.unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]);
            let body =
                if request.starts_with("GET /v1/bills") { bills_body.as_str() } else { empty };
            let answer = json_response(body).replacen(
                "\r\n",
                &format!("\r\nGreen-Store-Id: {server_id}\r\n"),
                1,
            );
            let _ = socket.write_all(answer.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    (url, task)
}

#[tokio::test]
async fn bad_items_are_quarantined_with_their_reason_and_the_rest_applies() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(&dir.path().join("cache.sqlite")).await.unwrap();
    let demo = greenmile_server::demo::demo_dataset(now());
    let good = serde_json::to_value(&demo.bills[0]).unwrap();
    let variant = |id: &str, field: &str, value: serde_json::Value| {
        let mut bill = good.clone();
        bill["id"] = id.into();
        if field.contains('.') {
            let (outer, inner) = field.split_once('.').unwrap();
            bill[outer][inner] = value;
        } else {
            bill[field] = value;
        }
        bill
    };
    let page = serde_json::json!({
        "upserts": [
            good,
            variant("b-neg", "amount.minor", (-500).into()),
            variant("b-huge", "amount.minor", 9_000_000_000_000_000i64.into()),
            variant("b-cur", "amount.currency", "RMB".into()),
            variant("b-date", "occurred_at", "2026-02-30T08:00:00Z".into()),
            variant("b-text", "merchant", "绿".repeat(501).into()),
        ],
        "tombstones": [{"id": "", "version": 1}],
        "next_cursor": "s9",
        "has_more": false
    });
    let (url, task) = bills_only_server("store-q".to_owned(), page.to_string()).await;
    let api = GreenApi::new(&url).unwrap();

    let report = sync::sync_all(&api, &cache, &now, &|_| {}).await.expect("the page applies");
    let kept = greenmile_core::db::quarantine::list(cache.pool()).await.unwrap();
    assert_eq!(collection(&report, "bills").upserted, 1, "the valid bill is applied: {kept:?}");
    assert_eq!(collection(&report, "bills").quarantined, 6, "five bad bills and a bad tombstone");
    assert_eq!(count(&cache, "bills").await, 1, "only the valid bill is cached");

    let kept = greenmile_core::db::quarantine::list(cache.pool()).await.unwrap();
    let reason = |id: &str| {
        kept.iter().find(|q| q.item_id == id).map(|q| q.reason.clone()).unwrap_or_default()
    };
    assert!(reason("b-neg").contains("negative or absurd"), "{}", reason("b-neg"));
    assert!(reason("b-huge").contains("negative or absurd"), "{}", reason("b-huge"));
    assert!(reason("b-cur").contains("ISO 4217"), "{}", reason("b-cur"));
    assert!(reason("b-date").contains("shape"), "an impossible date: {}", reason("b-date"));
    assert!(reason("b-text").contains("longer than 500"), "{}", reason("b-text"));
    assert!(reason("").contains("id"), "the tombstone without an id: {}", reason(""));
    assert_eq!(
        cursors::get(cache.pool(), "bills").await.unwrap().as_deref(),
        Some("s9"),
        "the cursor moved past the page"
    );
    task.abort();
}

#[tokio::test]
async fn a_quarantined_version_keeps_the_cached_one_until_a_valid_version_comes() {
    let f = fixture().await;
    run_sync(&f).await.expect("first sync");
    let store = f.server.store();
    let demo = f.server.demo_user().await.unwrap();
    let original: Bill = store.bill(demo, "b-00003").await.unwrap();

    let mut bad = original.clone();
    bad.amount = Money::cny(-1);
    bad.version += 1;
    store.put_bill(demo, &bad).await.unwrap();
    let report = run_sync(&f).await.expect("sync with a bad item");
    assert_eq!(collection(&report, "bills").quarantined, 1, "the bad version is quarantined");
    let (amount,): (i64,) = sqlx::query_as("SELECT amount_minor FROM bills WHERE id = 'b-00003'")
        .fetch_one(f.cache.pool())
        .await
        .unwrap();
    assert_eq!(amount, original.amount.minor, "the cached version is not lost to a bad one");

    let mut fixed = original.clone();
    fixed.amount = Money::cny(777);
    fixed.version = bad.version + 1;
    store.put_bill(demo, &fixed).await.unwrap();
    let report = run_sync(&f).await.expect("sync with the fix");
    assert_eq!(collection(&report, "bills").upserted, 1, "the valid version applies");
    let (amount,): (i64,) = sqlx::query_as("SELECT amount_minor FROM bills WHERE id = 'b-00003'")
        .fetch_one(f.cache.pool())
        .await
        .unwrap();
    assert_eq!(amount, 777, "the cache holds the fixed version");
    let kept = greenmile_core::db::quarantine::list(f.cache.pool()).await.unwrap();
    assert!(kept.is_empty(), "the fixed item left quarantine: {kept:?}");
    f.server.stop().await;
}

/// A server that answers the first requests with the canned `failures`, in turn, and every
/// later one with `then`; it counts the requests it got.
async fn flaky_server(
    failures: Vec<String>,
    then: String,
) -> (String, tokio::task::JoinHandle<()>, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let requests = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = requests.clone();
    let task = tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            let answer = failures.get(n).unwrap_or(&then).clone();
            let answer = answer.replacen("\r\n", "\r\nGreen-Store-Id: flaky\r\n", 1);
            let _ = socket.write_all(answer.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    (url, task, requests)
}

#[tokio::test]
async fn busy_and_failing_answers_are_retried_and_a_client_error_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(&dir.path().join("cache.sqlite")).await.unwrap();
    let empty =
        json_response(r#"{"upserts":[],"tombstones":[],"next_cursor":"s0","has_more":false}"#);
    let status = |line: &str, extra: &str| {
        format!("HTTP/1.1 {line}\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n")
    };
    let failures = vec![
        status("503 Service Unavailable", ""),
        status("429 Too Many Requests", "Retry-After: 0\r\n"),
        status("502 Bad Gateway", "Retry-After: Thu, 01 Jan 1970 00:00:00 GMT\r\n"),
    ];
    let (url, task, requests) = flaky_server(failures, empty).await;
    let api = GreenApi::with_retry(&url, RetryPolicy::fast(), 9).unwrap();

    let report = sync::sync_all(&api, &cache, &now, &|_| {}).await.expect("retries pass");
    assert_eq!(collection(&report, "bills").requests, 4, "three failures, then the page");
    assert_eq!(
        requests.load(std::sync::atomic::Ordering::SeqCst),
        8,
        "then one per feed and one for the catalogue"
    );
    assert_eq!(report.catalog, sync::CatalogSync::Failed, "a page is not a catalogue");
    task.abort();

    let (url, task, requests) =
        flaky_server(vec![status("404 Not Found", "")], status("200 OK", "")).await;
    let api = GreenApi::with_retry(&url, RetryPolicy::fast(), 9).unwrap();
    let err = sync::sync_all(&api, &cache, &now, &|_| {}).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ServerError, "a 404 is final: {err}");
    assert_eq!(requests.load(std::sync::atomic::Ordering::SeqCst), 1, "and is not retried");
    task.abort();

    let always = status("503 Service Unavailable", "Retry-After: 3600\r\n");
    let (url, task, requests) = flaky_server(vec![], always).await;
    let api = GreenApi::with_retry(&url, RetryPolicy::fast(), 9).unwrap();
    let err = sync::sync_all(&api, &cache, &now, &|_| {}).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ServerError, "a server asking for an hour: {err}");
    assert_eq!(
        requests.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "a Retry-After past the policy's limit is not waited for"
    );
    task.abort();
}

#[tokio::test]
async fn a_sync_dropped_part_way_keeps_whole_pages_and_resumes() {
    let f = fixture().await;
    let demo = greenmile_server::demo::demo_dataset(now());
    let options = sync::SyncOptions { page_limit: 50 };
    // Cancel by dropping the future once a few pages are in.
    let pages = std::sync::atomic::AtomicUsize::new(0);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let tx = std::sync::Mutex::new(Some(tx));
    let progress = |p: &greenmile_core::SyncProgress| {
        if p.phase == greenmile_core::SyncPhase::Page
            && pages.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 3
        {
            if let Some(tx) = tx.lock().unwrap().take() {
                let _ = tx.send(());
            }
        }
    };
    tokio::select! {
        _ = sync::sync_with(&f.api, &f.cache, options, &now, &progress) => panic!("cancelled first"),
        _ = rx => {}
    }
    // A page being written when the sync was dropped still commits whole: its write runs in a
    // task of its own, so one more page may land after this count.
    let cached = count(&f.cache, "bills").await;
    assert_eq!(cached % 50, 0, "only whole pages were kept: {cached}");
    assert!(cached >= 150 && cached < demo.bills.len() as i64, "part of the feed: {cached}");

    let report = sync::sync_with(&f.api, &f.cache, options, &now, &|_| {}).await.expect("resume");
    let missing = demo.bills.len() as i64 - cached;
    let applied = collection(&report, "bills").upserted as i64;
    assert!(
        applied == missing || applied == missing - 50,
        "the resumed sync applies what was missing, less the page in flight: {applied} of {missing}"
    );
    assert_eq!(count(&f.cache, "bills").await, demo.bills.len() as i64, "nothing lost");
    f.server.stop().await;
}
