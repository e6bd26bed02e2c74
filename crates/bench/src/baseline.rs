//! The limits a sync is held against, measured on the same rows and the same schema.
//!
//! Both start from a cache file the core itself created (its migrations, so its indexes, the
//! search index and its triggers), and both write with the cache's settings (WAL,
//! synchronous=NORMAL) in one transaction:
//! - raw rusqlite: one cached prepared INSERT per row, the rows encoded as the core encodes
//!   them (instants as fixed-width UTC text, plans and traces as JSON) inside the timing;
//! - SQLite's INSERT … SELECT from that file into another: what SQLite alone needs to build
//!   the same tables, with no statement per row at all.

use std::path::Path;
use std::time::{Duration, Instant};

use greenmile_core::Cache;
use greenmile_core::db::instant_text;
use greenmile_server::demo::DemoData;

/// The two baselines' times.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Raw rusqlite, prepared statements, one transaction.
    pub rusqlite: Duration,
    /// INSERT … SELECT of the same tables.
    pub copy: Duration,
}

/// Measures both baselines with files in `dir`.
pub async fn measure(dir: &Path, data: &DemoData) -> anyhow::Result<Limits> {
    let raw = dir.join("baseline-rusqlite.sqlite");
    let copy = dir.join("baseline-copy.sqlite");
    for path in [&raw, &copy] {
        let cache = Cache::open(path).await?;
        cache.close().await;
    }

    let rusqlite = insert_rows(&raw, data)?;
    let copy = insert_select(&copy, &raw)?;
    Ok(Limits { rusqlite, copy })
}

fn open(path: &Path) -> rusqlite::Result<rusqlite::Connection> {
    let conn = rusqlite::Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(conn)
}

fn insert_rows(path: &Path, data: &DemoData) -> anyhow::Result<Duration> {
    let mut conn = open(path)?;
    let started = Instant::now();
    let tx = conn.transaction()?;
    {
        let mut bill = tx.prepare_cached(
            "INSERT INTO bills (id, occurred_at, merchant, item, category, amount_minor, \
             currency, certification, carbon_g, carbon_method, status, version, \
             instalment_json, carbon_trace_json, local_carbon_g, local_carbon_method) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, NULL, NULL)",
        )?;
        for b in &data.bills {
            let trace = b.carbon.as_ref().and_then(|c| c.trace.as_ref());
            let instalment = b.instalment.as_ref().map(serde_json::to_string).transpose()?;
            bill.execute(rusqlite::params![
                b.id,
                instant_text(b.occurred_at),
                b.merchant,
                b.item,
                b.category.as_str(),
                b.amount.minor,
                b.amount.currency,
                b.certification.as_str(),
                b.carbon.as_ref().map(|c| c.grams),
                b.carbon.as_ref().map(|c| c.method.as_str()),
                b.status.as_str(),
                b.version,
                instalment,
                trace.map(serde_json::to_string).transpose()?,
            ])?;
        }

        let mut offer = tx.prepare_cached(
            "INSERT INTO offers (id, merchant, product, category, certification, price_minor, \
             currency, plans_json, valid_from, valid_until, version) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        for o in &data.offers {
            offer.execute(rusqlite::params![
                o.id,
                o.merchant,
                o.product,
                o.category.as_str(),
                o.certification.as_str(),
                o.price.minor,
                o.price.currency,
                serde_json::to_string(&o.plans)?,
                instant_text(o.valid_from),
                instant_text(o.valid_until),
                o.version,
            ])?;
        }

        let mut entry = tx.prepare_cached(
            "INSERT INTO carbon_entries (id, bill_id, grams, method, occurred_at, version) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for e in &data.carbon {
            entry.execute(rusqlite::params![
                e.id,
                e.bill_id,
                e.grams,
                e.method,
                instant_text(e.occurred_at),
                e.version,
            ])?;
        }
    }
    tx.commit()?;
    Ok(started.elapsed())
}

fn insert_select(path: &Path, source: &Path) -> anyhow::Result<Duration> {
    let conn = open(path)?;
    let source = source.to_str().ok_or_else(|| anyhow::anyhow!("a temp path is not UTF-8"))?;
    conn.execute("ATTACH DATABASE ?1 AS src", [source])?;

    let started = Instant::now();
    conn.execute_batch(
        "BEGIN;
         INSERT INTO main.bills SELECT * FROM src.bills;
         INSERT INTO main.offers SELECT * FROM src.offers;
         INSERT INTO main.carbon_entries SELECT * FROM src.carbon_entries;
         COMMIT;",
    )?;
    Ok(started.elapsed())
}
