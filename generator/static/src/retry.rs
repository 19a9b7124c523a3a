//! Automatic retries: which failed attempts may be made again, and how long to wait before.
//!
//! | failure | retried for |
//! |---|---|
//! | no connection: refused, DNS, TLS, connect timeout (nothing was sent) | every method |
//! | timeout or broken connection after sending; HTTP 408, 429, 500, 502, 503, 504; HTTP 409 with gRPC code `ABORTED` (10) | requests safe to repeat: `GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`; a request whose body carries an idempotency token; any request when [`RetryPolicy::assume_idempotent`] is set |
//! | any other 4xx (400, 401, 403, 404, 409, ...), an answer that does not decode, an invalid request | never |
//!
//! `POST` and `PATCH` are not safe to repeat by default: a second `POST /v1/charges` after a lost
//! answer may create a second charge. (The Justap `PATCH` routes take an `updateMask`: they are
//! partial updates, not full replacements, so they follow `POST`'s rule.)
//!
//! An idempotency token is what the Justap document calls `ClientToken`: a string of at most 64
//! ASCII characters the server uses to recognize a repeated request. The generator looks for it in
//! the spec: a request body whose schema has a `string` property named `client_token`, in any case
//! and with or without `_` or `-` (`ClientToken`, `clientToken`, ...). When the caller leaves that
//! field empty, the SDK fills it once per call with a fresh random token, sends the same token on
//! every attempt, and the call is then retried like a `GET`.
//!
//! A `Retry-After` header (seconds or an HTTP date) on a 429 or 503 answer replaces the backoff
//! when it is at most [`RetryPolicy::max_retry_after`]; a longer one ends the retries, and the
//! error returned carries the header ([`ApiError::headers`](crate::ApiError::headers)).

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::RETRY_AFTER;
use reqwest::StatusCode;

use crate::Error;

/// The gRPC code `ABORTED`: a concurrency conflict the server expects the client to retry.
const GRPC_ABORTED: i32 = 10;

/// When and how often a failed call is made again. See the [module docs](crate::retry) for what is
/// retried.
///
/// The default, after the Stripe and AWS SDKs: at most 2 retries (3 attempts), waiting 500 ms,
/// then 1 s, ... (doubling, at most 5 s), each wait multiplied by a random factor in [0.5, 1] so
/// that many clients failing together do not retry together; a `Retry-After` of up to 10 s is
/// honoured.
///
/// ```
/// use std::time::Duration;
/// use justap::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .max_retries(4)
///     .backoff(Duration::from_millis(200), Duration::from_secs(2));
/// let off = RetryPolicy::none();
/// # let _ = (patient, off);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    assume_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(10),
            assume_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// No retry at all: every call makes one attempt.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// How many times a failed attempt may be repeated (2 by default; 0 turns retries off).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The wait before the first retry (500 ms by default), doubled for each next one up to `max`
    /// (5 s by default); each wait is then multiplied by a random factor in [0.5, 1].
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// The longest `Retry-After` the client waits (10 s by default). A server asking for a longer
    /// wait ends the retries: the error is returned at once, with the header.
    pub fn max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// Treats every request as safe to repeat, `POST` and `PATCH` included (off by default).
    ///
    /// Set it only for calls the server deduplicates, for instance a charge or a refund keyed by a
    /// `merchant_trade_id` / `merchant_refund_id` the server refuses to reuse; otherwise a retry
    /// after a lost answer may create a second charge. Usually set for one call, with
    /// [`Client::with_retry_policy`](crate::Client::with_retry_policy).
    pub fn assume_idempotent(mut self, assume: bool) -> Self {
        self.assume_idempotent = assume;
        self
    }

    /// How many times a failed attempt may be repeated.
    pub fn retries(&self) -> u32 {
        self.max_retries
    }

    /// Whether every request is treated as safe to repeat.
    pub fn assumes_idempotent(&self) -> bool {
        self.assume_idempotent
    }

    /// The wait before retry number `retry` (0 for the first), jitter included.
    fn backoff_before(&self, retry: u32) -> Duration {
        let doubled = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retry.min(31)));
        let capped = doubled.min(self.max_backoff);
        // `mul_f64` would panic on a product it cannot represent (a cap near `Duration::MAX`).
        Duration::try_from_secs_f64(capped.as_secs_f64() * (0.5 + random_unit() / 2.0))
            .unwrap_or(capped)
    }

    /// How long to wait before making the call again after `error`, the failure of attempt number
    /// `retries_done + 1`; `None` when it must not be made again. `idempotent`: the request is safe
    /// to repeat (by its method or its idempotency token).
    pub(crate) fn wait_after(
        &self,
        error: &Error,
        idempotent: bool,
        retries_done: u32,
    ) -> Option<Duration> {
        if retries_done >= self.max_retries {
            return None;
        }
        let repeatable = idempotent || self.assume_idempotent;
        let backoff = self.backoff_before(retries_done);
        match error {
            // A connection that could not be made: the server saw nothing of the request.
            Error::Timeout(e) | Error::Transport(e) if e.is_connect() => Some(backoff),
            Error::Timeout(_) => repeatable.then_some(backoff),
            Error::Transport(e) => {
                (repeatable && !(e.is_builder() || e.is_redirect())).then_some(backoff)
            }
            Error::Api(e) if repeatable && retryable_status(e.status, e.api_status.as_ref()) => {
                if !matches!(e.status.as_u16(), 429 | 503) {
                    return Some(backoff);
                }
                match e.headers.get(RETRY_AFTER).and_then(|v| v.to_str().ok()) {
                    None => Some(backoff),
                    Some(text) => match parse_retry_after(text, SystemTime::now()) {
                        Some(wait) if wait <= self.max_retry_after => Some(wait),
                        Some(_) => None,
                        // An unreadable value asks for nothing in particular.
                        None => Some(backoff),
                    },
                }
            }
            Error::Api(_)
            | Error::Decode(_)
            | Error::InvalidRequest(_)
            | Error::ResponseTooLarge { .. } => None,
        }
    }
}

/// Whether an answer with this status (and gRPC status) may succeed when the request is made again:
/// the server timed out, was overloaded or failed, or refused a conflicting concurrent change
/// (409 with gRPC `ABORTED`, which grpc-gateway maps to 409 as it does `ALREADY_EXISTS`).
pub(crate) fn retryable_status(status: StatusCode, api_status: Option<&crate::ApiStatus>) -> bool {
    match status.as_u16() {
        408 | 429 | 500 | 502 | 503 | 504 => true,
        409 => api_status.is_some_and(|s| s.code == GRPC_ABORTED),
        _ => false,
    }
}

/// Reads a `Retry-After` value: whole seconds, or an HTTP date (a date already past is no wait).
fn parse_retry_after(text: &str, now: SystemTime) -> Option<Duration> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        // More digits than u64 holds is a wait longer than any cap.
        return Some(Duration::from_secs(text.parse().unwrap_or(u64::MAX)));
    }
    // IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) is RFC 2822 with the zone `GMT`.
    let date = chrono::DateTime::parse_from_rfc2822(text).ok()?;
    let since_epoch = Duration::from_secs(u64::try_from(date.timestamp()).ok()?);
    // chrono reads five-digit years; past what `SystemTime` holds (year ~30,800 on Windows, where
    // `+` would panic) the date is a wait longer than any cap.
    let Some(at) = UNIX_EPOCH.checked_add(since_epoch) else {
        return Some(Duration::MAX);
    };
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A value of a request field that holds an idempotency token (`String` or `Option<String>`).
#[allow(dead_code)] // a spec without idempotency tokens does not use it
pub(crate) trait IdempotencyToken: Clone {
    /// Whether the caller left it empty.
    fn is_unset(&self) -> bool;
    /// A fresh token.
    fn fresh() -> Self;
}

impl IdempotencyToken for String {
    fn is_unset(&self) -> bool {
        self.is_empty()
    }

    fn fresh() -> Self {
        fresh_token()
    }
}

impl IdempotencyToken for Option<String> {
    fn is_unset(&self) -> bool {
        self.as_deref().is_none_or(str::is_empty)
    }

    fn fresh() -> Self {
        Some(fresh_token())
    }
}

/// `body` with its idempotency token filled in when the caller left it empty (a copy then), so that
/// every attempt of the call sends the same token.
#[allow(dead_code)] // a spec without idempotency tokens does not use it
pub(crate) fn fill_token<'a, T: Clone, F: IdempotencyToken>(
    body: &'a T,
    get: impl Fn(&T) -> &F,
    set: impl Fn(&mut T) -> &mut F,
) -> std::borrow::Cow<'a, T> {
    if get(body).is_unset() {
        let mut filled = body.clone();
        *set(&mut filled) = F::fresh();
        std::borrow::Cow::Owned(filled)
    } else {
        std::borrow::Cow::Borrowed(body)
    }
}

/// A fresh idempotency token: 32 lowercase hex characters (128 bits). It must be unique, not
/// secret: it is drawn from the standard library's randomly keyed hasher (seeded by the operating
/// system), mixed with the time and a process-wide counter, so that two calls never share one.
pub fn fresh_token() -> String {
    let high = random_u64();
    let low = random_u64();
    format!("{high:016x}{low:016x}")
}

/// A random number in [0, 1), for jitter.
fn random_unit() -> f64 {
    // 53 random bits: every value an f64 in [0, 1) holds at that step.
    (random_u64() >> 11) as f64 / (1u64 << 53) as f64
}

fn random_u64() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    // Each `RandomState` gets new random keys; the counter and the time make every input distinct.
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    hasher.write_u128(nanos);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:50:37 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        // Far beyond any cap; never a panic, whatever range the platform's clock has.
        let far = parse_retry_after("Fri, 01 Jan 99999 00:00:00 GMT", now).expect("a date");
        assert!(far > Duration::from_secs(3_000_000_000_000), "{far:?}");
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter_of_half_to_one() {
        let policy = RetryPolicy::default();
        let ms = Duration::from_millis;
        for _ in 0..100 {
            for (retry, full) in [
                (0, 500),
                (1, 1000),
                (2, 2000),
                (3, 4000),
                (4, 5000),
                (40, 5000),
            ] {
                let wait = policy.backoff_before(retry);
                assert!(
                    wait >= ms(full / 2) && wait <= ms(full),
                    "{retry}: {wait:?}"
                );
            }
        }
        let huge = RetryPolicy::default().backoff(Duration::MAX, Duration::MAX);
        assert!(huge.backoff_before(u32::MAX) >= Duration::MAX / 4);
    }
}
