//! The outbox: local writes waiting to be delivered to the Green API.
//!
//! A local write (a quiz attempt, a setting) and its outbox row are committed in one
//! transaction, so nothing written offline is lost and nothing is sent that was not saved.
//! Each row carries its idempotency key, so delivering it twice changes nothing on the server.

use chrono::{DateTime, Utc};

use crate::db::instant_text;
use crate::error::Result;

/// Adds one write to the outbox, inside the caller's own write transaction.
pub async fn enqueue(
    conn: &mut sqlx::SqliteConnection,
    kind: &str,
    idempotency_key: &str,
    payload: &serde_json::Value,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO outbox (kind, idempotency_key, payload, created_at) VALUES (?, ?, ?, ?)",
    )
    .bind(kind)
    .bind(idempotency_key)
    .bind(payload.to_string())
    .bind(instant_text(at))
    .execute(conn)
    .await?;
    Ok(())
}
