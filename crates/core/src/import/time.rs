//! Export times: China wall-clock text without a zone, read into UTC instants.
//!
//! Every platform writes its times as the wall clock of China Standard Time with no zone:
//! `2023-02-12 21:32:14`, sometimes padded with spaces or a trailing TAB, sometimes without
//! seconds, and after a round trip through a spreadsheet as `2023/2/12 21:32`. The instant is
//! worked out in `Asia/Shanghai` (not a fixed +08:00) so that the summer times China kept in
//! 1986–1991 are honoured, and a wall-clock time that is ambiguous or never existed there is
//! an error rather than a guess. A time that cannot be read is an error for its row; nothing
//! here ever falls back to "now".

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;

/// Why an export time could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// The cell is empty.
    #[error("the time is missing")]
    Missing,

    /// The text is not `YYYY-MM-DD HH:MM[:SS]` or `YYYY/M/D H:MM[:SS]`, or names a date or
    /// time that does not exist (February 30th, 25:00).
    #[error("{0:?} is not a time (expected YYYY-MM-DD HH:MM:SS)")]
    Unreadable(String),

    /// The wall-clock time happened twice or never in China (the 1986–1991 summer-time
    /// changes), so the instant cannot be told.
    #[error("{0:?} is not a single instant in China's time zone (a summer-time change)")]
    NotOneInstant(String),
}

/// Reads a China wall-clock time into the UTC instant it names.
pub fn parse_china_time(text: &str) -> Result<DateTime<Utc>, TimeError> {
    let local = parse_wall_clock(text)?;
    Shanghai
        .from_local_datetime(&local)
        .single()
        .map(|at| at.with_timezone(&Utc))
        .ok_or_else(|| TimeError::NotOneInstant(text.trim().to_owned()))
}

/// Reads the wall-clock part: a date with `-` or `/`, a space, and `H:MM` or `H:MM:SS`.
fn parse_wall_clock(text: &str) -> Result<NaiveDateTime, TimeError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(TimeError::Missing);
    }
    let unreadable = || TimeError::Unreadable(trimmed.to_owned());

    let (date, time) = trimmed.split_once(' ').ok_or_else(unreadable)?;
    let date = parse_date(date).ok_or_else(unreadable)?;
    let time = parse_time(time.trim_start()).ok_or_else(unreadable)?;
    Ok(date.and_time(time))
}

/// `2023-02-12`, `2023/2/12` or `2023-2-12`: four-digit year, then one or two digits each.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let separator = if text.contains('/') { '/' } else { '-' };
    let mut parts = text.split(separator);
    let year = number(parts.next()?, 4, 4)?;
    let month = number(parts.next()?, 1, 2)?;
    let day = number(parts.next()?, 1, 2)?;
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

/// `21:32:14`, `21:32` or `9:05`.
fn parse_time(text: &str) -> Option<NaiveTime> {
    let mut parts = text.split(':');
    let hour = number(parts.next()?, 1, 2)?;
    let minute = number(parts.next()?, 2, 2)?;
    let second = match parts.next() {
        Some(s) => number(s, 2, 2)?,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    NaiveTime::from_hms_opt(hour, minute, second)
}

/// ASCII digits only, between `min` and `max` of them.
fn number(text: &str, min: usize, max: usize) -> Option<u32> {
    let ok = (min..=max).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    if ok { text.parse().ok() } else { None }
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike, Duration, Timelike};

    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn export_times_are_china_wall_clock() {
        assert_eq!(parse_china_time("2023-02-12 21:32:14"), Ok(utc("2023-02-12T13:32:14Z")));
        assert_eq!(
            parse_china_time("2023-02-12 21:32:14 \t"),
            Ok(utc("2023-02-12T13:32:14Z")),
            "padding and a trailing TAB are ignored"
        );
        assert_eq!(parse_china_time("2023/2/3 9:05"), Ok(utc("2023-02-03T01:05:00Z")));
        assert_eq!(parse_china_time("2023-02-03 09:05"), Ok(utc("2023-02-03T01:05:00Z")));
    }

    #[test]
    fn missing_and_malformed_times_are_errors_never_now() {
        assert_eq!(parse_china_time("  "), Err(TimeError::Missing));
        for bad in [
            "2023-02-30 10:00:00",
            "2023-02-12",
            "2023-02-12 24:00:00",
            "23-02-12 10:00:00",
            "2023-02-12T10:00:00",
            "2023-02-12 10:00:00:00",
            "2023-02-12 10:0",
            "yesterday",
            "2023-02-12 10:00:00+08:00",
        ] {
            assert!(
                matches!(parse_china_time(bad), Err(TimeError::Unreadable(_))),
                "{bad:?} is refused"
            );
        }
    }

    #[test]
    fn summer_time_gaps_of_1986_to_1991_are_not_guessed() {
        // China moved its clocks from 02:00 to 03:00 on 1988-04-17 (chrono-tz's tz data).
        assert!(matches!(
            parse_china_time("1988-04-17 02:30:00"),
            Err(TimeError::NotOneInstant(_))
        ));
        assert_eq!(parse_china_time("1988-07-01 12:00:00"), Ok(utc("1988-07-01T03:00:00Z")));
    }

    /// Every day of a leap year and the next year, at times either side of midnight: the UTC
    /// instant is always eight hours earlier, and the China date of 00:00–07:59 falls on the
    /// previous UTC date, including across New Year.
    #[test]
    fn every_day_of_two_years_either_side_of_midnight() {
        let mut day = NaiveDate::from_ymd_opt(2023, 12, 31).unwrap();
        let end = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
        while day <= end {
            for (h, m, s) in [(0, 0, 0), (0, 0, 1), (7, 59, 59), (8, 0, 0), (23, 59, 59)] {
                let dashed = format!("{} {h:02}:{m:02}:{s:02}", day.format("%Y-%m-%d"));
                let slashed =
                    format!("{}/{}/{} {h}:{m:02}:{s:02}", day.year(), day.month(), day.day());
                let at = parse_china_time(&dashed).unwrap();
                assert_eq!(parse_china_time(&slashed), Ok(at), "{slashed} reads as {dashed}");

                let wall = day.and_hms_opt(h, m, s).unwrap();
                assert_eq!(at.naive_utc(), wall - Duration::hours(8), "{dashed} is UTC+8");
                let expected_utc_day = if h < 8 { day.pred_opt().unwrap() } else { day };
                assert_eq!(at.date_naive(), expected_utc_day, "{dashed}: UTC date");
                assert_eq!(at.second(), s, "seconds are kept");
            }
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn seconds_are_optional_and_mean_zero() {
        let with = parse_china_time("2024-12-31 23:59:00").unwrap();
        assert_eq!(parse_china_time("2024-12-31 23:59"), Ok(with));
        assert_eq!(parse_china_time("2024/12/31 23:59"), Ok(with));
        assert_eq!(with, utc("2024-12-31T15:59:00Z"));
        let next = parse_china_time("2025-01-01 00:00").unwrap();
        assert_eq!(next - with, Duration::minutes(1), "a minute later across New Year");
    }
}
