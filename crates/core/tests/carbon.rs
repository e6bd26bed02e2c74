//! Carbon figures through the cache: traced from the real reference server on loopback into a
//! SQLite file in a temporary folder, recomputed when this app's methods are newer.

#![allow(clippy::unwrap_used)]

use std::net::{Ipv4Addr, SocketAddr};

use chrono::{DateTime, Utc};
use greenmile_api::{Bill, GreenCategory};
use greenmile_core::carbon::explain::{self, NoFigure};
use greenmile_core::carbon::totals;
use greenmile_core::carbon::{self, MethodId};
use greenmile_core::db::bills;
use greenmile_core::{Cache, ErrorCode, sync};
use greenmile_server::RunningServer;

struct Fixture {
    dir: tempfile::TempDir,
    server: RunningServer,
    cache: Cache,
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-04T08:00:00Z").expect("valid instant").to_utc()
}

/// The demo server and a cache synced from it.
async fn synced() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let server = greenmile_server::start_demo(&dir.path().join("server.sqlite"), listen, now())
        .await
        .expect("demo server starts");
    let cache = Cache::open(&dir.path().join("cache.sqlite")).await.expect("cache opens");
    let f = Fixture { dir, server, cache };
    resync(&f).await;
    f
}

async fn resync(f: &Fixture) -> u64 {
    let api = f.server.demo_client().await.unwrap();
    sync::sync_all(&api, &f.cache, &now, &|_| {}).await.expect("sync").changes()
}

/// The bill's API figure and this app's figure beside it, as cached.
async fn figures(
    cache: &Cache,
    id: &str,
) -> (Option<i64>, Option<String>, Option<i64>, Option<String>) {
    sqlx::query_as(
        "SELECT carbon_g, carbon_method, local_carbon_g, local_carbon_method FROM bills WHERE id = ?",
    )
    .bind(id)
    .fetch_one(cache.pool())
    .await
    .unwrap()
}

fn first_of(demo: &[Bill], category: GreenCategory) -> Bill {
    demo.iter().find(|b| b.category == category && b.carbon.is_some()).unwrap().clone()
}

#[tokio::test]
async fn a_figure_from_an_older_method_version_is_recomputed_beside_the_apis() {
    let f = synced().await;
    let demo = greenmile_server::demo::demo_dataset(now());
    let mut trip = first_of(&demo.bills, GreenCategory::PublicTransport);
    let current = trip.carbon.clone().unwrap();
    assert_eq!(figures(&f.cache, &trip.id).await.2, None, "a current figure stands alone");

    // The server's figure came from version 0 of the method, which this app has replaced.
    let figure = trip.carbon.as_mut().unwrap();
    figure.method = "transit-distance@0".to_owned();
    figure.grams = 1;
    trip.version += 1;
    f.server.store().put_bill(f.server.demo_user().await.unwrap(), &trip).await.unwrap();
    resync(&f).await;

    let method = MethodId::TRANSIT_DISTANCE.to_string();
    assert_eq!(
        figures(&f.cache, &trip.id).await,
        (Some(1), Some("transit-distance@0".to_owned()), Some(current.grams), Some(method.clone())),
        "the API's figure is kept and shown; the newer method's is stored beside it"
    );
    let report = totals::report(f.cache.pool(), now(), chrono_tz::Asia::Shanghai).await.unwrap();
    let r = &report.recomputed;
    assert_eq!((r.bills, r.api_g, r.local_g), (1, 1, current.grams), "the report shows both");

    // An app upgraded with the cache already full recomputes when it opens the cache.
    sqlx::query("UPDATE bills SET local_carbon_g = NULL, local_carbon_method = NULL")
        .execute(f.cache.pool())
        .await
        .unwrap();
    f.cache.close().await;
    let reopened = Cache::open(&f.dir.path().join("cache.sqlite")).await.unwrap();
    assert_eq!(figures(&reopened, &trip.id).await.2, Some(current.grams), "recomputed on open");
    assert_eq!(bills::recompute_outdated(reopened.pool()).await.unwrap(), 0, "and only once");

    // Once the server moves to the current version, the local figure has nothing to add.
    trip.carbon = Some(current.clone());
    trip.version += 1;
    f.server.store().put_bill(f.server.demo_user().await.unwrap(), &trip).await.unwrap();
    let api = f.server.demo_client().await.unwrap();
    sync::sync_all(&api, &reopened, &now, &|_| {}).await.unwrap();
    let (api_g, _, local_g, _) = figures(&reopened, &trip.id).await;
    assert_eq!((api_g, local_g), (Some(current.grams), None), "the API's figure alone again");
    f.server.stop().await;
}

#[tokio::test]
async fn bills_cached_before_traces_take_them_when_their_feed_is_read_again() {
    let f = synced().await;
    let with_figure: i64 =
        sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM bills WHERE carbon_g IS NOT NULL")
            .fetch_one(f.cache.pool())
            .await
            .unwrap()
            .0;

    // What migration 0004 finds in a cache synced before traces: no trace, and it forgets the
    // bills cursor so the feed is read again.
    sqlx::query("UPDATE bills SET carbon_trace_json = NULL").execute(f.cache.pool()).await.unwrap();
    sqlx::query("DELETE FROM sync_cursors WHERE collection = 'bills'")
        .execute(f.cache.pool())
        .await
        .unwrap();

    assert_eq!(resync(&f).await as i64, with_figure, "every figure takes its trace, nothing else");
    let (untraced,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM bills WHERE carbon_g IS NOT NULL AND carbon_trace_json IS NULL",
    )
    .fetch_one(f.cache.pool())
    .await
    .unwrap();
    assert_eq!(untraced, 0, "no figure is left without its trace");
    assert_eq!(resync(&f).await, 0, "and a further sync changes nothing");
    f.server.stop().await;
}

#[test]
fn every_demo_category_resolves_to_a_method_or_is_explicitly_unknown() {
    let demo = greenmile_server::demo::demo_dataset(now());

    for bill in &demo.bills {
        match (carbon::method_for(bill.category), &bill.carbon) {
            (Ok(method), Some(figure)) => assert_eq!(figure.method, method.to_string()),
            (Ok(_), None) => assert_eq!(bill.amount.minor, 0, "{} was refunded", bill.id),
            (Err(none), figure) => {
                assert_eq!(figure, &None, "{}: {}", bill.id, none.reason);
            }
        }
    }
}

#[tokio::test]
async fn every_demo_bill_explains_offline_and_recomputes_to_the_apis_figure() {
    let f = synced().await;
    f.server.stop().await;
    let demo = greenmile_server::demo::demo_dataset(now());

    for bill in &demo.bills {
        let e = explain::explain_bill(f.cache.pool(), &bill.id).await.unwrap();
        let Some(figure) = &bill.carbon else {
            assert_eq!(e.grams, None, "{} has no figure, not a zero", bill.id);
            let why = match bill.status {
                greenmile_api::BillStatus::Refunded => NoFigure::Refunded,
                _ => NoFigure::NoMethod,
            };
            assert_eq!(e.no_figure, Some(why), "{} says why", bill.id);
            continue;
        };

        assert_eq!(e.grams, Some(figure.grams), "{} shows the API's figure", bill.id);
        assert_eq!(e.local, e.api, "{}: recomputed from the cache, the same grams", bill.id);
        assert!(!e.differs && e.not_recomputed.is_none());
        assert_eq!(e.method.as_ref().map(|m| m.id.as_str()), Some(figure.method.as_str()));
        assert!(e.arithmetic.last().unwrap().contains(&format!("= {} g", figure.grams)));
        for factor in &e.factors {
            let published = factor.published.as_ref().expect("every factor has its source");
            assert!(!published.source.is_empty() && !published.licence.is_empty());
            assert_eq!(factor.local_value, factor.api_value, "{}: {}", bill.id, factor.id);
        }
    }

    let missing = explain::explain_bill(f.cache.pool(), "b-99999").await.unwrap_err();
    assert_eq!(missing.code(), ErrorCode::InvalidInput, "an unknown bill is a clear error");
}

#[tokio::test]
async fn totals_are_whole_grams_that_add_up_and_refunds_take_theirs_away() {
    let f = synced().await;
    let demo = greenmile_server::demo::demo_dataset(now());
    let tz = chrono_tz::Asia::Shanghai;

    let report = totals::report(f.cache.pool(), now(), tz).await.unwrap();
    let per_bill: i64 = demo.bills.iter().filter_map(|b| b.carbon.as_ref()).map(|c| c.grams).sum();
    let (ledger,): (i64,) = sqlx::query_as("SELECT SUM(grams) FROM carbon_entries")
        .fetch_one(f.cache.pool())
        .await
        .unwrap();
    assert_eq!(per_bill, 10_290_000, "each bill rounded once, then summed as integers");
    assert_eq!(ledger, per_bill, "the ledger holds exactly the bills' grams");
    let t = &report.total;
    assert_eq!(t.total_g, ledger, "the report total is the ledger's");
    assert_eq!(t.measured_g + t.estimated_g, t.total_g, "measured and estimated add up");
    let months: i64 = report.by_month.iter().map(|m| m.carbon.total_g).sum();
    let categories: i64 = report.by_category.iter().map(|c| c.carbon.total_g).sum();
    assert_eq!((months, categories), (t.total_g, t.total_g), "no gram lost between the views");
    assert_eq!(t.unknown_bills, 144, "unknown bills counted beside the total");
    assert_eq!(report.by_month.last().unwrap().month, "2026-12", "up to this month");

    let measured: i64 = demo
        .bills
        .iter()
        .filter_map(|b| b.carbon.as_ref())
        .filter(|c| carbon::basis_of(&c.method) == greenmile_api::CarbonBasis::Measured)
        .map(|c| c.grams)
        .sum();
    assert_eq!(t.measured_g, measured, "measured grams are those of measured methods");

    // The server refunds a trip in full but leaves its ledger entry: the saving goes anyway.
    let mut trip = first_of(&demo.bills, GreenCategory::PublicTransport);
    let saved = trip.carbon.take().unwrap().grams;
    trip.status = greenmile_api::BillStatus::Refunded;
    trip.amount.minor = 0;
    trip.version += 1;
    f.server.store().put_bill(f.server.demo_user().await.unwrap(), &trip).await.unwrap();
    resync(&f).await;

    let after = totals::report(f.cache.pool(), now(), tz).await.unwrap();
    assert_eq!(after.total.total_g, t.total_g - saved, "a refunded bill saves nothing");
    assert_eq!(after.total.unknown_bills, 144, "and is not unknown either");
    f.server.stop().await;
}

#[tokio::test]
async fn the_dashboard_splits_carbon_by_month_and_category_and_drives_it_in_a_car() {
    let f = synced().await;
    f.server.stop().await;
    let tz = chrono_tz::Asia::Shanghai;

    let d = greenmile_core::dashboard::dashboard(f.cache.pool(), now(), tz).await.unwrap();
    assert_eq!(d.carbon_total_g, 10_290_000);
    assert_eq!(d.carbon_measured_g + d.carbon_estimated_g, d.carbon_total_g);
    assert_eq!(d.carbon_unknown_bills, 144);
    for m in &d.by_month {
        assert_eq!(m.carbon_measured_g + m.carbon_estimated_g, m.carbon_g, "{}", m.month);
    }
    let categories: i64 = d.by_category.iter().map(|c| c.carbon_g).sum();
    assert_eq!(categories, d.carbon_total_g, "categories add up to the total");
    for c in &d.by_category {
        assert_eq!(c.carbon_measured_g + c.carbon_estimated_g, c.carbon_g, "{:?}", c.category);
    }
    let food = d.by_category.iter().find(|c| c.category == GreenCategory::GreenFood).unwrap();
    assert_eq!((food.carbon_g, food.carbon_unknown), (0, 108), "unknown beside, not in, 0 g");

    let report = totals::report(f.cache.pool(), now(), tz).await.unwrap();
    let shown = &report.by_month[report.by_month.len() - d.by_month.len()..];
    for (m, r) in d.by_month.iter().zip(shown) {
        assert_eq!((&m.month, m.carbon_g), (&r.month, r.carbon.total_g), "one tally, two screens");
    }

    // 10,290,000 g ÷ 166.91 g/km = 61,650 km in an average car.
    let car = d.carbon_car_km.expect("the average car factor is in the table");
    assert_eq!((car.amount, car.factor.id.as_str()), (61_650, "uk-car-average-2024"));
}
