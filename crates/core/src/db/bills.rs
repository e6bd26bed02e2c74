//! Queries of `bills`: applying feed pages and the bill list screen.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use greenmile_api::{Bill, BillStatus, Certification, GreenCategory, Money, Tombstone};
use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};
use ts_rs::TS;

use super::{instant_text, parse_instant};
use crate::dashboard::month_bounds;
use crate::error::{CoreError, Result};

/// Rows per INSERT statement: one statement per row costs a round trip each through sqlx;
/// 13 columns x 400 rows stays far below SQLite's limit of 32,766 bound values.
const ROWS_PER_STATEMENT: usize = 400;

/// The most bills one list request returns.
pub const MAX_LIST_LIMIT: u32 = 500;

/// Inserts or updates `bills`, skipping any whose stored version is as new or newer, so a
/// replayed page changes nothing. Returns how many rows changed.
pub async fn upsert(conn: &mut SqliteConnection, bills: &[Bill]) -> Result<u64> {
    let mut changed = 0;
    for chunk in bills.chunks(ROWS_PER_STATEMENT) {
        let instalments = chunk
            .iter()
            .map(|b| b.instalment.as_ref().map(serde_json::to_string).transpose())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| CoreError::BadResponse(format!("bill instalment: {e}")))?;
        let mut query: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO bills (id, occurred_at, merchant, item, category, amount_minor, currency, \
             certification, carbon_g, carbon_method, status, version, instalment_json) ",
        );
        query.push_values(chunk.iter().zip(instalments), |mut row, (bill, instalment)| {
            row.push_bind(&bill.id)
                .push_bind(instant_text(bill.occurred_at))
                .push_bind(&bill.merchant)
                .push_bind(&bill.item)
                .push_bind(bill.category.as_str())
                .push_bind(bill.amount.minor)
                .push_bind(&bill.amount.currency)
                .push_bind(bill.certification.as_str())
                .push_bind(bill.carbon.as_ref().map(|c| c.grams))
                .push_bind(bill.carbon.as_ref().map(|c| c.method.as_str()))
                .push_bind(bill.status.as_str())
                .push_bind(bill.version)
                .push_bind(instalment);
        });
        query.push(
            " ON CONFLICT (id) DO UPDATE SET occurred_at = excluded.occurred_at, \
             merchant = excluded.merchant, item = excluded.item, category = excluded.category, \
             amount_minor = excluded.amount_minor, currency = excluded.currency, \
             certification = excluded.certification, carbon_g = excluded.carbon_g, \
             carbon_method = excluded.carbon_method, status = excluded.status, \
             version = excluded.version, instalment_json = excluded.instalment_json \
             WHERE excluded.version > bills.version",
        );
        changed += query.build().execute(&mut *conn).await?.rows_affected();
    }
    Ok(changed)
}

/// Deletes the bills named by `tombstones`, unless the cache holds a newer version.
pub async fn delete(conn: &mut SqliteConnection, tombstones: &[Tombstone]) -> Result<u64> {
    super::delete_tombstones(conn, "bills", tombstones).await
}

/// How many bills the cache holds.
pub async fn count(pool: &SqlitePool) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM bills").fetch_one(pool).await?;
    Ok(n)
}

/// How many bills (not refunded) have a carbon figure no method can tell; they are left out of
/// carbon totals and shown beside them.
pub async fn carbon_unknown_count(pool: &SqlitePool) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM bills WHERE carbon_g IS NULL AND status <> 'refunded'",
    )
    .fetch_one(pool)
    .await?;
    Ok(n)
}

/// What the bill list asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BillQuery {
    /// How many bills to skip, newest first.
    pub offset: u32,
    /// How many to return (1 to [`MAX_LIST_LIMIT`]).
    pub limit: u32,
    /// Only this category.
    pub category: Option<GreenCategory>,
    /// Only this calendar month of the user's time zone, `YYYY-MM`.
    pub month: Option<String>,
}

/// One bill as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BillRow {
    /// The bill's id.
    pub id: String,
    /// When it was paid.
    #[ts(type = "string")]
    pub occurred_at: DateTime<Utc>,
    /// Who was paid.
    pub merchant: String,
    /// What was bought.
    pub item: String,
    /// Why it is green.
    pub category: GreenCategory,
    /// What was finally paid.
    pub amount: Money,
    /// How far the green claim was checked.
    pub certification: Certification,
    /// Grams of CO2e saved, or `None` when unknown.
    #[ts(type = "number | null")]
    pub carbon_g: Option<i64>,
    /// The method behind `carbon_g`.
    pub carbon_method: Option<String>,
    /// Where the bill stands.
    pub status: BillStatus,
}

/// A page of the bill list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BillList {
    /// How many bills match the filters in all.
    #[ts(type = "number")]
    pub total: i64,
    /// This page of them, newest first.
    pub items: Vec<BillRow>,
}

type BillTuple = (
    String,
    String,
    String,
    String,
    String,
    i64,
    String,
    String,
    Option<i64>,
    Option<String>,
    String,
);

/// A page of bills, newest first, filtered as `query` says; months are taken in `tz`.
pub async fn list(pool: &SqlitePool, query: &BillQuery, tz: Tz) -> Result<BillList> {
    if query.limit == 0 || query.limit > MAX_LIST_LIMIT {
        return Err(CoreError::InvalidInput(format!(
            "limit must be between 1 and {MAX_LIST_LIMIT}, not {}",
            query.limit
        )));
    }
    let range = match &query.month {
        Some(month) => Some(month_bounds(month, tz)?),
        None => None,
    };

    let mut count_query: QueryBuilder<Sqlite> = QueryBuilder::new("SELECT COUNT(*) FROM bills");
    let mut rows_query: QueryBuilder<Sqlite> = QueryBuilder::new(
        "SELECT id, occurred_at, merchant, item, category, amount_minor, currency, \
         certification, carbon_g, carbon_method, status FROM bills",
    );
    append_filter(&mut count_query, query, range);
    append_filter(&mut rows_query, query, range);
    rows_query
        .push(" ORDER BY occurred_at DESC, id DESC LIMIT ")
        .push_bind(i64::from(query.limit))
        .push(" OFFSET ")
        .push_bind(i64::from(query.offset));

    let (total,): (i64,) = count_query.build_query_as().fetch_one(pool).await?;
    let tuples: Vec<BillTuple> = rows_query.build_query_as().fetch_all(pool).await?;
    let items = tuples.into_iter().map(row_from_tuple).collect::<Result<Vec<_>>>()?;

    Ok(BillList { total, items })
}

fn append_filter(
    builder: &mut QueryBuilder<Sqlite>,
    query: &BillQuery,
    range: Option<(DateTime<Utc>, DateTime<Utc>)>,
) {
    builder.push(" WHERE 1 = 1");
    if let Some(category) = query.category {
        builder.push(" AND category = ").push_bind(category.as_str());
    }
    if let Some((start, end)) = range {
        builder.push(" AND occurred_at >= ").push_bind(instant_text(start));
        builder.push(" AND occurred_at < ").push_bind(instant_text(end));
    }
}

fn row_from_tuple(t: BillTuple) -> Result<BillRow> {
    let (id, at, merchant, item, category, minor, currency, cert, carbon_g, method, status) = t;
    let unknown = |what: &str, value: &str| {
        CoreError::BadResponse(format!("bill {id} has an unknown {what} {value:?} in the cache"))
    };
    Ok(BillRow {
        occurred_at: parse_instant(&at)?,
        category: GreenCategory::parse(&category).ok_or_else(|| unknown("category", &category))?,
        certification: Certification::parse(&cert)
            .ok_or_else(|| unknown("certification", &cert))?,
        status: BillStatus::parse(&status).ok_or_else(|| unknown("status", &status))?,
        amount: Money { minor, currency },
        merchant,
        item,
        carbon_g,
        carbon_method: method,
        id,
    })
}
