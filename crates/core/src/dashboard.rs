//! The dashboard's figures: green spend and carbon saved by month and by category.
//!
//! Months are calendar months of the user's time zone: their bounds are worked out here as UTC
//! instants (so daylight-saving changes fall right) and handed to SQLite, which only compares
//! text. Spend is summed in one currency, the one most bills are in; carbon is summed from the
//! ledger by [`carbon::totals::tally`], split into measured and estimated grams, and bills whose
//! carbon is unknown are counted beside the total, never taken as 0.
//!
//! The synced bills and the green bills imported from payment exports count alike (migration
//! 0006's `green_bills` view says which imported rows are green). Synced bills and the ledger
//! are not read row by row: triggers keep their sums per UTC month (migration 0011) and
//! [`rolled_up`] turns those into the user's months; imported bills are summed through the
//! view.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, LocalResult, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use greenmile_api::{Certification, GreenCategory, HeldInstalment};
use serde::{Deserialize, Serialize};
use sqlx::{Executor, QueryBuilder, Sqlite, SqlitePool};
use ts_rs::TS;

use crate::carbon::totals::{self, CarbonSplit, Equivalent, EquivalentKind};
use crate::db::{bills, from_json, instant_text, offers};
use crate::error::{CoreError, Result};
use crate::instalment;

/// How many months the by-month series covers, the current one included.
pub const MONTHS_SHOWN: u32 = 24;

/// Green spend and carbon saved in one calendar month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MonthPoint {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// Green spend in the dashboard's currency, minor units.
    #[ts(type = "number")]
    pub spend_minor: i64,
    /// Grams of CO2e saved: `carbon_measured_g + carbon_estimated_g`.
    #[ts(type = "number")]
    pub carbon_g: i64,
    /// Grams from figures that multiply a recorded quantity (km, kWh) by published factors.
    #[ts(type = "number")]
    pub carbon_measured_g: i64,
    /// Grams from estimates: spend-based figures and savings projected over a service life.
    #[ts(type = "number")]
    pub carbon_estimated_g: i64,
    /// Bills (not refunded) whose carbon no method can tell, left out of `carbon_g`.
    #[ts(type = "number")]
    pub carbon_unknown: i64,
    /// Number of green bills.
    #[ts(type = "number")]
    pub bills: i64,
}

/// Green spend and carbon saved in one category, over all cached bills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CategoryPoint {
    /// The category.
    pub category: GreenCategory,
    /// Green spend in the dashboard's currency, minor units.
    #[ts(type = "number")]
    pub spend_minor: i64,
    /// Grams of CO2e saved by the category's bills whose carbon is known.
    #[ts(type = "number")]
    pub carbon_g: i64,
    /// Of `carbon_g`, grams from measured figures.
    #[ts(type = "number")]
    pub carbon_measured_g: i64,
    /// Of `carbon_g`, grams from estimates.
    #[ts(type = "number")]
    pub carbon_estimated_g: i64,
    /// Number of bills.
    #[ts(type = "number")]
    pub bills: i64,
    /// Bills (not refunded) whose carbon no method can tell.
    #[ts(type = "number")]
    pub carbon_unknown: i64,
}

/// How many bills carry each certification level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CertificationCount {
    /// The level.
    pub certification: Certification,
    /// Number of bills.
    #[ts(type = "number")]
    pub bills: i64,
}

/// Everything the dashboard shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Dashboard {
    /// The currency of every spend figure here (ISO 4217).
    pub currency: String,
    /// The current month so far.
    pub this_month: MonthPoint,
    /// The month before.
    pub last_month: MonthPoint,
    /// Green spend in the month before over as much of it as has passed of this one (to the
    /// same day and time), so a month four days old is not compared with a whole month.
    #[ts(type = "number")]
    pub last_month_to_date_spend_minor: i64,
    /// The last [`MONTHS_SHOWN`] months, oldest first.
    pub by_month: Vec<MonthPoint>,
    /// Every category that has bills.
    pub by_category: Vec<CategoryPoint>,
    /// Bills per certification level.
    pub certification_mix: Vec<CertificationCount>,
    /// Grams of CO2e saved, over the whole ledger (bills refunded in full left out).
    #[ts(type = "number")]
    pub carbon_total_g: i64,
    /// Of `carbon_total_g`, grams from measured figures.
    #[ts(type = "number")]
    pub carbon_measured_g: i64,
    /// Of `carbon_total_g`, grams from estimates.
    #[ts(type = "number")]
    pub carbon_estimated_g: i64,
    /// Bills (not refunded) whose carbon is unknown, left out of the totals.
    #[ts(type = "number")]
    pub carbon_unknown_bills: i64,
    /// `carbon_total_g` as the same distance driven in an average car, with the factor (id,
    /// value, source, licence) it divides by; null only if the factor table lacks it.
    pub carbon_car_km: Option<Equivalent>,
    /// Green bills in the cache, synced and imported from files.
    #[ts(type = "number")]
    pub bill_count: i64,
    /// Offers in the cache.
    #[ts(type = "number")]
    pub offer_count: i64,
    /// The IANA time zone the months were taken in.
    pub time_zone: String,
    /// The next instalment due on a plan the user holds, if any is still running.
    pub next_payment: Option<UpcomingPayment>,
}

/// An instalment still to pay on a plan the user holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UpcomingPayment {
    /// The bill whose purchase the plan pays off.
    pub bill_id: String,
    /// Who was paid.
    pub merchant: String,
    /// What was bought.
    pub item: String,
    /// When it is due, `YYYY-MM-DD`.
    #[ts(type = "string")]
    pub due: NaiveDate,
    /// What is due.
    pub amount: greenmile_api::Money,
    /// Which instalment it is, from 1.
    pub number: u32,
    /// How many instalments the plan has.
    pub months: u32,
}

/// The earliest instalment due on or after `today` over every plan the user holds (bills
/// refunded in full are paid off by the refund and left out).
pub async fn next_payment<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    today: NaiveDate,
) -> Result<Option<UpcomingPayment>> {
    let rows: String = sqlx::query_scalar(INSTALMENTS_READ).fetch_one(db).await?;
    next_payment_from(&rows, today)
}

/// The bills with an instalment plan, refunded ones left out, as one JSON text of id,
/// merchant, item and the plan's JSON.
const INSTALMENTS_READ: &str = "SELECT json_group_array(json_array(id, merchant, item, \
     instalment_json)) FROM bills WHERE instalment_json IS NOT NULL AND status <> 'refunded'";

/// [`next_payment`] from what [`INSTALMENTS_READ`] read.
fn next_payment_from(rows: &str, today: NaiveDate) -> Result<Option<UpcomingPayment>> {
    let rows: Vec<(String, String, String, String)> = from_json(rows, "instalment plans")?;
    let mut next: Option<UpcomingPayment> = None;
    for (bill_id, merchant, item, json) in rows {
        let held: HeldInstalment = serde_json::from_str(&json).map_err(|e| {
            CoreError::BadResponse(format!("bill {bill_id} has a bad instalment in the cache: {e}"))
        })?;
        let schedule = instalment::schedule(held.principal.minor, &held.plan)?;
        let dues = instalment::due_dates(held.first_due, held.plan.months)?;
        let upcoming =
            dues.iter().zip(&schedule.instalments).enumerate().find(|(_, (d, _))| **d >= today);
        let Some((k, (due, part))) = upcoming else { continue };

        let earlier = next.as_ref().is_none_or(|n| (*due, &bill_id) < (n.due, &n.bill_id));
        if earlier {
            next = Some(UpcomingPayment {
                amount: greenmile_api::Money {
                    minor: part.principal + part.charge,
                    currency: held.principal.currency.clone(),
                },
                due: *due,
                number: k as u32 + 1,
                months: held.plan.months,
                bill_id,
                merchant,
                item,
            });
        }
    }
    Ok(next)
}

/// Pushes, as a column, green spend per currency (JSON of currency and minor units) from the
/// start of last month over as long as has passed of this month at `now` (never past this
/// month's start). Synced bills from the covering index; imported ones through the view,
/// which says which of them are green.
fn push_spend_to_date_last_month(
    q: &mut QueryBuilder<'_, Sqlite>,
    now: DateTime<Utc>,
    tz: Tz,
) -> Result<()> {
    let months = recent_months(now, tz, 2);
    let (last_start, this_start) = month_bounds(&months[0], tz)?;
    let end = (last_start + (now - this_start)).min(this_start);
    let (lo, hi) = (instant_text(last_start), instant_text(end));
    q.push("(SELECT json_group_array(json_array(currency, spend)) FROM (")
        .push("SELECT currency, SUM(amount_minor) AS spend FROM (")
        .push("SELECT currency, amount_minor FROM bills WHERE occurred_at >= ")
        .push_bind(lo.clone())
        .push(" AND occurred_at < ")
        .push_bind(hi.clone())
        .push(" UNION ALL SELECT currency, amount_minor FROM green_bills ")
        .push("WHERE source = 'file' AND occurred_at >= ")
        .push_bind(lo)
        .push(" AND occurred_at < ")
        .push_bind(hi)
        .push(") GROUP BY currency))");
    Ok(())
}

/// The UTC bounds `[start, end)` of calendar month `month` (`YYYY-MM`) in `tz`.
pub fn month_bounds(month: &str, tz: Tz) -> Result<(DateTime<Utc>, DateTime<Utc>)> {
    let shape_ok = month.len() == 7
        && month.as_bytes()[4] == b'-'
        && month.bytes().enumerate().all(|(i, b)| i == 4 || b.is_ascii_digit());
    if !shape_ok {
        return Err(CoreError::InvalidInput(format!("{month:?} is not a month (YYYY-MM)")));
    }
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .map_err(|_| CoreError::InvalidInput(format!("{month:?} is not a month (YYYY-MM)")))?;
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .ok_or_else(|| CoreError::InvalidInput(format!("{month:?} is out of range")))?;
    Ok((local_midnight(first, tz), local_midnight(next, tz)))
}

/// The first instant of `day` in `tz` (a day that starts in a DST gap starts when it can).
pub(crate) fn local_midnight(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let mut at = day.and_time(chrono::NaiveTime::MIN);
    for _ in 0..4 {
        match tz.from_local_datetime(&at) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => return t.with_timezone(&Utc),
            LocalResult::None => at += chrono::Duration::minutes(30),
        }
    }
    Utc.from_utc_datetime(&day.and_time(chrono::NaiveTime::MIN))
}

/// The `count` months ending with the one holding `now` in `tz`, oldest first, as `YYYY-MM`.
pub fn recent_months(now: DateTime<Utc>, tz: Tz, count: u32) -> Vec<String> {
    let local = now.with_timezone(&tz);
    let mut year = local.year();
    let mut month = local.month();
    let mut out = Vec::with_capacity(count as usize);
    for _ in 0..count {
        out.push(format!("{year:04}-{month:02}"));
        if month == 1 {
            year -= 1;
            month = 12;
        } else {
            month -= 1;
        }
    }
    out.reverse();
    out
}

/// The dashboard as of `now`, with months taken in `tz`.
///
/// Every figure comes from the sums the triggers of migration 0011 keep per UTC month, for
/// the bills ([`BILL_READS`]) and the carbon ledger ([`totals::tally_from`]), corrected at
/// each month boundary by the few hours of rows between it and the nearest UTC month start
/// ([`rolled_up`]); no bill row is read whole and no bill is read one by one.
pub async fn dashboard(pool: &SqlitePool, now: DateTime<Utc>, tz: Tz) -> Result<Dashboard> {
    let months = recent_months(now, tz, MONTHS_SHOWN);
    let bounds = bounds_text(&months, tz)?;
    let today = now.with_timezone(&tz).date_naive();
    let edges = Edge::all(&bounds)?;
    // Every read in one statement, so all of them see the cache at one moment (a sync
    // committing meanwhile cannot move a bill out of one read and into none). Side by side
    // on pooled connections they took 5 % less time, and disagreed now and then. The spend
    // so far last month is read for every currency at once, so it need not wait for the
    // sums to say which currency the dashboard is in.
    let mut q = sums_with(&edges, &bounds);
    q.push("SELECT ");
    push_reads(&mut q, &BILL_READS);
    q.push(", ");
    push_reads(&mut q, &totals::LEDGER_READS);
    q.push(", (SELECT COUNT(*) FROM offers), ");
    push_reads(&mut q, &[INSTALMENTS_READ]);
    q.push(", ");
    push_spend_to_date_last_month(&mut q, now, tz)?;
    type Read = (String, String, String, String, String, String, i64, String, String);
    let (b0, b1, b2, l0, l1, l2, offer_count, plans, to_date): Read =
        q.build_query_as().fetch_one(pool).await?;
    let sums = bill_sums_from(&edges, [&b0, &b1, &b2])?;
    let ledger = totals::ledger_sums_from(&edges, [&l0, &l1, &l2])?;
    let next_payment = next_payment_from(&plans, today)?;
    let to_date: Vec<(String, i64)> = from_json(&to_date, "spend so far last month")?;
    let carbon = totals::tally_from(bounds.len(), &ledger, &sums);

    // The currency most bills are in (ties to the first by name), CNY for an empty cache.
    let mut per_currency: BTreeMap<&str, i64> = BTreeMap::new();
    for sum in &sums {
        *per_currency.entry(sum.currency.as_str()).or_default() += sum.bills;
    }
    let currency = per_currency
        .iter()
        .fold(None::<(&str, i64)>, |best, (c, n)| match best {
            Some((_, most)) if most >= *n => best,
            _ => Some((c, *n)),
        })
        .map_or_else(|| "CNY".to_owned(), |(c, _)| c.to_owned());

    let by_month = by_month(&months, &currency, &sums, &carbon.by_month);
    let empty = |m: &str| MonthPoint {
        month: m.to_owned(),
        spend_minor: 0,
        carbon_g: 0,
        carbon_measured_g: 0,
        carbon_estimated_g: 0,
        carbon_unknown: 0,
        bills: 0,
    };
    let this_month = by_month.last().cloned().unwrap_or_else(|| empty(""));
    let last_month = by_month.iter().rev().nth(1).cloned().unwrap_or_else(|| empty(""));

    let mut categories: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    let mut mix: BTreeMap<&str, i64> = BTreeMap::new();
    for sum in &sums {
        let (spend, bills) = categories.entry(sum.category.as_str()).or_default();
        if sum.currency == currency {
            *spend += sum.spend_minor;
        }
        *bills += sum.bills;
        *mix.entry(sum.certification.as_str()).or_default() += sum.bills;
    }
    let mut by_category = Vec::with_capacity(categories.len());
    for (name, (spend_minor, bills)) in categories {
        if let Some(category) = GreenCategory::parse(name) {
            let split = carbon.by_category.get(&category).cloned().unwrap_or_default();
            by_category.push(CategoryPoint {
                category,
                spend_minor,
                carbon_g: split.total_g,
                carbon_measured_g: split.measured_g,
                carbon_estimated_g: split.estimated_g,
                bills,
                carbon_unknown: split.unknown_bills,
            });
        }
    }
    by_category.sort_by_key(|c| GreenCategory::ALL.iter().position(|k| *k == c.category));

    let mut certification_mix: Vec<CertificationCount> = mix
        .into_iter()
        .filter_map(|(c, bills)| {
            Certification::parse(c).map(|certification| CertificationCount { certification, bills })
        })
        .collect();
    certification_mix.sort_by_key(|c| std::cmp::Reverse(c.certification as u8));

    let car_km = totals::equivalents(carbon.total.total_g)
        .into_iter()
        .find(|e| e.kind == EquivalentKind::CarKm);

    let last_month_to_date_spend_minor =
        to_date.iter().find(|(c, _)| *c == currency).map_or(0, |(_, minor)| *minor);
    Ok(Dashboard {
        last_month_to_date_spend_minor,
        this_month,
        last_month,
        by_month,
        by_category,
        certification_mix,
        carbon_total_g: carbon.total.total_g,
        carbon_measured_g: carbon.total.measured_g,
        carbon_estimated_g: carbon.total.estimated_g,
        carbon_unknown_bills: carbon.total.unknown_bills,
        carbon_car_km: car_km,
        bill_count: sums.iter().map(|s| s.bills).sum(),
        offer_count,
        time_zone: tz.name().to_owned(),
        next_payment,
        currency,
    })
}

/// Spend and bills in `currency` for each month of `months`, in their order, beside `carbon`,
/// the same months' savings.
fn by_month(
    months: &[String],
    currency: &str,
    sums: &[BillSums],
    carbon: &[CarbonSplit],
) -> Vec<MonthPoint> {
    let mut spend = vec![(0_i64, 0_i64); months.len()];
    for sum in sums.iter().filter(|s| s.currency == currency) {
        if let Some((minor, bills)) = sum.month.and_then(|i| spend.get_mut(i)) {
            *minor += sum.spend_minor;
            *bills += sum.bills;
        }
    }
    months
        .iter()
        .zip(spend)
        .zip(carbon)
        .map(|((month, (spend_minor, bills)), carbon)| MonthPoint {
            month: month.clone(),
            spend_minor,
            carbon_g: carbon.total_g,
            carbon_measured_g: carbon.measured_g,
            carbon_estimated_g: carbon.estimated_g,
            carbon_unknown: carbon.unknown_bills,
            bills,
        })
        .collect()
}

/// The green bills of one month (an index into the bounds they were summed over; `None` for
/// the bills outside all of them), category, currency and certification, and whether their
/// carbon is unknown (no figure, not refunded in full).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BillSums {
    pub month: Option<usize>,
    pub category: String,
    pub currency: String,
    pub certification: String,
    pub carbon_unknown: bool,
    pub spend_minor: i64,
    pub bills: i64,
}

/// The reads [`bill_sums_from`] takes, each a SELECT of one JSON text ([`from_json`]) under
/// the names [`sums_with`] gives: the sums the triggers of migration 0011 keep per UTC month;
/// the bills between each month boundary and its UTC month, unsummed (a thousand at 100k
/// bills: SQLite's GROUP BY sorts them at twice the cost of writing them out, and
/// [`rolled_up`] adds them up as it goes); the imported bills summed through the
/// `green_bills` view, which says which of them are green.
// TODO(dashboard-rollup): imported bills are summed row by row through the view; fine for a
// few exports, not for 100k imported rows.
pub(crate) const BILL_READS: [&str; 3] = [
    "SELECT json_group_array(json_array(month, category, currency, certification, \
     carbon_unknown, spend_minor, bills)) FROM bill_month_sums WHERE bills <> 0",
    "SELECT json_group_array(json_array(e.j, category, currency, certification, \
     carbon_g IS NULL AND status <> 'refunded', amount_minor)) FROM edges e \
     JOIN bills b INDEXED BY bills_sums_by_time \
         ON b.occurred_at >= e.lo AND b.occurred_at < e.hi",
    "SELECT json_group_array(json_array(k, category, currency, certification, unknown, \
     spend, n)) FROM (SELECT \
         (SELECT i FROM months WHERE g.occurred_at >= s AND g.occurred_at < e) AS k, \
         category, currency, certification, \
         carbon_g IS NULL AND status <> 'refunded' AS unknown, SUM(amount_minor) AS spend, \
         COUNT(*) AS n \
     FROM green_bills g WHERE g.source = 'file' GROUP BY 1, 2, 3, 4, 5)",
];

/// Every green bill, synced and imported, summed by month of the bounds whose boundaries are
/// `edges`, category, currency, certification and unknown carbon, from what [`BILL_READS`]
/// read.
pub(crate) fn bill_sums_from(edges: &[Edge], read: [&str; 3]) -> Result<Vec<BillSums>> {
    type Key = (String, String, String, bool);
    let [kept, edge_rows, rows] = read;
    let kept: Vec<KeptBillSums> = from_json(kept, "bill sums by month")?;
    let edge_rows: Vec<EdgeBill> = from_json(edge_rows, "bills by month")?;
    let rows: Vec<BillSumsRow> = from_json(rows, "imported bill sums")?;
    let kept = kept.into_iter().map(|(month, cat, cur, cert, unknown, spend, bills)| {
        (month, (cat, cur, cert, unknown != 0), [spend, bills])
    });
    let edge_rows = edge_rows.into_iter().map(|(j, cat, cur, cert, unknown, amount)| {
        (usize::try_from(j).unwrap_or(usize::MAX), (cat, cur, cert, unknown != 0), [amount, 1])
    });
    let rolled = rolled_up::<Key>(edges, kept, edge_rows);

    let mut out = Vec::new();
    for (month, groups) in rolled {
        for ((category, currency, certification, carbon_unknown), [spend_minor, bills]) in groups {
            if bills != 0 {
                out.push(BillSums {
                    month,
                    category,
                    currency,
                    certification,
                    carbon_unknown,
                    spend_minor,
                    bills,
                });
            }
        }
    }

    out.extend(rows.into_iter().map(
        |(month, category, currency, certification, carbon_unknown, spend_minor, bills)| BillSums {
            month: month.and_then(|i| usize::try_from(i).ok()),
            category,
            currency,
            certification,
            carbon_unknown: carbon_unknown != 0,
            spend_minor,
            bills,
        },
    ));
    Ok(out)
}

/// A row of the queries that sum bills in SQL, in the order of [`BillSums`]' fields (unknown
/// carbon as 0 or 1).
type BillSumsRow = (Option<i64>, String, String, String, i64, i64, i64);

/// A bill between a month boundary and its UTC month start: the boundary's index, category,
/// currency, certification, unknown carbon (0 or 1), amount.
type EdgeBill = (i64, String, String, String, i64, i64);

/// A row of `bill_month_sums`: its UTC month, then as [`BillSumsRow`].
type KeptBillSums = (String, String, String, String, i64, i64, i64);

/// Where a month boundary of the user's time zone stands against the sums kept per UTC month:
/// everything before instant `t` is the UTC months before the nearest UTC month start `B`,
/// plus the rows in `[B, t)` when `t` is after `B`, or minus the rows in `[t, B)` when it is
/// before. A boundary is at most half a month from its `B`, and in practice hours: a zone's
/// offset from UTC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Edge {
    /// `B`'s UTC month, `YYYY-MM`: the kept sums of the months before it count.
    pub month: String,
    /// The rows between the boundary and `B`, `[lo, hi)`, as instant text.
    pub lo: String,
    pub hi: String,
    /// +1 when those rows are added, -1 when taken away.
    pub sign: i64,
}

impl Edge {
    /// The boundaries of `bounds` (months that follow one another): each month's start, then
    /// the last month's end.
    pub(crate) fn all(bounds: &[(String, String)]) -> Result<Vec<Edge>> {
        let instants = bounds.iter().map(|(s, _)| s).chain(bounds.last().map(|(_, e)| e));
        instants.map(|t| Edge::at(t)).collect()
    }

    fn at(text: &str) -> Result<Edge> {
        let t = crate::db::parse_instant(text)?;
        let first = NaiveDate::from_ymd_opt(t.year(), t.month(), 1)
            .ok_or_else(|| CoreError::InvalidInput(format!("{text} has no month")))?;
        let next = first
            .checked_add_months(chrono::Months::new(1))
            .ok_or_else(|| CoreError::InvalidInput(format!("{text} is out of range")))?;
        let midnight = |d: NaiveDate| Utc.from_utc_datetime(&d.and_time(chrono::NaiveTime::MIN));
        let (start, end) = (midnight(first), midnight(next));
        let b = if t - start <= end - t { start } else { end };
        let (lo, hi, sign) = if t >= b { (b, t, 1) } else { (t, b, -1) };
        Ok(Edge {
            month: b.format("%Y-%m").to_string(),
            lo: instant_text(lo),
            hi: instant_text(hi),
            sign,
        })
    }
}

/// Two sums per group (such as spend and bills, or grams and entries).
pub(crate) type Pair = [i64; 2];

/// Sums kept per UTC month (`kept`: month, group, sums) turned into sums per month of the
/// user's zone whose boundaries are `edges` ([`Edge::all`]), with `edge_rows` (boundary
/// index, group, sums) the rows between each boundary and its UTC month start. Returns one
/// map per month, in order, each with `Some(index)`, and last the groups outside them all
/// with `None`: the total less the months.
pub(crate) fn rolled_up<K: Ord + Clone>(
    edges: &[Edge],
    kept: impl IntoIterator<Item = (String, K, Pair)>,
    edge_rows: impl IntoIterator<Item = (usize, K, Pair)>,
) -> Vec<(Option<usize>, BTreeMap<K, Pair>)> {
    let add = |map: &mut BTreeMap<K, Pair>, key: &K, sums: Pair, sign: i64| {
        let slot = map.entry(key.clone()).or_insert([0, 0]);
        slot[0] += sign * sums[0];
        slot[1] += sign * sums[1];
    };

    // Everything before each boundary, and everything: the kept months in order, summed as
    // the boundaries' months pass (boundaries rise, so their months never fall).
    let mut kept: Vec<(String, K, Pair)> = kept.into_iter().collect();
    kept.sort_by(|a, b| a.0.cmp(&b.0));
    let mut total: BTreeMap<K, Pair> = BTreeMap::new();
    let mut before: Vec<BTreeMap<K, Pair>> = Vec::with_capacity(edges.len());
    let mut next = 0;
    for edge in edges {
        while let Some((month, key, sums)) = kept.get(next) {
            if *month >= edge.month {
                break;
            }
            add(&mut total, key, *sums, 1);
            next += 1;
        }
        before.push(total.clone());
    }
    for (_, key, sums) in &kept[next..] {
        add(&mut total, key, *sums, 1);
    }
    for (j, key, sums) in edge_rows {
        if let (Some(edge), Some(map)) = (edges.get(j), before.get_mut(j)) {
            add(map, &key, sums, edge.sign);
        }
    }

    let mut out = Vec::with_capacity(edges.len());
    let mut outside = total;
    for (i, pair) in before.windows(2).enumerate() {
        let mut month = pair[1].clone();
        for (key, sums) in &pair[0] {
            add(&mut month, key, *sums, -1);
        }
        for (key, sums) in &month {
            add(&mut outside, key, *sums, -1);
        }
        out.push((Some(i), month));
    }
    out.push((None, outside));
    out
}

/// The UTC bounds `[start, end)` of each month of `months` in `tz`, as the cache's instant
/// text. The months must follow one another (as [`recent_months`] gives them): the sums take
/// whatever lies before the first or after the last as outside them all.
pub(crate) fn bounds_text(months: &[String], tz: Tz) -> Result<Vec<(String, String)>> {
    let mut bounds: Vec<(String, String)> = Vec::with_capacity(months.len());
    for month in months {
        let (start, end) = month_bounds(month, tz)?;
        let (start, end) = (instant_text(start), instant_text(end));
        if bounds.last().is_some_and(|(_, last_end)| *last_end != start) {
            return Err(CoreError::InvalidInput(format!(
                "{month} does not follow the month before it in the list"
            )));
        }
        bounds.push((start, end));
    }
    Ok(bounds)
}

/// `WITH edges(j, lo, hi) AS (...), months(i, s, e) AS (...) ` over `edges` (each
/// boundary's index and the rows between it and its UTC month start, [`Edge::all`]) and
/// `bounds` (each month's index and instants), for a statement to follow with reads such as
/// [`BILL_READS`]. Reads in one statement see the cache at one moment: a sync committing
/// meanwhile cannot move a bill out of one read and into none.
pub(crate) fn sums_with<'a>(
    edges: &'a [Edge],
    bounds: &'a [(String, String)],
) -> QueryBuilder<'a, Sqlite> {
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new("WITH edges(j, lo, hi) AS (");
    let values = |q: &mut QueryBuilder<'a, Sqlite>, rows: Vec<(&'a String, &'a String)>| {
        if rows.is_empty() {
            q.push("SELECT NULL, NULL, NULL WHERE 0");
            return;
        }
        q.push("VALUES ");
        for (i, (lo, hi)) in rows.into_iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.push("(").push_bind(i as i64).push(", ").push_bind(lo).push(", ").push_bind(hi);
            q.push(")");
        }
    };
    values(&mut q, edges.iter().map(|e| (&e.lo, &e.hi)).collect());
    q.push("), months(i, s, e) AS (");
    values(&mut q, bounds.iter().map(|(s, e)| (s, e)).collect());
    q.push(") ");
    q
}

/// `(read), (read), ...`: `reads` as the columns of a SELECT.
pub(crate) fn push_reads(q: &mut QueryBuilder<'_, Sqlite>, reads: &[&str]) {
    for (i, read) in reads.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push("(").push(*read).push(")");
    }
}

pub use crate::zone::system_time_zone;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shanghai_month_starts_at_16_utc_the_day_before() {
        let (start, end) = month_bounds("2026-03", chrono_tz::Asia::Shanghai).unwrap();
        assert_eq!(instant_text(start), "2026-02-28T16:00:00.000Z", "UTC+8 midnight");
        assert_eq!(instant_text(end), "2026-03-31T16:00:00.000Z", "next month's start");
    }

    #[test]
    fn berlin_month_bounds_follow_daylight_saving() {
        let (start, end) = month_bounds("2026-03", chrono_tz::Europe::Berlin).unwrap();
        assert_eq!(instant_text(start), "2026-02-28T23:00:00.000Z", "CET is UTC+1");
        assert_eq!(instant_text(end), "2026-03-31T22:00:00.000Z", "CEST is UTC+2");
    }

    #[test]
    fn recent_months_cross_the_year_in_the_users_zone() {
        // 2026-12-31T17:00Z is already 1 January 2027 in Shanghai.
        let now = DateTime::parse_from_rfc3339("2026-12-31T17:00:00Z").unwrap().to_utc();
        let months = recent_months(now, chrono_tz::Asia::Shanghai, 3);
        assert_eq!(months, vec!["2026-11", "2026-12", "2027-01"], "months in the user's zone");
    }

    #[test]
    fn a_bad_month_is_a_clear_error() {
        for bad in ["2026-13", "26-11", "2026-1", "2026/11", "2026-11-01", "２０２６-11"] {
            let err = month_bounds(bad, Tz::UTC).unwrap_err();
            assert_eq!(err.code(), crate::ErrorCode::InvalidInput, "{bad:?} is refused");
        }
    }
}

/// Totals over the whole cache, as `greenmile summary` prints them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Green bills in the cache, synced and imported from files.
    pub bills: i64,
    /// Of `bills`, those imported from payment exports.
    pub imported_bills: i64,
    /// Offers in the cache.
    pub offers: i64,
    /// Carbon ledger entries in the cache.
    pub carbon_entries: i64,
    /// Green spend per ISO 4217 currency, in minor units.
    pub green_spend: std::collections::BTreeMap<String, i64>,
    /// Grams of CO2e saved: the ledger and the imported bills' figures (bills refunded in full
    /// left out), as `greenmile carbon` totals them.
    pub carbon_saved_g: i64,
    /// Bills (not refunded) whose carbon is unknown, left out of `carbon_saved_g`.
    pub carbon_unknown_bills: i64,
    /// When a page was last applied.
    pub last_synced_at: Option<DateTime<Utc>>,
    /// The next instalment due on a plan the user holds.
    pub next_payment: Option<UpcomingPayment>,
}

/// The totals of the whole cache; `today` is the user's calendar date, for the next instalment.
pub async fn summary(pool: &SqlitePool, today: NaiveDate) -> Result<Summary> {
    // One read transaction, so the figures agree with each other while a sync commits.
    let mut snapshot = pool.begin().await?;
    let spend: Vec<(String, i64)> =
        sqlx::query_as("SELECT currency, SUM(amount_minor) FROM green_bills GROUP BY currency")
            .fetch_all(&mut *snapshot)
            .await?;
    let (carbon_entries,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM carbon_entries").fetch_one(&mut *snapshot).await?;
    // The same sum as `greenmile carbon` and the dashboard: the ledger and the imported
    // bills' figures, bills refunded in full left out.
    let carbon = totals::tally(&mut *snapshot, &[], Tz::UTC).await?;
    let (imported_bills,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM green_bills WHERE source = 'file'")
            .fetch_one(&mut *snapshot)
            .await?;
    let summary = Summary {
        bills: bills::count_all(&mut *snapshot).await?,
        imported_bills,
        offers: offers::count(&mut *snapshot).await?,
        carbon_entries,
        green_spend: spend.into_iter().collect(),
        carbon_saved_g: carbon.total.total_g,
        carbon_unknown_bills: carbon.total.unknown_bills,
        last_synced_at: crate::db::cursors::last_synced_at(&mut *snapshot).await?,
        next_payment: next_payment(&mut *snapshot, today).await?,
    };
    snapshot.commit().await?;
    Ok(summary)
}
