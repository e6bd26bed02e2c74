//! `greenmile offers calc`: a plan's schedule, what it costs and its true annualised rate.
//!
//! [`parse`] reads the flags into terms (amounts and percentages exactly, from decimal text)
//! and refuses bad ones; [`greenmile_core::instalment`] does the maths; the rest prints. Every
//! refusal is a [`CoreError::InvalidInput`], so it prints like any other error and exits 1.

use chrono::{Months, NaiveDate};
use greenmile_api::{InstalmentPlan, Money, PlanKind};
use greenmile_core::CoreError;
use greenmile_core::instalment::{self, InstalmentError, PlanDetail, PlanKindName, ScheduleRow};
use greenmile_core::money;
use serde::Serialize;

use crate::{CalcArgs, outln, output};

/// How the credit is charged for, as the flags say.
#[derive(Debug, Clone, PartialEq)]
enum Terms {
    /// A plan of one of the offer kinds.
    Plan(PlanKind),
    /// A level payment in minor units; the rate is what is worked out.
    Payment(i64),
}

/// What the flags ask to work out, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Calculation {
    principal: Money,
    months: u32,
    terms: Terms,
    first_due: NaiveDate,
}

/// Works out and prints what `args` ask for; `today` sets the default first due date.
pub fn run(json: bool, args: &CalcArgs, today: NaiveDate) -> anyhow::Result<()> {
    let calc = parse(args, today)?;

    let detail = match &calc.terms {
        Terms::Plan(kind) => {
            let plan = InstalmentPlan { months: calc.months, kind: kind.clone() };
            instalment::plan_detail(&calc.principal, &plan, calc.first_due)
        }
        Terms::Payment(payment) => {
            instalment::level_payment_detail(&calc.principal, calc.months, *payment, calc.first_due)
        }
    }
    .map_err(|e| explain(e, &calc.principal.currency))?;

    if json {
        return output::json(&CalcJson::from(&detail));
    }
    print_text(&detail)
}

/// Reads the flags of `greenmile offers calc`.
pub fn parse(args: &CalcArgs, today: NaiveDate) -> Result<Calculation, CoreError> {
    let invalid = |message: String| CoreError::InvalidInput(message);

    let currency = args.currency.trim().to_ascii_uppercase();
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        let code = &args.currency;
        return Err(invalid(format!("--currency: {code:?} is not an ISO 4217 code such as CNY")));
    }
    let amount = |flag: &str, text: &str| {
        money::parse_amount(text, &currency).map_err(|e| invalid(format!("{flag}: {e}")))
    };
    let principal = match &args.principal {
        Some(text) => amount("--principal", text)?,
        None => return Err(invalid("--principal is missing: how much is borrowed".to_owned())),
    };
    let months = match &args.months {
        Some(text) => text.trim().parse::<u32>().map_err(|_| {
            invalid(format!("--months: {text:?} is not a whole number of months from 1 to 360"))
        })?,
        None => {
            return Err(invalid("--months is missing: how many monthly instalments".to_owned()));
        }
    };

    let chosen: Vec<&str> = [
        ("--payment", args.payment.is_some()),
        ("--fee-rate", args.fee_rate.is_some()),
        ("--annual-rate", args.annual_rate.is_some()),
        ("--interest-free", args.interest_free),
    ]
    .into_iter()
    .filter_map(|(flag, given)| given.then_some(flag))
    .collect();
    if chosen.len() != 1 {
        let got = if chosen.is_empty() { "none".to_owned() } else { chosen.join(" and ") };
        return Err(invalid(format!(
            "give exactly one of --payment, --fee-rate, --annual-rate or --interest-free \
             (got {got})"
        )));
    }
    if args.up_front && args.fee_rate.is_none() {
        return Err(invalid("--up-front goes with --fee-rate".to_owned()));
    }
    if args.equal_principal && args.annual_rate.is_none() {
        return Err(invalid("--equal-principal goes with --annual-rate".to_owned()));
    }

    let rate = |flag: &str, text: &str| {
        instalment::parse_percent_bp(text).map_err(|e| invalid(format!("{flag}: {e}")))
    };
    let terms = if let Some(text) = &args.payment {
        Terms::Payment(amount("--payment", text)?.minor)
    } else if let Some(text) = &args.fee_rate {
        let fee_bp = rate("--fee-rate", text)?;
        Terms::Plan(if args.up_front {
            PlanKind::FeeUpFront { fee_bp }
        } else {
            PlanKind::FeePerPeriod { fee_bp }
        })
    } else if let Some(text) = &args.annual_rate {
        let annual_rate_bp = rate("--annual-rate", text)?;
        Terms::Plan(if args.equal_principal {
            PlanKind::EqualPrincipal { annual_rate_bp }
        } else {
            PlanKind::AnnualRate { annual_rate_bp }
        })
    } else {
        Terms::Plan(PlanKind::InterestFree { subsidy: None })
    };

    let first_due = match &args.first_due {
        Some(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| invalid(format!("--first-due: {text:?} is not a date YYYY-MM-DD")))?,
        None => today
            .checked_add_months(Months::new(1))
            .ok_or_else(|| invalid("no date a month from today; pass --first-due".to_owned()))?,
    };

    Ok(Calculation { principal, months, terms, first_due })
}

/// The core's refusal in words for a terminal: amounts in the currency, not in minor units.
fn explain(error: InstalmentError, currency: &str) -> CoreError {
    let money = |minor| output::money(minor, currency);
    let message = match &error {
        InstalmentError::PaymentTooSmall { payment, months, principal } => format!(
            "--payment: {months} payments of {} repay {}, less than the principal of {}",
            money(*payment),
            money(payment.saturating_mul(i64::from(*months))),
            money(*principal)
        ),
        InstalmentError::PaymentTooLarge { payment, months, principal } => format!(
            "--payment: {months} payments of {} on {} imply an annual rate above 100 %",
            money(*payment),
            money(*principal)
        ),
        InstalmentError::NonPositivePrincipal(_) => "--principal must be more than zero".to_owned(),
        InstalmentError::PrincipalTooLarge(minor) => {
            format!("--principal: {} is too large", money(*minor))
        }
        other => other.to_string(),
    };
    CoreError::InvalidInput(message)
}

/// The `--json` answer: one object with the figures and the schedule.
#[derive(Debug, Serialize)]
struct CalcJson<'a> {
    principal: &'a Money,
    months: u32,
    kind: PlanKindName,
    fee_bp: Option<u32>,
    annual_rate_bp: Option<u32>,
    monthly_payment: &'a Money,
    last_payment: &'a Money,
    up_front_fee: Option<&'a Money>,
    total_paid: &'a Money,
    total_cost: &'a Money,
    /// Nominal, by IRR: 12 × the monthly rate, in percent.
    annualised_rate_pct: f64,
    effective_annual_rate_pct: f64,
    naive_rate_pct: Option<f64>,
    schedule: &'a [ScheduleRow],
}

impl<'a> From<&'a PlanDetail> for CalcJson<'a> {
    fn from(detail: &'a PlanDetail) -> Self {
        let row = &detail.row;
        Self {
            principal: &row.principal,
            months: row.months,
            kind: row.kind,
            fee_bp: row.fee_bp,
            annual_rate_bp: row.annual_rate_bp,
            monthly_payment: &row.monthly_payment,
            last_payment: &row.last_payment,
            up_front_fee: row.up_front_fee.as_ref(),
            total_paid: &row.total_repaid,
            total_cost: &row.total_cost,
            annualised_rate_pct: row.apr_pct,
            effective_annual_rate_pct: row.effective_annual_rate_pct,
            naive_rate_pct: row.naive_rate_pct,
            schedule: &detail.schedule,
        }
    }
}

fn print_text(detail: &PlanDetail) -> anyhow::Result<()> {
    let row = &detail.row;
    let money = |m: &Money| output::money(m.minor, &m.currency);

    outln!("{} over {} months, {}", money(&row.principal), row.months, describe(detail));
    outln!("");

    let charge = match row.kind {
        PlanKindName::FeePerPeriod | PlanKindName::FeeUpFront => "fee",
        _ => "interest",
    };
    let cells: Vec<[String; 4]> = detail
        .schedule
        .iter()
        .map(|r| [money(&r.principal), money(&r.charge), money(&r.payment), money(&r.remaining)])
        .collect();
    let w = cells.iter().flatten().map(|c| c.chars().count()).max().unwrap_or(0).max(9);
    outln!(
        "{:>4}  {:<10}  {:>w$}  {:>w$}  {:>w$}  {:>w$}",
        "#",
        "due",
        "principal",
        charge,
        "payment",
        "remaining"
    );
    for (r, [principal, charge, payment, remaining]) in detail.schedule.iter().zip(&cells) {
        outln!(
            "{:>4}  {}  {principal:>w$}  {charge:>w$}  {payment:>w$}  {remaining:>w$}",
            r.number,
            r.due.format("%Y-%m-%d"),
        );
    }
    outln!("");

    if let Some(fee) = &row.up_front_fee {
        let received = Money::new(row.principal.minor - fee.minor, &fee.currency);
        outln!("Fee at the start   {}  (you receive {})", money(fee), money(&received));
    }
    if row.monthly_payment == row.last_payment {
        outln!("Monthly payment    {}", money(&row.monthly_payment));
    } else {
        let (first, last) = (money(&row.monthly_payment), money(&row.last_payment));
        outln!("Monthly payment    {first} first, {last} last");
    }
    outln!("Total paid         {}", money(&row.total_repaid));
    outln!("Cost of credit     {}", money(&row.total_cost));
    outln!("");

    // The rates side by side, so the ad's figure is read next to the true one.
    let mut rates = vec![
        ("Annualised rate (IRR)", output::percent(row.apr_pct)),
        ("Effective annual rate", output::percent(row.effective_annual_rate_pct)),
    ];
    if let Some(naive) = row.naive_rate_pct {
        rates.push(("Rate the ad implies", output::percent(naive)));
    }
    let heads: Vec<String> = rates.iter().map(|(head, _)| format!("{head:<24}")).collect();
    let values: Vec<String> = rates.iter().map(|(_, value)| format!("{value:<24}")).collect();
    outln!("{}", heads.concat().trim_end());
    outln!("{}", values.concat().trim_end());
    Ok(())
}

/// The plan's terms in words.
fn describe(detail: &PlanDetail) -> String {
    let row = &detail.row;
    let bp = |bp: Option<u32>| bp.map(output::basis_points).unwrap_or_default();
    match row.kind {
        PlanKindName::InterestFree => "interest-free".to_owned(),
        PlanKindName::FeePerPeriod => {
            format!("a fee of {} of the principal every month", bp(row.fee_bp))
        }
        PlanKindName::FeeUpFront => {
            format!("a fee of {} of the principal once, at the start", bp(row.fee_bp))
        }
        PlanKindName::AnnualRate => {
            format!("{} a year in equal instalments (等额本息)", bp(row.annual_rate_bp))
        }
        PlanKindName::EqualPrincipal => {
            format!("{} a year on equal parts of principal (等额本金)", bp(row.annual_rate_bp))
        }
        PlanKindName::LevelPayment => {
            let payment = &row.monthly_payment;
            format!("equal payments of {}", output::money(payment.minor, &payment.currency))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(principal: &str, months: &str) -> CalcArgs {
        CalcArgs {
            principal: Some(principal.to_owned()),
            months: Some(months.to_owned()),
            payment: None,
            fee_rate: None,
            up_front: false,
            annual_rate: None,
            equal_principal: false,
            interest_free: false,
            currency: "CNY".to_owned(),
            first_due: None,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 31).expect("a real date")
    }

    #[test]
    fn flags_become_exact_terms() {
        let calc =
            parse(&CalcArgs { fee_rate: Some("0.6".into()), ..args("12,000", "12") }, today())
                .expect("valid flags");
        assert_eq!(calc.principal, Money::cny(1_200_000), "12,000 yuan in fen");
        assert_eq!(calc.terms, Terms::Plan(PlanKind::FeePerPeriod { fee_bp: 60 }));
        assert_eq!(
            calc.first_due,
            NaiveDate::from_ymd_opt(2026, 2, 28).expect("a real date"),
            "a month from 31 January is the end of February"
        );

        let calc = parse(
            &CalcArgs { fee_rate: Some("3".into()), up_front: true, ..args("100", "6") },
            today(),
        )
        .expect("valid flags");
        assert_eq!(calc.terms, Terms::Plan(PlanKind::FeeUpFront { fee_bp: 300 }));

        let calc = parse(
            &CalcArgs {
                annual_rate: Some("4.8".into()),
                equal_principal: true,
                currency: "jpy".into(),
                ..args("1500", "6")
            },
            today(),
        )
        .expect("valid flags");
        assert_eq!(calc.principal, Money::new(1_500, "JPY"), "currency codes are upper-cased");
        assert_eq!(calc.terms, Terms::Plan(PlanKind::EqualPrincipal { annual_rate_bp: 480 }));
    }

    #[test]
    fn exactly_one_way_of_charging_is_required() {
        let none = parse(&args("100", "3"), today()).unwrap_err().to_string();
        assert!(none.contains("exactly one"), "{none}");
        let both = CalcArgs { payment: Some("40".into()), interest_free: true, ..args("100", "3") };
        let both = parse(&both, today()).unwrap_err().to_string();
        assert!(both.contains("--payment and --interest-free"), "{both}");
        let stray = CalcArgs { up_front: true, interest_free: true, ..args("100", "3") };
        assert!(parse(&stray, today()).unwrap_err().to_string().contains("--up-front"));
    }

    #[test]
    fn payment_errors_speak_in_the_currency() {
        let error = explain(
            InstalmentError::PaymentTooSmall { payment: 8_000, months: 12, principal: 100_000 },
            "CNY",
        );
        assert_eq!(
            error.to_string(),
            "--payment: 12 payments of ¥80.00 repay ¥960.00, less than the principal of ¥1,000.00"
        );
    }
}
