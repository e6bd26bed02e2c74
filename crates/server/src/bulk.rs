//! Volume for benchmarks: a deterministic store of any size.
//!
//! [`dataset`] draws `bills` bills, `offers` offers and `carbon` ledger entries from a handful
//! of templates with one fixed seed, so two runs of the same size hold the same rows. Every
//! bill has a carbon figure computed by [`greenmile_core::carbon`] (the client's own methods,
//! with their traces), and ledger entry *n* records bill *n*'s figure, so the ledger's total
//! equals the sum over the bills it covers. Bills rise in time with their ids and spread over
//! two years before `now`, as a change feed read from the start delivers them.
//!
//! [`Store::seed_bulk`](crate::Store::seed_bulk) writes the lot in one transaction with
//! multi-row inserts; `greenmile-server --bulk BILLS,OFFERS,CARBON` does the same from a
//! terminal.

use std::str::FromStr;

use chrono::{DateTime, Duration, Utc};
use fastrand::Rng;
use greenmile_api::{
    Bill, BillStatus, CarbonEntry, Certification, GreenCategory, InstalmentPlan, Money, Offer,
    PlanKind,
};
use greenmile_core::carbon::{self, Activity, Goods, TransitMode};

use crate::demo::DemoData;

/// The seed of every bulk store.
const SEED: u64 = 20_261_204;

/// How far back the bills reach.
const SPAN_SECS: i64 = 2 * 365 * 86_400;

/// How many rows of each collection to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Volume {
    /// Bills.
    pub bills: usize,
    /// Instalment offers.
    pub offers: usize,
    /// Carbon ledger entries; at most one per bill.
    pub carbon: usize,
}

impl FromStr for Volume {
    type Err = String;

    /// Reads `BILLS,OFFERS,CARBON`, such as `100000,10000,100000`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        let [bills, offers, carbon] = parts.as_slice() else {
            return Err(format!("{text:?} is not BILLS,OFFERS,CARBON"));
        };
        let count = |what: &str, n: &str| {
            n.parse::<usize>().map_err(|_| format!("{what} {n:?} is not a whole number"))
        };
        let volume = Volume {
            bills: count("bills", bills)?,
            offers: count("offers", offers)?,
            carbon: count("carbon", carbon)?,
        };
        if volume.carbon > volume.bills {
            return Err(format!(
                "{} carbon entries for {} bills: each entry records one bill's saving",
                volume.carbon, volume.bills
            ));
        }
        Ok(volume)
    }
}

/// What a bill template draws: merchant, item, category and the activity behind its figure.
struct Template {
    merchant: &'static str,
    item: &'static str,
    category: GreenCategory,
    kind: Kind,
}

#[derive(Clone, Copy)]
enum Kind {
    Transit(TransitMode),
    Bike,
    Charging,
    SecondHand(Goods),
    Appliance { baseline: f64, certified: f64, years: f64 },
}

const TEMPLATES: [Template; 10] = [
    Template {
        merchant: "北京地铁",
        item: "地铁出行",
        category: GreenCategory::PublicTransport,
        kind: Kind::Transit(TransitMode::Metro),
    },
    Template {
        merchant: "上海地铁",
        item: "地铁出行",
        category: GreenCategory::PublicTransport,
        kind: Kind::Transit(TransitMode::Metro),
    },
    Template {
        merchant: "北京公交",
        item: "公交出行",
        category: GreenCategory::PublicTransport,
        kind: Kind::Transit(TransitMode::Bus),
    },
    Template {
        merchant: "Shanghai Metro",
        item: "Line 2 ride",
        category: GreenCategory::PublicTransport,
        kind: Kind::Transit(TransitMode::Metro),
    },
    Template {
        merchant: "哈啰单车",
        item: "骑行",
        category: GreenCategory::SharedBike,
        kind: Kind::Bike,
    },
    Template {
        merchant: "美团单车",
        item: "骑行",
        category: GreenCategory::SharedBike,
        kind: Kind::Bike,
    },
    Template {
        merchant: "特来电",
        item: "充电",
        category: GreenCategory::EvCharging,
        kind: Kind::Charging,
    },
    Template {
        merchant: "闲鱼",
        item: "二手实木书桌",
        category: GreenCategory::SecondHand,
        kind: Kind::SecondHand(Goods::Furniture),
    },
    Template {
        merchant: "多抓鱼",
        item: "二手书",
        category: GreenCategory::SecondHand,
        kind: Kind::SecondHand(Goods::Books),
    },
    Template {
        merchant: "海尔",
        item: "海尔 一级能效 对开门冰箱",
        category: GreenCategory::EnergyEfficientAppliance,
        kind: Kind::Appliance { baseline: 380.0, certified: 230.0, years: 12.0 },
    },
];

/// Draws the bulk store as seen at `now`.
pub fn dataset(volume: Volume, now: DateTime<Utc>) -> DemoData {
    let mut rng = Rng::with_seed(SEED);
    let step = (SPAN_SECS / volume.bills.max(1) as i64).max(1);

    let mut bills = Vec::with_capacity(volume.bills);
    let mut carbon = Vec::with_capacity(volume.carbon);
    for n in 0..volume.bills {
        let template = &TEMPLATES[rng.usize(..TEMPLATES.len())];
        // At least one second back, and a minute more, so no bill lies in the future.
        let back = SPAN_SECS - n as i64 * step - rng.i64(0..step);
        let occurred_at = now - Duration::seconds(60 + back);
        let (item, amount, activity) = draw(&mut rng, template);
        let estimate = carbon::estimate(&activity)
            .expect("invariant: every template's quantities lie in its method's range");

        let id = format!("bk-{:07}", n + 1);
        if n < volume.carbon {
            carbon.push(CarbonEntry {
                id: format!("ck-{:07}", n + 1),
                bill_id: Some(id.clone()),
                grams: estimate.grams,
                method: estimate.method.to_string(),
                occurred_at,
                version: 1,
            });
        }
        bills.push(Bill {
            green_rule: None,
            id,
            occurred_at,
            merchant: template.merchant.to_owned(),
            item,
            category: template.category,
            amount: Money::cny(amount),
            certification: [
                Certification::FinanceCertified,
                Certification::PlatformReviewed,
                Certification::SelfDeclared,
            ][n % 3],
            carbon: Some(estimate.figure()),
            status: BillStatus::Posted,
            instalment: None,
            version: 1,
        });
    }

    let offers = (0..volume.offers).map(|n| offer(&mut rng, n, now)).collect();
    DemoData { bills, offers, carbon }
}

/// A template's item text, amount in fen and activity, with drawn quantities.
fn draw(rng: &mut Rng, template: &Template) -> (String, i64, Activity) {
    let tenths = |rng: &mut Rng, low: u32, high: u32| f64::from(rng.u32(low..=high)) / 10.0;
    match template.kind {
        Kind::Transit(mode) => {
            let km = tenths(rng, 15, 300);
            let fare = 200 + 100 * (km / 8.0).floor() as i64;
            (format!("{} {km:.1} km", template.item), fare, Activity::Transit { mode, km })
        }
        Kind::Bike => {
            let km = tenths(rng, 6, 55);
            let fare = if km <= 3.0 { 150 } else { 300 };
            (format!("{} {km:.1} km", template.item), fare, Activity::SharedBike { km })
        }
        Kind::Charging => {
            let kwh = tenths(rng, 120, 550);
            let amount = (kwh * 150.0).round() as i64;
            (format!("{} {kwh:.1} kWh", template.item), amount, Activity::EvCharging { kwh })
        }
        Kind::SecondHand(goods) => {
            let amount = rng.i64(1_200..=120_000);
            let spend = Money::cny(amount);
            (template.item.to_owned(), amount, Activity::SecondHand { spend, goods })
        }
        Kind::Appliance { baseline, certified, years } => {
            let amount = rng.i64(329_900..=599_900);
            let activity = Activity::Appliance {
                baseline_kwh_per_year: baseline,
                certified_kwh_per_year: certified,
                service_years: years,
            };
            (template.item.to_owned(), amount, activity)
        }
    }
}

/// Offer `n`: an appliance with three plans, one of each pricing the instalment maths knows.
fn offer(rng: &mut Rng, n: usize, now: DateTime<Utc>) -> Offer {
    let price = rng.i64(100_000..=1_000_000);
    let months = [3, 6, 12, 24][n % 4];
    let plans = vec![
        InstalmentPlan { months, kind: PlanKind::InterestFree { subsidy: None } },
        InstalmentPlan { months, kind: PlanKind::FeePerPeriod { fee_bp: rng.u32(30..=90) } },
        InstalmentPlan {
            months: months * 2,
            kind: PlanKind::AnnualRate { annual_rate_bp: rng.u32(300..=1_800) },
        },
        InstalmentPlan {
            months,
            kind: PlanKind::EqualPrincipal { annual_rate_bp: rng.u32(300..=1_800) },
        },
    ];
    Offer {
        id: format!("ok-{:06}", n + 1),
        merchant: ["海尔", "美的", "格力", "Midea Global"][n % 4].to_owned(),
        product: format!("一级能效 冰箱 型号 {}", n + 1),
        category: GreenCategory::EnergyEfficientAppliance,
        certification: Certification::FinanceCertified,
        price: Money::cny(price),
        plans,
        valid_from: now - Duration::days(30),
        valid_until: now + Duration::days(60 + (n % 30) as i64),
        version: 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volumes_read_from_text() {
        let v: Volume = "100000, 10000,100000".parse().unwrap();
        assert_eq!(v, Volume { bills: 100_000, offers: 10_000, carbon: 100_000 });
        assert!("1,2".parse::<Volume>().is_err(), "three counts are needed");
        assert!("1,2,3".parse::<Volume>().is_err(), "more entries than bills");
        assert!("a,2,0".parse::<Volume>().is_err(), "counts are numbers");
    }

    #[test]
    fn the_same_volume_gives_the_same_rows_and_the_ledger_matches_the_bills() {
        let now = DateTime::parse_from_rfc3339("2026-12-04T08:00:00Z").unwrap().to_utc();
        let volume = Volume { bills: 500, offers: 20, carbon: 300 };
        let a = dataset(volume, now);
        assert_eq!(a, dataset(volume, now), "deterministic");
        assert_eq!((a.bills.len(), a.offers.len(), a.carbon.len()), (500, 20, 300));

        let bill_grams: i64 =
            a.bills.iter().take(300).map(|b| b.carbon.as_ref().map_or(0, |c| c.grams)).sum();
        let ledger: i64 = a.carbon.iter().map(|c| c.grams).sum();
        assert_eq!(ledger, bill_grams, "entry n records bill n's figure");
        assert!(a.bills.windows(2).all(|w| w[0].occurred_at < w[1].occurred_at), "time rises");
        assert!(a.bills.iter().all(|b| b.occurred_at < now), "nothing in the future");
        for offer in &a.offers {
            for plan in &offer.plans {
                greenmile_core::instalment::validate(offer.price.minor, plan)
                    .expect("every generated plan is one the client accepts");
            }
        }
    }
}
