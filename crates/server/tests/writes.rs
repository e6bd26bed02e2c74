//! `POST /v1/writes` over HTTP on loopback: each idempotency key is applied once.

use std::net::{Ipv4Addr, SocketAddr};

use chrono::{DateTime, Utc};
use greenmile_api::{Problem, ProblemCode, WriteAck, WriteStatus};
use greenmile_server::{RunningServer, UserId};
use serde_json::json;

async fn server() -> (tempfile::TempDir, RunningServer) {
    let dir = tempfile::tempdir().expect("temp dir");
    let now: DateTime<Utc> = "2026-12-04T08:00:00Z".parse().expect("instant");
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let server = greenmile_server::start_demo(&dir.path().join("s.sqlite"), listen, now)
        .await
        .expect("server starts");
    (dir, server)
}

async fn post(server: &RunningServer, key: Option<&str>, body: serde_json::Value) -> (u16, String) {
    let tokens = server.demo_tokens().await.expect("the demo user signs in");
    let mut request = reqwest::Client::new()
        .post(format!("{}v1/writes", server.url()))
        .bearer_auth(tokens.access_token)
        .json(&body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.send().await.expect("request");
    (response.status().as_u16(), response.text().await.expect("body"))
}

async fn demo_user(server: &RunningServer) -> UserId {
    server.store().demo_user().await.expect("store").expect("the demo user")
}

fn setting(key: &str, value: &str) -> serde_json::Value {
    json!({"kind": "setting", "payload": {"key": key, "value": value}})
}

#[tokio::test]
async fn a_key_is_applied_once_and_its_repeats_are_duplicates() {
    let (_dir, server) = server().await;

    let (status, body) = post(&server, Some("k-1"), setting("locale", "zh-CN")).await;
    assert_eq!(status, 200, "the first delivery is accepted: {body}");
    let ack: WriteAck = serde_json::from_str(&body).expect("an ack");
    assert_eq!(ack, WriteAck { key: "k-1".into(), status: WriteStatus::Applied });

    // The same key and body again, as after a lost answer: nothing more happens.
    for _ in 0..2 {
        let (status, body) = post(&server, Some("k-1"), setting("locale", "zh-CN")).await;
        assert_eq!(status, 200, "a repeat is answered, not refused");
        let ack: WriteAck = serde_json::from_str(&body).expect("an ack");
        assert_eq!(ack.status, WriteStatus::Duplicate, "a repeat is a duplicate");
    }
    // A later write of the same setting under its own key wins.
    post(&server, Some("k-2"), setting("locale", "en")).await;

    let writes = server.store().writes(demo_user(&server).await).await.expect("writes");
    let keys: Vec<(&str, i64)> = writes.iter().map(|w| (w.key.as_str(), w.deliveries)).collect();
    assert_eq!(keys, [("k-1", 3), ("k-2", 1)], "one row per key, deliveries counted");
    let settings = server.store().settings(demo_user(&server).await).await.expect("settings");
    assert_eq!(settings, [("locale".to_owned(), "en".to_owned())], "the latest write wins");
    server.stop().await;
}

#[tokio::test]
async fn a_reused_key_with_another_body_is_a_conflict_and_changes_nothing() {
    let (_dir, server) = server().await;
    post(&server, Some("k-1"), setting("theme", "dark")).await;

    let (status, body) = post(&server, Some("k-1"), setting("theme", "light")).await;
    assert_eq!(status, 409, "another body under a used key is refused");
    let problem: Problem = serde_json::from_str(&body).expect("a problem document");
    assert_eq!(problem.code, ProblemCode::IdempotencyConflict);
    let settings = server.store().settings(demo_user(&server).await).await.expect("settings");
    assert_eq!(settings, [("theme".to_owned(), "dark".to_owned())], "the first write stands");
    server.stop().await;
}

#[tokio::test]
async fn bad_writes_are_refused_with_their_codes_and_leave_no_record() {
    let (_dir, server) = server().await;
    let long = "x".repeat(501);
    let cases = [
        (None, setting("locale", "en"), 400, ProblemCode::MissingIdempotencyKey),
        (Some("k 1"), setting("locale", "en"), 400, ProblemCode::MissingIdempotencyKey),
        (Some("k-2"), json!({"kind": "wish", "payload": {}}), 422, ProblemCode::UnknownKind),
        (Some("k-3"), json!({"kind": "setting"}), 422, ProblemCode::InvalidPayload),
        (Some("k-4"), setting("Locale!", "en"), 422, ProblemCode::InvalidPayload),
        (Some("k-5"), setting("note", &long), 422, ProblemCode::InvalidPayload),
        (
            Some("k-6"),
            json!({"kind": "quiz_attempt", "payload": {"attempt_id": "other"}}),
            422,
            ProblemCode::InvalidPayload,
        ),
    ];
    for (key, body, status, code) in cases {
        let (got, text) = post(&server, key, body.clone()).await;
        assert_eq!(got, status, "{key:?} {body}: status");
        let problem: Problem = serde_json::from_str(&text).expect("a problem document");
        assert_eq!(problem.code, code, "{key:?} {body}: stable code");
    }
    assert!(
        server.store().writes(demo_user(&server).await).await.expect("writes").is_empty(),
        "nothing was recorded"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_well_formed_quiz_attempt_is_recorded() {
    let (_dir, server) = server().await;
    let attempt = json!({
        "kind": "quiz_attempt",
        "payload": {
            "attempt_id": "a-1",
            "lesson_id": "ev-charging",
            "answers": [
                {"question_id": "grid-value", "choices": ["a"]},
                {"question_id": "ten-kwh", "choices": ["a"]},
                {"question_id": "cleaner-grid", "choices": ["true"]},
                {"question_id": "connector-standard", "choices": ["a"]},
                {"question_id": "tailpipe-only", "choices": ["false"]},
                {"question_id": "depends-on", "choices": ["a", "b", "c"]}
            ],
            "started_at": "2026-12-04T08:00:00Z",
            "finished_at": "2026-12-04T08:03:00Z",
            "time_zone": "Asia/Shanghai"
        }
    });
    let (status, body) = post(&server, Some("a-1"), attempt).await;
    assert_eq!(status, 200, "accepted: {body}");
    let writes = server.store().writes(demo_user(&server).await).await.expect("writes");
    assert_eq!(writes.len(), 1, "recorded once");
    assert_eq!(writes[0].kind, "quiz_attempt");
    // The server scored it against its own catalogue: every answer above is right.
    let (correct, total, passed): (i64, i64, bool) =
        sqlx::query_as("SELECT correct, total, passed FROM quiz_attempts WHERE attempt_id = 'a-1'")
            .fetch_one(server.store().pool())
            .await
            .expect("the scored attempt");
    assert_eq!((correct, total, passed), (6, 6, true));
    server.stop().await;
}
