//! The reference server over HTTP on loopback: the contract's routes and its errors.

use std::net::{Ipv4Addr, SocketAddr};

use chrono::{DateTime, Utc};
use greenmile_api::{BillPage, Health, Problem, ProblemCode};
use greenmile_server::RunningServer;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-04T08:00:00Z").expect("instant").to_utc()
}

async fn demo() -> (tempfile::TempDir, RunningServer) {
    let dir = tempfile::tempdir().expect("temp dir");
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let server = greenmile_server::start_demo(&dir.path().join("s.sqlite"), listen, now())
        .await
        .expect("server starts");
    (dir, server)
}

/// `GET path`, signed in as the demo user.
async fn get(server: &RunningServer, path: &str) -> reqwest::Response {
    let tokens = server.demo_tokens().await.expect("the demo user signs in");
    reqwest::Client::new()
        .get(format!("{}{path}", server.url()))
        .bearer_auth(tokens.access_token)
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn health_says_demo() {
    let (_dir, server) = demo().await;
    let health: Health = get(&server, "v1/health").await.json().await.expect("json");
    assert!(health.demo, "the demo store says so");
    assert_eq!(health.api, "v1", "contract version");
    server.stop().await;
}

#[tokio::test]
async fn the_feed_pages_to_the_end_without_gaps_or_repeats() {
    let (_dir, server) = demo().await;
    let mut cursor = String::new();
    let mut ids = Vec::new();
    loop {
        let page: BillPage = get(&server, &format!("v1/bills?limit=500&cursor={cursor}"))
            .await
            .json()
            .await
            .expect("page");
        assert!(page.upserts.len() <= 500, "the limit is kept");
        ids.extend(page.upserts.into_iter().map(|b| b.id));
        cursor = page.next_cursor;
        if !page.has_more {
            break;
        }
    }
    let total = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), total, "no bill appears twice");
    assert_eq!(total, 1817, "every demo bill is served");
    server.stop().await;
}

#[tokio::test]
async fn a_bad_cursor_or_limit_is_a_problem_document() {
    let (_dir, server) = demo().await;
    for (path, code) in [
        ("v1/bills?cursor=zzz", ProblemCode::InvalidCursor),
        ("v1/offers?cursor=s-4", ProblemCode::InvalidCursor),
        ("v1/carbon?limit=ten", ProblemCode::InvalidQuery),
        ("v1/carbon?limit=0", ProblemCode::InvalidQuery),
        ("v1/nothing-here", ProblemCode::NotFound),
    ] {
        let response = get(&server, path).await;
        assert_eq!(response.status().as_u16(), code.status(), "{path}: status");
        let media = response.headers()["content-type"].to_str().unwrap_or("").to_owned();
        assert_eq!(media, "application/problem+json", "{path}: media type");
        let problem: Problem = response.json().await.expect("problem body");
        assert_eq!(problem.code, code, "{path}: stable code");
    }
    server.stop().await;
}

#[tokio::test]
async fn the_served_openapi_document_is_the_committed_one() {
    let (_dir, server) = demo().await;
    let served = get(&server, "v1/openapi.json").await.text().await.expect("body");
    let committed = include_str!("../../api/openapi.json");
    assert_eq!(served, committed, "the server serves the committed contract");
    server.stop().await;
}

#[tokio::test]
async fn a_write_to_a_feed_is_a_405_problem_document() {
    let (_dir, server) = demo().await;
    let response = reqwest::Client::new()
        .post(format!("{}v1/bills", server.url()))
        .body("{}")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 405, "feeds are read-only");
    let problem: Problem = response.json().await.expect("a problem document, not an empty body");
    assert_eq!(problem.code, ProblemCode::MethodNotAllowed, "stable code");
    server.stop().await;
}

#[tokio::test]
async fn every_store_has_its_own_stable_id() {
    let (dir, server) = demo().await;
    let first: Health = get(&server, "v1/health").await.json().await.expect("json");
    server.stop().await;

    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let again = greenmile_server::start_demo(&dir.path().join("s.sqlite"), listen, now())
        .await
        .expect("restart on the same store");
    let second: Health = get(&again, "v1/health").await.json().await.expect("json");
    assert_eq!(first.server_id, second.server_id, "the id survives a restart");
    let (_other_dir, other) = demo().await;
    let third: Health = get(&other, "v1/health").await.json().await.expect("json");
    assert_ne!(first.server_id, third.server_id, "another store has another id");
    again.stop().await;
    other.stop().await;
}
