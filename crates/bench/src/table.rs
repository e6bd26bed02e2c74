//! The results table: one row per figure with its baseline, ratio and target, rendered as
//! markdown; the cross-checks as met/missed lines below it.

use std::fmt::Write;
use std::path::Path;

/// One figure of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// What was measured.
    pub figure: String,
    /// The figure, with its unit.
    pub measured: String,
    /// The baseline measured in the same run, or `—`.
    pub baseline: String,
    /// Measured over baseline, or `—`.
    pub ratio: String,
    /// What we hold ourselves to.
    pub target: String,
    /// Whether the target was met; `None` when there is no target to meet.
    pub met: Option<bool>,
}

impl Row {
    /// A row without a baseline.
    pub fn plain(figure: &str, measured: String, target: &str, met: Option<bool>) -> Self {
        Self {
            figure: figure.to_owned(),
            measured,
            baseline: "—".to_owned(),
            ratio: "—".to_owned(),
            target: target.to_owned(),
            met,
        }
    }
}

/// A cross-check: two ways of working a figure out that must agree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// What was compared, with the values.
    pub what: String,
    /// Whether they agree.
    pub met: bool,
}

/// `met`, `missed` or `—`.
pub fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "**missed**",
        None => "—",
    }
}

/// The rows as a markdown table.
pub fn markdown(rows: &[Row]) -> String {
    let mut out = String::from(
        "| figure | measured | baseline | ratio | target | met |\n| --- | ---: | ---: | ---: | --- | --- |\n",
    );
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            r.figure,
            r.measured,
            r.baseline,
            r.ratio,
            r.target,
            verdict(r.met)
        );
    }
    out
}

/// The cross-checks as a markdown list.
pub fn check_lines(checks: &[Check]) -> String {
    let mut out = String::new();
    for c in checks {
        let _ = writeln!(out, "- {}: {}", if c.met { "met" } else { "**missed**" }, c.what);
    }
    out
}

/// Rows for the import benchmark's lines, or one row saying it has not run.
///
/// The benchmark prints one line per layout:
/// `import <layout>: <rows> rows in <s> s = <rows/s> rows/s; baseline <name> <rows/s> rows/s;
/// ratio <x>`. Lines that do not read that way are left out.
pub fn import_rows(output: Option<&Path>) -> Vec<Row> {
    let text = output.and_then(|p| std::fs::read_to_string(p).ok()).unwrap_or_default();
    let rows: Vec<Row> = text.lines().filter_map(import_row).collect();
    if rows.is_empty() {
        return vec![Row::plain(
            "Import of a 100k-row export",
            "not measured here: scripts/bench.sh runs `cargo bench -p greenmile-core --bench import` \
             and passes its output".to_owned(),
            "rows/s",
            None,
        )];
    }
    rows
}

fn import_row(line: &str) -> Option<Row> {
    let rest = line.trim().strip_prefix("import ")?;
    let (layout, rest) = rest.split_once(": ")?;
    let mut parts = rest.split(';').map(str::trim);
    let measured = parts.next()?;
    let (rows_text, speed) = measured.split_once(" = ")?;
    let baseline = parts.next()?.strip_prefix("baseline ")?;
    let ratio = parts.next()?.strip_prefix("ratio ")?;
    Some(Row {
        figure: format!("Import, {layout}"),
        measured: format!("{speed} ({rows_text})"),
        baseline: baseline.to_owned(),
        ratio: format!("{ratio}×"),
        target: "rows/s".to_owned(),
        met: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_lines_become_rows() {
        let row = import_row(
            "import alipay-2023: 100000 rows in 0.80 s = 125000 rows/s; baseline csv-parse \
             900000 rows/s; ratio 7.2",
        )
        .expect("the documented line reads");
        assert_eq!(row.figure, "Import, alipay-2023");
        assert_eq!(row.measured, "125000 rows/s (100000 rows in 0.80 s)");
        assert_eq!(row.baseline, "csv-parse 900000 rows/s");
        assert_eq!(row.ratio, "7.2×");
        assert_eq!(import_row("   Compiling greenmile-core"), None, "cargo's noise is skipped");
    }

    #[test]
    fn a_missing_import_benchmark_is_one_row_that_says_so() {
        let rows = import_rows(None);
        assert_eq!(rows.len(), 1);
        assert!(rows[0].measured.contains("not measured here"));
    }
}
