//! Cross-checks of what the synced cache reports against what the generator put on the
//! server, worked out here independently: carbon totals three ways, months and categories,
//! search counts, and every offer plan's APR recomputed by IRR from cash flows built here.

use std::collections::BTreeMap;

use chrono_tz::Asia::Shanghai;
use greenmile_core::carbon::totals;
use greenmile_core::dashboard;
use greenmile_core::db::{bills, offers};
use greenmile_core::instalment::PlanKindName;

use crate::bench_now;
use crate::feeds::Feeds;
use crate::table::Check;

/// How far an APR may differ from the one recomputed here, in percentage points: payments are
/// rounded to the fen, and the recomputation does not round.
const APR_TOLERANCE_PCT: f64 = 0.05;

/// Runs every cross-check on the cache the first sync filled.
pub async fn run(feeds: &Feeds) -> anyhow::Result<Vec<Check>> {
    let pool = feeds.cache.pool();
    let data = &feeds.data;
    let mut checks = Vec::new();

    let generated: i64 = data.carbon.iter().map(|e| e.grams).sum();
    let summary = dashboard::summary(pool, bench_now().date_naive()).await?.carbon_saved_g;
    let report = totals::report(pool, bench_now(), Shanghai).await?;
    let (per_bill,): (i64,) = sqlx::query_as(
        "SELECT COALESCE(SUM(carbon_g), 0) FROM bills WHERE id IN \
         (SELECT bill_id FROM carbon_entries)",
    )
    .fetch_one(pool)
    .await?;
    checks.push(Check {
        what: format!(
            "carbon saved: summary {summary} g = carbon report {} g = sum of per-bill figures \
             {per_bill} g = generated ledger {generated} g",
            report.total.total_g
        ),
        met: summary == report.total.total_g && summary == per_bill && summary == generated,
    });

    let months: i64 = report.by_month.iter().map(|m| m.carbon.total_g).sum();
    let categories: i64 = report.by_category.iter().map(|c| c.carbon.total_g).sum();
    checks.push(Check {
        what: format!(
            "carbon by month ({} months) sums to {months} g and by category to {categories} g, \
             of a total {} g",
            report.by_month.len(),
            report.total.total_g
        ),
        met: months == report.total.total_g && categories == report.total.total_g,
    });

    let board = dashboard::dashboard(pool, bench_now(), Shanghai).await?;
    let spend: i64 = data.bills.iter().map(|b| b.amount.minor).sum();
    let board_spend: i64 = board.by_category.iter().map(|c| c.spend_minor).sum();
    let board_bills: i64 = board.by_category.iter().map(|c| c.bills).sum();
    checks.push(Check {
        what: format!(
            "spend by category sums to {board_spend} fen over {board_bills} bills; generated \
             {spend} fen over {} bills",
            data.bills.len()
        ),
        met: board_spend == spend && board_bills == data.bills.len() as i64,
    });

    let mut by_month: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for b in &data.bills {
        let month = b.occurred_at.with_timezone(&Shanghai).format("%Y-%m").to_string();
        let slot = by_month.entry(month).or_default();
        slot.0 += b.amount.minor;
        slot.1 += 1;
    }
    let wrong: Vec<&str> = board
        .by_month
        .iter()
        .filter(|m| by_month.get(&m.month).copied().unwrap_or_default() != (m.spend_minor, m.bills))
        .map(|m| m.month.as_str())
        .collect();
    checks.push(Check {
        what: format!(
            "the dashboard's {} months match the generated bills' spend and count per Beijing \
             month{}",
            board.by_month.len(),
            if wrong.is_empty() { String::new() } else { format!(" (not {wrong:?})") }
        ),
        met: wrong.is_empty(),
    });

    for text in ["北京地铁", "Metro", "书桌"] {
        let filter = bills::BillFilter { search: Some(text.to_owned()), ..Default::default() };
        let query = bills::BillQuery { limit: 1, filter, after: None };
        let found = bills::list(pool, &query, Shanghai).await?.total.unwrap_or_default();
        let needle = text.to_lowercase();
        let expected = data
            .bills
            .iter()
            .filter(|b| {
                b.merchant.to_lowercase().contains(&needle)
                    || b.item.to_lowercase().contains(&needle)
            })
            .count() as i64;
        checks.push(Check {
            what: format!("search {text:?} finds {found} bills; {expected} contain it"),
            met: found == expected,
        });
    }

    checks.push(aprs(&offers::list(pool, bench_now()).await?));
    Ok(checks)
}

/// Every plan's APR against the IRR of cash flows built here from the plan's terms.
fn aprs(rows: &[offers::OfferRow]) -> Check {
    let (mut plans, mut worst, mut unknown) = (0, 0.0_f64, 0);
    for offer in rows {
        for plan in &offer.plans {
            plans += 1;
            match expected_apr(plan) {
                Some(apr) => worst = worst.max((apr - plan.apr_pct).abs()),
                None => unknown += 1,
            }
        }
    }
    Check {
        what: format!(
            "APRs of {plans} plans in {} offers recomputed by IRR: largest difference \
             {worst:.4} percentage points (tolerance {APR_TOLERANCE_PCT}){}",
            rows.len(),
            if unknown > 0 {
                format!(", {unknown} plans of kinds not recomputed")
            } else {
                String::new()
            }
        ),
        met: plans > 0 && worst <= APR_TOLERANCE_PCT && unknown == 0,
    }
}

/// 12 × the monthly IRR, in percent, of the plan's cash flows as its terms define them.
fn expected_apr(plan: &greenmile_core::instalment::PlanRow) -> Option<f64> {
    let principal = plan.principal.minor as f64;
    let n = plan.months as usize;
    let monthly_rate = |bp: u32| f64::from(bp) / 10_000.0 / 12.0;
    let payments: Vec<f64> = match plan.kind {
        PlanKindName::InterestFree => vec![principal / n as f64; n],
        PlanKindName::FeePerPeriod => {
            let fee = principal * f64::from(plan.fee_bp?) / 10_000.0;
            vec![principal / n as f64 + fee; n]
        }
        PlanKindName::AnnualRate => {
            let r = monthly_rate(plan.annual_rate_bp?);
            let level = principal * r / (1.0 - (1.0 + r).powi(-(n as i32)));
            vec![level; n]
        }
        PlanKindName::EqualPrincipal => {
            let r = monthly_rate(plan.annual_rate_bp?);
            let part = principal / n as f64;
            (0..n).map(|k| part + (principal - part * k as f64) * r).collect()
        }
        PlanKindName::FeeUpFront | PlanKindName::LevelPayment => return None,
    };
    Some(irr(principal, &payments)? * 12.0 * 100.0)
}

/// The monthly rate at which `payments` (one a month, the first a month after the advance)
/// are worth `advance` today, by bisection.
fn irr(advance: f64, payments: &[f64]) -> Option<f64> {
    let value = |r: f64| {
        payments.iter().enumerate().map(|(k, p)| p / (1.0 + r).powi(k as i32 + 1)).sum::<f64>()
    };
    let (mut low, mut high) = (0.0_f64, 1.0_f64);
    if value(low) < advance - 1e-6 {
        return None;
    }
    for _ in 0..200 {
        let mid = (low + high) / 2.0;
        if value(mid) > advance {
            low = mid;
        } else {
            high = mid;
        }
    }
    Some((low + high) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn irr_of_a_level_loan_is_its_rate() {
        // 12,000 at 1 % a month over 12 months: the textbook payment is 1,066.1855.
        let r = irr(12_000.0, &[1_066.185_5; 12]).expect("a positive rate");
        assert!((r - 0.01).abs() < 1e-6, "{r}");
        let free = irr(1_200.0, &[100.0; 12]).expect("zero is a rate");
        assert!(free < 1e-9, "interest-free costs nothing: {free}");
    }
}
