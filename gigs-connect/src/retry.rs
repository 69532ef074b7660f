//! When and how long to wait before trying a request again: which failures are
//! safe to retry for which method (with or without an idempotency key),
//! exponential backoff with full jitter, and `Retry-After` in either of its forms.

use reqwest::Method;
use std::hash::{BuildHasher, RandomState};
use std::time::{Duration, SystemTime};

/// Default number of retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Default first backoff step; each retry doubles it, up to the cap.
pub const DEFAULT_BACKOFF_BASE: Duration = Duration::from_millis(250);
/// Default cap on any wait, `Retry-After` included.
pub const DEFAULT_BACKOFF_CAP: Duration = Duration::from_secs(10);

/// How a client retries. Only requests that are safe to repeat are retried.
///
/// This is the one place the rule is written down. A failure is retried when its
/// row says so, the call has retries left and the wait fits in the call's deadline:
///
/// | failure | `GET`, `HEAD`, `PUT`, `PATCH` | `POST`, `DELETE` with an `Idempotency-Key` | `POST`, `DELETE` without, any other method; a body that sets a once-only property |
/// |---|---|---|---|
/// | connection not made (refused, DNS, TLS handshake) | retried | retried | retried |
/// | connection lost after sending, or the per-attempt timeout | retried | retried | **not** retried |
/// | 429, 502, 503, 504 | retried | retried | **not** retried |
/// | 500 | not retried | not retried | not retried |
/// | any other status (400, 401, 403, 404, 409, …) | not retried | not retried | not retried |
///
/// Why: retrieve (`GET`) changes nothing and update (`PATCH`) sets absolute values
/// (as `PUT` does), so repeating them is harmless, except when the body sets a
/// property Gigs accepts only once per session (an update's `user` or
/// `userDetails`, marked `x-gigs-set-once` in the spec): a repeat of an applied
/// one is refused (`400 connectSessionUserAlreadySet`) and only the first answer
/// carries the session `url`. Such a request goes in the last column (unless it is
/// a `POST` or `DELETE` with a key), and when it fails after it may have reached
/// Gigs (connection lost after sending, a timeout, a 5xx, the call's deadline) the
/// call ends with [`Error::OutcomeUnknown`](crate::Error::OutcomeUnknown): retrieve
/// the session to see whether it was applied, and create a new session for a new
/// `url`. A create (`POST`) that reached Gigs may have made
/// a session; repeating it is safe only with the same `Idempotency-Key`, for which
/// Gigs answers with the stored first successful result for 24 hours instead of
/// making a second session. The client sends a fresh key with every `POST` and
/// `DELETE` call by default, the same one on each of the call's retries
/// ([`ClientBuilder::idempotency_keys`](crate::ClientBuilder::idempotency_keys) turns
/// that off; [`Call::idempotency_key`](crate::Call::idempotency_key) supplies the
/// caller's own). A 500 is never retried: Gigs cannot always
/// guarantee that a request which failed that way is safe to repeat.
///
/// Waits:
///
/// | the failed answer carries | wait before the retry |
/// |---|---|
/// | no `Retry-After` | the backoff: a random time in `[0, backoff_base * 2^retry]` (full jitter) |
/// | `Retry-After` longer than the backoff (seconds or an HTTP date) | the `Retry-After` |
/// | `Retry-After` shorter than the backoff, `0`, or a date in the past | the backoff: a server can lengthen the wait, never shorten it below this floor |
///
/// Every wait is at most [`backoff_cap`](Self::backoff_cap). A retry whose wait would end after the call's
/// deadline is not attempted: the last failure is returned instead.
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

    /// How long to wait before retry number `retry` (0-based): a random time up to
    /// `base * 2^retry` (the backoff), or the server's `Retry-After` when it is
    /// longer; never over the cap. A `Retry-After` can lengthen the wait but never
    /// shorten it below the backoff, so `Retry-After: 0` cannot turn retries into
    /// a storm.
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let backoff = self.backoff(retry);
        match retry_after {
            Some(wait) => wait.max(backoff).min(self.backoff_cap),
            None => backoff,
        }
    }

    /// Exponential backoff with full jitter for retry number `retry`.
    fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self
            .backoff_base
            .saturating_mul(1u32.checked_shl(retry).unwrap_or(u32::MAX))
            .min(self.backoff_cap);
        // Full jitter: uniform in [0, ceiling], so clients that failed together spread out.
        let random = RandomState::new().hash_one(SystemTime::now());
        ceiling.mul_f64(random as f64 / u64::MAX as f64)
    }
}

impl Failure {
    /// Whether the request may have been applied: it may have reached the server
    /// and no answer says it was refused (a timeout or lost connection after
    /// sending, a 5xx).
    pub(crate) fn may_have_applied(self) -> bool {
        match self {
            Failure::NotSent => false,
            Failure::MaybeSent => true,
            Failure::Status(status) => status >= 500,
        }
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

/// Whether a call with `method` may be retried after `failure`; `keyed` says
/// whether it carries an `Idempotency-Key`, `once_only` whether its body sets a
/// property Gigs accepts only once (and no key makes a repeat safe). The table is
/// on [`RetryPolicy`].
pub(crate) fn is_safe_to_retry(
    method: &Method,
    failure: Failure,
    keyed: bool,
    once_only: bool,
) -> bool {
    let repeatable =
        (is_idempotent(method) && !once_only) || (keyed && takes_idempotency_key(method));
    match failure {
        Failure::NotSent => true,
        Failure::MaybeSent => repeatable,
        Failure::Status(status) => repeatable && is_retryable_status(status),
    }
}

/// Methods that are harmless to repeat as they are: this API's `PATCH` sets
/// absolute values, so it is one of them.
fn is_idempotent(method: &Method) -> bool {
    [Method::GET, Method::HEAD, Method::PUT, Method::PATCH].contains(method)
}

pub(crate) use crate::idempotency::takes_idempotency_key;

/// Statuses that say "try again later" rather than "this request is wrong".
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// Parses `Retry-After`: delay-seconds, or an HTTP date from which the wait is
/// counted from `now`. Never panics: a number too large for `u64` waits as long as
/// allowed, a date past what `SystemTime` holds or garbage is ignored.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(value.parse().map_or(Duration::MAX, Duration::from_secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    /// Sun, 06 Nov 1994 08:49:37 GMT.
    fn now() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(784_111_777)
    }

    #[test]
    fn retry_after_accepts_seconds_and_http_dates() {
        let now = now();
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after(" 3 ", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:40 GMT", now),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:30 GMT", now),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
        // The obsolete forms HTTP still asks recipients to accept.
        assert_eq!(
            parse_retry_after("Sunday, 06-Nov-94 08:49:40 GMT", now),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            parse_retry_after("Sun Nov  6 08:49:40 1994", now),
            Some(Duration::from_secs(3))
        );
    }

    #[test]
    fn hostile_retry_after_values_end_in_none_or_a_long_wait_never_a_panic() {
        let now = now();
        let huge = [
            "18446744073709551615",                   // u64::MAX seconds
            "18446744073709551616",                   // u64::MAX + 1
            "99999999999999999999999999999999999999", // far past u64
        ];
        for value in huge {
            let wait = parse_retry_after(value, now).expect(value);
            assert!(wait >= Duration::from_secs(u64::MAX), "{value}: {wait:?}");
        }
        let garbage = [
            "Sun, 06 Nov 300000000000 08:49:37 GMT", // the year that overflowed before
            "Sun, 06 Nov 9223372036854775807 08:49:37 GMT",
            "Sun, 06 Nov -1 08:49:37 GMT",
            "Sun, 06 Nov 1994 25:49:40 GMT",
            "Sun, 31 Feb 1994 08:49:40 GMT",
            "Sun, 06 Nov 1994 08:49:40 PST",
            "-1",
            "+5",
            "1.5",
            "soon",
            "",
            "Sun, 06 Nov 1994",
            "\u{1F600}",
        ];
        for value in garbage {
            assert_eq!(parse_retry_after(value, now), None, "{value:?}");
        }
    }

    #[test]
    fn the_latest_http_date_is_a_finite_wait() {
        let wait = parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now()).unwrap();
        assert!(wait > Duration::from_secs(250_000_000_000), "{wait:?}");
    }

    proptest::proptest! {
        #[test]
        fn any_retry_after_value_parses_without_panicking(value in "\\PC{0,64}") {
            let _ = parse_retry_after(&value, now());
        }

        #[test]
        fn any_date_shaped_value_parses_without_panicking(
            day in 0u64..100, year in proptest::num::u64::ANY,
            hour in 0u64..100, minute in 0u64..100, second in 0u64..100,
        ) {
            let value = format!("Sun, {day:02} Nov {year} {hour:02}:{minute:02}:{second:02} GMT");
            let _ = parse_retry_after(&value, now());
        }
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
            assert!(policy.delay(u32::MAX, None) <= Duration::from_millis(350));
        }
        assert_eq!(
            policy.delay(0, Some(Duration::from_millis(300))),
            Duration::from_millis(300)
        );
        assert_eq!(
            policy.delay(0, Some(Duration::from_secs(60))),
            Duration::from_millis(350)
        );
        assert_eq!(
            policy.delay(0, Some(Duration::MAX)),
            Duration::from_millis(350)
        );
    }

    /// The table in `RetryPolicy`'s docs, row by row: for each failure, whether
    /// `GET`/`PATCH`, keyed `POST`/`DELETE` and unkeyed `POST`/`DELETE` are retried.
    const TABLE: &[(Failure, bool, bool, bool)] = &[
        (Failure::NotSent, true, true, true),
        (Failure::MaybeSent, true, true, false),
        (Failure::Status(429), true, true, false),
        (Failure::Status(502), true, true, false),
        (Failure::Status(503), true, true, false),
        (Failure::Status(504), true, true, false),
        (Failure::Status(500), false, false, false),
        (Failure::Status(400), false, false, false),
        (Failure::Status(401), false, false, false),
        (Failure::Status(403), false, false, false),
        (Failure::Status(404), false, false, false),
        (Failure::Status(409), false, false, false),
        (Failure::Status(501), false, false, false),
    ];

    #[test]
    fn retries_follow_the_documented_table() {
        for &(failure, idempotent, keyed, unkeyed) in TABLE {
            for method in [Method::GET, Method::HEAD, Method::PUT, Method::PATCH] {
                // A key changes nothing for methods that are safe to repeat anyway.
                for key in [false, true] {
                    assert_eq!(
                        is_safe_to_retry(&method, failure, key, false),
                        idempotent,
                        "{method} {failure:?} key={key}"
                    );
                    // A body that sets a once-only property: the last column.
                    assert_eq!(
                        is_safe_to_retry(&method, failure, key, true),
                        unkeyed,
                        "{method} {failure:?} key={key}, once-only"
                    );
                }
            }
            for method in [Method::POST, Method::DELETE] {
                assert_eq!(
                    is_safe_to_retry(&method, failure, true, false),
                    keyed,
                    "{method} {failure:?} with a key"
                );
                assert_eq!(
                    is_safe_to_retry(&method, failure, false, false),
                    unkeyed,
                    "{method} {failure:?} without a key"
                );
                assert_eq!(
                    is_safe_to_retry(&method, failure, false, true),
                    unkeyed,
                    "{method} {failure:?} without a key, once-only"
                );
            }
            // A method Gigs takes no key on is never made retryable by one.
            let other = Method::from_bytes(b"PURGE").unwrap();
            for key in [false, true] {
                assert_eq!(
                    is_safe_to_retry(&other, failure, key, false),
                    unkeyed,
                    "PURGE {failure:?} key={key}"
                );
            }
        }
    }

    #[test]
    fn only_post_and_delete_take_an_idempotency_key() {
        assert!(takes_idempotency_key(&Method::POST));
        assert!(takes_idempotency_key(&Method::DELETE));
        for method in [Method::GET, Method::PATCH, Method::PUT, Method::HEAD] {
            assert!(!takes_idempotency_key(&method), "{method}");
        }
    }
}
