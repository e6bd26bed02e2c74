//! The offer screens' queries and the calculator, on a cache synced from the real server.

#![allow(clippy::unwrap_used)]

use std::net::{Ipv4Addr, SocketAddr};

use chrono::{DateTime, NaiveDate, Utc};
use greenmile_core::db::offers;
use greenmile_core::instalment::{CalcMethod, CalcRequest, calculate};
use greenmile_core::{Cache, ErrorCode, sync};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-04T08:00:00Z").unwrap().to_utc()
}

async fn synced_cache(dir: &tempfile::TempDir) -> (Cache, greenmile_server::RunningServer) {
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let server =
        greenmile_server::start_demo(&dir.path().join("s.sqlite"), listen, now()).await.unwrap();
    let cache = Cache::open(&dir.path().join("c.sqlite")).await.unwrap();
    let api = server.demo_client().await.unwrap();
    sync::sync_all(&api, &cache, &now, &|_| {}).await.unwrap();
    (cache, server)
}

#[tokio::test]
async fn valid_offers_come_first_and_expired_ones_last() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, server) = synced_cache(&dir).await;

    let list = offers::list(cache.pool(), now()).await.unwrap();
    assert_eq!(list.len(), 24, "every demo offer is listed");
    let expired: Vec<bool> = list.iter().map(|o| o.valid_until < now()).collect();
    assert_eq!(expired.iter().filter(|e| **e).count(), 2, "the demo has two expired offers");
    assert!(expired[..22].iter().all(|e| !e), "the 22 valid offers come first");
    let ends: Vec<_> = list[..22].iter().map(|o| o.valid_until).collect();
    assert!(ends.windows(2).all(|w| w[0] <= w[1]), "valid offers ending soonest first");
    server.stop().await;
}

#[tokio::test]
async fn an_offers_detail_has_a_full_schedule_for_every_plan() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, server) = synced_cache(&dir).await;
    let first_due = NaiveDate::from_ymd_opt(2027, 1, 31).unwrap();

    for id in ["o-0001", "o-0008", "o-0013"] {
        let detail = offers::detail(cache.pool(), id, first_due).await.unwrap().unwrap();
        for plan in &detail.plans {
            assert_eq!(plan.schedule.len() as u32, plan.row.months, "{id}: one row a month");
            let repaid: i64 = plan.schedule.iter().map(|r| r.principal.minor).sum();
            assert_eq!(repaid, detail.offer.price.minor, "{id}: principal repaid to the fen");
            assert_eq!(plan.schedule[0].due, first_due, "{id}: first due date kept");
            assert_eq!(
                plan.schedule[1].due,
                NaiveDate::from_ymd_opt(2027, 2, 28).unwrap(),
                "{id}: the 31st falls back to the end of February"
            );
        }
    }
    assert!(offers::detail(cache.pool(), "o-9999", first_due).await.unwrap().is_none());
    server.stop().await;
}

#[tokio::test]
async fn a_comparison_ranks_plans_by_total_cost() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, server) = synced_cache(&dir).await;
    let list = offers::list(cache.pool(), now()).await.unwrap();
    let picks: Vec<(String, usize)> =
        list.iter().take(3).map(|o| (o.id.clone(), o.plans.len() - 1)).collect();

    let rows = offers::compare(cache.pool(), &picks).await.unwrap();
    assert_eq!(rows.len(), 3, "every pick is compared");
    let costs: Vec<i64> = rows.iter().map(|r| r.plan.total_cost.minor).collect();
    assert!(costs.windows(2).all(|w| w[0] <= w[1]), "cheapest in total first: {costs:?}");

    let err = offers::compare(cache.pool(), &picks[..1]).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "one plan is not a comparison");
    let err = offers::compare(cache.pool(), &[(list[0].id.clone(), 0), (list[1].id.clone(), 9)])
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "a plan that does not exist: {err}");
    server.stop().await;
}

#[test]
fn the_calculator_reads_text_exactly_and_finds_the_true_rate() {
    let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    let request = CalcRequest {
        principal: "12,000".to_owned(),
        currency: "CNY".to_owned(),
        months: 12,
        method: CalcMethod::FeePerPeriod,
        rate: Some("0.6".to_owned()),
        payment: None,
        first_due: None,
    };
    let detail = calculate(&request, today).unwrap();
    // 12,000 / 12 = 1,000 principal + 0.6 % x 12,000 = 72 fee: 1,072 a month, APR 13.03 %.
    assert_eq!(detail.row.monthly_payment.minor, 107_200, "1,072.00 a month");
    assert_eq!((detail.row.apr_pct * 100.0).round() / 100.0, 13.03, "the IRR rate, not 7.2 %");
    assert_eq!(detail.schedule[0].due, NaiveDate::from_ymd_opt(2027, 1, 4).unwrap());

    let given = CalcRequest {
        principal: "5000".to_owned(),
        method: CalcMethod::LevelPayment,
        months: 24,
        rate: None,
        payment: Some("230".to_owned()),
        ..request.clone()
    };
    let detail = calculate(&given, today).unwrap();
    assert_eq!((detail.row.apr_pct * 100.0).round() / 100.0, 9.69, "Regulation Z App. J");

    for bad in [
        CalcRequest { principal: "-5".to_owned(), ..request.clone() },
        CalcRequest { principal: "12000.123".to_owned(), ..request.clone() },
        CalcRequest { months: 0, ..request.clone() },
        CalcRequest { rate: None, ..request.clone() },
        CalcRequest { rate: Some("abc".to_owned()), ..request.clone() },
        CalcRequest { first_due: Some("2027-02-30".to_owned()), ..request.clone() },
        CalcRequest { method: CalcMethod::LevelPayment, payment: Some("1".to_owned()), ..request },
    ] {
        let err = calculate(&bad, today).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{bad:?} is refused: {err}");
    }
}

#[tokio::test]
async fn the_next_instalment_is_the_earliest_still_due_over_every_held_plan() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, server) = synced_cache(&dir).await;
    let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();

    let next = greenmile_core::dashboard::next_payment(cache.pool(), today).await.unwrap().unwrap();
    // The demo's latest appliance (¥3,091.20 on 2026-11-06, Beijing time) is on 12 months
    // interest-free from 2026-12-06: 309,120 / 12 = 25,760 fen, the first of 12.
    assert_eq!(next.bill_id, "b-01745", "the plan with the earliest instalment still due");
    assert_eq!(next.due, NaiveDate::from_ymd_opt(2026, 12, 6).unwrap(), "its due date");
    assert_eq!(next.amount.minor, 25_760, "a twelfth of the price, interest-free");
    assert_eq!((next.number, next.months), (1, 12), "the first of twelve");

    // A year on, every 12-month plan is paid off; the 24-month plans remain.
    let later = NaiveDate::from_ymd_opt(2027, 12, 20).unwrap();
    let next = greenmile_core::dashboard::next_payment(cache.pool(), later).await.unwrap().unwrap();
    assert_eq!(next.months, 24, "only 24-month plans are still running: {next:?}");
    let past = NaiveDate::from_ymd_opt(2029, 1, 1).unwrap();
    assert!(
        greenmile_core::dashboard::next_payment(cache.pool(), past).await.unwrap().is_none(),
        "after the last instalment nothing is due"
    );
    server.stop().await;
}
