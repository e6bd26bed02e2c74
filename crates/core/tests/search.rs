//! Searching the bill list: the trigram index of migration 0009 for terms of three characters
//! or more, LIKE for shorter ones, kept in step with `bills` as pages insert, change and delete
//! bills. Run on a SQLite file in a temporary folder.

#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Asia::Shanghai;
use greenmile_api::{Bill, BillStatus, Certification, GreenCategory, Money, Tombstone};
use greenmile_core::Cache;
use greenmile_core::db::bills::{self, BillFilter, BillQuery, SearchTerms};

fn at(days: i64) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-01T08:00:00Z").unwrap().to_utc() + Duration::days(days)
}

fn bill(n: i64, merchant: &str, item: &str, category: GreenCategory) -> Bill {
    Bill {
        green_rule: None,
        id: format!("b-{n}"),
        occurred_at: at(n),
        merchant: merchant.to_owned(),
        item: item.to_owned(),
        category,
        amount: Money::cny(100 * n),
        certification: Certification::PlatformReviewed,
        carbon: None,
        status: BillStatus::Posted,
        instalment: None,
        version: 1,
    }
}

fn household() -> Vec<Bill> {
    use GreenCategory::*;
    vec![
        bill(1, "北京地铁", "地铁出行 3.2 km", PublicTransport),
        bill(2, "上海地铁", "地铁出行 8 km", PublicTransport),
        bill(3, "Shanghai Metro", "Line 2 ride", PublicTransport),
        bill(4, "闲鱼", "二手书桌", SecondHand),
        bill(5, "特来电", "充电 20 kWh", EvCharging),
        bill(6, "100% Green_Food", "有机蔬菜", GreenFood),
    ]
}

async fn cache_with(dir: &tempfile::TempDir, items: &[Bill]) -> Cache {
    let cache = Cache::open(&dir.path().join("cache.sqlite")).await.unwrap();
    let mut tx = cache.begin_write().await.unwrap();
    bills::upsert(&mut tx, items).await.unwrap();
    tx.commit().await.unwrap();
    cache
}

/// The ids a search finds, newest first, and the total the list reports.
async fn found(cache: &Cache, text: &str) -> (Vec<String>, i64) {
    let query = BillQuery {
        limit: 50,
        filter: BillFilter { search: Some(text.to_owned()), ..BillFilter::default() },
        after: None,
    };
    let list = bills::list(cache.pool(), &query, Shanghai).await.unwrap();
    (list.items.into_iter().map(|b| b.id).collect(), list.total.unwrap())
}

fn ids(list: &[&str]) -> (Vec<String>, i64) {
    (list.iter().map(|s| (*s).to_owned()).collect(), list.len() as i64)
}

#[tokio::test]
async fn chinese_and_english_terms_match_inside_merchant_and_item() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_with(&dir, &household()).await;

    assert_eq!(found(&cache, "北京地铁").await, ids(&["b-1"]), "a whole merchant name");
    assert_eq!(found(&cache, "地铁出行").await, ids(&["b-2", "b-1"]), "inside the item");
    assert_eq!(found(&cache, "地铁").await, ids(&["b-2", "b-1"]), "two characters, by LIKE");
    assert_eq!(found(&cache, "京地").await, ids(&["b-1"]), "two characters inside a name");
    assert_eq!(found(&cache, "电").await, ids(&["b-5"]), "one character");
    assert_eq!(found(&cache, "metro").await, ids(&["b-3"]), "ASCII case is ignored");
    assert_eq!(found(&cache, "METRO line").await, ids(&["b-3"]), "every term must match");
    assert_eq!(found(&cache, "地铁 8 km").await, ids(&["b-2"]), "short and long terms mix");
    assert_eq!(found(&cache, "书桌").await, ids(&["b-4"]), "second-hand desk");
    assert_eq!(found(&cache, "北京 Metro").await, ids(&[]), "no bill has both");
    assert_eq!(found(&cache, "  ").await.1, 6, "a blank search matches every bill");
}

#[tokio::test]
async fn search_operators_and_wildcards_are_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_with(&dir, &household()).await;

    assert_eq!(found(&cache, "%").await, ids(&["b-6"]), "a percent sign is not a wildcard");
    assert_eq!(found(&cache, "n_").await, ids(&["b-6"]), "an underscore is not a wildcard");
    assert_eq!(found(&cache, "Metro OR 闲鱼").await, ids(&[]), "OR is a word, not an operator");
    assert_eq!(found(&cache, "\"Metro\" NEAR(").await, ids(&[]), "quotes cannot break out");
    assert_eq!(found(&cache, "Metr*").await, ids(&[]), "a star is not a prefix query");

    let long = "地".repeat(bills::MAX_SEARCH_CHARS + 1);
    let filter = BillFilter { search: Some(long), ..BillFilter::default() };
    let query = BillQuery { limit: 10, filter, after: None };
    let error = bills::list(cache.pool(), &query, Shanghai).await.unwrap_err();
    assert_eq!(error.code(), greenmile_core::ErrorCode::InvalidInput, "over-long search refused");
}

#[tokio::test]
async fn the_index_follows_updates_and_tombstones() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_with(&dir, &household()).await;

    let mut renamed = bill(3, "上海地铁", "2号线", GreenCategory::PublicTransport);
    renamed.version = 2;
    let mut tx = cache.begin_write().await.unwrap();
    bills::upsert(&mut tx, &[renamed]).await.unwrap();
    let gone = Tombstone { id: "b-1".to_owned(), version: 2 };
    bills::delete(&mut tx, &[gone]).await.unwrap();
    tx.commit().await.unwrap();

    assert_eq!(found(&cache, "Metro").await, ids(&[]), "the old merchant is no longer found");
    assert_eq!(found(&cache, "上海地铁").await, ids(&["b-3", "b-2"]), "the new one is");
    assert_eq!(found(&cache, "北京地铁").await, ids(&[]), "a deleted bill is not found");

    // A replayed older version changes neither the bill nor the index.
    let mut tx = cache.begin_write().await.unwrap();
    bills::upsert(
        &mut tx,
        &[bill(3, "Shanghai Metro", "Line 2 ride", GreenCategory::PublicTransport)],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(found(&cache, "Metro").await, ids(&[]), "a stale replay leaves the index alone");

    let (keys,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM bill_search_keys")
        .fetch_one(cache.pool())
        .await
        .unwrap();
    assert_eq!(keys, 5, "one search key per cached bill");
}

#[tokio::test]
async fn search_combines_with_category_and_month() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_with(&dir, &household()).await;

    let filter = BillFilter {
        category: Some(GreenCategory::PublicTransport),
        month: Some("2026-11".to_owned()),
        search: Some("地铁".to_owned()),
        ..BillFilter::default()
    };
    let query = BillQuery { limit: 50, filter, after: None };
    let list = bills::list(cache.pool(), &query, Shanghai).await.unwrap();
    assert_eq!(list.total, Some(2), "both metro bills are public transport in November");

    let filter = BillFilter { category: Some(GreenCategory::SecondHand), ..query.filter };
    let query = BillQuery { filter, ..query };
    assert_eq!(bills::list(cache.pool(), &query, Shanghai).await.unwrap().total, Some(0));
}

#[test]
fn terms_split_by_length() {
    let terms = SearchTerms::parse("北京地铁 地铁 a\"b\"c").unwrap();
    assert_eq!(terms.indexed, vec!["\"北京地铁\"".to_owned(), "\"a\"\"b\"\"c\"".to_owned()]);
    assert_eq!(terms.scanned, vec!["%地铁%".to_owned()]);
    assert_eq!(SearchTerms::parse(" ").unwrap(), SearchTerms::default(), "blank: no terms");
}

#[tokio::test]
async fn imported_bills_are_found_by_long_and_short_terms_too() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_with(&dir, &household()).await;
    let export = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/bills/greenmile/wechat-green.csv");
    greenmile_core::import::import_file(&cache, &export, at(90)).await.unwrap();

    let sources = |text: &'static str| {
        let cache = cache.clone();
        async move {
            let query = BillQuery {
                limit: 50,
                filter: BillFilter { search: Some(text.to_owned()), ..BillFilter::default() },
                after: None,
            };
            let list = bills::list(cache.pool(), &query, Shanghai).await.unwrap();
            let mut found: Vec<String> = list
                .items
                .iter()
                .map(|b| format!("{}:{}", b.merchant, b.source.as_str()))
                .collect();
            found.sort();
            found
        }
    };
    // The export's metro ride (上海地铁, 地铁出行 8.0公里) beside the synced one.
    assert_eq!(sources("上海地铁").await, ["上海地铁:api", "上海地铁:file"], "through the index");
    assert_eq!(sources("星星充电").await, ["星星充电:file"], "only in the export");
    assert_eq!(sources("8.0公里").await, ["上海地铁:file"], "inside an imported item");
    assert_eq!(
        sources("地铁").await,
        ["上海地铁:api", "上海地铁:file", "北京地铁:api"],
        "two characters, by LIKE, over both"
    );
}
