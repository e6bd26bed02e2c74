//! Resetting the demo between visitors: the reference server's store is seeded afresh with a
//! persona and the cache is emptied, and the next sync brings exactly that persona. Run
//! against the real server on 127.0.0.1 and a SQLite file in a temporary folder.

#![allow(clippy::unwrap_used)]

use std::net::{Ipv4Addr, SocketAddr};

use chrono::{DateTime, Utc};
use greenmile_api::GreenCategory;
use greenmile_core::{Cache, ErrorCode, dashboard, settings, sync};
use greenmile_server::demo::{Persona, persona_dataset};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-04T08:00:00Z").unwrap().to_utc()
}

/// Every table of the cache with its row count, but the bundled lessons, the migrations and
/// the search index's own tables (emptied with the bills by trigger).
async fn nonempty_tables(cache: &Cache) -> Vec<(String, i64)> {
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name NOT LIKE '_sqlx%' AND name NOT LIKE 'bill_search%' AND name <> 'learn_catalog'",
    )
    .fetch_all(cache.pool())
    .await
    .unwrap();
    let mut full = Vec::new();
    for (name,) in tables {
        let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM \"{name}\""))
            .fetch_one(cache.pool())
            .await
            .unwrap();
        if n > 0 {
            full.push((name, n));
        }
    }
    full
}

#[tokio::test]
async fn a_reset_brings_the_chosen_persona_and_nothing_of_the_visitor_before() {
    let dir = tempfile::tempdir().unwrap();
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let server =
        greenmile_server::start_demo(&dir.path().join("s.sqlite"), listen, now()).await.unwrap();
    let api = server.demo_client().await.unwrap();
    let cache = Cache::open(&dir.path().join("cache.sqlite")).await.unwrap();
    let stale = Cache::open(&dir.path().join("stale.sqlite")).await.unwrap();
    sync::sync_all(&api, &cache, &now, &|_| {}).await.unwrap();
    sync::sync_all(&api, &stale, &now, &|_| {}).await.unwrap();
    // What a visitor leaves behind: a setting and an imported export.
    settings::set(&cache, "locale", "en", "k-1", now()).await.unwrap();
    let export = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/bills/greenmile/wechat-green.csv");
    greenmile_core::import::import_file(&cache, &export, now()).await.unwrap();
    sync::sync_all(&api, &cache, &now, &|_| {}).await.unwrap();
    assert_eq!(server.store().demo_persona().await.unwrap(), Some(Persona::Household));

    server.store().reset_demo(Persona::Student, now()).await.unwrap();
    cache.clear().await.unwrap();

    assert_eq!(nonempty_tables(&cache).await, Vec::new(), "the cleared cache holds nothing");
    assert_eq!(server.store().demo_persona().await.unwrap(), Some(Persona::Student));
    sync::sync_all(&api, &cache, &now, &|_| {}).await.unwrap();
    let student = persona_dataset(Persona::Student, now());
    let summary = dashboard::summary(cache.pool(), now().date_naive()).await.unwrap();
    assert_eq!(summary.bills, student.bills.len() as i64, "the student's bills, all of them");
    assert_eq!(summary.imported_bills, 0, "the last visitor's import is gone");
    assert_eq!(summary.offers, student.offers.len() as i64);
    let (ev,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM bills WHERE category = ?")
        .bind(GreenCategory::EvCharging.as_str())
        .fetch_one(cache.pool())
        .await
        .unwrap();
    assert_eq!(ev, 0, "the student has no car to charge");
    assert!(settings::list(&cache).await.unwrap().is_empty(), "the setting went with the visitor");

    // A cache synced before the reset and not emptied must not mix two accounts.
    let error = sync::sync_all(&api, &stale, &now, &|_| {}).await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidInput, "the reset store is another server: {error}");
    server.stop().await;
}

#[test]
fn personas_are_deterministic_and_differ() {
    let at = now();
    for persona in Persona::ALL {
        assert_eq!(persona_dataset(persona, at), persona_dataset(persona, at), "{persona:?}");
        assert_eq!(Persona::parse(persona.as_str()), Some(persona));
    }
    let count = |p: Persona, c: GreenCategory| {
        persona_dataset(p, at).bills.iter().filter(|b| b.category == c).count()
    };
    let household = greenmile_server::demo::demo_dataset(at);
    assert_eq!(household.bills.len(), 1817, "the household is as it always was");
    assert!(count(Persona::EvDriver, GreenCategory::EvCharging) > 2 * 147, "charges often");
    assert!(
        count(Persona::Student, GreenCategory::SharedBike)
            > 2 * count(Persona::Household, GreenCategory::SharedBike),
        "rides shared bikes more than twice as often"
    );
    assert_eq!(count(Persona::Student, GreenCategory::EnergyEfficientAppliance), 0);
}
