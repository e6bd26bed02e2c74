//! Quiz progress across devices: two data folders ("two devices") syncing against one real
//! reference server on loopback, with and without the server's fault mode.

#![allow(clippy::unwrap_used)]

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use greenmile_core::learn::{self, Answer, QuizAttempt};
use greenmile_core::sync::{self, SyncOptions};
use greenmile_core::{Cache, GreenApi};
use greenmile_server::{RunningServer, StartOptions, Store};

const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).expect("valid instant").to_utc()
}

/// An empty store (no demo household: only the attempts feed has anything to carry).
async fn server(dir: &Path, faults: Option<u64>) -> RunningServer {
    std::fs::create_dir_all(dir).expect("server folder");
    let store = Store::open(&dir.join("server.sqlite")).await.expect("store opens");
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    greenmile_server::start_with(listen, store, StartOptions { faults })
        .await
        .expect("server starts")
}

/// A client signed in to `server` as a learner added for the test (both devices share it).
async fn learner(server: &RunningServer) -> GreenApi {
    let now = chrono::Utc::now();
    let store = server.store();
    let user = store.add_user("learner@example.com", "a long passphrase", now).await.unwrap();
    let tokens = store.issue_tokens(user, now).await.unwrap();
    GreenApi::new(&server.url()).unwrap().with_session(tokens.into(), None)
}

async fn device(dir: &Path, name: &str) -> Cache {
    Cache::open(&dir.join(name).join("cache.sqlite")).await.expect("cache opens")
}

fn answers(pairs: &[(&str, &[&str])]) -> Vec<Answer> {
    pairs
        .iter()
        .map(|(q, c)| Answer {
            question_id: (*q).to_owned(),
            choices: c.iter().map(|s| (*s).to_owned()).collect(),
        })
        .collect()
}

/// The food-waste quiz, every answer right (from lessons/food-waste.json).
fn food_waste(finished: DateTime<Utc>) -> QuizAttempt {
    let right: [(&str, &[&str]); 6] = [
        ("share-wasted", &["b"]),
        ("law", &["true"]),
        ("green-food-mark", &["a"]),
        ("green-not-organic", &["false"]),
        ("cut-waste", &["a", "b", "d"]),
        ("no-figure", &["b"]),
    ];
    QuizAttempt::new(
        "food-waste",
        answers(&right),
        finished - Duration::minutes(4),
        finished,
        SHANGHAI,
    )
}

/// The green-credit quiz with the first question wrong (from lessons/green-credit.json).
fn green_credit(finished: DateTime<Utc>) -> QuizAttempt {
    let picked: [(&str, &[&str]); 6] = [
        ("fee-apr", &["b"]),
        ("pboc-rule", &["true"]),
        ("compare-by", &["a"]),
        ("interest-free", &["true"]),
        ("cost-drivers", &["a", "b", "c"]),
        ("equal-principal", &["a"]),
    ];
    QuizAttempt::new(
        "green-credit",
        answers(&picked),
        finished - Duration::minutes(3),
        finished,
        SHANGHAI,
    )
}

async fn attempt_ids(cache: &Cache) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT id FROM quiz_attempts ORDER BY id")
        .fetch_all(cache.pool())
        .await
        .unwrap();
    rows.into_iter().map(|(id,)| id).collect()
}

async fn progress(cache: &Cache, now: DateTime<Utc>) -> learn::Progress {
    learn::progress(cache, learn::bundled(), SHANGHAI, now).await.unwrap()
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

#[tokio::test]
async fn an_attempt_on_one_device_reaches_the_other_and_counts_once_on_both() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path(), None).await;
    let api = learner(&server).await;
    let (a, b) = (device(dir.path(), "a").await, device(dir.path(), "b").await);
    let day1 = at("2026-03-02T04:00:00Z");
    let day2 = at("2026-03-03T04:00:00Z");
    let now = move || day2;

    // Device A takes a quiz and syncs; device B syncs and sees it.
    let on_a = food_waste(day1);
    learn::record_attempt(&a, learn::bundled(), &on_a, day1).await.unwrap();
    sync::sync_all(&api, &a, &now, &|_| {}).await.expect("A syncs");
    let report = sync::sync_all(&api, &b, &now, &|_| {}).await.expect("B syncs");
    let feed = report.collections.iter().find(|c| c.collection == "quiz_attempts").unwrap();
    assert_eq!(feed.upserted, 1, "B received A's attempt from the feed");

    let on_b = progress(&b, day1).await;
    let food = on_b.lessons.iter().find(|l| l.lesson_id == "food-waste").unwrap();
    assert_eq!((food.attempts, food.best_correct, food.mastered), (1, 6, true));
    assert_eq!(on_b.xp, 6 * 10 + 50, "six questions right and the lesson mastered");
    assert_eq!(on_b, progress(&a, day1).await, "both devices show the same progress");
    let wall = learn::badge_wall(&b, learn::bundled(), SHANGHAI, day1).await.unwrap();
    let first = wall.iter().find(|w| w.badge.id == "first-quiz-passed").unwrap();
    assert!(first.earned_at.is_some(), "a badge earned from the other device's quiz");

    // B takes a quiz offline the next day, and delivers it later.
    let offline = green_credit(day2);
    learn::record_attempt(&b, learn::bundled(), &offline, day2).await.unwrap();
    let report = sync::sync_all(&api, &b, &now, &|_| {}).await.expect("B syncs later");
    assert_eq!(report.outbox.applied, 1, "the offline attempt is delivered");
    sync::sync_all(&api, &a, &now, &|_| {}).await.expect("A syncs again");

    let both = sorted(vec![on_a.attempt_id.clone(), offline.attempt_id.clone()]);
    assert_eq!(attempt_ids(&a).await, both, "A holds each attempt once");
    assert_eq!(attempt_ids(&b).await, both, "B holds each attempt once, its own echoed back");
    let (pa, pb) = (progress(&a, day2).await, progress(&b, day2).await);
    assert_eq!(pa, pb, "progress agrees on both devices");
    assert_eq!(pa.streak.current, 2, "a quiz on each of two days, from two devices");
    assert_eq!(pa.xp, 110 + 5 * 10, "the offline attempt counted once");
    let recorded = greenmile_server::learn::attempt_ids(server.store().pool()).await.unwrap();
    assert_eq!(recorded.len(), 2, "the server recorded each attempt once");
    server.stop().await;
}

#[tokio::test]
async fn a_local_attempt_the_server_refused_is_never_rolled_back_by_the_feed() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path(), None).await;
    let api = learner(&server).await;
    let (a, b) = (device(dir.path(), "a").await, device(dir.path(), "b").await);
    // The server checks attempts against its real clock.
    let today = Utc::now();
    let now = move || today;

    let elsewhere = food_waste(today);
    learn::record_attempt(&b, learn::bundled(), &elsewhere, today).await.unwrap();
    sync::sync_all(&api, &b, &now, &|_| {}).await.expect("B syncs");

    // A's clock ran days ahead: the server refuses the attempt, which stays on A.
    let ahead = today + Duration::days(3);
    let local = green_credit(ahead);
    learn::record_attempt(&a, learn::bundled(), &local, ahead).await.unwrap();
    let report = sync::sync_all(&api, &a, &now, &|_| {}).await.expect("A syncs");
    assert_eq!(report.outbox.refused, 1, "the server refused the attempt from the future");

    let mine = sorted(vec![elsewhere.attempt_id.clone(), local.attempt_id.clone()]);
    assert_eq!(attempt_ids(&a).await, mine, "the feed added B's attempt and removed nothing");
    assert_eq!(progress(&a, ahead).await.xp, 110 + 50, "both attempts count on A");
    server.stop().await;
}

#[tokio::test]
async fn lost_and_repeated_answers_still_record_each_attempt_once() {
    let dir = tempfile::tempdir().unwrap();
    for seed in [3, 11, 29, 47] {
        let folder = dir.path().join(format!("seed-{seed}"));
        let server = server(&folder, Some(seed)).await;
        let api = learner(&server).await;
        let (a, b) = (device(&folder, "a").await, device(&folder, "b").await);
        let day1 = at("2026-03-02T04:00:00Z");
        let now = move || day1 + Duration::days(1);
        let options = SyncOptions { page_limit: 1 };

        let attempts =
            [food_waste(day1), green_credit(day1), food_waste(day1 + Duration::hours(2))];
        for (i, attempt) in attempts.iter().enumerate() {
            let cache = if i % 2 == 0 { &a } else { &b };
            learn::record_attempt(cache, learn::bundled(), attempt, day1).await.unwrap();
            // Syncs under faults fail often; whatever they committed must stay sound.
            for cache in [&a, &b] {
                let _ = sync::sync_with(&api, cache, options, &now, &|_| {}).await;
            }
        }

        server.faults().expect("fault mode").set_enabled(false);
        for cache in [&a, &b, &a] {
            sync::sync_with(&api, cache, options, &now, &|_| {}).await.expect("a clean sync");
        }

        let expected = sorted(attempts.iter().map(|t| t.attempt_id.clone()).collect());
        let recorded = greenmile_server::learn::attempt_ids(server.store().pool()).await.unwrap();
        let on_server = sorted(recorded.into_iter().map(|(id, _)| id).collect());
        assert_eq!(on_server, expected, "seed {seed}: the server recorded each attempt once");
        assert_eq!(attempt_ids(&a).await, expected, "seed {seed}: A holds each attempt once");
        assert_eq!(attempt_ids(&b).await, expected, "seed {seed}: B holds each attempt once");
        assert_eq!(
            progress(&a, day1).await,
            progress(&b, day1).await,
            "seed {seed}: progress agrees"
        );
        server.stop().await;
    }
}
