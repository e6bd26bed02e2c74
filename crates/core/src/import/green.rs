//! Green recognition of imported bills: the rules in `assets/green/rules.json`, and the carbon
//! inputs a rule can read from an export row.
//!
//! The rules are data, compiled in and parsed once. [`recognise`] runs them over one expense
//! and returns a [`Recognition`]: the category, the certification an import may claim, the ids
//! of the rules behind it, and the inputs of a carbon method when the row holds them. Carbon
//! is worked out later, by [`carbon_at`], because it depends on how much of the purchase was
//! finally kept after refunds: the inputs are stored at the purchase's full size and scaled by
//! the share kept. A bill with no inputs has unknown carbon (`None`), never zero.

use std::sync::LazyLock;

use greenmile_api::{
    BillStatus, CarbonFigure, Certification, GreenCategory, Money, SecondHandGoods as Goods,
    TransitMode,
};
use serde::{Deserialize, Serialize};

use crate::carbon::{self, Activity};

const RULES_JSON: &str = include_str!("../../../../assets/green/rules.json");

static RULES: LazyLock<RuleSet> = LazyLock::new(|| {
    RuleSet::from_json(RULES_JSON)
        .expect("invariant: the compiled-in rules.json is valid (tests::rules_parse)")
});

/// The rule file: a taxonomy and the rules, in the order they are tried.
#[derive(Debug, Clone, Deserialize)]
pub struct RuleSet {
    /// The file's version; rises when a rule's meaning changes.
    pub version: u32,
    /// What each category covers, by its wire name.
    pub taxonomy: std::collections::BTreeMap<String, String>,
    /// The rules.
    pub rules: Vec<Rule>,
}

/// One way of recognising a green expense.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable id, stored with every bill the rule recognised.
    pub id: String,
    /// The category it recognises.
    pub category: GreenCategory,
    /// What an import can claim; `self_declared` when not given.
    #[serde(default)]
    pub certification: Option<Certification>,
    /// Keywords looked for in the merchant.
    #[serde(default)]
    pub merchant: Vec<String>,
    /// Keywords looked for in the item.
    #[serde(default)]
    pub item: Vec<String>,
    /// Keywords looked for in the platform's own category.
    #[serde(default)]
    pub platform_category: Vec<String>,
    /// Merchant category codes that match outright.
    #[serde(default)]
    pub mcc: Vec<String>,
    /// Words in the merchant or item that rule the match out.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// How to read a carbon method's inputs from the row, when it can be done.
    #[serde(default)]
    pub carbon: Option<CarbonRule>,
    /// What the rule rests on.
    pub evidence: String,
}

/// How a rule finds a carbon method's inputs in a row.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum CarbonRule {
    /// The distance stated in the item (`12.4 km`, `12.4公里`).
    Transit {
        /// Metro or bus.
        mode: TransitMode,
    },
    /// The distance stated in the item, or else the fare divided by a stated price per km.
    SharedBikeFare {
        /// Fen of fare per km ridden (the rule's evidence says where it comes from).
        fen_per_km: i64,
    },
    /// The energy stated in the item (`30.5度`, `30.5 kWh`).
    EvCharging,
    /// The spend, with the kind of goods named by the first keyword found in the item.
    SecondHandSpend {
        /// Keyword and the goods it names, in order.
        goods: Vec<(String, Goods)>,
    },
}

/// A carbon method's inputs at the purchase's full size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CarbonInput {
    /// A trip of `km` by `mode`.
    Transit {
        /// Metro or bus.
        mode: TransitMode,
        /// The distance.
        km: f64,
    },
    /// A ride of `km`, as the item states it.
    SharedBike {
        /// The distance.
        km: f64,
    },
    /// A ride whose distance follows from the fare kept, at a stated price per km.
    SharedBikeFare {
        /// Fen of fare per km ridden.
        fen_per_km: i64,
    },
    /// `kwh` charged.
    EvCharging {
        /// The energy.
        kwh: f64,
    },
    /// Goods bought second-hand; the spend is the amount kept.
    SecondHand {
        /// The kind of goods.
        goods: Goods,
    },
}

/// The largest quantities one purchase can state: a metro or bus ride of 300 km is already
/// longer than any line; a shared bike is rented by the hour; the biggest passenger-car
/// batteries hold about 200 kWh.
const MAX_TRANSIT_KM: f64 = 300.0;
const MAX_BIKE_KM: f64 = 100.0;
const MAX_CHARGE_KWH: f64 = 250.0;

impl CarbonInput {
    /// Why the quantity the row states cannot be one purchase's, if it cannot: a figure
    /// computed from it would be absurd, so the row is refused rather than counted.
    pub fn implausible(&self) -> Option<String> {
        let (quantity, unit, most, what) = match self {
            CarbonInput::Transit { km, .. } => (*km, "km", MAX_TRANSIT_KM, "a metro or bus ride"),
            CarbonInput::SharedBike { km } => (*km, "km", MAX_BIKE_KM, "a shared-bike ride"),
            CarbonInput::EvCharging { kwh } => (*kwh, "kWh", MAX_CHARGE_KWH, "one charge"),
            CarbonInput::SharedBikeFare { .. } | CarbonInput::SecondHand { .. } => return None,
        };
        (!quantity.is_finite() || quantity <= 0.0 || quantity > most).then(|| {
            format!("the item states {quantity} {unit}, more than {what} can be ({most} at most)")
        })
    }
}

/// The most one bill of each green category can be, in fen. A figure above its cap is a
/// typo, a damaged cell or a test row, and counting it would swamp every total it joins.
///
/// - Public transport, ¥1,000: a metro or bus fare is a few yuan even across a whole city;
///   the largest bill the category holds is a top-up of a stored-value transit card, and
///   Beijing's and Shanghai's cards hold at most ¥1,000.
/// - Shared bikes, ¥500: a ride costs a few yuan and the longest ride passes a few hundred.
/// - EV charging, ¥5,000: one charge of the largest battery ([`MAX_CHARGE_KWH`]) at a public
///   tariff with its service fee (under ¥3 a kWh) is below ¥1,000; prepaid top-ups of an
///   operator's account stay in the low thousands.
/// - Anything else, ¥1,000,000: appliances, food, recycling and second-hand goods (the rules
///   leave out cars and homes) never come near a million yuan in one bill, and neither does a
///   bill whose category is ambiguous.
const MAX_TRANSIT_FEN: i64 = 1_000 * 100;
const MAX_BIKE_FEN: i64 = 500 * 100;
const MAX_CHARGING_FEN: i64 = 5_000 * 100;
const MAX_CONSUMER_FEN: i64 = 1_000_000 * 100;

/// Why `gross` cannot be one bill of the recognised category, if it cannot: like a quantity
/// no purchase can state ([`CarbonInput::implausible`]), the row is refused rather than
/// counted. Only yuan are capped; every export GreenMile reads is in yuan.
pub fn implausible_amount(recognition: &Recognition, gross: &Money) -> Option<String> {
    if gross.currency != super::amount::CURRENCY {
        return None;
    }
    let (most, what) = match recognition.category {
        Some(GreenCategory::PublicTransport) => {
            (MAX_TRANSIT_FEN, "a metro, bus or transit-card bill")
        }
        Some(GreenCategory::SharedBike) => (MAX_BIKE_FEN, "a shared-bike ride or pass"),
        Some(GreenCategory::EvCharging) => (MAX_CHARGING_FEN, "one EV charge"),
        Some(_) | None => (MAX_CONSUMER_FEN, "a single consumer bill"),
    };
    (gross.minor > most).then(|| {
        format!(
            "the amount is {}, more than {what} can be ({} at most)",
            yuan(gross.minor),
            yuan(most)
        )
    })
}

/// Fen as yuan after the yen sign, such as `¥1000.00`.
fn yuan(fen: i64) -> String {
    format!("¥{}.{:02}", fen / 100, fen % 100)
}

/// What the rules say about one expense.
#[derive(Debug, Clone, PartialEq)]
pub struct Recognition {
    /// The category, when exactly one category's rules matched.
    pub category: Option<GreenCategory>,
    /// What may be claimed: `unverified` when the match is ambiguous.
    pub certification: Certification,
    /// The matching rules' ids, joined with `+` when more than one category matched.
    pub rule_id: String,
    /// The carbon method's inputs, when the row holds them.
    pub carbon_input: Option<CarbonInput>,
}

impl Recognition {
    /// Whether the bill counts as green: one category and a claim better than unverified.
    pub fn is_green(&self) -> bool {
        self.category.is_some() && self.certification != Certification::Unverified
    }
}

/// The text of an expense that the rules look at.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// Who was paid.
    pub merchant: &'a str,
    /// What was bought.
    pub item: &'a str,
    /// The platform's category, if any.
    pub platform_category: &'a str,
    /// The merchant category code, where the export gives one.
    pub mcc: Option<&'a str>,
    /// What was paid before refunds.
    pub gross: &'a Money,
}

impl RuleSet {
    /// Reads a rule file, refusing duplicate ids, rules that can match nothing, and
    /// certifications above `self_declared` (an import cannot prove more).
    pub fn from_json(json: &str) -> Result<Self, String> {
        let set: RuleSet = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let mut ids = std::collections::HashSet::new();
        for rule in &set.rules {
            if !ids.insert(rule.id.as_str()) {
                return Err(format!("rule {} appears twice", rule.id));
            }
            let keywords = [&rule.merchant, &rule.item, &rule.platform_category, &rule.mcc];
            if keywords.iter().all(|k| k.is_empty()) {
                return Err(format!("rule {} has nothing to match", rule.id));
            }
            if rule.evidence.trim().is_empty() {
                return Err(format!("rule {} states no evidence", rule.id));
            }
            if matches!(
                rule.certification,
                Some(Certification::PlatformReviewed | Certification::FinanceCertified)
            ) {
                return Err(format!("rule {} claims more than an import can show", rule.id));
            }
        }
        Ok(set)
    }

    /// Runs the rules over one expense; `None` when no rule matches (not green).
    pub fn recognise(&self, subject: &Subject<'_>) -> Option<Recognition> {
        let matched: Vec<&Rule> = self.rules.iter().filter(|r| r.matches(subject)).collect();
        let first = *matched.first()?;

        let mut categories: Vec<GreenCategory> = matched.iter().map(|r| r.category).collect();
        categories.dedup();
        if categories.len() > 1 {
            let mut seen = Vec::new();
            let ids: Vec<&str> = matched
                .iter()
                .filter(|r| {
                    let new = !seen.contains(&r.category);
                    seen.push(r.category);
                    new
                })
                .map(|r| r.id.as_str())
                .collect();
            return Some(Recognition {
                category: None,
                certification: Certification::Unverified,
                rule_id: ids.join("+"),
                carbon_input: None,
            });
        }

        Some(Recognition {
            category: Some(first.category),
            certification: first.certification.unwrap_or(Certification::SelfDeclared),
            rule_id: first.id.clone(),
            carbon_input: first.carbon.as_ref().and_then(|c| c.input(subject)),
        })
    }
}

impl Rule {
    fn matches(&self, s: &Subject<'_>) -> bool {
        let excluded = self
            .exclude
            .iter()
            .any(|w| s.merchant.contains(w.as_str()) || s.item.contains(w.as_str()));
        if excluded {
            return false;
        }
        let any = |words: &[String], text: &str| {
            !text.is_empty() && words.iter().any(|w| text.contains(w.as_str()))
        };
        any(&self.merchant, s.merchant)
            || any(&self.item, s.item)
            || any(&self.platform_category, s.platform_category)
            || s.mcc.is_some_and(|m| self.mcc.iter().any(|r| r == m))
    }
}

impl CarbonRule {
    fn input(&self, s: &Subject<'_>) -> Option<CarbonInput> {
        match self {
            CarbonRule::Transit { mode } => stated(s.item, &["km", "KM", "公里", "千米"])
                .map(|km| CarbonInput::Transit { mode: *mode, km }),
            CarbonRule::SharedBikeFare { fen_per_km } => {
                match stated(s.item, &["km", "KM", "公里", "千米"]) {
                    Some(km) => Some(CarbonInput::SharedBike { km }),
                    None if *fen_per_km > 0 && s.gross.currency == "CNY" => {
                        Some(CarbonInput::SharedBikeFare { fen_per_km: *fen_per_km })
                    }
                    None => None,
                }
            }
            CarbonRule::EvCharging => stated(s.item, &["kWh", "kwh", "度", "千瓦时"])
                .map(|kwh| CarbonInput::EvCharging { kwh }),
            CarbonRule::SecondHandSpend { goods } => goods
                .iter()
                .find(|(word, _)| s.item.contains(word.as_str()))
                .map(|(_, goods)| CarbonInput::SecondHand { goods: *goods }),
        }
    }
}

/// The number written right before one of `units` in `text` (`12.4 km`, `30度`).
fn stated(text: &str, units: &[&str]) -> Option<f64> {
    for unit in units {
        for (at, _) in text.match_indices(unit) {
            let before = text[..at].trim_end();
            let start = before
                .char_indices()
                .rev()
                .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
                .last()
                .map(|(i, _)| i)?;
            // `1e308kWh` would otherwise read as 308 kWh: the digits after an exponent are
            // not the quantity, and no export writes one, so the figure is not read at all.
            if in_exponent(&before[..start]) {
                continue;
            }
            // `-20kWh` (a refund's line, or a typo) is no charge: a minus right before the
            // digits, ASCII, Unicode or fullwidth, means no quantity is read.
            if before[..start].ends_with(['-', '−', '－']) {
                continue;
            }
            if let Ok(value) = before[start..].parse::<f64>() {
                if value.is_finite() && value > 0.0 {
                    return Some(value);
                }
            }
        }
    }
    None
}

/// Whether digits that follow `head` are the exponent of a number such as `1e308` or
/// `2.5E+3`.
fn in_exponent(head: &str) -> bool {
    let head = head.strip_suffix(['+', '-']).unwrap_or(head);
    head.strip_suffix(['e', 'E'])
        .is_some_and(|mantissa| mantissa.ends_with(|c: char| c.is_ascii_digit() || c == '.'))
}

/// The compiled-in rules, parsed on first use.
pub fn rules() -> &'static RuleSet {
    &RULES
}

/// The carbon saved by a purchase of `gross` of which `kept` was finally paid (`status`
/// says which). Refunds follow [`carbon::after_refund`]: a full refund saves nothing (`None`),
/// a spend-based figure follows the money kept, and a stated distance or energy stays (the
/// trip or charge happened). A distance worked out from the fare follows the fare kept.
/// `None` also when the method refuses its inputs (logged), never a made-up figure.
pub fn carbon_at(
    input: &CarbonInput,
    gross: &Money,
    kept: &Money,
    status: BillStatus,
) -> Option<CarbonFigure> {
    let activity = match input {
        CarbonInput::Transit { mode, km } => Activity::Transit { mode: *mode, km: *km },
        CarbonInput::SharedBike { km } => Activity::SharedBike { km: *km },
        CarbonInput::SharedBikeFare { fen_per_km } => {
            Activity::SharedBike { km: kept.minor as f64 / *fen_per_km as f64 }
        }
        CarbonInput::EvCharging { kwh } => Activity::EvCharging { kwh: *kwh },
        CarbonInput::SecondHand { goods } => {
            Activity::SecondHand { spend: gross.clone(), goods: *goods }
        }
    };
    let activity = carbon::after_refund(activity, status, kept)?;
    match carbon::estimate(&activity) {
        Ok(estimate) => Some(estimate.figure()),
        Err(error) => {
            tracing::debug!(%error, "no carbon figure for an imported bill");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject<'a>(merchant: &'a str, item: &'a str, gross: &'a Money) -> Subject<'a> {
        Subject { merchant, item, platform_category: "", mcc: None, gross }
    }

    #[test]
    fn rules_parse() {
        let set = RuleSet::from_json(RULES_JSON).unwrap();
        assert!(set.rules.len() >= 8, "a rule for each kind of merchant in the fixtures");
        for category in GreenCategory::ALL {
            assert!(set.taxonomy.contains_key(category.as_str()), "{category:?} is described");
            assert!(set.rules.iter().any(|r| r.category == category), "{category:?} has a rule");
        }
    }

    #[test]
    fn recognised_categories_and_their_carbon_inputs() {
        let fare = Money::cny(400);
        let r = rules().recognise(&subject("北京地铁", "地铁出行 12.4 km", &fare)).unwrap();
        assert_eq!(r.category, Some(GreenCategory::PublicTransport));
        assert_eq!(r.certification, Certification::SelfDeclared, "imports are self-declared");
        assert_eq!(r.rule_id, "metro-fare");
        assert_eq!(
            r.carbon_input,
            Some(CarbonInput::Transit { mode: TransitMode::Metro, km: 12.4 })
        );

        let r = rules().recognise(&subject("北京地铁", "地铁出行", &fare)).unwrap();
        assert_eq!(r.carbon_input, None, "no distance is made up from a fare");

        let ride = Money::cny(150);
        let r = rules().recognise(&subject("哈啰单车", "单车骑行", &ride)).unwrap();
        assert_eq!(r.carbon_input, Some(CarbonInput::SharedBikeFare { fen_per_km: 60 }));
        let r = rules().recognise(&subject("哈啰出行", "哈啰打车", &ride));
        assert_eq!(r, None, "哈啰's car rides are not green");
        let r = rules().recognise(&subject("哈啰单车", "骑行卡 30天", &ride)).unwrap();
        assert_eq!(r.rule_id, "shared-bike-pass");
        assert_eq!(r.carbon_input, None);

        let r = rules().recognise(&subject("特来电", "充电订单 30.5度", &fare)).unwrap();
        assert_eq!(r.carbon_input, Some(CarbonInput::EvCharging { kwh: 30.5 }));
        assert_eq!(rules().recognise(&subject("怪兽充电", "充电宝租借", &fare)), None);

        let r = rules().recognise(&subject("多抓鱼", "二手书 三体", &fare)).unwrap();
        assert_eq!(r.carbon_input, Some(CarbonInput::SecondHand { goods: Goods::Books }));

        assert_eq!(rules().recognise(&subject("某店", "有机玻璃板", &fare)), None);
        let r = rules().recognise(&subject("某店", "有机纯牛奶 12盒", &fare)).unwrap();
        assert_eq!(r.category, Some(GreenCategory::GreenFood));
        assert_eq!(rules().recognise(&subject("饭店", "午餐", &fare)), None, "not green");
    }

    #[test]
    fn a_quantity_in_exponent_notation_is_not_read() {
        let fare = Money::cny(3000);
        for item in ["充电 1e308kWh", "充电 2.5E+1 kWh", "充电 3e-2度"] {
            let r = rules().recognise(&subject("特来电", item, &fare)).unwrap();
            assert_eq!(r.category, Some(GreenCategory::EvCharging), "{item}: still a charge");
            assert_eq!(r.carbon_input, None, "{item}: no quantity from an exponent's digits");
        }
        let r = rules().recognise(&subject("特来电", "快充E30度", &fare)).unwrap();
        assert_eq!(
            r.carbon_input,
            Some(CarbonInput::EvCharging { kwh: 30.0 }),
            "an E after a word is not an exponent"
        );
    }

    #[test]
    fn a_negative_quantity_is_not_read() {
        let fare = Money::cny(3000);
        for item in ["充电桩 -20kWh", "充电桩 退回-20kWh", "充电 −20度", "充电 －20度"]
        {
            let r = rules().recognise(&subject("特来电", item, &fare)).unwrap();
            assert_eq!(r.carbon_input, None, "{item}: no quantity from a negative number");
        }
        let r = rules().recognise(&subject("北京地铁", "地铁出行 -5 km", &fare)).unwrap();
        assert_eq!(r.carbon_input, None, "minus five km is not five km");
        let r = rules().recognise(&subject("特来电", "充电 20kWh", &fare)).unwrap();
        assert_eq!(r.carbon_input, Some(CarbonInput::EvCharging { kwh: 20.0 }), "control");
    }

    #[test]
    fn amounts_above_their_category_cap_are_implausible() {
        let fare = Money::cny(400);
        let metro = rules().recognise(&subject("北京地铁", "地铁出行", &fare)).unwrap();
        assert_eq!(implausible_amount(&metro, &Money::cny(100_000)), None, "a ¥1,000 top-up");
        assert_eq!(
            implausible_amount(&metro, &Money::cny(999_999_999_999)).as_deref(),
            Some(
                "the amount is ¥9999999999.99, more than a metro, bus or transit-card bill can \
                 be (¥1000.00 at most)"
            )
        );
        let bike = rules().recognise(&subject("哈啰单车", "单车骑行", &fare)).unwrap();
        assert_eq!(implausible_amount(&bike, &Money::cny(50_000)), None);
        assert!(implausible_amount(&bike, &Money::cny(50_001)).is_some(), "over ¥500");
        let charge = rules().recognise(&subject("特来电", "充电订单", &fare)).unwrap();
        assert_eq!(implausible_amount(&charge, &Money::cny(500_000)), None);
        assert!(implausible_amount(&charge, &Money::cny(500_001)).is_some(), "over ¥5,000");
        let books = rules().recognise(&subject("多抓鱼", "二手书", &fare)).unwrap();
        assert_eq!(implausible_amount(&books, &Money::cny(100_000_000)), None, "¥1,000,000");
        assert!(implausible_amount(&books, &Money::cny(100_000_001)).is_some());
        let euros = Money::new(999_999_999_999, "EUR");
        assert_eq!(implausible_amount(&metro, &euros), None, "only yuan are capped");
    }

    #[test]
    fn two_categories_at_once_are_unverified_and_not_green() {
        let fee = Money::cny(5000);
        let r = rules().recognise(&subject("爱回收", "旧家电回收 上门拆卸费", &fee)).unwrap();
        assert_eq!(r.category, None);
        assert_eq!(r.certification, Certification::Unverified);
        assert_eq!(r.rule_id, "second-hand-platform+recycling-collection");
        assert!(!r.is_green());
    }

    #[test]
    fn carbon_follows_refunds_and_is_none_when_all_came_back() {
        let fare = CarbonInput::SharedBikeFare { fen_per_km: 60 };
        let gross = Money::cny(150);
        let posted = BillStatus::Posted;
        let full = carbon_at(&fare, &gross, &gross, posted).unwrap();
        let two_and_a_half_km =
            carbon_at(&CarbonInput::SharedBike { km: 2.5 }, &gross, &gross, posted).unwrap();
        assert_eq!(full, two_and_a_half_km, "150 fen at 60 fen per km is 2.5 km");
        assert_eq!(full.method, "shared-bike@1");

        let partly = BillStatus::PartiallyRefunded;
        let half = carbon_at(&fare, &gross, &Money::cny(75), partly).unwrap();
        assert!((full.grams - 2 * half.grams).abs() <= 1, "half the fare kept, half the km");
        assert_eq!(carbon_at(&fare, &gross, &Money::cny(0), BillStatus::Refunded), None);

        let stated = CarbonInput::Transit { mode: TransitMode::Metro, km: 12.4 };
        let kept = carbon_at(&stated, &Money::cny(500), &Money::cny(300), partly).unwrap();
        let whole = carbon_at(&stated, &Money::cny(500), &Money::cny(500), posted).unwrap();
        assert_eq!(kept, whole, "a stated trip happened whatever the refund");

        let books = CarbonInput::SecondHand { goods: Goods::Books };
        let some = carbon_at(&books, &Money::cny(4000), &Money::cny(1000), partly).unwrap();
        let all = carbon_at(&books, &Money::cny(4000), &Money::cny(4000), posted).unwrap();
        assert!(some.grams * 4 - all.grams <= 4, "spend-based follows the money kept");
    }

    #[test]
    fn bad_rule_files_are_refused() {
        let rule = |extra: &str| {
            format!(
                r#"{{"version": 1, "taxonomy": {{}}, "rules": [{{"id": "a", "category": "green_food",
                "item": ["x"], "evidence": "e"{extra}}}]}}"#
            )
        };
        assert!(RuleSet::from_json(&rule("")).is_ok());
        assert!(RuleSet::from_json(&rule(r#", "certification": "finance_certified""#)).is_err());
        assert!(RuleSet::from_json(&rule(r#", "colour": "green""#)).is_err());
    }
}
