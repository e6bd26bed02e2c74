//! Queries of `bills`: applying feed pages, keeping carbon figures traceable, and the bill list
//! screen.
//!
//! A bill's carbon figure is cached as the API sent it (grams, method, trace). When this app's
//! version of the figure's method is newer than the API's, the figure it gives for the same
//! inputs is stored beside the API's ([`carbon::newer_figure`]): on upsert, and again by
//! [`recompute_outdated`] when the app itself was upgraded.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use greenmile_api::{
    Bill, BillStatus, CarbonFigure, Certification, GreenCategory, Money, Tombstone,
};
use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};
use ts_rs::TS;

use super::{instant_text, parse_instant};
use crate::carbon::explain::BillCarbon;
use crate::carbon::{self, MethodId};
use crate::dashboard::month_bounds;
use crate::error::{CoreError, Result};

/// Rows per INSERT statement: one statement per row costs a round trip each through sqlx;
/// 17 columns x 400 rows stays far below SQLite's limit of 32,766 bound values.
const ROWS_PER_STATEMENT: usize = 400;

/// Ids per lookup of [`changing`], far below SQLite's limit of 32,766 bound values.
const LOOKUPS_PER_STATEMENT: usize = 1000;

/// The most bills one list request returns.
pub const MAX_LIST_LIMIT: u32 = 500;

/// The longest search text accepted, in characters.
pub const MAX_SEARCH_CHARS: usize = 200;

/// Inserts or updates `bills`, skipping any whose stored version is as new or newer, so a
/// replayed page changes nothing. A bill held at the same version takes the carbon trace it
/// lacked (bills cached before traces existed). Returns how many rows changed.
pub async fn upsert(conn: &mut SqliteConnection, bills: &[Bill]) -> Result<u64> {
    let bills = changing(conn, bills).await?;
    let mut changed = 0;
    for chunk in bills.chunks(ROWS_PER_STATEMENT) {
        let encoded = chunk.iter().map(|bill| encode(bill)).collect::<Result<Vec<_>>>()?;
        let mut query: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO bills (id, occurred_at, merchant, item, category, amount_minor, currency, \
             certification, carbon_g, carbon_method, status, version, instalment_json, \
             carbon_trace_json, local_carbon_g, local_carbon_method, green_rule) ",
        );
        query.push_values(chunk.iter().zip(encoded), |mut row, (bill, json)| {
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
                .push_bind(json.instalment)
                .push_bind(json.trace)
                .push_bind(json.local.as_ref().map(|e| e.grams))
                .push_bind(json.local.as_ref().map(|e| e.method.to_string()))
                .push_bind(&bill.green_rule);
        });
        query.push(
            " ON CONFLICT (id) DO UPDATE SET occurred_at = excluded.occurred_at, \
             merchant = excluded.merchant, item = excluded.item, category = excluded.category, \
             amount_minor = excluded.amount_minor, currency = excluded.currency, \
             certification = excluded.certification, carbon_g = excluded.carbon_g, \
             carbon_method = excluded.carbon_method, status = excluded.status, \
             version = excluded.version, instalment_json = excluded.instalment_json, \
             carbon_trace_json = excluded.carbon_trace_json, \
             local_carbon_g = excluded.local_carbon_g, \
             local_carbon_method = excluded.local_carbon_method, \
             green_rule = excluded.green_rule \
             WHERE excluded.version > bills.version \
                OR (excluded.version = bills.version AND bills.carbon_trace_json IS NULL \
                    AND excluded.carbon_trace_json IS NOT NULL)",
        );
        changed += query.build().execute(&mut *conn).await?.rows_affected();
    }
    Ok(changed)
}

/// The bills of `bills` that the upsert would change: those the cache lacks, holds at an older
/// version, or holds at the same version without the carbon trace the new one has. A replayed
/// page is then one indexed read instead of encoding every bill and binding its 17 columns;
/// the upsert's own version guard still decides, this only spares it the work.
async fn changing<'b>(conn: &mut SqliteConnection, bills: &'b [Bill]) -> Result<Vec<&'b Bill>> {
    let mut cached: HashMap<String, (i64, bool)> = HashMap::with_capacity(bills.len());
    for chunk in bills.chunks(LOOKUPS_PER_STATEMENT) {
        let mut query: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT id, version, carbon_trace_json IS NOT NULL FROM bills WHERE id IN (",
        );
        let mut ids = query.separated(", ");
        for bill in chunk {
            ids.push_bind(&bill.id);
        }
        query.push(")");
        let rows: Vec<(String, i64, bool)> = query.build_query_as().fetch_all(&mut *conn).await?;
        cached.extend(rows.into_iter().map(|(id, version, traced)| (id, (version, traced))));
    }

    Ok(bills
        .iter()
        .filter(|bill| match cached.get(&bill.id) {
            None => true,
            Some(&(version, traced)) => {
                let brings_trace = bill.carbon.as_ref().is_some_and(|c| c.trace.is_some());
                bill.version > version || (bill.version == version && !traced && brings_trace)
            }
        })
        .collect())
}

/// What a bill stores as JSON, and this app's newer figure for it.
struct Encoded {
    instalment: Option<String>,
    trace: Option<String>,
    local: Option<carbon::Estimate>,
}

fn encode(bill: &Bill) -> Result<Encoded> {
    let bad = |what: &str, e: serde_json::Error| {
        CoreError::BadResponse(format!("bill {:?} {what}: {e}", bill.id))
    };
    let instalment = bill.instalment.as_ref().map(serde_json::to_string).transpose();
    let trace = bill.carbon.as_ref().and_then(|c| c.trace.as_ref()).map(serde_json::to_string);
    Ok(Encoded {
        instalment: instalment.map_err(|e| bad("instalment", e))?,
        trace: trace.transpose().map_err(|e| bad("carbon trace", e))?,
        local: bill
            .carbon
            .as_ref()
            .and_then(|c| carbon::newer_figure(c, bill.status, &bill.amount)),
    })
}

/// Recomputes, from their stored traces, the bills whose API figure came from an older version
/// of a method than this app has, and clears local figures that no longer apply. Run when the
/// cache opens, so an upgraded app recomputes what its newer methods cover without waiting
/// for the server. Returns how many bills changed.
pub async fn recompute_outdated(pool: &SqlitePool) -> Result<u64> {
    let current: Vec<String> = MethodId::ALL.iter().map(ToString::to_string).collect();
    let mut select: QueryBuilder<Sqlite> = QueryBuilder::new(
        "SELECT id, carbon_g, carbon_method, carbon_trace_json, status, amount_minor, currency, \
         local_carbon_g, local_carbon_method FROM bills \
         WHERE carbon_method IS NOT NULL AND (local_carbon_method IS NOT NULL \
            OR (carbon_trace_json IS NOT NULL AND carbon_method NOT IN (",
    );
    let mut names = select.separated(", ");
    for id in &current {
        names.push_bind(id);
    }
    select.push(")))");
    let rows: Vec<StoredFigure> = select.build_query_as().fetch_all(pool).await?;
    if rows.is_empty() {
        return Ok(0);
    }

    let mut changed = 0;
    let mut tx = pool.begin().await?;
    for row in rows {
        let local = row.newer_figure()?.map(|e| (e.grams, e.method.to_string()));
        if local == row.local_carbon_g.zip(row.local_carbon_method.clone()) {
            continue;
        }
        sqlx::query("UPDATE bills SET local_carbon_g = ?, local_carbon_method = ? WHERE id = ?")
            .bind(local.as_ref().map(|l| l.0))
            .bind(local.as_ref().map(|l| l.1.as_str()))
            .bind(&row.id)
            .execute(&mut *tx)
            .await?;
        changed += 1;
    }
    tx.commit().await?;

    if changed > 0 {
        tracing::info!(rows.recomputed = changed, "carbon figures recomputed with newer methods");
    }
    Ok(changed)
}

/// A cached bill's carbon columns, as [`recompute_outdated`] reads them.
#[derive(sqlx::FromRow)]
struct StoredFigure {
    id: String,
    carbon_g: i64,
    carbon_method: String,
    carbon_trace_json: Option<String>,
    status: String,
    amount_minor: i64,
    currency: String,
    local_carbon_g: Option<i64>,
    local_carbon_method: Option<String>,
}

impl StoredFigure {
    fn newer_figure(&self) -> Result<Option<carbon::Estimate>> {
        let trace = self.carbon_trace_json.as_deref().map(serde_json::from_str).transpose();
        let figure = CarbonFigure {
            grams: self.carbon_g,
            method: self.carbon_method.clone(),
            trace: trace.map_err(|e| stored(&self.id, "carbon trace", e))?,
        };
        let status = BillStatus::parse(&self.status)
            .ok_or_else(|| stored(&self.id, "status", &self.status))?;
        let paid = Money { minor: self.amount_minor, currency: self.currency.clone() };
        Ok(carbon::newer_figure(&figure, status, &paid))
    }
}

/// A cached value that does not read back: the cache was written by something else.
fn stored(id: &str, what: &str, why: impl std::fmt::Display) -> CoreError {
    CoreError::BadResponse(format!("bill {id} has a bad {what} in the cache: {why}"))
}

/// Deletes the bills named by `tombstones`, unless the cache holds a newer version.
pub async fn delete(conn: &mut SqliteConnection, tombstones: &[Tombstone]) -> Result<u64> {
    super::delete_tombstones(conn, "bills", tombstones).await
}

/// How many synced bills the cache holds.
pub async fn count(pool: &SqlitePool) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM bills").fetch_one(pool).await?;
    Ok(n)
}

/// How many green bills the screens count: the synced ones and the green ones imported from
/// files (the `green_bills` view).
pub async fn count_all(pool: &SqlitePool) -> Result<i64> {
    // Counted per table: through the view SQLite would read every synced bill's wide row.
    let (n,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM bills) \
              + (SELECT COUNT(*) FROM green_bills WHERE source = 'file')",
    )
    .fetch_one(pool)
    .await?;
    Ok(n)
}

/// How many green bills (not refunded), synced or imported, have a carbon figure no method can
/// tell; they are left out of carbon totals and shown beside them.
pub async fn carbon_unknown_count(pool: &SqlitePool) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM green_bills WHERE carbon_g IS NULL AND status <> 'refunded'",
    )
    .fetch_one(pool)
    .await?;
    Ok(n)
}

/// What the cache holds about synced bill `id`'s carbon, or `None` when it holds no such bill
/// (an imported bill's is [`super::imported::carbon_of`]).
pub async fn carbon_of(pool: &SqlitePool, id: &str) -> Result<Option<BillCarbon>> {
    let row: Option<CarbonTuple> = sqlx::query_as(
        "SELECT id, occurred_at, merchant, item, category, status, amount_minor, currency, \
         carbon_g, carbon_method, carbon_trace_json FROM bills WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let Some((id, at, merchant, item, category, status, minor, currency, grams, method, trace)) =
        row
    else {
        return Ok(None);
    };

    let figure = match (grams, method) {
        (Some(grams), Some(method)) => {
            let trace = trace.as_deref().map(serde_json::from_str).transpose();
            Some(CarbonFigure {
                grams,
                method,
                trace: trace.map_err(|e| stored(&id, "carbon trace", e))?,
            })
        }
        _ => None,
    };
    Ok(Some(BillCarbon {
        occurred_at: parse_instant(&at)?,
        category: GreenCategory::parse(&category)
            .ok_or_else(|| stored(&id, "category", &category))?,
        status: BillStatus::parse(&status).ok_or_else(|| stored(&id, "status", &status))?,
        amount: Money { minor, currency },
        merchant,
        item,
        figure,
        source: BillSource::Api,
        file_format: None,
        id,
    }))
}

type CarbonTuple = (
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
);

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
    /// Only bills whose merchant or item contains every whitespace-separated term of this
    /// text, ignoring ASCII case (see [`SearchTerms`]).
    #[serde(default)]
    #[ts(optional)]
    pub search: Option<String>,
    /// Only bills synced from the API, or only bills imported from files.
    #[serde(default)]
    pub source: Option<BillSource>,
}

/// How a bill reached the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BillSource {
    /// Synced from the Green API; the server decides what becomes of it.
    Api,
    /// Read from a payment export the user imported; a sync never changes it.
    File,
}

impl BillSource {
    /// The name the `green_bills` view gives it.
    pub fn as_str(self) -> &'static str {
        match self {
            BillSource::Api => "api",
            BillSource::File => "file",
        }
    }

    /// The source with this name, if there is one.
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Api, Self::File].into_iter().find(|s| s.as_str() == name)
    }
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
    /// The recognition rule that found it green, for bills read from payment exports.
    pub green_rule: Option<String>,
    /// Grams of CO2e saved, or `None` when unknown.
    #[ts(type = "number | null")]
    pub carbon_g: Option<i64>,
    /// The method behind `carbon_g`.
    pub carbon_method: Option<String>,
    /// This app's figure for the same inputs, where its version of the method is newer than
    /// the API's; `carbon_g` stays the figure shown, this one can be shown beside it.
    #[ts(type = "number | null")]
    pub local_carbon_g: Option<i64>,
    /// The method behind `local_carbon_g`.
    pub local_carbon_method: Option<String>,
    /// Where the bill stands.
    pub status: BillStatus,
    /// Synced from the Green API or imported from a file.
    pub source: BillSource,
    /// For an imported bill, the export layout it was read from, such as `alipay_csv`.
    pub file_format: Option<String>,
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
    Option<i64>,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
);

/// A page of green bills, synced and imported, newest first, filtered as `query` says; months are taken in `tz`.
// TODO(bench): a deep OFFSET walks the time index row by row and COUNT(*) counts every match
// on each call, so a page far down 100k bills misses the 5 ms target (bench/RESULTS.md); a
// keyset cursor (occurred_at, id) and a total kept from the first page would fix both.
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
    let terms = SearchTerms::parse(query.search.as_deref().unwrap_or(""))?;

    let mut count_query: QueryBuilder<Sqlite> =
        QueryBuilder::new("SELECT COUNT(*) FROM green_bills");
    let mut rows_query: QueryBuilder<Sqlite> = QueryBuilder::new(
        "SELECT id, occurred_at, merchant, item, category, amount_minor, currency, \
         certification, carbon_g, carbon_method, local_carbon_g, local_carbon_method, status, \
         source, file_format, green_rule FROM green_bills",
    );
    append_filter(&mut count_query, query, range, &terms);
    append_filter(&mut rows_query, query, range, &terms);
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
    terms: &SearchTerms,
) {
    builder.push(" WHERE 1 = 1");
    if let Some(category) = query.category {
        builder.push(" AND category = ").push_bind(category.as_str());
    }
    if let Some(source) = query.source {
        builder.push(" AND source = ").push_bind(source.as_str());
    }
    if let Some((start, end)) = range {
        builder.push(" AND occurred_at >= ").push_bind(instant_text(start));
        builder.push(" AND occurred_at < ").push_bind(instant_text(end));
    }
    if let Some(expression) = terms.match_expression() {
        // The index covers synced bills; imported ones (far fewer, and kept apart from what a
        // sync writes) are scanned with the same terms.
        builder
            .push(
                " AND ((source = 'api' AND id IN (SELECT k.bill_id FROM bill_search s \
                 JOIN bill_search_keys k ON k.key = s.rowid WHERE bill_search MATCH ",
            )
            .push_bind(expression)
            .push(")) OR (source = 'file'");
        for pattern in &terms.indexed_patterns {
            builder.push(" AND (merchant LIKE ").push_bind(pattern.clone());
            builder.push(" ESCAPE '\\' OR item LIKE ").push_bind(pattern.clone());
            builder.push(" ESCAPE '\\')");
        }
        builder.push("))");
    }
    for pattern in &terms.scanned {
        builder.push(" AND (merchant LIKE ").push_bind(pattern.clone());
        builder.push(" ESCAPE '\\' OR item LIKE ").push_bind(pattern.clone());
        builder.push(" ESCAPE '\\')");
    }
}

/// A search split into what the trigram index can answer and what it cannot.
///
/// The index (migration 0009) holds every three-character run of a bill's merchant and item,
/// so a term of three characters or more is found through it anywhere inside the text. A
/// shorter term (地铁, "EV") has no trigram to look up; it is matched with LIKE over the
/// bills the other filters leave, which is a scan, but of short rows. Every term must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchTerms {
    /// Terms for the index, each quoted as an FTS5 string.
    pub indexed: Vec<String>,
    /// LIKE patterns (`%term%`, with `%`, `_` and `\` escaped by `\`) for the short terms.
    pub scanned: Vec<String>,
    /// The indexed terms as LIKE patterns too, for imported bills, which the index leaves out.
    pub indexed_patterns: Vec<String>,
}

impl SearchTerms {
    /// Splits `text` on whitespace; an empty text gives no terms and matches every bill.
    pub fn parse(text: &str) -> Result<Self> {
        if text.chars().count() > MAX_SEARCH_CHARS {
            return Err(CoreError::InvalidInput(format!(
                "the search text is longer than {MAX_SEARCH_CHARS} characters"
            )));
        }
        let mut terms = Self::default();
        for term in text.split_whitespace() {
            let mut pattern = String::from("%");
            for c in term.chars() {
                if matches!(c, '%' | '_' | '\\') {
                    pattern.push('\\');
                }
                pattern.push(c);
            }
            pattern.push('%');
            if term.chars().count() >= 3 {
                // Inside an FTS5 string only the double quote is special; doubling it keeps
                // operators such as OR, NEAR or * as plain text.
                terms.indexed.push(format!("\"{}\"", term.replace('"', "\"\"")));
                terms.indexed_patterns.push(pattern);
            } else {
                terms.scanned.push(pattern);
            }
        }
        Ok(terms)
    }

    /// The FTS5 query that asks for every indexed term, if there is one.
    pub fn match_expression(&self) -> Option<String> {
        (!self.indexed.is_empty()).then(|| self.indexed.join(" AND "))
    }
}

fn row_from_tuple(t: BillTuple) -> Result<BillRow> {
    let (
        id,
        at,
        merchant,
        item,
        category,
        minor,
        currency,
        cert,
        carbon_g,
        method,
        local_g,
        local,
        status,
        source,
        file_format,
        green_rule,
    ) = t;
    let unknown = |what: &str, value: &str| {
        CoreError::BadResponse(format!("bill {id} has an unknown {what} {value:?} in the cache"))
    };
    Ok(BillRow {
        occurred_at: parse_instant(&at)?,
        category: GreenCategory::parse(&category).ok_or_else(|| unknown("category", &category))?,
        certification: Certification::parse(&cert)
            .ok_or_else(|| unknown("certification", &cert))?,
        status: BillStatus::parse(&status).ok_or_else(|| unknown("status", &status))?,
        source: BillSource::parse(&source).ok_or_else(|| unknown("source", &source))?,
        file_format,
        green_rule,
        amount: Money { minor, currency },
        merchant,
        item,
        carbon_g,
        carbon_method: method,
        local_carbon_g: local_g,
        local_carbon_method: local,
        id,
    })
}
