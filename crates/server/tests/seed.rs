//! A store seeded from payment exports, served on loopback, synced by a real client into a
//! SQLite file: the client receives the files' green bills as API bills, with their
//! certification, the rule that recognised them and their carbon figures.
//!
//! The expected figures are worked out by hand from `tests/fixtures/bills/greenmile/` (see
//! the comments, and the same arithmetic in `crates/core/tests/imported_bills.rs`); grams come
//! from `carbon::estimate` on the quantities the rows state.

#![allow(clippy::unwrap_used)]

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use greenmile_api::{Certification, Money, SecondHandGoods, TransitMode};
use greenmile_core::carbon::explain;
use greenmile_core::carbon::{self, Activity};
use greenmile_core::dashboard::{self, system_time_zone};
use greenmile_core::db::bills::{self, BillQuery, BillSource};
use greenmile_core::{Cache, GreenApi, sync};
use greenmile_server::{RunningServer, Store, UserId, seed};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-04T08:00:00Z").unwrap().to_utc()
}

fn fixtures() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/bills");
    vec![dir.join("greenmile/alipay-green-gbk.csv"), dir.join("greenmile/wechat-green.csv")]
}

fn grams(activity: Activity) -> i64 {
    carbon::estimate(&activity).unwrap().grams
}

/// The two files' known figures: Alipay's metro 12.4 km, bike rides of 2.5 km (1.50 at 0.60
/// a km) and 2.0 km, a 30.5 kWh charge and 40.00 kept of second-hand books; WeChat's metro
/// 8.0 km, a bike ride with 1.50 kept (2.5 km) and a 20 kWh charge. 8 figures.
fn expected_grams() -> i64 {
    let metro = |km| grams(Activity::Transit { mode: TransitMode::Metro, km });
    let bike = |km| grams(Activity::SharedBike { km });
    let books = Activity::SecondHand { spend: Money::cny(4000), goods: SecondHandGoods::Books };
    metro(12.4)
        + bike(2.5)
        + bike(2.0)
        + grams(Activity::EvCharging { kwh: 30.5 })
        + grams(books)
        + metro(8.0)
        + bike(2.5)
        + grams(Activity::EvCharging { kwh: 20.0 })
}

async fn sync_into(dir: &tempfile::TempDir, server: &RunningServer, user: UserId) -> Cache {
    let cache = Cache::open(&dir.path().join("client.sqlite")).await.unwrap();
    let tokens = server.store().issue_tokens(user, Utc::now()).await.unwrap();
    let api = GreenApi::new(&server.url()).unwrap().with_session(tokens.into(), None);
    sync::sync_all(&api, &cache, &now, &|_| {}).await.unwrap();
    cache
}

#[tokio::test]
async fn a_client_syncs_the_green_bills_of_the_seed_files() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("server.sqlite")).await.unwrap();
    let user = store.add_user("ana@example.org", "correct horse battery", now()).await.unwrap();

    let seeded = seed::seed_from_files(&store, user, &fixtures(), now()).await.unwrap();
    // Alipay: metro, bus, three bike rides, charge, books, phone, milk, air conditioner (10;
    // the ambiguous 爱回收 fee and the meal are not green); WeChat: metro, bike, desk, charge.
    assert_eq!((seeded.bills_added, seeded.bills_present, seeded.carbon_added), (14, 0, 8));
    assert_eq!(seeded.files.len(), 2, "each file's import report");
    let again = seed::seed_from_files(&store, user, &fixtures(), now()).await.unwrap();
    assert_eq!((again.bills_added, again.bills_present), (0, 14), "seeding again adds nothing");

    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let server = greenmile_server::start(listen, store).await.unwrap();
    let cache = sync_into(&dir, &server, user).await;

    let summary = dashboard::summary(cache.pool(), now().date_naive()).await.unwrap();
    assert_eq!((summary.bills, summary.imported_bills), (14, 0), "API bills, not imported ones");
    // 3174.60 (Alipay's green net spend) + 35.50 (WeChat's).
    assert_eq!(summary.green_spend.get("CNY"), Some(&321_010));
    assert_eq!(summary.carbon_entries, 8, "one ledger entry per known figure");
    assert_eq!(summary.carbon_saved_g, expected_grams());
    assert_eq!(summary.carbon_unknown_bills, 3, "the bus ride, the milk, the air conditioner");

    let query = BillQuery { limit: 50, ..BillQuery::default() };
    let list = bills::list(cache.pool(), &query, system_time_zone()).await.unwrap();
    assert!(list.items.iter().all(|b| b.source == BillSource::Api));
    assert!(list.items.iter().all(|b| b.certification == Certification::SelfDeclared));
    let metro = list.items.iter().find(|b| b.item == "地铁出行 12.4 km").unwrap();
    assert_eq!(metro.green_rule.as_deref(), Some("metro-fare"), "the rule travels with the bill");
    let rules: Vec<&str> = list.items.iter().filter_map(|b| b.green_rule.as_deref()).collect();
    assert_eq!(rules.len(), 14, "every seeded bill names its rule");

    let e = explain::explain_bill(cache.pool(), &metro.id).await.unwrap();
    assert_eq!(e.grams, metro.carbon_g);
    assert_eq!(e.local, e.api, "the client recomputes the server's figure from its trace");
    server.stop().await;
}

#[tokio::test]
async fn the_seed_files_come_beside_the_demo_household() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("server.sqlite")).await.unwrap();
    store.seed_demo(now()).await.unwrap();
    let demo_user = store.demo_user().await.unwrap().unwrap();
    seed::seed_from_files(&store, demo_user, &fixtures(), now()).await.unwrap();

    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let server = greenmile_server::start(listen, store).await.unwrap();
    let cache = sync_into(&dir, &server, demo_user).await;

    let demo = greenmile_server::demo::demo_dataset(now());
    let demo_spend: i64 = demo.bills.iter().map(|b| b.amount.minor).sum();
    let demo_grams: i64 = demo.carbon.iter().map(|c| c.grams).sum();
    let summary = dashboard::summary(cache.pool(), now().date_naive()).await.unwrap();
    assert_eq!(summary.bills, demo.bills.len() as i64 + 14);
    assert_eq!(summary.green_spend.get("CNY"), Some(&(demo_spend + 321_010)));
    assert_eq!(summary.carbon_saved_g, demo_grams + expected_grams());
    server.stop().await;
}

#[tokio::test]
async fn a_file_that_cannot_be_read_stops_the_seed_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("server.sqlite")).await.unwrap();
    let notes = dir.path().join("notes.csv");
    std::fs::write(&notes, "name,age\nAda,36\n").unwrap();
    let mut files = fixtures();
    files.push(notes);

    let user = store.add_user("ana@example.org", "correct horse battery", now()).await.unwrap();
    let error = seed::seed_from_files(&store, user, &files, now()).await.unwrap_err();

    assert!(error.to_string().contains("no known bill layout"), "{error}");
    let page = store.feed::<greenmile_api::Bill>(user, greenmile_server::Collection::Bills, 0, 10);
    assert!(page.await.unwrap().upserts.is_empty(), "nothing was written");
}
