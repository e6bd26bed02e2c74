//! Searching the bill list: the trigram index of migrations 0009 and 0012 for terms of three
//! characters or more, the index's list of trigrams for shorter ones (LIKE where it cannot
//! answer), kept in step with `bills` as pages insert, change and delete bills; and pages of a
//! search, read a span of time at a time, equal to the same bills found one by one. Run on a
//! SQLite file in a temporary folder.

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
    assert_eq!(found(&cache, "地铁").await, ids(&["b-2", "b-1"]), "two characters");
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
        "two characters, through the index and by LIKE"
    );
}

/// Every page of `filter`'s list, `limit` bills at a time, joined; and the first page's total.
async fn every_page(cache: &Cache, filter: &BillFilter, limit: u32) -> (Vec<String>, i64) {
    let mut query = BillQuery { limit, filter: filter.clone(), after: None };
    let first = bills::list(cache.pool(), &query, Shanghai).await.unwrap();
    let total = first.total.unwrap();
    let mut ids: Vec<String> = first.items.into_iter().map(|b| b.id).collect();
    let mut next = first.next;
    while let Some(after) = next {
        query.after = Some(after);
        let page = bills::list(cache.pool(), &query, Shanghai).await.unwrap();
        assert_eq!(page.total, None, "pages after the first are not counted");
        ids.extend(page.items.into_iter().map(|b| b.id));
        next = page.next;
    }
    (ids, total)
}

/// Whether `bill` holds every term of `search` in its merchant or item, letters in any case:
/// what a search means, checked one bill at a time.
fn holds_every_term(bill: &Bill, search: &str) -> bool {
    let (merchant, item) = (bill.merchant.to_lowercase(), bill.item.to_lowercase());
    search
        .split_whitespace()
        .map(str::to_lowercase)
        .all(|t| merchant.contains(&t) || item.contains(&t))
}

#[tokio::test]
async fn pages_of_a_search_are_the_matching_bills_newest_first() {
    use GreenCategory::*;
    // 1,500 bills from 1962 to 2301: years apart and milliseconds apart, and every fifth at
    // the same instant as the one before (ties go by id), some before 1970 and after 2248,
    // where search keys are clamped. The items give "a" over 64 trigrams, so that term is
    // scanned, while 地铁 and 电 go through the index's trigram list.
    let merchants = ["北京地铁", "上海地铁", "Shanghai Metro", "闲鱼", "特来电", "哈啰单车"];
    let categories = [PublicTransport, PublicTransport, PublicTransport, SecondHand, EvCharging];
    let letters: Vec<char> = ('a'..='z').collect();
    let start = DateTime::parse_from_rfc3339("1962-03-01T00:00:00Z").unwrap().to_utc();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut items: Vec<Bill> = Vec::new();
    for n in 0..1500_i64 {
        let r = next();
        let occurred_at = match (n % 5, items.last()) {
            (4, Some(before)) => before.occurred_at,
            _ => start + Duration::milliseconds((r % (339 * 365 * 86_400_000)) as i64),
        };
        let (a, b) = (letters[(r >> 20) as usize % 26], letters[(r >> 28) as usize % 26]);
        let mut bill = bill(
            n,
            merchants[n as usize % 6],
            &format!("a{a}{b} 出行"),
            categories[n as usize % 5],
        );
        // Unique, and in no order of time: ties are ordered by an id unrelated to their place.
        bill.id = format!("b-{:03}-{n:04}", r % 1000);
        bill.occurred_at = occurred_at;
        items.push(bill);
    }
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_with(&dir, &items).await;

    let mut newest_first = items.clone();
    newest_first.sort_by(|a, b| (b.occurred_at, &b.id).cmp(&(a.occurred_at, &a.id)));
    for search in ["地铁", "Metro", "电", "a", "单车 出行", "aq 地铁", "铁 Shanghai", "xyz"]
    {
        for category in [None, Some(PublicTransport)] {
            let expected: Vec<String> = newest_first
                .iter()
                .filter(|b| holds_every_term(b, search))
                .filter(|b| category.is_none_or(|c| b.category == c))
                .map(|b| b.id.clone())
                .collect();
            let filter =
                BillFilter { search: Some(search.to_owned()), category, ..BillFilter::default() };
            let (ids, total) = every_page(&cache, &filter, 7).await;
            assert_eq!(total, expected.len() as i64, "the total of {search:?} in {category:?}");
            assert_eq!(ids, expected, "the pages of {search:?} in {category:?}");
        }
    }
    // The figures the loop compares, so it cannot pass on empty lists.
    let metro = BillFilter { search: Some("Metro".to_owned()), ..BillFilter::default() };
    assert_eq!(every_page(&cache, &metro, 50).await.0.len(), 250, "every sixth bill is the Metro");
    let none = BillFilter { search: Some("xyz".to_owned()), ..BillFilter::default() };
    assert_eq!(every_page(&cache, &none, 50).await, (vec![], 0), "no bill holds xyz");
}

#[tokio::test]
async fn a_bill_moved_in_time_moves_in_the_search() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_with(&dir, &household()).await;
    assert_eq!(found(&cache, "地铁").await, ids(&["b-2", "b-1"]));

    let mut earlier = bill(2, "上海地铁", "地铁出行 8 km", GreenCategory::PublicTransport);
    earlier.occurred_at = at(-400);
    earlier.version = 2;
    let mut tx = cache.begin_write().await.unwrap();
    bills::upsert(&mut tx, &[earlier]).await.unwrap();
    tx.commit().await.unwrap();

    assert_eq!(found(&cache, "地铁").await, ids(&["b-1", "b-2"]), "b-2 is now the older");
    assert_eq!(found(&cache, "上海地铁").await, ids(&["b-2"]), "and still found by its name");
    let (keys,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM bill_search_keys")
        .fetch_one(cache.pool())
        .await
        .unwrap();
    assert_eq!(keys, 6, "one search key per bill after the move");
}

#[tokio::test]
async fn control_characters_are_not_part_of_a_search() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_with(&dir, &household()).await;
    // U+001F ends every indexed column; typed into a search it is dropped, not matched.
    assert_eq!(found(&cache, "地铁\u{1f}").await, ids(&["b-2", "b-1"]));
    assert_eq!(found(&cache, "铁\u{1f}\u{1f}").await, ids(&["b-2", "b-1"]));
    assert_eq!(found(&cache, "\u{1f}").await.1, 6, "nothing left: every bill");
}

#[tokio::test]
async fn a_cache_indexed_before_migration_0012_is_indexed_by_time() {
    // The migrations up to 0011, as a cache of the version before would hold them.
    let dir = tempfile::tempdir().unwrap();
    let migrations = dir.path().join("migrations");
    std::fs::create_dir(&migrations).unwrap();
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    for entry in std::fs::read_dir(&source).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.as_str() < "0012" {
            std::fs::copy(&path, migrations.join(&name)).unwrap();
        }
    }
    let file = dir.path().join("cache.sqlite");
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&file).create_if_missing(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    sqlx::migrate::Migrator::new(migrations.as_path()).await.unwrap().run(&pool).await.unwrap();
    let mut tied = bill(7, "北京地铁", "地铁出行", GreenCategory::PublicTransport);
    tied.occurred_at = at(1);
    let mut all = household();
    all.push(tied);
    let mut conn = pool.acquire().await.unwrap();
    bills::upsert(&mut conn, &all).await.unwrap();
    drop(conn);
    pool.close().await;

    let cache = Cache::open(&file).await.unwrap();
    assert_eq!(found(&cache, "北京地铁").await, ids(&["b-7", "b-1"]), "same instant: by id");
    assert_eq!(found(&cache, "地铁").await, ids(&["b-2", "b-7", "b-1"]));
    let keys: Vec<(i64, String)> =
        sqlx::query_as("SELECT key, bill_id FROM bill_search_keys ORDER BY key")
            .fetch_all(cache.pool())
            .await
            .unwrap();
    let ms = |n: i64| at(n).timestamp_millis() << 20;
    assert_eq!(keys[0], (ms(1), "b-1".to_owned()), "the first of its millisecond");
    assert_eq!(keys[1], (ms(1) + 1, "b-7".to_owned()), "the second, by id");
    assert_eq!(keys.len(), 7);
}

#[tokio::test]
async fn reversed_ranges_are_refused_in_the_users_units() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_with(&dir, &household()).await;
    let refused = |filter: BillFilter| {
        let cache = cache.clone();
        async move {
            let query = BillQuery { limit: 10, filter, after: None };
            let error = bills::list(cache.pool(), &query, Shanghai).await.unwrap_err();
            (error.code(), error.to_string())
        }
    };
    let (code, text) = refused(BillFilter {
        min_amount_minor: Some(1_250),
        max_amount_minor: Some(500),
        ..BillFilter::default()
    })
    .await;
    assert_eq!(code, greenmile_core::ErrorCode::InvalidInput);
    assert!(text.contains("the smallest amount (12.50) is above the largest (5.00)"), "{text}");

    let day = |d: &str| Some(chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap());
    let (code, text) = refused(BillFilter {
        from: day("2026-11-20"),
        to: day("2026-11-03"),
        ..BillFilter::default()
    })
    .await;
    assert_eq!(code, greenmile_core::ErrorCode::InvalidInput);
    assert!(text.contains("the first day (2026-11-20) is after the last (2026-11-03)"), "{text}");
}

#[tokio::test]
async fn days_at_the_ends_of_the_calendar_are_an_open_end_or_refused() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_with(&dir, &household()).await;
    let day = |d: &str| Some(chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap());
    let list = |filter: BillFilter| {
        let cache = cache.clone();
        async move {
            let query = BillQuery { limit: 10, filter, after: None };
            bills::list(cache.pool(), &query, Shanghai).await
        }
    };
    // The day after 9999-12-31 is written +10000-01-01, which sorts before 2026 as text.
    let open = list(BillFilter { to: day("9999-12-31"), ..BillFilter::default() }).await;
    assert_eq!(open.unwrap().total, Some(6), "--to 9999-12-31 leaves the end open");
    let all =
        BillFilter { from: day("0001-01-01"), to: day("9999-12-31"), ..BillFilter::default() };
    assert_eq!(list(all).await.unwrap().total, Some(6));
    let beyond = chrono::NaiveDate::from_ymd_opt(10_000, 1, 1);
    let error = list(BillFilter { from: beyond, ..BillFilter::default() }).await.unwrap_err();
    assert_eq!(error.code(), greenmile_core::ErrorCode::InvalidInput);
    assert!(error.to_string().contains("+10000-01-01 is out of range"), "{error}");
}
