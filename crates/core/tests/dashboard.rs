//! The dashboard's month comparison, on a cache synced from the real demo server.

#![allow(clippy::unwrap_used)]

use std::net::{Ipv4Addr, SocketAddr};

use chrono::{DateTime, Utc};
use greenmile_core::{Cache, dashboard, sync};

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
    server.stop().await;
}
