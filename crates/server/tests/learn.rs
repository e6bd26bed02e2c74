//! The education channel on the reference server: the catalogue over HTTP on loopback with its
//! ETag, and quiz attempts recorded once in a real SQLite store, late or replayed.

use std::net::{Ipv4Addr, SocketAddr};

use chrono::{DateTime, Duration, Utc};
use greenmile_api::{Problem, ProblemCode};
use greenmile_core::learn::{self, Answer, QuizAttempt};
use greenmile_server::learn::{AttemptError, record_quiz_attempt};
use greenmile_server::{RunningServer, Store};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-04T08:00:00Z").expect("instant").to_utc()
}

async fn server() -> (tempfile::TempDir, RunningServer) {
    let dir = tempfile::tempdir().expect("temp dir");
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let server = greenmile_server::start_demo(&dir.path().join("s.sqlite"), listen, now())
        .await
        .expect("server starts");
    (dir, server)
}

/// The green-credit quiz, answered by hand from lessons/green-credit.json; `wrong` questions
/// from the start get a wrong choice.
fn green_credit(wrong: usize, finished: DateTime<Utc>) -> QuizAttempt {
    let answers: [(&str, &[&str], &[&str]); 6] = [
        ("fee-apr", &["c"], &["b"]),
        ("pboc-rule", &["true"], &["false"]),
        ("compare-by", &["a"], &["b"]),
        ("interest-free", &["true"], &["false"]),
        ("cost-drivers", &["a", "b", "c"], &["a", "b", "c", "d"]),
        ("equal-principal", &["a"], &["b"]),
    ];
    let answers = answers
        .iter()
        .enumerate()
        .map(|(i, (q, right, wrong_choice))| Answer {
            question_id: (*q).to_owned(),
            choices: (if i < wrong { *wrong_choice } else { *right })
                .iter()
                .map(|c| (*c).to_owned())
                .collect(),
        })
        .collect();
    QuizAttempt::new(
        "green-credit",
        answers,
        finished - Duration::minutes(3),
        finished,
        chrono_tz::Asia::Shanghai,
    )
}

async fn record(
    store: &Store,
    payload: &serde_json::Value,
) -> Result<greenmile_server::learn::Recorded, AttemptError> {
    let user = store.demo_user().await.expect("store").expect("the demo user");
    let mut tx = store.pool().begin().await.expect("transaction");
    let result = record_quiz_attempt(&mut tx, user, payload, now()).await;
    tx.commit().await.expect("commit");
    result
}

async fn stored(store: &Store) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM quiz_attempts")
        .fetch_one(store.pool())
        .await
        .expect("count");
    n
}

#[tokio::test]
async fn the_catalogue_is_versioned_by_its_etag() {
    let (_dir, server) = server().await;
    let url = format!("{}v1/learn/catalog", server.url());
    let client = reqwest::Client::new();

    let first = client.get(&url).send().await.expect("request");
    assert_eq!(first.status(), 200);
    let etag = first.headers()["etag"].to_str().expect("ascii").to_owned();
    assert_eq!(etag, format!("\"{}\"", learn::bundled().version), "the ETag is the version");
    let body: serde_json::Value = first.json().await.expect("json");
    assert_eq!(body["lessons"].as_array().map(Vec::len), Some(8));
    assert_eq!(body["version"], learn::bundled().version.as_str());

    let again = client.get(&url).header("If-None-Match", &etag).send().await.expect("request");
    assert_eq!(again.status(), 304, "the client already holds this version");
    assert_eq!(again.headers()["etag"].to_str().ok(), Some(etag.as_str()));
    assert!(again.bytes().await.expect("body").is_empty(), "304 has no body");

    let other = client.get(&url).header("If-None-Match", "\"0000\"").send().await.expect("request");
    assert_eq!(other.status(), 200, "another version gets the catalogue");
    server.stop().await;
}

#[tokio::test]
async fn an_attempt_is_scored_by_the_server_and_recorded_once() {
    let (_dir, server) = server().await;
    let store = server.store();
    let payload = serde_json::to_value(green_credit(1, now())).expect("payload");

    let first = record(store, &payload).await.expect("recorded");
    assert!(first.new);
    assert_eq!((first.score.correct, first.score.total, first.score.passed), (5, 6, true));

    // The response was lost and the client sends the same write again.
    let replay = record(store, &payload).await.expect("replayed");
    assert!(!replay.new, "a replay changes nothing");
    assert_eq!(replay.score, first.score);
    assert_eq!(stored(store).await, 1);

    let mut other = payload.clone();
    other["answers"][0]["choices"] = serde_json::json!(["c"]);
    let err = record(store, &other).await.expect_err("other answers under the same id");
    assert!(matches!(err, AttemptError::Conflict(_)), "{err}");
    assert_eq!(stored(store).await, 1);
    server.stop().await;
}

#[tokio::test]
async fn answers_that_do_not_fit_the_quiz_are_refused_with_the_question_named() {
    let (_dir, server) = server().await;
    let store = server.store();

    let mut unknown = serde_json::to_value(green_credit(0, now())).expect("payload");
    unknown["answers"][2]["question_id"] = "who-invented-credit".into();
    let err = record(store, &unknown).await.expect_err("unknown question");
    assert!(err.to_string().contains("who-invented-credit"), "{err}");

    let mut twice = serde_json::to_value(green_credit(0, now())).expect("payload");
    let first = twice["answers"][0].clone();
    twice["answers"].as_array_mut().expect("answers").push(first);
    let err = record(store, &twice).await.expect_err("a question twice");
    assert!(err.to_string().contains("fee-apr is answered twice"), "{err}");

    let err = record(store, &serde_json::json!({ "attempt_id": "x" })).await.expect_err("shape");
    assert!(matches!(err, AttemptError::Invalid(_)));

    // As the writes endpoint answers it: 422 problem+json with a stable code.
    let problem = Problem::new(ProblemCode::InvalidPayload, Some(err.to_string()));
    assert_eq!((problem.status, problem.code), (422, ProblemCode::InvalidPayload));
    assert_eq!(stored(store).await, 0, "nothing refused is stored");
    server.stop().await;
}

#[tokio::test]
async fn an_attempt_made_offline_days_ago_is_accepted_late() {
    let (_dir, server) = server().await;
    let late = green_credit(0, now() - Duration::days(9));
    let payload = serde_json::to_value(&late).expect("payload");

    let recorded = record(server.store(), &payload).await.expect("accepted late");
    assert!(recorded.score.mastered);
    let (local_date,): (String,) =
        sqlx::query_as("SELECT local_date FROM quiz_attempts WHERE attempt_id = ?")
            .bind(&late.attempt_id)
            .fetch_one(server.store().pool())
            .await
            .expect("row");
    assert_eq!(local_date, "2026-11-25", "16:00 in Shanghai on the day it was taken");

    let future = serde_json::to_value(green_credit(0, now() + Duration::days(3))).expect("payload");
    assert!(matches!(record(server.store(), &future).await, Err(AttemptError::Invalid(_))));
    server.stop().await;
}

#[tokio::test]
async fn the_outbox_row_a_client_writes_is_what_the_server_records() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_server_dir, server) = server().await;
    let cache = greenmile_core::Cache::open(&dir.path().join("cache.sqlite")).await.expect("cache");
    let attempt = green_credit(2, now());
    learn::record_attempt(&cache, learn::bundled(), &attempt, now()).await.expect("saved offline");

    let (kind, key, payload): (String, String, String) =
        sqlx::query_as("SELECT kind, idempotency_key, payload FROM outbox")
            .fetch_one(cache.pool())
            .await
            .expect("outbox row");
    assert_eq!((kind.as_str(), key.as_str()), ("quiz_attempt", attempt.attempt_id.as_str()));
    let payload: serde_json::Value = serde_json::from_str(&payload).expect("payload JSON");

    // Delivered twice, as after a lost response: recorded once, with the client's score.
    let first = record(server.store(), &payload).await.expect("delivered");
    let second = record(server.store(), &payload).await.expect("delivered again");
    assert_eq!((first.new, second.new), (true, false));
    assert_eq!((first.score.correct, first.score.passed), (4, false), "4 of 6 is 67 %, below 80 %");
    assert_eq!(stored(server.store()).await, 1);
    server.stop().await;
}

#[tokio::test]
async fn recorded_attempts_are_a_feed_with_cursor_paging_and_etag() {
    let (_dir, server) = server().await;
    let url = format!("{}v1/learn/attempts", server.url());
    // The feed is the signed-in user's: every request carries the demo user's token.
    let token = server.demo_tokens().await.expect("demo sign-in").access_token;
    let mut auth = reqwest::header::HeaderMap::new();
    let bearer = format!("Bearer {token}").parse().expect("header text");
    auth.insert(reqwest::header::AUTHORIZATION, bearer);
    let client = reqwest::Client::builder().default_headers(auth).build().expect("client");

    let empty = client.get(&url).send().await.expect("request");
    assert_eq!(empty.status(), 200);
    let empty_tag = empty.headers()["etag"].to_str().expect("etag").to_owned();
    let page: greenmile_api::AttemptPage = empty.json().await.expect("page");
    assert!(page.upserts.is_empty() && !page.has_more, "nothing recorded yet");

    let attempts = [green_credit(0, now()), green_credit(2, now()), green_credit(1, now())];
    for attempt in &attempts {
        let payload = serde_json::to_value(attempt).expect("payload");
        record(server.store(), &payload).await.expect("recorded");
    }
    // A replay of the first attempt adds nothing to the feed.
    let payload = serde_json::to_value(&attempts[0]).expect("payload");
    record(server.store(), &payload).await.expect("replayed");

    let stale = client.get(&url).header("if-none-match", &empty_tag).send().await.expect("req");
    assert_eq!(stale.status(), 200, "the feed changed since the empty tag");

    let first = client.get(&url).query(&[("limit", "2")]).send().await.expect("request");
    let first: greenmile_api::AttemptPage = first.json().await.expect("first page");
    assert!(first.has_more, "three attempts do not fit a page of two");
    let ids: Vec<&str> = first.upserts.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, [&attempts[0].attempt_id, &attempts[1].attempt_id], "oldest first");
    assert_eq!((first.upserts[0].correct, first.upserts[0].total), (6, 6));
    assert_eq!(first.upserts[1].results.iter().filter(|r| !r.correct).count(), 2);
    assert!(first.upserts[0].passed && !first.upserts[1].passed, "server-side scores");

    let second = client
        .get(&url)
        .query(&[("limit", "2"), ("cursor", first.next_cursor.as_str())])
        .send()
        .await
        .expect("request");
    let tag = second.headers()["etag"].to_str().expect("etag").to_owned();
    let second: greenmile_api::AttemptPage = second.json().await.expect("second page");
    assert!(!second.has_more && second.tombstones.is_empty());
    assert_eq!(second.upserts.len(), 1);
    assert_eq!(second.upserts[0].id, attempts[2].attempt_id);
    assert_eq!(second.upserts[0].time_zone, "Asia/Shanghai");

    let unchanged = client.get(&url).header("if-none-match", &tag).send().await.expect("request");
    assert_eq!(unchanged.status(), 304, "the tag of the end names the feed's state");

    let bad = client.get(&url).query(&[("cursor", "zz")]).send().await.expect("request");
    assert_eq!(bad.status(), 400);
    let problem: Problem = bad.json().await.expect("problem");
    assert_eq!(problem.code, ProblemCode::InvalidCursor);
    server.stop().await;
}
