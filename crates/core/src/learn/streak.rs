//! Streaks: days in a row with at least one quiz attempt, in the learner's own calendar.
//!
//! A day is the local calendar date of an attempt in the IANA time zone it was made in, so a
//! streak never breaks at a UTC midnight, and a day that daylight saving makes 23 or 25 hours
//! long is still one day. One missed day per ISO week (Monday to Sunday) is covered
//! automatically by a grace day; a second missed day in the same week ends the streak. Grace
//! days keep a streak alive but do not add to it.
//!
//! Everything here is computed from the attempts, which are never deleted: a late attempt can
//! only fill a gap, so the longest streak never goes down.

use std::collections::{BTreeSet, HashSet};

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The calendar date of `at` in `zone`.
pub fn local_date(at: DateTime<Utc>, zone: Tz) -> NaiveDate {
    at.with_timezone(&zone).date_naive()
}

/// Where a learner's streak stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Streak {
    /// Days with an attempt in the streak that is still alive today; 0 when it has ended.
    pub current: u32,
    /// The longest streak ever reached.
    pub longest: u32,
    /// Whether today already has an attempt.
    pub today_done: bool,
    /// The missed days a grace day covered, oldest first.
    #[ts(type = "string[]")]
    pub grace_days: Vec<NaiveDate>,
}

/// The streak made by attempts on `days`, as it stands on `today`.
pub fn streak(days: &BTreeSet<NaiveDate>, today: NaiveDate) -> Streak {
    let mut graced_weeks = HashSet::new();
    let mut grace_days = Vec::new();
    let mut longest = 0;
    let mut run = 0;
    let mut last: Option<NaiveDate> = None;

    for &day in days {
        run = match last {
            Some(prev) if bridge(prev, day, &mut graced_weeks, &mut grace_days) => run + 1,
            _ => 1,
        };
        longest = longest.max(run);
        last = Some(day);
    }

    // Today is not over: a streak whose last day was yesterday is still alive, and so is one
    // whose missed days up to yesterday can all be graced.
    let current = match last {
        None => 0,
        Some(prev) if prev >= today => run,
        Some(prev) => {
            let mut weeks = graced_weeks.clone();
            let mut days = Vec::new();
            if bridge(prev, today, &mut weeks, &mut days) {
                grace_days.extend(days);
                run
            } else {
                0
            }
        }
    };

    Streak { current, longest, today_done: days.contains(&today), grace_days }
}

/// Whether a streak reaches from `from` to `to` across the days between them: each missed day
/// must take its ISO week's one grace day. Graces are taken only when every gap can be covered.
fn bridge(
    from: NaiveDate,
    to: NaiveDate,
    graced_weeks: &mut HashSet<(i32, u32)>,
    grace_days: &mut Vec<NaiveDate>,
) -> bool {
    let mut wanted = Vec::new();
    let mut weeks = HashSet::new();
    let mut day = from;
    loop {
        day = match day.checked_add_days(Days::new(1)) {
            Some(next) if next < to => next,
            _ => break,
        };
        let week = (day.iso_week().year(), day.iso_week().week());
        if graced_weeks.contains(&week) || !weeks.insert(week) {
            return false;
        }
        wanted.push(day);
    }
    graced_weeks.extend(weeks);
    grace_days.extend(wanted);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().expect("a valid date")
    }

    fn instant(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).expect("a valid instant").to_utc()
    }

    fn days_of(instants: &[(&str, Tz)]) -> BTreeSet<NaiveDate> {
        instants.iter().map(|(at, zone)| local_date(instant(at), *zone)).collect()
    }

    #[test]
    fn days_are_local_dates_not_utc_dates() {
        let shanghai = chrono_tz::Asia::Shanghai;
        // 23:30 on 2 March and 07:30 on 3 March in Shanghai; both are 2 March in UTC.
        let days =
            days_of(&[("2026-03-02T15:30:00Z", shanghai), ("2026-03-02T23:30:00Z", shanghai)]);
        assert_eq!(days.len(), 2, "two local days");
        let s = streak(&days, date("2026-03-03"));
        assert_eq!((s.current, s.longest, s.today_done), (2, 2, true));

        let utc_days =
            days_of(&[("2026-03-02T15:30:00Z", Tz::UTC), ("2026-03-02T23:30:00Z", Tz::UTC)]);
        assert_eq!(utc_days.len(), 1, "the same instants are one UTC day");
    }

    #[test]
    fn each_attempt_counts_in_the_zone_it_was_made_in() {
        // 09:00 on 2 March in Shanghai, then a flight east: 20:00 on 2 March in New York is
        // already 3 March in UTC and in Shanghai, but the learner's own calendar says 2 March.
        let days = days_of(&[
            ("2026-03-02T01:00:00Z", chrono_tz::Asia::Shanghai),
            ("2026-03-03T01:00:00Z", chrono_tz::America::New_York),
        ]);
        assert_eq!(days, [date("2026-03-02")].into_iter().collect(), "one day of the learner's");
        let s = streak(&days, date("2026-03-03"));
        assert_eq!((s.current, s.today_done), (1, false), "3 March has no attempt yet");
    }

    #[test]
    fn a_short_spring_day_in_new_york_is_still_one_day() {
        // Clocks in New York go forward at 02:00 on Sunday 8 March 2026.
        let ny = chrono_tz::America::New_York;
        let days = days_of(&[
            ("2026-03-08T04:30:00Z", ny), // 23:30 EST, Saturday 7 March
            ("2026-03-09T03:30:00Z", ny), // 23:30 EDT, Sunday 8 March (a 23-hour day)
            ("2026-03-09T04:15:00Z", ny), // 00:15 EDT, Monday 9 March, 45 minutes later
        ]);
        let expected: BTreeSet<_> =
            ["2026-03-07", "2026-03-08", "2026-03-09"].into_iter().map(date).collect();
        assert_eq!(days, expected, "three local days");
        assert_eq!(streak(&days, date("2026-03-09")).current, 3);
    }

    #[test]
    fn a_long_autumn_day_in_new_york_is_still_one_day() {
        // Clocks in New York go back at 02:00 on Sunday 1 November 2026; 01:30 happens twice.
        let ny = chrono_tz::America::New_York;
        assert_eq!(local_date(instant("2026-11-01T05:30:00Z"), ny), date("2026-11-01"));
        assert_eq!(local_date(instant("2026-11-01T06:30:00Z"), ny), date("2026-11-01"));

        let days = days_of(&[
            ("2026-11-01T03:00:00Z", ny), // 23:00 EDT, Saturday 31 October
            ("2026-11-01T04:10:00Z", ny), // 00:10 EDT, Sunday 1 November
            ("2026-11-02T04:50:00Z", ny), // 23:50 EST, still Sunday 1 November, 24h40m later
        ]);
        assert_eq!(days.len(), 2, "attempts 24h40m apart fall on one 25-hour day");
        let s = streak(&days, date("2026-11-02"));
        assert_eq!((s.current, s.longest, s.today_done), (2, 2, false), "alive until Monday ends");
    }

    #[test]
    fn one_missed_day_a_week_is_graced() {
        // Monday 2 to Sunday 8 March 2026 (ISO week 10), Thursday 5 missed.
        let days: BTreeSet<_> =
            ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-06", "2026-03-07", "2026-03-08"]
                .into_iter()
                .map(date)
                .collect();
        let s = streak(&days, date("2026-03-08"));
        assert_eq!((s.current, s.longest), (6, 6), "grace days keep the streak but add nothing");
        assert_eq!(s.grace_days, vec![date("2026-03-05")]);
    }

    #[test]
    fn a_second_missed_day_in_the_same_week_ends_the_streak() {
        // Tuesday 3 and Thursday 5 March are both in ISO week 10.
        let days: BTreeSet<_> =
            ["2026-03-02", "2026-03-04", "2026-03-06"].into_iter().map(date).collect();
        let s = streak(&days, date("2026-03-06"));
        assert_eq!((s.current, s.longest), (1, 2), "Thursday cannot be graced too");
    }

    #[test]
    fn missed_days_in_two_weeks_take_one_grace_each() {
        // Sunday 8 March is in week 10, Monday 9 March in week 11.
        let days: BTreeSet<_> = ["2026-03-07", "2026-03-10"].into_iter().map(date).collect();
        let s = streak(&days, date("2026-03-10"));
        assert_eq!(s.current, 2);
        assert_eq!(s.grace_days, vec![date("2026-03-08"), date("2026-03-09")]);
    }

    #[test]
    fn a_streak_stays_alive_until_today_ends() {
        let days: BTreeSet<_> = ["2026-03-02", "2026-03-03"].into_iter().map(date).collect();
        assert_eq!(streak(&days, date("2026-03-04")).current, 2, "yesterday counts");
        assert_eq!(streak(&days, date("2026-03-05")).current, 2, "the 4th can be graced");
        assert_eq!(streak(&days, date("2026-03-06")).current, 0, "two missed days in week 10");
        assert_eq!(streak(&days, date("2026-03-06")).longest, 2, "the longest streak is kept");
    }

    #[test]
    fn a_late_attempt_never_lowers_the_longest_streak() {
        let mut days: BTreeSet<_> = ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-10"]
            .into_iter()
            .map(date)
            .collect();
        let before = streak(&days, date("2026-03-10")).longest;
        for late in ["2026-03-05", "2026-03-06", "2026-03-08", "2026-03-01"] {
            days.insert(date(late));
            let after = streak(&days, date("2026-03-10")).longest;
            assert!(after >= before, "adding {late} lowered the longest streak");
        }
        assert_eq!(streak(&days, date("2026-03-10")).longest, 8, "1 to 10 March, 7 and 9 graced");
    }
}
