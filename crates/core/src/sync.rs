//! The sync engine: reads each feed of the Green API into the cache, page by page.
//!
//! For each collection it asks for the page after the stored cursor, checks every item against
//! the contract's rules, and applies the page (upserts, tombstones) together with the page's
//! cursor in one transaction. A sync cut off at any point resumes from the last committed page
//! with nothing lost or applied twice; replaying a page changes nothing because upserts only
//! take newer versions. Progress goes to a callback as [`SyncProgress`] values.

use chrono::{DateTime, SecondsFormat, Utc};
use greenmile_api::{
    Bill, BillPage, BillStatus, CarbonEntry, CarbonPage, CarbonTrace, Money, Offer, OfferPage,
    Tombstone,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::client::GreenApi;
use crate::db::{Cache, bills, cursors, ledger, offers, source};
use crate::error::{AppError, CoreError, Result};
use crate::instalment;

/// Changes asked for per request.
pub const PAGE_LIMIT: u32 = 1000;

/// The most pages one collection may take in one sync (ten million items at the page limit);
/// past it the server's cursor is taken to be going round in circles.
pub const MAX_PAGES: u32 = 10_000;

/// The collections, in the order they are synced.
pub const COLLECTIONS: [&str; 3] = ["bills", "offers", "carbon"];

/// Where a sync is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SyncPhase {
    /// The sync began.
    Started,
    /// A page was applied.
    Page,
    /// Every collection is up to date.
    Finished,
    /// The sync stopped on an error; what was applied before it stays.
    Failed,
}

/// A progress report, as the CLI and the UI receive it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncProgress {
    /// Where the sync is.
    pub phase: SyncPhase,
    /// The collection being synced, where there is one.
    pub collection: Option<String>,
    /// Changes applied from this collection so far.
    #[ts(type = "number")]
    pub applied: u64,
    /// Changes applied in this sync so far.
    #[ts(type = "number")]
    pub total_applied: u64,
    /// What went wrong, for `Failed`.
    pub error: Option<AppError>,
}

/// What one collection's sync did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CollectionReport {
    /// `bills`, `offers` or `carbon`.
    pub collection: String,
    /// Pages applied.
    pub pages: u32,
    /// Items inserted or changed (replays of known versions do not count).
    #[ts(type = "number")]
    pub upserted: u64,
    /// Items deleted by tombstones.
    #[ts(type = "number")]
    pub deleted: u64,
}

/// What a whole sync did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncReport {
    /// One report per collection.
    pub collections: Vec<CollectionReport>,
    /// When it finished.
    #[ts(type = "string")]
    pub finished_at: DateTime<Utc>,
}

impl SyncReport {
    /// Items changed in all collections.
    pub fn changes(&self) -> u64 {
        self.collections.iter().map(|c| c.upserted + c.deleted).sum()
    }
}

/// Syncs every collection from `api` into `cache`, reporting progress to `progress`; `clock`
/// gives the time stored with each cursor.
pub async fn sync_all(
    api: &GreenApi,
    cache: &Cache,
    clock: &(dyn Fn() -> DateTime<Utc> + Sync),
    progress: &(dyn Fn(&SyncProgress) + Sync),
) -> Result<SyncReport> {
    let span = tracing::info_span!("sync", http.base = %api.base_url());
    let _guard = span.enter();
    progress(&SyncProgress {
        phase: SyncPhase::Started,
        collection: None,
        applied: 0,
        total_applied: 0,
        error: None,
    });

    let server_id = match same_server(api, cache).await {
        Ok(id) => id,
        Err(error) => {
            progress(&SyncProgress {
                phase: SyncPhase::Failed,
                collection: None,
                applied: 0,
                total_applied: 0,
                error: Some(AppError::from(&error)),
            });
            return Err(error);
        }
    };

    let mut total = 0;
    let mut reports = Vec::with_capacity(COLLECTIONS.len());
    for collection in COLLECTIONS {
        let run = Run { api, cache, server_id: &server_id, clock, progress };
        match sync_collection(&run, collection, &mut total).await {
            Ok(report) => reports.push(report),
            Err(error) => {
                tracing::warn!(sync.collection = collection, error = %error, "sync failed");
                progress(&SyncProgress {
                    phase: SyncPhase::Failed,
                    collection: Some(collection.to_owned()),
                    applied: 0,
                    total_applied: total,
                    error: Some(AppError::from(&error)),
                });
                return Err(error);
            }
        }
    }

    let report = SyncReport { collections: reports, finished_at: clock() };
    tracing::info!(rows.applied = report.changes(), "sync finished");
    progress(&SyncProgress {
        phase: SyncPhase::Finished,
        collection: None,
        applied: 0,
        total_applied: total,
        error: None,
    });
    Ok(report)
}

/// What every collection's sync of one run shares.
struct Run<'a> {
    api: &'a GreenApi,
    cache: &'a Cache,
    server_id: &'a str,
    clock: &'a (dyn Fn() -> DateTime<Utc> + Sync),
    progress: &'a (dyn Fn(&SyncProgress) + Sync),
}

/// Asks the server who it is and refuses to go on when the cache holds another server's data:
/// cursors and items of one server mean nothing to another. Returns the server's id.
async fn same_server(api: &GreenApi, cache: &Cache) -> Result<String> {
    let health = api.health().await?;
    if health.server_id.is_empty() || health.server_id.len() > 128 {
        return Err(CoreError::BadResponse("the server gave no usable server_id".to_owned()));
    }
    if let Some((cached_id, cached_url)) = source::get(cache.pool()).await? {
        if cached_id != health.server_id {
            return Err(CoreError::OtherServer {
                cached: cached_url,
                asked: api.base_url().to_string(),
            });
        }
    }
    Ok(health.server_id)
}

async fn sync_collection(
    run: &Run<'_>,
    collection: &str,
    total: &mut u64,
) -> Result<CollectionReport> {
    let Run { api, cache, server_id, clock, progress } = *run;
    let mut report =
        CollectionReport { collection: collection.to_owned(), pages: 0, upserted: 0, deleted: 0 };
    let mut cursor = cursors::get(cache.pool(), collection).await?;
    let mut read_ahead: Option<Result<AnyPage>> = None;

    loop {
        let page = match read_ahead.take() {
            Some(page) => page?,
            None => fetch(api, collection, cursor.as_deref()).await?,
        };
        let next = page.next_cursor().to_owned();
        if next.is_empty() {
            return Err(CoreError::BadResponse(format!("{collection}: a page without a cursor")));
        }
        if report.pages >= MAX_PAGES {
            return Err(CoreError::BadResponse(format!(
                "{collection}: more than {MAX_PAGES} pages in one sync; the server's cursor \
                 does not seem to reach an end"
            )));
        }
        if page.has_more() && cursor.as_deref() == Some(next.as_str()) {
            // A server that says "more" without moving on would keep us here for ever.
            return Err(CoreError::BadResponse(format!(
                "{collection}: the server announced more changes but did not move its cursor"
            )));
        }
        page.validate()?;

        // The next page is read while this one is written: SQLite works on its own thread, so
        // the request and its JSON overlap the write. A failed write drops the read-ahead; a
        // failed read-ahead fails the next round, after this page is safely committed.
        let write = async {
            let mut tx = cache.begin_write().await?;
            let applied = page.apply(&mut tx).await?;
            cursors::set(&mut tx, collection, &next, clock()).await?;
            source::set(&mut tx, server_id, api.base_url().as_str()).await?;
            tx.commit().await?;
            Ok::<_, CoreError>(applied)
        };
        let ahead = async {
            if page.has_more() { Some(fetch(api, collection, Some(&next)).await) } else { None }
        };
        let (written, ahead) = tokio::join!(write, ahead);
        let (upserted, deleted) = written?;
        read_ahead = ahead;

        report.pages += 1;
        report.upserted += upserted;
        report.deleted += deleted;
        *total += upserted + deleted;
        tracing::debug!(
            sync.collection = collection,
            rows.applied = upserted + deleted,
            "page applied"
        );
        progress(&SyncProgress {
            phase: SyncPhase::Page,
            collection: Some(collection.to_owned()),
            applied: report.upserted + report.deleted,
            total_applied: *total,
            error: None,
        });

        let more = page.has_more();
        cursor = Some(next);
        if !more {
            return Ok(report);
        }
    }
}

/// A page of any of the three feeds.
enum AnyPage {
    Bills(BillPage),
    Offers(OfferPage),
    Carbon(CarbonPage),
}

async fn fetch(api: &GreenApi, collection: &str, cursor: Option<&str>) -> Result<AnyPage> {
    Ok(match collection {
        "bills" => AnyPage::Bills(api.page("bills", cursor, PAGE_LIMIT).await?),
        "offers" => AnyPage::Offers(api.page("offers", cursor, PAGE_LIMIT).await?),
        "carbon" => AnyPage::Carbon(api.page("carbon", cursor, PAGE_LIMIT).await?),
        other => return Err(CoreError::InvalidInput(format!("no collection {other:?}"))),
    })
}

impl AnyPage {
    fn next_cursor(&self) -> &str {
        match self {
            AnyPage::Bills(p) => &p.next_cursor,
            AnyPage::Offers(p) => &p.next_cursor,
            AnyPage::Carbon(p) => &p.next_cursor,
        }
    }

    fn has_more(&self) -> bool {
        match self {
            AnyPage::Bills(p) => p.has_more,
            AnyPage::Offers(p) => p.has_more,
            AnyPage::Carbon(p) => p.has_more,
        }
    }

    // TODO(quarantine): an invalid item fails the whole page; issue 7 quarantines it with its
    // reason and applies the rest.
    fn validate(&self) -> Result<()> {
        match self {
            AnyPage::Bills(p) => {
                p.upserts.iter().try_for_each(validate_bill)?;
                p.tombstones.iter().try_for_each(validate_tombstone)
            }
            AnyPage::Offers(p) => {
                p.upserts.iter().try_for_each(validate_offer)?;
                p.tombstones.iter().try_for_each(validate_tombstone)
            }
            AnyPage::Carbon(p) => {
                p.upserts.iter().try_for_each(validate_entry)?;
                p.tombstones.iter().try_for_each(validate_tombstone)
            }
        }
    }

    async fn apply(&self, conn: &mut sqlx::SqliteConnection) -> Result<(u64, u64)> {
        Ok(match self {
            AnyPage::Bills(p) => {
                (bills::upsert(conn, &p.upserts).await?, bills::delete(conn, &p.tombstones).await?)
            }
            AnyPage::Offers(p) => (
                offers::upsert(conn, &p.upserts).await?,
                offers::delete(conn, &p.tombstones).await?,
            ),
            AnyPage::Carbon(p) => (
                ledger::upsert(conn, &p.upserts).await?,
                ledger::delete(conn, &p.tombstones).await?,
            ),
        })
    }
}

/// The largest amount accepted: 10 billion in major units.
const MAX_MINOR: i64 = 1_000_000_000_000;

/// The largest carbon figure accepted for one item: 1,000 tonnes.
const MAX_GRAMS: i64 = 1_000_000_000;

/// The longest text field accepted, in characters.
const MAX_TEXT: usize = 500;

fn bad(kind: &str, id: &str, why: impl std::fmt::Display) -> CoreError {
    CoreError::BadResponse(format!("{kind} {id:?}: {why}"))
}

fn validate_id(kind: &str, id: &str) -> Result<()> {
    if id.is_empty() || id.len() > 128 || id.chars().any(char::is_control) {
        return Err(bad(kind, id, "the id is empty, too long or has control characters"));
    }
    Ok(())
}

fn validate_text(kind: &str, id: &str, field: &str, text: &str) -> Result<()> {
    if text.chars().count() > MAX_TEXT {
        return Err(bad(kind, id, format!("{field} is longer than {MAX_TEXT} characters")));
    }
    Ok(())
}

fn validate_money(kind: &str, id: &str, money: &Money) -> Result<()> {
    let code_ok =
        money.currency.len() == 3 && money.currency.bytes().all(|b| b.is_ascii_uppercase());
    if !code_ok {
        return Err(bad(kind, id, format!("{:?} is not an ISO 4217 code", money.currency)));
    }
    if !(0..=MAX_MINOR).contains(&money.minor) {
        return Err(bad(kind, id, format!("the amount {} is negative or absurd", money.minor)));
    }
    Ok(())
}

fn validate_instant(kind: &str, id: &str, at: DateTime<Utc>) -> Result<()> {
    use chrono::Datelike;
    if !(2000..=2100).contains(&at.year()) {
        let text = at.to_rfc3339_opts(SecondsFormat::Secs, true);
        return Err(bad(kind, id, format!("the date {text} is not plausible")));
    }
    Ok(())
}

fn validate_bill(b: &Bill) -> Result<()> {
    validate_id("bill", &b.id)?;
    validate_text("bill", &b.id, "merchant", &b.merchant)?;
    validate_text("bill", &b.id, "item", &b.item)?;
    validate_money("bill", &b.id, &b.amount)?;
    validate_instant("bill", &b.id, b.occurred_at)?;
    if let Some(held) = &b.instalment {
        validate_money("bill", &b.id, &held.principal)?;
        crate::instalment::validate(held.principal.minor, &held.plan)
            .map_err(|e| bad("bill", &b.id, format!("its instalment plan: {e}")))?;
    }
    if let Some(c) = &b.carbon {
        if c.grams.abs() > MAX_GRAMS || c.method.is_empty() {
            return Err(bad("bill", &b.id, "its carbon figure is absurd or has no method"));
        }
        if b.status == BillStatus::Refunded {
            // A refund in full means nothing was bought; a figure would count a saving twice
            // over nothing.
            return Err(bad("bill", &b.id, "it was refunded in full yet claims a carbon saving"));
        }
        if let Some(trace) = &c.trace {
            validate_trace("bill", &b.id, trace)?;
        }
    }
    Ok(())
}

/// The most factors one figure may name; the methods read three at most.
const MAX_FACTORS: usize = 32;

fn validate_trace(kind: &str, id: &str, trace: &CarbonTrace) -> Result<()> {
    validate_text(kind, id, "the carbon baseline", &trace.baseline)?;
    if trace.factors.len() > MAX_FACTORS {
        return Err(bad(kind, id, format!("its carbon figure names over {MAX_FACTORS} factors")));
    }
    for factor in &trace.factors {
        validate_text(kind, id, "a carbon factor id", &factor.id)?;
        validate_text(kind, id, "a carbon factor unit", &factor.unit)?;
        if !factor.value.is_finite() {
            return Err(bad(kind, id, format!("carbon factor {} is not a number", factor.id)));
        }
    }
    Ok(())
}

fn validate_offer(o: &Offer) -> Result<()> {
    validate_id("offer", &o.id)?;
    validate_text("offer", &o.id, "merchant", &o.merchant)?;
    validate_text("offer", &o.id, "product", &o.product)?;
    validate_money("offer", &o.id, &o.price)?;
    validate_instant("offer", &o.id, o.valid_from)?;
    validate_instant("offer", &o.id, o.valid_until)?;
    if o.plans.is_empty() {
        return Err(bad("offer", &o.id, "it has no plan"));
    }
    // A plan the instalment maths refuses would fail the offer list later; refuse it here,
    // before anything is cached.
    for plan in &o.plans {
        instalment::validate(o.price.minor, plan).map_err(|e| bad("offer", &o.id, e))?;
    }
    Ok(())
}

fn validate_entry(e: &CarbonEntry) -> Result<()> {
    validate_id("carbon entry", &e.id)?;
    validate_instant("carbon entry", &e.id, e.occurred_at)?;
    if e.grams.abs() > MAX_GRAMS || e.method.is_empty() {
        return Err(bad("carbon entry", &e.id, "the figure is absurd or has no method"));
    }
    Ok(())
}

fn validate_tombstone(t: &Tombstone) -> Result<()> {
    validate_id("tombstone", &t.id)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use greenmile_api::{Certification, GreenCategory, InstalmentPlan, PlanKind};

    use super::*;
    use crate::ErrorCode;

    fn offer(plans: Vec<InstalmentPlan>) -> Offer {
        let at = Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).unwrap();
        Offer {
            id: "o-1".to_owned(),
            merchant: "海尔".to_owned(),
            product: "冰箱".to_owned(),
            category: GreenCategory::EnergyEfficientAppliance,
            certification: Certification::FinanceCertified,
            price: Money::cny(499_900),
            plans,
            valid_from: at,
            valid_until: at,
            version: 1,
        }
    }

    #[test]
    fn a_refunded_bill_with_a_carbon_saving_is_refused() {
        let at = Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).unwrap();
        let trip = crate::carbon::Activity::SharedBike { km: 2.5 };
        let mut bill = Bill {
            id: "b-1".to_owned(),
            occurred_at: at,
            merchant: "美团单车".to_owned(),
            item: "骑行 2.5 km".to_owned(),
            category: GreenCategory::SharedBike,
            amount: Money::cny(150),
            certification: Certification::PlatformReviewed,
            carbon: Some(crate::carbon::estimate(&trip).unwrap().figure()),
            status: BillStatus::Posted,
            instalment: None,
            version: 1,
        };
        assert!(validate_bill(&bill).is_ok(), "a kept ride with its figure passes");

        bill.status = BillStatus::Refunded;
        let error = validate_bill(&bill).expect_err("a refund in full saves nothing");
        assert_eq!(error.code(), ErrorCode::BadResponse);

        bill.carbon = None;
        assert!(validate_bill(&bill).is_ok(), "a refunded bill without a figure passes");
    }

    #[test]
    fn offers_whose_plans_the_maths_refuses_are_refused_before_caching() {
        let plan = |months, kind| InstalmentPlan { months, kind };
        let fine = plan(12, PlanKind::EqualPrincipal { annual_rate_bp: 480 });
        assert!(validate_offer(&offer(vec![fine.clone()])).is_ok(), "a sane plan passes");

        for bad in [
            vec![],
            vec![fine.clone(), plan(0, PlanKind::InterestFree { subsidy: None })],
            vec![plan(12, PlanKind::FeePerPeriod { fee_bp: 5_000 })],
            vec![plan(12, PlanKind::AnnualRate { annual_rate_bp: 100_000 })],
        ] {
            let error = validate_offer(&offer(bad.clone())).expect_err("refused");
            assert_eq!(error.code(), ErrorCode::BadResponse, "{bad:?} is not the contract");
        }
    }
}
