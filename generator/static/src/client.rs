//! The HTTP client every operation goes through: building the URL, authenticating and signing the
//! request, and turning the answer into the operation's result or an [`Error`].

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, USER_AGENT};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use url::{form_urlencoded, Url};

use crate::error::{ApiError, ApiStatus, DecodeError, TransportError};
use crate::retry::RetryPolicy;
#[cfg(feature = "signing")]
use crate::signing::RequestSigner;
use crate::{Error, API_KEY_HEADER, DEFAULT_BASE_URL};

/// The timeout of one attempt when none is set.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The connect timeout when none is set: long enough for a slow TLS handshake, short enough that a
/// dead address leaves time to retry.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// How many characters of a body a [`DecodeError`] keeps.
const EXCERPT_CHARS: usize = 200;

/// A client of the Justap API. Each operation of the API is a method of it.
///
/// Cheap to clone: clones share one connection pool and configuration. Needs a Tokio runtime with
/// its time driver enabled (`#[tokio::main]` and `Runtime::new` have it).
///
/// Failed calls are retried as [`RetryPolicy`] says (by default: twice at most, only what is safe to
/// repeat). [`Client::with_retry_policy`] and [`Client::with_deadline`] give a client with other
/// settings for one call or a group of calls, sharing everything else.
///
/// ```no_run
/// # async fn run() -> Result<(), justap::Error> {
/// let client = justap::Client::builder()
///     .base_url("https://api.example.com")
///     .api_key("sk_test_...")
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// The settings [`Client::with_retry_policy`] and [`Client::with_deadline`] may change per call.
    retry: RetryPolicy,
    deadline: Option<Duration>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    api_key_header: HeaderName,
    api_key: HeaderValue,
    user_agent: HeaderValue,
    timeout: Duration,
    max_response_bytes: usize,
    #[cfg(feature = "signing")]
    signer: Option<RequestSigner>,
}

impl Client {
    /// A client of the default server with this API key and every other setting at its default.
    ///
    /// Fails with [`Error::InvalidRequest`] when the API key cannot be sent in a header.
    pub fn new(api_key: impl Into<String>) -> Result<Client, Error> {
        Client::builder().api_key(api_key).build()
    }

    /// A builder to configure the client: base URL, API key, private key, timeout, ...
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The URL that request paths are appended to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The same client (same connection pool, keys and timeouts) with another retry policy, for one
    /// call or a group of calls:
    ///
    /// ```no_run
    /// # async fn run(client: justap::Client) -> Result<(), justap::Error> {
    /// use justap::RetryPolicy;
    /// // This charge's merchant_trade_id is new: the server refuses a second charge with it.
    /// let retrying = client.with_retry_policy(RetryPolicy::default().assume_idempotent(true));
    /// # let _ = retrying;
    /// # Ok(()) }
    /// ```
    pub fn with_retry_policy(&self, policy: RetryPolicy) -> Client {
        Client {
            retry: policy,
            ..self.clone()
        }
    }

    /// The same client with a deadline for each whole call, every attempt and wait between attempts
    /// included (`None`: no deadline, only the per-attempt timeout). A retry that cannot start
    /// before the deadline is not made; an attempt still running at the deadline fails with
    /// [`Error::Timeout`].
    pub fn with_deadline(&self, deadline: Option<Duration>) -> Client {
        Client {
            deadline,
            ..self.clone()
        }
    }

    /// The retry policy of this client's calls.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Sends the request and decodes a 2xx answer as `T`.
    pub(crate) async fn execute<T: DeserializeOwned>(&self, request: Request) -> Result<T, Error> {
        let response = self.send(request).await?;
        decode(response)
    }

    /// Everything of [`Client::execute`] that does not depend on the result type: sends the
    /// request as many times as the retry policy allows, and turns the last failure into the error.
    async fn send(&self, request: Request) -> Result<RawResponse, Error> {
        let start = tokio::time::Instant::now();
        // A deadline too far to represent is no deadline.
        let deadline = self.deadline.and_then(|d| start.checked_add(d));
        let idempotent = request.idempotent || request.method.is_idempotent();
        let prepared = self.prepare(request)?;
        let mut attempts: u32 = 0;
        loop {
            attempts += 1;
            let timeout = match deadline {
                Some(deadline) => self
                    .inner
                    .timeout
                    .min(deadline.saturating_duration_since(tokio::time::Instant::now())),
                None => self.inner.timeout,
            };
            let error = match self.attempt(&prepared, timeout).await {
                Ok(response) => return Ok(response),
                Err(error) => error,
            };
            let wait = self.retry.wait_after(&error, idempotent, attempts - 1);
            // A retry is started only if its wait ends before the deadline.
            let in_time = |wait: Duration| {
                deadline.is_none_or(|d| {
                    tokio::time::Instant::now()
                        .checked_add(wait)
                        .is_some_and(|end| end < d)
                })
            };
            match wait {
                Some(wait) if in_time(wait) => tokio::time::sleep(wait).await,
                _ => return Err(error.with_attempts(attempts)),
            }
        }
    }

    /// The parts of a request that are the same for every attempt: URL, unsigned headers and body.
    fn prepare(&self, request: Request) -> Result<Prepared, Error> {
        let inner = &*self.inner;
        let url = request_url(&inner.base_url, &request.path, &request.query);

        let mut headers = HeaderMap::new();
        headers.insert(inner.api_key_header.clone(), inner.api_key.clone());
        headers.insert(ACCEPT, header_value("Accept", request.accept.to_owned())?);
        headers.insert(USER_AGENT, inner.user_agent.clone());
        for (name, value) in request.headers {
            headers.append(header_name(name)?, header_value(name, value)?);
        }
        let body = match request.body {
            Some((content_type, bytes)) => {
                headers.insert(
                    CONTENT_TYPE,
                    header_value("Content-Type", content_type.to_owned())?,
                );
                Some(bytes)
            }
            None => None,
        };
        Ok(Prepared {
            method: request.method,
            url,
            headers,
            body,
        })
    }

    /// Makes one attempt: signs, sends, reads the answer, and turns a non-2xx answer into
    /// [`Error::Api`].
    async fn attempt(&self, request: &Prepared, timeout: Duration) -> Result<RawResponse, Error> {
        let inner = &*self.inner;
        #[allow(unused_mut)] // only signing adds headers
        let mut headers = request.headers.clone();
        // Signed over the exact bytes sent (none without a body), afresh for every attempt: the
        // server refuses a nonce it has seen.
        #[cfg(feature = "signing")]
        if let Some(signer) = &inner.signer {
            let signature = signer.sign_now(request.body.as_deref().unwrap_or_default())?;
            for (name, value) in signature.headers() {
                headers.insert(header_name(name)?, header_value(name, value)?);
            }
        }

        let mut builder = inner
            .http
            .request(request.method.clone(), request.url.clone())
            .headers(headers)
            .timeout(timeout);
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        let response = builder.send().await.map_err(transport_error)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = read_body(response, inner.max_response_bytes).await?;
        if status.is_success() {
            Ok(RawResponse { status, body })
        } else {
            Err(api_error(status, headers, &body))
        }
    }
}

/// Reads an answer's body, refusing it as soon as it is known to be longer than `max` bytes: from
/// its `Content-Length` before reading anything, or while reading (a chunked body announces no
/// length, and a `Content-Length` may lie).
async fn read_body(mut response: reqwest::Response, max: usize) -> Result<Vec<u8>, Error> {
    let status = response.status();
    let too_large = || Error::ResponseTooLarge {
        status,
        limit: max,
        attempts: 1,
    };
    let announced = response.content_length().unwrap_or(0);
    if !matches!(usize::try_from(announced), Ok(n) if n <= max) {
        return Err(too_large());
    }
    // The announced length is only a hint for the first allocation: it may lie.
    let mut body = Vec::with_capacity(usize::try_from(announced).unwrap_or(0));
    while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
        if chunk.len() > max.saturating_sub(body.len()) {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        let mut s = f.debug_struct("Client");
        s.field("base_url", &inner.base_url.as_str())
            .field("api_key", &"<redacted>");
        #[cfg(feature = "signing")]
        s.field("signing", &inner.signer.is_some());
        #[cfg(not(feature = "signing"))]
        s.field("signing", &false);
        s.field("timeout", &inner.timeout)
            .field("retry", &self.retry)
            .field("deadline", &self.deadline)
            .field("user_agent", &inner.user_agent)
            .field("max_response_bytes", &inner.max_response_bytes)
            .finish()
    }
}

/// Configures a [`Client`]. Only the API key is required.
#[derive(Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder {
    base_url: Option<String>,
    api_key: Option<String>,
    #[cfg(feature = "signing")]
    signing_key: Option<SigningKeySource>,
    timeout: Duration,
    connect_timeout: Duration,
    deadline: Option<Duration>,
    retry: RetryPolicy,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
    max_response_bytes: usize,
}

#[cfg(feature = "signing")]
#[derive(Clone)]
enum SigningKeySource {
    Pem(String),
    Signer(RequestSigner),
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: None,
            api_key: None,
            #[cfg(feature = "signing")]
            signing_key: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            deadline: None,
            retry: RetryPolicy::default(),
            user_agent: None,
            http_client: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }
}

impl ClientBuilder {
    /// The server to call: an absolute `http` or `https` URL, such as `https://api.example.com`.
    /// A path is kept and request paths are appended to it: with `https://gw.example.com/justap`
    /// (trailing slash optional), a charge is fetched from `https://gw.example.com/justap/v1/charges/{id}`.
    /// It may not have a query, a fragment or credentials.
    ///
    /// Defaults to the server the API document names.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// The merchant's API key, sent in the `X-JUSTAP-API-KEY` header of every request. Required.
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = Some(api_key.into());
        self
    }

    /// The merchant's RSA private key as PEM text, PKCS#8 (`-----BEGIN PRIVATE KEY-----`) or PKCS#1
    /// (`-----BEGIN RSA PRIVATE KEY-----`): every request is then signed with it (see
    /// [`signing`](crate::signing)). Replaces a [`signer`](ClientBuilder::signer) set before.
    ///
    /// The key is read by [`build`](ClientBuilder::build), which fails with
    /// [`Error::InvalidRequest`] when it is not a usable key.
    #[cfg(feature = "signing")]
    pub fn private_key_pem(mut self, pem: impl Into<String>) -> Self {
        self.signing_key = Some(SigningKeySource::Pem(pem.into()));
        self
    }

    /// Signs every request with this signer. Replaces a
    /// [`private_key_pem`](ClientBuilder::private_key_pem) set before.
    #[cfg(feature = "signing")]
    pub fn signer(mut self, signer: RequestSigner) -> Self {
        self.signing_key = Some(SigningKeySource::Signer(signer));
        self
    }

    /// The longest one attempt may take, from connecting to reading the last byte of the answer;
    /// past it the attempt fails with [`Error::Timeout`] (and may be retried, see [`RetryPolicy`]).
    /// Defaults to 30 seconds. Applies to a custom [`http_client`](ClientBuilder::http_client) too;
    /// must not be zero.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The longest connecting (TCP and TLS) may take. Defaults to 5 seconds; must not be zero. A
    /// custom [`http_client`](ClientBuilder::http_client) keeps its own.
    pub fn connect_timeout(mut self, connect_timeout: Duration) -> Self {
        self.connect_timeout = connect_timeout;
        self
    }

    /// The longest a whole call may take, every attempt and wait between attempts included. None
    /// by default (each attempt has its [`timeout`](ClientBuilder::timeout)); must not be zero.
    /// [`Client::with_deadline`] changes it for some calls.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// When failed calls are retried. Defaults to [`RetryPolicy::default`];
    /// [`RetryPolicy::none`] turns retries off. [`Client::with_retry_policy`] changes it for some
    /// calls.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The `User-Agent` header of every request. Defaults to `justap-rust/<version of this crate>`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Sends requests with this client (for proxies, TLS settings, connection pool sizes, ...)
    /// instead of a new one.
    ///
    /// The client made by default follows no redirect, so that the API key and signature are never
    /// sent to another server; a custom client should be built with
    /// `.redirect(reqwest::redirect::Policy::none())` too.
    pub fn http_client(mut self, http_client: reqwest::Client) -> Self {
        self.http_client = Some(http_client);
        self
    }

    /// The largest answer body the client reads, in bytes; a larger one fails the call with
    /// [`Error::ResponseTooLarge`] without being read further, so that a broken or hostile server
    /// cannot make the client hold gigabytes. Defaults to 16 MiB, far above what an answer of the
    /// API needs; must not be zero.
    pub fn max_response_bytes(mut self, max: usize) -> Self {
        self.max_response_bytes = max;
        self
    }

    /// Checks the configuration and makes the client.
    ///
    /// Fails with [`Error::InvalidRequest`] when the API key is missing or cannot be sent in a
    /// header, the base URL is not an absolute `http`/`https` URL, the private key cannot be read,
    /// the user agent cannot be sent in a header, or a timeout or the deadline is zero; with
    /// [`Error::Transport`] when the HTTP client cannot be initialized.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = parse_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;

        let api_key = match self.api_key {
            Some(key) if !key.trim().is_empty() => key,
            _ => {
                return Err(Error::InvalidRequest(
                    "an API key is required: set it with `api_key`".to_owned(),
                ))
            }
        };
        let mut api_key = HeaderValue::try_from(api_key).map_err(|_| {
            // The key itself is not repeated: error messages end up in logs.
            Error::InvalidRequest(
                "the API key contains characters that cannot be sent in an HTTP header".to_owned(),
            )
        })?;
        api_key.set_sensitive(true);

        let user_agent = match self.user_agent {
            Some(ua) => header_value("User-Agent", ua)?,
            None => HeaderValue::from_static(concat!("justap-rust/", env!("CARGO_PKG_VERSION"))),
        };

        if self.timeout.is_zero() {
            return Err(Error::InvalidRequest(
                "the timeout must be longer than zero".to_owned(),
            ));
        }
        if self.connect_timeout.is_zero() {
            return Err(Error::InvalidRequest(
                "the connect timeout must be longer than zero".to_owned(),
            ));
        }
        if self.max_response_bytes == 0 {
            return Err(Error::InvalidRequest(
                "the maximum response size must be larger than zero".to_owned(),
            ));
        }
        if self.deadline.is_some_and(|d| d.is_zero()) {
            return Err(Error::InvalidRequest(
                "the deadline must be longer than zero".to_owned(),
            ));
        }

        #[cfg(feature = "signing")]
        let signer = match self.signing_key {
            Some(SigningKeySource::Pem(pem)) => Some(RequestSigner::from_pem(&pem)?),
            Some(SigningKeySource::Signer(signer)) => Some(signer),
            None => None,
        };

        let http = match self.http_client {
            Some(http) => http,
            None => reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|e| Error::Transport(TransportError::new(e)))?,
        };

        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                api_key_header: header_name(API_KEY_HEADER)?,
                api_key,
                user_agent,
                timeout: self.timeout,
                max_response_bytes: self.max_response_bytes,
                #[cfg(feature = "signing")]
                signer,
            }),
            retry: self.retry,
            deadline: self.deadline,
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("ClientBuilder");
        s.field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"));
        #[cfg(feature = "signing")]
        s.field("signing", &self.signing_key.is_some());
        #[cfg(not(feature = "signing"))]
        s.field("signing", &false);
        s.field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("deadline", &self.deadline)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("custom_http_client", &self.http_client.is_some())
            .finish()
    }
}

/// One request of an operation, as the generated operation methods describe it.
pub(crate) struct Request {
    method: Method,
    /// The path after the base URL, starting with `/`, its parameters already encoded by
    /// [`path_param`].
    path: String,
    /// Name and items of each query parameter; several items are one comma-separated value.
    query: Vec<(Cow<'static, str>, Vec<String>)>,
    headers: Vec<(&'static str, String)>,
    /// Content type and the exact bytes to send.
    body: Option<(&'static str, Vec<u8>)>,
    accept: &'static str,
    /// Safe to repeat whatever its method: its body carries an idempotency token.
    idempotent: bool,
}

/// A request ready to be signed and sent, once per attempt.
struct Prepared {
    method: Method,
    url: Url,
    /// Every header but the signature's.
    headers: HeaderMap,
    /// The exact bytes to send, serialized once for every attempt.
    body: Option<Vec<u8>>,
}

// Which of these an operation needs depends on the spec: a spec without, say, header parameters
// leaves `header` unused.
#[allow(dead_code)]
impl Request {
    /// A request without query, extra headers or body, accepting JSON.
    pub(crate) fn new(method: Method, path: String) -> Self {
        Request {
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            accept: "application/json",
            idempotent: false,
        }
    }

    /// Marks the request as safe to repeat after it was sent: its body carries an idempotency token
    /// (see [`retry`](crate::retry)), the same on every attempt.
    pub(crate) fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    /// Adds query parameters, in order; a name may repeat (repeated fields), and a pair of several
    /// items is sent as one comma-separated value (`explode: false` arrays).
    /// Names are fixed (`&'static str`) except a map's entries (`name[key]`, owned).
    pub(crate) fn query<N: Into<Cow<'static, str>>>(
        mut self,
        pairs: Vec<(N, Vec<String>)>,
    ) -> Self {
        self.query
            .extend(pairs.into_iter().map(|(name, items)| (name.into(), items)));
        self
    }

    /// Adds a header.
    pub(crate) fn header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    /// Sets the body: `body` serialized as JSON, sent with this content type.
    pub(crate) fn json<B: serde::Serialize + ?Sized>(
        mut self,
        content_type: &'static str,
        body: &B,
    ) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            Error::InvalidRequest(format!("cannot serialize the request body: {e}"))
        })?;
        self.body = Some((content_type, bytes));
        Ok(self)
    }

    /// Sets the `Accept` header (`application/json` by default).
    pub(crate) fn accept(mut self, accept: &'static str) -> Self {
        self.accept = accept;
        self
    }
}

/// Characters of a path parameter sent as they are: RFC 3986's unreserved ones.
const PATH_PARAM_KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Encodes the value of the path parameter `name` for the request path.
///
/// The server decodes the path before routing it, so a value must not be able to change the route:
/// a value that is empty, `.`, `..` or contains `/` is rejected (even `%2F` would reach another
/// route). Every other byte outside `A-Za-z0-9-._~` is percent-encoded.
#[allow(dead_code)] // a spec without path parameters does not use it
pub(crate) fn path_param(name: &str, value: &str) -> Result<String, Error> {
    let reason = if value.is_empty() {
        Some("it is empty")
    } else if value == "." || value == ".." {
        Some("it is a relative path segment")
    } else if value.contains('/') {
        Some("it contains `/`")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(Error::InvalidRequest(format!(
            "invalid value {value:?} for the path parameter `{name}`: {reason}, which would change the request path"
        ))),
        None => Ok(utf8_percent_encode(value, PATH_PARAM_KEEP).to_string()),
    }
}

/// Refuses path values that would reach another route of the same HTTP method (`GET
/// /v1/business_users/{id}` with `search` is `GET /v1/business_users/search`). `when` holds, for each
/// path parameter involved, its name, the segment about to be sent and the other route's literal
/// segment: the request reaches `route` when every segment is its literal, encoded.
#[allow(dead_code)] // a spec whose routes never overlap does not use it
pub(crate) fn refuse_other_route(when: &[(&str, &str, &str)], route: &str) -> Result<(), Error> {
    let reaches = when.iter().all(|(_, sent, literal)| {
        *sent == utf8_percent_encode(literal, PATH_PARAM_KEEP).to_string()
    });
    if !reaches {
        return Ok(());
    }
    let values: Vec<String> = when
        .iter()
        .map(|(name, _, literal)| format!("{literal:?} for the path parameter `{name}`"))
        .collect();
    Err(Error::InvalidRequest(match when {
        [(_, _, literal)] => format!(
            "invalid value {}: {literal:?} would reach {route}",
            values.join("")
        ),
        _ => format!(
            "invalid values {}: together they would reach {route}",
            values.join(" and ")
        ),
    }))
}

/// A 2xx answer.
struct RawResponse {
    status: StatusCode,
    body: Vec<u8>,
}

/// Decodes a 2xx body as `T`; an empty body reads as `null` (so `()` and `Option` results work).
fn decode<T: DeserializeOwned>(response: RawResponse) -> Result<T, Error> {
    let empty = response.body.iter().all(u8::is_ascii_whitespace);
    let text: &[u8] = if empty { b"null" } else { &response.body };
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        // The server sent no `null` to point at: say what it sent.
        let message = if empty {
            "the body is empty".to_owned()
        } else {
            e.inner().to_string()
        };
        decode_error(&response, e.path().to_string(), message)
    })?;
    deserializer
        .end()
        .map_err(|e| decode_error(&response, ".".to_owned(), e.to_string()))?;
    Ok(value)
}

fn decode_error(response: &RawResponse, path: String, message: String) -> Error {
    let body = String::from_utf8_lossy(&response.body);
    let mut excerpt: String = body.chars().take(EXCERPT_CHARS).collect();
    if body.chars().nth(EXCERPT_CHARS).is_some() {
        excerpt.push('…');
    }
    Error::Decode(Box::new(DecodeError {
        status: response.status,
        path,
        message,
        excerpt,
        attempts: 1,
    }))
}

/// Makes the error of a non-2xx answer, decoding its body as a gRPC status when it is one.
fn api_error(status: StatusCode, headers: HeaderMap, body: &[u8]) -> Error {
    let api_status = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(fields))
            if ["code", "message"]
                .iter()
                .any(|k| fields.get(*k).is_some_and(|v| !v.is_null())) =>
        {
            serde_json::from_value::<ApiStatus>(serde_json::Value::Object(fields)).ok()
        }
        _ => None,
    };
    Error::Api(Box::new(ApiError {
        status,
        headers,
        body: String::from_utf8_lossy(body).into_owned(),
        api_status,
        attempts: 1,
    }))
}

fn transport_error(error: reqwest::Error) -> Error {
    if error.is_timeout() {
        Error::Timeout(TransportError::new(error))
    } else {
        Error::Transport(TransportError::new(error))
    }
}

/// Checks and normalizes a base URL: absolute `http(s)`, no query, fragment or credentials, path
/// ending with `/`.
fn parse_base_url(text: &str) -> Result<Url, Error> {
    // A URL with `user:password@` is not repeated: error messages end up in logs.
    let shown = if text.contains('@') {
        "(not shown, it contains `@`)".to_owned()
    } else {
        format!("{text:?}")
    };
    let invalid =
        |reason: &str| Error::InvalidRequest(format!("invalid base URL {shown}: {reason}"));
    let mut url = Url::parse(text.trim()).map_err(|e| invalid(&e.to_string()))?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.host().is_none() {
        return Err(invalid("it has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it may not have a query or a fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("it may not contain credentials"));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// The URL of a request: the base URL's path followed by `path`, then the query (form-encoded as
/// Go's server decodes it: space as `+`, `+` as `%2B`), without `?` when there is no query.
///
/// The items of a comma-separated value are encoded one by one and joined with a literal `,`, so
/// a `,` inside an item goes out as `%2C` and only the separators are bare (OpenAPI's `form`
/// style, RFC 6570 `{?list}`): a server that splits before decoding gets the items back intact.
fn request_url(base: &Url, path: &str, query: &[(Cow<'static, str>, Vec<String>)]) -> Url {
    let mut url = base.clone();
    let prefix = base.path().trim_end_matches('/');
    let separator = if path.starts_with('/') { "" } else { "/" };
    url.set_path(&format!("{prefix}{separator}{path}"));
    if !query.is_empty() {
        let mut text = String::new();
        for (name, items) in query {
            if !text.is_empty() {
                text.push('&');
            }
            text.extend(form_urlencoded::byte_serialize(name.as_bytes()));
            text.push('=');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    text.push(',');
                }
                text.extend(form_urlencoded::byte_serialize(item.as_bytes()));
            }
        }
        // Only `A-Za-z0-9*-._+%,&=` remain, which a query keeps as they are.
        url.set_query(Some(&text));
    }
    url
}

fn header_name(name: &'static str) -> Result<HeaderName, Error> {
    HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::InvalidRequest(format!("invalid HTTP header name {name:?}")))
}

fn header_value(name: &str, value: String) -> Result<HeaderValue, Error> {
    HeaderValue::try_from(value).map_err(|e| {
        Error::InvalidRequest(format!(
            "the value of the header `{name}` cannot be sent in HTTP: {e}"
        ))
    })
}
