//! Badge rules: what the learner has done, read from quiz results and from reviewed or
//! certified bills in the cache, never from anything self-reported.
//!
//! [`Facts`] gathers what the rules read; [`meets`] says whether one rule is met and by what
//! value, which is kept as the badge's evidence. A bill counts when its green claim was
//! reviewed by the payment platform or certified by a financial institution and it was not
//! refunded in full.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;
use greenmile_api::GreenCategory;
use sqlx::SqlitePool;

use super::content::BadgeRule;
use crate::db::parse_instant;
use crate::error::Result;

/// The certification levels a badge accepts.
pub const COUNTED_CERTIFICATIONS: [&str; 2] = ["platform_reviewed", "finance_certified"];

/// What the badge rules read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// Lessons with a passed attempt.
    pub lessons_passed: BTreeSet<String>,
    /// Lessons with an attempt that got every question right.
    pub lessons_mastered: BTreeSet<String>,
    /// Every lesson of the catalogue.
    pub lessons_in_catalog: BTreeSet<String>,
    /// The longest streak, in days.
    pub longest_streak: u32,
    /// Counted bills: category, local month (first day) and grams saved if known.
    pub bills: Vec<(GreenCategory, NaiveDate, Option<i64>)>,
}

/// Reads the counted bills from the cache, with their months in `zone`.
pub async fn counted_bills(
    pool: &SqlitePool,
    zone: Tz,
) -> Result<Vec<(GreenCategory, NaiveDate, Option<i64>)>> {
    let rows: Vec<(String, String, Option<i64>)> = sqlx::query_as(
        "SELECT category, occurred_at, carbon_g FROM bills
         WHERE certification IN (?, ?) AND status <> 'refunded'",
    )
    .bind(COUNTED_CERTIFICATIONS[0])
    .bind(COUNTED_CERTIFICATIONS[1])
    .fetch_all(pool)
    .await?;

    let mut out = Vec::with_capacity(rows.len());
    for (category, occurred_at, grams) in rows {
        // A category this build does not know cannot meet a rule; skip it rather than fail.
        let Some(category) = GreenCategory::parse(&category) else { continue };
        let local = parse_instant(&occurred_at)?.with_timezone(&zone).date_naive();
        let month = local.with_day(1).unwrap_or(local);
        out.push((category, month, grams));
    }
    Ok(out)
}

/// Whether `rule` is met by `facts`; `Some(value)` with the value that met it (count, days,
/// grams or months) when it is.
pub fn meets(rule: &BadgeRule, facts: &Facts) -> Option<i64> {
    let (value, needed) = match rule {
        BadgeRule::QuizzesPassed { count } => (facts.lessons_passed.len() as i64, *count as i64),
        BadgeRule::AllLessonsMastered => {
            let all = !facts.lessons_in_catalog.is_empty()
                && facts.lessons_in_catalog.is_subset(&facts.lessons_mastered);
            (facts.lessons_mastered.len() as i64, if all { 0 } else { i64::MAX })
        }
        BadgeRule::StreakDays { days } => (facts.longest_streak as i64, *days as i64),
        BadgeRule::CertifiedBills { category, count } => {
            let n = facts.bills.iter().filter(|(c, _, _)| c == category).count();
            (n as i64, *count as i64)
        }
        BadgeRule::CertifiedCarbonSaved { grams } => {
            let saved: i64 = facts.bills.iter().filter_map(|(_, _, g)| *g).sum();
            (saved, *grams)
        }
        BadgeRule::CertifiedMonthsInARow { categories, months } => {
            let active: BTreeSet<NaiveDate> = facts
                .bills
                .iter()
                .filter(|(c, _, _)| categories.contains(c))
                .map(|(_, month, _)| *month)
                .collect();
            (longest_month_run(&active) as i64, *months as i64)
        }
    };
    (value >= needed).then_some(value)
}

/// The most calendar months in a row in `months` (each the first day of its month).
fn longest_month_run(months: &BTreeSet<NaiveDate>) -> u32 {
    let mut longest = 0;
    let mut run = 0;
    let mut last: Option<NaiveDate> = None;
    for &m in months {
        let follows = last.is_some_and(|p| {
            let next = if p.month() == 12 { (p.year() + 1, 1) } else { (p.year(), p.month() + 1) };
            (m.year(), m.month()) == next
        });
        run = if follows { run + 1 } else { 1 };
        longest = longest.max(run);
        last = Some(m);
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(text: &str) -> NaiveDate {
        format!("{text}-01").parse().expect("a valid month")
    }

    #[test]
    fn quizzes_passed_counts_lessons_not_retakes() {
        let rule = BadgeRule::QuizzesPassed { count: 1 };
        assert_eq!(meets(&rule, &Facts::default()), None);
        let facts = Facts { lessons_passed: ["food-waste".to_owned()].into(), ..Facts::default() };
        assert_eq!(meets(&rule, &facts), Some(1));
        assert_eq!(meets(&BadgeRule::QuizzesPassed { count: 2 }, &facts), None);
    }

    #[test]
    fn all_lessons_mastered_needs_every_lesson_of_the_catalogue() {
        let lessons: BTreeSet<String> = ["a".to_owned(), "b".to_owned()].into();
        let mut facts = Facts {
            lessons_in_catalog: lessons.clone(),
            lessons_mastered: ["a".to_owned()].into(),
            ..Facts::default()
        };
        assert_eq!(meets(&BadgeRule::AllLessonsMastered, &facts), None);
        facts.lessons_mastered = lessons;
        assert_eq!(meets(&BadgeRule::AllLessonsMastered, &facts), Some(2));
        assert_eq!(meets(&BadgeRule::AllLessonsMastered, &Facts::default()), None, "no lessons");
    }

    #[test]
    fn streak_days_reads_the_longest_streak() {
        let facts = Facts { longest_streak: 7, ..Facts::default() };
        assert_eq!(meets(&BadgeRule::StreakDays { days: 7 }, &facts), Some(7));
        assert_eq!(meets(&BadgeRule::StreakDays { days: 30 }, &facts), None);
    }

    #[test]
    fn certified_bills_count_only_their_category() {
        let facts = Facts {
            bills: vec![(GreenCategory::PublicTransport, month("2026-01"), Some(900))],
            ..Facts::default()
        };
        let appliance = BadgeRule::CertifiedBills {
            category: GreenCategory::EnergyEfficientAppliance,
            count: 1,
        };
        assert_eq!(meets(&appliance, &facts), None);
        let transit =
            BadgeRule::CertifiedBills { category: GreenCategory::PublicTransport, count: 1 };
        assert_eq!(meets(&transit, &facts), Some(1));
    }

    #[test]
    fn carbon_saved_adds_known_figures_only() {
        let facts = Facts {
            bills: vec![
                (GreenCategory::EvCharging, month("2026-01"), Some(60_000)),
                (GreenCategory::GreenFood, month("2026-01"), None),
                (GreenCategory::SharedBike, month("2026-02"), Some(39_999)),
            ],
            ..Facts::default()
        };
        assert_eq!(meets(&BadgeRule::CertifiedCarbonSaved { grams: 100_000 }, &facts), None);
        let mut more = facts.clone();
        more.bills.push((GreenCategory::SharedBike, month("2026-03"), Some(1)));
        assert_eq!(
            meets(&BadgeRule::CertifiedCarbonSaved { grams: 100_000 }, &more),
            Some(100_000)
        );
    }

    #[test]
    fn months_in_a_row_cross_the_new_year_and_break_on_a_gap() {
        let rule = BadgeRule::CertifiedMonthsInARow {
            categories: vec![GreenCategory::PublicTransport, GreenCategory::SharedBike],
            months: 12,
        };
        let mut bills: Vec<_> = (0..12)
            .map(|i| {
                let (y, m) = if 6 + i <= 12 { (2025, 6 + i) } else { (2026, 6 + i - 12) };
                (GreenCategory::SharedBike, month(&format!("{y}-{m:02}")), None)
            })
            .collect();
        let facts = Facts { bills: bills.clone(), ..Facts::default() };
        assert_eq!(meets(&rule, &facts), Some(12), "June 2025 to May 2026");

        bills.remove(5); // November 2025
        bills.push((GreenCategory::EvCharging, month("2025-11"), None));
        let facts = Facts { bills, ..Facts::default() };
        assert_eq!(meets(&rule, &facts), None, "EV charging is not green transport here");
    }
}
