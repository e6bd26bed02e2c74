//! Amounts and rates read exactly from the decimal text people type.
//!
//! People write "12000", "12000.5" or "1,072.00"; the core counts integer minor units (and
//! rates in basis points). Going through a float would turn 0.6 into 0.59999…, so the text is
//! read digit by digit into an integer at the scale asked for, and a figure with more decimals
//! than that scale holds is refused rather than silently rounded.

use greenmile_api::Money;

use crate::error::CoreError;

/// The largest amount accepted from text: 10 billion in major units, the same bound the sync
/// engine puts on amounts from the server.
pub const MAX_MINOR: i64 = 1_000_000_000_000;

/// Why decimal text could not be read as an amount or a rate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecimalError {
    /// The text is empty or is not digits with at most one decimal point (thousands may be
    /// grouped with commas, three digits to a group).
    #[error("{0:?} is not a decimal number (write it like 12000, 12000.5 or 1,072.00)")]
    NotADecimal(String),

    /// The text has more decimal places than the unit can hold (three for CNY fen, say).
    #[error("{text:?} has more than {max} decimal places, which {unit} cannot hold")]
    TooManyDecimals {
        /// The text as given.
        text: String,
        /// The most decimal places the unit holds.
        max: u32,
        /// What the text was read as: a currency code, or "a rate in basis points".
        unit: String,
    },

    /// The value is larger than anything GreenMile accepts.
    #[error("{0:?} is too large")]
    TooLarge(String),

    /// An amount of money below zero, where only zero or more makes sense.
    #[error("{0:?} is negative; an amount must be zero or more")]
    Negative(String),
}

impl From<DecimalError> for CoreError {
    fn from(error: DecimalError) -> Self {
        CoreError::InvalidInput(error.to_string())
    }
}

/// Minor-unit digits of an ISO 4217 currency (2 unless listed).
pub fn minor_digits(currency: &str) -> u32 {
    match currency {
        "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "UGX" => 0,
        "BHD" | "KWD" | "OMR" | "JOD" | "TND" | "LYD" | "IQD" => 3,
        _ => 2,
    }
}

/// Reads `text` as an amount of `currency`: "12000" or "1,072.00" yuan → minor units.
pub fn parse_amount(text: &str, currency: &str) -> Result<Money, DecimalError> {
    let minor = parse_scaled(text, minor_digits(currency), currency)?;
    if minor < 0 {
        return Err(DecimalError::Negative(text.to_owned()));
    }
    if minor > MAX_MINOR {
        return Err(DecimalError::TooLarge(text.to_owned()));
    }
    Ok(Money::new(minor, currency))
}

/// Reads `text` as an integer count of `10^-scale` units: `("1,072.5", 2)` → `107250`.
///
/// A leading `+` or `-` is allowed (the caller decides whether a sign makes sense); `unit`
/// names the scale in the error for too many decimals.
pub fn parse_scaled(text: &str, scale: u32, unit: &str) -> Result<i64, DecimalError> {
    let not_a_decimal = || DecimalError::NotADecimal(text.to_owned());
    let trimmed = text.trim();
    let (negative, unsigned) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, &trimmed[1..]),
        Some(b'+') => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };

    let whole_digits = ungrouped(whole).ok_or_else(not_a_decimal)?;
    let fraction = fraction.unwrap_or("");
    if unsigned.contains('.') && (fraction.is_empty() || !fraction.bytes().all(is_digit)) {
        return Err(not_a_decimal());
    }
    if fraction.len() > scale as usize {
        return Err(DecimalError::TooManyDecimals {
            text: text.to_owned(),
            max: scale,
            unit: unit.to_owned(),
        });
    }

    // Digits past the scale were refused above, so the value is whole and fraction padded.
    let too_large = || DecimalError::TooLarge(text.to_owned());
    let mut value: i64 = 0;
    let padded = fraction.bytes().chain(std::iter::repeat(b'0')).take(scale as usize);
    for digit in whole_digits.bytes().chain(padded) {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(digit - b'0')))
            .ok_or_else(too_large)?;
    }
    Ok(if negative { -value } else { value })
}

/// The digits of an integer part, commas removed, if it is plain (`12000`) or grouped by
/// thousands (`12,000`); `None` for anything else, including an empty part.
fn ungrouped(whole: &str) -> Option<String> {
    if whole.is_empty() {
        return None;
    }
    if !whole.contains(',') {
        return whole.bytes().all(is_digit).then(|| whole.to_owned());
    }

    let mut groups = whole.split(',');
    let first = groups.next()?;
    let first_ok = (1..=3).contains(&first.len()) && first.bytes().all(is_digit);
    let rest_ok = groups.all(|g| g.len() == 3 && g.bytes().all(is_digit));
    (first_ok && rest_ok).then(|| whole.replace(',', ""))
}

fn is_digit(b: u8) -> bool {
    b.is_ascii_digit()
}

/// The ISO 4217 codes of currencies in use (metals, funds units and test codes left out), in
/// order, for a binary search.
const ISO_4217: [&str; 168] = [
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUP", "CVE",
    "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL",
    "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR",
    "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD",
    "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK",
    "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO",
    "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON",
    "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SLL", "SOS",
    "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD",
    "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND",
    "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG", "ZWL",
];

/// Whether `code` is an ISO 4217 code of a currency in use.
pub fn is_currency(code: &str) -> bool {
    ISO_4217.binary_search(&code).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_exactly_into_minor_units() {
        let fen = |text| parse_amount(text, "CNY").map(|m| m.minor);
        assert_eq!(fen("12000"), Ok(1_200_000), "whole yuan");
        assert_eq!(fen("12000.5"), Ok(1_200_050), "one decimal is ten fen");
        assert_eq!(fen("1,072.00"), Ok(107_200), "thousands grouped with a comma");
        assert_eq!(fen(" 0.07 "), Ok(7), "surrounding spaces are ignored");
        assert_eq!(fen("1,234,567.89"), Ok(123_456_789), "several groups");
        assert_eq!(parse_amount("1500", "JPY").map(|m| m.minor), Ok(1_500), "yen has no minor");
        assert_eq!(parse_amount("1.234", "KWD").map(|m| m.minor), Ok(1_234), "dinar has three");
    }

    #[test]
    fn more_decimals_than_the_currency_has_are_refused() {
        assert!(
            matches!(
                parse_amount("12000.555", "CNY"),
                Err(DecimalError::TooManyDecimals { max: 2, .. })
            ),
            "fen cannot hold a third decimal"
        );
        assert!(
            matches!(
                parse_amount("10.5", "JPY"),
                Err(DecimalError::TooManyDecimals { max: 0, .. })
            ),
            "yen has no decimals at all"
        );
    }

    #[test]
    fn malformed_negative_and_huge_amounts_are_refused() {
        for text in
            ["", "abc", "12,00", "1,2345", ",100", "12.", ".5", "1.2.3", "1e3", "¥12", "--1"]
        {
            assert_eq!(
                parse_amount(text, "CNY"),
                Err(DecimalError::NotADecimal(text.to_owned())),
                "{text:?} is not a decimal number"
            );
        }
        assert_eq!(parse_amount("-5", "CNY"), Err(DecimalError::Negative("-5".to_owned())));
        assert_eq!(
            parse_amount("99999999999999999999", "CNY"),
            Err(DecimalError::TooLarge("99999999999999999999".to_owned())),
            "overflow is an error, not a wrap"
        );
        assert_eq!(
            parse_amount("10000000001", "CNY"),
            Err(DecimalError::TooLarge("10000000001".to_owned())),
            "past 10 billion yuan"
        );
    }

    #[test]
    fn a_signed_scaled_value_keeps_its_sign() {
        assert_eq!(parse_scaled("-0.6", 2, "bp"), Ok(-60));
        assert_eq!(parse_scaled("+4.8", 2, "bp"), Ok(480));
    }
}
