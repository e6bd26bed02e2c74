//! The server's SQLite store: three change feeds, and the writes clients delivered.
//!
//! Items are kept as their JSON bodies beside the columns the feed needs (id, seq, version,
//! deleted). Writing an item gives it the next `seq` of its collection, so a client's cursor
//! (the last seq it saw) finds every later change, deletions included. Client writes are kept
//! by idempotency key ([`Store::record_write`]), so each is applied once however often it
//! arrives.
//!
//! Every row belongs to one account: its `user_id` column comes first in the table's key, and
//! every method that reads or changes user data takes the [`UserId`] it acts for and filters
//! by it. Seqs stay unique across a whole table, so one account's cursor skips the others'
//! changes without seeing them. Accounts and their sign-ins live in [`crate::accounts`].

use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use greenmile_api::{Bill, CarbonEntry, Offer, SettingPayload, Tombstone, WriteRequest};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use crate::accounts::UserId;
use crate::demo::Persona;
use crate::{bulk, demo};

/// The migrations of the server's store.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Rows per INSERT statement when seeding.
const ROWS_PER_STATEMENT: usize = 500;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("the server's database failed: {0}")]
    Sqlite(#[from] sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("the server's database could not be migrated: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored body is not valid JSON for its type (the database was edited by hand).
    #[error("a stored item is not valid: {0}")]
    Corrupt(#[from] serde_json::Error),
    /// Something stored cannot be used as it is.
    #[error("the server's database holds something unusable: {0}")]
    Invalid(String),
    /// A quiz attempt that does not fit the server's catalogue, or reuses an attempt id.
    #[error(transparent)]
    Attempt(#[from] crate::learn::AttemptError),
    /// No item has that id.
    #[error("no {collection} item {id:?}")]
    NotFound {
        /// The collection searched.
        collection: &'static str,
        /// The id asked for.
        id: String,
    },
}

/// One of the three feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    /// `bills`
    Bills,
    /// `offers`
    Offers,
    /// `carbon`
    Carbon,
}

impl Collection {
    fn table(self) -> &'static str {
        match self {
            Collection::Bills => "bills",
            Collection::Offers => "offers",
            Collection::Carbon => "carbon_entries",
        }
    }
}

/// A page read from a feed, before it is turned into the wire type.
#[derive(Debug)]
pub struct FeedPage<T> {
    /// Live items changed after the cursor.
    pub upserts: Vec<T>,
    /// Items deleted after the cursor.
    pub tombstones: Vec<Tombstone>,
    /// The seq of the last change in the page (the cursor's seq if the page is empty).
    pub last_seq: i64,
    /// Whether later changes exist.
    pub has_more: bool,
}

/// What became of a delivered write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    /// The key was new: the write is recorded and applied.
    Applied,
    /// The key was recorded before with the same body: nothing changed.
    Duplicate,
    /// The key was recorded before with another body: refused, nothing changed.
    Conflict,
}

/// A write as the store keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredWrite {
    /// The idempotency key it came with.
    pub key: String,
    /// Its kind.
    pub kind: String,
    /// The body, as first received.
    pub request: WriteRequest,
    /// How many times the key arrived.
    pub deliveries: i64,
}

/// One row of a feed as stored: the item's latest change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedRow {
    /// The item's id.
    pub id: String,
    /// The seq of its latest change.
    pub seq: i64,
    /// Its version.
    pub version: i64,
    /// Whether it is deleted (a tombstone).
    pub deleted: bool,
}

/// The server's database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    /// The store's id, kept in memory: every answer names it, and a demo reset changes it.
    id: Arc<RwLock<String>>,
}

impl Store {
    /// Opens or creates the store at `path`.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(Duration::from_secs(5));
        let pool = greenmile_core::db::pool_options(4).connect_with(options).await?;
        // Two processes starting the demo on one new folder race to create the store; the
        // loser retries once the winner has finished.
        let mut attempt = 0;
        while let Err(error) = MIGRATOR.run(&pool).await {
            attempt += 1;
            if attempt > 5 {
                return Err(error.into());
            }
            tokio::time::sleep(Duration::from_millis(150 * attempt)).await;
        }

        // A random id, made once: clients use it to tell this store's data from another's.
        let id = format!("{:032x}", fastrand::u128(..));
        sqlx::query("INSERT OR IGNORE INTO meta (key, value) VALUES ('store_id', ?)")
            .bind(id)
            .execute(&pool)
            .await?;
        let (id,): (String,) = sqlx::query_as("SELECT value FROM meta WHERE key = 'store_id'")
            .fetch_one(&pool)
            .await?;
        Ok(Self { pool, id: Arc::new(RwLock::new(id)) })
    }

    /// This store's id: stable, but for a demo reset, which makes the store another one.
    pub async fn id(&self) -> Result<String, StoreError> {
        Ok(self.current_id())
    }

    /// The id, without waiting (for the header every answer carries).
    pub fn current_id(&self) -> String {
        self.id.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Seeds the demo account (the demo user and the household) unless a demo is seeded
    /// already; returns whether it seeded.
    pub async fn seed_demo(&self, now: DateTime<Utc>) -> Result<bool, StoreError> {
        self.seed_persona(Persona::Household, now).await
    }

    /// Seeds `persona`'s demo account unless a demo is seeded already; returns whether it
    /// seeded. A store holds one demo account; [`Store::reset_demo`] swaps it for another.
    pub async fn seed_persona(
        &self,
        persona: Persona,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        // IMMEDIATE takes the write lock before the check, so two processes seeding one new
        // store cannot both find it empty.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let seeded: Option<(String,)> =
            sqlx::query_as("SELECT value FROM meta WHERE key = 'demo_seeded_at'")
                .fetch_optional(&mut *tx)
                .await?;
        if seeded.is_some() {
            return Ok(false);
        }

        seed_in(&mut tx, persona, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Empties the demo user's data (feeds, settings, quiz attempts, remembered writes) and
    /// seeds `persona`'s demo account afresh, all in one transaction, for the next visitor.
    /// Other accounts in the store, and the demo user's sign-ins, are left as they are.
    ///
    /// The store takes a new id too, so a cache synced from it before the reset is refused as
    /// another server's instead of mixing the two accounts: empty that cache as well.
    pub async fn reset_demo(&self, persona: Persona, now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let user = crate::accounts::demo_user_in(&mut tx, now).await?;
        // Settings name the write that made them, so they go before the writes.
        for table in ["bills", "offers", "carbon_entries", "settings", "quiz_attempts", "writes"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE user_id = ?"))
                .bind(user.0)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM meta WHERE key IN ('demo_seeded_at', 'demo_persona')")
            .execute(&mut *tx)
            .await?;
        let id = format!("{:032x}", fastrand::u128(..));
        sqlx::query("UPDATE meta SET value = ? WHERE key = 'store_id'")
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        seed_in(&mut tx, persona, now).await?;
        tx.commit().await?;

        *self.id.write().unwrap_or_else(|p| p.into_inner()) = id;
        Ok(())
    }

    /// Whose demo account the store holds, or `None` when it holds none.
    pub async fn demo_persona(&self) -> Result<Option<Persona>, StoreError> {
        let seeded: Option<(String,)> =
            sqlx::query_as("SELECT value FROM meta WHERE key = 'demo_seeded_at'")
                .fetch_optional(&self.pool)
                .await?;
        if seeded.is_none() {
            return Ok(None);
        }
        let named: Option<(String,)> =
            sqlx::query_as("SELECT value FROM meta WHERE key = 'demo_persona'")
                .fetch_optional(&self.pool)
                .await?;
        // Stores seeded before personas existed hold the household.
        Ok(Some(named.and_then(|(name,)| Persona::parse(&name)).unwrap_or_default()))
    }

    /// Fills `user`'s collections with [`bulk::dataset`]'s rows in one transaction, after
    /// whatever they hold; for benchmarks. Returns how many rows of each collection were written.
    pub async fn seed_bulk(
        &self,
        user: UserId,
        volume: bulk::Volume,
        now: DateTime<Utc>,
    ) -> Result<(usize, usize, usize), StoreError> {
        let data = bulk::dataset(volume, now);
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        insert_all(&mut tx, user, Collection::Bills, &data.bills, |b| (&b.id, b.version)).await?;
        insert_all(&mut tx, user, Collection::Offers, &data.offers, |o| (&o.id, o.version)).await?;
        insert_all(&mut tx, user, Collection::Carbon, &data.carbon, |c| (&c.id, c.version)).await?;
        tx.commit().await?;

        tracing::info!(
            bills = data.bills.len(),
            offers = data.offers.len(),
            carbon = data.carbon.len(),
            "bulk data seeded"
        );
        Ok((data.bills.len(), data.offers.len(), data.carbon.len()))
    }

    /// Whether the demo account is seeded here.
    pub async fn is_demo(&self) -> Result<bool, StoreError> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT value FROM meta WHERE key = 'demo_seeded_at'")
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.is_some())
    }

    /// The changes of `user`'s `collection` after `after_seq`, at most `limit`.
    pub async fn feed<T: DeserializeOwned>(
        &self,
        user: UserId,
        collection: Collection,
        after_seq: i64,
        limit: u32,
    ) -> Result<FeedPage<T>, StoreError> {
        let sql = format!(
            "SELECT id, seq, version, deleted, body FROM {}
             WHERE user_id = ? AND seq > ? ORDER BY seq LIMIT ?",
            collection.table()
        );
        let mut rows: Vec<(String, i64, i64, bool, String)> = sqlx::query_as(&sql)
            .bind(user.0)
            .bind(after_seq)
            .bind(i64::from(limit) + 1)
            .fetch_all(&self.pool)
            .await?;
        let has_more = rows.len() > limit as usize;
        rows.truncate(limit as usize);

        let last_seq = rows.last().map(|r| r.1).unwrap_or(after_seq);
        let mut page = FeedPage { upserts: Vec::new(), tombstones: Vec::new(), last_seq, has_more };
        for (id, _, version, deleted, body) in rows {
            if deleted {
                page.tombstones.push(Tombstone { id, version });
            } else {
                page.upserts.push(serde_json::from_str(&body)?);
            }
        }
        Ok(page)
    }

    /// The seq of the latest change in `user`'s `collection` (0 when it is empty): the feed's
    /// state, which changes with every write to it.
    pub async fn feed_state(
        &self,
        user: UserId,
        collection: Collection,
    ) -> Result<i64, StoreError> {
        let sql =
            format!("SELECT COALESCE(MAX(seq), 0) FROM {} WHERE user_id = ?", collection.table());
        let (seq,): (i64,) = sqlx::query_as(&sql).bind(user.0).fetch_one(&self.pool).await?;
        Ok(seq)
    }

    /// Records `user`'s write `request` under `key` and applies it, unless the key was seen
    /// before from that user. The check, the record and the change commit together, so two
    /// deliveries of one key racing each other apply it once.
    pub async fn record_write(
        &self,
        user: UserId,
        key: &str,
        request: &WriteRequest,
        now: DateTime<Utc>,
    ) -> Result<WriteOutcome, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let seen: Option<(String,)> =
            sqlx::query_as("SELECT body FROM writes WHERE user_id = ? AND idempotency_key = ?")
                .bind(user.0)
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some((body,)) = seen {
            let first: WriteRequest = serde_json::from_str(&body)?;
            if first != *request {
                return Ok(WriteOutcome::Conflict);
            }
            sqlx::query(
                "UPDATE writes SET deliveries = deliveries + 1
                 WHERE user_id = ? AND idempotency_key = ?",
            )
            .bind(user.0)
            .bind(key)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Ok(WriteOutcome::Duplicate);
        }

        sqlx::query(
            "INSERT INTO writes (user_id, idempotency_key, kind, body, received_at)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(user.0)
        .bind(key)
        .bind(&request.kind)
        .bind(serde_json::to_string(request)?)
        .bind(now.to_rfc3339())
        .execute(&mut *tx)
        .await?;
        if request.kind == "setting" {
            let setting: SettingPayload = serde_json::from_value(request.payload.clone())?;
            sqlx::query(
                "INSERT INTO settings (user_id, key, value, written_by) VALUES (?, ?, ?, ?)
                 ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value,
                     written_by = excluded.written_by",
            )
            .bind(user.0)
            .bind(&setting.key)
            .bind(&setting.value)
            .bind(key)
            .execute(&mut *tx)
            .await?;
        }
        if request.kind == "quiz_attempt" {
            // Scored against the server's own catalogue and kept once, in this transaction:
            // a refused attempt rolls the write record back with it.
            crate::learn::record_quiz_attempt(&mut tx, user, &request.payload, now).await?;
        }
        tx.commit().await?;
        Ok(WriteOutcome::Applied)
    }

    /// Every write recorded from `user`, in the order they first arrived.
    pub async fn writes(&self, user: UserId) -> Result<Vec<StoredWrite>, StoreError> {
        let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
            "SELECT idempotency_key, kind, body, deliveries FROM writes
             WHERE user_id = ? ORDER BY rowid",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await?;
        let mut writes = Vec::with_capacity(rows.len());
        for (key, kind, body, deliveries) in rows {
            writes.push(StoredWrite {
                key,
                kind,
                request: serde_json::from_str(&body)?,
                deliveries,
            });
        }
        Ok(writes)
    }

    /// `user`'s settings as the writes left them, by name.
    pub async fn settings(&self, user: UserId) -> Result<Vec<(String, String)>, StoreError> {
        Ok(sqlx::query_as("SELECT key, value FROM settings WHERE user_id = ? ORDER BY key")
            .bind(user.0)
            .fetch_all(&self.pool)
            .await?)
    }

    /// Every row of `user`'s `collection`, live and deleted, by seq (for checks of a client's
    /// cache).
    pub async fn rows(
        &self,
        user: UserId,
        collection: Collection,
    ) -> Result<Vec<FeedRow>, StoreError> {
        let sql = format!(
            "SELECT id, seq, version, deleted FROM {} WHERE user_id = ? ORDER BY seq",
            collection.table()
        );
        let rows: Vec<(String, i64, i64, bool)> =
            sqlx::query_as(&sql).bind(user.0).fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .map(|(id, seq, version, deleted)| FeedRow { id, seq, version, deleted })
            .collect())
    }

    /// Writes `bill` into `user`'s bills as a new change (its version must be higher than the
    /// stored one).
    pub async fn put_bill(&self, user: UserId, bill: &Bill) -> Result<(), StoreError> {
        self.put(user, Collection::Bills, &bill.id, bill.version, bill).await
    }

    /// Writes `offer` into `user`'s offers as a new change.
    pub async fn put_offer(&self, user: UserId, offer: &Offer) -> Result<(), StoreError> {
        self.put(user, Collection::Offers, &offer.id, offer.version, offer).await
    }

    /// Writes `entry` into `user`'s carbon ledger as a new change.
    pub async fn put_carbon(&self, user: UserId, entry: &CarbonEntry) -> Result<(), StoreError> {
        self.put(user, Collection::Carbon, &entry.id, entry.version, entry).await
    }

    /// Deletes one of `user`'s items: it stays as a tombstone with a raised version and a new
    /// seq.
    pub async fn delete(
        &self,
        user: UserId,
        collection: Collection,
        id: &str,
    ) -> Result<(), StoreError> {
        let sql = format!(
            "UPDATE {t} SET deleted = 1, version = version + 1,
                 seq = (SELECT COALESCE(MAX(seq), 0) + 1 FROM {t})
             WHERE user_id = ? AND id = ? AND deleted = 0",
            t = collection.table()
        );
        let done = sqlx::query(&sql).bind(user.0).bind(id).execute(&self.pool).await?;
        if done.rows_affected() == 0 {
            let name = match collection {
                Collection::Bills => "bills",
                Collection::Offers => "offers",
                Collection::Carbon => "carbon",
            };
            return Err(StoreError::NotFound { collection: name, id: id.to_owned() });
        }
        Ok(())
    }

    /// One of `user`'s live bills by id.
    pub async fn bill(&self, user: UserId, id: &str) -> Result<Bill, StoreError> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT body FROM bills WHERE user_id = ? AND id = ? AND deleted = 0")
                .bind(user.0)
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        match row {
            Some((body,)) => Ok(serde_json::from_str(&body)?),
            None => Err(StoreError::NotFound { collection: "bills", id: id.to_owned() }),
        }
    }

    async fn put<T: Serialize>(
        &self,
        user: UserId,
        collection: Collection,
        id: &str,
        version: i64,
        item: &T,
    ) -> Result<(), StoreError> {
        let body = serde_json::to_string(item)?;
        let sql = format!(
            "INSERT INTO {t} (user_id, id, seq, version, deleted, body)
             VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM {t}), ?, 0, ?)
             ON CONFLICT (user_id, id) DO UPDATE SET seq = excluded.seq,
                 version = excluded.version, deleted = 0, body = excluded.body",
            t = collection.table()
        );
        sqlx::query(&sql)
            .bind(user.0)
            .bind(id)
            .bind(version)
            .bind(body)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The connection pool, for the modules that keep tables of their own ([`crate::learn`]).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Closes the database.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Inserts `items` into `user`'s `collection` with consecutive seqs after the table's last,
/// many rows a statement.
async fn insert_all<T: Serialize>(
    tx: &mut sqlx::SqliteConnection,
    user: UserId,
    collection: Collection,
    items: &[T],
    key: impl Fn(&T) -> (&String, i64),
) -> Result<(), StoreError> {
    let sql = format!("SELECT COALESCE(MAX(seq), 0) FROM {}", collection.table());
    let (mut seq,): (i64,) = sqlx::query_as(&sql).fetch_one(&mut *tx).await?;

    for chunk in items.chunks(ROWS_PER_STATEMENT) {
        let mut rows = Vec::with_capacity(chunk.len());
        for item in chunk {
            seq += 1;
            let (id, version) = key(item);
            rows.push((id.clone(), seq, version, serde_json::to_string(item)?));
        }
        let mut query: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
            "INSERT INTO {} (user_id, id, seq, version, deleted, body) ",
            collection.table()
        ));
        query.push_values(rows, |mut b, (id, seq, version, body)| {
            b.push_bind(user.0)
                .push_bind(id)
                .push_bind(seq)
                .push_bind(version)
                .push_bind(0)
                .push_bind(body);
        });
        query.build().execute(&mut *tx).await?;
    }
    Ok(())
}

/// Writes `persona`'s demo account (the demo user, made if needed, and its data) into a store
/// that holds no demo yet, inside the caller's transaction.
async fn seed_in(
    tx: &mut sqlx::SqliteConnection,
    persona: Persona,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let user = crate::accounts::demo_user_in(&mut *tx, now).await?;
    let data = demo::persona_dataset(persona, now);
    insert_all(&mut *tx, user, Collection::Bills, &data.bills, |b| (&b.id, b.version)).await?;
    insert_all(&mut *tx, user, Collection::Offers, &data.offers, |o| (&o.id, o.version)).await?;
    insert_all(&mut *tx, user, Collection::Carbon, &data.carbon, |c| (&c.id, c.version)).await?;
    sqlx::query("INSERT INTO meta (key, value) VALUES ('demo_seeded_at', ?), ('demo_persona', ?)")
        .bind(now.to_rfc3339())
        .bind(persona.as_str())
        .execute(&mut *tx)
        .await?;

    tracing::info!(
        demo.persona = persona.as_str(),
        bills = data.bills.len(),
        offers = data.offers.len(),
        carbon = data.carbon.len(),
        "demo account seeded"
    );
    Ok(())
}
