//! The cache's carbon savings summed: by month, by category, measured against estimated.
//!
//! Grams come from the carbon ledger (the API's figures) and from the green bills imported
//! from payment exports (this app's figures, kept on each imported row), as integers: every
//! total here is a sum of whole grams, so the months, the categories and the measured/estimated split add up to
//! the total exactly. An entry counts as measured or estimated by its method ([`basis_of`]).
//! Entries of bills refunded in full are left out (a refund saves nothing), and bills whose
//! carbon is unknown are counted beside the totals, never as 0. Months are calendar months of
//! the user's time zone ([`crate::dashboard::month_bounds`]). The sums are SQL's, read from
//! covering indexes (migration 0011), so no bill row and no trace JSON is read for them.
//!
//! Everyday equivalents divide the total by a factor of the table, never by a made-up constant,
//! and carry that factor with its source ([`equivalents`]).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use greenmile_api::{CarbonBasis, GreenCategory};
use serde::{Deserialize, Serialize};
use sqlx::{Executor, Sqlite, SqlitePool};
use ts_rs::TS;

use super::{CAR_KM_EQUIVALENT, Factor, GRID_KWH_EQUIVALENT, basis_of, factors, method_for};
use crate::dashboard::{BillSums, Edge, recent_months, rolled_up};
use crate::db::{from_json, parse_instant};
use crate::error::Result;

/// The most months a report lists, whatever the oldest bill's date: fifty years.
const MAX_MONTHS: u32 = 600;

/// Grams saved, split by what they rest on, and the bills whose carbon is unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CarbonSplit {
    /// Grams of CO2e saved: `measured_g + estimated_g`.
    #[ts(type = "number")]
    pub total_g: i64,
    /// Grams from figures that multiply a recorded quantity (km, kWh) by published factors.
    #[ts(type = "number")]
    pub measured_g: i64,
    /// Grams from estimates: spend-based figures and savings projected over a service life.
    #[ts(type = "number")]
    pub estimated_g: i64,
    /// Ledger entries summed here.
    #[ts(type = "number")]
    pub entries: i64,
    /// Bills (not refunded) whose carbon no method can tell: beside the total, never in it.
    #[ts(type = "number")]
    pub unknown_bills: i64,
}

impl CarbonSplit {
    /// Adds `entries` figures of one basis that sum to `grams`.
    fn add_sum(&mut self, grams: i64, entries: i64, basis: CarbonBasis) {
        self.total_g += grams;
        self.entries += entries;
        match basis {
            CarbonBasis::Measured => self.measured_g += grams,
            CarbonBasis::Estimated => self.estimated_g += grams,
        }
    }
}

/// One calendar month's savings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CarbonMonth {
    /// The month, `YYYY-MM`, in the user's time zone.
    pub month: String,
    /// Its savings.
    pub carbon: CarbonSplit,
}

/// One category's savings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CarbonCategory {
    /// The category.
    pub category: GreenCategory,
    /// The method this app uses for it, `name@version`; null when none can tell its carbon.
    pub method: Option<String>,
    /// Its savings.
    pub carbon: CarbonSplit,
}

/// Which everyday comparison an [`Equivalent`] makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EquivalentKind {
    /// The same as driving `amount` km in an average car.
    CarKm,
    /// The same as `amount` kWh of electricity from China's grid.
    GridKwh,
}

/// Grams of CO2e put in everyday terms, with the factor the comparison divides by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Equivalent {
    /// Which comparison.
    pub kind: EquivalentKind,
    /// How much of it, rounded to a whole unit: grams ÷ (the factor's kg × 1000).
    #[ts(type = "number")]
    pub amount: i64,
    /// The unit of `amount`: `km` or `kWh`.
    pub unit: String,
    /// The comparison in English words.
    pub text: String,
    /// The factor, with its source, publisher, year and licence.
    pub factor: Factor,
}

/// Bills whose API figure came from an older method version than this app's, summed both ways.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Recomputed {
    /// How many such bills.
    #[ts(type = "number")]
    pub bills: i64,
    /// Their grams as the API computed them (counted in the totals).
    #[ts(type = "number")]
    pub api_g: i64,
    /// Their grams by this app's newer methods.
    #[ts(type = "number")]
    pub local_g: i64,
}

/// Everything `greenmile carbon` shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CarbonReport {
    /// The IANA time zone the months were taken in.
    pub time_zone: String,
    /// The whole cache.
    pub total: CarbonSplit,
    /// Every month from the oldest bill's to the current one, oldest first.
    pub by_month: Vec<CarbonMonth>,
    /// Every category, in the order screens list them.
    pub by_category: Vec<CarbonCategory>,
    /// The total in everyday terms.
    pub equivalents: Vec<Equivalent>,
    /// Bills a newer method of this app would put another figure on.
    pub recomputed: Recomputed,
}

/// The savings of the months `months` (`YYYY-MM`, oldest first), of every category, and of the
/// whole ledger. Entries outside `months` count in the total only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// The whole ledger, refunded bills' entries left out.
    pub total: CarbonSplit,
    /// One split per month asked for, in their order.
    pub by_month: Vec<CarbonSplit>,
    /// Per category; entries whose bill is not cached count in the total only.
    pub by_category: HashMap<GreenCategory, CarbonSplit>,
}

/// Sums the ledger and counts the unknown bills, by month of `tz` and by category.
/// Its reads are one statement, so they see the cache at one moment.
pub async fn tally<'e>(
    db: impl Executor<'e, Database = Sqlite>,
    months: &[String],
    tz: Tz,
) -> Result<Tally> {
    let bounds = crate::dashboard::bounds_text(months, tz)?;
    let edges = Edge::all(&bounds)?;
    let mut q = crate::dashboard::sums_with(&edges, &bounds);
    q.push("SELECT ");
    crate::dashboard::push_reads(&mut q, &LEDGER_READS);
    q.push(", ");
    crate::dashboard::push_reads(&mut q, &crate::dashboard::BILL_READS);
    type Read = (String, String, String, String, String, String);
    let (l0, l1, l2, b0, b1, b2): Read = q.build_query_as().fetch_one(db).await?;
    let ledger = ledger_sums_from(&edges, [&l0, &l1, &l2])?;
    let bills = crate::dashboard::bill_sums_from(&edges, [&b0, &b1, &b2])?;
    Ok(tally_from(bounds.len(), &ledger, &bills))
}

/// [`tally`] from sums already read over the same bounds: the ledger's
/// ([`ledger_sums_from`]) and the bills' (they hold the unknown-carbon counts); `months` is
/// how many months the bounds hold.
pub(crate) fn tally_from(months: usize, ledger: &[LedgerSum], bills: &[BillSums]) -> Tally {
    let mut out = Tally { by_month: vec![CarbonSplit::default(); months], ..Tally::default() };
    for sum in ledger {
        let basis = basis_of(&sum.method);
        out.total.add_sum(sum.grams, sum.entries, basis);
        if let Some(split) = sum.month.and_then(|i| out.by_month.get_mut(i)) {
            split.add_sum(sum.grams, sum.entries, basis);
        }
        if let Some(category) = sum.category.as_deref().and_then(GreenCategory::parse) {
            out.by_category.entry(category).or_default().add_sum(sum.grams, sum.entries, basis);
        }
    }
    for sum in bills.iter().filter(|s| s.carbon_unknown) {
        out.total.unknown_bills += sum.bills;
        if let Some(split) = sum.month.and_then(|i| out.by_month.get_mut(i)) {
            split.unknown_bills += sum.bills;
        }
        if let Some(category) = GreenCategory::parse(&sum.category) {
            out.by_category.entry(category).or_default().unknown_bills += sum.bills;
        }
    }
    out
}

/// A row of the imported figures' read ([`LEDGER_READS`]): month index, method, category,
/// grams, entries.
type LedgerRow = (Option<i64>, String, Option<String>, i64, i64);

/// A row of `ledger_month_sums`: UTC month, method, category, grams, entries.
type KeptLedgerSums = (String, String, String, i64, i64);

/// Grams of one month (an index into the bounds; `None` outside them), method and category.
pub(crate) struct LedgerSum {
    month: Option<usize>,
    method: String,
    category: Option<String>,
    grams: i64,
    entries: i64,
}

/// The reads [`ledger_sums_from`] takes, as [`crate::dashboard::BILL_READS`] are for the
/// bills: the ledger's sums kept per UTC month; its entries between each month boundary and
/// its UTC month, unsummed (category and status from their bill, when it is cached); the
/// imported bills' figures summed through the view (this app computed them, there is no
/// ledger entry).
pub(crate) const LEDGER_READS: [&str; 3] = [
    "SELECT json_group_array(json_array(month, method, category, grams, entries)) \
     FROM ledger_month_sums WHERE entries <> 0",
    "SELECT json_group_array(json_array(e.j, c.method, COALESCE(b.category, ''), c.grams)) \
     FROM edges e \
     JOIN carbon_entries c INDEXED BY carbon_sums_by_time \
         ON c.occurred_at >= e.lo AND c.occurred_at < e.hi \
     LEFT JOIN bills b INDEXED BY bills_status_by_id ON b.id = c.bill_id \
     WHERE b.status IS NULL OR b.status <> 'refunded'",
    "SELECT json_group_array(json_array(k, method, category, grams, entries)) FROM (SELECT \
         (SELECT i FROM months WHERE g.occurred_at >= s AND g.occurred_at < e) AS k, \
         g.carbon_method AS method, g.category AS category, SUM(g.carbon_g) AS grams, \
         COUNT(*) AS entries \
     FROM green_bills g \
     WHERE g.source = 'file' AND g.carbon_g IS NOT NULL AND g.carbon_method IS NOT NULL \
       AND g.status <> 'refunded' \
     GROUP BY 1, g.carbon_method, g.category)",
];

/// The ledger and the imported bills' figures summed by month of the bounds whose
/// boundaries are `edges`, method and category, bills refunded in full left out, from what
/// [`LEDGER_READS`] read.
pub(crate) fn ledger_sums_from(edges: &[Edge], read: [&str; 3]) -> Result<Vec<LedgerSum>> {
    type Key = (String, String);
    let [kept, edge_rows, rows] = read;
    let kept: Vec<KeptLedgerSums> = from_json(kept, "carbon sums by month")?;
    let edge_rows: Vec<(i64, String, String, i64)> = from_json(edge_rows, "carbon by month")?;
    let rows: Vec<LedgerRow> = from_json(rows, "imported carbon sums")?;
    let kept = kept.into_iter().map(|(month, method, category, grams, entries)| {
        (month, (method, category), [grams, entries])
    });
    let edge_rows = edge_rows.into_iter().map(|(j, method, category, grams)| {
        (usize::try_from(j).unwrap_or(usize::MAX), (method, category), [grams, 1])
    });

    let mut out = Vec::new();
    for (month, groups) in rolled_up::<Key>(edges, kept, edge_rows) {
        for ((method, category), [grams, entries]) in groups {
            if entries != 0 {
                let category = (!category.is_empty()).then_some(category);
                out.push(LedgerSum { month, method, category, grams, entries });
            }
        }
    }

    out.extend(rows.into_iter().map(|(month, method, category, grams, entries)| LedgerSum {
        month: month.and_then(|i| usize::try_from(i).ok()),
        method,
        category,
        grams,
        entries,
    }));
    Ok(out)
}

/// `grams` as the same as driving so many km in an average car and as so many kWh from
/// China's grid, each with its factor. A factor missing from the table drops its comparison.
pub fn equivalents(grams: i64) -> Vec<Equivalent> {
    let compare = |kind, id: &str, unit: &str, words: &dyn Fn(i64) -> String| {
        let factor = factors().get(id)?.clone();
        let amount = (grams as f64 / (factor.value * 1000.0)).round() as i64;
        let text = words(amount);
        Some(Equivalent { kind, amount, unit: unit.to_owned(), text, factor })
    };
    [
        compare(EquivalentKind::CarKm, CAR_KM_EQUIVALENT, "km", &|n| {
            format!("the same as driving {} km in an average car", thousands(n))
        }),
        compare(EquivalentKind::GridKwh, GRID_KWH_EQUIVALENT, "kWh", &|n| {
            format!("the CO2 of {} kWh of electricity from China's grid", thousands(n))
        }),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The carbon report as of `now`, with months taken in `tz`.
pub async fn report(pool: &SqlitePool, now: DateTime<Utc>, tz: Tz) -> Result<CarbonReport> {
    // One read transaction: a sync committing meanwhile cannot move a figure out of one read
    // and into none (a month briefly short, or negative).
    let mut snapshot = pool.begin().await?;
    let (oldest,): (Option<String>,) = sqlx::query_as(
        "SELECT MIN(at) FROM (SELECT MIN(occurred_at) AS at FROM green_bills \
         UNION ALL SELECT MIN(occurred_at) FROM carbon_entries)",
    )
    .fetch_one(&mut *snapshot)
    .await?;
    let count = match oldest {
        Some(at) => months_between(parse_instant(&at)?, now, tz),
        None => 1,
    };
    let months = recent_months(now, tz, count);
    let tally = tally(&mut *snapshot, &months, tz).await?;

    let by_month = months
        .into_iter()
        .zip(tally.by_month)
        .map(|(month, carbon)| CarbonMonth { month, carbon })
        .collect();
    let by_category = GreenCategory::ALL
        .into_iter()
        .map(|category| CarbonCategory {
            category,
            method: method_for(category).ok().map(|m| m.to_string()),
            carbon: tally.by_category.get(&category).cloned().unwrap_or_default(),
        })
        .collect();

    let (bills, api_g, local_g): (i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(carbon_g), 0), COALESCE(SUM(local_carbon_g), 0) \
         FROM bills WHERE local_carbon_g IS NOT NULL AND status <> 'refunded'",
    )
    .fetch_one(&mut *snapshot)
    .await?;
    snapshot.commit().await?;

    Ok(CarbonReport {
        time_zone: tz.name().to_owned(),
        equivalents: equivalents(tally.total.total_g),
        total: tally.total,
        by_month,
        by_category,
        recomputed: Recomputed { bills, api_g, local_g },
    })
}

/// How many calendar months of `tz` from the one holding `from` to the one holding `to`, both
/// counted; at least 1 and at most [`MAX_MONTHS`].
fn months_between(from: DateTime<Utc>, to: DateTime<Utc>, tz: Tz) -> u32 {
    let (a, b) = (from.with_timezone(&tz), to.with_timezone(&tz));
    let span = (b.year() - a.year()) * 12 + b.month() as i32 - a.month() as i32 + 1;
    span.clamp(1, MAX_MONTHS as i32) as u32
}

/// `61650` as `61,650`.
fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equivalents_divide_by_the_tables_factors() {
        // 10,290,000 g ÷ (0.16691 kg/km × 1000) = 61,650.05 km → 61,650 km.
        // 10,290,000 g ÷ (0.5366 kg/kWh × 1000) = 19,176.29 kWh → 19,176 kWh.
        let found = equivalents(10_290_000);

        assert_eq!(found.len(), 2);
        assert_eq!((found[0].kind, found[0].amount), (EquivalentKind::CarKm, 61_650));
        assert_eq!(found[0].text, "the same as driving 61,650 km in an average car");
        assert_eq!(found[0].factor.id, "uk-car-average-2024");
        assert_eq!(found[0].factor.licence, "Open Government Licence v3.0");
        assert_eq!((found[1].kind, found[1].amount), (EquivalentKind::GridKwh, 19_176));
        assert_eq!(found[1].factor.id, "cn-grid-2022");
    }

    #[test]
    fn months_between_counts_both_ends_in_the_users_zone() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().to_utc();
        let shanghai = chrono_tz::Asia::Shanghai;

        // 2024-12-31T20:00Z is already January 2025 in Shanghai.
        assert_eq!(
            months_between(at("2024-12-31T20:00:00Z"), at("2025-03-01T00:00:00Z"), shanghai),
            3
        );
        assert_eq!(
            months_between(at("2026-05-01T00:00:00Z"), at("2026-05-02T00:00:00Z"), Tz::UTC),
            1
        );
        assert_eq!(
            months_between(at("2027-01-01T00:00:00Z"), at("2026-05-02T00:00:00Z"), Tz::UTC),
            1
        );
    }

    #[test]
    fn split_adds_up() {
        let mut split = CarbonSplit::default();
        split.add_sum(1_725, 1, CarbonBasis::Measured);
        split.add_sum(5_458, 3, CarbonBasis::Estimated);

        assert_eq!((split.total_g, split.measured_g, split.estimated_g), (7_183, 1_725, 5_458));
        assert_eq!(split.entries, 4, "entries count every figure of each sum");
        assert_eq!(thousands(-1_234_567), "-1,234,567");
    }
}
