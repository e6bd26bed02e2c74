//! The dashboard's month comparison, and its SQL-side sums against the same figures added up
//! row by row, on a cache synced from the real demo server.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use greenmile_api::{BillStatus, GreenCategory, Tombstone};
use greenmile_core::carbon::{self, CarbonBasis, totals};
use greenmile_core::db::{bills, instant_text, ledger};
use greenmile_core::{Cache, GreenApi, dashboard, import, sync};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

#[tokio::test]
async fn this_month_is_compared_with_the_same_days_of_last_month() {
    let now = at("2026-12-04T08:00:00Z");
    let dir = tempfile::tempdir().unwrap();
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let server =
        greenmile_server::start_demo(&dir.path().join("s.sqlite"), listen, now).await.unwrap();
    let cache = Cache::open(&dir.path().join("c.sqlite")).await.unwrap();
    let api = server.demo_client().await.unwrap();
    sync::sync_all(&api, &cache, &|| now, &|_| {}).await.unwrap();

    let board = dashboard::dashboard(cache.pool(), now, chrono_tz::Asia::Shanghai).await.unwrap();

    // December in Shanghai began at 2026-11-30T16:00Z, so 3 days 16 hours have passed; the same
    // span of November runs from 2026-10-31T16:00Z to 2026-11-04T08:00Z.
    let demo = greenmile_server::demo::demo_dataset(now);
    let (from, to) = (at("2026-10-31T16:00:00Z"), at("2026-11-04T08:00:00Z"));
    let expected: i64 = demo
        .bills
        .iter()
        .filter(|b| b.occurred_at >= from && b.occurred_at < to)
        .map(|b| b.amount.minor)
        .sum();
    assert!(expected > 0, "the demo household spent in those days");
    assert_eq!(board.last_month_to_date_spend_minor, expected, "November's first 3 d 16 h");
    assert!(
        board.last_month_to_date_spend_minor < board.last_month.spend_minor,
        "a part of November is less than all of it"
    );

    // A bill in another currency in the same days is not part of the CNY figure.
    let mut dollars = demo.bills[0].clone();
    dollars.id = "b-usd".to_owned();
    dollars.occurred_at = at("2026-11-02T10:00:00Z");
    dollars.amount = greenmile_api::Money { minor: 99_900, currency: "USD".to_owned() };
    let mut tx = cache.begin_write().await.unwrap();
    bills::upsert(&mut tx, &[dollars]).await.unwrap();
    tx.commit().await.unwrap();
    let board = dashboard::dashboard(cache.pool(), now, chrono_tz::Asia::Shanghai).await.unwrap();
    assert_eq!(board.currency, "CNY");
    assert_eq!(board.last_month_to_date_spend_minor, expected, "dollars are not added to yuan");
    server.stop().await;
}

/// A green bill's columns as the dashboard reads them, one row per bill.
type BillRow = (String, String, String, String, i64, Option<i64>, String);

/// The dashboard's figures worked out the way they were before the sums moved into SQL: every
/// green bill and ledger entry read row by row, and added up here.
struct PerRow {
    currency: String,
    by_month: Vec<(String, i64, i64, i64, i64, i64, i64)>,
    by_category: BTreeMap<String, (i64, i64, i64, i64, i64)>,
    mix: BTreeMap<String, i64>,
    total: (i64, i64, i64, i64),
    bills: i64,
}

async fn per_row(pool: &sqlx::SqlitePool, months: &[String], tz: Tz) -> PerRow {
    let bills: Vec<BillRow> = sqlx::query_as(
        "SELECT occurred_at, category, currency, certification, amount_minor, carbon_g, status \
         FROM green_bills",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let entries: Vec<(String, i64, String, Option<String>)> = sqlx::query_as(
        "SELECT c.occurred_at, c.grams, c.method, b.category FROM carbon_entries c \
         LEFT JOIN bills b ON b.id = c.bill_id \
         WHERE b.status IS NULL OR b.status <> 'refunded' \
         UNION ALL \
         SELECT occurred_at, carbon_g, carbon_method, category FROM green_bills \
         WHERE source = 'file' AND carbon_g IS NOT NULL AND carbon_method IS NOT NULL \
           AND status <> 'refunded'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let bounds: Vec<(String, String)> = months
        .iter()
        .map(|m| {
            let (s, e) = dashboard::month_bounds(m, tz).unwrap();
            (instant_text(s), instant_text(e))
        })
        .collect();
    let month_of = |at: &str| bounds.iter().position(|(s, e)| s.as_str() <= at && at < e.as_str());

    let mut per_currency: BTreeMap<&str, i64> = BTreeMap::new();
    for b in &bills {
        *per_currency.entry(&b.2).or_default() += 1;
    }
    let most = per_currency.values().copied().max().unwrap_or(0);
    let currency = per_currency.iter().find(|(_, n)| **n == most).map_or("CNY", |(c, _)| c);

    // month: (spend, bills, carbon, measured, estimated, unknown)
    let mut months_out = vec![(0, 0, 0, 0, 0, 0); months.len()];
    let mut by_category: BTreeMap<String, (i64, i64, i64, i64, i64)> = BTreeMap::new();
    let mut mix: BTreeMap<String, i64> = BTreeMap::new();
    let mut total = (0, 0, 0, 0);
    for (at, category, cur, cert, minor, grams, status) in &bills {
        let unknown = grams.is_none() && status != "refunded";
        let month = month_of(at);
        if let Some(m) = month.filter(|_| cur == currency) {
            months_out[m].0 += minor;
            months_out[m].1 += 1;
        }
        let c = by_category.entry(category.clone()).or_default();
        c.0 += if cur == currency { *minor } else { 0 };
        c.1 += 1;
        *mix.entry(cert.clone()).or_default() += 1;
        if unknown {
            total.3 += 1;
            c.4 += 1;
            if let Some(m) = month {
                months_out[m].5 += 1;
            }
        }
    }
    for (at, grams, method, category) in &entries {
        let measured = carbon::basis_of(method) == CarbonBasis::Measured;
        let (m, e) = if measured { (*grams, 0) } else { (0, *grams) };
        total.0 += grams;
        total.1 += m;
        total.2 += e;
        if let Some(i) = month_of(at) {
            months_out[i].2 += grams;
            months_out[i].3 += m;
            months_out[i].4 += e;
        }
        if let Some(category) = category {
            let c = by_category.entry(category.clone()).or_default();
            c.2 += grams;
            c.3 += m;
        }
    }
    PerRow {
        currency: currency.to_owned(),
        by_month: months
            .iter()
            .zip(months_out)
            .map(|(name, (s, b, g, m, e, u))| (name.clone(), s, b, g, m, e, u))
            .collect(),
        by_category,
        mix,
        total,
        bills: bills.len() as i64,
    }
}

/// Syncs the demo store, imports the green fixtures and refunds one ledger-backed trip, so
/// every kind of row the sums read is there: synced and imported, refunded, unknown carbon,
/// and months inside and outside the dashboard's window.
async fn demo_with_imports(dir: &tempfile::TempDir, now: DateTime<Utc>) -> (Cache, GreenApi) {
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let server =
        greenmile_server::start_demo(&dir.path().join("s.sqlite"), listen, now).await.unwrap();
    let demo = greenmile_server::demo::demo_dataset(now);
    let mut trip = demo.bills.iter().find(|b| b.carbon.is_some()).unwrap().clone();
    trip.carbon = None;
    trip.status = greenmile_api::BillStatus::Refunded;
    trip.version += 1;
    let user = server.demo_user().await.unwrap();
    server.store().put_bill(user, &trip).await.unwrap();

    let cache = Cache::open(&dir.path().join("c.sqlite")).await.unwrap();
    let api = server.demo_client().await.unwrap();
    sync::sync_all(&api, &cache, &|| now, &|_| {}).await.unwrap();
    server.stop().await;
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/bills");
    for name in ["greenmile/alipay-green-gbk.csv", "greenmile/wechat-green.csv"] {
        import::import_file(&cache, &fixtures.join(name), now).await.unwrap();
    }
    (cache, api)
}

/// Holds the dashboard's figures in `tz` against the same figures added up row by row.
async fn assert_sums_match(pool: &sqlx::SqlitePool, now: DateTime<Utc>, tz: Tz, step: &str) {
    let board = dashboard::dashboard(pool, now, tz).await.unwrap();
    let months = dashboard::recent_months(now, tz, dashboard::MONTHS_SHOWN);
    let expected = per_row(pool, &months, tz).await;

    assert_eq!(board.currency, expected.currency, "{step}, {tz}: the currency most bills are in");
    let by_month: Vec<_> = board
        .by_month
        .iter()
        .map(|m| {
            let carbon = (m.carbon_g, m.carbon_measured_g, m.carbon_estimated_g);
            (m.month.clone(), m.spend_minor, m.bills, carbon.0, carbon.1, carbon.2)
        })
        .collect();
    let by_month_expected: Vec<_> =
        expected.by_month.iter().map(|m| (m.0.clone(), m.1, m.2, m.3, m.4, m.5)).collect();
    assert_eq!(by_month, by_month_expected, "{step}, {tz}: each month's spend, bills and grams");
    let unknown: Vec<i64> = board.by_month.iter().map(|m| m.carbon_unknown).collect();
    let unknown_expected: Vec<i64> = expected.by_month.iter().map(|m| m.6).collect();
    assert_eq!(unknown, unknown_expected, "{step}, {tz}: each month's bills of unknown carbon");

    let by_category: BTreeMap<String, (i64, i64, i64, i64, i64)> = board
        .by_category
        .iter()
        .map(|c| {
            let sums = (c.spend_minor, c.bills, c.carbon_g, c.carbon_measured_g);
            (c.category.as_str().to_owned(), (sums.0, sums.1, sums.2, sums.3, c.carbon_unknown))
        })
        .collect();
    assert_eq!(by_category, expected.by_category, "{step}, {tz}: each category's sums");
    let mix: BTreeMap<String, i64> = board
        .certification_mix
        .iter()
        .map(|c| (c.certification.as_str().to_owned(), c.bills))
        .collect();
    assert_eq!(mix, expected.mix, "{step}, {tz}: bills per certification");
    let total = (
        board.carbon_total_g,
        board.carbon_measured_g,
        board.carbon_estimated_g,
        board.carbon_unknown_bills,
    );
    assert_eq!(total, expected.total, "{step}, {tz}: the whole ledger and the unknown bills");
    assert_eq!(board.bill_count, expected.bills, "{step}, {tz}: every green bill counted once");
}

#[tokio::test]
async fn sql_side_sums_equal_the_per_row_sums_of_the_demo_store_and_imports() {
    let now = at("2026-12-04T08:00:00Z");
    let dir = tempfile::tempdir().unwrap();
    let (cache, _api) = demo_with_imports(&dir, now).await;
    let pool = cache.pool();
    let (imported,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM green_bills WHERE source = 'file'")
            .fetch_one(pool)
            .await
            .unwrap();
    assert!(imported > 0, "imported green bills take part");

    for tz in [chrono_tz::Asia::Shanghai, chrono_tz::Europe::Berlin, chrono_tz::Asia::Kathmandu] {
        assert_sums_match(pool, now, tz, "demo and imports").await;
    }

    // The summary sums with no months at all (every row outside them), the carbon report with
    // every month from the oldest bill's.
    let summary = dashboard::summary(pool, now.date_naive()).await.unwrap();
    let everything = per_row(pool, &[], Tz::UTC).await;
    assert_eq!(summary.carbon_saved_g, everything.total.0, "the summary's grams");
    assert_eq!(summary.carbon_unknown_bills, everything.total.3, "the summary's unknown bills");
    assert_eq!(summary.bills, everything.bills, "the summary's bill count");
    let report = totals::report(pool, now, chrono_tz::Asia::Shanghai).await.unwrap();
    let months: Vec<String> = report.by_month.iter().map(|m| m.month.clone()).collect();
    let expected = per_row(pool, &months, chrono_tz::Asia::Shanghai).await;
    let grams: Vec<i64> = report.by_month.iter().map(|m| m.carbon.total_g).collect();
    let grams_expected: Vec<i64> = expected.by_month.iter().map(|m| m.3).collect();
    assert_eq!(grams, grams_expected, "the carbon report's months");
    assert!(
        expected.by_month.iter().map(|m| m.3).sum::<i64>() == expected.total.0,
        "the report's months hold every gram"
    );
}

#[tokio::test]
async fn months_that_do_not_follow_one_another_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(&dir.path().join("c.sqlite")).await.unwrap();
    let months = ["2026-01".to_owned(), "2026-03".to_owned()];
    let error = totals::tally(cache.pool(), &months, Tz::UTC).await.unwrap_err();
    assert_eq!(error.code(), greenmile_core::ErrorCode::InvalidInput, "a gap would lose grams");
}

#[tokio::test]
async fn the_kept_sums_follow_every_write_bills_and_entries_in_any_order() {
    let now = at("2026-12-04T08:00:00Z");
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(&dir.path().join("c.sqlite")).await.unwrap();
    let pool = cache.pool();
    let demo = greenmile_server::demo::demo_dataset(now);
    let tz = chrono_tz::Asia::Shanghai;
    let write = |step: u8| {
        let cache = cache.clone();
        let demo = &demo;
        async move {
            let mut tx = cache.begin_write().await.unwrap();
            match step {
                // Entries before their bills: counted without a category until the bill comes.
                0 => {
                    ledger::upsert(&mut tx, &demo.carbon).await.unwrap();
                }
                1 => {
                    bills::upsert(&mut tx, &demo.bills).await.unwrap();
                }
                // A bill refunded in full, one moved to another month and category, an entry
                // moved to another month and bill.
                2 => {
                    let mut refunded = demo.bills[0].clone();
                    refunded.carbon = None;
                    refunded.status = BillStatus::Refunded;
                    refunded.version += 1;
                    let mut moved = demo.bills[1].clone();
                    moved.occurred_at -= chrono::Duration::days(40);
                    moved.category = GreenCategory::GreenFood;
                    moved.version += 1;
                    bills::upsert(&mut tx, &[refunded, moved]).await.unwrap();
                    let mut entry = demo.carbon[2].clone();
                    entry.occurred_at -= chrono::Duration::days(70);
                    entry.bill_id = Some(demo.bills[3].id.clone());
                    entry.version += 1;
                    ledger::upsert(&mut tx, &[entry]).await.unwrap();
                }
                // Tombstones: a bill whose entry stays, and an entry.
                _ => {
                    let bill =
                        Tombstone { id: demo.carbon[5].bill_id.clone().unwrap(), version: 9 };
                    assert_eq!(bills::delete(&mut tx, &[bill]).await.unwrap(), 1);
                    let entry = Tombstone { id: demo.carbon[6].id.clone(), version: 9 };
                    assert_eq!(ledger::delete(&mut tx, &[entry]).await.unwrap(), 1);
                }
            }
            tx.commit().await.unwrap();
        }
    };

    for (step, name) in ["entries first", "then bills", "changes", "tombstones"].iter().enumerate()
    {
        write(step as u8).await;
        assert_sums_match(pool, now, tz, name).await;
        assert_sums_match(pool, now, chrono_tz::America::St_Johns, name).await;
    }
    let summary = dashboard::summary(pool, now.date_naive()).await.unwrap();
    let everything = per_row(pool, &[], Tz::UTC).await;
    assert_eq!(summary.carbon_saved_g, everything.total.0, "the summary's grams after it all");
}

/// A sync that moves a bill and its carbon entry between months while the dashboard and the
/// carbon report are read: every read sees the bill in one month, never in none or two.
/// Before the reads were one statement, the month sums and the rows near the boundaries came
/// from separate reads, and a commit between them showed a month short (even negative).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bill_moved_by_a_sync_meanwhile_is_in_exactly_one_month_of_every_read() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    let now = at("2026-12-04T08:00:00Z");
    let tz = chrono_tz::Asia::Shanghai;
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(&dir.path().join("c.sqlite")).await.unwrap();
    let demo = greenmile_server::demo::demo_dataset(now);
    let posted = |c: &&greenmile_api::CarbonEntry| {
        c.grams > 0
            && demo
                .bills
                .iter()
                .any(|b| Some(&b.id) == c.bill_id.as_ref() && b.status == BillStatus::Posted)
    };
    let entry = demo.carbon.iter().find(posted).unwrap().clone();
    let bill = demo.bills.iter().find(|b| Some(&b.id) == entry.bill_id.as_ref()).unwrap().clone();

    // Mid-October; 1 November 04:00 in Shanghai, still October in UTC (between a boundary
    // and its UTC month); mid-November; 1 December 02:00 in Shanghai, November in UTC.
    let places = ["2026-10-15T04:00:00Z", "2026-10-31T20:00:00Z", "2026-11-15T04:00:00Z"]
        .into_iter()
        .chain(["2026-11-30T18:00:00Z"])
        .map(at)
        .collect::<Vec<_>>();
    let move_to = {
        let (bill, entry, places) = (bill.clone(), entry.clone(), places.clone());
        move |k: usize| {
            let (mut bill, mut entry) = (bill.clone(), entry.clone());
            bill.occurred_at = places[k % places.len()];
            entry.occurred_at = bill.occurred_at;
            bill.version += k as i64 + 1;
            entry.version += k as i64 + 1;
            (bill, entry)
        }
    };
    let mut tx = cache.begin_write().await.unwrap();
    bills::upsert(&mut tx, &demo.bills).await.unwrap();
    ledger::upsert(&mut tx, &demo.carbon).await.unwrap();
    let (first_bill, first_entry) = move_to(0);
    bills::upsert(&mut tx, &[first_bill]).await.unwrap();
    ledger::upsert(&mut tx, &[first_entry]).await.unwrap();
    tx.commit().await.unwrap();

    let pool = cache.pool();
    let months_of = |board: &dashboard::Dashboard| {
        let grams: i64 = board.by_month.iter().map(|m| m.carbon_g).sum();
        let bills: i64 = board.by_month.iter().map(|m| m.bills).sum();
        (grams, bills)
    };
    let still = dashboard::dashboard(pool, now, tz).await.unwrap();
    let expected = months_of(&still);
    let report = totals::report(pool, now, tz).await.unwrap();
    assert_eq!(report.total.total_g, still.carbon_total_g, "one ledger");
    assert!(expected.0 >= entry.grams && expected.1 > 0, "the shown months hold the bill");

    // The writer moves the pair from place to place, one commit per move, until the reads
    // are done (at most 20,000 moves).
    let done = Arc::new(AtomicBool::new(false));
    let writer = tokio::spawn({
        let (cache, done, move_to) = (cache.clone(), done.clone(), move_to.clone());
        async move {
            let mut moves = 0_usize;
            while !done.load(Ordering::Relaxed) && moves < 20_000 {
                moves += 1;
                let (bill, entry) = move_to(moves);
                let mut tx = cache.begin_write().await.unwrap();
                bills::upsert(&mut tx, &[bill]).await.unwrap();
                ledger::upsert(&mut tx, &[entry]).await.unwrap();
                tx.commit().await.unwrap();
                tokio::task::yield_now().await;
            }
            moves
        }
    });

    for run in 0..150 {
        let board = dashboard::dashboard(pool, now, tz).await.unwrap();
        assert_eq!(months_of(&board), expected, "read {run}: grams and bills over the months");
        assert!(
            board.by_month.iter().all(|m| m.carbon_g >= 0 && m.bills >= 0),
            "read {run}: no month below zero: {:?}",
            board.by_month.iter().map(|m| (m.carbon_g, m.bills)).collect::<Vec<_>>()
        );
        let report = totals::report(pool, now, tz).await.unwrap();
        let months: i64 = report.by_month.iter().map(|m| m.carbon.total_g).sum();
        assert_eq!(months, report.total.total_g, "read {run}: the report's months hold every gram");
        assert_eq!(report.total.total_g, still.carbon_total_g, "read {run}: the report's total");
    }
    done.store(true, Ordering::Relaxed);
    let moves = writer.await.unwrap();
    assert!(moves >= 50, "the writer moved the bill while the reads ran ({moves} moves)");
}
