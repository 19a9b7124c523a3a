//! A hostile server: answers no well-behaved server sends, written byte by byte on a bare loopback
//! socket (wiremock cannot lie about `Content-Length`, cut a connection or send invalid header
//! bytes). Every answer gives a value or a typed error, never a panic, and no error's Display or
//! Debug shows the API key or the request's signature.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use justap::models::V1ChargeResponse;
use justap::{Client, Error, RetryPolicy};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

use super::{API_KEY, key};

/// A loopback server answering every connection with the same raw bytes, then closing it.
struct Hostile {
    url: String,
    /// The request heads received, in order.
    heads: Arc<Mutex<Vec<String>>>,
}

impl Hostile {
    async fn start(answer: Vec<u8>) -> Hostile {
        Hostile::serve(answer, false).await
    }

    /// Like [`Hostile::start`], but the connection stays open after the answer, silent.
    async fn stalling(answer: Vec<u8>) -> Hostile {
        Hostile::serve(answer, true).await
    }

    async fn serve(answer: Vec<u8>, stall: bool) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("bound address"));
        let heads = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&heads);
        let answer = Arc::new(answer);
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let recorded = Arc::clone(&recorded);
                let answer = Arc::clone(&answer);
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") {
                        match stream.read(&mut byte).await {
                            Ok(1) => head.push(byte[0]),
                            _ => return,
                        }
                    }
                    recorded
                        .lock()
                        .expect("the head list")
                        .push(String::from_utf8_lossy(&head).into_owned());
                    // The client may hang up first (for a body it refuses): not this server's
                    // concern.
                    let _ = stream.write_all(&answer).await;
                    if stall {
                        // Until the client hangs up.
                        let _ = stream.read(&mut byte).await;
                    }
                    let _ = stream.shutdown().await;
                });
            }
        });
        Hostile { url, heads }
    }

    fn heads(&self) -> Vec<String> {
        self.heads.lock().expect("the head list").clone()
    }
}

/// A signing client without retries and with a short timeout, so that nothing here can hang.
fn hostile_client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .api_key(API_KEY)
        .private_key_pem(key("test_private_pkcs8.pem"))
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .expect("a signing client builds")
}

/// An HTTP/1.1 answer with `status_line`, extra header lines and a body with a true length.
fn answer(status_line: &str, headers: &[&[u8]], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status_line}\r\n").into_bytes();
    for h in headers {
        out.extend_from_slice(h);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
    out
}

const JSON: &[u8] = b"Content-Type: application/json";
const CHARGE: &[u8] = br#"{"object":"charge","data":{"id":"ch_1"}}"#;

/// Makes one call against a server answering `raw`.
async fn call(raw: Vec<u8>) -> (Result<V1ChargeResponse, Error>, Vec<String>) {
    let server = Hostile::start(raw).await;
    let result = hostile_client(&server.url)
        .charge_service_query_charge2("ch_1", &Default::default())
        .await;
    (result, server.heads())
}

/// The value of a header in a request head as received.
fn head_value<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.split("\r\n").find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// Asserts that the call failed, that the request was signed, and that neither the API key nor
/// the signature appears in the error's Display or Debug; returns the error.
#[track_caller]
fn failed(case: &str, result: Result<V1ChargeResponse, Error>, heads: &[String]) -> Error {
    let error = match result {
        Err(e) => e,
        // Only the start: a value may be 64 MiB.
        Ok(v) => panic!(
            "{case}: expected an error, got {}",
            format!("{v:?}").chars().take(300).collect::<String>()
        ),
    };
    assert!(!heads.is_empty(), "{case}: the request reached the server");
    let shown = format!("{error}\n{error:?}");
    assert!(
        !shown.contains(API_KEY),
        "{case}: the API key leaks: {shown}"
    );
    for head in heads {
        let signature =
            head_value(head, "X-Justap-Signature").expect("every request of the client is signed");
        assert!(
            !shown.contains(signature),
            "{case}: the signature leaks: {shown}"
        );
    }
    error
}

#[tokio::test]
async fn a_body_cut_mid_document_is_a_decode_error() {
    let (result, heads) = call(answer("200 OK", &[JSON], br#"{"object":"cha"#)).await;
    let error = failed("cut document", result, &heads);
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn html_where_json_was_promised_is_a_decode_or_api_error() {
    let html = b"<html><body><h1>502 Bad Gateway</h1></body></html>";
    let (result, heads) = call(answer("200 OK", &[b"Content-Type: text/html"], html)).await;
    let error = failed("HTML 200", result, &heads);
    match &error {
        Error::Decode(e) => assert!(e.excerpt.contains("Bad Gateway"), "{e:?}"),
        other => panic!("expected Error::Decode, got {other:?}"),
    }

    let (result, heads) = call(answer(
        "502 Bad Gateway",
        &[b"Content-Type: text/html"],
        html,
    ))
    .await;
    let error = failed("HTML 502", result, &heads);
    match &error {
        Error::Api(e) => {
            assert_eq!(e.status.as_u16(), 502);
            assert!(e.api_status.is_none());
            assert!(e.body.contains("Bad Gateway"));
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn invalid_utf8_is_a_decode_error_in_a_2xx_and_kept_lossily_in_an_error() {
    let body = b"{\"object\":\"ch\xff\xfe\",\"data\":{}}";
    let (result, heads) = call(answer("200 OK", &[JSON], body)).await;
    let error = failed("invalid UTF-8 200", result, &heads);
    assert!(matches!(error, Error::Decode(_)), "{error:?}");

    let (result, heads) = call(answer("500 Internal Server Error", &[JSON], body)).await;
    let error = failed("invalid UTF-8 500", result, &heads);
    match &error {
        Error::Api(e) => assert!(e.body.contains('\u{FFFD}'), "{e:?}"),
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn json_nested_deeper_than_the_recursion_limit_is_an_error_not_a_stack_overflow() {
    // serde_json stops at 128 levels; 100 000 would overflow a stack without that limit.
    let depth = 100_000;
    let mut nested = br#"{"object":"charge","data":{"metadata":"#.to_vec();
    nested.extend(std::iter::repeat_n(b'[', depth));
    nested.extend(std::iter::repeat_n(b']', depth));
    nested.extend_from_slice(b"}}");
    let (result, heads) = call(answer("200 OK", &[JSON], &nested)).await;
    let error = failed("deep 200", result, &heads);
    assert!(matches!(error, Error::Decode(_)), "{error:?}");

    let (result, heads) = call(answer("400 Bad Request", &[JSON], &nested)).await;
    let error = failed("deep 400", result, &heads);
    match &error {
        Error::Api(e) => assert!(e.api_status.is_none()),
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

/// 64 MiB of `a` as the value of a string field.
fn huge_charge() -> Vec<u8> {
    let mut body = br#"{"object":""#.to_vec();
    body.resize(body.len() + 64 * 1024 * 1024, b'a');
    body.extend_from_slice(br#"","data":{}}"#);
    body
}

#[tokio::test]
async fn a_64_mib_body_is_refused_past_the_default_limit() {
    let (result, heads) = call(answer("200 OK", &[JSON], &huge_charge())).await;
    let error = failed("64 MiB 200", result, &heads);
    let text = error.to_string();
    assert!(text.contains("limit"), "the error says why: {text}");
    assert!(!error.is_retryable());
    // The same size announced by chunks, without a Content-Length.
    let mut raw = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                    Transfer-Encoding: chunked\r\n\r\n"
        .to_vec();
    for chunk in huge_charge().chunks(1 << 20) {
        raw.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        raw.extend_from_slice(chunk);
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"0\r\n\r\n");
    let (result, heads) = call(raw).await;
    let error = failed("64 MiB chunked", result, &heads);
    assert!(error.to_string().contains("limit"), "{error}");
}

#[tokio::test]
async fn a_wrong_content_type_on_valid_json_still_decodes() {
    // grpc-gateway behind a proxy sometimes loses the header; the body is what counts.
    for content_type in [&b"Content-Type: text/plain"[..], b"Content-Type: text/html"] {
        let (result, heads) = call(answer("200 OK", &[content_type], CHARGE)).await;
        assert_eq!(heads.len(), 1);
        let charge = result.expect("valid JSON decodes whatever the Content-Type");
        assert_eq!(charge.object, "charge");
    }
}

#[tokio::test]
async fn a_content_length_that_lies_is_a_typed_error() {
    // Longer than the body, then the connection closes: the body is cut short.
    let mut raw =
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"
            .to_vec();
    raw.extend_from_slice(CHARGE);
    let (result, heads) = call(raw).await;
    let error = failed("Content-Length too long", result, &heads);
    assert!(matches!(error, Error::Transport(_)), "{error:?}");

    // Shorter than the body: the client reads what was announced, a cut document.
    let mut raw =
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n".to_vec();
    raw.extend_from_slice(CHARGE);
    let (result, heads) = call(raw).await;
    let error = failed("Content-Length too short", result, &heads);
    assert!(matches!(error, Error::Decode(_)), "{error:?}");

    // Not a number at all.
    let mut raw =
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: lots\r\n\r\n"
            .to_vec();
    raw.extend_from_slice(CHARGE);
    let (result, heads) = call(raw).await;
    let error = failed("Content-Length not a number", result, &heads);
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
}

#[tokio::test]
async fn a_connection_closed_mid_body_is_a_transport_error() {
    let raw = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                Transfer-Encoding: chunked\r\n\r\n20\r\n{\"object\":\"charge\",\"da"
        .to_vec();
    let (result, heads) = call(raw).await;
    let error = failed("closed mid-body", result, &heads);
    assert!(matches!(error, Error::Transport(_)), "{error:?}");

    // Closed before any answer.
    let (result, heads) = call(Vec::new()).await;
    let error = failed("closed before answering", result, &heads);
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
}

#[tokio::test]
async fn an_empty_2xx_where_a_body_was_expected_is_a_decode_error() {
    for status in ["200 OK", "201 Created", "204 No Content"] {
        let raw = if status.starts_with("204") {
            format!("HTTP/1.1 {status}\r\n\r\n").into_bytes()
        } else {
            answer(status, &[JSON], b"")
        };
        let (result, heads) = call(raw).await;
        let error = failed(status, result, &heads);
        match &error {
            Error::Decode(e) => assert!(e.message.contains("empty"), "{status}: {e:?}"),
            other => panic!("{status}: expected Error::Decode, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn informational_answers_are_skipped_and_alone_are_a_transport_error() {
    // A 1xx before the final answer is part of HTTP/1.1: the final answer counts.
    let mut raw = b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n".to_vec();
    raw.extend(answer("200 OK", &[JSON], CHARGE));
    let (result, _) = call(raw).await;
    let charge = result.expect("the final answer after a 1xx");
    assert_eq!(charge.object, "charge");

    // A 1xx and nothing after it.
    let raw = b"HTTP/1.1 100 Continue\r\n\r\n".to_vec();
    let (result, heads) = call(raw).await;
    let error = failed("1xx alone", result, &heads);
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
}

#[tokio::test]
async fn a_redirect_is_an_api_error_and_is_not_followed() {
    // The second server records whether anything reached it: the API key and signature must not.
    let elsewhere = Hostile::start(answer("200 OK", &[JSON], CHARGE)).await;
    for status in [
        "301 Moved Permanently",
        "302 Found",
        "303 See Other",
        "307 Temporary Redirect",
        "308 Permanent Redirect",
    ] {
        let location = format!("Location: {}/v1/charges/ch_1", elsewhere.url);
        let (result, heads) = call(answer(status, &[location.as_bytes()], b"")).await;
        let error = failed(status, result, &heads);
        match &error {
            Error::Api(e) => assert_eq!(e.status.as_str(), &status[..3]),
            other => panic!("{status}: expected Error::Api, got {other:?}"),
        }
        assert!(!error.is_retryable(), "{status}");
    }
    // Leave the client time to have followed, had it done so.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        elsewhere.heads(),
        Vec::<String>::new(),
        "a redirect was followed: the API key went to another host"
    );
}

#[tokio::test]
async fn headers_with_non_ascii_bytes_do_not_break_an_answer() {
    let odd: &[&[u8]] = &[
        JSON,
        b"X-Note: caf\xc3\xa9",
        b"X-Raw: \xff\xfe\x80",
        b"Retry-After: \xe4\xb8\x80",
    ];
    let (result, _) = call(answer("200 OK", odd, CHARGE)).await;
    let charge = result.expect("odd header bytes do not stop a valid answer");
    assert_eq!(charge.object, "charge");

    let (result, heads) = call(answer(
        "503 Service Unavailable",
        odd,
        br#"{"code":14,"message":"busy"}"#,
    ))
    .await;
    let error = failed("503 with odd headers", result, &heads);
    match &error {
        Error::Api(e) => {
            assert_eq!(e.status.as_u16(), 503);
            assert_eq!(
                e.headers.get("x-raw").map(|v| v.as_bytes()),
                Some(&b"\xff\xfe\x80"[..])
            );
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }

    // A header name that is not a token: the answer is malformed.
    let (result, heads) = call(answer("200 OK", &[JSON, b"X-\xc3\xa9t\xc3\xa9: 1"], CHARGE)).await;
    let error = failed("non-ASCII header name", result, &heads);
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
}

#[tokio::test]
async fn the_response_size_limit_is_configurable_and_exact() {
    // The charge of `CHARGE` is 40 bytes: a limit of 40 reads it, 39 refuses it.
    assert_eq!(CHARGE.len(), 40);
    let server = Hostile::start(answer("200 OK", &[JSON], CHARGE)).await;
    let with_limit = |max: usize| {
        Client::builder()
            .base_url(&server.url)
            .api_key(API_KEY)
            .retry_policy(RetryPolicy::none())
            .max_response_bytes(max)
            .build()
    };
    let charge = with_limit(40)
        .expect("a client with a limit builds")
        .charge_service_query_charge2("ch_1", &Default::default())
        .await
        .expect("a body of exactly the limit is read");
    assert_eq!(charge.object, "charge");
    let error = with_limit(39)
        .expect("a client with a limit builds")
        .charge_service_query_charge2("ch_1", &Default::default())
        .await
        .expect_err("a body one byte over the limit is refused");
    match &error {
        Error::ResponseTooLarge { status, limit, .. } => {
            assert_eq!((status.as_u16(), *limit), (200, 39));
        }
        other => panic!("expected Error::ResponseTooLarge, got {other:?}"),
    }
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert!(!error.is_retryable());
    assert_eq!(error.attempts(), 1);

    // Chunked, the same body is refused while reading.
    let mut raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for chunk in CHARGE.chunks(16) {
        raw.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        raw.extend_from_slice(chunk);
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"0\r\n\r\n");
    let chunked = Hostile::start(raw).await;
    let error = Client::builder()
        .base_url(&chunked.url)
        .api_key(API_KEY)
        .retry_policy(RetryPolicy::none())
        .max_response_bytes(39)
        .build()
        .expect("a client with a limit builds")
        .charge_service_query_charge2("ch_1", &Default::default())
        .await
        .expect_err("a chunked body over the limit is refused");
    assert!(
        matches!(error, Error::ResponseTooLarge { limit: 39, .. }),
        "{error:?}"
    );

    // A limit of zero is a configuration error.
    assert!(matches!(
        with_limit(0),
        Err(Error::InvalidRequest(ref m)) if m.contains("maximum response size")
    ));
}

#[tokio::test]
async fn a_server_that_stalls_is_a_timeout_not_a_hang() {
    let quick = |url: &str| {
        Client::builder()
            .base_url(url)
            .api_key(API_KEY)
            .private_key_pem(key("test_private_pkcs8.pem"))
            .retry_policy(RetryPolicy::none())
            .timeout(Duration::from_millis(500))
            .build()
            .expect("a client with a short timeout builds")
    };
    // Silent after the head, mid-body, and before any answer.
    let mut mid_body =
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"
            .to_vec();
    mid_body.extend_from_slice(&CHARGE[..10]);
    for (case, raw) in [
        ("stalled mid-body", mid_body),
        ("stalled before answering", Vec::new()),
    ] {
        let server = Hostile::stalling(raw).await;
        let result = quick(&server.url)
            .charge_service_query_charge2("ch_1", &Default::default())
            .await;
        let error = failed(case, result, &server.heads());
        assert!(matches!(error, Error::Timeout(_)), "{case}: {error:?}");
    }
}

#[tokio::test]
async fn other_statuses_without_the_promised_body_are_typed_errors() {
    // 304 without a request for it, a 101 switching to nothing, a status outside 100-599.
    for (case, raw) in [
        ("304", b"HTTP/1.1 304 Not Modified\r\n\r\n".to_vec()),
        (
            "101",
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                .to_vec(),
        ),
        ("999", answer("999 Whatever", &[JSON], CHARGE)),
        ("garbage", b"NOT HTTP AT ALL\r\n\r\n".to_vec()),
    ] {
        let (result, heads) = call(raw).await;
        let error = failed(case, result, &heads);
        assert!(
            matches!(error, Error::Api(_) | Error::Transport(_)),
            "{case}: {error:?}"
        );
    }
}
