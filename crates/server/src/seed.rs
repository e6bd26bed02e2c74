//! Seeding the store from payment exports: `greenmile-server --seed-from FILE...`.
//!
//! The files go through the client's own import ([`greenmile_core::import`]): the same
//! importers, the same refund netting and the same green rules, into a throwaway cache in a
//! temporary folder. Its green bills (one rule category, a claim better than unverified) are
//! then written to the store as API bills with their certification, the rule that recognised
//! them and their carbon figure with its trace, and each figure as a ledger entry. So a client
//! syncing from a seeded server receives what its own import of the files would have shown,
//! and no second copy of the recognition exists.
//!
//! Seeding is idempotent: a bill already in the store (the same row of the same platform, by
//! its content hash) is left as it is, so restarting with the same files adds nothing.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use greenmile_api::{Bill, CarbonEntry};
use greenmile_core::Cache;
use greenmile_core::dashboard::system_time_zone;
use greenmile_core::db::bills::{self, BillFilter, BillQuery, BillSource, MAX_LIST_LIMIT};
use greenmile_core::db::imported;
use greenmile_core::import::{self, FileReport};

use crate::accounts::UserId;
use crate::store::{Store, StoreError};

/// What can stop a seed.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// A file could not be imported (unreadable, unknown layout, encrypted, empty).
    #[error("{file}: {message}")]
    File {
        /// The file as given.
        file: PathBuf,
        /// Why, as the importer says it.
        message: String,
    },
    /// The throwaway cache the files are read into failed.
    #[error("cannot read the exports: {0}")]
    Import(String),
    /// The store could not be written.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a seed did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedReport {
    /// Each file's import report, in the order given.
    pub files: Vec<FileReport>,
    /// Green bills written to the store now.
    pub bills_added: usize,
    /// Green bills the store already held.
    pub bills_present: usize,
    /// Ledger entries written now (bills with a known carbon figure).
    pub carbon_added: usize,
}

/// Reads `files` with the client's importers and writes their green bills to `store`. The
/// first file that cannot be read stops the seed before anything is written.
pub async fn seed_from_files(
    store: &Store,
    user: UserId,
    files: &[PathBuf],
    now: DateTime<Utc>,
) -> Result<SeedReport, SeedError> {
    let scratch = tempfile::tempdir().map_err(|e| SeedError::Import(e.to_string()))?;
    let cache = Cache::open(&scratch.path().join("import.sqlite"))
        .await
        .map_err(|e| SeedError::Import(e.to_string()))?;
    let result = seed_through(store, user, &cache, files, now).await;
    cache.close().await;
    result
}

async fn seed_through(
    store: &Store,
    user: UserId,
    cache: &Cache,
    files: &[PathBuf],
    now: DateTime<Utc>,
) -> Result<SeedReport, SeedError> {
    let mut reports = Vec::with_capacity(files.len());
    for file in files {
        let report = import::import_file(cache, file, now)
            .await
            .map_err(|e| SeedError::File { file: file.clone(), message: e.to_string() })?;
        reports.push(report);
    }

    let bills = green_bills(cache).await.map_err(|e| SeedError::Import(e.to_string()))?;
    let mut report =
        SeedReport { files: reports, bills_added: 0, bills_present: 0, carbon_added: 0 };
    for (bill, entry) in &bills {
        match store.bill(user, &bill.id).await {
            Ok(_) => {
                report.bills_present += 1;
                continue;
            }
            Err(StoreError::NotFound { .. }) => {}
            Err(error) => return Err(error.into()),
        }
        store.put_bill(user, bill).await?;
        report.bills_added += 1;
        if let Some(entry) = entry {
            store.put_carbon(user, entry).await?;
            report.carbon_added += 1;
        }
    }

    tracing::info!(
        seed.files = files.len(),
        rows.added = report.bills_added,
        rows.present = report.bills_present,
        "store seeded from exports"
    );
    Ok(report)
}

/// The cache's imported green bills as API bills, each with a ledger entry when its figure is
/// known, oldest first (so the feed follows time, as the demo's does).
async fn green_bills(
    cache: &Cache,
) -> greenmile_core::error::Result<Vec<(Bill, Option<CarbonEntry>)>> {
    let mut bills = Vec::new();
    let mut query = BillQuery {
        limit: MAX_LIST_LIMIT,
        filter: BillFilter { source: Some(BillSource::File), ..BillFilter::default() },
        after: None,
    };
    loop {
        let page = bills::list(cache.pool(), &query, system_time_zone()).await?;

        for row in page.items {
            let figure = imported::carbon_of(cache.pool(), &row.id).await?.and_then(|c| c.figure);
            let id = server_id(&row.id);
            let entry = figure.as_ref().map(|figure| CarbonEntry {
                id: format!("c-{id}"),
                bill_id: Some(id.clone()),
                grams: figure.grams,
                method: figure.method.clone(),
                occurred_at: row.occurred_at,
                version: 1,
            });
            let bill = Bill {
                id,
                occurred_at: row.occurred_at,
                merchant: row.merchant,
                item: row.item,
                category: row.category,
                amount: row.amount,
                certification: row.certification,
                green_rule: row.green_rule,
                carbon: figure,
                status: row.status,
                instalment: None,
                version: 1,
            };
            bills.push((bill, entry));
        }
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    bills.sort_by(|(a, _), (b, _)| (a.occurred_at, &a.id).cmp(&(b.occurred_at, &b.id)));
    Ok(bills)
}

/// The store's id for an imported row: the row's content hash under the server's own prefix,
/// so a client that also imported the file itself keeps the two apart.
fn server_id(imported_id: &str) -> String {
    format!("x-{}", imported_id.trim_start_matches("imp-"))
}
