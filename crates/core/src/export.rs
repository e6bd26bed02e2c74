//! Writing the bills a [`BillFilter`] takes to a file, as CSV or JSON, for a spreadsheet or
//! another program.
//!
//! Each row carries what a reader needs to check a figure without the app: the amount in minor
//! units with its currency, how far the green claim was certified, and the carbon grams with
//! the method that produced them (empty when no method can tell, never 0). Rows are written as
//! the bill list pages through them, so a file of 100k bills never sits in memory whole.
//!
//! [`write_bills`] writes to any writer; [`write_bills_to_file`] is how a file is made: through
//! a temporary file beside it, renamed into place only once complete, and only over an
//! existing file when the caller says the user agreed to replace it.

use std::io::Write;
use std::path::Path;

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use ts_rs::TS;

use crate::db::bills::{self, BillFilter, BillRow};
use crate::db::instant_text;
use crate::error::{CoreError, Result};

/// The file formats bills can be exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// Comma-separated values with a header row, UTF-8 with a byte-order mark so spreadsheet
    /// programs read Chinese text right.
    Csv,
    /// One JSON array of objects, one per bill, with the CSV's column names as keys.
    Json,
}

impl ExportFormat {
    /// The format a file name's extension asks for (`.csv` or `.json`, any case).
    pub fn from_file_name(name: &str) -> Option<Self> {
        let (_, extension) = name.rsplit_once('.')?;
        match extension.to_ascii_lowercase().as_str() {
            "csv" => Some(Self::Csv),
            "json" => Some(Self::Json),
            _ => None,
        }
    }
}

/// One exported bill: the columns of the CSV and the keys of the JSON, in this order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportRow {
    /// The bill's id.
    pub id: String,
    /// When it was paid, UTC, RFC 3339 with milliseconds.
    pub occurred_at: String,
    /// Who was paid.
    pub merchant: String,
    /// What was bought.
    pub item: String,
    /// Why it is green (a category's snake_case name).
    pub category: String,
    /// What was finally paid, in minor units (fen for CNY).
    pub amount_minor: i64,
    /// The amount's ISO 4217 currency.
    pub currency: String,
    /// How far the green claim was checked.
    pub certification: String,
    /// Grams of CO2e saved; empty (CSV) or null (JSON) when unknown.
    pub carbon_g: Option<i64>,
    /// The method and version behind `carbon_g`.
    pub carbon_method: Option<String>,
    /// Where the bill stands: posted, partially_refunded, refunded.
    pub status: String,
    /// `api` (synced) or `file` (imported from a payment export).
    pub source: String,
    /// The recognition rule that found an imported bill green.
    pub green_rule: Option<String>,
}

impl From<&BillRow> for ExportRow {
    fn from(bill: &BillRow) -> Self {
        Self {
            id: bill.id.clone(),
            occurred_at: instant_text(bill.occurred_at),
            merchant: bill.merchant.clone(),
            item: bill.item.clone(),
            category: bill.category.as_str().to_owned(),
            amount_minor: bill.amount.minor,
            currency: bill.amount.currency.clone(),
            certification: bill.certification.as_str().to_owned(),
            carbon_g: bill.carbon_g,
            carbon_method: bill.carbon_method.clone(),
            status: bill.status.as_str().to_owned(),
            source: bill.source.as_str().to_owned(),
            green_rule: bill.green_rule.clone(),
        }
    }
}

/// The CSV header, for an export with no rows (serde writes it with the first row otherwise).
const HEADER: [&str; 13] = [
    "id",
    "occurred_at",
    "merchant",
    "item",
    "category",
    "amount_minor",
    "currency",
    "certification",
    "carbon_g",
    "carbon_method",
    "status",
    "source",
    "green_rule",
];

/// Writes every bill `filter` takes (days and months in `tz`), newest first, to `out` as
/// `format`, and returns how many were written. `out` is flushed but not synced to disk.
pub async fn write_bills(
    pool: &SqlitePool,
    filter: &BillFilter,
    tz: Tz,
    format: ExportFormat,
    out: impl Write,
) -> Result<u64> {
    match format {
        ExportFormat::Csv => write_csv(pool, filter, tz, out).await,
        ExportFormat::Json => write_json(pool, filter, tz, out).await,
    }
}

/// What to do when the export's file already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Refuse, writing nothing: the user did not say the file may go (the CLI without
    /// `--force`).
    Refuse,
    /// Replace it: the user agreed (`--force`, or a save dialog that asked).
    Replace,
}

/// Writes every bill `filter` takes to the file at `path`, as [`write_bills`] does, and returns
/// how many were written.
///
/// The bills go to a temporary file in the same folder, synced to disk and then renamed over
/// `path`, so a failed export leaves whatever was at `path` before (or nothing) and never half
/// a file. The file is readable by its owner only: it lists someone's spending. With
/// [`Existing::Refuse`] an existing `path` is an [`CoreError::InvalidInput`] naming it, found
/// before anything is written and checked again by the rename itself.
pub async fn write_bills_to_file(
    pool: &SqlitePool,
    filter: &BillFilter,
    tz: Tz,
    format: ExportFormat,
    path: &Path,
    existing: Existing,
) -> Result<u64> {
    let refuse = || {
        CoreError::InvalidInput(format!(
            "{} already exists; nothing was written (pass --force to replace it)",
            path.display()
        ))
    };
    if existing == Existing::Refuse && path.symlink_metadata().is_ok() {
        return Err(refuse());
    }

    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(CoreError::InvalidInput(format!(
            "there is no folder {}; nothing was written",
            folder.display()
        )));
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut partial = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".partial")
        .tempfile_in(folder)
        .map_err(|e| {
            CoreError::io(format!("could not create a file in {}", folder.display()), e)
        })?;

    let rows = write_bills(pool, filter, tz, format, partial.as_file_mut()).await?;
    partial.as_file().sync_all().map_err(write_failed)?;

    let placed = match existing {
        Existing::Replace => partial.persist(path).map(drop),
        Existing::Refuse => partial.persist_noclobber(path).map(drop),
    };
    match placed {
        Ok(()) => Ok(rows),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Err(refuse()),
        Err(e) => Err(CoreError::io(format!("could not write {}", path.display()), e.error)),
    }
}

async fn write_csv(
    pool: &SqlitePool,
    filter: &BillFilter,
    tz: Tz,
    mut out: impl Write,
) -> Result<u64> {
    out.write_all("\u{feff}".as_bytes()).map_err(write_failed)?;
    let mut writer = csv::Writer::from_writer(out);
    let rows = bills::for_each(pool, filter, tz, |bill| {
        let mut row = ExportRow::from(bill);
        row.merchant = inert_in_spreadsheets(row.merchant);
        row.item = inert_in_spreadsheets(row.item);
        writer.serialize(row).map_err(csv_failed)
    })
    .await?;
    if rows == 0 {
        writer.write_record(HEADER).map_err(csv_failed)?;
    }
    writer.flush().map_err(write_failed)?;
    Ok(rows)
}

/// Text a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return: an imported merchant can be anything) gets a leading `'`, which shows the
/// text as typed. Only the CSV needs it; the JSON keeps every value as it is.
fn inert_in_spreadsheets(text: String) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text }
}

async fn write_json(
    pool: &SqlitePool,
    filter: &BillFilter,
    tz: Tz,
    out: impl Write,
) -> Result<u64> {
    let mut out = std::io::BufWriter::new(out);
    out.write_all(b"[").map_err(write_failed)?;
    let mut written = 0_u64;
    bills::for_each(pool, filter, tz, |bill| {
        out.write_all(if written == 0 { b"\n" } else { b",\n" }).map_err(write_failed)?;
        serde_json::to_writer(&mut out, &ExportRow::from(bill))
            .map_err(|e| write_failed(e.into()))?;
        written += 1;
        Ok(())
    })
    .await?;
    out.write_all(b"\n]\n").map_err(write_failed)?;
    out.flush().map_err(write_failed)?;
    Ok(written)
}

fn write_failed(source: std::io::Error) -> CoreError {
    CoreError::Io { context: "the export could not be written".to_owned(), source }
}

fn csv_failed(error: csv::Error) -> CoreError {
    write_failed(error.into())
}

#[cfg(test)]
mod tests {
    use super::inert_in_spreadsheets;

    #[test]
    fn formulas_are_shown_as_text_in_spreadsheets() {
        let cases = [
            (
                "=HYPERLINK(\"http://x.invalid\";\"上海地铁\")",
                "'=HYPERLINK(\"http://x.invalid\";\"上海地铁\")",
            ),
            ("@SUM(1+1) 地铁出行 3公里", "'@SUM(1+1) 地铁出行 3公里"),
            ("+86 充电", "'+86 充电"),
            ("-5", "'-5"),
            ("\tcmd", "'\tcmd"),
            ("北京地铁", "北京地铁"),
            ("a=b", "a=b"),
            ("", ""),
        ];
        for (text, shown) in cases {
            assert_eq!(inert_in_spreadsheets(text.to_owned()), shown, "{text:?}");
        }
    }
}
