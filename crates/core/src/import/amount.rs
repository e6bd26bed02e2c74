//! Amount cells of bill exports, read exactly into integer fen.
//!
//! Exports write amounts as text: bare (`49.74`), with a yen sign (`¥28.16`, the half-width
//! U+00A5, or the full-width `￥` U+FFE5), with one decimal (`¥50.0`), and on JD with the refund
//! written into the same cell (`131.77(已退款89.84)`, `468.32(已全额退款)`). The digits go
//! through [`crate::money::parse_amount`], so nothing passes through a float. Anything that
//! could be read two ways (two signs, a minus, another currency's sign, more than two decimals,
//! a refund larger than the amount) is refused with the reason, never rounded or guessed.
//!
//! WeChat's 2026 workbooks store amounts as numeric cells, which a spreadsheet keeps as binary
//! floats (`548.58000000000004`). [`from_spreadsheet_number`] turns such a number into the
//! shortest decimal text that reads back as the same float, which is the text the writer
//! typed, and reads that text like any other cell.

use greenmile_api::Money;

use crate::money::parse_amount;

/// The currency of every export GreenMile reads: all four platforms bill in yuan.
pub const CURRENCY: &str = "CNY";

/// Why an amount cell could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// The cell is empty or `/`.
    #[error("the amount is missing")]
    Missing,

    /// The cell is not a decimal amount in yuan.
    #[error("amount {text:?}: {reason}")]
    Invalid {
        /// The cell as given.
        text: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// An amount cell: the amount and any refund written beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmountCell {
    /// The amount before refunds.
    pub gross: Money,
    /// Fen refunded according to the cell itself (0 when it says nothing).
    pub refunded_minor: i64,
}

/// Reads an amount cell such as `49.74`, `¥28.16`, `￥1,072.00` or `131.77(已退款89.84)`.
pub fn parse_amount_cell(text: &str) -> Result<AmountCell, AmountError> {
    let cell = text.trim();
    if cell.is_empty() || cell == "/" {
        return Err(AmountError::Missing);
    }
    let invalid =
        |reason: &str| AmountError::Invalid { text: cell.to_owned(), reason: reason.into() };

    let (main, note) = split_note(cell).map_err(|reason| invalid(&reason))?;
    let gross = parse_yuan(main).map_err(|reason| invalid(&reason))?;
    let refunded_minor = match note {
        None => 0,
        Some(Note::FullRefund) => gross.minor,
        Some(Note::Refunded(refund)) => {
            let refund = parse_yuan(refund).map_err(|reason| invalid(&reason))?;
            if refund.minor > gross.minor {
                return Err(invalid("the refund is larger than the amount"));
            }
            refund.minor
        }
    };
    Ok(AmountCell { gross, refunded_minor })
}

/// A numeric spreadsheet cell as an amount: the shortest decimal that is the same float.
pub fn from_spreadsheet_number(value: f64) -> Result<AmountCell, AmountError> {
    if !value.is_finite() {
        return Err(AmountError::Invalid {
            text: value.to_string(),
            reason: "not a finite number".into(),
        });
    }
    // Rust prints a float as the shortest text that parses back to the same float, so
    // 548.58000000000004 (the float nearest 548.58) prints as "548.58".
    parse_amount_cell(&format!("{value}"))
}

enum Note<'a> {
    FullRefund,
    Refunded(&'a str),
}

/// Splits `131.77(已退款89.84)` into the amount and the refund note.
fn split_note(cell: &str) -> Result<(&str, Option<Note<'_>>), String> {
    let Some(open) = cell.find(['(', '（']) else {
        return Ok((cell, None));
    };
    let (main, rest) = cell.split_at(open);
    let inner = rest
        .strip_prefix('(')
        .or_else(|| rest.strip_prefix('（'))
        .and_then(|r| r.strip_suffix(')').or_else(|| r.strip_suffix('）')))
        .ok_or("the note in brackets is not closed at the end of the cell")?;

    let note = if inner == "已全额退款" {
        Note::FullRefund
    } else if let Some(refund) = inner.strip_prefix("已退款") {
        Note::Refunded(refund)
    } else {
        return Err(format!("unknown note {inner:?} beside the amount"));
    };
    Ok((main.trim(), Some(note)))
}

/// Reads `28.16`, `¥28.16` or `￥28.16` as yuan.
fn parse_yuan(text: &str) -> Result<Money, String> {
    let text = text.trim();
    let digits = text.strip_prefix(['¥', '￥']).unwrap_or(text).trim_start();
    if digits.starts_with(['¥', '￥']) {
        return Err("two yen signs".into());
    }
    if digits.starts_with('-') || digits.starts_with('+') {
        return Err("a signed amount (exports say in 收/支 which way money went)".into());
    }
    if let Some(c) = digits.chars().find(|c| !(c.is_ascii_digit() || *c == '.' || *c == ',')) {
        return Err(format!("{c:?} is not part of an amount in yuan"));
    }
    parse_amount(digits, CURRENCY).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fen(text: &str) -> Result<(i64, i64), AmountError> {
        parse_amount_cell(text).map(|c| (c.gross.minor, c.refunded_minor))
    }

    #[test]
    fn the_shapes_exports_use() {
        assert_eq!(fen("49.74"), Ok((4974, 0)), "bare Alipay amount");
        assert_eq!(fen("222228.50   "), Ok((22_222_850, 0)), "padded with spaces");
        assert_eq!(fen("¥28.16"), Ok((2816, 0)), "half-width yen U+00A5");
        assert_eq!(fen("￥28.16"), Ok((2816, 0)), "full-width yen U+FFE5");
        assert_eq!(fen("¥50.0"), Ok((5000, 0)), "one decimal place");
        assert_eq!(fen("¥1,072.00"), Ok((107_200, 0)), "thousands separator");
        assert_eq!(fen("0.00"), Ok((0, 0)), "a zero amount is an amount");
        assert_eq!(fen("131.77(已退款89.84)"), Ok((13_177, 8984)), "JD partial refund");
        assert_eq!(fen("131.77（已退款89.84）"), Ok((13_177, 8984)), "full-width brackets");
        assert_eq!(fen("468.32(已全额退款)"), Ok((46_832, 46_832)), "JD full refund");
    }

    #[test]
    fn anything_ambiguous_is_refused() {
        assert_eq!(fen(""), Err(AmountError::Missing));
        assert_eq!(fen("/"), Err(AmountError::Missing));
        for bad in [
            "¥¥28.16",
            "-28.16",
            "¥-28.16",
            "$28.16",
            "28.16元",
            "28.165",
            "28,16",
            "1.2.3",
            "131.77(已退款",
            "131.77(已退款200.00)",
            "131.77(优惠10.00)",
            "131.77(已退款89.84)x",
            "二十",
        ] {
            assert!(matches!(fen(bad), Err(AmountError::Invalid { .. })), "{bad:?} is refused");
        }
    }

    #[test]
    fn spreadsheet_numbers_read_as_the_decimal_typed() {
        let fen = |v: f64| from_spreadsheet_number(v).map(|c| c.gross.minor);
        // The values of WeChat's 2026 workbook cells, as the XML writes them.
        assert_eq!(fen("548.58000000000004".parse().unwrap()), Ok(54_858));
        assert_eq!(fen("7.0000000000000007E-2".parse().unwrap()), Ok(7));
        assert_eq!(fen(50.0), Ok(5000));
        assert_eq!(
            fen(0.1 + 0.2),
            Err(AmountError::Invalid {
                text: "0.30000000000000004".into(),
                reason:
                    "\"0.30000000000000004\" has more than 2 decimal places, which CNY cannot hold"
                        .into(),
            }),
            "a float that is not a typed amount is refused, not rounded"
        );
        assert!(fen(f64::NAN).is_err());
        assert!(fen(-1.0).is_err(), "no negative amounts");
    }

    /// Every amount from 0.00 to 100.00 yuan, in every spelling, reads back to its fen.
    #[test]
    fn every_fen_up_to_a_hundred_yuan_round_trips() {
        for minor in 0..=10_000_i64 {
            let text = format!("{}.{:02}", minor / 100, minor % 100);
            for cell in
                [text.clone(), format!("¥{text}"), format!("￥{text}"), format!(" {text}\t")]
            {
                assert_eq!(fen(&cell), Ok((minor, 0)), "{cell:?}");
            }
            let as_float: f64 = text.parse().unwrap();
            assert_eq!(
                from_spreadsheet_number(as_float).map(|c| c.gross.minor),
                Ok(minor),
                "{text} stored as a float"
            );
        }
    }
}
