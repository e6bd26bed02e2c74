//! The local SQLite cache.
//!
//! [`Cache`] opens (or creates) the database file with WAL, foreign keys and a busy timeout,
//! and brings its schema up to date from the numbered files in `crates/core/migrations`. Each
//! table has one query module here: [`bills`], [`offers`], [`ledger`], [`cursors`], [`source`],
//! [`quarantine`] (feed items that failed validation), [`settings`], [`imported`] (bills read
//! from payment exports, which a sync never touches), and [`quiz_attempts`], [`earned_badges`]
//! and [`learn_catalog`] (the education channel); the outbox is [`crate::outbox`]. Writes
//! of a sync page go through one transaction ([`Cache::begin_write`]) so a page and its cursor
//! land together or not at all.
//!
//! Storage discipline: writes go through one writer connection whose transactions begin
//! `IMMEDIATE`, taking the write lock up front so two writers queue instead of failing
//! half-way with SQLITE_BUSY; readers use their own connections of [`Cache::pool`] and, under
//! WAL, are never blocked by the writer.

pub mod bills;
pub mod cursors;
pub mod earned_badges;
pub mod health;
pub mod imported;
pub mod learn_catalog;
pub mod ledger;
pub mod offers;
pub mod quarantine;
pub mod quiz_attempts;
pub mod settings;
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

/// Each reader's page cache, in KiB (SQLite takes a negative `cache_size` as KiB). Reads go
/// through the memory map below, so this holds mostly the pages of the WAL and temp b-trees.
const READER_CACHE_KIB: i64 = 8 * 1024;

/// The writer's page cache, in KiB: a page of upserts touches every index of its table, and
/// with SQLite's default of 2 MB a bulk sync spills and re-reads index pages all the time.
const WRITER_CACHE_KIB: i64 = 64 * 1024;

/// How much of the file readers map instead of copying pages into each connection's cache:
/// the pages are the operating system's, shared by every connection and process.
// TODO(memory): mapped pages a query touched count in the process's RSS; a full scan of 100k
// bills (the bill list's count still does one) maps ~90 MB. They are clean and reclaimable,
// but the RSS figure of bench/RESULTS.md will show them at that volume.
const MMAP_BYTES: i64 = 256 * 1024 * 1024;

/// WAL pages after which the writer checkpoints on its own: SQLite's default, said here so it
/// is a decision. A bulk sync with a WAL allowed to grow to 64 MB was no faster on the bench
/// and made readers during it slower (pages read from the WAL, not the map); a sync that wrote
/// much checkpoints once more when it ends ([`Cache::checkpoint`]).
const WAL_AUTOCHECKPOINT_PAGES: i64 = 1_000;

/// The size a WAL file is cut back to after a checkpoint, so one large sync does not leave a
/// large file behind.
const WAL_SIZE_LIMIT_BYTES: i64 = 64 * 1024 * 1024;

/// An open cache database.
#[derive(Debug, Clone)]
pub struct Cache {
    pool: SqlitePool,
    writer: SqlitePool,
    path: PathBuf,
    recovered: Option<health::Recovery>,
}

impl Cache {
    /// Opens the cache at `path`, creating the file and its folder if needed, checks it and
    /// migrates it. A damaged file is moved aside and a fresh cache made in its place, with
    /// the local writes that had not reached the server queued again ([`health`]); the next
    /// sync rebuilds the rest, and [`Cache::recovered`] says what happened.
    pub async fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| CoreError::io(format!("cannot create {}", dir.display()), e))?;
        }

        let error = match Self::open_checked(path).await {
            Ok(cache) => return Ok(cache),
            Err(error) if health::is_damage(&error) => error,
            Err(error) => return Err(error),
        };
        let (mut recovery, rows) = health::move_aside(path, error.to_string(), Utc::now()).await?;
        let mut cache = Self::open_checked(path).await?;
        // What exists only on this device comes across before anything else is written.
        {
            let mut conn = cache.writer.acquire().await?;
            recovery.salvaged =
                health::salvage_local(&mut conn, Path::new(&recovery.moved_to)).await;
        }
        let mut tx = cache.begin_write().await?;
        for row in &rows {
            crate::outbox::requeue(&mut tx, row).await?;
            // A setting not yet on the server is known here only through its write.
            // TODO(settings-feed): settings already delivered come back only once the API
            // serves them as a feed; until then they are lost with a damaged cache.
            if row.kind == "setting" {
                if let Ok(s) = serde_json::from_str::<greenmile_api::SettingPayload>(&row.payload) {
                    let at = parse_instant(&row.created_at).unwrap_or_else(|_| Utc::now());
                    settings::put(&mut tx, &s.key, &s.value, at).await?;
                }
            }
        }
        tx.commit().await?;
        cache.recovered = Some(recovery);
        Ok(cache)
    }

    /// What was done when the cache was found damaged at opening, if it was.
    pub fn recovered(&self) -> Option<&health::Recovery> {
        self.recovered.as_ref()
    }

    async fn open_checked(path: &Path) -> Result<Self> {
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            // Sorts and GROUP BY b-trees stay in memory instead of temp files.
            .pragma("temp_store", "MEMORY")
            .pragma("mmap_size", MMAP_BYTES.to_string())
            .pragma("journal_size_limit", WAL_SIZE_LIMIT_BYTES.to_string());
        let writer_options = options
            .clone()
            .pragma("cache_size", (-WRITER_CACHE_KIB).to_string())
            .pragma("wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES.to_string());
        let writer = pool_options(1).connect_with(writer_options).await?;
        if let Err(error) = health::check(&writer).await {
            writer.close().await;
            return Err(error);
        }
        if let Err(error) = migrate(&writer).await {
            writer.close().await;
            return Err(error);
        }
        let reader_options = options.pragma("cache_size", (-READER_CACHE_KIB).to_string());
        let pool = pool_options(4).connect_with(reader_options).await?;
        // An upgraded app may carry newer carbon methods than the figures it cached.
        bills::recompute_outdated(&writer).await?;

        tracing::debug!(cache.path = %path.display(), "cache opened");
        Ok(Self { pool, writer, path: path.to_owned(), recovered: None })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The readers' connection pool, for queries; under WAL they never wait for the writer.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Starts a write transaction on the one writer connection, with `BEGIN IMMEDIATE`: the
    /// write lock is taken before the first statement, so a second writer waits its turn
    /// (another process, up to the busy timeout) instead of failing after work was done.
    pub async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>> {
        Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Copies the WAL into the database file without waiting for readers (a checkpoint that
    /// finds readers on old pages copies what it can; the next one does the rest). A sync that
    /// wrote many pages calls it once at its end instead of the writer stopping every few MB.
    pub async fn checkpoint(&self) -> Result<()> {
        sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&self.writer).await?;
        Ok(())
    }

    /// Empties the cache of everything synced, imported or written here (bills, offers,
    /// carbon, cursors, the server it came from, settings, quiz attempts, badges, the outbox,
    /// quarantine), in one transaction, keeping the schema and the bundled lesson catalog.
    /// For the demo's reset between visitors: the next sync starts from nothing.
    pub async fn clear(&self) -> Result<()> {
        let mut tx = self.begin_write().await?;
        // Bills first: their trigger empties the search index with them.
        for table in CLEARED_TABLES {
            sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        tracing::info!("cache cleared");
        Ok(())
    }

    /// What the cache holds that was made here rather than synced: imported bills, quiz
    /// attempts and settings. A demo must not be mixed into these, nor wipe them.
    pub async fn own_data(&self) -> Result<OwnData> {
        let (imported_bills, quiz_attempts, settings): (i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM imported_bills), (SELECT COUNT(*) FROM quiz_attempts), \
                    (SELECT COUNT(*) FROM settings)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(OwnData { imported_bills, quiz_attempts, settings })
    }

    /// Closes every connection, checkpointing the WAL.
    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }
}

/// Counts of what a cache holds that was made on this device ([`Cache::own_data`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnData {
    /// Bills read from payment exports.
    pub imported_bills: i64,
    /// Quizzes taken.
    pub quiz_attempts: i64,
    /// Settings chosen.
    pub settings: i64,
}

impl OwnData {
    /// Whether there is none of it.
    pub fn is_empty(&self) -> bool {
        self.imported_bills == 0 && self.quiz_attempts == 0 && self.settings == 0
    }
}

/// The tables [`Cache::clear`] empties: every table of user data. `learn_catalog` holds the
/// lessons shipped with the app and stays; a new table of user data belongs here.
const CLEARED_TABLES: [&str; 14] = [
    "bills",
    "offers",
    "carbon_entries",
    "sync_cursors",
    "sync_source",
    "imported_bills",
    "outbox",
    "quiz_attempts",
    "earned_badges",
    "quarantine",
    "settings",
    "bill_search_keys",
    // Kept by triggers as the tables above empty; cleared last so no zero rows stay behind.
    "bill_month_sums",
    "ledger_month_sums",
];

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

/// A pool of at most `connections` to a local SQLite file, as every pool of this workspace
/// is made. A connection is not pinged before each use, as sqlx does by default: for a local
/// file there is no link to fail, and the ping is one more round trip to the connection's
/// thread on every query (some 30 µs of the 90 µs a short dashboard read costs). Nor are
/// connections closed when idle or old, which for a local file gains nothing and keeps sqlx's
/// pool upkeep task from running at all: that task can read the idle count while a release
/// has it below zero and spin forever (sqlx issue #3645, unfixed in 0.8.6), which hung a CLI
/// process after its output now and then.
pub fn pool_options(connections: u32) -> SqlitePoolOptions {
    SqlitePoolOptions::new()
        .max_connections(connections)
        .test_before_acquire(false)
        .idle_timeout(None)
        .max_lifetime(None)
}

/// The newest schema version this build knows (its last migration).
pub fn schema_version() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

/// An instant as the cache stores it: UTC, milliseconds, fixed width, so text order is time
/// order.
pub fn instant_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// What a query selected as one JSON text, read as `T`: rows written by
/// `json_group_array(json_array(...))` are a `Vec` of tuples of their columns in order.
///
/// The dashboard sums a few hundred short rows per read. Handed over one by one, each row costs
/// sqlx a message from its connection's thread and a copy of every value (2.6 µs a row
/// measured, against 0.1 µs for SQLite to step it), and each query some 90 µs more; SQLite
/// writes the same rows as one text in a fraction of that. `what` names the rows in the error a
/// malformed text gives.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    serde_json::from_str(text)
        .map_err(|e| CoreError::BadResponse(format!("the cache's {what} read back wrong: {e}")))
}

/// Reads an instant stored by [`instant_text`].
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| CoreError::BadResponse(format!("stored instant {text:?}: {e}")))
}
