//! `greenmile import FILE...`: reads payment exports into the cache and reports every row.
//!
//! Each file is imported on its own (one transaction each), so a file that cannot be read
//! leaves the others and the cache as they were. With `--json` the output is one object,
//! `{"files": [...]}`, each entry the core's report or `{"file", "error": {code, message}}`.
//! The command exits 1 when any file failed.

use std::path::PathBuf;

use chrono::Utc;
use greenmile_core::import::{self, FileReport};
use greenmile_core::{AppError, Cache};
use serde::Serialize;

use crate::outln;
use crate::output;

/// Tells `main` the failure was already printed with the files' report.
#[derive(Debug)]
pub struct Reported {
    failed: usize,
    total: usize,
}

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} of {} files could not be imported", self.failed, self.total)
    }
}

impl std::error::Error for Reported {}

impl Reported {
    /// Whether `error` is this one.
    pub fn is(error: &anyhow::Error) -> bool {
        error.downcast_ref::<Reported>().is_some()
    }
}

#[derive(Serialize)]
#[serde(untagged)]
enum FileResult {
    Imported(Box<FileReport>),
    Failed { file: String, error: AppError },
}

#[derive(Serialize)]
struct ImportJson<'a> {
    files: &'a [FileResult],
}

/// Imports `files` in order and prints the report.
pub async fn run(json: bool, cache: &Cache, files: &[PathBuf]) -> anyhow::Result<()> {
    let mut results = Vec::with_capacity(files.len());
    for path in files {
        let result = match import::import_file(cache, path, Utc::now()).await {
            Ok(report) => FileResult::Imported(Box::new(report)),
            Err(error) => {
                FileResult::Failed { file: path.display().to_string(), error: (&error).into() }
            }
        };
        results.push(result);
    }

    if json {
        output::json(&ImportJson { files: &results })?;
    } else {
        for result in &results {
            print_text(result)?;
        }
    }

    let failed = results.iter().filter(|r| matches!(r, FileResult::Failed { .. })).count();
    if failed > 0 {
        if !json {
            eprintln!("error: {failed} of {} files could not be imported (see above)", files.len());
        }
        return Err(Reported { failed, total: files.len() }.into());
    }
    Ok(())
}

fn print_text(result: &FileResult) -> anyhow::Result<()> {
    let report = match result {
        FileResult::Imported(report) => report,
        FileResult::Failed { error, .. } => {
            outln!("not imported: {}", error.message);
            return Ok(());
        }
    };

    outln!("{} ({})", report.file, report.format.label());
    outln!(
        "  {} rows: {} imported, {} already imported, {} neutral, {} skipped",
        report.rows,
        report.imported,
        report.duplicates,
        report.neutral,
        report.skipped.len()
    );
    for (currency, minor) in &report.net_spend {
        let green = report.green_net_spend.get(currency).copied().unwrap_or(0);
        outln!(
            "  net spend {}, of it green {}",
            output::money(*minor, currency),
            output::money(green, currency)
        );
    }
    for c in &report.green {
        let spend: Vec<String> =
            c.net_spend.iter().map(|(cur, minor)| output::money(*minor, cur)).collect();
        let carbon = match (c.carbon_g, c.carbon_unknown) {
            (0, n) if n > 0 => "carbon unknown".to_owned(),
            (g, 0) => format!("carbon saved {}", output::grams(g)),
            (g, n) => format!("carbon saved {} (and {n} unknown)", output::grams(g)),
        };
        outln!(
            "  {:<27} {:>3} bills  {:>12}  {carbon}",
            c.category.as_str(),
            c.bills,
            spend.join(" ")
        );
    }
    if report.paid_by_relatives > 0 {
        outln!("  {} paid by a relative (亲友代付, 亲情卡, 亲属卡)", report.paid_by_relatives);
    }
    if report.ambiguous > 0 {
        outln!(
            "  {} matched two green categories: kept as unverified, not green",
            report.ambiguous
        );
    }
    if report.refunds_updated > 0 {
        outln!("  {} bills imported before now show their refunds", report.refunds_updated);
    }
    if report.refunds_unmatched > 0 {
        outln!("  {} refunds whose purchase is not imported yet", report.refunds_unmatched);
    }
    for s in &report.skipped {
        outln!("  skipped line {}: {}", s.line, s.reason);
    }
    Ok(())
}
