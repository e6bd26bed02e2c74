//! Imported bills counted where bills count: the bill list, the summary, the dashboard, the
//! carbon totals and a bill's carbon explanation, in a real SQLite cache in a temporary folder,
//! beside bills synced from the real reference server on loopback.
//!
//! The expected figures are worked out by hand from the fixture files under
//! `tests/fixtures/bills/greenmile/` (the arithmetic is in the comments); carbon grams come from
//! `carbon::estimate` on the quantities the rows state, so a test fails when the importer or a
//! query feeds the wrong bills or the wrong quantities.

#![allow(clippy::unwrap_used)]

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use chrono_tz::Asia::Shanghai;
use greenmile_api::{
    BillStatus, Certification, GreenCategory, Money, SecondHandGoods, TransitMode,
};
use greenmile_core::carbon::explain::{self, NoFigure};
use greenmile_core::carbon::totals;
use greenmile_core::carbon::{self, Activity};
use greenmile_core::db::bills::{self, BillFilter, BillQuery, BillSource};
use greenmile_core::db::imported;
use greenmile_core::{Cache, ErrorCode, dashboard, import, sync};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/bills").join(name)
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn grams(activity: Activity) -> i64 {
    carbon::estimate(&activity).expect("the method accepts the inputs").grams
}

fn metro(km: f64) -> i64 {
    grams(Activity::Transit { mode: TransitMode::Metro, km })
}

fn books(fen: i64) -> i64 {
    grams(Activity::SecondHand { spend: Money::cny(fen), goods: SecondHandGoods::Books })
}

async fn open(dir: &tempfile::TempDir) -> Cache {
    Cache::open(&dir.path().join("cache.sqlite")).await.expect("cache opens")
}

async fn import_both(cache: &Cache, now: DateTime<Utc>) {
    for name in ["greenmile/alipay-green-gbk.csv", "greenmile/wechat-green.csv"] {
        import::import_file(cache, &fixture(name), now).await.expect("the fixture imports");
    }
}

/// Carbon of the Alipay fixture's green bills (all in March 2024, Shanghai time): the metro
/// ride's stated 12.4 km, the 哈啰 ride's 1.50 at 0.60 a km (2.5 km), the 青桔 ride's stated
/// 2.0 km, the 30.5 kWh charge, and the 40.00 kept of the second-hand books. The bus ride, the
/// organic milk and the air conditioner have no figure (unknown); the refunded 青桔 ride and
/// phone save nothing.
fn alipay_measured() -> i64 {
    metro(12.4)
        + grams(Activity::SharedBike { km: 2.5 })
        + grams(Activity::SharedBike { km: 2.0 })
        + grams(Activity::EvCharging { kwh: 30.5 })
}

/// The WeChat fixture: the 8.0 km metro ride at 23:59:59 on 31 December 2024 (December), and in
/// January 2025 the bike ride with 1.50 kept of 3.00 (2.5 km) and the 20 kWh charge; the
/// refunded desk saves nothing.
fn wechat_december() -> i64 {
    metro(8.0)
}

fn wechat_january() -> i64 {
    grams(Activity::SharedBike { km: 2.5 }) + grams(Activity::EvCharging { kwh: 20.0 })
}

#[tokio::test]
async fn imported_green_bills_count_in_the_list_summary_dashboard_and_carbon_totals() {
    let dir = tempfile::tempdir().unwrap();
    let cache = open(&dir).await;
    let now = at("2025-01-15T04:00:00Z");
    import_both(&cache, now).await;
    let pool = cache.pool();

    // Green bills: Alipay's metro, bus, two 青桔 rides and one 哈啰 ride, the charge, books,
    // phone, milk and air conditioner (10; the ambiguous 爱回收 fee, the meal and the refund
    // rows are not green bills) and WeChat's metro, bike, desk and charge (4).
    let list = bills::list(pool, &BillQuery { limit: 100, ..BillQuery::default() }, Shanghai)
        .await
        .unwrap();
    assert_eq!(list.total, Some(14), "every green imported bill is listed");
    assert!(list.items.iter().all(|b| b.source == BillSource::File), "marked as from a file");
    let formats: Vec<&str> = list.items.iter().filter_map(|b| b.file_format.as_deref()).collect();
    assert_eq!(formats.iter().filter(|f| **f == "alipay_csv").count(), 10);
    assert_eq!(formats.iter().filter(|f| **f == "wechat_csv").count(), 4);
    assert!(list.items.iter().all(|b| b.certification == Certification::SelfDeclared));
    assert!(!list.items.iter().any(|b| b.merchant == "爱回收"), "unverified is never green");
    let ride = list.items.iter().find(|b| b.item == "地铁出行 12.4 km").unwrap();
    assert_eq!(ride.green_rule.as_deref(), Some("metro-fare"), "the rule that recognised it");
    let second = BillQuery {
        limit: 10,
        filter: BillFilter { category: Some(GreenCategory::SecondHand), ..BillFilter::default() },
        after: None,
    };
    let second = bills::list(pool, &second, Shanghai).await.unwrap();
    let kept: Vec<(i64, BillStatus)> =
        second.items.iter().map(|b| (b.amount.minor, b.status)).collect();
    // Newest first: the desk (300.00, all refunded), the phone (800.00, all refunded), the books
    // (60.00, 20.00 refunded).
    assert_eq!(
        kept,
        [
            (0, BillStatus::Refunded),
            (0, BillStatus::Refunded),
            (4000, BillStatus::PartiallyRefunded)
        ]
    );

    // Green spend: Alipay 4.00 + 2.00 + 1.50 + 3.00 + 0 + 45.20 + 40.00 + 0 + 79.90 + 2999.00
    // = 3174.60 (the import report's green net spend); WeChat 4.00 + 1.50 + 0 + 30.00 = 35.50.
    let summary = dashboard::summary(pool, now.date_naive()).await.unwrap();
    assert_eq!((summary.bills, summary.imported_bills), (14, 14));
    assert_eq!(summary.green_spend.get("CNY"), Some(&(317_460 + 3_550)));
    let expected = alipay_measured() + books(4000) + wechat_december() + wechat_january();
    assert_eq!(summary.carbon_saved_g, expected, "the rows' stated quantities, refunds applied");
    assert_eq!(summary.carbon_unknown_bills, 3, "bus ride, organic milk, air conditioner");
    assert_eq!(summary.carbon_entries, 0, "imported figures are not ledger entries");

    let per_bill: i64 = list.items.iter().filter_map(|b| b.carbon_g).sum();
    assert_eq!(per_bill, summary.carbon_saved_g, "the total is the sum of the bills' grams");

    let report = totals::report(pool, now, Shanghai).await.unwrap();
    assert_eq!(report.total.total_g, summary.carbon_saved_g, "carbon totals = summary");
    assert_eq!(report.total.unknown_bills, 3);
    assert_eq!(report.total.estimated_g, books(4000), "spend-based: the second-hand books");
    assert_eq!(report.total.measured_g, expected - books(4000), "km and kWh the rows state");
    let month = |m: &str| report.by_month.iter().find(|x| x.month == m).unwrap().carbon.clone();
    assert_eq!(report.by_month.first().unwrap().month, "2024-03", "from the oldest bill's month");
    assert_eq!(month("2024-03").total_g, alipay_measured() + books(4000));
    assert_eq!(month("2024-03").unknown_bills, 3);
    assert_eq!(month("2024-12").total_g, wechat_december(), "23:59:59 on 31 December is 2024");
    assert_eq!(month("2025-01").total_g, wechat_january());
    let by_month: i64 = report.by_month.iter().map(|m| m.carbon.total_g).sum();
    let by_category: i64 = report.by_category.iter().map(|c| c.carbon.total_g).sum();
    assert_eq!((by_month, by_category), (expected, expected), "months and categories add up");
    let unknown: i64 = report.by_category.iter().map(|c| c.carbon.unknown_bills).sum();
    assert_eq!(unknown, 3);

    let board = dashboard::dashboard(pool, now, Shanghai).await.unwrap();
    assert_eq!((board.currency.as_str(), board.bill_count), ("CNY", 14));
    assert_eq!(board.carbon_total_g, expected);
    let spend = |m: &str| board.by_month.iter().find(|x| x.month == m).unwrap().spend_minor;
    assert_eq!(spend("2024-03"), 317_460);
    assert_eq!(spend("2024-12"), 400, "the metro ride a second before the new year");
    assert_eq!(spend("2025-01"), 150 + 3000, "the bike's 1.50 kept and the charge");
    assert_eq!(board.this_month.bills, 3, "bike, desk and charge in January");
    let category_spend: i64 = board.by_category.iter().map(|c| c.spend_minor).sum();
    assert_eq!(category_spend, 317_460 + 3_550, "categories add up to the green spend");
    let transit =
        board.by_category.iter().find(|c| c.category == GreenCategory::PublicTransport).unwrap();
    // Metro 4.00 and bus 2.00 (Alipay), metro 4.00 (WeChat).
    assert_eq!((transit.bills, transit.spend_minor), (3, 1000));
    assert_eq!(transit.carbon_g, metro(12.4) + metro(8.0));
    assert_eq!(board.certification_mix.len(), 1);
    assert_eq!(board.certification_mix[0].certification, Certification::SelfDeclared);
    assert_eq!(board.certification_mix[0].bills, 14);
}

#[tokio::test]
async fn an_imported_bills_carbon_is_explained_from_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let cache = open(&dir).await;
    import_both(&cache, at("2025-01-15T04:00:00Z")).await;
    let rows = imported::list(cache.pool(), 500, 0).await.unwrap();
    let id = |merchant: &str, item: &str| {
        rows.iter()
            .find(|b| b.kind == "expense" && b.merchant == merchant && b.item.starts_with(item))
            .map(|b| b.id.clone())
            .unwrap()
    };

    let e = explain::explain_bill(cache.pool(), &id("北京地铁", "地铁出行 12.4")).await.unwrap();
    assert_eq!((e.source, e.file_format.as_deref()), (BillSource::File, Some("alipay_csv")));
    assert_eq!(e.grams, Some(metro(12.4)));
    assert_eq!(e.local, e.api, "recomputed from the stored inputs: the same figure");
    assert!(!e.differs);
    assert_eq!(e.method.unwrap().id, "transit-distance@1");
    assert!(!e.arithmetic.is_empty(), "every step of the arithmetic is shown");

    let e = explain::explain_bill(cache.pool(), &id("多抓鱼", "二手书")).await.unwrap();
    assert_eq!(e.grams, Some(books(4000)), "the 40.00 kept of 60.00");
    assert_eq!(e.amount.minor, 4000);

    let bus = explain::explain_bill(cache.pool(), &id("北京公交", "公交出行")).await.unwrap();
    assert_eq!((bus.grams, bus.no_figure), (None, Some(NoFigure::NotInFile)));
    let phone = explain::explain_bill(cache.pool(), &id("闲鱼", "二手手机")).await.unwrap();
    assert_eq!((phone.grams, phone.no_figure), (None, Some(NoFigure::Refunded)));

    let fee = explain::explain_bill(cache.pool(), &id("爱回收", "旧家电")).await.unwrap_err();
    assert_eq!(fee.code(), ErrorCode::InvalidInput, "an unverified row is not a green bill");
    assert!(fee.to_string().contains("not a green bill"), "{fee}");
}

#[tokio::test]
async fn a_sync_neither_deletes_nor_overwrites_imported_bills() {
    let now = at("2026-12-04T08:00:00Z");
    let dir = tempfile::tempdir().unwrap();
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let server =
        greenmile_server::start_demo(&dir.path().join("s.sqlite"), listen, now).await.unwrap();
    let cache = open(&dir).await;
    let wechat = fixture("greenmile/wechat-green.csv");
    import::import_file(&cache, &wechat, now).await.unwrap();
    let before = imported::list(cache.pool(), 500, 0).await.unwrap();

    let api = server.demo_client().await.unwrap();
    sync::sync_all(&api, &cache, &|| now, &|_| {}).await.unwrap();
    server
        .store()
        .delete(server.demo_user().await.unwrap(), greenmile_server::Collection::Bills, "b-00001")
        .await
        .unwrap();
    sync::sync_all(&api, &cache, &|| now, &|_| {}).await.unwrap();

    assert_eq!(imported::list(cache.pool(), 500, 0).await.unwrap(), before, "untouched");
    let demo = greenmile_server::demo::demo_dataset(now);
    let api_bills = demo.bills.iter().filter(|b| b.id != "b-00001");
    let api_spend: i64 = api_bills.clone().map(|b| b.amount.minor).sum();
    // The server deleted the bill, not its ledger entry: the entry still counts.
    let api_carbon: i64 = demo.carbon.iter().map(|c| c.grams).sum();
    let summary = dashboard::summary(cache.pool(), now.date_naive()).await.unwrap();
    assert_eq!(summary.bills, api_bills.count() as i64 + 4, "synced and imported side by side");
    assert_eq!(summary.imported_bills, 4);
    assert_eq!(summary.green_spend.get("CNY"), Some(&(api_spend + 3_550)));
    assert_eq!(summary.carbon_saved_g, api_carbon + wechat_december() + wechat_january());
    let report = totals::report(cache.pool(), now, Shanghai).await.unwrap();
    assert_eq!(report.total.total_g, summary.carbon_saved_g, "carbon totals = summary");
    for (source, total) in [(BillSource::File, 4), (BillSource::Api, demo.bills.len() as i64 - 1)] {
        let filter = BillFilter { source: Some(source), ..BillFilter::default() };
        let query = BillQuery { limit: 10, filter, after: None };
        let list = bills::list(cache.pool(), &query, Shanghai).await.unwrap();
        assert_eq!(list.total, Some(total), "{source:?} bills alone");
        assert!(list.items.iter().all(|b| b.source == source));
    }

    // The importer's own question, again after the syncs: nothing is new.
    let again = import::import_file(&cache, &wechat, now).await.unwrap();
    assert_eq!((again.imported, again.duplicates), (0, 4));
    server.stop().await;
}
