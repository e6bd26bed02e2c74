//! Writing an export to a file: never over an existing file unless asked, and never half a
//! file, on a SQLite cache and files in a temporary folder.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use chrono::DateTime;
use chrono_tz::Asia::Shanghai;
use greenmile_api::{Bill, BillStatus, Certification, GreenCategory, Money};
use greenmile_core::db::bills::{self, BillFilter};
use greenmile_core::export::{self, Existing, ExportFormat, ExportRow};
use greenmile_core::{Cache, CoreError};

/// Two metro rides, ¥3.00 and ¥4.00.
async fn cache_with_two_bills(dir: &Path) -> Cache {
    let cache = Cache::open(&dir.join("cache.sqlite")).await.unwrap();
    let bills: Vec<Bill> = (1..=2)
        .map(|n| Bill {
            green_rule: None,
            id: format!("b-{n}"),
            occurred_at: DateTime::parse_from_rfc3339("2026-11-01T08:00:00Z").unwrap().to_utc()
                + chrono::Duration::hours(n),
            merchant: "北京地铁".to_owned(),
            item: "地铁出行".to_owned(),
            category: GreenCategory::PublicTransport,
            amount: Money::cny(200 + 100 * n),
            certification: Certification::PlatformReviewed,
            carbon: None,
            status: BillStatus::Posted,
            instalment: None,
            version: 1,
        })
        .collect();
    let mut tx = cache.begin_write().await.unwrap();
    bills::upsert(&mut tx, &bills).await.unwrap();
    tx.commit().await.unwrap();
    cache
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn an_existing_file_is_refused_unless_replacing_is_asked_for() {
    let data = tempfile::tempdir().unwrap();
    let cache = cache_with_two_bills(data.path()).await;
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("bills.json");
    std::fs::write(&path, "keep me").unwrap();
    let all = BillFilter::default();

    let refused = export::write_bills_to_file(
        cache.pool(),
        &all,
        Shanghai,
        ExportFormat::Json,
        &path,
        Existing::Refuse,
    )
    .await
    .unwrap_err();
    assert!(matches!(refused, CoreError::InvalidInput(_)), "{refused:?}");
    assert_eq!(
        refused.to_string(),
        format!(
            "{} already exists; nothing was written (pass --force to replace it)",
            path.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me", "the file is untouched");
    assert_eq!(names(out.path()), ["bills.json"], "and no temporary file is left");

    let rows = export::write_bills_to_file(
        cache.pool(),
        &all,
        Shanghai,
        ExportFormat::Json,
        &path,
        Existing::Replace,
    )
    .await
    .unwrap();
    assert_eq!(rows, 2);
    let read: Vec<ExportRow> = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let amounts: Vec<(&str, i64)> = read.iter().map(|r| (r.id.as_str(), r.amount_minor)).collect();
    assert_eq!(amounts, [("b-2", 400), ("b-1", 300)], "replaced by the bills, newest first");
    assert_eq!(names(out.path()), ["bills.json"]);

    let fresh = out.path().join("new.csv");
    let rows = export::write_bills_to_file(
        cache.pool(),
        &all,
        Shanghai,
        ExportFormat::Csv,
        &fresh,
        Existing::Refuse,
    )
    .await
    .unwrap();
    assert_eq!(rows, 2, "a file that does not exist yet is written without asking");
    let text = std::fs::read_to_string(&fresh).unwrap();
    assert_eq!(text.lines().count(), 3, "a header and two bills: {text}");
}

#[tokio::test]
async fn a_failed_export_leaves_the_previous_file_and_no_partial_one() {
    let data = tempfile::tempdir().unwrap();
    let cache = cache_with_two_bills(data.path()).await;
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("bills.csv");
    std::fs::write(&path, "the export of last week").unwrap();
    // The cache closed under the export: the read fails once the temporary file exists.
    cache.close().await;

    let failed = export::write_bills_to_file(
        cache.pool(),
        &BillFilter::default(),
        Shanghai,
        ExportFormat::Csv,
        &path,
        Existing::Replace,
    )
    .await;

    assert!(failed.is_err(), "nothing can be read from a closed cache");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "the export of last week",
        "the previous file is whole, not truncated"
    );
    assert_eq!(names(out.path()), ["bills.csv"], "no partial file is left beside it");
}

#[tokio::test]
async fn an_export_into_a_missing_folder_says_so() {
    let data = tempfile::tempdir().unwrap();
    let cache = cache_with_two_bills(data.path()).await;
    let missing = data.path().join("nodir");
    let error = export::write_bills_to_file(
        cache.pool(),
        &BillFilter::default(),
        Shanghai,
        ExportFormat::Json,
        &missing.join("x.json"),
        Existing::Refuse,
    )
    .await
    .unwrap_err();
    assert!(matches!(error, CoreError::InvalidInput(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        format!("there is no folder {}; nothing was written", missing.display())
    );
    assert!(!missing.exists(), "and none was made");
}
