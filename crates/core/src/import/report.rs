//! What an import did with each row of a file, and the money and carbon it read.
//!
//! Every data row ends in exactly one bucket: `imported` (stored now), `duplicates` (already
//! in the cache from an earlier import), `neutral` (moved no money of the user's, or repeats
//! a row above; with the reason) or `skipped` (could not be read, with its line and the
//! reason), so
//! `rows = imported + duplicates + neutral + skipped.len()`.
//!
//! The totals describe the file, so importing it again reports the same money: `net_spend` is
//! expenses minus the refunds written beside them minus refund rows; `green_net_spend` is the
//! same over green bills (a refund counts there when its purchase is green). Amounts are minor
//! units per currency.

use std::collections::BTreeMap;

use greenmile_api::GreenCategory;
use serde::Serialize;
use ts_rs::TS;

use super::Format;

/// A row that was not imported and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RowNote {
    /// The line (CSV) or row (workbook), 1-based.
    #[ts(type = "number")]
    pub line: usize,
    /// Why.
    pub reason: String,
}

/// Green bills of one category in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CategoryReport {
    /// The category.
    pub category: GreenCategory,
    /// How many green expenses.
    #[ts(type = "number")]
    pub bills: usize,
    /// Spent minus refunds, minor units per currency.
    #[ts(type = "Record<string, number>")]
    pub net_spend: BTreeMap<String, i64>,
    /// Grams of CO2e saved by the bills whose carbon is known, at the amounts kept.
    #[ts(type = "number")]
    pub carbon_g: i64,
    /// Bills (not fully refunded) whose carbon no method can tell; not in `carbon_g`.
    #[ts(type = "number")]
    pub carbon_unknown: usize,
}

/// The report of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FileReport {
    /// The file as named on the command line.
    pub file: String,
    /// The layout recognised from its content.
    pub format: Format,
    /// Data rows read (header, preamble and footer excluded).
    #[ts(type = "number")]
    pub rows: usize,
    /// Rows stored by this import.
    #[ts(type = "number")]
    pub imported: usize,
    /// Rows already in the cache.
    #[ts(type = "number")]
    pub duplicates: usize,
    /// Rows that moved no money of the user's.
    #[ts(type = "number")]
    pub neutral: usize,
    /// Why each neutral row is neutral.
    pub neutral_rows: Vec<RowNote>,
    /// Rows that could not be read.
    pub skipped: Vec<RowNote>,
    /// Expenses paid by a relative (亲友代付, 亲情卡, 亲属卡).
    #[ts(type = "number")]
    pub paid_by_relatives: usize,
    /// Duplicates whose later export reports a refund the cache did not have yet.
    #[ts(type = "number")]
    pub refunds_updated: usize,
    /// Refund rows whose purchase is not in the file or the cache yet; they still count.
    #[ts(type = "number")]
    pub refunds_unmatched: usize,
    /// Expenses matched by rules of two categories: stored as unverified, not green.
    #[ts(type = "number")]
    pub ambiguous: usize,
    /// Spent minus refunds, minor units per currency.
    #[ts(type = "Record<string, number>")]
    pub net_spend: BTreeMap<String, i64>,
    /// Spent minus refunds over green bills.
    #[ts(type = "Record<string, number>")]
    pub green_net_spend: BTreeMap<String, i64>,
    /// Green bills by category, in the order screens list categories.
    pub green: Vec<CategoryReport>,
}

impl FileReport {
    /// An empty report of `file` in `format`.
    pub fn new(file: &str, format: Format) -> Self {
        Self {
            file: file.to_owned(),
            format,
            rows: 0,
            imported: 0,
            duplicates: 0,
            neutral: 0,
            neutral_rows: Vec::new(),
            skipped: Vec::new(),
            paid_by_relatives: 0,
            refunds_updated: 0,
            refunds_unmatched: 0,
            ambiguous: 0,
            net_spend: BTreeMap::new(),
            green_net_spend: BTreeMap::new(),
            green: Vec::new(),
        }
    }

    /// Adds `minor` of `currency` to the net spend, and to the green totals of `green`.
    pub fn add_spend(&mut self, currency: &str, minor: i64, green: Option<GreenCategory>) {
        *self.net_spend.entry(currency.to_owned()).or_default() += minor;
        if let Some(category) = green {
            *self.green_net_spend.entry(currency.to_owned()).or_default() += minor;
            *self.category(category).net_spend.entry(currency.to_owned()).or_default() += minor;
        }
    }

    /// The category's report, created empty in screen order when first asked for.
    pub fn category(&mut self, category: GreenCategory) -> &mut CategoryReport {
        let position = self.green.iter().position(|c| c.category == category);
        let index = match position {
            Some(i) => i,
            None => {
                self.green.push(CategoryReport {
                    category,
                    bills: 0,
                    net_spend: BTreeMap::new(),
                    carbon_g: 0,
                    carbon_unknown: 0,
                });
                let rank = |c: GreenCategory| GreenCategory::ALL.iter().position(|a| *a == c);
                self.green.sort_by_key(|c| rank(c.category));
                self.green.iter().position(|c| c.category == category).unwrap_or_default()
            }
        };
        &mut self.green[index]
    }
}
