//! Queries of `sync_source`: which server the cache holds data from.

use sqlx::{SqliteConnection, SqlitePool};

use crate::error::Result;

/// The server id and address the cache was synced from, if it ever was.
pub async fn get(pool: &SqlitePool) -> Result<Option<(String, String)>> {
    Ok(sqlx::query_as("SELECT server_id, base_url FROM sync_source WHERE id = 1")
        .fetch_optional(pool)
        .await?)
}

/// Records the server the cache syncs from; call it in the transaction of the first page.
/// The address is updated (a demo server's port changes at every start), the id never.
pub async fn set(conn: &mut SqliteConnection, server_id: &str, base_url: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO sync_source (id, server_id, base_url) VALUES (1, ?, ?)
         ON CONFLICT (id) DO UPDATE SET base_url = excluded.base_url
         WHERE sync_source.server_id = excluded.server_id",
    )
    .bind(server_id)
    .bind(base_url)
    .execute(conn)
    .await?;
    Ok(())
}
