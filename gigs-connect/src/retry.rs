//! When and how long to wait before trying a request again: which failures are
//! safe to retry for which method, exponential backoff with full jitter, and
//! `Retry-After` in either of its forms.

use std::hash::{BuildHasher, RandomState};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Default number of retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Default first backoff step; each retry doubles it, up to the cap.
pub const DEFAULT_BACKOFF_BASE: Duration = Duration::from_millis(250);
/// Default cap on any wait, `Retry-After` included.
pub const DEFAULT_BACKOFF_CAP: Duration = Duration::from_secs(10);

/// How a client retries. Only safe requests are retried:
///
/// - `GET` (retrieve) and `PATCH` (update, whose fields are absolute values) on
///   connection failures, timeouts and answers 429, 502, 503 and 504;
/// - `POST` (create) only when the request provably never reached the server
///   (connection refused, DNS or TLS handshake failure): Gigs documents no idempotency
///   key, so retrying a create the server may have seen could make two sessions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 turns retrying off.
    pub max_retries: u32,
    /// The first backoff step.
    pub backoff_base: Duration,
    /// The longest wait, whatever the backoff or `Retry-After` says.
    pub backoff_cap: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: DEFAULT_MAX_RETRIES,
            backoff_base: DEFAULT_BACKOFF_BASE,
            backoff_cap: DEFAULT_BACKOFF_CAP,
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// How long to wait before retry number `retry` (0-based): `Retry-After` when the
    /// server sent one, else a random time up to `base * 2^retry`; never over the cap.
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(self.backoff_cap);
        }
        let ceiling = self
            .backoff_base
            .saturating_mul(1u32.checked_shl(retry).unwrap_or(u32::MAX))
            .min(self.backoff_cap);
        // Full jitter: uniform in [0, ceiling], so clients that failed together spread out.
        let random = RandomState::new().hash_one(SystemTime::now());
        ceiling.mul_f64(random as f64 / u64::MAX as f64)
    }
}

/// What an attempt that failed says about trying again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The connection was never established: nothing reached the server.
    NotSent,
    /// The request may have reached the server (timeout, reset, truncated answer).
    MaybeSent,
    /// The server answered with this status.
    Status(u16),
}

/// Whether `method` may be retried after `failure`.
pub(crate) fn is_safe_to_retry(method: &reqwest::Method, failure: Failure) -> bool {
    let idempotent = *method == reqwest::Method::GET || *method == reqwest::Method::PATCH;
    match failure {
        Failure::NotSent => true,
        Failure::MaybeSent => idempotent,
        Failure::Status(status) => idempotent && is_retryable_status(status),
    }
}

/// Statuses that say "try again later" rather than "this request is wrong".
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// Parses `Retry-After`: delay-seconds, or an HTTP date (IMF-fixdate) from which
/// the wait is counted from `now`.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = parse_http_date(value)?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` (RFC 9110's preferred date format).
fn parse_http_date(value: &str) -> Option<SystemTime> {
    let rest = value.split_once(", ")?.1;
    let parts: Vec<&str> = rest.split(' ').collect();
    let [day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| m == month)? as i64
        + 1;
    let (day, year): (i64, i64) = (day.parse().ok()?, year.parse().ok()?);
    let clock: Vec<i64> = time
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [hour, minute, second] = clock.as_slice() else {
        return None;
    };
    if !(1..=31).contains(&day) || *hour > 23 || *minute > 59 || *second > 60 {
        return None;
    }
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second;
    Some(UNIX_EPOCH + Duration::from_secs(u64::try_from(seconds).ok()?))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Method;

    #[test]
    fn retry_after_accepts_seconds_and_http_dates() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:40 GMT", now),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:30 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 25:49:40 GMT", now),
            None
        );
    }

    #[test]
    fn backoff_grows_exponentially_under_the_cap_and_honours_retry_after_up_to_it() {
        let policy = RetryPolicy {
            max_retries: 5,
            backoff_base: Duration::from_millis(100),
            backoff_cap: Duration::from_millis(350),
        };
        for _ in 0..50 {
            assert!(policy.delay(0, None) <= Duration::from_millis(100));
            assert!(policy.delay(1, None) <= Duration::from_millis(200));
            assert!(policy.delay(10, None) <= Duration::from_millis(350));
        }
        assert_eq!(
            policy.delay(0, Some(Duration::from_millis(300))),
            Duration::from_millis(300)
        );
        assert_eq!(
            policy.delay(0, Some(Duration::from_secs(60))),
            Duration::from_millis(350)
        );
    }

    #[test]
    fn create_is_retried_only_when_nothing_was_sent() {
        assert!(is_safe_to_retry(&Method::POST, Failure::NotSent));
        assert!(!is_safe_to_retry(&Method::POST, Failure::MaybeSent));
        assert!(!is_safe_to_retry(&Method::POST, Failure::Status(503)));
    }

    #[test]
    fn retrieve_and_update_are_retried_on_transient_failures_only() {
        for method in [Method::GET, Method::PATCH] {
            assert!(is_safe_to_retry(&method, Failure::MaybeSent));
            for status in [429, 502, 503, 504] {
                assert!(
                    is_safe_to_retry(&method, Failure::Status(status)),
                    "{status}"
                );
            }
            for status in [400, 401, 403, 404, 500] {
                assert!(
                    !is_safe_to_retry(&method, Failure::Status(status)),
                    "{status}"
                );
            }
        }
    }
}
