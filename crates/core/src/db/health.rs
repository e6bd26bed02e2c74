//! The cache's health: a check when it opens, and what happens to a damaged file.
//!
//! [`Cache::open`](super::Cache::open) runs `PRAGMA quick_check` first. A file that fails it (or
//! that SQLite calls corrupt or not a database) is not repaired in place: its pending outbox
//! rows are read out as far as they can be and written to a JSON file beside it, the file is
//! moved aside under a dated name, and a fresh cache is made, into which those rows are put
//! back under their own idempotency keys. Everything else in the cache is a projection of the
//! server, so the next sync rebuilds it. The [`Recovery`] says what happened so the user can
//! be told.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteConnectOptions;
use ts_rs::TS;

use crate::error::{CoreError, Result};
use crate::outbox::OutboxItem;

/// SQLite's result codes for a damaged file: SQLITE_CORRUPT and SQLITE_NOTADB.
const DAMAGED: [i64; 2] = [11, 26];

/// SQLite's result code for a full disk or a database at its size limit.
const FULL: i64 = 13;

/// What was done to a damaged cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Recovery {
    /// What the check found.
    pub reason: String,
    /// Where the damaged file now is.
    pub moved_to: String,
    /// The JSON file holding the local writes that had not reached the server, if any could
    /// be read.
    pub outbox_export: Option<String>,
    /// How many of those writes were read out and queued again in the new cache.
    #[ts(type = "number")]
    pub outbox_rows: u64,
    /// What of the data that exists only on this device (imported bills, quiz attempts,
    /// earned badges, settings) was copied into the new cache, table by table, such as
    /// `imported_bills: 4 rows`, or why a table could not be read.
    pub salvaged: Vec<String>,
}

/// The tables whose rows exist only on this device: a sync cannot bring them back, so a
/// recovery copies whatever of them can still be read from the damaged file.
pub const LOCAL_TABLES: [&str; 4] =
    ["imported_bills", "quiz_attempts", "earned_badges", "settings"];

/// Copies the readable rows of [`LOCAL_TABLES`] from the damaged file at `damaged` into the
/// fresh cache behind `conn`, one table at a time, so one unreadable table does not cost the
/// others. Returns a line per table.
pub async fn salvage_local(conn: &mut sqlx::SqliteConnection, damaged: &Path) -> Vec<String> {
    let attach = sqlx::query("ATTACH DATABASE ? AS damaged")
        .bind(damaged.display().to_string())
        .execute(&mut *conn)
        .await;
    if let Err(error) = attach {
        return vec![format!("nothing: the damaged file could not be opened ({error})")];
    }
    let mut lines = Vec::new();
    for table in LOCAL_TABLES {
        // Table names come from the constant above, never from input.
        let sql = format!("INSERT OR IGNORE INTO main.{table} SELECT * FROM damaged.{table}");
        match sqlx::query(&sql).execute(&mut *conn).await {
            Ok(done) => lines.push(format!("{table}: {} rows", done.rows_affected())),
            Err(error) => lines.push(format!("{table}: not readable ({error})")),
        }
    }
    if let Err(error) = sqlx::query("DETACH DATABASE damaged").execute(&mut *conn).await {
        tracing::warn!(error = %error, "the damaged cache could not be detached");
    }
    lines
}

/// The primary SQLite result code of `error`, when SQLite raised it.
pub fn sqlite_code(error: &sqlx::Error) -> Option<i64> {
    let sqlx::Error::Database(db) = error else { return None };
    let code: i64 = db.code()?.parse().ok()?;
    // Extended codes carry the primary code in their low byte.
    Some(code & 0xff)
}

/// Whether `error` says the cache file is damaged.
pub fn is_damage(error: &CoreError) -> bool {
    match error {
        CoreError::Cache(e) => sqlite_code(e).is_some_and(|c| DAMAGED.contains(&c)),
        CoreError::Migrate(sqlx::migrate::MigrateError::Execute(e)) => {
            sqlite_code(e).is_some_and(|c| DAMAGED.contains(&c))
        }
        CoreError::Damaged(_) => true,
        _ => false,
    }
}

/// Whether `error` is SQLITE_FULL: the disk (or the file's size limit) is full.
pub fn is_full(error: &sqlx::Error) -> bool {
    sqlite_code(error) == Some(FULL)
}

/// Runs `PRAGMA quick_check` on `pool`; an error names what it found.
pub async fn check(pool: &sqlx::SqlitePool) -> Result<()> {
    let rows: Vec<(String,)> = sqlx::query_as("PRAGMA quick_check").fetch_all(pool).await?;
    match rows.as_slice() {
        [(ok,)] if ok == "ok" => Ok(()),
        found => {
            let first: Vec<&str> = found.iter().take(3).map(|(r,)| r.as_str()).collect();
            Err(CoreError::Damaged(first.join("; ")))
        }
    }
}

/// Moves the damaged cache at `path` aside after saving its pending outbox rows beside it.
/// Returns what was done and the rows to queue again.
pub async fn move_aside(
    path: &Path,
    reason: String,
    now: DateTime<Utc>,
) -> Result<(Recovery, Vec<OutboxItem>)> {
    let stamp = now.format("%Y%m%dT%H%M%SZ");
    let rows = salvage_outbox(path).await;
    let outbox_export = match &rows {
        Some(rows) if !rows.is_empty() => {
            let export = sibling(path, &format!("outbox-{stamp}.json"));
            let text = serde_json::to_string_pretty(rows)
                .map_err(|e| CoreError::InvalidInput(format!("cannot write the outbox: {e}")))?;
            std::fs::write(&export, text)
                .map_err(|e| CoreError::io(format!("cannot write {}", export.display()), e))?;
            Some(export)
        }
        _ => None,
    };

    let moved_to = sibling(path, &format!("corrupt-{stamp}"));
    std::fs::rename(path, &moved_to)
        .map_err(|e| CoreError::io(format!("cannot move {} aside", path.display()), e))?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", path.display()));
        if side.exists() {
            let to = PathBuf::from(format!("{}{suffix}", moved_to.display()));
            std::fs::rename(&side, &to)
                .map_err(|e| CoreError::io(format!("cannot move {} aside", side.display()), e))?;
        }
    }

    let rows = rows.unwrap_or_default();
    tracing::warn!(
        cache.path = %path.display(),
        cache.moved_to = %moved_to.display(),
        outbox.rows = rows.len(),
        "the cache was damaged ({reason}); moved aside and started afresh"
    );
    let recovery = Recovery {
        reason,
        moved_to: moved_to.display().to_string(),
        outbox_export: outbox_export.map(|p| p.display().to_string()),
        outbox_rows: rows.len() as u64,
        salvaged: Vec::new(),
    };
    Ok((recovery, rows))
}

/// The pending outbox rows of a damaged file, read without writing to it; `None` when even
/// that fails.
async fn salvage_outbox(path: &Path) -> Option<Vec<OutboxItem>> {
    let options = SqliteConnectOptions::new().filename(path).read_only(true);
    let pool = super::pool_options(1).connect_with(options).await.ok()?;
    let rows = crate::outbox::pending(&pool, i64::MAX).await;
    pool.close().await;
    match rows {
        Ok(rows) => Some(rows),
        Err(error) => {
            tracing::warn!(error = %error, "the damaged cache's outbox could not be read");
            None
        }
    }
}

/// `path` with `.suffix` added to its file name.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(format!(".{suffix}"));
    path.with_file_name(name)
}
