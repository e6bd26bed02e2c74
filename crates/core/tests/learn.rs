//! The education channel against a real SQLite file: attempts and their outbox rows, retakes,
//! refused answers, progress, and badges earned from bills synced from the real reference
//! server on loopback.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use greenmile_api::{BillStatus, Certification, GreenCategory};
use greenmile_core::learn::{self, Answer, QuizAttempt};
use greenmile_core::{Cache, ErrorCode, GreenApi, sync};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).expect("valid instant").to_utc()
}

const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;

async fn cache() -> (tempfile::TempDir, Cache) {
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = Cache::open(&dir.path().join("cache.sqlite")).await.expect("cache opens");
    (dir, cache)
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

/// The food-waste quiz with the first `wrong` questions answered wrongly; the right answers
/// are read by hand from lessons/food-waste.json.
fn food_waste(wrong: usize, finished: DateTime<Utc>) -> QuizAttempt {
    let right: [(&str, &[&str]); 6] = [
        ("share-wasted", &["b"]),
        ("law", &["true"]),
        ("green-food-mark", &["a"]),
        ("green-not-organic", &["false"]),
        ("cut-waste", &["a", "b", "d"]),
        ("no-figure", &["b"]),
    ];
    let wrong_choice: [(&str, &[&str]); 6] = [
        ("share-wasted", &["c"]),
        ("law", &["false"]),
        ("green-food-mark", &["b"]),
        ("green-not-organic", &["true"]),
        ("cut-waste", &["a", "b", "c", "d"]),
        ("no-figure", &["a"]),
    ];
    let picked: Vec<_> =
        (0..6).map(|i| if i < wrong { wrong_choice[i] } else { right[i] }).collect();
    QuizAttempt::new(
        "food-waste",
        answers(&picked),
        finished - Duration::minutes(4),
        finished,
        SHANGHAI,
    )
}

async fn count(cache: &Cache, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(cache.pool()).await.expect("count");
    n
}

#[tokio::test]
async fn an_attempt_and_its_outbox_row_are_stored_once() {
    let (_dir, cache) = cache().await;
    let catalog = learn::bundled();
    let now = at("2026-03-02T12:00:00Z");
    let attempt = food_waste(1, now);

    let first = learn::record_attempt(&cache, catalog, &attempt, now).await.expect("recorded");
    assert!(first.new);
    assert_eq!((first.score.correct, first.score.total, first.score.passed), (5, 6, true));
    assert_eq!(first.xp_gained, 50, "five questions right the first time, 10 XP each");
    assert_eq!(first.badges_earned, vec!["first-quiz-passed".to_owned()]);
    assert_eq!(first.streak.current, 1);

    let (kind, key, payload): (String, String, String) =
        sqlx::query_as("SELECT kind, idempotency_key, payload FROM outbox")
            .fetch_one(cache.pool())
            .await
            .expect("one outbox row");
    assert_eq!((kind.as_str(), key.as_str()), ("quiz_attempt", attempt.attempt_id.as_str()));
    let payload: serde_json::Value = serde_json::from_str(&payload).unwrap();
    assert_eq!(payload["attempt_id"], attempt.attempt_id.as_str());
    assert_eq!(payload["lesson_id"], "food-waste");
    assert_eq!(payload["time_zone"], "Asia/Shanghai");
    assert_eq!(payload["finished_at"], "2026-03-02T12:00:00Z");
    assert_eq!(payload["answers"][4]["choices"], serde_json::json!(["a", "b", "d"]));

    let again = learn::record_attempt(&cache, catalog, &attempt, now).await.expect("replayed");
    assert!(!again.new, "the same attempt id is recorded once");
    assert_eq!((again.xp_gained, again.badges_earned.len()), (0, 0));
    assert_eq!(count(&cache, "SELECT COUNT(*) FROM quiz_attempts").await, 1);
    assert_eq!(count(&cache, "SELECT COUNT(*) FROM outbox").await, 1);

    let mut other = attempt.clone();
    other.answers[0].choices = vec!["a".to_owned()];
    let err = learn::record_attempt(&cache, catalog, &other, now).await.expect_err("refused");
    assert_eq!(err.code(), ErrorCode::InvalidInput, "an id reused for other answers: {err}");
}

#[tokio::test]
async fn retakes_add_xp_only_for_new_understanding_and_mastery() {
    let (_dir, cache) = cache().await;
    let catalog = learn::bundled();
    let day1 = at("2026-03-02T12:00:00Z");

    let failed = learn::record_attempt(&cache, catalog, &food_waste(3, day1), day1).await.unwrap();
    assert_eq!((failed.score.passed, failed.xp_gained), (false, 30), "3 of 6 fails");
    assert!(failed.badges_earned.is_empty(), "a failed quiz earns no badge");

    let same = learn::record_attempt(&cache, catalog, &food_waste(3, day1), day1).await.unwrap();
    assert_eq!(same.xp_gained, 0, "the same right answers again earn nothing");

    let day2 = at("2026-03-03T01:00:00Z");
    let all = learn::record_attempt(&cache, catalog, &food_waste(0, day2), day2).await.unwrap();
    assert_eq!(all.xp_gained, 3 * 10 + 50, "three newly right questions and first mastery");
    assert_eq!(all.streak.current, 2, "2 and 3 March in Shanghai");

    let progress = learn::progress(&cache, catalog, SHANGHAI, day2).await.unwrap();
    assert_eq!(progress.xp, 110);
    assert_eq!(progress.mastered, 1);
    let lesson = progress.lessons.iter().find(|l| l.lesson_id == "food-waste").unwrap();
    assert_eq!(
        (lesson.attempts, lesson.best_correct, lesson.passed, lesson.mastered),
        (3, 6, true, true)
    );
    let other = progress.lessons.iter().find(|l| l.lesson_id == "ev-charging").unwrap();
    assert_eq!((other.attempts, other.total), (0, 6));
}

#[tokio::test]
async fn refused_answers_store_nothing() {
    let (_dir, cache) = cache().await;
    let catalog = learn::bundled();
    let now = at("2026-03-02T12:00:00Z");

    let mut unknown = food_waste(0, now);
    unknown.answers[0].question_id = "no-such-question".to_owned();
    let mut twice = food_waste(0, now);
    twice.answers.push(twice.answers[0].clone());
    let mut no_lesson = food_waste(0, now);
    no_lesson.lesson_id = "astrology".to_owned();
    let mut bad_zone = food_waste(0, now);
    bad_zone.time_zone = "Mars/Olympus".to_owned();

    for (what, attempt) in
        [("unknown question", unknown), ("twice", twice), ("lesson", no_lesson), ("zone", bad_zone)]
    {
        let err = learn::record_attempt(&cache, catalog, &attempt, now).await.expect_err(what);
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{what}: {err}");
    }
    assert_eq!(count(&cache, "SELECT COUNT(*) FROM quiz_attempts").await, 0);
    assert_eq!(count(&cache, "SELECT COUNT(*) FROM outbox").await, 0);
}

#[tokio::test]
async fn badges_come_from_certified_bills_synced_from_the_server() {
    let dir = tempfile::tempdir().expect("temp dir");
    let now = at("2026-12-04T08:00:00Z");
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let server = greenmile_server::start_demo(&dir.path().join("server.sqlite"), listen, now)
        .await
        .expect("demo server starts");
    let cache = Cache::open(&dir.path().join("cache.sqlite")).await.expect("cache opens");
    let api = server.demo_client().await.unwrap();
    sync::sync_all(&api, &cache, &|| now, &|_| {}).await.expect("sync");
    server.stop().await;

    // What the rules should see, worked out from the demo data itself.
    let demo = greenmile_server::demo::demo_dataset(now);
    let counted: Vec<_> = demo
        .bills
        .iter()
        .filter(|b| {
            matches!(
                b.certification,
                Certification::PlatformReviewed | Certification::FinanceCertified
            ) && b.status != BillStatus::Refunded
        })
        .collect();
    let appliances =
        counted.iter().filter(|b| b.category == GreenCategory::EnergyEfficientAppliance).count();
    let grams: i64 = counted.iter().filter_map(|b| b.carbon.as_ref().map(|c| c.grams)).sum();
    let mut transit_months = BTreeMap::new();
    for b in counted.iter().filter(|b| {
        matches!(b.category, GreenCategory::PublicTransport | GreenCategory::SharedBike)
    }) {
        let local = b.occurred_at.with_timezone(&SHANGHAI);
        transit_months.insert(local.format("%Y-%m").to_string(), ());
    }

    assert!(appliances >= 1 && transit_months.len() >= 12, "the demo exercises the bill rules");

    let wall = learn::badge_wall(&cache, learn::bundled(), SHANGHAI, now).await.expect("wall");
    let earned = |id: &str| wall.iter().find(|s| s.badge.id == id).unwrap().earned_at.is_some();
    assert_eq!(earned("certified-appliance"), appliances >= 1, "{appliances} appliance bills");
    assert_eq!(earned("carbon-100kg"), grams >= 100_000, "{grams} g saved by counted bills");
    assert_eq!(
        earned("green-transport-year"),
        transit_months.len() >= 12,
        "the demo's 24 months of transit give {} months",
        transit_months.len()
    );
    assert!(!earned("first-quiz-passed"), "no quiz taken, so no quiz badge");
    assert!(!earned("streak-7"));

    // Earned badges stay when the bills behind them go.
    sqlx::query("DELETE FROM bills").execute(cache.pool()).await.unwrap();
    let later = learn::badge_wall(&cache, learn::bundled(), SHANGHAI, now).await.expect("wall");
    let kept = later.iter().filter(|s| s.earned_at.is_some()).count();
    let before = wall.iter().filter(|s| s.earned_at.is_some()).count();
    assert_eq!(kept, before, "nothing rolls back");
}

#[tokio::test]
async fn self_declared_bills_earn_nothing() {
    let (_dir, cache) = cache().await;
    for (i, cert) in ["self_declared", "unverified"].iter().enumerate() {
        sqlx::query(
            "INSERT INTO bills (id, occurred_at, merchant, item, category, amount_minor, currency,
                 certification, carbon_g, carbon_method, status, version)
             VALUES (?, '2026-03-01T02:00:00.000Z', 'shop', 'fridge', 'energy_efficient_appliance',
                 399900, 'CNY', ?, 200000, 'appliance-energy@1', 'posted', 1)",
        )
        .bind(format!("b-{i}"))
        .bind(cert)
        .execute(cache.pool())
        .await
        .unwrap();
    }
    let earned =
        learn::refresh_badges(&cache, learn::bundled(), SHANGHAI, at("2026-03-02T00:00:00Z"))
            .await
            .unwrap();
    assert!(earned.is_empty(), "claims nobody checked earn no badge: {earned:?}");
}

/// A loopback server that answers every request with `status`, `etag` and `body`, standing in
/// for a Green API whose catalogue differs from the bundled one.
async fn catalogue_server(status: &str, etag: &str, body: String) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nETag: \"{etag}\"\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut request = [0u8; 4096];
            let _ = socket.read(&mut request).await;
            let _ = socket.write_all(response.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    format!("http://{addr}/")
}

#[tokio::test]
async fn the_servers_catalogue_replaces_the_bundled_one_only_when_it_passes_its_checks() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = Cache::open(&dir.path().join("cache.sqlite")).await.expect("cache opens");
    let now = at("2026-12-04T08:00:00Z");

    // The reference server serves the bundled catalogue: nothing to fetch.
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let server = greenmile_server::start_demo(&dir.path().join("server.sqlite"), listen, now)
        .await
        .expect("demo server starts");
    let api = server.demo_client().await.unwrap();
    let refresh = learn::refresh_catalog(&cache, &api, now).await.expect("refresh");
    assert_eq!(refresh, learn::remote::CatalogRefresh::Unchanged, "304 for the same version");
    server.stop().await;

    // A server with a newer catalogue: a retitled lesson.
    let mut newer = learn::bundled().clone();
    newer.version = "0123456789abcdef".to_owned();
    newer.lessons[0].title.en = "Energy labels, revised".to_owned();
    let url =
        catalogue_server("200 OK", &newer.version, serde_json::to_string(&newer).unwrap()).await;
    let api = GreenApi::new(&url).expect("loopback URL");
    let refresh = learn::refresh_catalog(&cache, &api, now).await.expect("refresh");
    assert_eq!(refresh, learn::remote::CatalogRefresh::Updated);
    let active = learn::active_catalog(&cache).await.expect("active");
    assert_eq!(active.version, "0123456789abcdef");
    assert_eq!(active.lessons[0].title.en, "Energy labels, revised");

    // A catalogue with a question that has no answer is refused, and the held one stays.
    let mut broken = newer.clone();
    broken.version = "fedcba9876543210".to_owned();
    broken.lessons[1].questions[0].answer.clear();
    let url =
        catalogue_server("200 OK", &broken.version, serde_json::to_string(&broken).unwrap()).await;
    let api = GreenApi::new(&url).expect("loopback URL");
    let err = learn::refresh_catalog(&cache, &api, now).await.expect_err("refused");
    assert_eq!(err.code(), ErrorCode::BadResponse);
    assert!(err.to_string().contains("questions[0].answer"), "{err}");
    assert_eq!(learn::active_catalog(&cache).await.expect("active").version, "0123456789abcdef");
}

/// A loopback Green API whose feeds are empty and whose catalogue is `catalog`: it reads the
/// request line and answers by path.
async fn green_api_with_catalogue(catalog: &learn::Catalog) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let body = serde_json::to_string(catalog).unwrap();
    let version = catalog.version.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut request = [0u8; 4096];
            let n = socket.read(&mut request).await.unwrap_or(0);
            let head = String::from_utf8_lossy(&request[..n]).into_owned();
            let (etag, body) = if head.starts_with("GET /v1/learn/catalog") {
                (version.clone(), body.clone())
            } else {
                let empty = r#"{"upserts":[],"tombstones":[],"next_cursor":"s0","has_more":false}"#;
                ("s0".to_owned(), empty.to_owned())
            };
            let response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nETag: \"{etag}\"\r\n\
                 Green-Store-Id: canned\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    format!("http://{addr}/")
}

#[tokio::test]
async fn a_sync_brings_the_newest_catalogue_after_the_feeds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = Cache::open(&dir.path().join("cache.sqlite")).await.expect("cache opens");
    let now = || at("2026-12-04T08:00:00Z");

    // Against the reference server, which serves the bundled catalogue: unchanged.
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let server = greenmile_server::start_demo(&dir.path().join("server.sqlite"), listen, now())
        .await
        .expect("demo server starts");
    let api = server.demo_client().await.expect("demo sign-in");
    let report = sync::sync_all(&api, &cache, &now, &|_| {}).await.expect("sync");
    assert_eq!(report.catalog, sync::CatalogSync::Unchanged, "the same version: 304");
    server.stop().await;

    // A server with a newer catalogue: the sync stores it and the lessons show it.
    let other = Cache::open(&dir.path().join("other.sqlite")).await.expect("cache opens");
    let mut newer = learn::bundled().clone();
    newer.version = "00112233445566778899".to_owned();
    newer.lessons[0].title.en = "Energy labels, revised".to_owned();
    let api = GreenApi::new(&green_api_with_catalogue(&newer).await).expect("loopback URL");
    let report = sync::sync_all(&api, &other, &now, &|_| {}).await.expect("sync");
    assert_eq!(report.catalog, sync::CatalogSync::Updated);
    let active = learn::active_catalog(&other).await.expect("active");
    assert_eq!(active.version, newer.version, "the newest catalogue serves");
    assert_eq!(active.lessons[0].title.en, "Energy labels, revised");

    let again = sync::sync_all(&api, &other, &now, &|_| {}).await.expect("sync again");
    assert_eq!(again.catalog, sync::CatalogSync::Unchanged, "held already");
}
