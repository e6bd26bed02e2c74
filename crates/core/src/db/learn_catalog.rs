//! Queries of `learn_catalog`: the newest education catalogue the Green API sent.

use sqlx::SqlitePool;

use crate::error::Result;

/// The stored catalogue as `(version, body JSON)`, if one was ever fetched.
pub async fn get(pool: &SqlitePool) -> Result<Option<(String, String)>> {
    Ok(sqlx::query_as("SELECT version, body FROM learn_catalog WHERE id = 1")
        .fetch_optional(pool)
        .await?)
}

/// Replaces the stored catalogue.
pub async fn put(pool: &SqlitePool, version: &str, body: &str, fetched_at: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO learn_catalog (id, version, body, fetched_at) VALUES (1, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version, body = excluded.body,
             fetched_at = excluded.fetched_at",
    )
    .bind(version)
    .bind(body)
    .bind(fetched_at)
    .execute(pool)
    .await?;
    Ok(())
}
