//! The carbon methodology: how what a green bill records becomes grams of CO2e saved.
//!
//! Three pieces fit together:
//!
//! - The factor table ([`factors`]): the emission factors in `assets/factors/factors.json`,
//!   each with its source, licence and confidence. The file is compiled in and parsed once.
//! - Activities ([`Activity`]): what a bill says happened, such as km by metro, kWh charged or
//!   yuan spent on second-hand goods. [`method_for`] says which categories have a method at
//!   all; the others are unknown, never zero.
//! - Methods ([`MethodId`]): one versioned formula per kind of activity. [`estimate`] picks the
//!   method, reads its factors from the table and returns an [`Estimate`]: whole grams, the
//!   method, every factor it used with its value, the baseline the saving is measured against,
//!   whether it rests on a measurement, how far to trust it, and the arithmetic in words.
//!
//! The reference server computes its demo bills' figures here and the client explains and
//! recomputes them from here, so both sides agree by construction. On the wire a figure is
//! grams, `name@version` and its trace ([`Estimate::figure`]): the inputs and factor values, so
//! a client can redo the sum, and a newer client can redo it with a newer method version.
//! Changing a formula or a factor value a method reads therefore means a new method version;
//! the unit tests pin each version's result to hand-computed grams so that cannot slip by.
//!
//! The methods do their arithmetic in `f64` and round to the nearest gram once, at the end.
//! Bad input (negative, NaN or infinite quantities, money that is not CNY) is an error, never a
//! silent zero: a made-up zero would read as "this saved nothing". [`explain`] turns what the
//! cache holds for a bill into an explanation and recomputes its figure; [`totals`] sums the
//! cache's figures by month and category, measured against estimated.

pub mod explain;
pub mod totals;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::LazyLock;

use greenmile_api::{
    BillStatus, CarbonActivity, CarbonFigure, CarbonTrace, FactorValue, GreenCategory, Money,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use greenmile_api::{CarbonBasis, CarbonConfidence, TransitMode};

/// The kind of goods bought second-hand (the contract's `SecondHandGoods`).
pub use greenmile_api::SecondHandGoods as Goods;

/// The factor file, compiled in so the app needs no data folder to compute a figure.
const FACTORS_JSON: &str = include_str!("../../../assets/factors/factors.json");

static FACTORS: LazyLock<FactorTable> = LazyLock::new(|| {
    FactorTable::from_json(FACTORS_JSON)
        .expect("invariant: the compiled-in factors.json is valid (tests::factor_table_parses)")
});

// The factor ids the v1 methods read. Each is checked against the table by the unit tests.
const CN_GRID: &str = "cn-grid-2022";
const CAR_AVERAGE: &str = "uk-car-average-2024";
const CAR_PETROL: &str = "uk-car-petrol-2024";
const BUS_LOCAL: &str = "uk-bus-local-2024";
const METRO: &str = "uk-underground-2024";
const EV_KWH_PER_KM: &str = "ev-kwh-per-km-2024";
const EUR_CNY: &str = "fx-eur-cny-2019";

/// The factor behind "the same as driving N km in an average car".
pub const CAR_KM_EQUIVALENT: &str = CAR_AVERAGE;
/// The factor behind "the CO2 of N kWh of electricity from China's grid".
pub const GRID_KWH_EQUIVALENT: &str = CN_GRID;

/// No single bill saves a megatonne; anything larger is a unit mistake upstream.
const MAX_GRAMS: f64 = 1e12;

/// One emission factor (or conversion rate) and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Factor {
    /// Stable id, referenced by the methods, e.g. `cn-grid-2022`.
    pub id: String,
    /// The value, in `unit`.
    pub value: f64,
    /// What the value counts, e.g. `kg CO2e/passenger.km`.
    pub unit: String,
    /// The document, and the sheet, row and column the value was read from.
    pub source: String,
    /// Who published the document.
    pub publisher: String,
    /// The year the value describes.
    pub year: i32,
    /// The licence the value is used under.
    pub licence: String,
    /// How far the value can be trusted for GreenMile's use of it.
    pub confidence: CarbonConfidence,
    /// Why this value was chosen, and its known weaknesses.
    pub note: String,
}

/// Every factor the methods may read, by id.
#[derive(Debug, Clone, PartialEq)]
pub struct FactorTable {
    by_id: BTreeMap<String, Factor>,
}

#[derive(Deserialize)]
struct FactorFile {
    factors: Vec<Factor>,
}

impl FactorTable {
    /// Reads a factor file (the layout of `assets/factors/factors.json`), refusing duplicate
    /// ids and values that are not finite and positive.
    pub fn from_json(json: &str) -> Result<Self, CarbonError> {
        let file: FactorFile =
            serde_json::from_str(json).map_err(|e| CarbonError::FactorTable(e.to_string()))?;

        let mut by_id = BTreeMap::new();
        for factor in file.factors {
            if !(factor.value.is_finite() && factor.value > 0.0) {
                let reason = format!("factor {} has value {}", factor.id, factor.value);
                return Err(CarbonError::FactorTable(reason));
            }
            if let Some(twice) = by_id.insert(factor.id.clone(), factor) {
                return Err(CarbonError::FactorTable(format!("factor {} appears twice", twice.id)));
            }
        }
        Ok(Self { by_id })
    }

    /// The factor with this id, if the table has it.
    pub fn get(&self, id: &str) -> Option<&Factor> {
        self.by_id.get(id)
    }

    /// Every factor, ordered by id.
    pub fn iter(&self) -> impl Iterator<Item = &Factor> {
        self.by_id.values()
    }
}

/// The compiled-in factor table, parsed on first use.
pub fn factors() -> &'static FactorTable {
    &FACTORS
}

/// A method and its version, written `name@version` (e.g. `transit-distance@1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MethodId {
    /// The method's name, stable across versions.
    pub name: &'static str,
    /// Rises whenever the formula or a factor value it reads changes.
    pub version: u32,
}

impl MethodId {
    /// (baseline kWh/yr − certified kWh/yr) × China grid × service years. The whole service
    /// life is credited to the purchase, so one bill can outweigh months of trips.
    pub const APPLIANCE_ENERGY: MethodId = MethodId { name: "appliance-energy", version: 1 };
    /// km × (average car − the mode's factor per passenger km).
    pub const TRANSIT_DISTANCE: MethodId = MethodId { name: "transit-distance", version: 1 };
    /// km × average car; the ride itself is counted as zero.
    pub const SHARED_BIKE: MethodId = MethodId { name: "shared-bike", version: 1 };
    /// km from kWh; km × petrol car − kWh × China grid.
    pub const EV_CHARGING: MethodId = MethodId { name: "ev-charging", version: 1 };
    /// CNY → EUR of 2019 → × the new goods' spend-based factor.
    pub const SECOND_HAND_SPEND: MethodId = MethodId { name: "second-hand-spend", version: 1 };

    /// Every method this build can compute, each at its current version.
    pub const ALL: [MethodId; 5] = [
        Self::APPLIANCE_ENERGY,
        Self::TRANSIT_DISTANCE,
        Self::SHARED_BIKE,
        Self::EV_CHARGING,
        Self::SECOND_HAND_SPEND,
    ];

    /// The method written `name@version`, if this build knows it.
    pub fn parse(id: &str) -> Option<MethodId> {
        Self::ALL.into_iter().find(|m| m.to_string() == id)
    }

    /// This build's version of the method named `name`, if it has one.
    pub fn current(name: &str) -> Option<MethodId> {
        Self::ALL.into_iter().find(|m| m.name == name)
    }

    /// The formula, in words and symbols, as the explanation prints it.
    pub fn formula(self) -> &'static str {
        match self.name {
            "appliance-energy" => {
                "(baseline kWh/yr − certified kWh/yr) × China grid kg/kWh × service years"
            }
            "transit-distance" => "km × (average car kg/km − the mode's kg/passenger.km)",
            "shared-bike" => "km × average car kg/km (the ride itself counted as zero)",
            "ev-charging" => "kWh ÷ kWh/km × petrol car kg/km − kWh × China grid kg/kWh",
            "second-hand-spend" => "CNY ÷ CNY/EUR (2019) × kg/EUR of the same goods bought new",
            _ => "",
        }
    }

    /// Whether the method's figures rest on a recorded quantity or on an estimate.
    pub fn basis(self) -> CarbonBasis {
        basis_of_name(self.name)
    }

    /// The most a figure from this method can be trusted, whatever its factors: the method's
    /// own assumptions (the counterfactual, the proxy) cap it.
    fn ceiling(self) -> CarbonConfidence {
        match self.name {
            // Label kWh come from a standard test, not a meter, and the grade-3 baseline is a
            // counterfactual.
            "appliance-energy" => CarbonConfidence::Medium,
            // Spend stands in for goods, and the purchase is assumed to replace a new one.
            "second-hand-spend" => CarbonConfidence::Low,
            _ => CarbonConfidence::High,
        }
    }
}

impl fmt::Display for MethodId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.name, self.version)
    }
}

impl Serialize for MethodId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Splits a method id `name@version` as any server may send it, known to this build or not.
pub fn split_method_id(id: &str) -> Option<(&str, u32)> {
    let (name, version) = id.rsplit_once('@')?;
    let version = version.parse().ok()?;
    (!name.is_empty()).then_some((name, version))
}

/// Whether figures of the method named in `method_id` (`name@version`) are measured or
/// estimated. A method this build does not know counts as estimated: nothing says it measured.
pub fn basis_of(method_id: &str) -> CarbonBasis {
    split_method_id(method_id).map_or(CarbonBasis::Estimated, |(name, _)| basis_of_name(name))
}

fn basis_of_name(name: &str) -> CarbonBasis {
    match name {
        // A trip's km and a charge's kWh are on the bill; the factors multiply them.
        "transit-distance" | "shared-bike" | "ev-charging" => CarbonBasis::Measured,
        // Money stands in for goods (spend-based), or label kWh are projected over an assumed
        // service life: neither is a quantity anybody measured.
        _ => CarbonBasis::Estimated,
    }
}

/// Why a category has no carbon method: its bills' carbon is unknown, never zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoMethod {
    /// The category.
    pub category: GreenCategory,
    /// Why no figure can be put on it, in English.
    pub reason: &'static str,
}

/// The method that estimates `category`'s bills, or why there is none. Every category is one
/// or the other, by this exhaustive match.
pub fn method_for(category: GreenCategory) -> Result<MethodId, NoMethod> {
    let reason = match category {
        GreenCategory::EnergyEfficientAppliance => return Ok(MethodId::APPLIANCE_ENERGY),
        GreenCategory::PublicTransport => return Ok(MethodId::TRANSIT_DISTANCE),
        GreenCategory::SharedBike => return Ok(MethodId::SHARED_BIKE),
        GreenCategory::EvCharging => return Ok(MethodId::EV_CHARGING),
        GreenCategory::SecondHand => return Ok(MethodId::SECOND_HAND_SPEND),
        GreenCategory::Recycling => {
            "what recycling avoids depends on the material and on what it displaces, and no \
             open per-item factor was found, so no figure is made up"
        }
        GreenCategory::GreenFood => {
            "no open factor separates certified green or organic food from the conventional \
             food it replaces, so no figure is made up"
        }
    };
    Err(NoMethod { category, reason })
}

/// What a bill says happened, in the quantities a method needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Activity {
    /// An energy-efficient appliance bought instead of a grade-3 one.
    Appliance {
        /// Label consumption of the grade-3 appliance it is compared with.
        baseline_kwh_per_year: f64,
        /// Label consumption of the appliance bought.
        certified_kwh_per_year: f64,
        /// Years the appliance is expected to serve.
        service_years: f64,
    },
    /// A trip by public transport.
    Transit {
        /// How the trip was made.
        mode: TransitMode,
        /// Distance travelled.
        km: f64,
    },
    /// A shared bicycle ride.
    SharedBike {
        /// Distance ridden.
        km: f64,
    },
    /// Charging an electric car.
    EvCharging {
        /// Energy delivered to the car.
        kwh: f64,
    },
    /// Buying goods second-hand instead of new.
    SecondHand {
        /// What was paid, in CNY.
        spend: Money,
        /// What was bought.
        goods: Goods,
    },
}

impl Activity {
    /// The method that estimates this activity.
    pub fn method(&self) -> MethodId {
        match self {
            Activity::Appliance { .. } => MethodId::APPLIANCE_ENERGY,
            Activity::Transit { .. } => MethodId::TRANSIT_DISTANCE,
            Activity::SharedBike { .. } => MethodId::SHARED_BIKE,
            Activity::EvCharging { .. } => MethodId::EV_CHARGING,
            Activity::SecondHand { .. } => MethodId::SECOND_HAND_SPEND,
        }
    }
}

impl From<&CarbonActivity> for Activity {
    fn from(wire: &CarbonActivity) -> Self {
        match wire {
            CarbonActivity::Appliance {
                baseline_kwh_per_year,
                certified_kwh_per_year,
                service_years,
            } => Activity::Appliance {
                baseline_kwh_per_year: *baseline_kwh_per_year,
                certified_kwh_per_year: *certified_kwh_per_year,
                service_years: *service_years,
            },
            CarbonActivity::Transit { mode, km } => Activity::Transit { mode: *mode, km: *km },
            CarbonActivity::SharedBike { km } => Activity::SharedBike { km: *km },
            CarbonActivity::EvCharging { kwh } => Activity::EvCharging { kwh: *kwh },
            CarbonActivity::SecondHand { spend, goods } => {
                Activity::SecondHand { spend: spend.clone(), goods: *goods }
            }
        }
    }
}

impl From<&Activity> for CarbonActivity {
    fn from(activity: &Activity) -> Self {
        match activity {
            Activity::Appliance {
                baseline_kwh_per_year,
                certified_kwh_per_year,
                service_years,
            } => CarbonActivity::Appliance {
                baseline_kwh_per_year: *baseline_kwh_per_year,
                certified_kwh_per_year: *certified_kwh_per_year,
                service_years: *service_years,
            },
            Activity::Transit { mode, km } => CarbonActivity::Transit { mode: *mode, km: *km },
            Activity::SharedBike { km } => CarbonActivity::SharedBike { km: *km },
            Activity::EvCharging { kwh } => CarbonActivity::EvCharging { kwh: *kwh },
            Activity::SecondHand { spend, goods } => {
                CarbonActivity::SecondHand { spend: spend.clone(), goods: *goods }
            }
        }
    }
}

/// What is left of `activity` once refunds are taken into account, given the bill's status and
/// what was finally `paid`. A bill refunded in full bought nothing and saves nothing (`None`).
/// After a partial refund a spend-based figure follows the money, so the spend becomes what
/// was paid; a km, kWh or label figure does not, because the trip, the charge or the appliance
/// was kept.
pub fn after_refund(activity: Activity, status: BillStatus, paid: &Money) -> Option<Activity> {
    match (status, activity) {
        (BillStatus::Refunded, _) => None,
        (BillStatus::PartiallyRefunded, Activity::SecondHand { goods, .. }) => {
            Some(Activity::SecondHand { spend: paid.clone(), goods })
        }
        (_, activity) => Some(activity),
    }
}

/// This build's figure for a bill whose API figure came from an older version of the same
/// method, recomputed from the figure's trace after refunds. `None` when the API's version is
/// as new as this build's (the API's figure stands alone), when the figure has no trace or
/// names a method this build does not have, or when the method refuses the inputs.
pub fn newer_figure(figure: &CarbonFigure, status: BillStatus, paid: &Money) -> Option<Estimate> {
    let (name, version) = split_method_id(&figure.method)?;
    let current = MethodId::current(name).filter(|m| m.version > version)?;
    let trace = figure.trace.as_ref()?;

    let activity = after_refund(Activity::from(&trace.activity), status, paid)?;
    // A trace whose activity belongs to another method cannot stand for this one's inputs.
    (activity.method() == current).then(|| estimate(&activity).ok()).flatten()
}

/// A factor as a method used it: enough to redo the arithmetic by hand.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactorUse {
    /// The factor's id in the table.
    pub id: String,
    /// The value used.
    pub value: f64,
    /// The value's unit.
    pub unit: String,
}

/// A carbon saving and everything needed to trace it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// Grams of CO2e saved against `baseline`, rounded once to the nearest gram.
    pub grams: i64,
    /// The method that produced it.
    pub method: MethodId,
    /// What the method was given.
    pub activity: Activity,
    /// Every factor the method read, in the order the formula uses them.
    pub factors: Vec<FactorUse>,
    /// What the saving is measured against, e.g. "the same distance by an average car".
    pub baseline: String,
    /// Whether the figure rests on a recorded quantity or on an estimate.
    pub basis: CarbonBasis,
    /// The lowest of the factors' confidences and the method's own ceiling.
    pub confidence: CarbonConfidence,
    /// The arithmetic, one step a line, ending with the rounding to grams. Inputs and factors
    /// print exactly; intermediate results to six decimals.
    pub steps: Vec<String>,
}

impl Estimate {
    /// The figure as the Green API carries it on a bill, with its trace.
    pub fn figure(&self) -> CarbonFigure {
        CarbonFigure {
            grams: self.grams,
            method: self.method.to_string(),
            trace: Some(CarbonTrace {
                activity: CarbonActivity::from(&self.activity),
                factors: self
                    .factors
                    .iter()
                    .map(|f| FactorValue { id: f.id.clone(), value: f.value, unit: f.unit.clone() })
                    .collect(),
                baseline: self.baseline.clone(),
                basis: self.basis,
                confidence: self.confidence,
            }),
        }
    }
}

/// Why no estimate could be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CarbonError {
    /// A distance, energy or duration was negative, NaN or infinite.
    #[error("{field} must be a finite number of at least 0, not {value}")]
    InvalidQuantity {
        /// Which input was wrong.
        field: &'static str,
        /// What it was.
        value: f64,
    },

    /// A certified appliance's label consumption is above the baseline it is compared with,
    /// which means the two inputs were swapped or the appliance is not the efficient one.
    #[error("certified use {certified} kWh/yr is above the baseline {baseline} kWh/yr")]
    CertifiedAboveBaseline {
        /// The baseline appliance's kWh per year.
        baseline: f64,
        /// The certified appliance's kWh per year.
        certified: f64,
    },

    /// A second-hand spend was not in CNY, the only currency the factors are converted from.
    #[error("second-hand spend must be in CNY, not {0}")]
    UnsupportedCurrency(String),

    /// A second-hand spend was negative (a refund is not a purchase).
    #[error("second-hand spend must not be negative, got {0} minor units")]
    NegativeSpend(i64),

    /// The result is not finite or is beyond a megatonne (10^12 g): an input was in the
    /// wrong unit.
    #[error("the estimate is out of range: {0} g")]
    OutOfRange(f64),

    /// A method needs a factor the table lacks (only if the factor file was edited badly).
    #[error("the factor table has no factor {0}")]
    MissingFactor(String),

    /// The factor file is not valid JSON of the expected shape, or has a bad value.
    #[error("the factor table is invalid: {0}")]
    FactorTable(String),
}

/// Estimates the carbon an activity saved, with the current version of its method.
pub fn estimate(activity: &Activity) -> Result<Estimate, CarbonError> {
    let method = activity.method();
    let mut used = Used::default();
    let mut steps = Vec::new();

    let (kg, baseline) = match activity {
        Activity::Appliance { baseline_kwh_per_year, certified_kwh_per_year, service_years } => {
            let baseline_kwh = quantity("baseline_kwh_per_year", *baseline_kwh_per_year)?;
            let certified_kwh = quantity("certified_kwh_per_year", *certified_kwh_per_year)?;
            let years = quantity("service_years", *service_years)?;
            if certified_kwh > baseline_kwh {
                return Err(CarbonError::CertifiedAboveBaseline {
                    baseline: baseline_kwh,
                    certified: certified_kwh,
                });
            }

            let grid = used.read(CN_GRID)?;
            let kg = (baseline_kwh - certified_kwh) * grid * years;
            steps.push(format!(
                "({baseline_kwh} − {certified_kwh}) kWh/yr × {grid} kg CO2/kWh × {years} yr = {} kg",
                approx(kg)
            ));
            (kg, "a grade-3 (baseline) appliance over the same service life, on China's grid")
        }

        Activity::Transit { mode, km } => {
            let km = quantity("km", *km)?;

            let car = used.read(CAR_AVERAGE)?;
            let transit = used.read(mode_factor(*mode))?;
            let kg = km * (car - transit);
            steps.push(format!(
                "{km} km × ({car} kg CO2e/km by car − {transit} kg CO2e/passenger.km by {}) = {} kg",
                mode_name(*mode),
                approx(kg)
            ));
            (kg, "the same distance by an average car")
        }

        Activity::SharedBike { km } => {
            let km = quantity("km", *km)?;

            // Riding is counted as zero: the bike's manufacture and the vans that rebalance
            // the fleet are left out, so this is an upper bound on the saving.
            let car = used.read(CAR_AVERAGE)?;
            let kg = km * car;
            steps.push(format!("{km} km × {car} kg CO2e/km by car = {} kg", approx(kg)));
            (kg, "the same distance by an average car; the ride itself counted as zero")
        }

        Activity::EvCharging { kwh } => {
            let kwh = quantity("kwh", *kwh)?;

            let kwh_per_km = used.read(EV_KWH_PER_KM)?;
            let petrol = used.read(CAR_PETROL)?;
            let grid = used.read(CN_GRID)?;
            let km = kwh / kwh_per_km;
            let (avoided, charged) = (km * petrol, kwh * grid);
            let kg = km * petrol - kwh * grid;
            steps.extend([
                format!("{kwh} kWh ÷ {kwh_per_km} kWh/km = {} km driven", approx(km)),
                format!(
                    "{} km × {petrol} kg CO2e/km by petrol car = {} kg avoided",
                    approx(km),
                    approx(avoided)
                ),
                format!(
                    "{kwh} kWh × {grid} kg CO2/kWh from China's grid = {} kg emitted",
                    approx(charged)
                ),
                format!("{} kg − {} kg = {} kg", approx(avoided), approx(charged), approx(kg)),
            ]);
            (kg, "the same distance by an average petrol car")
        }

        Activity::SecondHand { spend, goods } => {
            if spend.currency != "CNY" {
                return Err(CarbonError::UnsupportedCurrency(spend.currency.clone()));
            }
            if spend.minor < 0 {
                return Err(CarbonError::NegativeSpend(spend.minor));
            }

            let cny_per_eur = used.read(EUR_CNY)?;
            let kg_per_eur = used.read(goods_factor(*goods))?;
            let yuan = spend.minor as f64 / 100.0;
            let eur = yuan / cny_per_eur;
            let kg = eur * kg_per_eur;
            steps.extend([
                format!("¥{yuan:.2} ÷ {cny_per_eur} CNY/EUR = €{} (2019 euros)", approx(eur)),
                format!("€{} × {kg_per_eur} kg CO2e/EUR = {} kg", approx(eur), approx(kg)),
            ]);
            (kg, "buying the same goods new, for the same money")
        }
    };

    let grams = to_grams(kg)?;
    steps.push(format!("{} kg = {grams} g, rounded once to the nearest gram", approx(kg)));
    let confidence = used.confidence.min(method.ceiling());
    Ok(Estimate {
        grams,
        method,
        activity: activity.clone(),
        factors: used.factors,
        baseline: baseline.to_owned(),
        basis: method.basis(),
        confidence,
        steps,
    })
}

fn mode_factor(mode: TransitMode) -> &'static str {
    match mode {
        TransitMode::Metro => METRO,
        TransitMode::Bus => BUS_LOCAL,
    }
}

fn mode_name(mode: TransitMode) -> &'static str {
    match mode {
        TransitMode::Metro => "metro",
        TransitMode::Bus => "bus",
    }
}

fn goods_factor(goods: Goods) -> &'static str {
    match goods {
        Goods::Furniture => "cn-mcc5712-furniture-2019",
        Goods::Electronics => "cn-mcc5732-electronics-2019",
        Goods::Clothing => "cn-mcc5651-clothing-2019",
        Goods::Books => "cn-mcc5942-books-2019",
        Goods::Bicycle => "cn-mcc5941-sporting-2019",
    }
}

/// An intermediate result to six decimals, trailing zeros dropped: `1.724964`, `16.098`.
fn approx(x: f64) -> String {
    let text = format!("{x:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" { "0".to_owned() } else { text.to_owned() }
}

/// The factors a method has read so far and the lowest confidence among them.
struct Used {
    factors: Vec<FactorUse>,
    confidence: CarbonConfidence,
}

impl Default for Used {
    fn default() -> Self {
        Self { factors: Vec::new(), confidence: CarbonConfidence::High }
    }
}

impl Used {
    /// Reads a factor's value and records its use.
    fn read(&mut self, id: &str) -> Result<f64, CarbonError> {
        let factor = factors().get(id).ok_or_else(|| CarbonError::MissingFactor(id.to_owned()))?;

        self.confidence = self.confidence.min(factor.confidence);
        self.factors.push(FactorUse {
            id: factor.id.clone(),
            value: factor.value,
            unit: factor.unit.clone(),
        });
        Ok(factor.value)
    }
}

/// Accepts a quantity only when it is finite and not negative.
fn quantity(field: &'static str, value: f64) -> Result<f64, CarbonError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(CarbonError::InvalidQuantity { field, value })
    }
}

/// Kilograms to whole grams, rounding half away from zero: the one rounding step.
fn to_grams(kg: f64) -> Result<i64, CarbonError> {
    let grams = (kg * 1000.0).round();
    if grams.is_finite() && grams.abs() <= MAX_GRAMS {
        Ok(grams as i64)
    } else {
        Err(CarbonError::OutOfRange(grams))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grams(activity: Activity) -> i64 {
        estimate(&activity).unwrap().grams
    }

    fn cny(fen: i64) -> Money {
        Money::cny(fen)
    }

    #[test]
    fn factor_table_parses() {
        let table = FactorTable::from_json(FACTORS_JSON).unwrap();

        assert!(table.iter().count() >= 15, "the factor file lists every documented factor");
        for factor in table.iter() {
            assert!(!factor.source.is_empty(), "{} names its source", factor.id);
            assert!(!factor.licence.is_empty(), "{} names its licence", factor.id);
            assert!(!factor.note.is_empty(), "{} says why it was chosen", factor.id);
        }
    }

    #[test]
    fn every_factor_a_method_reads_exists() {
        let mut activities = vec![
            Activity::Appliance {
                baseline_kwh_per_year: 1.0,
                certified_kwh_per_year: 0.0,
                service_years: 1.0,
            },
            Activity::SharedBike { km: 1.0 },
            Activity::EvCharging { kwh: 1.0 },
        ];
        activities.extend(TransitMode::ALL.map(|mode| Activity::Transit { mode, km: 1.0 }));
        activities.extend(Goods::ALL.map(|goods| Activity::SecondHand { spend: cny(100), goods }));

        for activity in &activities {
            let estimate = estimate(activity).unwrap();
            assert!(!estimate.factors.is_empty(), "{} names the factors it read", estimate.method);
        }
        let methods: Vec<MethodId> = activities.iter().map(Activity::method).collect();
        for method in MethodId::ALL {
            assert!(methods.contains(&method), "{method} is exercised by this test");
        }
    }

    #[test]
    fn derived_ev_consumption_matches_its_inputs() {
        let table = factors();
        let bev = table.get("uk-car-bev-2024").unwrap().value;
        let uk_grid = table.get("uk-grid-2024").unwrap().value;
        let stored = table.get(EV_KWH_PER_KM).unwrap().value;

        // 0.04358 / 0.20705 = 0.2104806; stored to 5 significant figures.
        assert!((bev / uk_grid - stored).abs() < 5e-6, "ev-kwh-per-km-2024 is bev ÷ uk grid");
    }

    #[test]
    fn method_ids_print_and_parse() {
        assert_eq!(MethodId::TRANSIT_DISTANCE.to_string(), "transit-distance@1");
        assert_eq!(MethodId::parse("ev-charging@1"), Some(MethodId::EV_CHARGING));
        assert_eq!(MethodId::parse("ev-charging@9"), None, "unknown versions are not guessed");
        let json = serde_json::to_string(&MethodId::SHARED_BIKE).unwrap();
        assert_eq!(json, "\"shared-bike@1\"");
    }

    #[test]
    fn metro_ten_km() {
        // 10 km × (0.16691 − 0.0278) kg/km = 1.3911 kg.
        let estimate = estimate(&Activity::Transit { mode: TransitMode::Metro, km: 10.0 }).unwrap();

        assert_eq!(estimate.grams, 1391);
        assert_eq!(estimate.figure().method, "transit-distance@1");
        let ids: Vec<&str> = estimate.factors.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["uk-car-average-2024", "uk-underground-2024"]);
        assert_eq!(estimate.confidence, CarbonConfidence::Medium);
    }

    #[test]
    fn bus_eight_and_a_half_km() {
        // 8.5 km × (0.16691 − 0.10846) kg/km = 0.496825 kg.
        assert_eq!(grams(Activity::Transit { mode: TransitMode::Bus, km: 8.5 }), 497);
    }

    #[test]
    fn shared_bike_two_and_a_half_km() {
        // 2.5 km × 0.16691 kg/km = 0.417275 kg.
        assert_eq!(grams(Activity::SharedBike { km: 2.5 }), 417);
    }

    #[test]
    fn ev_thirty_kwh() {
        // 30 kWh ÷ 0.21048 kWh/km = 142.531357 km; × 0.1645 = 23.446408 kg avoided petrol;
        // − 30 kWh × 0.5366 = 16.098 kg from the grid; = 7.348408 kg.
        let estimate = estimate(&Activity::EvCharging { kwh: 30.0 }).unwrap();

        assert_eq!(estimate.grams, 7348);
        assert_eq!(estimate.factors.len(), 3, "kWh/km, petrol car and China grid");
    }

    #[test]
    fn appliance_ten_years() {
        // (400 − 250) kWh/yr × 0.5366 kg/kWh × 10 yr = 804.9 kg.
        let estimate = estimate(&Activity::Appliance {
            baseline_kwh_per_year: 400.0,
            certified_kwh_per_year: 250.0,
            service_years: 10.0,
        })
        .unwrap();

        assert_eq!(estimate.grams, 804_900);
        assert_eq!(estimate.confidence, CarbonConfidence::Medium, "capped by the method");
    }

    #[test]
    fn second_hand_spend() {
        // ¥100.00 ÷ 7.7355 = €12.927413; × 0.4222054752 kg/€ = 5.458024 kg.
        let furniture =
            estimate(&Activity::SecondHand { spend: cny(10_000), goods: Goods::Furniture })
                .unwrap();
        assert_eq!(furniture.grams, 5458);
        assert_eq!(
            furniture.confidence,
            CarbonConfidence::Low,
            "spend-based figures are estimates"
        );

        // ¥258.80 ÷ 7.7355 = €33.456144; × 0.8614781632 kg/€ = 28.821737 kg.
        let clothing = Activity::SecondHand { spend: cny(25_880), goods: Goods::Clothing };
        assert_eq!(grams(clothing), 28_822);

        // ¥35.00 ÷ 7.7355 = €4.524594; × 0.4222054752 kg/€ = 1.910309 kg.
        assert_eq!(grams(Activity::SecondHand { spend: cny(3_500), goods: Goods::Books }), 1910);
    }

    #[test]
    fn the_arithmetic_is_written_out_as_computed() {
        // 12.4 km × (0.16691 − 0.0278) kg/km = 1.724964 kg → 1725 g.
        let metro = estimate(&Activity::Transit { mode: TransitMode::Metro, km: 12.4 }).unwrap();
        assert_eq!(
            metro.steps,
            [
                "12.4 km × (0.16691 kg CO2e/km by car − 0.0278 kg CO2e/passenger.km by metro) \
                 = 1.724964 kg",
                "1.724964 kg = 1725 g, rounded once to the nearest gram",
            ]
        );

        // 30 kWh ÷ 0.21048 = 142.531357 km; × 0.1645 = 23.446408 kg; 30 × 0.5366 = 16.098 kg.
        let ev = estimate(&Activity::EvCharging { kwh: 30.0 }).unwrap();
        assert_eq!(ev.steps.len(), 5, "km, avoided, emitted, difference, rounding");
        assert_eq!(ev.steps[3], "23.446408 kg − 16.098 kg = 7.348408 kg");

        // ¥258.80 ÷ 7.7355 = €33.456144; × 0.8614781632 = 28.821737 kg.
        let clothing = Activity::SecondHand { spend: cny(25_880), goods: Goods::Clothing };
        let steps = estimate(&clothing).unwrap().steps;
        assert_eq!(steps[0], "¥258.80 ÷ 7.7355 CNY/EUR = €33.456144 (2019 euros)");
        assert_eq!(steps[2], "28.821737 kg = 28822 g, rounded once to the nearest gram");
    }

    #[test]
    fn every_category_has_a_method_or_is_explicitly_unknown() {
        for category in GreenCategory::ALL {
            match method_for(category) {
                Ok(method) => {
                    assert!(MethodId::ALL.contains(&method), "{category:?} names a current method");
                    assert!(!method.formula().is_empty(), "{method} states its formula");
                }
                Err(none) => {
                    assert_eq!(none.category, category);
                    assert!(none.reason.len() > 20, "{category:?} says why it is unknown");
                }
            }
        }
        assert!(method_for(GreenCategory::GreenFood).is_err(), "green food is unknown");
        assert!(method_for(GreenCategory::Recycling).is_err(), "recycling is unknown");
    }

    #[test]
    fn spend_based_and_projected_figures_are_estimates() {
        let basis: Vec<(String, CarbonBasis)> =
            MethodId::ALL.iter().map(|m| (m.name.to_owned(), m.basis())).collect();
        assert_eq!(
            basis,
            [
                ("appliance-energy".to_owned(), CarbonBasis::Estimated),
                ("transit-distance".to_owned(), CarbonBasis::Measured),
                ("shared-bike".to_owned(), CarbonBasis::Measured),
                ("ev-charging".to_owned(), CarbonBasis::Measured),
                ("second-hand-spend".to_owned(), CarbonBasis::Estimated),
            ]
        );
        assert_eq!(basis_of("transit-distance@7"), CarbonBasis::Measured, "any version");
        assert_eq!(basis_of("tree-planting@1"), CarbonBasis::Estimated, "unknown: not measured");
        assert_eq!(split_method_id("ev-charging@12"), Some(("ev-charging", 12)));
        assert_eq!(split_method_id("ev-charging"), None);
        assert_eq!(MethodId::current("shared-bike"), Some(MethodId::SHARED_BIKE));
    }

    #[test]
    fn refunds_remove_savings_and_partial_refunds_scale_spend() {
        let books = Activity::SecondHand { spend: cny(10_000), goods: Goods::Books };
        let trip = Activity::Transit { mode: TransitMode::Bus, km: 8.5 };

        assert_eq!(after_refund(books.clone(), BillStatus::Refunded, &cny(0)), None);
        assert_eq!(after_refund(trip.clone(), BillStatus::Refunded, &cny(0)), None);
        assert_eq!(after_refund(trip.clone(), BillStatus::Posted, &cny(300)), Some(trip.clone()));

        // ¥100.00 of books, ¥40.00 kept: ¥40.00 ÷ 7.7355 = €5.170965; × 0.4222054752 kg/€ =
        // 2.183210 kg, 40 % of the 5.458024 kg the whole purchase would have saved.
        let kept = after_refund(books, BillStatus::PartiallyRefunded, &cny(4_000)).unwrap();
        assert_eq!(grams(kept), 2183);
        let kept_trip = after_refund(trip.clone(), BillStatus::PartiallyRefunded, &cny(100));
        assert_eq!(kept_trip, Some(trip), "a trip that was made still saved its km");
    }

    #[test]
    fn a_figure_carries_its_trace_and_the_trace_recomputes_it() {
        let activity = Activity::EvCharging { kwh: 30.0 };
        let figure = estimate(&activity).unwrap().figure();
        let trace = figure.trace.as_ref().unwrap();

        assert_eq!(figure.grams, 7348);
        assert_eq!(trace.basis, CarbonBasis::Measured);
        assert_eq!(trace.confidence, CarbonConfidence::Medium);
        let ids: Vec<&str> = trace.factors.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["ev-kwh-per-km-2024", "uk-car-petrol-2024", "cn-grid-2022"]);
        assert_eq!(Activity::from(&trace.activity), activity, "the wire activity is the input");
        assert_eq!(estimate(&Activity::from(&trace.activity)).unwrap().figure(), figure);
    }

    #[test]
    fn an_older_method_version_is_recomputed_and_an_equal_one_is_not() {
        let trip = Activity::Transit { mode: TransitMode::Metro, km: 10.0 };
        let mut figure = estimate(&trip).unwrap().figure();
        assert_eq!(newer_figure(&figure, BillStatus::Posted, &cny(400)), None, "same version");

        figure.method = "transit-distance@0".to_owned();
        figure.grams = 1_000;
        let newer = newer_figure(&figure, BillStatus::Posted, &cny(400)).unwrap();
        assert_eq!((newer.grams, newer.method), (1391, MethodId::TRANSIT_DISTANCE));

        assert_eq!(newer_figure(&figure, BillStatus::Refunded, &cny(0)), None, "refunded");
        figure.method = "shared-bike@0".to_owned();
        assert_eq!(newer_figure(&figure, BillStatus::Posted, &cny(400)), None, "wrong inputs");
        figure.trace = None;
        figure.method = "transit-distance@0".to_owned();
        assert_eq!(newer_figure(&figure, BillStatus::Posted, &cny(400)), None, "no inputs");
    }

    #[test]
    fn intermediate_results_print_to_six_decimals() {
        assert_eq!(approx(12.4 * (0.16691 - 0.0278)), "1.724964");
        assert_eq!(approx(16.098), "16.098");
        assert_eq!(approx(804.9), "804.9");
        assert_eq!(approx(7.0), "7");
        assert_eq!(approx(-0.0000001), "0");
    }

    #[test]
    fn zero_is_a_real_answer_for_zero_input() {
        assert_eq!(grams(Activity::SharedBike { km: 0.0 }), 0);
        assert_eq!(grams(Activity::SecondHand { spend: cny(0), goods: Goods::Books }), 0);
    }

    #[test]
    fn bad_quantities_are_errors() {
        for km in [-1.0, f64::NAN, f64::INFINITY] {
            let err = estimate(&Activity::Transit { mode: TransitMode::Metro, km }).unwrap_err();
            assert!(
                matches!(err, CarbonError::InvalidQuantity { field: "km", .. }),
                "km {km} is refused, got {err:?}"
            );
        }

        let err = estimate(&Activity::EvCharging { kwh: -3.0 }).unwrap_err();
        assert!(matches!(err, CarbonError::InvalidQuantity { field: "kwh", .. }));

        let err = estimate(&Activity::Appliance {
            baseline_kwh_per_year: 300.0,
            certified_kwh_per_year: 200.0,
            service_years: f64::NAN,
        })
        .unwrap_err();
        assert!(matches!(err, CarbonError::InvalidQuantity { field: "service_years", .. }));
    }

    #[test]
    fn appliance_above_baseline_is_an_error() {
        let err = estimate(&Activity::Appliance {
            baseline_kwh_per_year: 200.0,
            certified_kwh_per_year: 300.0,
            service_years: 10.0,
        })
        .unwrap_err();

        assert!(matches!(err, CarbonError::CertifiedAboveBaseline { .. }), "got {err:?}");
    }

    #[test]
    fn second_hand_money_must_be_cny_and_not_negative() {
        let usd = Activity::SecondHand { spend: Money::new(1000, "USD"), goods: Goods::Books };
        assert_eq!(estimate(&usd), Err(CarbonError::UnsupportedCurrency("USD".to_owned())));

        let refund = Activity::SecondHand { spend: cny(-500), goods: Goods::Books };
        assert_eq!(estimate(&refund), Err(CarbonError::NegativeSpend(-500)));
    }

    #[test]
    fn absurd_sizes_are_out_of_range() {
        let err = estimate(&Activity::SharedBike { km: 1e300 }).unwrap_err();

        assert!(matches!(err, CarbonError::OutOfRange(_)), "got {err:?}");
    }

    #[test]
    fn bad_factor_files_are_refused() {
        let one = factor_json("a", "0.5");
        let duplicate = format!(r#"{{"factors": [{one}, {one}]}}"#);
        assert!(matches!(FactorTable::from_json(&duplicate), Err(CarbonError::FactorTable(_))));

        let negative = format!(r#"{{"factors": [{}]}}"#, factor_json("a", "-0.5"));
        assert!(matches!(FactorTable::from_json(&negative), Err(CarbonError::FactorTable(_))));

        assert!(matches!(FactorTable::from_json("[]"), Err(CarbonError::FactorTable(_))));
    }

    fn factor_json(id: &str, value: &str) -> String {
        format!(
            r#"{{"id": "{id}", "value": {value}, "unit": "kg CO2e/km", "source": "s",
                "publisher": "p", "year": 2024, "licence": "l", "confidence": "low",
                "note": "n"}}"#
        )
    }
}
