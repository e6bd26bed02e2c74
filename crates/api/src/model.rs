//! The items of the three collections: bills, offers and carbon ledger entries.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// An amount of money: an integer count of the currency's minor units (fen for CNY, cents for
/// USD) and its ISO 4217 code. Never a float.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
pub struct Money {
    /// Minor units; negative only where a field says so.
    #[schema(example = 129900)]
    #[ts(type = "number")]
    pub minor: i64,
    /// ISO 4217 alphabetic code, upper case.
    #[schema(example = "CNY", pattern = "^[A-Z]{3}$")]
    pub currency: String,
}

impl Money {
    /// Minor units of `currency`.
    pub fn new(minor: i64, currency: &str) -> Self {
        Self { minor, currency: currency.to_owned() }
    }

    /// An amount in Chinese yuan, in fen.
    pub fn cny(fen: i64) -> Self {
        Self::new(fen, "CNY")
    }
}

/// What kind of green consumption a bill or offer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum GreenCategory {
    /// An appliance with a first- or second-grade China energy label.
    EnergyEfficientAppliance,
    /// Metro, bus and rail fares.
    PublicTransport,
    /// Shared bicycle rides.
    SharedBike,
    /// Charging an electric vehicle.
    EvCharging,
    /// Buying second-hand goods.
    SecondHand,
    /// Selling or handing in goods for recycling.
    Recycling,
    /// Certified organic or green food.
    GreenFood,
}

impl GreenCategory {
    /// Every category, in the order screens list them.
    pub const ALL: [GreenCategory; 7] = [
        GreenCategory::EnergyEfficientAppliance,
        GreenCategory::PublicTransport,
        GreenCategory::SharedBike,
        GreenCategory::EvCharging,
        GreenCategory::SecondHand,
        GreenCategory::Recycling,
        GreenCategory::GreenFood,
    ];

    /// The snake_case name used on the wire and in the cache.
    pub fn as_str(self) -> &'static str {
        match self {
            GreenCategory::EnergyEfficientAppliance => "energy_efficient_appliance",
            GreenCategory::PublicTransport => "public_transport",
            GreenCategory::SharedBike => "shared_bike",
            GreenCategory::EvCharging => "ev_charging",
            GreenCategory::SecondHand => "second_hand",
            GreenCategory::Recycling => "recycling",
            GreenCategory::GreenFood => "green_food",
        }
    }

    /// The category with this wire name, if there is one.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// How far a bill's green claim has been checked, along the chain merchant self-declaration,
/// platform review, finance certification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum Certification {
    /// Nobody has checked the claim.
    Unverified,
    /// The merchant declared the goods green.
    SelfDeclared,
    /// The payment platform reviewed the merchant's declaration.
    PlatformReviewed,
    /// A financial institution certified the purchase as green.
    FinanceCertified,
}

impl Certification {
    /// The snake_case name used on the wire and in the cache.
    pub fn as_str(self) -> &'static str {
        match self {
            Certification::Unverified => "unverified",
            Certification::SelfDeclared => "self_declared",
            Certification::PlatformReviewed => "platform_reviewed",
            Certification::FinanceCertified => "finance_certified",
        }
    }

    /// The level with this wire name, if there is one.
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Unverified, Self::SelfDeclared, Self::PlatformReviewed, Self::FinanceCertified]
            .into_iter()
            .find(|c| c.as_str() == name)
    }
}

/// Where a bill stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum BillStatus {
    /// Paid and kept.
    Posted,
    /// Part of the amount came back; `amount` is what was finally paid.
    PartiallyRefunded,
    /// All of it came back; `amount` is zero and the bill saves no carbon.
    Refunded,
}

impl BillStatus {
    /// The snake_case name used on the wire and in the cache.
    pub fn as_str(self) -> &'static str {
        match self {
            BillStatus::Posted => "posted",
            BillStatus::PartiallyRefunded => "partially_refunded",
            BillStatus::Refunded => "refunded",
        }
    }

    /// The status with this wire name, if there is one.
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Posted, Self::PartiallyRefunded, Self::Refunded]
            .into_iter()
            .find(|c| c.as_str() == name)
    }
}

/// A carbon figure and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CarbonFigure {
    /// Grams of CO2e saved against the method's baseline.
    #[schema(example = 1830)]
    pub grams: i64,
    /// The method that produced the figure, `name@version`.
    #[schema(example = "transit-distance@1")]
    pub method: String,
    /// What the method was given and read, enough to explain and recompute the figure; absent
    /// from servers older than it, whose figures can be shown but not traced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<CarbonTrace>,
}

/// How a carbon figure was made: the method's inputs, the factors it read, the baseline and
/// how far to trust the result. `grams` is what the method computes from `activity`; the factor
/// values are the ones it read, so a client can tell a changed factor from a changed input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, TS)]
pub struct CarbonTrace {
    /// What the bill says happened, in the quantities the method needs.
    pub activity: CarbonActivity,
    /// Every factor the method read, in the order its formula uses them.
    pub factors: Vec<FactorValue>,
    /// What the saving is measured against.
    #[schema(example = "the same distance by an average car")]
    pub baseline: String,
    /// Whether the figure rests on a recorded quantity or on an estimate.
    pub basis: CarbonBasis,
    /// How far the figure can be trusted: the weakest factor, capped by the method.
    pub confidence: CarbonConfidence,
}

/// What a bill says happened, in the quantities a carbon method needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CarbonActivity {
    /// An energy-efficient appliance bought instead of a grade-3 one.
    Appliance {
        /// Label consumption of the grade-3 appliance it is compared with, kWh a year.
        baseline_kwh_per_year: f64,
        /// Label consumption of the appliance bought, kWh a year.
        certified_kwh_per_year: f64,
        /// Years the appliance is expected to serve.
        service_years: f64,
    },
    /// A trip by public transport.
    Transit {
        /// How the trip was made.
        mode: TransitMode,
        /// Distance travelled, km.
        km: f64,
    },
    /// A shared bicycle ride.
    SharedBike {
        /// Distance ridden, km.
        km: f64,
    },
    /// Charging an electric car.
    EvCharging {
        /// Energy delivered to the car, kWh.
        kwh: f64,
    },
    /// Buying goods second-hand instead of new.
    SecondHand {
        /// What was paid, after any partial refund.
        spend: Money,
        /// What was bought.
        goods: SecondHandGoods,
    },
}

/// How a transit trip was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum TransitMode {
    /// An urban metro (subway) line.
    Metro,
    /// A city bus.
    Bus,
}

impl TransitMode {
    /// Every mode.
    pub const ALL: [TransitMode; 2] = [TransitMode::Metro, TransitMode::Bus];

    /// The snake_case name used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            TransitMode::Metro => "metro",
            TransitMode::Bus => "bus",
        }
    }
}

/// The kind of goods bought second-hand, which decides the new goods it stands in for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum SecondHandGoods {
    /// Furniture and home furnishings (MCC 5712).
    Furniture,
    /// Phones, computers and other electronics (MCC 5732).
    Electronics,
    /// Clothing (MCC 5651).
    Clothing,
    /// Books (MCC 5942).
    Books,
    /// Bicycles, counted with sporting goods (MCC 5941).
    Bicycle,
}

impl SecondHandGoods {
    /// Every kind of goods.
    pub const ALL: [SecondHandGoods; 5] = [
        SecondHandGoods::Furniture,
        SecondHandGoods::Electronics,
        SecondHandGoods::Clothing,
        SecondHandGoods::Books,
        SecondHandGoods::Bicycle,
    ];

    /// The snake_case name used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            SecondHandGoods::Furniture => "furniture",
            SecondHandGoods::Electronics => "electronics",
            SecondHandGoods::Clothing => "clothing",
            SecondHandGoods::Books => "books",
            SecondHandGoods::Bicycle => "bicycle",
        }
    }
}

/// An emission factor (or conversion rate) as a method read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, TS)]
pub struct FactorValue {
    /// The factor's stable id in GreenMile's factor table.
    #[schema(example = "uk-car-average-2024")]
    pub id: String,
    /// The value read.
    #[schema(example = 0.16691)]
    pub value: f64,
    /// What the value counts.
    #[schema(example = "kg CO2e/km")]
    pub unit: String,
}

/// What a carbon figure rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum CarbonBasis {
    /// A quantity the bill records (km travelled, kWh charged) times published factors.
    Measured,
    /// An assumption stands in for a measurement: money spent stands in for the goods
    /// (spend-based), or label consumption is projected over an assumed service life.
    Estimated,
}

/// How far a factor or a carbon figure can be trusted. Ordered: `Low < Medium < High`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema, TS,
)]
#[serde(rename_all = "snake_case")]
pub enum CarbonConfidence {
    /// An order of magnitude: a proxy or a rough assumption stands in for a measurement.
    Low,
    /// A sound figure used outside its home (for example a UK factor applied in China).
    Medium,
    /// An official figure used for what it describes.
    High,
}

impl CarbonConfidence {
    /// The snake_case name used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            CarbonConfidence::Low => "low",
            CarbonConfidence::Medium => "medium",
            CarbonConfidence::High => "high",
        }
    }
}

/// A green bill: one purchase that counts as green consumption.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Bill {
    /// Stable id; never reused.
    #[schema(example = "b-000123")]
    pub id: String,
    /// When the payment happened.
    pub occurred_at: DateTime<Utc>,
    /// Who was paid.
    #[schema(example = "北京地铁")]
    pub merchant: String,
    /// What was bought, as the payment platform describes it.
    #[schema(example = "地铁出行 12.4 km")]
    pub item: String,
    /// Why the bill counts as green.
    pub category: GreenCategory,
    /// What was finally paid, refunds taken off.
    pub amount: Money,
    /// How far the green claim has been checked.
    pub certification: Certification,
    /// The id of the recognition rule that found the purchase green, when a rule did (bills
    /// read from payment exports, by GreenMile's rules in `assets/green/rules.json`).
    #[schema(example = "metro-fare")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub green_rule: Option<String>,
    /// Carbon saved, or absent when no method can tell (never a made-up zero).
    pub carbon: Option<CarbonFigure>,
    /// Where the bill stands.
    pub status: BillStatus,
    /// The instalment plan the purchase is being paid off with, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instalment: Option<HeldInstalment>,
    /// Rises by one each time the server changes the bill.
    pub version: i64,
}

/// An instalment plan the user holds: the purchase of a bill, paid off month by month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HeldInstalment {
    /// The offer the plan was taken from, where there was one.
    pub offer_id: Option<String>,
    /// The amount financed.
    pub principal: Money,
    /// The plan's terms.
    pub plan: InstalmentPlan,
    /// The calendar date the first instalment is due; the rest fall monthly after it.
    #[schema(value_type = String, format = Date, example = "2026-12-15")]
    pub first_due: chrono::NaiveDate,
}

/// Who pays the subsidy of an interest-free plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum SubsidyPayer {
    /// The seller pays the lender.
    Merchant,
    /// The payment platform pays the lender.
    Platform,
    /// The lending bank forgoes the interest.
    Bank,
}

/// A subsidy: who pays and what it is worth to the buyer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Subsidy {
    /// Who pays it.
    pub payer: SubsidyPayer,
    /// What the buyer would otherwise have paid.
    pub value: Money,
}

/// How an instalment plan charges for the credit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlanKind {
    /// No interest or fee; someone else may pay the lender.
    InterestFree {
        /// The subsidy that makes it free, where one is declared.
        subsidy: Option<Subsidy>,
    },
    /// A fee each period, a fixed share of the original principal (分期手续费).
    FeePerPeriod {
        /// The fee per period in basis points of the principal (60 = 0.60 %).
        fee_bp: u32,
    },
    /// A nominal annual rate with equal instalments (等额本息).
    AnnualRate {
        /// The nominal annual rate in basis points (480 = 4.80 %).
        annual_rate_bp: u32,
    },
    /// One fee charged at the start, a share of the principal; the borrower effectively
    /// receives the principal less the fee and repays the principal in equal parts.
    FeeUpFront {
        /// The whole fee in basis points of the principal (300 = 3.00 %).
        fee_bp: u32,
    },
    /// Equal parts of principal each period plus interest on the balance still owed (等额本金),
    /// so payments fall over the term.
    EqualPrincipal {
        /// The nominal annual rate in basis points (480 = 4.80 %).
        annual_rate_bp: u32,
    },
}

/// One way to pay for an offer in instalments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct InstalmentPlan {
    /// Number of monthly instalments.
    #[schema(example = 12)]
    pub months: u32,
    /// How the credit is charged for.
    #[serde(flatten)]
    pub kind: PlanKind,
}

/// A green instalment offer: a product, its price and the plans it can be paid with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Offer {
    /// Stable id; never reused.
    #[schema(example = "o-0007")]
    pub id: String,
    /// Who sells it.
    pub merchant: String,
    /// What is offered.
    pub product: String,
    /// Why the product counts as green.
    pub category: GreenCategory,
    /// How far the green claim has been checked.
    pub certification: Certification,
    /// The cash price.
    pub price: Money,
    /// One or more ways to pay.
    pub plans: Vec<InstalmentPlan>,
    /// The offer holds from this instant...
    pub valid_from: DateTime<Utc>,
    /// ...until this one.
    pub valid_until: DateTime<Utc>,
    /// Rises by one each time the server changes the offer.
    pub version: i64,
}

/// One entry of the carbon ledger: grams saved, by which method, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CarbonEntry {
    /// Stable id; never reused.
    pub id: String,
    /// The bill the saving comes from, where there is one.
    pub bill_id: Option<String>,
    /// Grams of CO2e saved.
    pub grams: i64,
    /// The method that produced the figure, `name@version`.
    pub method: String,
    /// When the saving happened.
    pub occurred_at: DateTime<Utc>,
    /// Rises by one each time the server changes the entry.
    pub version: i64,
}
