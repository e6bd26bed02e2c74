//! Instalment arithmetic: each plan's schedule, what it costs, and its true annualised rate.
//!
//! A plan becomes a [`Schedule`] in whole minor units, billed the way a lender bills it:
//! interest and fees rounded half up each period, the principal split into equal parts rounded
//! down, and the last instalment absorbing whatever rounding left over, so the principal is
//! always repaid to the unit.
//!
//! The rate is then worked out from those rounded cash flows, never copied from the ad: the
//! monthly internal rate of return r at which the payments are worth what the borrower actually
//! received ([`monthly_irr`]). Twelve times r is the nominal annualised rate, which is both the
//! figure Chinese lenders must show since 2021 (IRR on the principal still owed) and the US
//! Regulation Z actuarial APR; (1 + r)^12 − 1 is the effective annual rate. For fee plans the
//! rate the ad implies (the fee per period × 12) is kept beside them, because that is the figure
//! that misleads: 0.6 % a month on the original principal is not 7.2 % a year but about 13 %.
//!
//! How the pieces fit: [`schedule`] and [`level_payment_schedule`] make schedules from a plan or
//! from a given payment; [`plan_row`] is the offer list's view of a plan; [`plan_detail`] and
//! [`level_payment_detail`] add dated instalments for the offer page and the calculator (the
//! latter is Regulation Z Appendix J's "given payment" form); [`compare`] ranks a few plans by
//! what they cost. Inputs are checked by [`validate`] and refused with an [`InstalmentError`].

use chrono::{Datelike, Months, NaiveDate};
use greenmile_api::{InstalmentPlan, Money, PlanKind, SubsidyPayer};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::CoreError;
use crate::money::{self, DecimalError};

/// The longest plan accepted: thirty years of monthly instalments.
pub const MAX_MONTHS: u32 = 360;

/// The highest nominal annual rate accepted, in basis points: 100 % a year.
pub const MAX_ANNUAL_RATE_BP: u32 = 10_000;

/// The highest fee accepted per period, in basis points of the principal: 10 %.
pub const MAX_FEE_BP: u32 = 1_000;

/// The highest fee accepted up front, in basis points: half the principal. It is further capped
/// at [`MAX_FEE_BP`] per period of the term, and keeps what the borrower receives above zero.
pub const MAX_UP_FRONT_FEE_BP: u32 = 5_000;

/// The monthly rate past which the rate search gives up: 1,000,000 % a month. Valid plans stay
/// far below it (the highest fees allowed give about 25 % a month on tiny principals).
const MAX_MONTHLY_RATE: f64 = 10_000.0;

/// Why instalment terms were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstalmentError {
    /// The principal is zero or negative.
    #[error("the principal must be more than zero (got {0} minor units)")]
    NonPositivePrincipal(i64),

    /// The principal is beyond the 10 billion major units GreenMile accepts anywhere.
    #[error("the principal of {0} minor units is too large")]
    PrincipalTooLarge(i64),

    /// The term is 0 months or longer than 360.
    #[error("a plan runs from 1 to {MAX_MONTHS} months (got {0})")]
    BadTerm(u32),

    /// A given level payment, made every month of the term, adds up to less than the principal.
    #[error(
        "a payment of {payment} minor units a month for {months} months can never repay a \
         principal of {principal}"
    )]
    PaymentTooSmall {
        /// The payment, in minor units.
        payment: i64,
        /// The term.
        months: u32,
        /// The principal, in minor units.
        principal: i64,
    },

    /// A given level payment implies a nominal annual rate above 100 %.
    #[error(
        "a payment of {payment} minor units a month for {months} months on a principal of \
         {principal} implies an annual rate above 100 %, which GreenMile does not accept"
    )]
    PaymentTooLarge {
        /// The payment, in minor units.
        payment: i64,
        /// The term.
        months: u32,
        /// The principal, in minor units.
        principal: i64,
    },

    /// A rate was typed with a minus sign.
    #[error("a rate cannot be negative (got {0:?})")]
    NegativeRate(String),

    /// A rate is not a decimal percentage with at most two decimals (whole basis points).
    #[error("not a usable rate: {0}")]
    BadRate(DecimalError),

    /// A stated nominal annual rate above 100 %.
    #[error(
        "an annual rate of {} % is beyond the 100 % GreenMile accepts",
        percent_text(*annual_rate_bp)
    )]
    RateTooHigh {
        /// The rate asked for, in basis points.
        annual_rate_bp: u32,
    },

    /// A fee above 10 % of the principal per period; for a fee charged up front, above 10 % per
    /// period of the term or above half the principal.
    #[error(
        "a fee of {} % of the principal is beyond the {} % GreenMile accepts for this plan",
        percent_text(*fee_bp),
        percent_text(*max_bp)
    )]
    FeeTooHigh {
        /// The fee asked for, in basis points of the principal.
        fee_bp: u32,
        /// The most accepted for this plan, in basis points.
        max_bp: u32,
    },

    /// A due date would fall past the end of the calendar chrono can represent.
    #[error("the monthly due dates from {0} run past the end of the calendar")]
    DateOutOfRange(NaiveDate),

    /// The cash flows have no rate of return of zero or more: they repay less than was
    /// received. A plan that passed [`validate`] never gets here.
    #[error("the payments have no rate of return of zero or more")]
    NoRate,

    /// A comparison of fewer than 2 or more than 4 plans.
    #[error("compare 2 to 4 plans (got {0})")]
    ComparisonSize(usize),

    /// Plans in different currencies were compared by what they cost.
    #[error("plans in {0} and {1} cannot be compared by what they cost")]
    MixedCurrencies(String, String),
}

impl From<InstalmentError> for CoreError {
    fn from(error: InstalmentError) -> Self {
        CoreError::InvalidInput(error.to_string())
    }
}

/// Basis points as percent text: 60 → "0.60".
fn percent_text(bp: u32) -> String {
    format!("{}.{:02}", bp / 100, bp % 100)
}

/// The kind of a plan, without its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PlanKindName {
    /// No interest or fee.
    InterestFree,
    /// A fee per period on the original principal.
    FeePerPeriod,
    /// A nominal annual rate with equal instalments (等额本息).
    AnnualRate,
    /// One fee charged at the start on the principal.
    FeeUpFront,
    /// Equal parts of principal plus interest on the balance (等额本金).
    EqualPrincipal,
    /// Equal instalments of a given amount, the rate unknown until worked out (the
    /// calculator's "given payment" form).
    LevelPayment,
}

/// A plan as the offer list shows it: its terms, what it costs, and its rates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanRow {
    /// Number of monthly instalments.
    pub months: u32,
    /// How the credit is charged for.
    pub kind: PlanKindName,
    /// The fee in basis points of the principal: per period for fee-per-period plans, once for
    /// fee-up-front plans.
    pub fee_bp: Option<u32>,
    /// The stated nominal annual rate in basis points, for annual-rate and equal-principal plans.
    pub annual_rate_bp: Option<u32>,
    /// What a subsidy is worth, for subsidised interest-free plans.
    pub subsidy: Option<Money>,
    /// Who pays that subsidy.
    pub subsidy_payer: Option<SubsidyPayer>,
    /// The amount lent: the offer's price, or the calculator's principal.
    pub principal: Money,
    /// The first monthly payment; the regular one, except that an equal-principal plan's
    /// payments fall over the term and the last may differ by rounding.
    pub monthly_payment: Money,
    /// The last monthly payment.
    pub last_payment: Money,
    /// The fee charged at the start, for fee-up-front plans.
    pub up_front_fee: Option<Money>,
    /// Everything paid over the plan: principal plus interest and fees.
    pub total_repaid: Money,
    /// What the credit costs: everything paid less the principal.
    pub total_cost: Money,
    /// The nominal annualised rate by IRR on the cash flows, in percent (12 × the monthly
    /// rate; the Regulation Z actuarial APR).
    pub apr_pct: f64,
    /// The effective annual rate, (1 + monthly rate)^12 − 1, in percent.
    pub effective_annual_rate_pct: f64,
    /// For fee plans, the annual rate the ad implies (the fee per month × 12), in percent.
    pub naive_rate_pct: Option<f64>,
}

/// One dated instalment of a schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ScheduleRow {
    /// 1 for the first instalment.
    pub number: u32,
    /// When it is due, `YYYY-MM-DD`.
    #[ts(type = "string")]
    pub due: NaiveDate,
    /// The part that repays principal.
    pub principal: Money,
    /// Interest or fee.
    pub charge: Money,
    /// What is paid: principal plus charge.
    pub payment: Money,
    /// Principal still owed after this instalment.
    pub remaining: Money,
}

/// A plan with its full schedule, for the offer page and the calculator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanDetail {
    /// The plan's terms, costs and rates.
    pub row: PlanRow,
    /// Every instalment, first to last.
    pub schedule: Vec<ScheduleRow>,
}

/// One plan of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ComparisonRow {
    /// What the caller called it ("Bank A, 12 months").
    pub label: String,
    /// The plan's terms, monthly payment, total cost, rates and subsidy.
    pub plan: PlanRow,
}

/// One instalment, in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instalment {
    /// The part that repays principal.
    pub principal: i64,
    /// Interest or fee.
    pub charge: i64,
    /// Principal still owed after this instalment.
    pub remaining: i64,
}

impl Instalment {
    /// What is paid: principal plus charge.
    pub fn payment(&self) -> i64 {
        self.principal + self.charge
    }
}

/// A plan's cash flows in minor units of one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// The principal lent.
    pub principal: i64,
    /// A fee taken at the start (fee-up-front plans); 0 otherwise.
    pub up_front_fee: i64,
    /// The monthly instalments, first to last.
    pub instalments: Vec<Instalment>,
}

impl Schedule {
    /// What the borrower actually receives at the start: the principal less any fee taken then.
    pub fn advance(&self) -> i64 {
        self.principal - self.up_front_fee
    }

    /// The monthly payments, first to last.
    pub fn payments(&self) -> Vec<i64> {
        self.instalments.iter().map(Instalment::payment).collect()
    }

    /// Everything paid: the instalments and any fee taken at the start.
    pub fn total_paid(&self) -> i64 {
        self.up_front_fee + self.instalments.iter().map(Instalment::payment).sum::<i64>()
    }

    /// What the credit costs: everything paid less the principal.
    pub fn total_cost(&self) -> i64 {
        self.total_paid() - self.principal
    }
}

/// A plan's rates, worked out from its cash flows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rates {
    /// The monthly IRR r.
    pub monthly: f64,
    /// 12 × r, in percent: the nominal annualised rate (APR).
    pub apr_pct: f64,
    /// (1 + r)^12 − 1, in percent.
    pub effective_annual_rate_pct: f64,
}

impl Rates {
    fn from_monthly(r: f64) -> Self {
        Self {
            monthly: r,
            apr_pct: r * 12.0 * 100.0,
            effective_annual_rate_pct: ((1.0 + r).powi(12) - 1.0) * 100.0,
        }
    }
}

/// Reads a percentage typed by a person ("0.6", "4.80") as whole basis points.
pub fn parse_percent_bp(text: &str) -> Result<u32, InstalmentError> {
    let bp = money::parse_scaled(text, 2, "a rate in hundredths of a percent")
        .map_err(InstalmentError::BadRate)?;
    if bp < 0 {
        return Err(InstalmentError::NegativeRate(text.to_owned()));
    }
    u32::try_from(bp).map_err(|_| InstalmentError::BadRate(DecimalError::TooLarge(text.to_owned())))
}

/// Checks that `plan` on `principal` minor units is something a lender could offer.
pub fn validate(principal: i64, plan: &InstalmentPlan) -> Result<(), InstalmentError> {
    validate_terms(principal, plan.months)?;

    match plan.kind {
        PlanKind::InterestFree { .. } => Ok(()),
        PlanKind::FeePerPeriod { fee_bp } => check_fee(fee_bp, MAX_FEE_BP),
        PlanKind::FeeUpFront { fee_bp } => {
            check_fee(fee_bp, MAX_FEE_BP.saturating_mul(plan.months).min(MAX_UP_FRONT_FEE_BP))
        }
        PlanKind::AnnualRate { annual_rate_bp } | PlanKind::EqualPrincipal { annual_rate_bp } => {
            if annual_rate_bp > MAX_ANNUAL_RATE_BP {
                return Err(InstalmentError::RateTooHigh { annual_rate_bp });
            }
            Ok(())
        }
    }
}

fn validate_terms(principal: i64, months: u32) -> Result<(), InstalmentError> {
    if principal <= 0 {
        return Err(InstalmentError::NonPositivePrincipal(principal));
    }
    if principal > money::MAX_MINOR {
        return Err(InstalmentError::PrincipalTooLarge(principal));
    }
    if !(1..=MAX_MONTHS).contains(&months) {
        return Err(InstalmentError::BadTerm(months));
    }
    Ok(())
}

fn check_fee(fee_bp: u32, max_bp: u32) -> Result<(), InstalmentError> {
    if fee_bp > max_bp {
        return Err(InstalmentError::FeeTooHigh { fee_bp, max_bp });
    }
    Ok(())
}

/// The instalments of `plan` on `principal` minor units, as a lender bills them.
pub fn schedule(principal: i64, plan: &InstalmentPlan) -> Result<Schedule, InstalmentError> {
    validate(principal, plan)?;

    let months = plan.months;
    let (up_front_fee, instalments) = match plan.kind {
        PlanKind::InterestFree { .. } => (0, equal_parts(principal, months, |_| 0)),
        PlanKind::FeePerPeriod { fee_bp } => {
            // The fee is on the original principal every period, however much is still owed:
            // that is what makes the true rate about twice the advertised one.
            let fee = share(principal, fee_bp);
            (0, equal_parts(principal, months, |_| fee))
        }
        PlanKind::FeeUpFront { fee_bp } => {
            (share(principal, fee_bp), equal_parts(principal, months, |_| 0))
        }
        PlanKind::EqualPrincipal { annual_rate_bp } => {
            (0, equal_parts(principal, months, |owed| monthly_interest(owed, annual_rate_bp)))
        }
        PlanKind::AnnualRate { annual_rate_bp } => (0, annuity(principal, months, annual_rate_bp)),
    };
    Ok(Schedule { principal, up_front_fee, instalments })
}

/// Principal in equal parts rounded down, the last taking the remainder; `charge` gets the
/// principal owed before each instalment.
///
/// Rounding the parts down (not half up) keeps every part at zero or more and the last within
/// `months` units of the others, however small the principal.
fn equal_parts(principal: i64, months: u32, charge: impl Fn(i64) -> i64) -> Vec<Instalment> {
    let part = principal / i64::from(months);
    let mut owed = principal;

    (1..=months)
        .map(|k| {
            let charge = charge(owed);
            let principal = if k == months { owed } else { part };
            owed -= principal;
            Instalment { principal, charge, remaining: owed }
        })
        .collect()
}

/// 等额本息: a level payment from the annuity formula rounded half up, interest on what is
/// owed rounded half up each month, and the last payment clearing what is left.
fn annuity(principal: i64, months: u32, annual_rate_bp: u32) -> Vec<Instalment> {
    if annual_rate_bp == 0 {
        return equal_parts(principal, months, |_| 0);
    }

    let r = f64::from(annual_rate_bp) / 120_000.0;
    // months ≤ MAX_MONTHS (validated), so the cast to i32 is exact.
    let level = (principal as f64 * r / (1.0 - (1.0 + r).powi(-(months as i32)))).round() as i64;
    let mut owed = principal;

    (1..=months)
        .map(|k| {
            let interest = monthly_interest(owed, annual_rate_bp);
            // The rounded level payment never falls below the first month's rounded interest
            // (rounding is monotone and the exact payment exceeds the exact interest), so parts
            // stay at zero or more; the clamp only keeps that true against float surprises.
            let principal = if k == months { owed } else { (level - interest).clamp(0, owed) };
            owed -= principal;
            Instalment { principal, charge: interest, remaining: owed }
        })
        .collect()
}

/// A month's interest on `owed` at `annual_rate_bp` a year, rounded half up, in exact integers.
fn monthly_interest(owed: i64, annual_rate_bp: u32) -> i64 {
    round_div(i128::from(owed) * i128::from(annual_rate_bp), 120_000)
}

/// `bp` basis points of `amount`, rounded half up.
fn share(amount: i64, bp: u32) -> i64 {
    round_div(i128::from(amount) * i128::from(bp), 10_000)
}

/// `a / b` rounded half up, for non-negative `a` and positive `b`; the quotient fits i64
/// because `a` is an amount ≤ 10^12 times a rate ≤ 10^4 over at least 10^4.
fn round_div(a: i128, b: i128) -> i64 {
    i64::try_from((a + b / 2) / b).unwrap_or(i64::MAX)
}

/// The schedule of `months` equal payments of `payment` on `principal`, and the monthly rate
/// that makes them repay it exactly (Regulation Z Appendix J's "given payment" form).
///
/// Each row's remaining principal is the exact balance at that rate rounded half up, so every
/// payment is exactly `payment`, parts never go below zero, and rounding cannot compound.
pub fn level_payment_schedule(
    principal: i64,
    months: u32,
    payment: i64,
) -> Result<(Schedule, f64), InstalmentError> {
    validate_terms(principal, months)?;
    if payment <= 0 || i128::from(payment) * i128::from(months) < i128::from(principal) {
        return Err(InstalmentError::PaymentTooSmall { payment, months, principal });
    }

    let payments = vec![payment; months as usize];
    let too_large = InstalmentError::PaymentTooLarge { payment, months, principal };
    let r = monthly_irr(principal, &payments).ok_or_else(|| too_large.clone())?;
    if r * 12.0 > f64::from(MAX_ANNUAL_RATE_BP) / 10_000.0 {
        return Err(too_large);
    }

    let mut exact = principal as f64;
    let mut owed = principal;
    let instalments = (1..=months)
        .map(|k| {
            exact = exact * (1.0 + r) - payment as f64;
            let next = if k == months { 0 } else { (exact.round() as i64).clamp(0, owed) };
            let part = owed - next;
            owed = next;
            Instalment { principal: part, charge: payment - part, remaining: next }
        })
        .collect();
    Ok((Schedule { principal, up_front_fee: 0, instalments }, r))
}

/// The monthly rate r ≥ 0 at which `payments`, one a month from a month after the start, are
/// worth `advance` received at the start; `None` when no such rate exists (they repay less
/// than the advance, a payment is negative, or the rate is beyond all reason).
///
/// Bisection, because the present value of non-negative payments falls strictly as the rate
/// rises: it cannot diverge or produce NaN, and the step bound ends it even where float
/// rounding would stall it.
pub fn monthly_irr(advance: i64, payments: &[i64]) -> Option<f64> {
    if advance <= 0 || payments.iter().any(|p| *p < 0) {
        return None;
    }
    let repaid: i128 = payments.iter().map(|p| i128::from(*p)).sum();
    match repaid.cmp(&i128::from(advance)) {
        std::cmp::Ordering::Less => return None,
        std::cmp::Ordering::Equal => return Some(0.0),
        std::cmp::Ordering::Greater => {}
    }

    let surplus = |r: f64| present_value(payments, r) - advance as f64;
    let mut high = 1.0;
    while surplus(high) > 0.0 {
        high *= 2.0;
        if high > MAX_MONTHLY_RATE {
            return None;
        }
    }

    let mut low = 0.0;
    for _ in 0..200 {
        let mid = 0.5 * (low + high);
        if mid <= low || mid >= high {
            break;
        }
        if surplus(mid) > 0.0 {
            low = mid;
        } else {
            high = mid;
        }
    }
    Some(0.5 * (low + high))
}

/// What `payments` one a month are worth now, discounted at `r` a month.
fn present_value(payments: &[i64], r: f64) -> f64 {
    let discount = 1.0 / (1.0 + r);
    let (value, _) = payments.iter().fold((0.0, 1.0), |(value, factor), p| {
        let factor = factor * discount;
        (value + *p as f64 * factor, factor)
    });
    value
}

/// The rates of `schedule`, from its cash flows.
pub fn rates(schedule: &Schedule) -> Result<Rates, InstalmentError> {
    monthly_irr(schedule.advance(), &schedule.payments())
        .map(Rates::from_monthly)
        .ok_or(InstalmentError::NoRate)
}

/// The monthly due dates from `first_due`, each on the first's day of the month or the month's
/// last day when it has no such day (31 January, 28 February, 31 March).
pub fn due_dates(first_due: NaiveDate, months: u32) -> Result<Vec<NaiveDate>, InstalmentError> {
    (0..months)
        .map(|k| {
            // Dates past year 9999 cannot be written as YYYY-MM-DD.
            first_due
                .checked_add_months(Months::new(k))
                .filter(|due| due.year() <= 9999)
                .ok_or(InstalmentError::DateOutOfRange(first_due))
        })
        .collect()
}

/// The offer-list view of `plan` on an item costing `price`.
pub fn plan_row(price: &Money, plan: &InstalmentPlan) -> Result<PlanRow, InstalmentError> {
    let schedule = schedule(price.minor, plan)?;
    let rates = rates(&schedule)?;
    Ok(row(price, terms(plan), &schedule, rates))
}

/// `plan` on `price` with its schedule, the first instalment due on `first_due`.
pub fn plan_detail(
    price: &Money,
    plan: &InstalmentPlan,
    first_due: NaiveDate,
) -> Result<PlanDetail, InstalmentError> {
    let schedule = schedule(price.minor, plan)?;
    let rates = rates(&schedule)?;
    let row = row(price, terms(plan), &schedule, rates);
    detail(row, &schedule, first_due)
}

/// `months` payments of `payment` minor units on `principal`, with the rate they imply and
/// their schedule, the first due on `first_due`.
pub fn level_payment_detail(
    principal: &Money,
    months: u32,
    payment: i64,
    first_due: NaiveDate,
) -> Result<PlanDetail, InstalmentError> {
    let (schedule, r) = level_payment_schedule(principal.minor, months, payment)?;
    let terms = Terms {
        months,
        kind: PlanKindName::LevelPayment,
        fee_bp: None,
        annual_rate_bp: None,
        subsidy: None,
        subsidy_payer: None,
        naive_rate_pct: None,
    };
    let row = row(principal, terms, &schedule, Rates::from_monthly(r));
    detail(row, &schedule, first_due)
}

/// Ranks 2 to 4 `(label, principal, plan)` by total cost, then by annualised rate.
pub fn compare(
    options: &[(String, Money, InstalmentPlan)],
) -> Result<Vec<ComparisonRow>, InstalmentError> {
    if !(2..=4).contains(&options.len()) {
        return Err(InstalmentError::ComparisonSize(options.len()));
    }
    let currency = &options[0].1.currency;
    if let Some((_, other, _)) = options.iter().find(|(_, p, _)| &p.currency != currency) {
        return Err(InstalmentError::MixedCurrencies(currency.clone(), other.currency.clone()));
    }

    let mut rows = options
        .iter()
        .map(|(label, principal, plan)| {
            Ok(ComparisonRow { label: label.clone(), plan: plan_row(principal, plan)? })
        })
        .collect::<Result<Vec<_>, InstalmentError>>()?;
    rows.sort_by(|a, b| {
        a.plan
            .total_cost
            .minor
            .cmp(&b.plan.total_cost.minor)
            .then(a.plan.apr_pct.total_cmp(&b.plan.apr_pct))
    });
    Ok(rows)
}

/// What a row says about a plan's terms, apart from the figures worked out.
struct Terms {
    months: u32,
    kind: PlanKindName,
    fee_bp: Option<u32>,
    annual_rate_bp: Option<u32>,
    subsidy: Option<Money>,
    subsidy_payer: Option<SubsidyPayer>,
    naive_rate_pct: Option<f64>,
}

fn terms(plan: &InstalmentPlan) -> Terms {
    let base = Terms {
        months: plan.months,
        kind: PlanKindName::InterestFree,
        fee_bp: None,
        annual_rate_bp: None,
        subsidy: None,
        subsidy_payer: None,
        naive_rate_pct: None,
    };
    match &plan.kind {
        PlanKind::InterestFree { subsidy } => Terms {
            subsidy: subsidy.as_ref().map(|s| s.value.clone()),
            subsidy_payer: subsidy.as_ref().map(|s| s.payer),
            ..base
        },
        // The ad's rate: the fee per month times twelve, as if charged on a balance that
        // never falls.
        PlanKind::FeePerPeriod { fee_bp } => Terms {
            kind: PlanKindName::FeePerPeriod,
            fee_bp: Some(*fee_bp),
            naive_rate_pct: Some(f64::from(*fee_bp) * 12.0 / 100.0),
            ..base
        },
        // Spread over the term, the one fee is fee / months per month, so twelve of those.
        PlanKind::FeeUpFront { fee_bp } => Terms {
            kind: PlanKindName::FeeUpFront,
            fee_bp: Some(*fee_bp),
            naive_rate_pct: Some(f64::from(*fee_bp) * 12.0 / f64::from(plan.months) / 100.0),
            ..base
        },
        PlanKind::AnnualRate { annual_rate_bp } => {
            Terms { kind: PlanKindName::AnnualRate, annual_rate_bp: Some(*annual_rate_bp), ..base }
        }
        PlanKind::EqualPrincipal { annual_rate_bp } => Terms {
            kind: PlanKindName::EqualPrincipal,
            annual_rate_bp: Some(*annual_rate_bp),
            ..base
        },
    }
}

fn row(principal: &Money, terms: Terms, schedule: &Schedule, rates: Rates) -> PlanRow {
    let money = |minor| Money::new(minor, &principal.currency);
    let first = schedule.instalments.first().map_or(0, Instalment::payment);
    let last = schedule.instalments.last().map_or(0, Instalment::payment);

    PlanRow {
        months: terms.months,
        kind: terms.kind,
        fee_bp: terms.fee_bp,
        annual_rate_bp: terms.annual_rate_bp,
        subsidy: terms.subsidy,
        subsidy_payer: terms.subsidy_payer,
        principal: principal.clone(),
        monthly_payment: money(first),
        last_payment: money(last),
        up_front_fee: (terms.kind == PlanKindName::FeeUpFront)
            .then(|| money(schedule.up_front_fee)),
        total_repaid: money(schedule.total_paid()),
        total_cost: money(schedule.total_cost()),
        apr_pct: rates.apr_pct,
        effective_annual_rate_pct: rates.effective_annual_rate_pct,
        naive_rate_pct: terms.naive_rate_pct,
    }
}

fn detail(
    row: PlanRow,
    schedule: &Schedule,
    first_due: NaiveDate,
) -> Result<PlanDetail, InstalmentError> {
    let dates = due_dates(first_due, row.months)?;
    let money = |minor| Money::new(minor, &row.principal.currency);

    let schedule = schedule
        .instalments
        .iter()
        .zip(dates)
        .zip(1..)
        .map(|((i, due), number)| ScheduleRow {
            number,
            due,
            principal: money(i.principal),
            charge: money(i.charge),
            payment: money(i.payment()),
            remaining: money(i.remaining),
        })
        .collect();
    Ok(PlanDetail { row, schedule })
}

#[cfg(test)]
mod tests;

/// How a calculator request describes the credit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CalcMethod {
    /// No interest or fee.
    InterestFree,
    /// `rate` is the fee per month, in percent of the principal.
    FeePerPeriod,
    /// `rate` is the whole fee, charged once at the start, in percent of the principal.
    FeeUpFront,
    /// `rate` is a nominal annual rate in percent, equal instalments (等额本息).
    AnnualRate,
    /// `rate` is a nominal annual rate in percent, equal principal parts (等额本金).
    EqualPrincipal,
    /// `payment` is the level monthly payment; the rate is worked out from it.
    LevelPayment,
}

/// A calculator request as people type it: amounts and percentages as decimal text, read
/// exactly, never through a float.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CalcRequest {
    /// The amount borrowed, such as `"12000"` or `"12,000.50"`.
    pub principal: String,
    /// ISO 4217 code of the amounts.
    pub currency: String,
    /// Number of monthly instalments.
    pub months: u32,
    /// How the credit is charged for.
    pub method: CalcMethod,
    /// The percentage `method` asks for, such as `"0.6"`.
    pub rate: Option<String>,
    /// The level payment, for [`CalcMethod::LevelPayment`].
    pub payment: Option<String>,
    /// When the first instalment is due, `YYYY-MM-DD`; a month after `today` when absent.
    pub first_due: Option<String>,
}

/// Works out the plan `request` describes; every refusal is a clear
/// [`crate::CoreError::InvalidInput`].
pub fn calculate(request: &CalcRequest, today: NaiveDate) -> Result<PlanDetail, CoreError> {
    let invalid =
        |what: &str, e: &dyn std::fmt::Display| CoreError::InvalidInput(format!("{what}: {e}"));

    let principal = money::parse_amount(&request.principal, &request.currency)
        .map_err(|e| invalid("principal", &e))?;
    let rate = || -> Result<u32, CoreError> {
        let text = request
            .rate
            .as_deref()
            .ok_or_else(|| CoreError::InvalidInput("a rate is needed for this plan".to_owned()))?;
        parse_percent_bp(text).map_err(|e| invalid("rate", &e))
    };
    let first_due = match request.first_due.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|e| invalid("first due date", &e))?,
        None => today.checked_add_months(Months::new(1)).ok_or_else(|| {
            CoreError::InvalidInput("no date a month from today; give a first due date".into())
        })?,
    };

    let kind = match request.method {
        CalcMethod::InterestFree => PlanKind::InterestFree { subsidy: None },
        CalcMethod::FeePerPeriod => PlanKind::FeePerPeriod { fee_bp: rate()? },
        CalcMethod::FeeUpFront => PlanKind::FeeUpFront { fee_bp: rate()? },
        CalcMethod::AnnualRate => PlanKind::AnnualRate { annual_rate_bp: rate()? },
        CalcMethod::EqualPrincipal => PlanKind::EqualPrincipal { annual_rate_bp: rate()? },
        CalcMethod::LevelPayment => {
            let text = request.payment.as_deref().ok_or_else(|| {
                CoreError::InvalidInput("a monthly payment is needed for this plan".to_owned())
            })?;
            let payment =
                money::parse_amount(text, &request.currency).map_err(|e| invalid("payment", &e))?;
            return level_payment_detail(&principal, request.months, payment.minor, first_due)
                .map_err(CoreError::from);
        }
    };
    let plan = InstalmentPlan { months: request.months, kind };
    plan_detail(&principal, &plan, first_due).map_err(CoreError::from)
}
