//! Instalment arithmetic: what each plan costs per month and in all.
//!
//! Amounts are integer minor units, rounded half up per period as a lender does, with the last
//! instalment absorbing what rounding left over. Rates are only ever inputs here; a plan's
//! annualised rate by IRR belongs with the full schedule and comparison (issue 5).

use greenmile_api::{InstalmentPlan, Money, PlanKind, SubsidyPayer};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The kind of a plan, without its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PlanKindName {
    /// No interest or fee.
    InterestFree,
    /// A fee per period on the original principal.
    FeePerPeriod,
    /// A nominal annual rate with equal instalments.
    AnnualRate,
}

/// A plan as the offer list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PlanRow {
    /// Number of monthly instalments.
    pub months: u32,
    /// How the credit is charged for.
    pub kind: PlanKindName,
    /// The fee per period in basis points, for fee-per-period plans.
    pub fee_bp: Option<u32>,
    /// The nominal annual rate in basis points, for annual-rate plans.
    pub annual_rate_bp: Option<u32>,
    /// What a subsidy is worth, for subsidised interest-free plans.
    pub subsidy: Option<Money>,
    /// Who pays that subsidy.
    pub subsidy_payer: Option<SubsidyPayer>,
    /// The regular monthly payment (the last may differ by rounding).
    pub monthly_payment: Money,
    /// Everything paid over the plan: principal plus interest and fees.
    pub total_repaid: Money,
}

/// One instalment of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instalment {
    /// The part that repays principal, in minor units.
    pub principal: i64,
    /// Interest or fee, in minor units.
    pub charge: i64,
}

/// The instalments of `plan` on `principal` minor units.
pub fn schedule(principal: i64, plan: &InstalmentPlan) -> Vec<Instalment> {
    let n = i64::from(plan.months.max(1));
    let even_share = principal / n;
    let mut out = Vec::with_capacity(plan.months as usize);

    match &plan.kind {
        PlanKind::InterestFree { .. } | PlanKind::FeePerPeriod { .. } => {
            let fee = match &plan.kind {
                PlanKind::FeePerPeriod { fee_bp } => {
                    round_div(principal * i64::from(*fee_bp), 10_000)
                }
                _ => 0,
            };
            for k in 0..n {
                let part = if k == n - 1 { principal - even_share * (n - 1) } else { even_share };
                out.push(Instalment { principal: part, charge: fee });
            }
        }
        PlanKind::AnnualRate { annual_rate_bp } => {
            let r = f64::from(*annual_rate_bp) / 10_000.0 / 12.0;
            let payment = if r == 0.0 {
                even_share
            } else {
                (principal as f64 * r / (1.0 - (1.0 + r).powi(-(n as i32)))).round() as i64
            };
            let mut balance = principal;
            for k in 0..n {
                let interest = (balance as f64 * r).round() as i64;
                let part = if k == n - 1 { balance } else { (payment - interest).min(balance) };
                balance -= part;
                out.push(Instalment { principal: part, charge: interest });
            }
        }
    }
    out
}

/// The offer-list view of `plan` for an item costing `price`.
pub fn plan_row(price: &Money, plan: &InstalmentPlan) -> PlanRow {
    let instalments = schedule(price.minor, plan);
    let first = instalments.first().map(|i| i.principal + i.charge).unwrap_or(0);
    let total: i64 = instalments.iter().map(|i| i.principal + i.charge).sum();
    let money = |minor| Money { minor, currency: price.currency.clone() };

    let subsidy_payer = match &plan.kind {
        PlanKind::InterestFree { subsidy: Some(s) } => Some(s.payer),
        _ => None,
    };
    let (kind, fee_bp, annual_rate_bp, subsidy) = match &plan.kind {
        PlanKind::InterestFree { subsidy } => {
            (PlanKindName::InterestFree, None, None, subsidy.as_ref().map(|s| s.value.clone()))
        }
        PlanKind::FeePerPeriod { fee_bp } => {
            (PlanKindName::FeePerPeriod, Some(*fee_bp), None, None)
        }
        PlanKind::AnnualRate { annual_rate_bp } => {
            (PlanKindName::AnnualRate, None, Some(*annual_rate_bp), None)
        }
    };

    PlanRow {
        months: plan.months,
        kind,
        fee_bp,
        annual_rate_bp,
        subsidy,
        subsidy_payer,
        monthly_payment: money(first),
        total_repaid: money(total),
    }
}

/// `a / b` rounded half away from zero, for non-negative `a` and positive `b`.
fn round_div(a: i64, b: i64) -> i64 {
    (a + b / 2) / b
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(months: u32, kind: PlanKind) -> InstalmentPlan {
        InstalmentPlan { months, kind }
    }

    #[test]
    fn interest_free_last_instalment_absorbs_the_remainder() {
        let s = schedule(100_000, &plan(3, PlanKind::InterestFree { subsidy: None }));
        let parts: Vec<i64> = s.iter().map(|i| i.principal).collect();
        assert_eq!(parts, vec![33_333, 33_333, 33_334], "1,000.00 in 3 repays to the fen");
    }

    #[test]
    fn a_subsidised_plan_names_who_pays_and_what_it_is_worth() {
        let subsidy =
            greenmile_api::Subsidy { payer: SubsidyPayer::Bank, value: Money::cny(21_600) };
        let row = plan_row(
            &Money::cny(360_000),
            &plan(12, PlanKind::InterestFree { subsidy: Some(subsidy) }),
        );
        assert_eq!(row.subsidy_payer, Some(SubsidyPayer::Bank), "the payer is shown");
        assert_eq!(row.subsidy.map(|m| m.minor), Some(21_600), "its value is shown");
        assert_eq!(row.total_repaid.minor, 360_000, "the buyer repays only the price");
    }

    #[test]
    fn fee_per_period_charges_on_the_original_principal() {
        // 12 x 0.60 % of 6,000.00 = 36.00 a month; 500.00 principal a month.
        let row = plan_row(&Money::cny(600_000), &plan(12, PlanKind::FeePerPeriod { fee_bp: 60 }));
        assert_eq!(row.monthly_payment.minor, 53_600, "500.00 principal + 36.00 fee");
        assert_eq!(row.total_repaid.minor, 600_000 + 12 * 3_600, "principal plus 12 fees");
    }

    #[test]
    fn annual_rate_equal_instalments_match_the_annuity_formula() {
        // 12,000.00 over 12 months at 4.80 % a year: payment 1,026.19 (annuity formula).
        let row = plan_row(
            &Money::cny(1_200_000),
            &plan(12, PlanKind::AnnualRate { annual_rate_bp: 480 }),
        );
        assert_eq!(row.monthly_payment.minor, 102_619, "annuity payment rounded to the fen");
        let s = schedule(1_200_000, &plan(12, PlanKind::AnnualRate { annual_rate_bp: 480 }));
        assert_eq!(s.iter().map(|i| i.principal).sum::<i64>(), 1_200_000, "principal repaid");
        assert_eq!(row.total_repaid.minor, 1_231_429, "principal plus 314.29 interest");
    }
}
