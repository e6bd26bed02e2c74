//! Queries of `sync_cursors`: where each feed continues, and the feed's entity tag once it was
//! read to its end.

use chrono::{DateTime, Utc};
use sqlx::{SqliteConnection, SqlitePool};

use super::{instant_text, parse_instant};
use crate::error::Result;

/// The cursor stored for `collection`, if a page of it was ever applied.
pub async fn get(pool: &SqlitePool, collection: &str) -> Result<Option<String>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT cursor FROM sync_cursors WHERE collection = ?")
            .bind(collection)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(c,)| c))
}

/// Stores `cursor` for `collection`; call it in the transaction that applies the page.
pub async fn set(
    conn: &mut SqliteConnection,
    collection: &str,
    cursor: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sync_cursors (collection, cursor, synced_at) VALUES (?, ?, ?)
         ON CONFLICT (collection) DO UPDATE SET cursor = excluded.cursor,
             synced_at = excluded.synced_at",
    )
    .bind(collection)
    .bind(cursor)
    .bind(instant_text(at))
    .execute(conn)
    .await?;
    Ok(())
}

/// When a page was last applied, over all collections.
pub async fn last_synced_at<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Sqlite>,
) -> Result<Option<DateTime<Utc>>> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT MAX(synced_at) FROM sync_cursors").fetch_optional(db).await?;
    match row.and_then(|(t,)| t) {
        Some(text) => Ok(Some(parse_instant(&text)?)),
        None => Ok(None),
    }
}

/// The cursor and entity tag stored for `collection`.
pub async fn state(
    pool: &SqlitePool,
    collection: &str,
) -> Result<(Option<String>, Option<String>)> {
    let row: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT cursor, etag FROM sync_cursors WHERE collection = ?")
            .bind(collection)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(c, e)| (Some(c), e)).unwrap_or_default())
}

/// Stores the entity tag of `collection` (after [`set`], in the same transaction): the tag of
/// the page that reached the feed's end, or `None` while more pages wait.
pub async fn set_etag(
    conn: &mut SqliteConnection,
    collection: &str,
    etag: Option<&str>,
) -> Result<()> {
    sqlx::query("UPDATE sync_cursors SET etag = ? WHERE collection = ?")
        .bind(etag)
        .bind(collection)
        .execute(conn)
        .await?;
    Ok(())
}
