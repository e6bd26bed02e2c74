//! The local SQLite cache.
//!
//! [`Cache`] opens (or creates) the database file with WAL, foreign keys and a busy timeout,
//! and brings its schema up to date from the numbered files in `crates/core/migrations`. Each
//! table has one query module here: [`bills`], [`offers`], [`ledger`], [`cursors`], [`source`] and
//! [`imported`] (bills read from payment exports, which a sync never touches). Writes
//! of a sync page go through one transaction ([`Cache::begin_write`]) so a page and its cursor
//! land together or not at all.

pub mod bills;
pub mod cursors;
pub mod imported;
pub mod ledger;
pub mod offers;
pub mod source;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

use crate::error::{CoreError, Result};

/// The schema migrations, embedded at build time.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// How long a connection waits for another writer before giving up with SQLITE_BUSY.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// An open cache database.
#[derive(Debug, Clone)]
pub struct Cache {
    pool: SqlitePool,
    path: PathBuf,
}

impl Cache {
    /// Opens the cache at `path`, creating the file and its folder if needed, and migrates it.
    pub async fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| CoreError::io(format!("cannot create {}", dir.display()), e))?;
        }

        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        // TODO(sync-storage): one writer connection with BEGIN IMMEDIATE and separate readers
        // (issue 7); a small shared pool is enough while only the sync engine writes.
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
        migrate(&pool).await?;
        // An upgraded app may carry newer carbon methods than the figures it cached.
        bills::recompute_outdated(&pool).await?;

        tracing::debug!(cache.path = %path.display(), "cache opened");
        Ok(Self { pool, path: path.to_owned() })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection pool, for queries.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Starts a write transaction. IMMEDIATE takes the write lock at once, waiting out other
    /// writers: a deferred one that reads first (the search index's triggers do) fails at
    /// once with SQLITE_BUSY when another process wrote since its read began.
    pub async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Closes every connection, checkpointing the WAL.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Deletes from `table` the rows named by `tombstones`, unless the cache holds a newer version
/// than the deletion's. `table` is one of this module's table names, never user input.
async fn delete_tombstones(
    conn: &mut sqlx::SqliteConnection,
    table: &'static str,
    tombstones: &[greenmile_api::Tombstone],
) -> Result<u64> {
    let sql = format!("DELETE FROM {table} WHERE id = ? AND version <= ?");
    let mut deleted = 0;
    for t in tombstones {
        deleted += sqlx::query(&sql)
            .bind(&t.id)
            .bind(t.version)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(deleted)
}

/// Brings the schema up to date. Two processes opening a new cache at once race to create
/// it; the loser sees "already exists" or "locked" and succeeds once the winner is done.
async fn migrate(pool: &SqlitePool) -> Result<()> {
    let mut attempt = 0;
    loop {
        match MIGRATOR.run(pool).await {
            Ok(()) => return Ok(()),
            Err(error) if attempt < 5 => {
                attempt += 1;
                tracing::debug!(error = %error, attempt, "cache migration raced; retrying");
                tokio::time::sleep(Duration::from_millis(150 * attempt)).await;
            }
            Err(error) => return Err(error.into()),
        }
    }
}

/// An instant as the cache stores it: UTC, milliseconds, fixed width, so text order is time
/// order.
pub fn instant_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Reads an instant stored by [`instant_text`].
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| CoreError::BadResponse(format!("stored instant {text:?}: {e}")))
}
