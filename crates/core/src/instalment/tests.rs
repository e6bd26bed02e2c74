//! The instalment maths against hand-worked schedules, published worked examples, and
//! properties checked over many generated plans.

use greenmile_api::Subsidy;

use super::*;

fn plan(months: u32, kind: PlanKind) -> InstalmentPlan {
    InstalmentPlan { months, kind }
}

fn cny(fen: i64) -> Money {
    Money::cny(fen)
}

/// The rows of a schedule as (principal, charge, remaining) triples, to compare with the hand
/// working.
fn rows(s: &Schedule) -> Vec<(i64, i64, i64)> {
    s.instalments.iter().map(|i| (i.principal, i.charge, i.remaining)).collect()
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

// ---- Schedules worked by hand, one per kind of plan ----

#[test]
fn interest_free_splits_the_principal_and_the_last_absorbs_the_remainder() {
    // 1,000.00 in 3: 100,000 / 3 = 33,333 rem 1, so 33,333 + 33,333 + 33,334 fen, no charge.
    let s = schedule(100_000, &plan(3, PlanKind::InterestFree { subsidy: None })).unwrap();
    assert_eq!(
        rows(&s),
        vec![(33_333, 0, 66_667), (33_333, 0, 33_334), (33_334, 0, 0)],
        "1,000.00 in 3 repays to the fen"
    );
    assert_eq!(s.total_cost(), 0, "interest-free costs nothing");
    assert_eq!(rates(&s).unwrap().apr_pct, 0.0, "and its rate is exactly 0");
}

#[test]
fn a_subsidised_plan_names_who_pays_and_what_it_is_worth() {
    let subsidy = Subsidy { payer: SubsidyPayer::Bank, value: cny(21_600) };
    let row = plan_row(&cny(360_000), &plan(12, PlanKind::InterestFree { subsidy: Some(subsidy) }))
        .unwrap();
    assert_eq!(row.subsidy_payer, Some(SubsidyPayer::Bank), "the payer is shown");
    assert_eq!(row.subsidy.map(|m| m.minor), Some(21_600), "its value is shown");
    assert_eq!(row.total_repaid.minor, 360_000, "the buyer repays only the price");
    assert_eq!((row.total_cost.minor, row.apr_pct), (0, 0.0), "and pays nothing for credit");
}

#[test]
fn fee_per_period_charges_on_the_original_principal_every_month() {
    // 12,000.00 over 12 at 0.60 %: fee = 1,200,000 × 60 / 10,000 = 7,200 fen (72.00) every
    // month, part = 1,200,000 / 12 = 100,000; payment 107,200 (1,072.00).
    // Total 12 × 107,200 = 1,286,400; cost 86,400 (864.00). The ad's rate is 0.6 × 12 = 7.2 %.
    let s = schedule(1_200_000, &plan(12, PlanKind::FeePerPeriod { fee_bp: 60 })).unwrap();
    assert!(s.instalments.iter().all(|i| i.principal == 100_000 && i.charge == 7_200));
    assert_eq!(s.instalments[11].remaining, 0, "repaid in full");
    assert_eq!((s.total_paid(), s.total_cost()), (1_286_400, 86_400));

    let row = plan_row(&cny(1_200_000), &plan(12, PlanKind::FeePerPeriod { fee_bp: 60 })).unwrap();
    assert_eq!(row.monthly_payment.minor, 107_200, "1,000.00 principal + 72.00 fee");
    assert_eq!(row.naive_rate_pct, Some(7.2), "the ad implies 7.2 % a year");
    assert_eq!(round2(row.apr_pct), 13.03, "the true annualised rate is 13.03 %");
    assert_eq!(round2(row.effective_annual_rate_pct), 13.84, "(1 + r)^12 − 1");
}

#[test]
fn fee_up_front_is_taken_from_what_the_borrower_receives() {
    // 12,000.00 over 12 with 3.00 % once: fee = 1,200,000 × 300 / 10,000 = 36,000 (360.00), so
    // the borrower receives 1,164,000 and repays 12 × 100,000. Cost 36,000. The ad's rate is
    // 3 % over one year = 3.00 % a year; the IRR of 100,000 a month on 1,164,000 is
    // 0.4717 % a month, 5.66 % a year.
    let p = plan(12, PlanKind::FeeUpFront { fee_bp: 300 });
    let s = schedule(1_200_000, &p).unwrap();
    assert_eq!((s.up_front_fee, s.advance()), (36_000, 1_164_000));
    assert!(s.instalments.iter().all(|i| i.principal == 100_000 && i.charge == 0));
    assert_eq!((s.total_paid(), s.total_cost()), (1_236_000, 36_000));

    let row = plan_row(&cny(1_200_000), &p).unwrap();
    assert_eq!(row.kind, PlanKindName::FeeUpFront);
    assert_eq!(row.up_front_fee.map(|m| m.minor), Some(36_000), "the fee is shown");
    assert_eq!(row.naive_rate_pct, Some(3.0), "3 % spread over 12 months");
    assert_eq!(round2(row.apr_pct), 5.66, "nearly twice what the ad implies");
}

#[test]
fn annual_rate_equal_instalments_round_interest_each_month() {
    // 1,000.00 over 3 at 12 % (1 % a month): level = 100,000 × 0.01 / (1 − 1.01^−3)
    // = 34,002.21 → 34,002.
    // 1: interest 100,000 × 1 % = 1,000; part 33,002; owed 66,998.
    // 2: interest 669.98 → 670; part 33,332; owed 33,666.
    // 3: interest 336.66 → 337; the last part clears 33,666, so it pays 34,003.
    let s = schedule(100_000, &plan(3, PlanKind::AnnualRate { annual_rate_bp: 1_200 })).unwrap();
    assert_eq!(rows(&s), vec![(33_002, 1_000, 66_998), (33_332, 670, 33_666), (33_666, 337, 0)]);
    assert_eq!(s.payments(), vec![34_002, 34_002, 34_003]);
    assert_eq!(s.total_cost(), 2_007);
    assert_eq!(round2(rates(&s).unwrap().apr_pct), 12.0, "rounding leaves the rate at 12 %");
}

#[test]
fn annual_rate_matches_the_annuity_formula_on_a_larger_loan() {
    // 12,000.00 over 12 months at 4.80 % a year: payment 1,026.19 (annuity formula).
    let p = plan(12, PlanKind::AnnualRate { annual_rate_bp: 480 });
    let row = plan_row(&cny(1_200_000), &p).unwrap();
    assert_eq!(row.monthly_payment.minor, 102_619, "annuity payment rounded to the fen");
    assert_eq!(row.total_repaid.minor, 1_231_429, "principal plus 314.29 interest");
    assert!((row.apr_pct - 4.8).abs() < 0.005, "the IRR is the stated rate: {}", row.apr_pct);
    assert_eq!(row.naive_rate_pct, None, "no ad rate for a stated annual rate");
}

#[test]
fn equal_principal_charges_interest_on_what_is_still_owed() {
    // 1,200.00 over 3 at 12 %: parts 40,000; interest 1 % of 120,000, 80,000, 40,000 =
    // 1,200, 800, 400; payments 41,200, 40,800, 40,400 falling; cost 2,400, and with no
    // rounding the IRR is exactly 1 % a month.
    let p = plan(3, PlanKind::EqualPrincipal { annual_rate_bp: 1_200 });
    let s = schedule(120_000, &p).unwrap();
    assert_eq!(rows(&s), vec![(40_000, 1_200, 80_000), (40_000, 800, 40_000), (40_000, 400, 0)]);
    assert_eq!(s.total_cost(), 2_400);
    let row = plan_row(&cny(120_000), &p).unwrap();
    assert_eq!((row.monthly_payment.minor, row.last_payment.minor), (41_200, 40_400));
    assert_eq!(round2(row.apr_pct), 12.0);

    // 1,000.00 over 3 at 4.80 % (0.4 % a month): parts 33,333, 33,333, 33,334; interest
    // 400.000 → 400, 266.668 → 267, 133.336 → 133.
    let s = schedule(100_000, &plan(3, PlanKind::EqualPrincipal { annual_rate_bp: 480 })).unwrap();
    assert_eq!(rows(&s), vec![(33_333, 400, 66_667), (33_333, 267, 33_334), (33_334, 133, 0)]);
}

#[test]
fn level_payment_schedules_pay_exactly_the_given_amount() {
    // 1,000.00 in 3 payments of 340.02: the rate that clears it is about 1 % a month, and every
    // row pays exactly 340.02 while the principal still sums to 1,000.00.
    let (s, r) = level_payment_schedule(100_000, 3, 34_002).unwrap();
    assert_eq!(s.payments(), vec![34_002; 3], "every payment is the given one");
    assert_eq!(s.instalments.iter().map(|i| i.principal).sum::<i64>(), 100_000);
    assert!((r - 0.01).abs() < 1e-5, "about 1 % a month: {r}");

    // Three payments of exactly a third leave no room for interest: the rate is 0.
    let (s, r) = level_payment_schedule(90_000, 3, 30_000).unwrap();
    assert_eq!((r, s.total_cost()), (0.0, 0));
}

#[test]
fn due_dates_are_monthly_and_clamped_to_the_month_end() {
    let dates = due_dates(date(2027, 12, 31), 5).unwrap();
    assert_eq!(
        dates,
        vec![
            date(2027, 12, 31),
            date(2028, 1, 31),
            date(2028, 2, 29),
            date(2028, 3, 31),
            date(2028, 4, 30)
        ],
        "each date keeps the first's day where the month has it (2028 is a leap year)"
    );

    let detail = plan_detail(
        &cny(1_200_000),
        &plan(12, PlanKind::FeePerPeriod { fee_bp: 60 }),
        date(2026, 1, 31),
    )
    .unwrap();
    assert_eq!(detail.schedule.len(), 12);
    assert_eq!(detail.schedule[1].due, date(2026, 2, 28));
    assert_eq!(detail.schedule[11].number, 12);
    assert_eq!(detail.schedule[11].remaining.minor, 0);
    assert_eq!(detail.schedule[0].payment, cny(107_200), "money keeps its currency");
}

// ---- Published worked examples ----

#[test]
fn regulation_z_appendix_j_first_example_is_9_69_percent() {
    // 12 CFR 1026 Appendix J, (c)(4) example (i): 5,000.00 advanced, repaid in 24 monthly
    // payments of 230.00; APR 9.69 %.
    let r = monthly_irr(5_000, &[230; 24]).unwrap();
    assert_eq!(round2(r * 1200.0), 9.69);

    let detail = level_payment_detail(&cny(500_000), 24, 23_000, date(2026, 1, 1)).unwrap();
    assert_eq!(round2(detail.row.apr_pct), 9.69, "the given-payment form agrees");
    assert_eq!(detail.row.kind, PlanKindName::LevelPayment);
    assert_eq!(detail.row.total_cost.minor, 24 * 23_000 - 500_000);
}

#[test]
fn the_fee_plan_example_is_13_03_percent_not_7_2() {
    // 12,000 over 12 months at 0.6 % of the principal a month: 1,000 principal + 72 fee = 1,072
    // a month. The IRR is 1.0862 % a month, 13.03 % a year; 7.2 % is what the ad implies.
    let r = monthly_irr(12_000, &[1_072; 12]).unwrap();
    assert_eq!(round2(r * 1200.0), 13.03);
    assert_eq!(round2(((1.0 + r).powi(12) - 1.0) * 100.0), 13.84, "effective annual rate");
}

#[test]
fn derived_rates_have_closed_forms() {
    // One payment of 110 a month after receiving 100: r = 10 % exactly, APR 120 %, effective
    // 1.1^12 − 1 = 213.84 %.
    let r = monthly_irr(100, &[110]).unwrap();
    assert!((r - 0.1).abs() < 1e-12, "{r}");
    let rates = Rates::from_monthly(r);
    assert_eq!(round2(rates.effective_annual_rate_pct), 213.84);

    // Two payments of 121 on 210: 121/1.1 + 121/1.21 = 110 + 100 = 210, so r = 10 %.
    let r = monthly_irr(210, &[121, 121]).unwrap();
    assert!((r - 0.1).abs() < 1e-12, "{r}");

    // Repaying less than received has no non-negative rate; the same amount has rate 0.
    assert_eq!(monthly_irr(100, &[40, 40]), None);
    assert_eq!(monthly_irr(100, &[50, 50]), Some(0.0));
    assert_eq!(monthly_irr(0, &[50]), None, "nothing received");
    assert_eq!(monthly_irr(100, &[-5, 200]), None, "a negative payment is not a repayment");
}

// ---- Comparison ----

#[test]
fn comparison_ranks_by_total_cost_then_rate() {
    let price = cny(1_200_000);
    let options = vec![
        ("fee".to_owned(), price.clone(), plan(12, PlanKind::FeePerPeriod { fee_bp: 60 })),
        ("free".to_owned(), price.clone(), plan(12, PlanKind::InterestFree { subsidy: None })),
        ("rate".to_owned(), price.clone(), plan(12, PlanKind::AnnualRate { annual_rate_bp: 480 })),
        ("once".to_owned(), price.clone(), plan(12, PlanKind::FeeUpFront { fee_bp: 300 })),
    ];
    let ranked = compare(&options).unwrap();
    let labels: Vec<&str> = ranked.iter().map(|r| r.label.as_str()).collect();
    // Costs: free 0; rate 31,429; once 36,000; fee 86,400.
    assert_eq!(labels, ["free", "rate", "once", "fee"], "cheapest first");

    // Same total cost: the one with the higher rate (its fee taken earlier) ranks second.
    let same_cost = vec![
        ("monthly".to_owned(), price.clone(), plan(12, PlanKind::FeePerPeriod { fee_bp: 25 })),
        ("up front".to_owned(), price.clone(), plan(12, PlanKind::FeeUpFront { fee_bp: 300 })),
    ];
    let ranked = compare(&same_cost).unwrap();
    assert_eq!(ranked[0].plan.total_cost, ranked[1].plan.total_cost, "both cost 360.00");
    assert_eq!(ranked[0].label, "monthly", "the lower rate first on a tie");
}

#[test]
fn comparison_needs_two_to_four_plans_in_one_currency() {
    let one =
        vec![("only".to_owned(), cny(100_000), plan(3, PlanKind::InterestFree { subsidy: None }))];
    assert_eq!(compare(&one), Err(InstalmentError::ComparisonSize(1)));
    let five = vec![one[0].clone(); 5];
    assert_eq!(compare(&five), Err(InstalmentError::ComparisonSize(5)));

    let mixed =
        vec![one[0].clone(), ("usd".to_owned(), Money::new(100_000, "USD"), one[0].2.clone())];
    assert_eq!(
        compare(&mixed),
        Err(InstalmentError::MixedCurrencies("CNY".to_owned(), "USD".to_owned()))
    );
}

// ---- Bad input ----

#[test]
fn bad_terms_are_refused_with_their_reason() {
    let free = PlanKind::InterestFree { subsidy: None };
    assert_eq!(schedule(0, &plan(12, free.clone())), Err(InstalmentError::NonPositivePrincipal(0)));
    assert_eq!(
        schedule(-100, &plan(12, free.clone())),
        Err(InstalmentError::NonPositivePrincipal(-100))
    );
    assert_eq!(
        schedule(money::MAX_MINOR + 1, &plan(12, free.clone())),
        Err(InstalmentError::PrincipalTooLarge(money::MAX_MINOR + 1))
    );
    assert_eq!(schedule(100, &plan(0, free.clone())), Err(InstalmentError::BadTerm(0)));
    assert_eq!(schedule(100, &plan(361, free)), Err(InstalmentError::BadTerm(361)));
    assert_eq!(
        schedule(100, &plan(12, PlanKind::AnnualRate { annual_rate_bp: 10_001 })),
        Err(InstalmentError::RateTooHigh { annual_rate_bp: 10_001 })
    );
    assert_eq!(
        schedule(100, &plan(12, PlanKind::EqualPrincipal { annual_rate_bp: 20_000 })),
        Err(InstalmentError::RateTooHigh { annual_rate_bp: 20_000 })
    );
    assert_eq!(
        schedule(100, &plan(12, PlanKind::FeePerPeriod { fee_bp: 1_001 })),
        Err(InstalmentError::FeeTooHigh { fee_bp: 1_001, max_bp: 1_000 })
    );
    assert_eq!(
        schedule(100, &plan(3, PlanKind::FeeUpFront { fee_bp: 3_500 })),
        Err(InstalmentError::FeeTooHigh { fee_bp: 3_500, max_bp: 3_000 }),
        "at most 10 % per period of the term"
    );
    assert_eq!(
        schedule(100, &plan(24, PlanKind::FeeUpFront { fee_bp: 6_000 })),
        Err(InstalmentError::FeeTooHigh { fee_bp: 6_000, max_bp: 5_000 }),
        "and never more than half the principal"
    );
}

#[test]
fn a_given_payment_must_repay_the_principal_at_a_sane_rate() {
    let too_small =
        InstalmentError::PaymentTooSmall { payment: 8_000, months: 12, principal: 100_000 };
    assert_eq!(level_payment_schedule(100_000, 12, 8_000).map(|(s, _)| s), Err(too_small));
    assert!(matches!(
        level_payment_schedule(100_000, 12, 0),
        Err(InstalmentError::PaymentTooSmall { .. })
    ));
    assert!(matches!(
        level_payment_schedule(100_000, 12, -5),
        Err(InstalmentError::PaymentTooSmall { .. })
    ));

    // 1,000 in 12 payments of 200 is about 15 % a month, far past 100 % a year.
    let too_large =
        InstalmentError::PaymentTooLarge { payment: 20_000, months: 12, principal: 100_000 };
    assert_eq!(level_payment_schedule(100_000, 12, 20_000).map(|(s, _)| s), Err(too_large));
    assert!(
        matches!(
            level_payment_schedule(1, 360, money::MAX_MINOR),
            Err(InstalmentError::PaymentTooLarge { .. })
        ),
        "an absurd payment ends the search instead of looping"
    );
    assert!(matches!(level_payment_schedule(100_000, 0, 10_000), Err(InstalmentError::BadTerm(0))));
}

#[test]
fn percentages_are_read_as_whole_basis_points() {
    assert_eq!(parse_percent_bp("0.6"), Ok(60));
    assert_eq!(parse_percent_bp("4.80"), Ok(480));
    assert_eq!(parse_percent_bp("12"), Ok(1_200));
    assert_eq!(parse_percent_bp("-0.6"), Err(InstalmentError::NegativeRate("-0.6".to_owned())));
    assert!(matches!(
        parse_percent_bp("0.625"),
        Err(InstalmentError::BadRate(DecimalError::TooManyDecimals { max: 2, .. }))
    ));
    assert!(matches!(parse_percent_bp("six"), Err(InstalmentError::BadRate(_))));
    assert!(matches!(parse_percent_bp("99999999999"), Err(InstalmentError::BadRate(_))));
}

#[test]
fn instalment_errors_become_invalid_input() {
    let error = CoreError::from(InstalmentError::BadTerm(0));
    assert_eq!(error.code(), crate::ErrorCode::InvalidInput);
    assert_eq!(error.to_string(), "a plan runs from 1 to 360 months (got 0)");
    let fee = InstalmentError::FeeTooHigh { fee_bp: 1_250, max_bp: 1_000 };
    assert_eq!(
        fee.to_string(),
        "a fee of 12.50 % of the principal is beyond the 10.00 % GreenMile accepts for this plan"
    );
}

// ---- Properties over generated plans ----

/// A random valid plan: every kind, terms from 1 to 360 months, rates up to the limits.
fn random_plan(rng: &mut fastrand::Rng) -> InstalmentPlan {
    let months = if rng.bool() { rng.u32(1..=36) } else { rng.u32(1..=MAX_MONTHS) };
    let kind = match rng.u8(0..5) {
        0 => PlanKind::InterestFree { subsidy: None },
        1 => PlanKind::FeePerPeriod { fee_bp: rng.u32(0..=MAX_FEE_BP) },
        2 => PlanKind::FeeUpFront {
            fee_bp: rng.u32(0..=(MAX_FEE_BP * months).min(MAX_UP_FRONT_FEE_BP)),
        },
        3 => PlanKind::AnnualRate { annual_rate_bp: rng.u32(0..=MAX_ANNUAL_RATE_BP) },
        _ => PlanKind::EqualPrincipal { annual_rate_bp: rng.u32(0..=MAX_ANNUAL_RATE_BP) },
    };
    InstalmentPlan { months, kind }
}

/// Principals from a single fen to a billion yuan, weighted towards small awkward ones.
fn random_principal(rng: &mut fastrand::Rng) -> i64 {
    match rng.u8(0..3) {
        0 => rng.i64(1..=1_000),
        1 => rng.i64(1_000..=10_000_000),
        _ => rng.i64(1..=money::MAX_MINOR),
    }
}

#[test]
fn every_schedule_repays_the_principal_exactly_and_no_figure_is_nan() {
    let mut rng = fastrand::Rng::with_seed(5);
    for case in 0..3_000 {
        let principal = random_principal(&mut rng);
        let p = random_plan(&mut rng);
        let s = schedule(principal, &p).unwrap_or_else(|e| panic!("case {case}: {p:?}: {e}"));

        assert_eq!(s.instalments.len(), p.months as usize, "case {case}: one row a month");
        let repaid: i64 = s.instalments.iter().map(|i| i.principal).sum();
        assert_eq!(repaid, principal, "case {case}: {p:?} repays {principal} exactly");
        let mut owed = principal;
        for i in &s.instalments {
            assert!(i.principal >= 0 && i.charge >= 0, "case {case}: {p:?}: no negative part");
            owed -= i.principal;
            assert_eq!(i.remaining, owed, "case {case}: the balance follows the parts");
        }
        assert!(s.advance() > 0, "case {case}: the borrower receives something");

        let row = plan_row(&cny(principal), &p).unwrap_or_else(|e| panic!("case {case}: {e}"));
        for (name, x) in [
            ("apr", row.apr_pct),
            ("effective", row.effective_annual_rate_pct),
            ("naive", row.naive_rate_pct.unwrap_or(0.0)),
        ] {
            assert!(x.is_finite() && x >= 0.0, "case {case}: {p:?}: {name} rate is {x}");
        }
        assert!(
            row.effective_annual_rate_pct >= row.apr_pct - 1e-9,
            "case {case}: compounding never lowers the rate"
        );
        assert_eq!(row.total_cost.minor, s.total_cost(), "case {case}");
        if matches!(p.kind, PlanKind::InterestFree { .. }) {
            assert_eq!((row.apr_pct, row.total_cost.minor), (0.0, 0), "case {case}: free is 0");
        }
    }
}

#[test]
fn the_rate_rises_with_the_fee() {
    let mut rng = fastrand::Rng::with_seed(55);
    for case in 0..500 {
        let principal = random_principal(&mut rng);
        let months = rng.u32(1..=MAX_MONTHS);
        let (low, high) = {
            let a = rng.u32(0..=MAX_FEE_BP);
            let b = rng.u32(0..=MAX_FEE_BP);
            (a.min(b), a.max(b))
        };
        let apr = |fee_bp| {
            plan_row(&cny(principal), &plan(months, PlanKind::FeePerPeriod { fee_bp }))
                .map(|r| r.apr_pct)
                .unwrap_or_else(|e| panic!("case {case}: {e}"))
        };
        assert!(apr(low) <= apr(high), "case {case}: {low} bp costs no more than {high} bp");
        // Where the two fees round to different amounts the higher one costs strictly more.
        if share(principal, low) < share(principal, high) {
            assert!(apr(low) < apr(high), "case {case}: a larger fee, a higher rate");
        }

        let cap = (MAX_FEE_BP * months).min(MAX_UP_FRONT_FEE_BP);
        let (low, high) = (low.min(cap), high.min(cap));
        let apr_once = |fee_bp| {
            plan_row(&cny(principal), &plan(months, PlanKind::FeeUpFront { fee_bp }))
                .map(|r| r.apr_pct)
                .unwrap_or_else(|e| panic!("case {case}: {e}"))
        };
        assert!(apr_once(low) <= apr_once(high), "case {case}: up front too");
    }
}

#[test]
fn stated_rates_come_back_from_the_cash_flows() {
    let mut rng = fastrand::Rng::with_seed(555);
    for case in 0..500 {
        // Large enough that rounding to the fen cannot move the rate by 0.01 %.
        let principal = rng.i64(1_000_000..=money::MAX_MINOR);
        let months = rng.u32(1..=MAX_MONTHS);
        let bp = rng.u32(0..=MAX_ANNUAL_RATE_BP);
        for kind in [
            PlanKind::AnnualRate { annual_rate_bp: bp },
            PlanKind::EqualPrincipal { annual_rate_bp: bp },
        ] {
            let row = plan_row(&cny(principal), &plan(months, kind.clone())).unwrap();
            let stated = f64::from(bp) / 100.0;
            assert!(
                (row.apr_pct - stated).abs() < 0.01,
                "case {case}: {kind:?} over {months} on {principal}: IRR {} vs {stated}",
                row.apr_pct
            );
        }
    }
}

#[test]
fn given_payments_always_give_a_finite_rate_or_a_clear_error() {
    let mut rng = fastrand::Rng::with_seed(5_555);
    for case in 0..2_000 {
        let principal = random_principal(&mut rng);
        let months = rng.u32(1..=MAX_MONTHS);
        let even = principal / i64::from(months);
        let payment = match rng.u8(0..3) {
            0 => rng.i64(0..=even + 1),
            1 => even + rng.i64(0..=even / 10 + 2),
            _ => rng.i64(1..=principal.saturating_mul(2)),
        };

        match level_payment_schedule(principal, months, payment) {
            Ok((s, r)) => {
                assert!(r.is_finite() && (0.0..=1.0 / 12.0 + 1e-12).contains(&r), "case {case}");
                assert!(s.payments().iter().all(|p| *p == payment), "case {case}: level");
                let repaid: i64 = s.instalments.iter().map(|i| i.principal).sum();
                assert_eq!(repaid, principal, "case {case}: principal repaid exactly");
                assert!(
                    s.instalments.iter().all(|i| i.principal >= 0 && i.charge >= 0),
                    "case {case}: {principal} in {months} of {payment}: no negative part"
                );
            }
            Err(InstalmentError::PaymentTooSmall { .. }) => {
                assert!(i128::from(payment) * i128::from(months) < i128::from(principal));
            }
            Err(InstalmentError::PaymentTooLarge { .. }) => {}
            Err(other) => panic!("case {case}: unexpected {other}"),
        }
    }
}

#[test]
fn due_dates_past_year_9999_are_refused_not_printed_as_plus_10000() {
    // 360 months from 9999-12-31 would run into year 10029, which YYYY-MM-DD cannot write.
    let err = due_dates(date(9999, 12, 31), 360).unwrap_err();
    assert!(matches!(err, InstalmentError::DateOutOfRange(_)), "refused: {err}");
    assert_eq!(due_dates(date(9999, 12, 1), 1).unwrap(), vec![date(9999, 12, 1)], "9999 is fine");
}
