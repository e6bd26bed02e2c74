//! The bill list's filters and its keyset paging, and the export that walks the same pages,
//! on a SQLite file in a temporary folder.

#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Asia::Shanghai;
use greenmile_api::{Bill, BillStatus, CarbonFigure, Certification, GreenCategory, Money};
use greenmile_core::db::bills::{self, BillFilter, BillQuery};
use greenmile_core::export::{self, ExportFormat, ExportRow};
use greenmile_core::{Cache, ErrorCode};

/// 2026-11-01 00:30 in Beijing is 2026-10-31 16:30 UTC; bill n is n hours later.
fn at(hours: i64) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-10-31T16:30:00Z").unwrap().to_utc() + Duration::hours(hours)
}

/// 600 bills, one an hour from 2026-11-01 00:30 Beijing time: amounts 1.00 to 600.00 yuan;
/// every third finance certified, the rest platform reviewed; categories in turn.
fn many() -> Vec<Bill> {
    (1..=600)
        .map(|n| Bill {
            green_rule: None,
            id: format!("b-{n:04}"),
            occurred_at: at(n - 1),
            merchant: if n % 2 == 0 { "北京地铁".to_owned() } else { "闲鱼".to_owned() },
            item: format!("item {n}"),
            category: if n % 2 == 0 {
                GreenCategory::PublicTransport
            } else {
                GreenCategory::SecondHand
            },
            amount: Money::cny(100 * n),
            certification: if n % 3 == 0 {
                Certification::FinanceCertified
            } else {
                Certification::PlatformReviewed
            },
            carbon: (n % 2 == 0).then(|| CarbonFigure {
                grams: 10 * n,
                method: "transit-distance@1".to_owned(),
                trace: None,
            }),
            status: BillStatus::Posted,
            instalment: None,
            version: 1,
        })
        .collect()
}

async fn cache_with(dir: &tempfile::TempDir, items: &[Bill]) -> Cache {
    let cache = Cache::open(&dir.path().join("cache.sqlite")).await.unwrap();
    let mut tx = cache.begin_write().await.unwrap();
    bills::upsert(&mut tx, items).await.unwrap();
    tx.commit().await.unwrap();
    cache
}

/// Every id `filter` takes, walking pages of `limit`, and the total of the first page.
async fn walk(cache: &Cache, filter: BillFilter, limit: u32) -> (Vec<String>, i64) {
    let mut query = BillQuery { filter, limit, after: None };
    let first = bills::list(cache.pool(), &query, Shanghai).await.unwrap();
    let total = first.total.expect("the first page is counted");
    let mut ids: Vec<String> = first.items.iter().map(|b| b.id.clone()).collect();
    let mut next = first.next;
    while let Some(after) = next {
        query.after = Some(after);
        let page = bills::list(cache.pool(), &query, Shanghai).await.unwrap();
        assert_eq!(page.total, None, "later pages are not counted again");
        assert!(!page.items.is_empty(), "a page with a next position is followed by bills");
        ids.extend(page.items.iter().map(|b| b.id.clone()));
        next = page.next;
    }
    (ids, total)
}

#[tokio::test]
async fn pages_by_key_cover_every_bill_once_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_with(&dir, &many()).await;

    let (ids, total) = walk(&cache, BillFilter::default(), 70).await;

    assert_eq!(total, 600);
    let expected: Vec<String> = (1..=600).rev().map(|n| format!("b-{n:04}")).collect();
    assert_eq!(ids, expected, "every bill once, newest first, across 9 pages of 70");
}

#[tokio::test]
async fn bills_of_the_same_instant_are_split_across_pages_without_loss() {
    let dir = tempfile::tempdir().unwrap();
    let mut same = many();
    for bill in &mut same {
        bill.occurred_at = at(0);
    }
    let cache = cache_with(&dir, &same[..25]).await;

    let (ids, _) = walk(&cache, BillFilter::default(), 10).await;

    let expected: Vec<String> = (1..=25).rev().map(|n| format!("b-{n:04}")).collect();
    assert_eq!(ids, expected, "the id orders bills of one instant");
}

#[tokio::test]
async fn filters_narrow_by_certification_days_and_amounts() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_with(&dir, &many()).await;
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d);

    // Beijing's 2 November holds bills 24 to 47 (00:30 to 23:30).
    let filter = BillFilter { from: day(2), to: day(2), ..BillFilter::default() };
    let (ids, total) = walk(&cache, filter, 500).await;
    assert_eq!(total, 24, "a day of the user's time zone, not of UTC");
    assert_eq!((ids.first().unwrap().as_str(), ids.last().unwrap().as_str()), ("b-0048", "b-0025"));

    let filter = BillFilter {
        certification: Some(Certification::FinanceCertified),
        min_amount_minor: Some(10_000),
        max_amount_minor: Some(20_000),
        ..BillFilter::default()
    };
    let (ids, _) = walk(&cache, filter, 500).await;
    let expected: Vec<String> =
        (100..=200).rev().filter(|n| n % 3 == 0).map(|n| format!("b-{n:04}")).collect();
    assert_eq!(ids, expected, "finance certified, 100.00 to 200.00 yuan, both ends included");

    let filter = BillFilter {
        search: Some("地铁".to_owned()),
        category: Some(GreenCategory::SecondHand),
        ..BillFilter::default()
    };
    assert_eq!(walk(&cache, filter, 500).await.1, 0, "the metro bills are not second-hand");
}

#[tokio::test]
async fn bad_filters_and_positions_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_with(&dir, &many()).await;

    let reversed = BillFilter {
        min_amount_minor: Some(500),
        max_amount_minor: Some(100),
        ..BillFilter::default()
    };
    let query = BillQuery { filter: reversed, limit: 10, after: None };
    let error = bills::list(cache.pool(), &query, Shanghai).await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidInput, "a minimum above the maximum");

    for after in ["nonsense", "2026-11-01|", "yesterday|b-0001"] {
        let query = BillQuery { limit: 10, after: Some(after.to_owned()), ..BillQuery::default() };
        let error = bills::list(cache.pool(), &query, Shanghai).await.unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidInput, "{after:?} is not a position");
    }
}

#[tokio::test]
async fn csv_export_writes_every_matching_bill_with_its_method_and_certification() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_with(&dir, &many()).await;
    let filter = BillFilter { search: Some("北京地铁".to_owned()), ..BillFilter::default() };

    let mut out = Vec::new();
    let rows = export::write_bills(cache.pool(), &filter, Shanghai, ExportFormat::Csv, &mut out)
        .await
        .unwrap();

    assert_eq!(rows, 300, "every metro bill, beyond one page of the list");
    let text = String::from_utf8(out).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark for spreadsheets");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 301, "a header and 300 rows");
    assert_eq!(
        lines[0],
        "id,occurred_at,merchant,item,category,amount_minor,currency,certification,carbon_g,\
         carbon_method,status,source,green_rule"
    );
    // Bill 600: 599 hours after 2026-10-31 16:30 UTC, 600.00 yuan, 6,000 g, 600 % 3 == 0.
    assert_eq!(
        lines[1],
        "b-0600,2026-11-25T15:30:00.000Z,北京地铁,item 600,public_transport,60000,CNY,\
         finance_certified,6000,transit-distance@1,posted,api,"
    );
}

#[tokio::test]
async fn json_export_reads_back_and_an_empty_export_still_has_a_header() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_with(&dir, &many()).await;

    let filter = BillFilter { category: Some(GreenCategory::SecondHand), ..BillFilter::default() };
    let mut out = Vec::new();
    let rows = export::write_bills(cache.pool(), &filter, Shanghai, ExportFormat::Json, &mut out)
        .await
        .unwrap();
    let read: Vec<ExportRow> = serde_json::from_slice(&out).unwrap();
    assert_eq!((rows, read.len()), (300, 300));
    let last = read.last().unwrap();
    assert_eq!(
        (last.id.as_str(), last.amount_minor, last.carbon_g, last.certification.as_str()),
        ("b-0001", 100, None, "platform_reviewed"),
        "the oldest second-hand bill, its carbon unknown rather than 0"
    );

    let nothing = BillFilter { search: Some("nowhere".to_owned()), ..BillFilter::default() };
    let mut out = Vec::new();
    let rows = export::write_bills(cache.pool(), &nothing, Shanghai, ExportFormat::Csv, &mut out)
        .await
        .unwrap();
    assert_eq!(rows, 0);
    assert_eq!(String::from_utf8(out).unwrap().lines().count(), 1, "the header alone");
    let mut out = Vec::new();
    export::write_bills(cache.pool(), &nothing, Shanghai, ExportFormat::Json, &mut out)
        .await
        .unwrap();
    assert_eq!(serde_json::from_slice::<Vec<ExportRow>>(&out).unwrap(), Vec::new());
}

#[test]
fn the_format_comes_from_the_file_name() {
    assert_eq!(ExportFormat::from_file_name("bills.CSV"), Some(ExportFormat::Csv));
    assert_eq!(ExportFormat::from_file_name("账单.json"), Some(ExportFormat::Json));
    assert_eq!(ExportFormat::from_file_name("bills.xlsx"), None);
    assert_eq!(ExportFormat::from_file_name("bills"), None);
}
