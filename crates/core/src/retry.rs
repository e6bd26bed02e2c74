//! When to try a request again, and how long to wait first.
//!
//! The schedule is capped exponential backoff with full jitter: before retry `n` (0-based) the
//! wait is drawn uniformly from `0..=min(cap, base × 2ⁿ)`, so clients that failed together do
//! not come back together. A server that says how long to wait (`Retry-After`, as seconds or
//! as an HTTP date) is obeyed instead, up to a limit past which the request is given up. The
//! random source is passed in, so the schedule is reproducible from a seed.

use std::time::{Duration, SystemTime};

/// How a client retries a request that failed in a way that may pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries in all, the first included; 1 means no retry.
    pub attempts: u32,
    /// The ceiling of the first wait; it doubles with each retry.
    pub base: Duration,
    /// The largest ceiling a wait is drawn under.
    pub cap: Duration,
    /// The longest `Retry-After` obeyed; a server asking for more is given up on for now.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 4,
            base: Duration::from_millis(200),
            cap: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// A policy whose waits are in milliseconds, for tests and the fault-injection suite.
    pub fn fast() -> Self {
        Self {
            attempts: 6,
            base: Duration::from_millis(1),
            cap: Duration::from_millis(20),
            max_retry_after: Duration::from_millis(50),
        }
    }

    /// The wait before retry `retry` (0 for the first retry): full jitter under the capped
    /// exponential ceiling.
    pub fn backoff(&self, retry: u32, rng: &mut fastrand::Rng) -> Duration {
        let ceiling = self.ceiling(retry);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rng.u64(0..=nanos))
    }

    /// The ceiling the wait before retry `retry` is drawn under: `min(cap, base × 2^retry)`.
    pub fn ceiling(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// The wait before retry `retry`, given the server's `Retry-After` if it sent one; `None`
    /// when the server asks for a longer wait than this policy accepts.
    pub fn wait(
        &self,
        retry: u32,
        retry_after: Option<Duration>,
        rng: &mut fastrand::Rng,
    ) -> Option<Duration> {
        match retry_after {
            Some(asked) if asked > self.max_retry_after => None,
            Some(asked) => Some(asked),
            None => Some(self.backoff(retry, rng)),
        }
    }
}

/// Reads a `Retry-After` value: delta-seconds (`120`) or an HTTP date
/// (`Wed, 21 Oct 2026 07:28:00 GMT`, which is read against `now`; a date in the past means
/// "now"). `None` when it is neither.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // An absurd number of seconds saturates; the policy's limit then refuses it.
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            attempts: 10,
            base: Duration::from_millis(100),
            cap: Duration::from_secs(2),
            max_retry_after: Duration::from_secs(30),
        }
    }

    #[test]
    fn the_ceiling_doubles_from_the_base_and_stops_at_the_cap() {
        let p = policy();
        let ms: Vec<u128> = (0..7).map(|n| p.ceiling(n).as_millis()).collect();
        assert_eq!(ms, [100, 200, 400, 800, 1600, 2000, 2000], "base × 2ⁿ, capped at 2 s");
        assert_eq!(p.ceiling(40), Duration::from_secs(2), "a huge retry number stays at the cap");
        assert_eq!(p.ceiling(u32::MAX), Duration::from_secs(2), "and never overflows");
    }

    #[test]
    fn every_wait_lies_between_zero_and_its_ceiling() {
        let p = policy();
        let mut rng = fastrand::Rng::with_seed(7);
        for retry in 0..12 {
            for _ in 0..500 {
                let wait = p.backoff(retry, &mut rng);
                assert!(wait <= p.ceiling(retry), "retry {retry}: {wait:?} over the ceiling");
            }
        }
    }

    #[test]
    fn full_jitter_spreads_waits_over_the_whole_range() {
        // Uniform on [0, 2 s]: the mean is near 1 s and both the lowest and highest tenth of
        // the range are reached, which equal-jitter or no-jitter schedules would not do.
        let p = policy();
        let mut rng = fastrand::Rng::with_seed(42);
        let waits: Vec<f64> = (0..4000).map(|_| p.backoff(8, &mut rng).as_secs_f64()).collect();
        let mean = waits.iter().sum::<f64>() / waits.len() as f64;
        assert!((0.9..1.1).contains(&mean), "mean {mean} of U(0, 2 s) should be near 1 s");
        assert!(waits.iter().any(|w| *w < 0.2), "some waits fall in the lowest tenth");
        assert!(waits.iter().any(|w| *w > 1.8), "some waits fall in the highest tenth");
        let distinct: std::collections::BTreeSet<u64> =
            waits.iter().map(|w| (w * 1000.0) as u64).collect();
        assert!(distinct.len() > 1000, "waits are spread, not a few fixed values");
    }

    #[test]
    fn one_seed_gives_one_schedule() {
        let p = policy();
        let draw = |seed| {
            let mut rng = fastrand::Rng::with_seed(seed);
            (0..8).map(|n| p.backoff(n, &mut rng)).collect::<Vec<_>>()
        };
        assert_eq!(draw(3), draw(3), "the same seed replays the same waits");
        assert_ne!(draw(3), draw(4), "another seed gives other waits");
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = httpdate::parse_http_date("Fri, 04 Dec 2026 08:00:00 GMT").unwrap();
        assert_eq!(parse_retry_after("120", now), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Fri, 04 Dec 2026 08:00:30 GMT", now),
            Some(Duration::from_secs(30)),
            "a date 30 s ahead"
        );
        assert_eq!(
            parse_retry_after("Fri, 04 Dec 2026 07:59:00 GMT", now),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
        for junk in ["", "-5", "1.5", "soon", "Fri, 99 Dec 2026 08:00:00 GMT"] {
            assert_eq!(parse_retry_after(junk, now), None, "{junk:?} is not a Retry-After");
        }
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            Some(Duration::from_secs(u64::MAX)),
            "absurd seconds saturate instead of wrapping"
        );
    }

    #[test]
    fn retry_after_wins_over_backoff_up_to_the_policy_limit() {
        let p = policy();
        let mut rng = fastrand::Rng::with_seed(1);
        let asked = Duration::from_secs(3);
        assert_eq!(p.wait(0, Some(asked), &mut rng), Some(asked), "the server's wait is kept");
        assert_eq!(p.wait(0, Some(Duration::from_secs(31)), &mut rng), None, "too long: give up");
        let backoff = p.wait(2, None, &mut rng).unwrap();
        assert!(backoff <= p.ceiling(2), "without Retry-After the backoff applies");
    }
}
