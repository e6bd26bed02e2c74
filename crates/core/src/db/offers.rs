//! Queries of `offers`: applying feed pages and the offer list screen.

use chrono::{DateTime, Utc};
use greenmile_api::{Certification, GreenCategory, InstalmentPlan, Money, Offer, Tombstone};
use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};
use ts_rs::TS;

use super::{instant_text, parse_instant};
use crate::error::{CoreError, Result};
use crate::instalment::{PlanRow, plan_row};

/// Rows per INSERT statement (11 columns).
const ROWS_PER_STATEMENT: usize = 300;

/// Inserts or updates offers, skipping any whose stored version is as new or newer.
pub async fn upsert(conn: &mut SqliteConnection, offers: &[Offer]) -> Result<u64> {
    let mut changed = 0;
    for chunk in offers.chunks(ROWS_PER_STATEMENT) {
        let plans = chunk
            .iter()
            .map(|o| serde_json::to_string(&o.plans))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| CoreError::BadResponse(format!("offer plans: {e}")))?;
        let mut query: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO offers (id, merchant, product, category, certification, price_minor, \
             currency, plans_json, valid_from, valid_until, version) ",
        );
        query.push_values(chunk.iter().zip(plans), |mut row, (o, plans)| {
            row.push_bind(&o.id)
                .push_bind(&o.merchant)
                .push_bind(&o.product)
                .push_bind(o.category.as_str())
                .push_bind(o.certification.as_str())
                .push_bind(o.price.minor)
                .push_bind(&o.price.currency)
                .push_bind(plans)
                .push_bind(instant_text(o.valid_from))
                .push_bind(instant_text(o.valid_until))
                .push_bind(o.version);
        });
        query.push(
            " ON CONFLICT (id) DO UPDATE SET merchant = excluded.merchant, \
             product = excluded.product, category = excluded.category, \
             certification = excluded.certification, price_minor = excluded.price_minor, \
             currency = excluded.currency, plans_json = excluded.plans_json, \
             valid_from = excluded.valid_from, valid_until = excluded.valid_until, \
             version = excluded.version WHERE excluded.version > offers.version",
        );
        changed += query.build().execute(&mut *conn).await?.rows_affected();
    }
    Ok(changed)
}

/// Deletes the offers named by `tombstones`, unless the cache holds a newer version.
pub async fn delete(conn: &mut SqliteConnection, tombstones: &[Tombstone]) -> Result<u64> {
    super::delete_tombstones(conn, "offers", tombstones).await
}

/// How many offers the cache holds.
pub async fn count(pool: &SqlitePool) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM offers").fetch_one(pool).await?;
    Ok(n)
}

/// One offer as the offer list shows it, each plan with its payments and rates worked out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OfferRow {
    /// The offer's id.
    pub id: String,
    /// Who sells it.
    pub merchant: String,
    /// What is offered.
    pub product: String,
    /// Why it is green.
    pub category: GreenCategory,
    /// How far the green claim was checked.
    pub certification: Certification,
    /// The cash price.
    pub price: Money,
    /// Valid from.
    #[ts(type = "string")]
    pub valid_from: DateTime<Utc>,
    /// Valid until.
    #[ts(type = "string")]
    pub valid_until: DateTime<Utc>,
    /// The plans, with monthly payment, total cost and annualised rate.
    pub plans: Vec<PlanRow>,
}

type OfferTuple = (String, String, String, String, String, i64, String, String, String, String);

/// Every cached offer, those ending soonest first.
pub async fn list(pool: &SqlitePool) -> Result<Vec<OfferRow>> {
    let tuples: Vec<OfferTuple> = sqlx::query_as(
        "SELECT id, merchant, product, category, certification, price_minor, currency, \
         plans_json, valid_from, valid_until FROM offers ORDER BY valid_until, id",
    )
    .fetch_all(pool)
    .await?;

    tuples.into_iter().map(row_from_tuple).collect()
}

fn row_from_tuple(t: OfferTuple) -> Result<OfferRow> {
    let (id, merchant, product, category, cert, minor, currency, plans, from, until) = t;
    let bad =
        |what: &str| CoreError::BadResponse(format!("offer {id} has a bad {what} in the cache"));
    let plans: Vec<InstalmentPlan> = serde_json::from_str(&plans).map_err(|_| bad("plan list"))?;
    let price = Money { minor, currency };
    Ok(OfferRow {
        category: GreenCategory::parse(&category).ok_or_else(|| bad("category"))?,
        certification: Certification::parse(&cert).ok_or_else(|| bad("certification"))?,
        plans: plans
            .iter()
            .map(|p| plan_row(&price, p))
            .collect::<Result<_, _>>()
            .map_err(|e| bad(&format!("plan ({e})")))?,
        valid_from: parse_instant(&from)?,
        valid_until: parse_instant(&until)?,
        price,
        merchant,
        product,
        id,
    })
}
