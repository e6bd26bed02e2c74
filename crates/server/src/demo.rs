//! The demo account: a household in Beijing (often in Shanghai) buying green for two years.
//!
//! The data lives in `assets/demo/catalog.json`: merchants and items per category, their price
//! ranges in fen, how often each category occurs per month, certification weights, and the
//! quantities the carbon methods need (km, kWh, the appliances' illustrative label kWh). This
//! module draws bills from it with one fixed seed and computes each bill's carbon figure with
//! [`greenmile_core::carbon`], the same code the client uses to explain it.
//!
//! Only timestamps depend on `now`: every bill sits a drawn offset before it, and the offers'
//! windows are whole days around it. Counts, amounts and grams do not, so tests can pin them.
//! Nothing drawn here touches the clock or a global random source.

use chrono::{DateTime, Duration, Utc};
use fastrand::Rng;
use greenmile_api::{
    Bill, BillStatus, CarbonEntry, Certification, GreenCategory, HeldInstalment, InstalmentPlan,
    Money, Offer, PlanKind, Subsidy, SubsidyPayer,
};
use greenmile_core::carbon::{self, Activity, CarbonError, Goods, TransitMode};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The catalog, compiled in so demo mode needs no files beside the binary.
const CATALOG_JSON: &str = include_str!("../../../assets/demo/catalog.json");

/// No bill is closer to `now` than this, so none can look like it is in the future.
const MIN_OFFSET_SECS: i64 = 60;

/// The demo account's three collections, ready to load into a store.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoData {
    /// Bills, oldest first, ids `b-00001`, `b-00002`, ...
    pub bills: Vec<Bill>,
    /// Offers `o-0001` ... in catalog order.
    pub offers: Vec<Offer>,
    /// One entry per bill that has a carbon figure, in bill order, ids `c-00001`, ...
    pub carbon: Vec<CarbonEntry>,
}

/// Whose green spending the demo shows. Each persona draws from the same catalog with its
/// own seed and its own rates per category, so each is as deterministic as the household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Persona {
    /// A household in Beijing, often in Shanghai: transit, bikes, an EV, appliances, food.
    #[default]
    Household,
    /// A student who commutes by metro, bus and shared bike and buys second-hand.
    Student,
    /// A driver of an electric car who charges several times a week and rarely takes transit.
    EvDriver,
}

impl Persona {
    /// Every persona, in the order the app lists them.
    pub const ALL: [Persona; 3] = [Persona::Household, Persona::Student, Persona::EvDriver];

    /// The snake_case name used on the command line and in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Persona::Household => "household",
            Persona::Student => "student",
            Persona::EvDriver => "ev_driver",
        }
    }

    /// The persona with this name, if there is one.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == name)
    }

    /// How much more (or less) often than the household this persona buys in `category`;
    /// 0 means never. The household's rates are the catalog's own.
    fn rate(self, category: GreenCategory) -> f64 {
        use GreenCategory::*;
        match (self, category) {
            (Persona::Household, _) => 1.0,
            (Persona::Student, PublicTransport) => 1.4,
            (Persona::Student, SharedBike) => 2.5,
            (Persona::Student, SecondHand) => 1.5,
            (Persona::Student, EvCharging | EnergyEfficientAppliance) => 0.0,
            (Persona::Student, GreenFood | Recycling) => 0.5,
            (Persona::EvDriver, EvCharging) => 3.0,
            (Persona::EvDriver, PublicTransport | SharedBike) => 0.25,
            (Persona::EvDriver, _) => 1.0,
        }
    }

    /// Mixed into the catalog's seed, so personas differ in more than their rates; the
    /// household's is 0, which keeps its data as it has always been.
    fn salt(self) -> u64 {
        match self {
            Persona::Household => 0,
            Persona::Student => 0x5eed_0001,
            Persona::EvDriver => 0x5eed_0002,
        }
    }
}

/// Builds the demo household as seen at `now`.
pub fn demo_dataset(now: DateTime<Utc>) -> DemoData {
    persona_dataset(Persona::Household, now)
}

/// Builds `persona`'s demo account as seen at `now`.
pub fn persona_dataset(persona: Persona, now: DateTime<Utc>) -> DemoData {
    build(now, persona)
        .expect("invariant: the compiled-in demo catalog is valid (tests::catalog_builds)")
}

/// Why the catalog could not be turned into data; only an edit to the catalog can cause it.
#[derive(Debug, thiserror::Error)]
enum DemoError {
    /// The catalog is not valid JSON of the expected shape.
    #[error("the demo catalog does not parse: {0}")]
    Parse(#[from] serde_json::Error),

    /// An item's quantities were refused by its carbon method.
    #[error("{item}: {source}")]
    Carbon {
        /// The catalog item.
        item: String,
        /// What the method refused.
        source: CarbonError,
    },

    /// A list to draw from is empty, or a range is reversed.
    #[error("the demo catalog has an unusable range or list: {0}")]
    Range(String),
}

#[derive(Debug, Deserialize)]
struct Catalog {
    seed: u64,
    days: i64,
    months: i64,
    refund_per_mille: u32,
    partial_refund_per_mille: u32,
    partial_refund_kept_percent: [i64; 2],
    categories: Vec<CategorySpec>,
    offers: Vec<OfferSpec>,
}

#[derive(Debug, Deserialize)]
struct CategorySpec {
    category: GreenCategory,
    /// Bills per month, drawn uniformly in this range; a fraction becomes a chance of one more.
    per_month: [f64; 2],
    partial_refunds: bool,
    certification: Vec<(Certification, u32)>,
    items: Vec<ItemSpec>,
}

#[derive(Debug, Deserialize)]
struct ItemSpec {
    weight: u32,
    merchant: String,
    name: String,
    activity: ItemActivity,
}

/// How an item is priced and what it tells a carbon method.
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum ItemActivity {
    Transit {
        mode: TransitMode,
        km: [f64; 2],
        fare_by_km: Vec<(f64, i64)>,
    },
    SharedBike {
        km: [f64; 2],
        fare_by_km: Vec<(f64, i64)>,
    },
    EvCharging {
        kwh: [f64; 2],
        fen_per_kwh: [i64; 2],
    },
    SecondHand {
        goods: Goods,
        price_fen: [i64; 2],
    },
    Appliance {
        price_fen: [i64; 2],
        certified_kwh_per_year: f64,
        baseline_kwh_per_year: f64,
        service_years: f64,
        #[allow(dead_code)] // Read by the tests: the kWh figures must be flagged as made up.
        illustrative: bool,
    },
    /// A green purchase no method can put a figure on (green food, recycling fees).
    Priced {
        price_fen: [i64; 2],
    },
}

#[derive(Debug, Deserialize)]
struct OfferSpec {
    merchant: String,
    product: String,
    category: GreenCategory,
    certification: Certification,
    price_fen: i64,
    valid_from_days: i64,
    valid_until_days: i64,
    plans: Vec<PlanSpec>,
}

#[derive(Debug, Deserialize)]
struct PlanSpec {
    months: u32,
    #[serde(flatten)]
    kind: PlanSpecKind,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum PlanSpecKind {
    InterestFree { subsidy: Option<SubsidySpec> },
    FeePerPeriod { fee_bp: u32 },
    AnnualRate { annual_rate_bp: u32 },
    FeeUpFront { fee_bp: u32 },
    EqualPrincipal { annual_rate_bp: u32 },
}

/// A subsidy is declared as the fee it waives; its value is that fee over the plan's term.
#[derive(Debug, Deserialize)]
struct SubsidySpec {
    payer: SubsidyPayer,
    waived_fee_bp: u32,
}

/// A bill before ids and timestamps are given out.
struct Draft {
    offset_secs: i64,
    merchant: String,
    item: String,
    category: GreenCategory,
    amount_fen: i64,
    certification: Certification,
    status: BillStatus,
    carbon: Option<carbon::Estimate>,
}

fn build(now: DateTime<Utc>, persona: Persona) -> Result<DemoData, DemoError> {
    let catalog: Catalog = serde_json::from_str(CATALOG_JSON)?;
    let mut rng = Rng::with_seed(catalog.seed ^ persona.salt());

    let mut drafts = Vec::new();
    for month in 0..catalog.months {
        for spec in &catalog.categories {
            let rate = persona.rate(spec.category);
            if rate == 0.0 {
                continue;
            }
            let [low, high] = spec.per_month;
            let count = draw_count(&mut rng, [low * rate, high * rate])?;
            for _ in 0..count {
                drafts.push(draft_bill(&mut rng, &catalog, spec, month)?);
            }
        }
    }
    // Oldest first, so ids rise with time; the sort is stable, so ties keep drawing order.
    drafts.sort_by_key(|d| std::cmp::Reverse(d.offset_secs));

    let mut bills = Vec::with_capacity(drafts.len());
    let mut entries = Vec::new();
    for (n, draft) in drafts.into_iter().enumerate() {
        let id = format!("b-{:05}", n + 1);
        let occurred_at = now - Duration::seconds(draft.offset_secs);

        if let Some(estimate) = &draft.carbon {
            entries.push(CarbonEntry {
                id: format!("c-{:05}", entries.len() + 1),
                bill_id: Some(id.clone()),
                grams: estimate.grams,
                method: estimate.method.to_string(),
                occurred_at,
                version: 1,
            });
        }
        bills.push(Bill {
            id,
            occurred_at,
            merchant: draft.merchant,
            item: draft.item,
            category: draft.category,
            amount: Money::cny(draft.amount_fen),
            certification: draft.certification,
            green_rule: None,
            carbon: draft.carbon.map(|e| e.figure()),
            status: draft.status,
            instalment: None,
            version: 1,
        });
    }
    hold_instalments(&mut bills);

    // A persona is offered what it buys; offers keep their catalog numbers.
    let offers = catalog
        .offers
        .iter()
        .enumerate()
        .filter(|(_, spec)| persona.rate(spec.category) > 0.0)
        .map(|(n, spec)| offer(n, spec, now))
        .collect();
    Ok(DemoData { bills, offers, carbon: entries })
}

/// The household pays for its larger appliances in instalments: 12 months interest-free and
/// 24 months at 4.80 % a year, alternately, the first instalment a month after the purchase
/// (in Beijing time). Draws nothing, so no other figure of the demo moves.
fn hold_instalments(bills: &mut [Bill]) {
    let larger_appliances = bills.iter_mut().filter(|b| {
        b.category == GreenCategory::EnergyEfficientAppliance
            && b.status == BillStatus::Posted
            && b.amount.minor >= 200_000
    });
    for (n, bill) in larger_appliances.enumerate() {
        let plan = if n % 2 == 0 {
            InstalmentPlan { months: 12, kind: PlanKind::InterestFree { subsidy: None } }
        } else {
            InstalmentPlan { months: 24, kind: PlanKind::AnnualRate { annual_rate_bp: 480 } }
        };
        let bought = (bill.occurred_at + Duration::hours(8)).date_naive();
        let Some(first_due) = bought.checked_add_months(chrono::Months::new(1)) else {
            continue;
        };
        bill.instalment = Some(HeldInstalment {
            offer_id: None,
            principal: bill.amount.clone(),
            plan,
            first_due,
        });
    }
}

/// Draws one bill of `spec`'s category inside month `month` (0 is the most recent).
fn draft_bill(
    rng: &mut Rng,
    catalog: &Catalog,
    spec: &CategorySpec,
    month: i64,
) -> Result<Draft, DemoError> {
    let window = catalog.days * 86_400 / catalog.months;
    let start = (month * window).max(MIN_OFFSET_SECS);
    let offset_secs = rng.i64(start..(month + 1) * window);

    let item = pick(rng, &spec.items, |i| i.weight)?;
    let (text, amount_fen, activity) = price(rng, item)?;
    let certification = pick(rng, &spec.certification, |c| c.1)?.0;

    let roll = rng.u32(0..1000);
    let status = if roll < catalog.refund_per_mille {
        BillStatus::Refunded
    } else if spec.partial_refunds
        && roll < catalog.refund_per_mille + catalog.partial_refund_per_mille
    {
        BillStatus::PartiallyRefunded
    } else {
        BillStatus::Posted
    };

    let amount_fen = match status {
        BillStatus::Posted => amount_fen,
        BillStatus::Refunded => 0,
        BillStatus::PartiallyRefunded => {
            let kept = draw_i64(rng, catalog.partial_refund_kept_percent)?;
            (amount_fen * kept + 50) / 100
        }
    };
    // The core's refund rule: nothing is saved by a full refund, and a spend-based figure
    // follows the money that was finally paid.
    let activity = activity.and_then(|a| carbon::after_refund(a, status, &Money::cny(amount_fen)));

    let carbon = activity
        .map(|a| carbon::estimate(&a))
        .transpose()
        .map_err(|source| DemoError::Carbon { item: item.name.clone(), source })?;

    Ok(Draft {
        offset_secs,
        merchant: item.merchant.clone(),
        item: text,
        category: spec.category,
        amount_fen,
        certification,
        status,
        carbon,
    })
}

/// Draws an item's quantities and price: the bill's item text, its amount, and its activity.
fn price(rng: &mut Rng, item: &ItemSpec) -> Result<(String, i64, Option<Activity>), DemoError> {
    Ok(match &item.activity {
        ItemActivity::Transit { mode, km, fare_by_km } => {
            let km = draw_tenths(rng, *km)?;
            let fare = fare(fare_by_km, km, &item.name)?;
            (format!("{} {km:.1} km", item.name), fare, Some(Activity::Transit { mode: *mode, km }))
        }

        ItemActivity::SharedBike { km, fare_by_km } => {
            let km = draw_tenths(rng, *km)?;
            let fare = fare(fare_by_km, km, &item.name)?;
            (format!("{} {km:.1} km", item.name), fare, Some(Activity::SharedBike { km }))
        }

        ItemActivity::EvCharging { kwh, fen_per_kwh } => {
            let kwh = draw_tenths(rng, *kwh)?;
            let rate = draw_i64(rng, *fen_per_kwh)?;
            let amount = (kwh * rate as f64).round() as i64;
            (format!("{} {kwh:.1} kWh", item.name), amount, Some(Activity::EvCharging { kwh }))
        }

        ItemActivity::SecondHand { goods, price_fen } => {
            let amount = draw_price(rng, *price_fen)?;
            let activity = Activity::SecondHand { spend: Money::cny(amount), goods: *goods };
            (item.name.clone(), amount, Some(activity))
        }

        ItemActivity::Appliance {
            price_fen,
            certified_kwh_per_year,
            baseline_kwh_per_year,
            service_years,
            ..
        } => {
            let amount = draw_price(rng, *price_fen)?;
            let activity = Activity::Appliance {
                baseline_kwh_per_year: *baseline_kwh_per_year,
                certified_kwh_per_year: *certified_kwh_per_year,
                service_years: *service_years,
            };
            (item.name.clone(), amount, Some(activity))
        }

        ItemActivity::Priced { price_fen } => {
            (item.name.clone(), draw_price(rng, *price_fen)?, None)
        }
    })
}

fn offer(n: usize, spec: &OfferSpec, now: DateTime<Utc>) -> Offer {
    let plans = spec
        .plans
        .iter()
        .map(|plan| {
            let kind = match &plan.kind {
                PlanSpecKind::InterestFree { subsidy } => PlanKind::InterestFree {
                    subsidy: subsidy.as_ref().map(|s| Subsidy {
                        payer: s.payer,
                        value: Money::cny(waived_fee(spec.price_fen, s.waived_fee_bp, plan.months)),
                    }),
                },
                PlanSpecKind::FeePerPeriod { fee_bp } => PlanKind::FeePerPeriod { fee_bp: *fee_bp },
                PlanSpecKind::AnnualRate { annual_rate_bp } => {
                    PlanKind::AnnualRate { annual_rate_bp: *annual_rate_bp }
                }
                PlanSpecKind::FeeUpFront { fee_bp } => PlanKind::FeeUpFront { fee_bp: *fee_bp },
                PlanSpecKind::EqualPrincipal { annual_rate_bp } => {
                    PlanKind::EqualPrincipal { annual_rate_bp: *annual_rate_bp }
                }
            };
            InstalmentPlan { months: plan.months, kind }
        })
        .collect();

    Offer {
        id: format!("o-{:04}", n + 1),
        merchant: spec.merchant.clone(),
        product: spec.product.clone(),
        category: spec.category,
        certification: spec.certification,
        price: Money::cny(spec.price_fen),
        plans,
        valid_from: now + Duration::days(spec.valid_from_days),
        valid_until: now + Duration::days(spec.valid_until_days),
        version: 1,
    }
}

/// The fee a buyer would have paid on `price` at `fee_bp` per month for `months`, to the fen.
fn waived_fee(price_fen: i64, fee_bp: u32, months: u32) -> i64 {
    (price_fen * i64::from(fee_bp) * i64::from(months) + 5_000) / 10_000
}

/// The fare for `km`: the first step whose distance covers it (the last step caps it).
fn fare(steps: &[(f64, i64)], km: f64, item: &str) -> Result<i64, DemoError> {
    steps
        .iter()
        .find(|(up_to, _)| km <= *up_to)
        .or(steps.last())
        .map(|(_, fen)| *fen)
        .ok_or_else(|| DemoError::Range(format!("{item} has no fares")))
}

/// How many bills a month has: a uniform draw in `range`, its fraction a chance of one more.
fn draw_count(rng: &mut Rng, [low, high]: [f64; 2]) -> Result<u32, DemoError> {
    if !(0.0 <= low && low <= high) {
        return Err(DemoError::Range(format!("per_month [{low}, {high}]")));
    }
    let mean = low + rng.f64() * (high - low);
    let extra = rng.f64() < mean.fract();
    Ok(mean.trunc() as u32 + u32::from(extra))
}

/// A quantity with one decimal, uniform in `range`.
fn draw_tenths(rng: &mut Rng, [low, high]: [f64; 2]) -> Result<f64, DemoError> {
    let (low, high) = ((low * 10.0).round() as i64, (high * 10.0).round() as i64);
    Ok(draw_i64(rng, [low, high])? as f64 / 10.0)
}

/// A price in fen, uniform in `range` and ending in 0 like a shop price.
fn draw_price(rng: &mut Rng, [low, high]: [i64; 2]) -> Result<i64, DemoError> {
    Ok(draw_i64(rng, [low / 10, high / 10])? * 10)
}

fn draw_i64(rng: &mut Rng, [low, high]: [i64; 2]) -> Result<i64, DemoError> {
    if low > high {
        return Err(DemoError::Range(format!("[{low}, {high}]")));
    }
    Ok(rng.i64(low..=high))
}

/// Picks one of `items` with probability proportional to `weight`.
fn pick<'a, T>(
    rng: &mut Rng,
    items: &'a [T],
    weight: impl Fn(&T) -> u32,
) -> Result<&'a T, DemoError> {
    let total: u32 = items.iter().map(&weight).sum();
    if total == 0 {
        return Err(DemoError::Range("a weighted list is empty or all zero".to_owned()));
    }

    let mut roll = rng.u32(0..total);
    for item in items {
        let w = weight(item);
        if roll < w {
            return Ok(item);
        }
        roll -= w;
    }
    Err(DemoError::Range("weights changed while picking".to_owned()))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use chrono::TimeZone;

    use super::*;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 8, 30, 0).unwrap()
    }

    #[test]
    fn catalog_builds() {
        let catalog: Catalog = serde_json::from_str(CATALOG_JSON).unwrap();
        for persona in Persona::ALL {
            build(at(2026, 5, 1), persona).unwrap();
        }

        for spec in &catalog.categories {
            for item in &spec.items {
                if let ItemActivity::Appliance { illustrative, .. } = item.activity {
                    assert!(illustrative, "{}: appliance kWh are marked illustrative", item.name);
                }
            }
        }
    }

    #[test]
    fn exact_counts_and_totals() {
        let data = demo_dataset(at(2026, 5, 1));

        assert_eq!(data.bills.len(), 1817, "bill count is fixed by the seed");
        assert_eq!(data.offers.len(), 24, "24 offers");
        assert_eq!(data.carbon.len(), 1661, "one carbon entry per bill with a figure");
        let grams: i64 = data.carbon.iter().map(|c| c.grams).sum();
        let fen: i64 = data.bills.iter().map(|b| b.amount.minor).sum();
        assert_eq!(grams, 10_290_000, "total grams are fixed by the seed");
        assert_eq!(fen, 10_343_266, "total spend is fixed by the seed");
    }

    #[test]
    fn only_timestamps_depend_on_now() {
        let (early, late) = (at(2025, 1, 15), at(2026, 7, 3));
        let (a, b) = (demo_dataset(early), demo_dataset(late));

        assert_eq!(a.bills.len(), b.bills.len());
        assert_eq!(a.carbon.len(), b.carbon.len());
        for (x, y) in a.bills.iter().zip(&b.bills) {
            assert_eq!(
                (&x.id, &x.amount, &x.carbon, x.status),
                (&y.id, &y.amount, &y.carbon, y.status)
            );
            assert_eq!(early - x.occurred_at, late - y.occurred_at, "{} keeps its age", x.id);
        }
        for (x, y) in a.carbon.iter().zip(&b.carbon) {
            assert_eq!((&x.id, x.grams, &x.method), (&y.id, y.grams, &y.method));
        }
        for (x, y) in a.offers.iter().zip(&b.offers) {
            assert_eq!((&x.price, &x.plans), (&y.price, &y.plans));
        }
    }

    #[test]
    fn bills_are_in_the_last_two_years_oldest_first() {
        let now = at(2026, 5, 1);
        let data = demo_dataset(now);

        for bill in &data.bills {
            assert!(bill.occurred_at < now, "{} is not in the future", bill.id);
            assert!(now - bill.occurred_at < Duration::days(730), "{} is within 730 days", bill.id);
        }
        assert!(data.bills.windows(2).all(|w| w[0].occurred_at <= w[1].occurred_at));
        let ids: HashSet<&str> = data.bills.iter().map(|b| b.id.as_str()).collect();
        assert_eq!(ids.len(), data.bills.len(), "bill ids are unique");
        assert_eq!(data.bills[0].id, "b-00001");
    }

    #[test]
    fn every_category_status_and_certification_occurs() {
        let data = demo_dataset(at(2026, 5, 1));

        for category in GreenCategory::ALL {
            assert!(data.bills.iter().any(|b| b.category == category), "{category:?} present");
        }
        for status in [BillStatus::Posted, BillStatus::PartiallyRefunded, BillStatus::Refunded] {
            assert!(data.bills.iter().any(|b| b.status == status), "{status:?} present");
        }
        for level in [
            Certification::Unverified,
            Certification::SelfDeclared,
            Certification::PlatformReviewed,
            Certification::FinanceCertified,
        ] {
            assert!(data.bills.iter().any(|b| b.certification == level), "{level:?} present");
        }
    }

    #[test]
    fn carbon_is_absent_where_no_method_applies_or_the_bill_was_refunded() {
        let data = demo_dataset(at(2026, 5, 1));

        for bill in &data.bills {
            let no_method =
                matches!(bill.category, GreenCategory::GreenFood | GreenCategory::Recycling);
            if no_method || bill.status == BillStatus::Refunded {
                assert_eq!(bill.carbon, None, "{} has no figure, not a zero", bill.id);
            } else {
                assert!(bill.carbon.is_some(), "{} has a figure", bill.id);
            }
            if bill.status == BillStatus::Refunded {
                assert_eq!(bill.amount.minor, 0, "{} refunded in full pays nothing", bill.id);
            }
            assert_eq!(bill.amount.currency, "CNY");
            assert_eq!(bill.version, 1);
        }
    }

    #[test]
    fn carbon_entries_mirror_the_bills() {
        let data = demo_dataset(at(2026, 5, 1));
        let with_figure: Vec<&Bill> = data.bills.iter().filter(|b| b.carbon.is_some()).collect();

        assert_eq!(data.carbon.len(), with_figure.len());
        for (n, (entry, bill)) in data.carbon.iter().zip(with_figure).enumerate() {
            let figure = bill.carbon.as_ref().unwrap();
            assert_eq!(entry.id, format!("c-{:05}", n + 1));
            assert_eq!(entry.bill_id.as_deref(), Some(bill.id.as_str()));
            assert_eq!((entry.grams, &entry.method), (figure.grams, &figure.method));
            assert_eq!(entry.occurred_at, bill.occurred_at);
        }
    }

    #[test]
    fn every_figure_carries_a_trace_that_recomputes_it_after_the_wire() {
        let data = demo_dataset(at(2026, 5, 1));

        for bill in data.bills.iter().filter(|b| b.carbon.is_some()) {
            let json = serde_json::to_string(bill).unwrap();
            let read: Bill = serde_json::from_str(&json).unwrap();
            assert_eq!(&read, bill, "{} survives the wire unchanged, factor values too", bill.id);

            let figure = read.carbon.unwrap();
            let trace = figure.trace.as_ref().expect("every demo figure has its trace");
            let activity =
                carbon::after_refund((&trace.activity).into(), read.status, &read.amount)
                    .expect("a bill with a figure was not refunded in full");
            let again = carbon::estimate(&activity).unwrap().figure();
            assert_eq!(again, figure, "{}: the trace recomputes to the same figure", bill.id);
        }
    }

    #[test]
    fn partial_refunds_scale_spend_based_figures() {
        let data = demo_dataset(at(2026, 5, 1));
        let partial: Vec<&Bill> =
            data.bills.iter().filter(|b| b.status == BillStatus::PartiallyRefunded).collect();

        assert!(!partial.is_empty());
        for bill in partial {
            assert!(bill.amount.minor > 0, "{} still paid something", bill.id);
            if bill.category == GreenCategory::SecondHand {
                // The figure must be the one for the net amount paid.
                let item = bill.item.as_str();
                let goods = second_hand_goods(item);
                let expected =
                    carbon::estimate(&Activity::SecondHand { spend: bill.amount.clone(), goods })
                        .unwrap();
                assert_eq!(bill.carbon.as_ref().unwrap().grams, expected.grams, "{}", bill.id);
            }
        }
    }

    fn second_hand_goods(item: &str) -> Goods {
        let catalog: Catalog = serde_json::from_str(CATALOG_JSON).unwrap();
        catalog
            .categories
            .iter()
            .flat_map(|c| &c.items)
            .find_map(|i| match i.activity {
                ItemActivity::SecondHand { goods, .. } if i.name == item => Some(goods),
                _ => None,
            })
            .unwrap()
    }

    #[test]
    fn offers_cover_every_plan_kind() {
        let now = at(2026, 5, 1);
        let data = demo_dataset(now);

        assert_eq!(data.offers[0].id, "o-0001");
        assert_eq!(data.offers.iter().filter(|o| o.valid_until < now).count(), 2, "two expired");
        assert!(data.offers.iter().all(|o| (1..=3).contains(&o.plans.len())));
        let plans: Vec<&PlanKind> =
            data.offers.iter().flat_map(|o| &o.plans).map(|p| &p.kind).collect();
        for payer in [SubsidyPayer::Merchant, SubsidyPayer::Platform, SubsidyPayer::Bank] {
            assert!(plans.iter().any(|k| matches!(
                k,
                PlanKind::InterestFree { subsidy: Some(s) } if s.payer == payer && s.value.minor > 0
            )));
        }
        assert!(plans.iter().any(|k| matches!(k, PlanKind::InterestFree { subsidy: None })));
        assert!(plans.iter().any(|k| matches!(k, PlanKind::FeePerPeriod { .. })));
        assert!(plans.iter().any(|k| matches!(k, PlanKind::AnnualRate { .. })));
        assert!(plans.iter().any(|k| matches!(k, PlanKind::FeeUpFront { .. })));
        assert!(plans.iter().any(|k| matches!(k, PlanKind::EqualPrincipal { .. })));

        // ¥4,999.00 × 0.60 % × 12 months = ¥359.93 the merchant pays the lender.
        let fridge = &data.offers[0].plans[0].kind;
        let value = match fridge {
            PlanKind::InterestFree { subsidy: Some(s) } => s.value.minor,
            other => panic!("the first plan is interest-free with a subsidy, got {other:?}"),
        };
        assert_eq!(value, 35_993);
    }
}
