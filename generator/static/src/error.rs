//! The error type of every operation, and the error body the server sends (a gRPC status).

use std::error::Error as StdError;
use std::fmt;
use std::ops::Deref;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::{self, Deserializer, Unexpected, Visitor};
use serde::{Deserialize, Serialize};

/// Why an operation failed.
///
/// # Retrying
///
/// The client already retries what is safe to retry (see [`RetryPolicy`](crate::RetryPolicy) and
/// the table in [`retry`](crate::retry)); [`Error::attempts`] tells how many attempts the call
/// made. [`Error::is_retryable`] tells whether the same call may succeed if made again later. A
/// retry must be a new call of the operation method, not a replay of the request that was sent:
/// each attempt is signed afresh, with a new nonce and request time, as the server expects.
/// Operations that create something (a charge, a refund) may have taken effect even when the
/// answer was lost (timeout, transport error): make them idempotent on your side (for instance with
/// a merchant trade id you query before creating again) before retrying them.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a status other than 2xx.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The server answered 2xx, but its body is not the JSON the operation returns.
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// No complete answer arrived within the client's timeout for one attempt (connecting,
    /// waiting for the answer and reading its body all count), its connect timeout, or what was
    /// left of the call's deadline.
    #[error("request timed out: {0}")]
    Timeout(TransportError),
    /// The request could not be sent or its answer could not be read: DNS failure, connection
    /// refused or reset, TLS failure, a body cut short.
    #[error("transport error: {0}")]
    Transport(TransportError),
    /// The request was not sent because it is invalid: a bad configuration (base URL, API key,
    /// private key), a path parameter that would change the route, a body that cannot be
    /// serialized, a header value that HTTP cannot carry.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The answer's body is larger than the client's limit
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)); it was
    /// not read past the limit.
    #[error(
        "the body of the answer (HTTP {status}) is larger than the client's limit of {limit} bytes{}",
        attempts_note(*attempts)
    )]
    ResponseTooLarge {
        /// The HTTP status of the answer.
        status: StatusCode,
        /// The client's limit, in bytes.
        limit: usize,
        /// How many attempts the call made; this answer is the last one's.
        attempts: u32,
    },
}

impl Error {
    /// The HTTP status of the answer, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::Timeout(e) | Error::Transport(e) => e.status(),
            Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::InvalidRequest(_) => None,
        }
    }

    /// The gRPC status the server sent with an error answer, when its body was one.
    pub fn api_status(&self) -> Option<&ApiStatus> {
        match self {
            Error::Api(e) => e.api_status.as_ref(),
            _ => None,
        }
    }

    /// Whether making the same call again may succeed: timeouts, transport errors (except a
    /// request that could not even be built, such as an invalid URL), the HTTP statuses 408, 429,
    /// 500, 502, 503 and 504, and 409 with the gRPC code `ABORTED`. Other 4xx answers, decoding
    /// errors, answers over the size limit and invalid requests will fail the same way again.
    ///
    /// It says what the failure is, whatever the client's retries did: a 503 that was retried
    /// until the retries ran out, or that was not retried because the request was a `POST`, is
    /// still retryable. A retry must be a new call of the operation (it is signed afresh); see
    /// [`Error`] about operations that create something.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Timeout(_) => true,
            Error::Transport(e) => !(e.is_builder() || e.is_redirect()),
            Error::Api(e) => crate::retry::retryable_status(e.status, e.api_status.as_ref()),
            // The same server sends the same body again.
            Error::Decode(_) | Error::InvalidRequest(_) | Error::ResponseTooLarge { .. } => false,
        }
    }

    /// How many attempts the call made before failing with this error: 1 when it was not retried,
    /// more when it was (this error is the last attempt's), 0 when nothing was sent (an invalid
    /// request).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Api(e) => e.attempts,
            Error::Decode(e) => e.attempts,
            Error::Timeout(e) | Error::Transport(e) => e.attempts,
            Error::ResponseTooLarge { attempts, .. } => *attempts,
            Error::InvalidRequest(_) => 0,
        }
    }

    /// Records the number of attempts of the call that ends with this error.
    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        match &mut self {
            Error::Api(e) => e.attempts = attempts,
            Error::Decode(e) => e.attempts = attempts,
            Error::Timeout(e) | Error::Transport(e) => e.attempts = attempts,
            Error::ResponseTooLarge { attempts: a, .. } => *a = attempts,
            Error::InvalidRequest(_) => {}
        }
        self
    }
}

/// A request that could not be sent or whose answer could not be read, and how many attempts the
/// call made. Dereferences to the [`reqwest::Error`] (`is_connect()`, `is_timeout()`, ...).
#[derive(Debug)]
pub struct TransportError {
    error: reqwest::Error,
    attempts: u32,
}

impl TransportError {
    pub(crate) fn new(error: reqwest::Error) -> Self {
        TransportError { error, attempts: 1 }
    }

    /// The error of the HTTP client.
    pub fn reqwest(&self) -> &reqwest::Error {
        &self.error
    }

    /// How many attempts the call made (see [`Error::attempts`]).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl Deref for TransportError {
    type Target = reqwest::Error;

    fn deref(&self) -> &reqwest::Error {
        &self.error
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", Chain(&self.error))?;
        write_attempts(f, self.attempts)
    }
}

/// What [`write_attempts`] writes, for a `thiserror` format.
fn attempts_note(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (after {attempts} attempts)")
    } else {
        String::new()
    }
}

/// Says how many attempts were made, when the call was retried.
fn write_attempts(f: &mut fmt::Formatter<'_>, attempts: u32) -> fmt::Result {
    if attempts > 1 {
        write!(f, " (after {attempts} attempts)")
    } else {
        Ok(())
    }
}

/// An answer whose HTTP status is not 2xx.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status of the answer.
    pub status: StatusCode,
    /// The headers of the answer (a `Retry-After` on a 429 or 503, for instance).
    pub headers: HeaderMap,
    /// The body of the answer as sent, always kept (invalid UTF-8 replaced by U+FFFD): a proxy or a
    /// load balancer may answer with an HTML page instead of the API's JSON.
    pub body: String,
    /// The body decoded as the API's error shape, a gRPC status (`{code, message, details}`);
    /// `None` when the body is not one.
    pub api_status: Option<ApiStatus>,
    /// How many attempts the call made; this answer is the last one's.
    pub attempts: u32,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_status(f, self.status)?;
        match &self.api_status {
            Some(s) => {
                if !s.message.is_empty() {
                    write!(f, ": {}", s.message)?;
                }
                write!(f, " (gRPC code {})", s.code)?;
            }
            None => {
                let excerpt = one_line_excerpt(&self.body, 100);
                if !excerpt.is_empty() {
                    write!(f, ": {excerpt}")?;
                }
            }
        }
        write_attempts(f, self.attempts)
    }
}

impl StdError for ApiError {}

/// A 2xx answer whose body is not the JSON the operation returns.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DecodeError {
    /// The HTTP status of the answer.
    pub status: StatusCode,
    /// Where in the body decoding failed, as a path of field names and indices such as
    /// `data[0].amount`; `.` for the document itself (for instance when it is not JSON at all).
    pub path: String,
    /// What was wrong there, as serde tells it (it includes the line and column), or that the body
    /// is empty.
    pub message: String,
    /// The start of the body (about 200 characters) to show what the server sent.
    pub excerpt: String,
    /// How many attempts the call made; this answer is the last one's.
    pub attempts: u32,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cannot decode the answer (")?;
        write_status(f, self.status)?;
        write!(
            f,
            ") at `{}`: {}; the body starts with: {}",
            self.path, self.message, self.excerpt
        )?;
        write_attempts(f, self.attempts)
    }
}

impl StdError for DecodeError {}

/// The error body of the API: a `google.rpc.Status` as grpc-gateway writes it.
///
/// `code` is the gRPC code (5 = `NOT_FOUND`, 16 = `UNAUTHENTICATED`, ...), not the HTTP status.
/// Decoding is tolerant: a missing or `null` field takes its default, `code` may arrive as a number,
/// a string of digits or a gRPC code name (`"NOT_FOUND"`), unknown keys are ignored.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct ApiStatus {
    /// The gRPC status code.
    #[serde(default, deserialize_with = "grpc_code")]
    pub code: i32,
    /// The error message, meant for developers.
    #[serde(default, deserialize_with = "crate::codec::null_default")]
    pub message: String,
    /// Details as `google.protobuf.Any` objects (`{"@type": "...", ...}`), kept as sent.
    #[serde(default, deserialize_with = "crate::codec::null_default")]
    pub details: Vec<serde_json::Value>,
}

/// The canonical gRPC code names, indexed by their number.
const GRPC_CODE_NAMES: [&str; 17] = [
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
];

/// Decodes a gRPC code sent as a number, a string of digits, a code name or `null` (0).
fn grpc_code<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i32, D::Error> {
    struct CodeVisitor;

    impl Visitor<'_> for CodeVisitor {
        type Value = i32;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a gRPC code, as a number, a string of digits or a code name")
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<i32, E> {
            i32::try_from(v).map_err(|_| E::invalid_value(Unexpected::Signed(v), &self))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<i32, E> {
            i32::try_from(v).map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<i32, E> {
            let v = v.trim();
            if let Ok(n) = v.parse::<i32>() {
                return Ok(n);
            }
            GRPC_CODE_NAMES
                .iter()
                .position(|name| name.eq_ignore_ascii_case(v))
                .and_then(|n| i32::try_from(n).ok())
                .ok_or_else(|| E::invalid_value(Unexpected::Str(v), &self))
        }

        fn visit_unit<E: de::Error>(self) -> Result<i32, E> {
            Ok(0)
        }
    }

    deserializer.deserialize_any(CodeVisitor)
}

/// Writes `HTTP 404 Not Found` (without a reason for a status that has none).
fn write_status(f: &mut fmt::Formatter<'_>, status: StatusCode) -> fmt::Result {
    write!(f, "HTTP {}", status.as_u16())?;
    match status.canonical_reason() {
        Some(reason) => write!(f, " {reason}"),
        None => Ok(()),
    }
}

/// The first `max` characters of `text` on one line (runs of whitespace become one space), with `…`
/// when something was cut.
fn one_line_excerpt(text: &str, max: usize) -> String {
    let mut chars = text
        .split_whitespace()
        .flat_map(|word| std::iter::once(' ').chain(word.chars()))
        .skip(1);
    let mut out: String = chars.by_ref().take(max).collect();
    if chars.next().is_some() {
        out.truncate(out.trim_end().len());
        out.push('…');
    }
    out
}

/// Displays an error followed by its sources, `outer: inner: innermost` (a reqwest error alone
/// says "error sending request"; the cause, such as "Connection refused", is in its sources).
struct Chain<'a>(&'a (dyn StdError + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut previous = self.0.to_string();
        let mut source = self.0.source();
        while let Some(cause) = source {
            let text = cause.to_string();
            // Some layers repeat their cause in their own message; print each text once.
            if !previous.contains(&text) {
                write!(f, ": {text}")?;
            }
            previous = text;
            source = cause.source();
        }
        Ok(())
    }
}
