//! Queries of `offers`: applying feed pages and the offer list screen.

use chrono::{DateTime, NaiveDate, Utc};
use greenmile_api::{Certification, GreenCategory, InstalmentPlan, Money, Offer, Tombstone};
use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};
use ts_rs::TS;

use super::{instant_text, parse_instant};
use crate::error::{CoreError, Result};
use crate::instalment::{self, ComparisonRow, PlanDetail, PlanRow, plan_detail, plan_row};

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
pub async fn count<'e>(db: impl sqlx::Executor<'e, Database = sqlx::Sqlite>) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM offers").fetch_one(db).await?;
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

const SELECT_OFFER: &str = "SELECT id, merchant, product, category, certification, \
     price_minor, currency, plans_json, valid_from, valid_until FROM offers";

/// Every cached offer: those still valid at `now` first, ending soonest first; then the
/// expired ones, most recent first.
pub async fn list(pool: &SqlitePool, now: DateTime<Utc>) -> Result<Vec<OfferRow>> {
    let sql = format!(
        "{SELECT_OFFER} ORDER BY valid_until < ?1, \
         CASE WHEN valid_until < ?1 THEN '' ELSE valid_until END, valid_until DESC, id"
    );
    let tuples: Vec<OfferTuple> =
        sqlx::query_as(&sql).bind(instant_text(now)).fetch_all(pool).await?;

    tuples.into_iter().map(|t| row_from_tuple(t).map(|(row, _)| row)).collect()
}

/// An offer with every plan's full schedule, the first instalment due on `first_due`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OfferDetail {
    /// The offer as the list shows it.
    pub offer: OfferRow,
    /// Each plan with its schedule, in the offer's order.
    pub plans: Vec<PlanDetail>,
}

/// The offer `id` with its schedules, or `None` when the cache has no such offer.
pub async fn detail(
    pool: &SqlitePool,
    id: &str,
    first_due: NaiveDate,
) -> Result<Option<OfferDetail>> {
    let sql = format!("{SELECT_OFFER} WHERE id = ?");
    let Some(tuple) = sqlx::query_as::<_, OfferTuple>(&sql).bind(id).fetch_optional(pool).await?
    else {
        return Ok(None);
    };

    let (offer, plans) = row_from_tuple(tuple)?;
    let plans = plans
        .iter()
        .map(|p| plan_detail(&offer.price, p, first_due))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(OfferDetail { offer, plans }))
}

/// Ranks the chosen plans (2 to 4 `(offer id, plan index)` pairs) by total cost, then by
/// annualised rate, each labelled with its product and term.
pub async fn compare(pool: &SqlitePool, picks: &[(String, usize)]) -> Result<Vec<ComparisonRow>> {
    let mut options = Vec::with_capacity(picks.len());
    for (id, index) in picks {
        let sql = format!("{SELECT_OFFER} WHERE id = ?");
        let tuple: Option<OfferTuple> = sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?;
        let Some(tuple) = tuple else {
            return Err(CoreError::InvalidInput(format!("no offer {id:?} in the cache")));
        };
        let (offer, plans) = row_from_tuple(tuple)?;
        let plan = plans.get(*index).cloned().ok_or_else(|| {
            CoreError::InvalidInput(format!("offer {id:?} has no plan number {}", index + 1))
        })?;
        let label = format!("{} · {} months", offer.product, plan.months);
        options.push((label, offer.price.clone(), plan));
    }
    Ok(instalment::compare(&options)?)
}

fn row_from_tuple(t: OfferTuple) -> Result<(OfferRow, Vec<InstalmentPlan>)> {
    let (id, merchant, product, category, cert, minor, currency, plans, from, until) = t;
    let bad =
        |what: &str| CoreError::BadResponse(format!("offer {id} has a bad {what} in the cache"));
    let plans: Vec<InstalmentPlan> = serde_json::from_str(&plans).map_err(|_| bad("plan list"))?;
    let price = Money { minor, currency };
    let row = OfferRow {
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
    };
    Ok((row, plans))
}
