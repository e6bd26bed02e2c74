//! Queries of `quarantine`: feed items the sync engine refused, with the reason.
//!
//! A page with a bad item still applies its good ones; the bad item is kept here (its body and
//! why it failed) so support can see what the server sent, and it is counted in the sync
//! report. A later valid version of the same item clears its row.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};
use ts_rs::TS;

use super::instant_text;
use crate::error::Result;

/// The most characters of an item's body kept; the rest is cut off.
const MAX_BODY_CHARS: usize = 4_000;

/// An item refused by validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Quarantined {
    /// `bills`, `offers` or `carbon`.
    pub collection: String,
    /// The item's id as sent (cut to 128 characters; `?` when it had none).
    pub item_id: String,
    /// Its version, when it had a readable one.
    #[ts(type = "number | null")]
    pub version: Option<i64>,
    /// Why it was refused.
    pub reason: String,
    /// The item's JSON as received (cut to 4,000 characters).
    pub body: String,
}

impl Quarantined {
    /// The record for `item` of `collection`, refused for `reason`.
    pub fn new(collection: &str, item: &serde_json::Value, reason: String) -> Self {
        let item_id = match item.get("id").and_then(|v| v.as_str()) {
            Some(id) => id.chars().take(128).collect(),
            None => "?".to_owned(),
        };
        let version = item.get("version").and_then(serde_json::Value::as_i64);
        let body: String = item.to_string().chars().take(MAX_BODY_CHARS).collect();
        Self { collection: collection.to_owned(), item_id, version, reason, body }
    }
}

/// Keeps `items`, replacing an earlier record of the same item; call it in the page's
/// transaction.
pub async fn put(
    conn: &mut SqliteConnection,
    items: &[Quarantined],
    at: DateTime<Utc>,
) -> Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    let at = instant_text(at);
    let mut query: QueryBuilder<Sqlite> = QueryBuilder::new(
        "INSERT OR REPLACE INTO quarantine
             (collection, item_id, version, reason, body, quarantined_at) ",
    );
    query.push_values(items, |mut row, q| {
        row.push_bind(&q.collection)
            .push_bind(&q.item_id)
            .push_bind(q.version)
            .push_bind(&q.reason)
            .push_bind(&q.body)
            .push_bind(&at);
    });
    query.build().execute(conn).await?;
    Ok(())
}

/// Forgets the records of `ids` in `collection`: a valid version or a deletion arrived.
pub async fn clear(conn: &mut SqliteConnection, collection: &str, ids: &[&str]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_owned());
    sqlx::query(
        "DELETE FROM quarantine WHERE collection = ?
             AND item_id IN (SELECT value FROM json_each(?))",
    )
    .bind(collection)
    .bind(list)
    .execute(conn)
    .await?;
    Ok(())
}

/// Every record, by collection and id.
pub async fn list(pool: &SqlitePool) -> Result<Vec<Quarantined>> {
    let rows: Vec<(String, String, Option<i64>, String, String)> = sqlx::query_as(
        "SELECT collection, item_id, version, reason, body FROM quarantine
         ORDER BY collection, item_id",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(collection, item_id, version, reason, body)| Quarantined {
            collection,
            item_id,
            version,
            reason,
            body,
        })
        .collect())
}
