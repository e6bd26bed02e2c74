//! What must hold of a cache after any crash, and of a cache after a sync that succeeded.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::str::FromStr;

use anyhow::{Context, bail, ensure};
use greenmile_server::{Collection, Store, UserId};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{SqlitePool, query_as};

/// The feeds: the cursor's name, the cache table, the server's collection.
const FEEDS: [(&str, &str, Collection); 3] = [
    ("bills", "bills", Collection::Bills),
    ("offers", "offers", Collection::Offers),
    ("carbon", "carbon_entries", Collection::Carbon),
];

async fn open(cache: &Path) -> anyhow::Result<SqlitePool> {
    let options = SqliteConnectOptions::from_str("sqlite:")?.filename(cache);
    Ok(greenmile_core::db::pool_options(1).connect_with(options).await?)
}

/// After any step, crash or not: the file is sound, nothing is cached twice or from nowhere,
/// no cursor is ahead of the data committed with it, and every write marked delivered is on
/// the server.
pub async fn after_step(store: &Store, user: UserId, cache: &Path) -> anyhow::Result<()> {
    if !cache.exists() {
        return Ok(());
    }
    let pool = open(cache).await?;
    let result = sound(store, user, &pool).await;
    pool.close().await;
    result
}

async fn sound(store: &Store, user: UserId, pool: &SqlitePool) -> anyhow::Result<()> {
    let (integrity,): (String,) = query_as("PRAGMA integrity_check").fetch_one(pool).await?;
    ensure!(integrity == "ok", "PRAGMA integrity_check says {integrity:?}");
    let migrated: Option<(String,)> =
        query_as("SELECT name FROM sqlite_master WHERE name = 'quarantine'")
            .fetch_optional(pool)
            .await?;
    if migrated.is_none() {
        // Killed before its schema was in place: nothing else to check yet.
        return Ok(());
    }

    for (name, table, collection) in FEEDS {
        let server: BTreeMap<String, (i64, i64, bool)> = store
            .rows(user, collection)
            .await?
            .into_iter()
            .map(|r| (r.id, (r.seq, r.version, r.deleted)))
            .collect();
        let cached = cached_rows(pool, table).await?;

        for (id, version) in &cached {
            let Some((_, server_version, _)) = server.get(id) else {
                bail!("{table}: {id} is cached but the server never had it");
            };
            ensure!(
                version <= server_version,
                "{table}: {id} v{version} is newer than the server's"
            );
        }

        let cursor: Option<(String,)> =
            query_as("SELECT cursor FROM sync_cursors WHERE collection = ?")
                .bind(name)
                .fetch_optional(pool)
                .await?;
        let Some((cursor,)) = cursor else { continue };
        let seq: i64 =
            cursor.strip_prefix('s').and_then(|n| n.parse().ok()).with_context(|| {
                format!("{name}: the cursor {cursor:?} is not one the server gives")
            })?;
        for (id, (row_seq, version, deleted)) in &server {
            if *row_seq > seq {
                continue;
            }
            match (cached.get(id), deleted) {
                (Some(v), false) if v == version => {}
                (None, true) => {}
                (got, _) => bail!(
                    "{name}: the cursor s{seq} is ahead of the data: {id} (seq {row_seq}, v{version}, \
                     deleted {deleted}) is cached as {got:?}"
                ),
            }
        }
    }

    attempts_sound(store, pool).await?;

    let quarantined: Vec<(String,)> =
        query_as("SELECT item_id FROM quarantine").fetch_all(pool).await?;
    for (id,) in &quarantined {
        ensure!(id.starts_with("bad-"), "a good item {id} was quarantined");
    }

    let writes: BTreeMap<String, (String, serde_json::Value)> = store
        .writes(user)
        .await?
        .into_iter()
        .map(|w| (w.key, (w.kind, w.request.payload)))
        .collect();
    for row in outbox(pool).await? {
        if let Some(error) = &row.last_error {
            ensure!(!error.starts_with("refused"), "outbox {}: refused: {error}", row.key);
        }
        if row.delivered {
            let Some((kind, payload)) = writes.get(&row.key) else {
                bail!("outbox {} is marked delivered but the server never recorded it", row.key);
            };
            ensure!(
                *kind == row.kind && *payload == row.payload,
                "outbox {}: the server recorded another write under its key",
                row.key
            );
        }
    }
    Ok(())
}

/// The quiz attempts cached: each once, each made here (it has an outbox row) or recorded on
/// the server, and every attempt the server recorded up to the stored cursor is cached.
async fn attempts_sound(store: &Store, pool: &SqlitePool) -> anyhow::Result<()> {
    let cached = cached_attempts(pool).await?;
    let local: BTreeSet<String> = outbox(pool)
        .await?
        .into_iter()
        .filter(|r| r.kind == "quiz_attempt")
        .map(|r| r.key)
        .collect();
    let server = greenmile_server::learn::attempt_ids(store.pool()).await?;
    let on_server: BTreeSet<&str> = server.iter().map(|(id, _)| id.as_str()).collect();
    for id in &cached {
        ensure!(
            local.contains(id) || on_server.contains(id.as_str()),
            "quiz_attempts: {id} is cached but was made neither here nor on the server"
        );
    }

    let cursor: Option<(String,)> =
        query_as("SELECT cursor FROM sync_cursors WHERE collection = 'quiz_attempts'")
            .fetch_optional(pool)
            .await?;
    let Some((cursor,)) = cursor else { return Ok(()) };
    let seq: i64 = cursor.strip_prefix('s').and_then(|n| n.parse().ok()).with_context(|| {
        format!("quiz_attempts: the cursor {cursor:?} is not one the server gives")
    })?;
    for (id, row_seq) in &server {
        ensure!(
            *row_seq > seq || cached.contains(id),
            "quiz_attempts: the cursor s{seq} is ahead of the data: {id} (seq {row_seq}) is \
             not cached"
        );
    }
    Ok(())
}

/// The ids of the cached quiz attempts; an id cached twice is an error.
async fn cached_attempts(pool: &SqlitePool) -> anyhow::Result<BTreeSet<String>> {
    let rows: Vec<(String,)> = query_as("SELECT id FROM quiz_attempts").fetch_all(pool).await?;
    let count = rows.len();
    let ids: BTreeSet<String> = rows.into_iter().map(|(id,)| id).collect();
    ensure!(ids.len() == count, "quiz_attempts: an attempt is cached twice");
    Ok(ids)
}

/// After a sync that succeeded without faults: the cache equals the server's live rows, row for
/// row, and every local write is recorded on the server exactly once, applied in order.
pub async fn converged(store: &Store, user: UserId, cache: &Path) -> anyhow::Result<()> {
    let pool = open(cache).await?;
    let result = equal(store, user, &pool).await;
    pool.close().await;
    result
}

async fn equal(store: &Store, user: UserId, pool: &SqlitePool) -> anyhow::Result<()> {
    for (_, table, collection) in FEEDS {
        let server: BTreeMap<String, i64> = store
            .rows(user, collection)
            .await?
            .into_iter()
            .filter(|r| !r.deleted)
            .map(|r| (r.id, r.version))
            .collect();
        let cached = cached_rows(pool, table).await?;
        if cached != server {
            let extra: Vec<_> = cached.iter().filter(|(k, v)| server.get(*k) != Some(v)).collect();
            let missing: Vec<_> =
                server.iter().filter(|(k, v)| cached.get(*k) != Some(v)).collect();
            bail!(
                "{table}: the cache differs from the server: extra {extra:?}, missing {missing:?}"
            );
        }
    }

    let rows = outbox(pool).await?;
    let pending: Vec<&String> = rows.iter().filter(|r| !r.delivered).map(|r| &r.key).collect();
    ensure!(pending.is_empty(), "writes still pending after a good sync: {pending:?}");
    let local: BTreeSet<&str> = rows.iter().map(|r| r.key.as_str()).collect();
    let writes = store.writes(user).await?;
    let recorded: BTreeSet<&str> = writes.iter().map(|w| w.key.as_str()).collect();
    ensure!(local == recorded, "local writes {local:?} but the server recorded {recorded:?}");
    ensure!(writes.len() == recorded.len(), "a key was recorded twice on the server");

    let cached = cached_attempts(pool).await?;
    let server = greenmile_server::learn::attempt_ids(store.pool()).await?;
    let on_server: BTreeSet<String> = server.into_iter().map(|(id, _)| id).collect();
    ensure!(
        cached == on_server,
        "quiz attempts here {cached:?} but on the server {on_server:?}: an attempt was lost, \
         doubled or not received"
    );

    let local: Vec<(String, String)> =
        query_as("SELECT key, value FROM settings ORDER BY key").fetch_all(pool).await?;
    let on_server = store.settings(user).await?;
    ensure!(
        local == on_server,
        "settings here {local:?} but on the server {on_server:?}: a write was lost, doubled \
         or applied out of order"
    );
    Ok(())
}

async fn cached_rows(pool: &SqlitePool, table: &str) -> anyhow::Result<BTreeMap<String, i64>> {
    let sql = format!("SELECT id, version FROM {table}");
    let rows: Vec<(String, i64)> = query_as(&sql).fetch_all(pool).await?;
    let count = rows.len();
    let map: BTreeMap<String, i64> = rows.into_iter().collect();
    ensure!(map.len() == count, "{table}: an id is cached twice");
    Ok(map)
}

struct OutboxRow {
    key: String,
    kind: String,
    payload: serde_json::Value,
    last_error: Option<String>,
    delivered: bool,
}

async fn outbox(pool: &SqlitePool) -> anyhow::Result<Vec<OutboxRow>> {
    let rows: Vec<(String, String, String, Option<String>, bool)> = query_as(
        "SELECT idempotency_key, kind, payload, last_error, delivered_at IS NOT NULL
         FROM outbox ORDER BY id",
    )
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (key, kind, payload, last_error, delivered) in rows {
        let payload = serde_json::from_str(&payload)
            .with_context(|| format!("outbox {key}: the payload is not JSON"))?;
        out.push(OutboxRow { key, kind, payload, last_error, delivered });
    }
    Ok(out)
}
