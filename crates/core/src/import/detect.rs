//! Recognising an export from its bytes: container, encoding, sheet, header row and layout.
//!
//! Nothing here looks at the file name. The bytes decide, in this order:
//!
//! 1. The container: an empty file, a zip (an `.xlsx` workbook, or a plain or encrypted
//!    archive such as Alipay's password-protected bill zip), an old OLE2 Excel file, a PDF, or
//!    other binary data are told apart by their first bytes. Only a workbook or text goes on.
//! 2. Text is decoded as UTF-8 (with or without a BOM), UTF-16 with a BOM, or GB18030 (which
//!    contains GBK), the encoding of Alipay's exports. Text that is none of these is refused.
//! 3. The text is split into CSV records (quoting is mixed in real exports), or each sheet of a
//!    workbook is read into the same grid of cells with its 1-based row numbers.
//! 4. The header row is found by its cells, wherever it sits after the preamble, and names the
//!    [`Format`]. Columns are then read by these names, never by position. Data rows run from
//!    the header to the first row with at most one filled cell, where footers begin.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader};

use super::Format;

/// How far down a sheet the header row may sit (real preambles are under 30 rows).
const HEADER_SEARCH_ROWS: usize = 80;

/// Why a file is not an export GreenMile can read. Each message names the problem and what to
/// do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// The file has no bytes, or only blank lines.
    #[error("the file is empty")]
    Empty,

    /// The file is a zip archive whose entries are encrypted.
    #[error(
        "the file is an encrypted zip archive: it needs its password (Alipay sends a 6-digit \
         one); unzip it with the password and import the bill file inside"
    )]
    EncryptedZip,

    /// The file is a zip archive that is not a workbook.
    #[error("the file is a zip archive, not an export: unzip it and import the bill file inside")]
    Zip,

    /// The file is an old binary Excel file or a password-protected workbook.
    #[error(
        "the file is an old-format or password-protected Excel file: save it as an .xlsx \
         workbook without a password, or export CSV"
    )]
    OleWorkbook,

    /// The workbook could not be read (damaged, truncated).
    #[error("the workbook cannot be read ({0}); it may be damaged or cut short: export it again")]
    BadWorkbook(String),

    /// The bytes are not text in any encoding exports use, nor a workbook.
    #[error("the file is binary data ({0}), not a bill export")]
    Binary(String),

    /// The text ends inside a character or a row: the download was cut short.
    #[error("the file ends in the middle of {0}: it looks truncated; export or download it again")]
    Truncated(String),

    /// No row matches the header of a known export.
    #[error(
        "no known bill layout: no row in the first {HEADER_SEARCH_ROWS} looks like the header \
         of an Alipay, WeChat Pay, JD or Meituan export"
    )]
    UnknownLayout,

    /// The header was found but no transaction follows it.
    #[error("the export has no transactions (an empty {0} export)")]
    NoRows(&'static str),
}

/// One cell as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, as written (CSV cells are always text).
    Text(String),
    /// A number cell of a workbook.
    Number(f64),
    /// Nothing.
    Empty,
}

impl Cell {
    /// The cell's text with surrounding spaces and TABs removed (numbers as their shortest
    /// decimal text).
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => clean(t).to_owned(),
            Cell::Number(n) => format!("{n}"),
            Cell::Empty => String::new(),
        }
    }

    fn is_blank(&self) -> bool {
        match self {
            Cell::Text(t) => clean(t).is_empty() || clean(t) == "\"\"",
            Cell::Number(_) => false,
            Cell::Empty => true,
        }
    }
}

/// Removes the padding exports put around cells: spaces, TABs (Excel's keep-as-text trick),
/// full-width spaces and a stray BOM.
pub fn clean(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '\u{3000}')
}

/// A row of cells and the 1-based line (CSV) or row number (workbook) it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Where the row starts in the file, for reports.
    pub line: usize,
    /// The cells, left to right.
    pub cells: Vec<Cell>,
}

impl Row {
    fn filled(&self) -> usize {
        self.cells.iter().filter(|c| !c.is_blank()).count()
    }
}

/// The transactions of an export: its layout, its columns by name and its data rows.
#[derive(Debug, Clone)]
pub struct Table {
    /// The layout the header names.
    pub format: Format,
    /// Column index by header name (names cleaned, brackets made half-width).
    columns: HashMap<String, usize>,
    /// The data rows, header and footer excluded.
    pub rows: Vec<Row>,
}

impl Table {
    /// Reads every row with `read_row`; a row it refuses ends as skipped with the reason.
    pub fn read_rows(
        &self,
        read_row: impl Fn(&Table, &Row) -> Result<super::Outcome, String>,
    ) -> Vec<(usize, super::Outcome)> {
        self.rows
            .iter()
            .map(|row| (row.line, read_row(self, row).unwrap_or_else(super::Outcome::Skipped)))
            .collect()
    }

    /// The cell of `row` under the header `name`: `Ok(None)` when the layout has no such
    /// column, an error when the row is too short to reach it.
    pub fn cell<'r>(&self, row: &'r Row, name: &str) -> Result<Option<&'r Cell>, String> {
        match self.columns.get(name) {
            None => Ok(None),
            Some(&i) => row.cells.get(i).map(Some).ok_or_else(|| {
                format!(
                    "the row has {} cells and ends before column {name} (cut short?)",
                    row.cells.len()
                )
            }),
        }
    }

    /// The cleaned text under `name`; an error when the column is missing or the row short.
    pub fn text(&self, row: &Row, name: &str) -> Result<String, String> {
        match self.cell(row, name)? {
            Some(cell) => Ok(cell.text()),
            None => Err(format!("the export has no column {name}")),
        }
    }

    /// The cleaned text under `name`, or empty when the layout has no such column.
    pub fn text_or_empty(&self, row: &Row, name: &str) -> Result<String, String> {
        Ok(self.cell(row, name)?.map(Cell::text).unwrap_or_default())
    }
}

/// Each known layout and the header cells that identify it. A header row must hold all of
/// them; columns not listed here may come and go without breaking the reader.
fn layouts() -> [(Format, &'static [&'static str]); 5] {
    [
        (
            Format::AlipayPcWeb,
            &[
                "交易号",
                "交易创建时间",
                "交易对方",
                "商品名称",
                "金额(元)",
                "收/支",
                "交易状态",
                "成功退款(元)",
            ],
        ),
        // The pre-2023 layout has the same names as the 2023 one except 备注; it is told apart
        // below, after the header is found.
        (
            Format::AlipayCsv,
            &[
                "交易时间",
                "交易分类",
                "交易对方",
                "商品说明",
                "收/支",
                "金额",
                "交易状态",
                "交易订单号",
            ],
        ),
        (
            Format::WechatCsv,
            &[
                "交易时间",
                "交易类型",
                "交易对方",
                "商品",
                "收/支",
                "金额(元)",
                "当前状态",
                "交易单号",
            ],
        ),
        (
            Format::JdCsv,
            &[
                "交易时间",
                "商户名称",
                "交易说明",
                "金额",
                "收/支",
                "交易状态",
                "交易分类",
                "交易订单号",
            ],
        ),
        (
            Format::MeituanCsv,
            &[
                "交易创建时间",
                "交易成功时间",
                "交易类型",
                "订单标题",
                "收/支",
                "实付金额",
                "交易单号",
            ],
        ),
    ]
}

/// Reads an export's bytes into its table of transactions.
pub fn read_table(bytes: &[u8]) -> Result<Table, FileError> {
    match sniff(bytes)? {
        Container::Workbook => workbook_table(bytes),
        Container::Text => {
            let text = decode(bytes)?;
            if clean(&text).is_empty() {
                return Err(FileError::Empty);
            }
            find_table(csv_rows(&text)?)
        }
    }
}

enum Container {
    Workbook,
    Text,
}

/// Tells the container from the first bytes.
fn sniff(bytes: &[u8]) -> Result<Container, FileError> {
    if bytes.is_empty() {
        return Err(FileError::Empty);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // Bit 0 of a local file header's flags marks an encrypted entry (APPNOTE 4.4.4).
        let flags = bytes.get(6..8).map(|b| u16::from_le_bytes([b[0], b[1]])).unwrap_or(0);
        if flags & 1 == 1 {
            return Err(FileError::EncryptedZip);
        }
        // A zip ends with its directory (the end record is within the last 64 KiB + 22 bytes);
        // a download cut short has none.
        let tail = &bytes[bytes.len().saturating_sub(65_557)..];
        if !tail.windows(4).any(|w| w == b"PK\x05\x06") {
            return Err(FileError::Truncated("a zip archive (its directory is missing)".into()));
        }
        return Ok(Container::Workbook);
    }
    if bytes.starts_with(b"PK\x05\x06") {
        return Err(FileError::Zip);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(FileError::OleWorkbook);
    }
    if bytes.starts_with(b"%PDF") {
        return Err(FileError::Binary("a PDF document".into()));
    }
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    let head = &bytes[..bytes.len().min(8192)];
    if !utf16 && head.iter().any(|&b| b == 0 || (b < 0x09) || (0x0E..0x1B).contains(&b)) {
        return Err(FileError::Binary("control bytes that no text export contains".into()));
    }
    Ok(Container::Text)
}

/// Decodes text: UTF-8 (BOM optional), UTF-16 with a BOM, else GB18030.
fn decode(bytes: &[u8]) -> Result<String, FileError> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, malformed) = encoding.decode_without_bom_handling(&bytes[bom..]);
        if malformed {
            return Err(truncated_or_binary(bytes, encoding.name()));
        }
        return Ok(text.into_owned());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    }
    if let Some(text) =
        encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes)
    {
        return Ok(text.into_owned());
    }
    Err(truncated_or_binary(bytes, "UTF-8 or GB18030"))
}

/// Text that decodes once its last bytes are cut off was cut inside a character.
fn truncated_or_binary(bytes: &[u8], encoding: &str) -> FileError {
    let valid_prefix = (1..=3).any(|cut| {
        let Some(head) = bytes.len().checked_sub(cut).map(|n| &bytes[..n]) else {
            return false;
        };
        std::str::from_utf8(head).is_ok()
            || encoding_rs::GB18030
                .decode_without_bom_handling_and_without_replacement(head)
                .is_some()
    });
    if valid_prefix {
        FileError::Truncated("a character".into())
    } else {
        FileError::Binary(format!("not {encoding} text"))
    }
}

/// Splits text into CSV records, each with the line it starts on. A last record that is
/// shorter than the record before it and has no line end was cut short.
fn csv_rows(text: &str) -> Result<Vec<Row>, FileError> {
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());

    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
                let cells = record.iter().map(|c| Cell::Text(c.to_owned())).collect();
                rows.push(Row { line, cells });
            }
            Err(e) => return Err(FileError::Binary(format!("not CSV: {e}"))),
        }
    }

    let ends_cleanly = text.ends_with('\n') || text.ends_with('\r');
    if !ends_cleanly && rows.len() >= 2 {
        let last = rows[rows.len() - 1].cells.len();
        let before = rows[rows.len() - 2].cells.len();
        if last < before {
            let line = rows[rows.len() - 1].line;
            return Err(FileError::Truncated(format!("a row (line {line})")));
        }
    }
    Ok(rows)
}

/// Reads the workbook's sheets and takes the first that holds a bill header. A sheet whose
/// first row is Excel's generic `Column1, Column2, …` is a converted copy (WeChat fixtures
/// carry one before the real sheet) and is passed over.
fn workbook_table(bytes: &[u8]) -> Result<Table, FileError> {
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        let message = e.to_string();
        if message.to_lowercase().contains("password") || message.contains("encrypt") {
            FileError::EncryptedZip
        } else if message.contains("xl/workbook.xml") || message.contains("Cannot detect") {
            FileError::Zip
        } else {
            FileError::BadWorkbook(message)
        }
    })?;

    let mut found = None;
    for name in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| FileError::BadWorkbook(format!("sheet {name}: {e}")))?;
        let first_row = range.start().map(|(r, _)| r as usize + 1).unwrap_or(1);
        let rows: Vec<Row> = range
            .rows()
            .enumerate()
            .map(|(i, cells)| Row { line: first_row + i, cells: cells.iter().map(cell).collect() })
            .collect();
        if is_converted_table(&rows) {
            continue;
        }
        match find_table(rows) {
            Ok(mut table) => {
                if table.format == Format::WechatCsv {
                    table.format = Format::WechatXlsx;
                }
                found = Some(table);
                break;
            }
            Err(FileError::UnknownLayout) => continue,
            Err(other) => return Err(other),
        }
    }
    found.ok_or(FileError::UnknownLayout)
}

fn cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::DateTime(d) => match d.as_datetime() {
            Some(at) => Cell::Text(at.format("%Y-%m-%d %H:%M:%S").to_string()),
            None => Cell::Text(d.as_f64().to_string()),
        },
        Data::Error(e) => Cell::Text(format!("#ERROR {e:?}")),
    }
}

fn is_converted_table(rows: &[Row]) -> bool {
    let Some(first) = rows.iter().find(|r| r.filled() > 0) else {
        return false;
    };
    first.cells.iter().filter(|c| !c.is_blank()).all(|c| {
        let text = c.text();
        text.strip_prefix("Column")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// A header name as compared: cleaned, with full-width brackets made half-width.
fn header_name(cell: &Cell) -> String {
    cell.text().replace('（', "(").replace('）', ")")
}

/// Finds the header row and the data rows under it.
fn find_table(rows: Vec<Row>) -> Result<Table, FileError> {
    let mut header_at = None;
    'rows: for (i, row) in rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let names: Vec<String> = row.cells.iter().map(header_name).collect();
        for (format, required) in layouts() {
            if required.iter().all(|r| names.iter().any(|n| n == r)) {
                header_at = Some((i, format, names));
                break 'rows;
            }
        }
    }
    let (index, mut format, names) = header_at.ok_or(FileError::UnknownLayout)?;

    let mut columns = HashMap::new();
    for (i, name) in names.into_iter().enumerate() {
        if !name.is_empty() {
            // The first column of a name wins; exports do not repeat names.
            columns.entry(name).or_insert(i);
        }
    }
    if format == Format::AlipayCsv && !columns.contains_key("备注") {
        format = Format::AlipayCsvPre2023;
    }

    let data: Vec<Row> =
        rows.into_iter().skip(index + 1).take_while(|row| row.filled() > 1).collect();
    if data.is_empty() {
        return Err(FileError::NoRows(format.label()));
    }
    Ok(Table { format, columns, rows: data })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_are_told_by_their_first_bytes() {
        assert_eq!(read_table(b"").unwrap_err(), FileError::Empty);
        assert_eq!(read_table(b" \r\n\n").unwrap_err(), FileError::Empty);
        let mut encrypted = b"PK\x03\x04\x14\x00\x01\x00".to_vec();
        encrypted.extend_from_slice(&[0; 40]);
        assert_eq!(read_table(&encrypted).unwrap_err(), FileError::EncryptedZip);
        assert_eq!(read_table(b"PK\x05\x06\0\0\0\0").unwrap_err(), FileError::Zip);
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        assert_eq!(read_table(&ole).unwrap_err(), FileError::OleWorkbook);
        assert!(matches!(read_table(b"%PDF-1.7\n").unwrap_err(), FileError::Binary(_)));
        assert!(matches!(read_table(&[0x89, b'P', b'N', b'G', 0, 0]), Err(FileError::Binary(_))));
    }

    #[test]
    fn the_header_is_found_by_its_cells_wherever_it_sits() {
        let text = "随便的前言,,\n\n交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注\n\
                    2019-09-26 12:45:27,商户消费,店,饭,支出,¥28.16,零钱,支付成功,1,2,/\n";
        let table = read_table(text.as_bytes()).unwrap();
        assert_eq!(table.format, Format::WechatCsv);
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0].line, 4, "lines are 1-based and count the preamble");
        assert_eq!(table.text(&table.rows[0], "金额(元)").unwrap(), "¥28.16");
    }

    #[test]
    fn unknown_layouts_and_empty_exports_are_named() {
        assert_eq!(read_table(b"a,b,c\n1,2,3\n").unwrap_err(), FileError::UnknownLayout);
        let header_only =
            "交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号\n";
        assert_eq!(
            read_table(header_only.as_bytes()).unwrap_err(),
            FileError::NoRows("WeChat Pay CSV")
        );
    }

    #[test]
    fn gb18030_text_cut_inside_a_character_is_truncated() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("交易时间,金额\n支出");
        let cut = &bytes[..bytes.len() - 1];
        assert_eq!(read_table(cut).unwrap_err(), FileError::Truncated("a character".into()));
    }
}
