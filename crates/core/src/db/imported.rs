//! Queries of `imported_bills`: bills read from payment exports, kept apart from synced bills.
//!
//! An import looks up which of a file's rows are stored already ([`stored_ids`]; those change
//! nothing), writes the new ones many to a statement with their refunds, status and carbon as
//! the rows state them ([`insert_new`]), links refund rows to their purchases
//! ([`orphan_refunds`], [`purchases_for`], [`set_refund_of`]) and settles again the purchases
//! that gained refunds ([`refunds_of`], [`settle`]); a later export of a stored row can only add refunds
//! ([`raise_refund_in_cell`]). The CLI and screens read [`count`] and [`list`]; the green ones
//! also reach the bill list, the dashboard and the carbon totals through the `green_bills` view
//! (migration 0006), and [`carbon_of`] explains one's carbon figure.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use greenmile_api::{BillStatus, CarbonFigure, Certification, GreenCategory, Money};
use serde::Serialize;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};

use super::bills::BillSource;
use super::{instant_text, parse_instant};
use crate::carbon::explain::BillCarbon;
use crate::error::{CoreError, Result};
use crate::import::green::{self, CarbonInput};

/// A row an import writes.
#[derive(Debug, Clone, PartialEq)]
pub struct NewImportedBill {
    /// `imp-` and the row's content hash.
    pub id: String,
    /// The platform: `alipay`, `wechat`, `jd` or `meituan`.
    pub source: &'static str,
    /// The file layout, such as `alipay_csv`.
    pub format: &'static str,
    /// The platform's order number, `''` when absent.
    pub order_id: String,
    /// `expense`, `income` or `refund`.
    pub kind: &'static str,
    /// When the money moved.
    pub occurred_at: DateTime<Utc>,
    /// Who was paid.
    pub merchant: String,
    /// What was bought.
    pub item: String,
    /// The platform's category or transaction type.
    pub platform_category: String,
    /// How it was paid.
    pub payment_method: String,
    /// The platform's status text.
    pub platform_status: String,
    /// Paid by a relative (亲友代付, 亲情卡, 亲属卡).
    pub paid_by_relative: bool,
    /// The amount before refunds.
    pub gross: Money,
    /// Refunded according to the row itself.
    pub refunded_in_cell: i64,
    /// How refunds find this purchase, or their purchase.
    pub link_key: String,
    /// Green category, when exactly one rule category matched.
    pub category: Option<GreenCategory>,
    /// The claim the rule allows.
    pub certification: Option<Certification>,
    /// The matching rule ids.
    pub rule_id: Option<String>,
    /// The carbon method's inputs (JSON), at full size.
    pub carbon_input_json: Option<String>,
    /// The line or row of the file it was read from.
    pub file_line: i64,
}

/// Rows per INSERT statement: 27 columns x 500 rows stays below SQLite's limit of 32,766
/// bound values, and one statement per row would cost a sqlx round trip each.
const ROWS_PER_STATEMENT: usize = 500;

/// Ids per `IN (...)` list when looking up which rows are stored.
const IDS_PER_QUERY: usize = 900;

/// A purchase's refunds, status and carbon as an import works them out before storing it.
#[derive(Debug, Clone, PartialEq)]
pub struct Settled {
    /// Refunded so far.
    pub refunded: i64,
    /// Where it stands.
    pub status: BillStatus,
    /// Its carbon figure at the amount kept, `None` when unknown or refunded in full.
    pub carbon: Option<CarbonFigure>,
}

/// Which of `ids` the cache already holds.
pub async fn stored_ids(conn: &mut SqliteConnection, ids: &[&str]) -> Result<HashSet<String>> {
    let mut found = HashSet::new();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let mut query: QueryBuilder<Sqlite> =
            QueryBuilder::new("SELECT id FROM imported_bills WHERE id IN (");
        let mut list = query.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        query.push(")");
        let rows: Vec<(String,)> = query.build_query_as().fetch_all(&mut *conn).await?;
        found.extend(rows.into_iter().map(|(id,)| id));
    }
    Ok(found)
}

/// Stores new rows, many per statement; each with its refunds, status and carbon as settled
/// from what the row itself says. The caller has checked with [`stored_ids`] that none is
/// stored yet (a stored id fails the statement, and with it the import's transaction).
pub async fn insert_new(
    conn: &mut SqliteConnection,
    rows: &[(&NewImportedBill, Settled)],
    imported_at: DateTime<Utc>,
) -> Result<()> {
    let imported_at = instant_text(imported_at);
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut query: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO imported_bills (id, source, format, order_id, kind, occurred_at, \
             merchant, item, platform_category, payment_method, platform_status, \
             paid_by_relative, currency, gross_minor, refunded_in_cell_minor, refunded_minor, \
             amount_minor, status, link_key, category, certification, rule_id, \
             carbon_input_json, carbon_g, carbon_method, file_line, imported_at) ",
        );
        query.push_values(chunk, |mut row, (bill, settled)| {
            let refunded = settled.refunded.clamp(0, bill.gross.minor);
            row.push_bind(&bill.id)
                .push_bind(bill.source)
                .push_bind(bill.format)
                .push_bind(&bill.order_id)
                .push_bind(bill.kind)
                .push_bind(instant_text(bill.occurred_at))
                .push_bind(&bill.merchant)
                .push_bind(&bill.item)
                .push_bind(&bill.platform_category)
                .push_bind(&bill.payment_method)
                .push_bind(&bill.platform_status)
                .push_bind(bill.paid_by_relative)
                .push_bind(&bill.gross.currency)
                .push_bind(bill.gross.minor)
                .push_bind(bill.refunded_in_cell)
                .push_bind(refunded)
                .push_bind(bill.gross.minor - refunded)
                .push_bind(settled.status.as_str())
                .push_bind(&bill.link_key)
                .push_bind(bill.category.map(GreenCategory::as_str))
                .push_bind(bill.certification.map(Certification::as_str))
                .push_bind(&bill.rule_id)
                .push_bind(&bill.carbon_input_json)
                .push_bind(settled.carbon.as_ref().map(|c| c.grams))
                .push_bind(settled.carbon.as_ref().map(|c| c.method.clone()))
                .push_bind(bill.file_line)
                .push_bind(imported_at.clone());
        });
        query.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Raises the refund an already stored row records in its own cell, when a later export of
/// the same row reports more (JD's `131.77` becoming `131.77(已退款89.84)`, WeChat's 支付成功
/// becoming 已全额退款). Never lowers it: an older export knows less, not better. Returns
/// whether the row changed.
pub async fn raise_refund_in_cell(
    conn: &mut SqliteConnection,
    id: &str,
    refunded_in_cell: i64,
) -> Result<bool> {
    let changed = sqlx::query(
        "UPDATE imported_bills SET refunded_in_cell_minor = MIN(?, gross_minor) \
         WHERE id = ? AND kind = 'expense' AND refunded_in_cell_minor < MIN(?, gross_minor)",
    )
    .bind(refunded_in_cell)
    .bind(id)
    .bind(refunded_in_cell)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(changed == 1)
}

/// The status of a purchase of `gross` of which `refunded` came back.
pub fn status_of(gross: i64, refunded: i64) -> BillStatus {
    if refunded <= 0 {
        BillStatus::Posted
    } else if refunded >= gross {
        BillStatus::Refunded
    } else {
        BillStatus::PartiallyRefunded
    }
}

/// A refund row not yet linked to a purchase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrphanRefund {
    /// Its id.
    pub id: String,
    /// When it happened, as stored.
    pub occurred_at: String,
    /// How much came back.
    pub amount: i64,
}

/// Refund rows of `source` that no purchase has claimed, oldest first, each with the link key
/// its purchase would have.
pub async fn orphan_refunds(
    conn: &mut SqliteConnection,
    source: &str,
) -> Result<Vec<(String, OrphanRefund)>> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT link_key, id, occurred_at, gross_minor FROM imported_bills WHERE source = ? \
         AND kind = 'refund' AND refund_of IS NULL ORDER BY occurred_at, id",
    )
    .bind(source)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(key, id, occurred_at, amount)| (key, OrphanRefund { id, occurred_at, amount }))
        .collect())
}

/// Expenses of `source` with `link_key` at or before `until`, newest first, with what is
/// left of each to refund: `(id, gross - refunded)`.
pub async fn purchases_for(
    conn: &mut SqliteConnection,
    source: &str,
    link_key: &str,
    until: &str,
) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT id, gross_minor - refunded_minor FROM imported_bills WHERE source = ? \
         AND link_key = ? AND kind = 'expense' AND occurred_at <= ? ORDER BY occurred_at DESC, id",
    )
    .bind(source)
    .bind(link_key)
    .bind(until)
    .fetch_all(conn)
    .await?)
}

/// Links a refund row to its purchase.
pub async fn set_refund_of(
    conn: &mut SqliteConnection,
    refund: &str,
    purchase: &str,
) -> Result<()> {
    sqlx::query("UPDATE imported_bills SET refund_of = ? WHERE id = ? AND kind = 'refund'")
        .bind(purchase)
        .bind(refund)
        .execute(conn)
        .await?;
    Ok(())
}

/// What settling a purchase starts from.
#[derive(Debug, Clone, PartialEq)]
pub struct PurchaseRefunds {
    /// The amount before refunds.
    pub gross: Money,
    /// Refunded according to the row itself.
    pub refunded_in_cell: i64,
    /// The sum of the refund rows linked to it.
    pub linked: i64,
    /// The carbon method's inputs, if any (JSON).
    pub carbon_input_json: Option<String>,
}

/// A purchase's refunds, from its own cell and from linked refund rows.
pub async fn refunds_of(conn: &mut SqliteConnection, id: &str) -> Result<PurchaseRefunds> {
    let (minor, currency, in_cell, linked, input): (i64, String, i64, i64, Option<String>) =
        sqlx::query_as(
            "SELECT p.gross_minor, p.currency, p.refunded_in_cell_minor, \
             COALESCE((SELECT SUM(r.gross_minor) FROM imported_bills r WHERE r.refund_of = p.id), 0), \
             p.carbon_input_json FROM imported_bills p WHERE p.id = ?",
        )
        .bind(id)
        .fetch_one(conn)
        .await?;
    Ok(PurchaseRefunds {
        gross: Money::new(minor, &currency),
        refunded_in_cell: in_cell,
        linked,
        carbon_input_json: input,
    })
}

/// Writes a purchase's refunds, the amount kept, its status and its carbon figure.
pub async fn settle(
    conn: &mut SqliteConnection,
    id: &str,
    refunded: i64,
    gross: i64,
    carbon: Option<&CarbonFigure>,
) -> Result<()> {
    let refunded = refunded.clamp(0, gross);
    sqlx::query(
        "UPDATE imported_bills SET refunded_minor = ?, amount_minor = ?, status = ?, \
         carbon_g = ?, carbon_method = ? WHERE id = ?",
    )
    .bind(refunded)
    .bind(gross - refunded)
    .bind(status_of(gross, refunded).as_str())
    .bind(carbon.map(|c| c.grams))
    .bind(carbon.map(|c| c.method.as_str()))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// A stored row as an import report and the list read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedBill {
    /// Its id.
    pub id: String,
    /// The platform.
    pub source: String,
    /// The file layout it was first read from.
    pub format: String,
    /// `expense`, `income` or `refund`.
    pub kind: String,
    /// When the money moved.
    pub occurred_at: DateTime<Utc>,
    /// Who was paid.
    pub merchant: String,
    /// What was bought.
    pub item: String,
    /// The amount before refunds.
    pub gross: Money,
    /// Expenses: the amount kept; income and refunds: the amount.
    pub amount: Money,
    /// Where it stands.
    pub status: BillStatus,
    /// Paid by a relative.
    pub paid_by_relative: bool,
    /// The expense a refund was linked to.
    pub refund_of: Option<String>,
    /// Green category: the row's own, or for a refund its purchase's.
    pub category: Option<GreenCategory>,
    /// The claim behind the category.
    pub certification: Option<Certification>,
    /// The rule(s) that recognised it.
    pub rule_id: Option<String>,
    /// Grams of CO2e saved at the amount kept, `None` when unknown.
    pub carbon_g: Option<i64>,
    /// The method behind `carbon_g`.
    pub carbon_method: Option<String>,
}

const SELECT: &str = "SELECT b.id, b.source, b.format, b.kind, b.occurred_at, b.merchant, b.item, \
     b.gross_minor, b.amount_minor, b.currency, b.status, b.paid_by_relative, b.refund_of, \
     COALESCE(b.category, p.category), COALESCE(b.certification, p.certification), \
     COALESCE(b.rule_id, p.rule_id), b.carbon_g, b.carbon_method \
     FROM imported_bills b LEFT JOIN imported_bills p ON p.id = b.refund_of";

fn from_row(row: &sqlx::sqlite::SqliteRow) -> Result<ImportedBill> {
    use sqlx::Row as _;
    let unknown = |what: &str, value: &str| {
        CoreError::BadResponse(format!(
            "imported bill has an unknown {what} {value:?} in the cache"
        ))
    };
    let currency: String = row.try_get(9)?;
    let status: String = row.try_get(10)?;
    let category: Option<String> = row.try_get(13)?;
    let certification: Option<String> = row.try_get(14)?;
    Ok(ImportedBill {
        id: row.try_get(0)?,
        source: row.try_get(1)?,
        format: row.try_get(2)?,
        kind: row.try_get(3)?,
        occurred_at: parse_instant(&row.try_get::<String, _>(4)?)?,
        merchant: row.try_get(5)?,
        item: row.try_get(6)?,
        gross: Money::new(row.try_get(7)?, &currency),
        amount: Money::new(row.try_get(8)?, &currency),
        status: BillStatus::parse(&status).ok_or_else(|| unknown("status", &status))?,
        paid_by_relative: row.try_get(11)?,
        refund_of: row.try_get(12)?,
        category: match category {
            Some(c) => Some(GreenCategory::parse(&c).ok_or_else(|| unknown("category", &c))?),
            None => None,
        },
        certification: match certification {
            Some(c) => Some(Certification::parse(&c).ok_or_else(|| unknown("certification", &c))?),
            None => None,
        },
        rule_id: row.try_get(15)?,
        carbon_g: row.try_get(16)?,
        carbon_method: row.try_get(17)?,
    })
}

/// One stored row by id.
pub async fn get(conn: &mut SqliteConnection, id: &str) -> Result<Option<ImportedBill>> {
    let sql = format!("{SELECT} WHERE b.id = ?");
    let row = sqlx::query(&sql).bind(id).fetch_optional(conn).await?;
    row.as_ref().map(from_row).transpose()
}

/// How many imported rows the cache holds.
pub async fn count(pool: &SqlitePool) -> Result<i64> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM imported_bills").fetch_one(pool).await?;
    Ok(n)
}

/// A page of imported rows, newest first.
pub async fn list(pool: &SqlitePool, limit: u32, offset: u32) -> Result<Vec<ImportedBill>> {
    let sql = format!("{SELECT} ORDER BY b.occurred_at DESC, b.id DESC LIMIT ? OFFSET ?");
    let rows =
        sqlx::query(&sql).bind(i64::from(limit)).bind(i64::from(offset)).fetch_all(pool).await?;
    rows.iter().map(from_row).collect()
}

/// What the cache holds about imported bill `id`'s carbon, as [`crate::carbon::explain`] reads
/// it: `None` when no row has that id. The figure's trace is worked out again from the inputs
/// the row stated (they are stored, the trace is not); its grams and method are the stored
/// ones, so a figure from an older method version shows beside this build's. A row that is not
/// a green bill (income, a refund, no rule or two categories matched, unverified) is refused:
/// it saves nothing and no screen counts it.
pub async fn carbon_of(pool: &SqlitePool, id: &str) -> Result<Option<BillCarbon>> {
    let row: Option<ImportedCarbonRow> = sqlx::query_as(
        "SELECT occurred_at, merchant, item, kind, category, certification, status, gross_minor, \
         amount_minor, currency, carbon_g, carbon_method, carbon_input_json, format \
         FROM imported_bills WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let Some(r) = row else { return Ok(None) };

    let stored = |what: &str, value: &str| {
        CoreError::BadResponse(format!("imported bill {id} has an unknown {what} {value:?}"))
    };
    let green = r.kind == "expense"
        && r.certification.as_deref().is_some_and(|c| c != Certification::Unverified.as_str());
    let category = match (&r.category, green) {
        (Some(c), true) => GreenCategory::parse(c).ok_or_else(|| stored("category", c))?,
        _ => {
            return Err(CoreError::InvalidInput(format!(
                "bill {id} was imported from a file but is not a green bill (no single green \
                 rule recognised it), so it has no carbon saving"
            )));
        }
    };
    let status = BillStatus::parse(&r.status).ok_or_else(|| stored("status", &r.status))?;
    let gross = Money::new(r.gross_minor, &r.currency);
    let kept = Money::new(r.amount_minor, &r.currency);

    let input: Option<CarbonInput> =
        r.carbon_input_json.as_deref().and_then(|json| serde_json::from_str(json).ok());
    let trace = input
        .and_then(|input| green::carbon_at(&input, &gross, &kept, status))
        .and_then(|figure| figure.trace);
    let figure = match (r.carbon_g, r.carbon_method) {
        (Some(grams), Some(method)) => Some(CarbonFigure { grams, method, trace }),
        _ => None,
    };

    Ok(Some(BillCarbon {
        id: id.to_owned(),
        occurred_at: parse_instant(&r.occurred_at)?,
        merchant: r.merchant,
        item: r.item,
        category,
        status,
        amount: kept,
        figure,
        source: BillSource::File,
        file_format: Some(r.format),
    }))
}

#[derive(sqlx::FromRow)]
struct ImportedCarbonRow {
    occurred_at: String,
    merchant: String,
    item: String,
    kind: String,
    category: Option<String>,
    certification: Option<String>,
    status: String,
    gross_minor: i64,
    amount_minor: i64,
    currency: String,
    carbon_g: Option<i64>,
    carbon_method: Option<String>,
    carbon_input_json: Option<String>,
    format: String,
}
