//! The sync engine: delivers the outbox, then reads each feed of the Green API into the cache,
//! page by page.
//!
//! A sync first sends the local writes waiting in the outbox ([`crate::outbox`]), in order, so
//! the feeds it then reads already reflect them. For each collection it asks for the page after
//! the stored cursor, sending the feed's stored entity tag, so a feed with no changes costs one
//! request answered `304`. Every item is checked against the contract's rules; an item that
//! fails is quarantined with its reason ([`crate::db::quarantine`]) and the rest of the page
//! applies. The page (upserts, tombstones, quarantined items) and its cursor commit in one
//! transaction: a sync cut off at any point, by a crash or by dropping its future, resumes from
//! the last committed page with nothing lost or applied twice, and replaying a page changes
//! nothing because upserts only take newer versions. While a page is written, the next one is
//! already being fetched and parsed. An answer that is not the contract fails
//! the sync before anything of it is written. Every answer names the server's store; data from
//! another store than the cache's is refused. Progress goes to a callback as [`SyncProgress`].
//!
//! The fourth feed, `quiz_attempts`, brings the quiz attempts recorded on the server, from this
//! device and the learner's others, into the cache's attempts. An attempt is kept once by its
//! id (which is also the idempotency key it was delivered with), so an attempt made here and
//! echoed back stays one row, and nothing the feed sends removes or changes an attempt: local
//! progress never rolls back. After the feeds the education catalogue is refreshed with its
//! ETag ([`crate::learn::refresh_catalog`]); a catalogue that cannot be fetched never fails the
//! sync, since the one held (or the bundled one) still serves.

use std::collections::HashMap;
use std::time::Instant;

use chrono::{DateTime, SecondsFormat, Utc};
use greenmile_api::{
    Bill, BillStatus, CarbonEntry, CarbonTrace, Money, Offer, RecordedAttempt, Tombstone,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::client::{FeedAnswer, GreenApi};
use crate::db::quarantine::{self, Quarantined};
use crate::db::{Cache, bills, cursors, instant_text, ledger, offers, quiz_attempts, source};
use crate::error::{AppError, CoreError, Result};
use crate::instalment;
use crate::outbox::{self, OutboxReport};

/// Changes asked for per request.
pub const PAGE_LIMIT: u32 = 1000;

/// The most pages one collection may take in one sync (ten million items at the page limit);
/// past it the server's cursor is taken to be going round in circles.
pub const MAX_PAGES: u32 = 10_000;

/// Rows a sync must change for it to checkpoint the WAL when it ends.
const CHECKPOINT_AFTER_ROWS: u64 = 10_000;

/// The collections, in the order they are synced.
pub const COLLECTIONS: [&str; 4] = ["bills", "offers", "carbon", "quiz_attempts"];

/// The route of a collection's feed below `v1/`.
fn route(collection: &str) -> &str {
    match collection {
        "quiz_attempts" => "learn/attempts",
        other => other,
    }
}

/// How a sync reads the feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncOptions {
    /// Changes asked for per request (1 to [`PAGE_LIMIT`]).
    pub page_limit: u32,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self { page_limit: PAGE_LIMIT }
    }
}

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
    /// Items applied: `upserted + deleted`.
    #[ts(type = "number")]
    pub applied: u64,
    /// Items refused by validation and kept in quarantine.
    #[ts(type = "number")]
    pub quarantined: u64,
    /// HTTP requests made for this collection, retries included.
    #[ts(type = "number")]
    pub requests: u64,
    /// Whether the server answered `304 Not Modified`: nothing changed.
    pub not_modified: bool,
    /// How long the collection took, in milliseconds.
    #[ts(type = "number")]
    pub duration_ms: u64,
}

/// What became of the education catalogue in a sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CatalogSync {
    /// The server's catalogue is the one held.
    Unchanged,
    /// A newer catalogue arrived and is stored; lessons show it from now on.
    Updated,
    /// It could not be fetched or failed its checks; the one held still serves.
    Failed,
}

/// What a whole sync did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncReport {
    /// The local writes delivered before reading.
    pub outbox: OutboxReport,
    /// One report per collection.
    pub collections: Vec<CollectionReport>,
    /// What became of the education catalogue, refreshed after the feeds.
    pub catalog: CatalogSync,
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
    sync_with(api, cache, SyncOptions::default(), clock, progress).await
}

/// [`sync_all`] with `options`.
pub async fn sync_with(
    api: &GreenApi,
    cache: &Cache,
    options: SyncOptions,
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
    let fail = |collection: Option<&str>, total, error: CoreError| {
        tracing::warn!(sync.collection = collection, error = %error, "sync failed");
        progress(&SyncProgress {
            phase: SyncPhase::Failed,
            collection: collection.map(str::to_owned),
            applied: 0,
            total_applied: total,
            error: Some(AppError::from(&error)),
        });
        error
    };

    let mut identity = match source::get(cache.pool()).await {
        Ok(cached) => Identity { cached },
        Err(error) => return Err(fail(None, 0, error)),
    };
    let limit = options.page_limit.clamp(1, PAGE_LIMIT);

    let known = identity.cached.as_ref().map(|(id, _)| id.clone());
    let delivered = match outbox::deliver(api, cache, known.as_deref(), clock).await {
        Ok(report) => report,
        Err(error) => return Err(fail(None, 0, error)),
    };

    let mut total = 0;
    let mut reports = Vec::with_capacity(COLLECTIONS.len());
    for collection in COLLECTIONS {
        let mut run = Run { api, cache, identity: &mut identity, limit, clock, progress };
        match sync_collection(&mut run, collection, &mut total).await {
            Ok(report) => reports.push(report),
            Err(error) => return Err(fail(Some(collection), total, error)),
        }
    }

    if total >= CHECKPOINT_AFTER_ROWS {
        // The writer's automatic checkpoints are far apart (see `crate::db`); a sync that wrote
        // this much copies its WAL into the database once, now. Failing that loses nothing:
        // the WAL is as durable, and the next checkpoint does it.
        if let Err(error) = cache.checkpoint().await {
            tracing::warn!(error = %error, "checkpoint after the sync failed");
        }
    }

    // A newer catalogue is welcome but never worth failing a sync for.
    let catalog = match crate::learn::refresh_catalog(cache, api, clock()).await {
        Ok(crate::learn::remote::CatalogRefresh::Unchanged) => CatalogSync::Unchanged,
        Ok(crate::learn::remote::CatalogRefresh::Updated) => CatalogSync::Updated,
        Err(error) => {
            tracing::warn!(error = %error, "the learn catalogue was not refreshed");
            CatalogSync::Failed
        }
    };

    let report =
        SyncReport { outbox: delivered, collections: reports, catalog, finished_at: clock() };
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

/// Whose data the cache holds: the store id and address of its first sync, if any.
struct Identity {
    cached: Option<(String, String)>,
}

impl Identity {
    /// Refuses an answer from another store than the cache's (cursors and items of one store
    /// mean nothing to another); the first answer of a new cache names the store.
    fn check(&mut self, api: &GreenApi, answered: &str) -> Result<()> {
        match &self.cached {
            Some((id, _)) if id == answered => Ok(()),
            Some((_, url)) => Err(CoreError::OtherServer {
                cached: url.clone(),
                asked: api.base_url().to_string(),
            }),
            None => {
                self.cached = Some((answered.to_owned(), api.base_url().to_string()));
                Ok(())
            }
        }
    }

    fn id(&self) -> &str {
        self.cached.as_ref().map(|(id, _)| id.as_str()).unwrap_or_default()
    }
}

/// What every collection's sync of one run shares.
struct Run<'a> {
    api: &'a GreenApi,
    cache: &'a Cache,
    identity: &'a mut Identity,
    limit: u32,
    clock: &'a (dyn Fn() -> DateTime<Utc> + Sync),
    progress: &'a (dyn Fn(&SyncProgress) + Sync),
}

async fn sync_collection(
    run: &mut Run<'_>,
    collection: &str,
    total: &mut u64,
) -> Result<CollectionReport> {
    let started = Instant::now();
    let requests_before = run.api.requests();
    let mut report = CollectionReport {
        collection: collection.to_owned(),
        pages: 0,
        upserted: 0,
        deleted: 0,
        applied: 0,
        quarantined: 0,
        requests: 0,
        not_modified: false,
        duration_ms: 0,
    };
    let finish = |mut report: CollectionReport| {
        report.requests = run.api.requests() - requests_before;
        report.duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        report.applied = report.upserted + report.deleted;
        report
    };
    let (mut cursor, mut etag) = cursors::state(run.cache.pool(), collection).await?;

    let mut read_ahead: Option<Result<(FeedAnswer<RawPage>, Option<Checked>)>> = None;

    loop {
        let (answer, prechecked) = match read_ahead.take() {
            Some(answer) => answer?,
            None => {
                let answer = run
                    .api
                    .page::<RawPage>(
                        route(collection),
                        cursor.as_deref(),
                        run.limit,
                        etag.as_deref(),
                    )
                    .await?;
                (answer, None)
            }
        };
        run.identity.check(run.api, &answer.store_id)?;
        let Some(page) = answer.page else {
            if etag.is_none() {
                return Err(CoreError::BadResponse(format!(
                    "{collection}: 304 Not Modified to a request that named no ETag"
                )));
            }
            report.not_modified = true;
            return Ok(finish(report));
        };
        // Only the first request of a run may be answered from the stored tag.
        etag = None;

        let next = page.next_cursor.clone();
        if next.is_empty() {
            return Err(CoreError::BadResponse(format!("{collection}: a page without a cursor")));
        }
        if report.pages >= MAX_PAGES {
            return Err(CoreError::BadResponse(format!(
                "{collection}: more than {MAX_PAGES} pages in one sync; the server's cursor \
                 does not seem to reach an end"
            )));
        }
        if page.has_more && cursor.as_deref() == Some(next.as_str()) {
            // A server that says "more" without moving on would keep us here for ever.
            return Err(CoreError::BadResponse(format!(
                "{collection}: the server announced more changes but did not move its cursor"
            )));
        }
        let checked = match prechecked {
            Some(checked) => checked,
            None => Checked::from_page(collection, page.upserts, page.tombstones),
        };

        // The next page is read and its items checked while this one is written: SQLite works
        // on its own thread, so the request, its JSON and the checks overlap the transaction.
        // A failed write drops the read-ahead; a failed read-ahead fails the next round, after
        // this page committed.
        //
        // The transaction runs in a task of its own: a sync dropped (cancelled) while it is open,
        // or while BEGIN is on its way, would otherwise leave the one writer connection inside a
        // transaction, and every later write would fail. A dropped sync still finishes the page
        // it was writing, page and cursor together.
        let api = run.api;
        let now = (run.clock)();
        let (cache, store_id, base) =
            (run.cache.clone(), run.identity.id().to_owned(), api.base_url().to_string());
        let (name, cursor_to) = (collection.to_owned(), next.clone());
        let tag = if page.has_more { None } else { answer.etag.clone() };
        let write = tokio::spawn(async move {
            let mut tx = cache.begin_write().await?;
            let (upserted, deleted) = checked.apply(&mut tx).await?;
            quarantine::clear(&mut tx, &name, &checked.ids()).await?;
            quarantine::put(&mut tx, &checked.quarantined, now).await?;
            cursors::set(&mut tx, &name, &cursor_to, now).await?;
            cursors::set_etag(&mut tx, &name, tag.as_deref()).await?;
            source::set(&mut tx, &store_id, &base).await?;
            tx.commit().await?;
            Ok::<_, CoreError>((upserted, deleted, checked))
        });
        let limit = run.limit;
        let ahead = async {
            if !page.has_more {
                return None;
            }
            // Checking items does not depend on the cache, so it overlaps the write too.
            let fetched = api.page::<RawPage>(route(collection), Some(&next), limit, None).await;
            Some(fetched.map(|mut answer| {
                let checked = answer.page.as_mut().map(|page| {
                    let upserts = std::mem::take(&mut page.upserts);
                    Checked::from_page(collection, upserts, std::mem::take(&mut page.tombstones))
                });
                (answer, checked)
            }))
        };
        let (written, ahead) = tokio::join!(write, ahead);
        let (upserted, deleted, checked) = written.map_err(|e| {
            CoreError::io("the page's write stopped", std::io::Error::other(e.to_string()))
        })??;
        read_ahead = ahead;

        report.pages += 1;
        report.upserted += upserted;
        report.deleted += deleted;
        report.quarantined += checked.quarantined.len() as u64;
        *total += upserted + deleted;
        tracing::debug!(
            sync.collection = collection,
            rows.applied = upserted + deleted,
            rows.quarantined = checked.quarantined.len(),
            "page applied"
        );
        for q in &checked.quarantined {
            tracing::info!(sync.collection = collection, item.id = %q.item_id, "quarantined: {}", q.reason);
        }
        (run.progress)(&SyncProgress {
            phase: SyncPhase::Page,
            collection: Some(collection.to_owned()),
            applied: report.upserted + report.deleted,
            total_applied: *total,
            error: None,
        });

        cursor = Some(next);
        if !page.has_more {
            return Ok(finish(report));
        }
    }
}

/// A feed page as read off the wire, before its items are checked one by one: a page whose
/// envelope does not fit fails as a whole, an item that does not fit is quarantined.
#[derive(Debug, Deserialize)]
struct RawPage {
    upserts: Vec<serde_json::Value>,
    tombstones: Vec<serde_json::Value>,
    next_cursor: String,
    has_more: bool,
}

/// A page's items after checking: what applies, and what is quarantined.
struct Checked {
    upserts: Upserts,
    tombstones: Vec<Tombstone>,
    quarantined: Vec<Quarantined>,
}

enum Upserts {
    Bills(Vec<Bill>),
    Offers(Vec<Offer>),
    Carbon(Vec<CarbonEntry>),
    Attempts(Vec<RecordedAttempt>),
}

impl Checked {
    fn from_page(
        collection: &str,
        upserts: Vec<serde_json::Value>,
        tombstones: Vec<serde_json::Value>,
    ) -> Self {
        let mut quarantined = Vec::new();
        let upserts = match collection {
            "bills" => Upserts::Bills(sift(collection, upserts, validate_bill, &mut quarantined)),
            "offers" => {
                Upserts::Offers(sift(collection, upserts, validate_offer, &mut quarantined))
            }
            "quiz_attempts" => {
                Upserts::Attempts(sift(collection, upserts, validate_attempt, &mut quarantined))
            }
            _ => Upserts::Carbon(sift(collection, upserts, validate_entry, &mut quarantined)),
        };
        let validate = if collection == "quiz_attempts" {
            refuse_attempt_tombstone
        } else {
            validate_tombstone
        };
        let tombstones = sift(collection, tombstones, validate, &mut quarantined);
        Self { upserts, tombstones, quarantined }
    }

    /// The ids of the items that apply.
    fn ids(&self) -> Vec<&str> {
        let upserts: Vec<&str> = match &self.upserts {
            Upserts::Bills(items) => items.iter().map(|b| b.id.as_str()).collect(),
            Upserts::Offers(items) => items.iter().map(|o| o.id.as_str()).collect(),
            Upserts::Carbon(items) => items.iter().map(|c| c.id.as_str()).collect(),
            Upserts::Attempts(items) => items.iter().map(|a| a.id.as_str()).collect(),
        };
        upserts.into_iter().chain(self.tombstones.iter().map(|t| t.id.as_str())).collect()
    }

    async fn apply(&self, conn: &mut sqlx::SqliteConnection) -> Result<(u64, u64)> {
        Ok(match &self.upserts {
            Upserts::Bills(items) => {
                (bills::upsert(conn, items).await?, bills::delete(conn, &self.tombstones).await?)
            }
            Upserts::Offers(items) => {
                (offers::upsert(conn, items).await?, offers::delete(conn, &self.tombstones).await?)
            }
            Upserts::Carbon(items) => {
                (ledger::upsert(conn, items).await?, ledger::delete(conn, &self.tombstones).await?)
            }
            Upserts::Attempts(items) => {
                // Kept once by id: an attempt made here and echoed back stays the local row.
                let mut added = 0;
                for item in items {
                    if quiz_attempts::insert(&mut *conn, &attempt_row(item)?).await? {
                        added += 1;
                    }
                }
                (added, 0)
            }
        })
    }
}

/// An item with an id and a version.
trait Versioned {
    fn key(&self) -> (&str, i64);
}

impl Versioned for Bill {
    fn key(&self) -> (&str, i64) {
        (&self.id, self.version)
    }
}

impl Versioned for Offer {
    fn key(&self) -> (&str, i64) {
        (&self.id, self.version)
    }
}

impl Versioned for CarbonEntry {
    fn key(&self) -> (&str, i64) {
        (&self.id, self.version)
    }
}

impl Versioned for RecordedAttempt {
    fn key(&self) -> (&str, i64) {
        (&self.id, self.version)
    }
}

impl Versioned for Tombstone {
    fn key(&self) -> (&str, i64) {
        (&self.id, self.version)
    }
}

/// Reads each of `values` as a `T` and checks it with `validate`; what fails either goes to
/// `quarantined` with the reason. An id sent twice keeps its highest version, so one statement
/// never touches a row twice.
fn sift<T: DeserializeOwned + Versioned>(
    collection: &str,
    values: Vec<serde_json::Value>,
    validate: fn(&T) -> Result<()>,
    quarantined: &mut Vec<Quarantined>,
) -> Vec<T> {
    let mut kept: Vec<T> = Vec::with_capacity(values.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for value in values {
        let item = match T::deserialize(&value) {
            Ok(item) => item,
            Err(e) => {
                let why = format!("not the contract's shape: {e}");
                quarantined.push(Quarantined::new(collection, &value, why));
                continue;
            }
        };
        if let Err(error) = validate(&item) {
            let why = match error {
                CoreError::BadResponse(why) => why,
                other => other.to_string(),
            };
            quarantined.push(Quarantined::new(collection, &value, why));
            continue;
        }
        let (id, version) = item.key();
        match seen.get(id) {
            Some(&at) if kept[at].key().1 >= version => {}
            Some(&at) => kept[at] = item,
            None => {
                seen.insert(id.to_owned(), kept.len());
                kept.push(item);
            }
        }
    }
    kept
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
    if !crate::money::is_currency(&money.currency) {
        return Err(bad(kind, id, format!("{:?} is not an ISO 4217 currency", money.currency)));
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

/// The most questions one quiz may have.
const MAX_QUESTIONS: u32 = 200;

fn validate_attempt(a: &RecordedAttempt) -> Result<()> {
    let id_ok = !a.id.is_empty()
        && a.id.len() <= 64
        && a.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !id_ok {
        return Err(bad("quiz attempt", &a.id, "the id is not 1 to 64 letters, digits, - or _"));
    }
    validate_text("quiz attempt", &a.id, "the lesson id", &a.lesson_id)?;
    validate_text("quiz attempt", &a.id, "the catalogue version", &a.catalog_version)?;
    if a.lesson_id.is_empty() {
        return Err(bad("quiz attempt", &a.id, "it names no lesson"));
    }
    crate::learn::parse_zone(&a.time_zone).map_err(|e| bad("quiz attempt", &a.id, e))?;
    validate_instant("quiz attempt", &a.id, a.started_at)?;
    validate_instant("quiz attempt", &a.id, a.finished_at)?;
    if a.finished_at < a.started_at {
        return Err(bad("quiz attempt", &a.id, "it finished before it started"));
    }
    let right = a.results.iter().filter(|r| r.correct).count();
    if a.total > MAX_QUESTIONS
        || a.results.len() != a.total as usize
        || right != a.correct as usize
        || a.answers.len() > a.total as usize
    {
        return Err(bad("quiz attempt", &a.id, "its score does not add up"));
    }
    for answer in &a.answers {
        validate_text("quiz attempt", &a.id, "a question id", &answer.question_id)?;
        if answer.choices.len() > 64 || answer.choices.iter().any(|c| c.chars().count() > 64) {
            return Err(bad("quiz attempt", &a.id, "an answer has absurd choices"));
        }
    }
    Ok(())
}

/// Attempts are never deleted: a tombstone in their feed is set aside, and nothing local is
/// removed by it.
fn refuse_attempt_tombstone(t: &Tombstone) -> Result<()> {
    Err(bad("quiz attempt", &t.id, "attempts are never deleted; the tombstone is ignored"))
}

fn json_text<T: Serialize>(id: &str, value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| bad("quiz attempt", id, e))
}

/// The cache row of an attempt from the feed (checked by [`validate_attempt`]).
fn attempt_row(a: &RecordedAttempt) -> Result<quiz_attempts::AttemptRow> {
    let zone = crate::learn::parse_zone(&a.time_zone)?;
    Ok(quiz_attempts::AttemptRow {
        id: a.id.clone(),
        lesson_id: a.lesson_id.clone(),
        catalog_version: a.catalog_version.clone(),
        answers: json_text(&a.id, &a.answers)?,
        results: json_text(&a.id, &a.results)?,
        correct: a.correct.into(),
        total: a.total.into(),
        passed: a.passed,
        started_at: instant_text(a.started_at),
        finished_at: instant_text(a.finished_at),
        time_zone: a.time_zone.clone(),
        local_date: crate::learn::streak::local_date(a.finished_at, zone).to_string(),
    })
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
            green_rule: None,
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
