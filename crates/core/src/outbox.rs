//! The outbox: local writes waiting for the server, delivered exactly once in effect.
//!
//! A local change (a setting, a quiz attempt) and its outbox row commit in one transaction
//! ([`enqueue`]), so neither exists without the other. [`deliver`] sends the pending rows in id
//! order as `POST /v1/writes`, each under its own idempotency key, before a sync reads the
//! feeds. A row is marked delivered only after the server's answer arrives; a crash in between
//! leaves it pending, and the next delivery repeats it under the same key, which the server
//! answers as a duplicate without applying it again. A row the server refuses for good
//! (`409`, `422`) is marked answered with the refusal in `last_error`, so one bad row cannot
//! hold back the rest; a row that fails in a way that may pass stops delivery, keeping order.

use chrono::{DateTime, Utc};
use greenmile_api::{WriteRequest, WriteStatus};
use serde::{Deserialize, Serialize};
use sqlx::{SqliteConnection, SqlitePool};
use ts_rs::TS;

use crate::client::GreenApi;
use crate::db::{Cache, instant_text};
use crate::error::{CoreError, Result};

/// Rows read from the outbox at a time.
const BATCH: i64 = 100;

/// Adds a write to the outbox; call it inside the transaction of the local change it carries.
pub async fn enqueue(
    conn: &mut sqlx::SqliteConnection,
    kind: &str,
    idempotency_key: &str,
    payload: &serde_json::Value,
    at: chrono::DateTime<chrono::Utc>,
) -> crate::error::Result<()> {
    sqlx::query(
        "INSERT INTO outbox (kind, idempotency_key, payload, created_at) VALUES (?, ?, ?, ?)",
    )
    .bind(kind)
    .bind(idempotency_key)
    .bind(payload.to_string())
    .bind(crate::db::instant_text(at))
    .execute(conn)
    .await?;
    Ok(())
}

/// Puts `row`, read out of a damaged cache, back into a new one with its own key, kind,
/// payload and creation time, so it is delivered as if nothing had happened.
pub async fn requeue(conn: &mut SqliteConnection, row: &OutboxItem) -> Result<()> {
    sqlx::query(
        "INSERT OR IGNORE INTO outbox (kind, idempotency_key, payload, created_at, tries)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(&row.kind)
    .bind(&row.idempotency_key)
    .bind(&row.payload)
    .bind(&row.created_at)
    .bind(row.tries)
    .execute(conn)
    .await?;
    Ok(())
}

/// A fresh idempotency key: 128 random bits as hex, from `rng`.
pub fn new_key(rng: &mut fastrand::Rng) -> String {
    format!("{:032x}", rng.u128(..))
}

/// One outbox row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OutboxItem {
    /// Its place in the delivery order.
    #[ts(type = "number")]
    pub id: i64,
    /// The write's kind, such as `setting`.
    pub kind: String,
    /// The key the server knows it by.
    pub idempotency_key: String,
    /// The payload as compact JSON text.
    pub payload: String,
    /// When it was written locally (UTC text).
    pub created_at: String,
    /// Delivery attempts that got no final answer, or got one.
    #[ts(type = "number")]
    pub tries: i64,
    /// Why the last attempt failed, or why the server refused it.
    pub last_error: Option<String>,
    /// When the server answered it; `None` while pending.
    pub delivered_at: Option<String>,
}

/// What one delivery run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OutboxReport {
    /// Rows the server applied now.
    #[ts(type = "number")]
    pub applied: u64,
    /// Rows the server had applied before (an earlier answer was lost).
    #[ts(type = "number")]
    pub duplicates: u64,
    /// Rows the server refused for good.
    #[ts(type = "number")]
    pub refused: u64,
}

/// The rows not yet answered, in delivery order, at most `limit`.
pub async fn pending(pool: &SqlitePool, limit: i64) -> Result<Vec<OutboxItem>> {
    Ok(sqlx::query_as::<_, Row>(
        "SELECT id, kind, idempotency_key, payload, created_at, tries, last_error, delivered_at
         FROM outbox WHERE delivered_at IS NULL ORDER BY id LIMIT ?",
    )
    .bind(limit)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(item)
    .collect())
}

/// Every row, answered or not, in delivery order.
pub async fn all(pool: &SqlitePool) -> Result<Vec<OutboxItem>> {
    Ok(sqlx::query_as::<_, Row>(
        "SELECT id, kind, idempotency_key, payload, created_at, tries, last_error, delivered_at
         FROM outbox ORDER BY id",
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(item)
    .collect())
}

type Row = (i64, String, String, String, String, i64, Option<String>, Option<String>);

fn item(row: Row) -> OutboxItem {
    let (id, kind, idempotency_key, payload, created_at, tries, last_error, delivered_at) = row;
    OutboxItem { id, kind, idempotency_key, payload, created_at, tries, last_error, delivered_at }
}

/// Delivers every pending row to `api` in order. `store_id` is the server the cache syncs
/// from, when known: an answer from another store stops delivery before anything is marked.
pub async fn deliver(
    api: &GreenApi,
    cache: &Cache,
    store_id: Option<&str>,
    clock: &(dyn Fn() -> DateTime<Utc> + Sync),
) -> Result<OutboxReport> {
    let mut report = OutboxReport::default();
    loop {
        let batch = pending(cache.pool(), BATCH).await?;
        if batch.is_empty() {
            return Ok(report);
        }
        for row in batch {
            deliver_one(api, cache, store_id, clock, &row, &mut report).await?;
        }
    }
}

async fn deliver_one(
    api: &GreenApi,
    cache: &Cache,
    store_id: Option<&str>,
    clock: &(dyn Fn() -> DateTime<Utc> + Sync),
    row: &OutboxItem,
    report: &mut OutboxReport,
) -> Result<()> {
    let payload = match serde_json::from_str(&row.payload) {
        Ok(payload) => payload,
        Err(e) => {
            // Only a hand-edited cache holds such a row; the server could never accept it.
            let why = format!("refused locally: the payload is not JSON ({e})");
            report.refused += 1;
            return mark(cache, row.id, Some(&why), Some(clock())).await;
        }
    };
    let request = WriteRequest { kind: row.kind.clone(), payload };

    match api.write(&row.idempotency_key, &request).await {
        Ok((ack, answered_by)) => {
            if let (Some(expected), Some(answered)) = (store_id, answered_by.as_deref()) {
                if expected != answered {
                    return Err(CoreError::OtherServer {
                        cached: expected.to_owned(),
                        asked: api.base_url().to_string(),
                    });
                }
            }
            match ack.status {
                WriteStatus::Applied => report.applied += 1,
                WriteStatus::Duplicate => report.duplicates += 1,
            }
            tracing::debug!(outbox.id = row.id, write.status = ?ack.status, "write delivered");
            mark(cache, row.id, None, Some(clock())).await
        }
        Err(CoreError::Server { status: status @ (400 | 409 | 422), code, detail }) => {
            let code = code.unwrap_or_default();
            let why = format!("refused by the server ({status} {code}): {detail}");
            tracing::warn!(outbox.id = row.id, write.kind = %row.kind, "{why}");
            report.refused += 1;
            mark(cache, row.id, Some(&why), Some(clock())).await
        }
        Err(error) => {
            // Best effort: the failure itself is what the caller must hear about.
            if let Err(e) = mark(cache, row.id, Some(&error.to_string()), None).await {
                tracing::debug!(error = %e, "could not note the failed delivery");
            }
            Err(error)
        }
    }
}

/// Counts a try of row `id`, with its error, and marks it answered when `delivered_at` is set.
async fn mark(
    cache: &Cache,
    id: i64,
    error: Option<&str>,
    delivered_at: Option<DateTime<Utc>>,
) -> Result<()> {
    let mut tx = cache.begin_write().await?;
    record(&mut tx, id, error, delivered_at).await?;
    tx.commit().await?;
    Ok(())
}

async fn record(
    conn: &mut SqliteConnection,
    id: i64,
    error: Option<&str>,
    delivered_at: Option<DateTime<Utc>>,
) -> Result<()> {
    sqlx::query(
        "UPDATE outbox SET tries = tries + 1, last_error = ?,
             delivered_at = COALESCE(?, delivered_at)
         WHERE id = ?",
    )
    .bind(error)
    .bind(delivered_at.map(instant_text))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}
