//! Importing bills from payment exports: Alipay, WeChat Pay, JD and Meituan.
//!
//! Most people in GreenMile's first market hold their spending as these exports. Reading them
//! shows green spending and carbon savings before any finance account is linked. The pieces:
//!
//! - [`detect`] reads the bytes into a table: container, encoding, sheet, the header row found
//!   by its cells, and so the [`Format`]. Columns are read by name from then on.
//! - One module per platform ([`alipay`], [`wechat`], [`jd`], [`meituan`]) gives each data row
//!   its meaning: an [`Entry`] that moved money (expense, income or refund), a neutral row with
//!   the reason it moved none, or a skipped row with the reason it could not be read. Times go
//!   through [`time`], amounts through [`amount`].
//! - [`green`] recognises green expenses by the rules in `assets/green/rules.json` and finds
//!   the inputs of a carbon method where the row holds them.
//! - [`import_bytes`] stores the entries of one file in one transaction
//!   ([`crate::db::imported`]): a row already stored is a duplicate and changes nothing (but a
//!   refund a later export writes beside it), refund rows are linked to their purchases (in
//!   the file or from an earlier import), and each purchase's amount kept, status and carbon
//!   are settled. It returns the [`FileReport`].
//!
//! Bad input never changes the cache: a file that cannot be read at all is a
//! [`CoreError::InvalidInput`] naming the problem before anything is written, and rows that
//! cannot be read are reported with their line while the good rows are imported.

pub mod alipay;
pub mod amount;
pub mod detect;
pub mod green;
pub mod jd;
pub mod meituan;
pub mod report;
pub mod time;
pub mod wechat;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use chrono::{DateTime, Utc};
use greenmile_api::Money;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::db::imported::{self, NewImportedBill};
use crate::db::{Cache, instant_text};
use crate::error::{CoreError, Result};
use detect::{Cell, Row, Table};
use green::{CarbonInput, Recognition, Subject};
pub use report::FileReport;

/// The largest export read (50 MiB): years of bills are a few MiB.
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

/// The platform an export comes from. Ids of stored rows are scoped by it, so the CSV and the
/// workbook of the same WeChat Pay bills are the same rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// 支付宝.
    Alipay,
    /// 微信支付.
    Wechat,
    /// 京东.
    Jd,
    /// 美团.
    Meituan,
}

impl Source {
    /// The name stored in the cache.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Alipay => "alipay",
            Source::Wechat => "wechat",
            Source::Jd => "jd",
            Source::Meituan => "meituan",
        }
    }
}

/// The layout of an export file, recognised from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "ImportFormat")]
pub enum Format {
    /// Alipay's mobile CSV since February 2023 (GBK, 24-line preamble).
    AlipayCsv,
    /// Alipay's CSV before February 2023 (banner, then the header; footer after the rows).
    AlipayCsvPre2023,
    /// Alipay's older PC-web CSV with 成功退款（元）.
    AlipayPcWeb,
    /// WeChat Pay's CSV.
    WechatCsv,
    /// WeChat Pay's xlsx workbook (the 2025 and 2026 layouts).
    WechatXlsx,
    /// JD's CSV.
    JdCsv,
    /// Meituan's CSV.
    MeituanCsv,
}

impl Format {
    /// The name in reports and in the cache.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::AlipayCsv => "alipay_csv",
            Format::AlipayCsvPre2023 => "alipay_csv_pre2023",
            Format::AlipayPcWeb => "alipay_pc_web",
            Format::WechatCsv => "wechat_csv",
            Format::WechatXlsx => "wechat_xlsx",
            Format::JdCsv => "jd_csv",
            Format::MeituanCsv => "meituan_csv",
        }
    }

    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            Format::AlipayCsv => "Alipay CSV",
            Format::AlipayCsvPre2023 => "Alipay CSV (before 2023)",
            Format::AlipayPcWeb => "Alipay PC-web CSV",
            Format::WechatCsv => "WeChat Pay CSV",
            Format::WechatXlsx => "WeChat Pay workbook",
            Format::JdCsv => "JD CSV",
            Format::MeituanCsv => "Meituan CSV",
        }
    }

    /// The platform.
    pub fn source(self) -> Source {
        match self {
            Format::AlipayCsv | Format::AlipayCsvPre2023 | Format::AlipayPcWeb => Source::Alipay,
            Format::WechatCsv | Format::WechatXlsx => Source::Wechat,
            Format::JdCsv => Source::Jd,
            Format::MeituanCsv => Source::Meituan,
        }
    }
}

/// Which way an entry's money went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The user paid.
    Expense,
    /// The user was paid (red packets, transfers in).
    Income,
    /// Money of an earlier expense came back.
    Refund,
}

impl Kind {
    /// The name stored in the cache.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Expense => "expense",
            Kind::Income => "income",
            Kind::Refund => "refund",
        }
    }
}

/// A row that moved money, as a platform reader understood it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Which way the money went.
    pub kind: Kind,
    /// When.
    pub occurred_at: DateTime<Utc>,
    /// The platform's order number (TAB and padding stripped), `''` when absent.
    pub order_id: String,
    /// Who was paid.
    pub merchant: String,
    /// What was bought.
    pub item: String,
    /// The platform's category or transaction type.
    pub platform_category: String,
    /// How it was paid.
    pub payment_method: String,
    /// The platform's status text.
    pub platform_status: String,
    /// The amount before refunds.
    pub gross: Money,
    /// Refunded according to the row itself.
    pub refunded_in_cell: i64,
    /// Paid by a relative.
    pub paid_by_relative: bool,
    /// How refund rows find their purchase: equal on both; `''` where refunds are not rows.
    pub link_key: String,
}

/// What became of one data row.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// It moved money.
    Entry(Box<Entry>),
    /// It moved no money of the user's, and why.
    Neutral(String),
    /// It could not be read, and why.
    Skipped(String),
}

/// An export read into rows, before anything is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    /// Its layout.
    pub format: Format,
    /// Each data row's line and outcome, in file order.
    pub rows: Vec<(usize, Outcome)>,
}

/// Reads an export's bytes: the layout and what each row means. Errors name what is wrong
/// with the file as a whole.
pub fn read_export(bytes: &[u8]) -> Result<Export, detect::FileError> {
    let table = detect::read_table(bytes)?;
    let rows = match table.format {
        Format::AlipayCsv | Format::AlipayCsvPre2023 => alipay::read(&table),
        Format::AlipayPcWeb => alipay::read_pc_web(&table),
        Format::WechatCsv | Format::WechatXlsx => wechat::read(&table),
        Format::JdCsv => jd::read(&table),
        Format::MeituanCsv => meituan::read(&table),
    };
    Ok(Export { format: table.format, rows })
}

/// Reads the time under `column` as China wall-clock time.
pub(crate) fn time_of(table: &Table, row: &Row, column: &str) -> Result<DateTime<Utc>, String> {
    let text = table.text(row, column)?;
    time::parse_china_time(&text).map_err(|e| format!("{column}: {e}"))
}

/// Reads the amount under `column`, a text cell or a workbook number.
pub(crate) fn amount_of(
    table: &Table,
    row: &Row,
    column: &str,
) -> Result<amount::AmountCell, String> {
    let result = match table.cell(row, column)? {
        Some(Cell::Number(n)) => amount::from_spreadsheet_number(*n),
        Some(cell) => amount::parse_amount_cell(&cell.text()),
        None => return Err(format!("the export has no column {column}")),
    };
    result.map_err(|e| format!("{column}: {e}"))
}

/// An order number as stored: padding and Excel's trailing TAB removed, `/` as none.
pub(crate) fn order_id(text: &str) -> String {
    let id = detect::clean(text);
    if id == "/" { String::new() } else { id.to_owned() }
}

/// The stored id of an entry: the same row of the same platform hashes the same in every
/// export, whatever the file's layout or encoding. Status is left out: it changes between
/// exports (等待确认收货 becomes 交易成功) while the row stays the same.
fn entry_id(source: Source, entry: &Entry) -> String {
    let mut hash = Sha256::new();
    for part in [
        source.as_str(),
        &entry.order_id,
        entry.kind.as_str(),
        &instant_text(entry.occurred_at),
        &entry.gross.minor.to_string(),
        &entry.gross.currency,
        &entry.merchant,
        &entry.item,
    ] {
        hash.update(part.as_bytes());
        hash.update([0x1f]);
    }
    let digest = hash.finalize();
    let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    format!("imp-{hex}")
}

/// Imports the export at `path` into the cache; see [`import_bytes`].
pub async fn import_file(cache: &Cache, path: &Path, now: DateTime<Utc>) -> Result<FileReport> {
    let name = path.display().to_string();
    let size =
        std::fs::metadata(path).map_err(|e| CoreError::io(format!("cannot read {name}"), e))?.len();
    if size > MAX_FILE_BYTES {
        return Err(CoreError::InvalidInput(format!(
            "{name}: {size} bytes is larger than any bill export ({MAX_FILE_BYTES} at most)"
        )));
    }
    // The size above is 0 for pipes and devices (`/dev/zero`), so the read itself stops one
    // byte past the limit.
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(
            std::fs::File::open(path)
                .map_err(|e| CoreError::io(format!("cannot read {name}"), e))?,
            MAX_FILE_BYTES + 1,
        ),
        &mut bytes,
    )
    .map_err(|e| CoreError::io(format!("cannot read {name}"), e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(CoreError::InvalidInput(format!(
            "{name}: more than {MAX_FILE_BYTES} bytes, larger than any bill export"
        )));
    }
    import_bytes(cache, &name, &bytes, now).await
}

/// Imports one export's bytes in one transaction and reports what became of every row.
/// `name` only labels the report and errors; the content decides the layout.
pub async fn import_bytes(
    cache: &Cache,
    name: &str,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<FileReport> {
    let export = read_export(bytes).map_err(|e| CoreError::InvalidInput(format!("{name}: {e}")))?;
    let source = export.format.source();
    let span = tracing::info_span!("import", import.format = export.format.as_str());
    let _entered = span.enter();

    let mut report = FileReport::new(name, export.format);
    report.rows = export.rows.len();
    let mut bills: Vec<(NewImportedBill, Option<Recognition>)> = Vec::new();
    let mut first_line: HashMap<String, usize> = HashMap::new();
    for (line, outcome) in export.rows {
        match outcome {
            Outcome::Skipped(reason) => report.skipped.push(report::RowNote { line, reason }),
            Outcome::Neutral(reason) => {
                report.neutral += 1;
                report.neutral_rows.push(report::RowNote { line, reason });
            }
            Outcome::Entry(entry) => {
                let id = entry_id(source, &entry);
                if let Some(first) = first_line.get(&id) {
                    let reason = format!("repeats line {first}: the same transaction listed again");
                    report.neutral += 1;
                    report.neutral_rows.push(report::RowNote { line, reason });
                    continue;
                }
                if let Some(reason) = implausible_date(entry.occurred_at, now) {
                    report.skipped.push(report::RowNote { line, reason });
                    continue;
                }
                let (bill, recognition) = new_bill(id.clone(), export.format, line, *entry);
                let input = recognition.as_ref().and_then(|r| r.carbon_input.as_ref());
                let absurd = input.and_then(CarbonInput::implausible).or_else(|| {
                    recognition.as_ref().and_then(|r| green::implausible_amount(r, &bill.gross))
                });
                if let Some(reason) = absurd {
                    report.skipped.push(report::RowNote { line, reason });
                    continue;
                }
                first_line.insert(id, line);
                bills.push((bill, recognition));
            }
        }
    }

    // Everything below is one transaction: a failure leaves the cache as it was.
    let mut tx = cache.begin_write().await?;
    // A big export touches every page of the table's indexes in random order; with SQLite's
    // default 2 MB page cache each touch is a read from the file. 64 MB holds a year of
    // anyone's bills; it is an upper bound, taken only as pages are used.
    sqlx::query("PRAGMA cache_size = -65536").execute(&mut *tx).await?;
    let ids: Vec<&str> = bills.iter().map(|(bill, _)| bill.id.as_str()).collect();
    let stored = imported::stored_ids(&mut tx, &ids).await?;

    let mut new_rows = Vec::with_capacity(bills.len() - stored.len().min(bills.len()));
    let mut touched_keys = BTreeSet::new();
    let mut to_settle = BTreeSet::new();
    for (bill, recognition) in &bills {
        if !stored.contains(&bill.id) {
            report.imported += 1;
            if !bill.link_key.is_empty() {
                touched_keys.insert(bill.link_key.as_str());
            }
            new_rows.push((bill, settled(bill, recognition.as_ref())));
            continue;
        }
        report.duplicates += 1;
        if bill.refunded_in_cell > 0
            && imported::raise_refund_in_cell(&mut tx, &bill.id, bill.refunded_in_cell).await?
        {
            report.refunds_updated += 1;
            to_settle.insert(bill.id.clone());
        }
    }
    // In id order: the table's key, so a fresh table grows at its end.
    // TODO(import-perf): 100k rows import at about 10-25k rows/s (benches/import.rs), short
    // of 200k: the time is SQLite's index inserts and WAL writes and sqlx binding 27 columns
    // a row, then the rules and carbon per row. Next steps: fewer indexes written during a
    // bulk import, and carbon figures without their text trace until asked for.
    new_rows.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    imported::insert_new(&mut tx, &new_rows, now).await?;

    // Refunds find their purchases, in this file or imported before; those purchases settle
    // again. Only keys this file brought can have anything new to link.
    for (key, refund) in imported::orphan_refunds(&mut tx, source.as_str()).await? {
        if !touched_keys.contains(key.as_str()) {
            continue;
        }
        let candidates =
            imported::purchases_for(&mut tx, source.as_str(), &key, &refund.occurred_at).await?;
        if let Some((purchase, _)) = candidates.iter().find(|(_, left)| *left >= refund.amount) {
            imported::set_refund_of(&mut tx, &refund.id, purchase).await?;
            settle(&mut tx, purchase).await?;
            to_settle.insert(purchase.clone());
        }
    }
    for id in &to_settle {
        settle(&mut tx, id).await?;
    }

    // The report counts each row as it is now stored. A new expense nothing changed since is
    // as it was settled above; anything else is read back.
    let fresh: HashMap<&str, &imported::Settled> =
        new_rows.iter().map(|(bill, settled)| (bill.id.as_str(), settled)).collect();
    for (bill, recognition) in &bills {
        let state = match fresh.get(bill.id.as_str()) {
            Some(settled)
                if bill.kind != Kind::Refund.as_str() && !to_settle.contains(&bill.id) =>
            {
                Stored::from_settled(bill, settled)
            }
            _ => match imported::get(&mut tx, &bill.id).await? {
                Some(row) => Stored::from_row(&row),
                None => continue,
            },
        };
        tally(&mut report, bill, recognition.as_ref(), &state);
    }
    tx.commit().await?;

    tracing::info!(
        rows.read = report.rows,
        rows.imported = report.imported,
        rows.duplicate = report.duplicates,
        rows.neutral = report.neutral,
        rows.skipped = report.skipped.len(),
        "export imported"
    );
    Ok(report)
}

/// The row to store for an entry, with its green recognition.
/// Why a row dated `at` cannot be a payment an export read at `now` holds: one from after the
/// next day (a day of slack for clocks and time zones), or from before mobile payment existed.
fn implausible_date(at: DateTime<Utc>, now: DateTime<Utc>) -> Option<String> {
    use chrono::Datelike;

    let text = at.format("%Y-%m-%d");
    if at > now + chrono::Duration::days(1) {
        return Some(format!("dated {text}, in the future: not a payment that has happened"));
    }
    (at.year() < 2000).then(|| format!("dated {text}, before any payment platform's exports"))
}

fn new_bill(
    id: String,
    format: Format,
    line: usize,
    entry: Entry,
) -> (NewImportedBill, Option<Recognition>) {
    let recognition = (entry.kind == Kind::Expense)
        .then(|| {
            green::rules().recognise(&Subject {
                merchant: &entry.merchant,
                item: &entry.item,
                platform_category: &entry.platform_category,
                mcc: None,
                gross: &entry.gross,
            })
        })
        .flatten();
    let carbon_input_json = recognition
        .as_ref()
        .and_then(|r| r.carbon_input.as_ref())
        .and_then(|input| serde_json::to_string(input).ok());

    let bill = NewImportedBill {
        id,
        source: format.source().as_str(),
        format: format.as_str(),
        order_id: entry.order_id,
        kind: entry.kind.as_str(),
        occurred_at: entry.occurred_at,
        merchant: entry.merchant,
        item: entry.item,
        platform_category: entry.platform_category,
        payment_method: entry.payment_method,
        platform_status: entry.platform_status,
        paid_by_relative: entry.paid_by_relative,
        gross: entry.gross,
        refunded_in_cell: entry.refunded_in_cell,
        link_key: entry.link_key,
        category: recognition.as_ref().and_then(|r| r.category),
        certification: recognition.as_ref().map(|r| r.certification),
        rule_id: recognition.as_ref().map(|r| r.rule_id.clone()),
        carbon_input_json,
        file_line: line as i64,
    };
    (bill, recognition)
}

/// A new row's refunds, status and carbon from what the row itself says (refunds in other
/// rows are linked and settled after it is stored).
fn settled(bill: &NewImportedBill, recognition: Option<&Recognition>) -> imported::Settled {
    let refunded = bill.refunded_in_cell.clamp(0, bill.gross.minor);
    let status = imported::status_of(bill.gross.minor, refunded);
    let carbon = (bill.kind == Kind::Expense.as_str())
        .then(|| recognition.and_then(|r| r.carbon_input.as_ref()))
        .flatten()
        .and_then(|input| {
            let kept = Money::new(bill.gross.minor - refunded, &bill.gross.currency);
            green::carbon_at(input, &bill.gross, &kept, status)
        });
    imported::Settled { refunded, status, carbon }
}

/// What the report reads of a stored row.
struct Stored {
    category: Option<greenmile_api::GreenCategory>,
    certification: Option<greenmile_api::Certification>,
    status: greenmile_api::BillStatus,
    carbon_g: Option<i64>,
    linked: bool,
}

impl Stored {
    fn from_settled(bill: &NewImportedBill, settled: &imported::Settled) -> Self {
        Self {
            category: bill.category,
            certification: bill.certification,
            status: settled.status,
            carbon_g: settled.carbon.as_ref().map(|c| c.grams),
            linked: false,
        }
    }

    fn from_row(row: &imported::ImportedBill) -> Self {
        Self {
            category: row.category,
            certification: row.certification,
            status: row.status,
            carbon_g: row.carbon_g,
            linked: row.refund_of.is_some(),
        }
    }
}

/// Works out a purchase's refunds, amount kept, status and carbon from what is stored.
async fn settle(conn: &mut sqlx::SqliteConnection, id: &str) -> Result<()> {
    let state = imported::refunds_of(conn, id).await?;
    let refunded = (state.refunded_in_cell + state.linked).clamp(0, state.gross.minor);
    let kept = Money::new(state.gross.minor - refunded, &state.gross.currency);
    let input: Option<green::CarbonInput> =
        state.carbon_input_json.as_deref().and_then(|json| serde_json::from_str(json).ok());
    let status = imported::status_of(state.gross.minor, refunded);
    let carbon = input.and_then(|input| green::carbon_at(&input, &state.gross, &kept, status));
    imported::settle(conn, id, refunded, state.gross.minor, carbon.as_ref()).await
}

/// Adds one stored row to the report: the money it moved, and its green category.
fn tally(
    report: &mut FileReport,
    bill: &NewImportedBill,
    recognition: Option<&Recognition>,
    stored: &Stored,
) {
    let green = match (stored.category, stored.certification) {
        (Some(category), Some(c)) if c != greenmile_api::Certification::Unverified => {
            Some(category)
        }
        _ => None,
    };
    let currency = &bill.gross.currency;
    match bill.kind {
        "expense" => {
            report.add_spend(
                currency,
                bill.gross.minor - bill.refunded_in_cell.min(bill.gross.minor),
                green,
            );
            if bill.paid_by_relative {
                report.paid_by_relatives += 1;
            }
            if recognition.is_some_and(|r| r.category.is_none()) {
                report.ambiguous += 1;
            }
            if let Some(category) = green {
                let refunded = stored.status == greenmile_api::BillStatus::Refunded;
                let entry = report.category(category);
                entry.bills += 1;
                match stored.carbon_g {
                    Some(g) => entry.carbon_g += g,
                    None if !refunded => entry.carbon_unknown += 1,
                    None => {}
                }
            }
        }
        "refund" => {
            report.add_spend(currency, -bill.gross.minor, green);
            if !stored.linked {
                report.refunds_unmatched += 1;
            }
        }
        _ => {}
    }
}
