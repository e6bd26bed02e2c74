//! Queries of `carbon_entries`: the carbon ledger.

use greenmile_api::{CarbonEntry, Tombstone};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::instant_text;
use crate::error::Result;

/// Rows per INSERT statement (7 columns).
const ROWS_PER_STATEMENT: usize = 500;

/// Inserts or updates ledger entries, skipping any whose stored version is as new or newer.
pub async fn upsert(conn: &mut SqliteConnection, entries: &[CarbonEntry]) -> Result<u64> {
    let mut changed = 0;
    for chunk in entries.chunks(ROWS_PER_STATEMENT) {
        let mut query: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO carbon_entries (id, bill_id, grams, method, occurred_at, version) ",
        );
        query.push_values(chunk, |mut row, e| {
            row.push_bind(&e.id)
                .push_bind(e.bill_id.as_deref())
                .push_bind(e.grams)
                .push_bind(&e.method)
                .push_bind(instant_text(e.occurred_at))
                .push_bind(e.version);
        });
        query.push(
            " ON CONFLICT (id) DO UPDATE SET bill_id = excluded.bill_id, grams = excluded.grams, \
             method = excluded.method, occurred_at = excluded.occurred_at, \
             version = excluded.version WHERE excluded.version > carbon_entries.version",
        );
        changed += query.build().execute(&mut *conn).await?.rows_affected();
    }
    Ok(changed)
}

/// Deletes the entries named by `tombstones`, unless the cache holds a newer version.
pub async fn delete(conn: &mut SqliteConnection, tombstones: &[Tombstone]) -> Result<u64> {
    super::delete_tombstones(conn, "carbon_entries", tombstones).await
}
