//! Queries of `settings`: the user's settings as this device last wrote them.

use chrono::{DateTime, Utc};
use sqlx::{SqliteConnection, SqlitePool};

use super::instant_text;
use crate::error::Result;

/// Stores `value` for `key`; call it in the transaction that enqueues the outbox row.
pub async fn put(
    conn: &mut SqliteConnection,
    key: &str,
    value: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(value)
    .bind(instant_text(at))
    .execute(conn)
    .await?;
    Ok(())
}

/// The value of `key`, if it is set.
pub async fn get(conn: &mut SqliteConnection, key: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(key)
        .fetch_optional(conn)
        .await?)
}

/// Every setting by name: its value, when it was written, and whether a `setting` write of
/// it still waits in the outbox.
pub async fn list(pool: &SqlitePool) -> Result<Vec<(String, String, String, bool)>> {
    Ok(sqlx::query_as(
        "SELECT s.key, s.value, s.updated_at, EXISTS (
             SELECT 1 FROM outbox o WHERE o.kind = 'setting' AND o.delivered_at IS NULL
                 AND json_extract(o.payload, '$.key') = s.key)
         FROM settings s ORDER BY s.key",
    )
    .fetch_all(pool)
    .await?)
}
