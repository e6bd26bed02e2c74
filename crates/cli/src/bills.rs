//! `greenmile bills`: the bill list, a page at a time, or every matching bill written to a
//! CSV or JSON file with `--export`.
//!
//! The flags build the core's [`BillFilter`], the same filter the app's bill screen sends, so
//! a search typed in either finds the same bills.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Args;
use greenmile_api::{Certification, GreenCategory};
use greenmile_core::db::bills::{self, BillFilter, BillQuery, BillSource};
use greenmile_core::export::{self, Existing, ExportFormat};
use greenmile_core::money::parse_amount;
use greenmile_core::{Cache, CoreError};
use serde::Serialize;

use crate::{outln, output};

/// Which bills, and what to do with them.
#[derive(Debug, Args)]
pub struct BillsArgs {
    /// How many (1 to 500).
    #[arg(long, default_value_t = 20, allow_negative_numbers = true)]
    limit: u32,
    /// Start after this position (the `next` a page before printed).
    #[arg(long, value_name = "POSITION")]
    after: Option<String>,
    /// Only this category (for example public_transport).
    #[arg(long)]
    category: Option<String>,
    /// Only this certification: unverified, self_declared, platform_reviewed,
    /// finance_certified.
    #[arg(long)]
    certification: Option<String>,
    /// Only this month of your time zone, YYYY-MM.
    #[arg(long)]
    month: Option<String>,
    /// Only bills paid on this day of your time zone or later, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    from: Option<NaiveDate>,
    /// Only bills paid on this day of your time zone or earlier, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    to: Option<NaiveDate>,
    /// Only bills of at least this amount, in yuan (12.50).
    #[arg(long, value_name = "AMOUNT")]
    min_amount: Option<String>,
    /// Only bills of at most this amount, in yuan.
    #[arg(long, value_name = "AMOUNT")]
    max_amount: Option<String>,
    /// Only bills synced from the server (api) or imported from files (file).
    #[arg(long)]
    source: Option<String>,
    /// Only bills whose merchant or item contain every word of TEXT (地铁, "Metro Line 2").
    /// TEXT may begin with a hyphen (-地铁); for two, write --search=--TEXT.
    #[arg(long, value_name = "TEXT")]
    search: Option<String>,
    /// Write every matching bill (not a page) to FILE: CSV or JSON, from its extension. An
    /// existing FILE is left alone unless --force is given.
    #[arg(long, value_name = "FILE")]
    export: Option<PathBuf>,
    /// With --export: replace FILE when it exists.
    #[arg(long, requires = "export")]
    force: bool,
}

impl BillsArgs {
    /// The core filter these flags describe; a name or amount it cannot read is refused.
    fn filter(&self) -> Result<BillFilter, CoreError> {
        let category = match &self.category {
            Some(name) => Some(GreenCategory::parse(name).ok_or_else(|| {
                let names: Vec<_> = GreenCategory::ALL.iter().map(|c| c.as_str()).collect();
                CoreError::InvalidInput(format!(
                    "no category {name:?}; use one of {}",
                    names.join(", ")
                ))
            })?),
            None => None,
        };
        let certification = match &self.certification {
            Some(name) => Some(Certification::parse(name).ok_or_else(|| {
                CoreError::InvalidInput(format!(
                    "no certification {name:?}; use unverified, self_declared, \
                     platform_reviewed or finance_certified"
                ))
            })?),
            None => None,
        };
        let source = match &self.source {
            Some(name) => Some(BillSource::parse(name).ok_or_else(|| {
                CoreError::InvalidInput(format!("no source {name:?}; use api or file"))
            })?),
            None => None,
        };
        let minor = |text: &Option<String>| -> Result<Option<i64>, CoreError> {
            Ok(match text {
                Some(text) => Some(parse_amount(text, "CNY")?.minor),
                None => None,
            })
        };
        Ok(BillFilter {
            category,
            certification,
            source,
            month: self.month.clone(),
            from: self.from,
            to: self.to,
            min_amount_minor: minor(&self.min_amount)?,
            max_amount_minor: minor(&self.max_amount)?,
            search: self.search.clone(),
        })
    }
}

/// Lists a page of bills, or exports them all when `--export` is given.
pub async fn run(json: bool, cache: &Cache, args: &BillsArgs) -> anyhow::Result<()> {
    let filter = args.filter()?;
    match &args.export {
        Some(path) => {
            let existing = if args.force { Existing::Replace } else { Existing::Refuse };
            export_to(json, cache, filter, path, existing).await
        }
        None => {
            let query = BillQuery { filter, limit: args.limit, after: args.after.clone() };
            list(json, cache, &query).await
        }
    }
}

/// What `--export --json` prints.
#[derive(Debug, Serialize)]
struct Exported<'a> {
    file: &'a Path,
    format: ExportFormat,
    rows: u64,
}

async fn export_to(
    json: bool,
    cache: &Cache,
    filter: BillFilter,
    path: &Path,
    existing: Existing,
) -> anyhow::Result<()> {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let format = ExportFormat::from_file_name(&name).ok_or_else(|| {
        CoreError::InvalidInput(format!("{} does not end in .csv or .json", path.display()))
    })?;
    let tz = crate::zone::current();

    let rows =
        export::write_bills_to_file(cache.pool(), &filter, tz, format, path, existing).await?;

    if json {
        return output::json(&Exported { file: path, format, rows });
    }
    outln!("{rows} bills written to {}", path.display());
    Ok(())
}

async fn list(json: bool, cache: &Cache, query: &BillQuery) -> anyhow::Result<()> {
    let list = bills::list(cache.pool(), query, crate::zone::current()).await?;
    if json {
        return output::json(&list);
    }

    for b in &list.items {
        let mut carbon = b.carbon_g.map(output::grams).unwrap_or_else(|| "unknown".to_owned());
        if let (Some(g), Some(method)) = (b.local_carbon_g, &b.local_carbon_method) {
            carbon = format!("{carbon} ({} by {method})", output::grams(g));
        }
        // An imported bill says so, and from which export layout: a sync never changes it.
        let source = match (b.source, &b.file_format) {
            (BillSource::File, Some(format)) => format!(" file:{format}"),
            (BillSource::File, None) => " file".to_owned(),
            (BillSource::Api, _) => String::new(),
        };
        outln!(
            "{}  {:<12} {:>12}  {:<10} {}  {} [{}]{source}",
            crate::zone::date_time(b.occurred_at),
            b.id,
            output::money(b.amount.minor, &b.amount.currency),
            carbon,
            b.merchant,
            b.item,
            b.category.as_str(),
        );
    }
    match (list.total, list.items.is_empty()) {
        (Some(total), true) => outln!("No bills here ({total} match in all)."),
        (None, true) => outln!("No more bills."),
        (Some(total), false) => outln!("Bills 1–{} of {total}", list.items.len()),
        (None, false) if list.items.len() == 1 => outln!("1 more bill"),
        (None, false) => outln!("{} more bills", list.items.len()),
    }
    if let Some(next) = &list.next {
        outln!("More: --after '{next}'");
    }
    Ok(())
}
