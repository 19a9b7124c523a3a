//! What a call returns when the server (or the network) does not give a usable answer.

use std::net::{SocketAddr, TcpListener};
use std::time::{Duration, Instant};

use justap::models::V1ChargeResponse;
use justap::params::ChargeServiceQueryChargeListParams;
use justap::{ApiStatus, Client, Error, RetryPolicy};
use serde_json::json;
use socket2::{Domain, Protocol, Socket, Type};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{API_KEY, client, received};

/// A server answering every request with this status, body and content type.
async fn answering(status: u16, body: &str, content_type: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_owned(), content_type))
        .mount(&server)
        .await;
    server
}

async fn query_charge(client: &Client) -> Result<V1ChargeResponse, Error> {
    client
        .charge_service_query_charge2("ch_missing", &Default::default())
        .await
}

#[tokio::test]
async fn not_found_with_a_grpc_status_is_an_api_error_with_the_status_decoded() {
    let body = r#"{"code":5,"message":"charge ch_missing not found","details":[{"@type":"type.googleapis.com/google.rpc.ResourceInfo","resourceName":"ch_missing"}]}"#;
    let server = answering(404, body, "application/json").await;
    let err = query_charge(&client(&server.uri()))
        .await
        .expect_err("a 404 is an error");

    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(api.body, body, "the raw body is kept");
    let expected = ApiStatus {
        code: 5, // the gRPC code (NOT_FOUND), not the HTTP status
        message: "charge ch_missing not found".to_owned(),
        details: vec![json!({
            "@type": "type.googleapis.com/google.rpc.ResourceInfo",
            "resourceName": "ch_missing",
        })],
    };
    assert_eq!(api.api_status.as_ref(), Some(&expected));
    assert_eq!(
        api.headers.get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/json"[..]),
        "the answer's headers are kept"
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(err.api_status(), Some(&expected));
    assert!(!err.is_retryable(), "a 404 fails the same way again");
    let text = err.to_string();
    assert!(
        text.contains("404") && text.contains("charge ch_missing not found"),
        "{text}"
    );
    assert_eq!(received(&server).await.len(), 1, "sent once, not retried");
}

#[tokio::test]
async fn a_server_error_with_an_html_page_is_a_retryable_api_error_keeping_the_page() {
    let html = "<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n\
                <center><h1>500 Internal Server Error</h1></center>\r\n<hr><center>nginx</center>\r\n\
                </body>\r\n</html>\r\n";
    let server = answering(500, html, "text/html").await;
    let err = query_charge(&client(&server.uri()))
        .await
        .expect_err("a 500 is an error");

    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(api.status.as_u16(), 500);
    assert_eq!(api.body, html, "the raw body is kept");
    assert_eq!(api.api_status, None, "an HTML page is not a gRPC status");
    assert_eq!(err.api_status(), None);
    assert!(err.is_retryable(), "a 500 may succeed when called again");
}

#[tokio::test]
async fn retryable_statuses() {
    // What grpc-gateway sends with each status: the gRPC code it maps from, by number or (as some
    // proxies write it) by name, and a `Retry-After` where waiting helps.
    let cases = [
        (
            401,
            r#"{"code":16,"message":"invalid signature","details":[]}"#,
            None,
            false,
        ),
        (
            403,
            r#"{"code":7,"message":"app_1 is disabled"}"#,
            None,
            false,
        ),
        (
            429,
            r#"{"code":8,"message":"rate limited","details":null}"#,
            Some("30"),
            true,
        ),
        (
            503,
            r#"{"code":"UNAVAILABLE","message":"try again"}"#,
            Some("5"),
            true,
        ),
    ];
    let expected = [
        (16, "invalid signature"),
        (7, "app_1 is disabled"),
        (8, "rate limited"),
        (14, "try again"),
    ];
    for ((status, body, retry_after, retryable), (code, message)) in cases.into_iter().zip(expected)
    {
        let server = MockServer::start().await;
        let mut answer = ResponseTemplate::new(status).set_body_raw(body, "application/json");
        if let Some(seconds) = retry_after {
            answer = answer.insert_header("Retry-After", seconds);
        }
        Mock::given(wiremock::matchers::any())
            .respond_with(answer)
            .mount(&server)
            .await;
        // What one answer says; what a retrying client does with it is tests/it/client/retries.rs
        // (the default policy would wait out the 503's `Retry-After: 5` twice).
        let no_retries = client(&server.uri()).with_retry_policy(RetryPolicy::none());
        let err = query_charge(&no_retries).await.expect_err("not 2xx");
        let Error::Api(api) = &err else {
            panic!("{status}: expected Error::Api, got {err:?}")
        };
        assert_eq!(api.status.as_u16(), status);
        assert_eq!(api.body, body, "{status}: the raw body is kept");
        let decoded = ApiStatus {
            code,
            message: message.to_owned(),
            details: Vec::new(),
        };
        assert_eq!(api.api_status.as_ref(), Some(&decoded), "{status}");
        assert_eq!(
            api.headers.get("retry-after").and_then(|v| v.to_str().ok()),
            retry_after,
            "{status}: Retry-After"
        );
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(err.api_status(), Some(&decoded));
        assert_eq!(err.is_retryable(), retryable, "{status}");
    }
}

#[tokio::test]
async fn a_wrong_typed_field_is_a_decode_error_naming_the_field() {
    // One charge, then a list: the path names the field, with the index in a list.
    for (body, path) in [
        (
            r#"{"object":"charge","data":{"charge_id":"ch_1","amount":"lots"}}"#,
            "data.amount",
        ),
        (
            r#"{"object":"charge","data":{"charge_id":"ch_1","paid_ts":"17x"}}"#,
            "data.paid_ts",
        ),
        (
            r#"{"object":"charge","data":{"charge_id":7}}"#,
            "data.charge_id",
        ),
    ] {
        let server = answering(200, body, "application/json").await;
        let err = query_charge(&client(&server.uri()))
            .await
            .expect_err("the body does not decode");
        let Error::Decode(decode) = &err else {
            panic!("{body}: expected Error::Decode, got {err:?}")
        };
        assert_eq!(decode.path, path, "{body}: {}", decode.message);
        assert_eq!(decode.status.as_u16(), 200);
        assert!(body.starts_with(&decode.excerpt), "{}", decode.excerpt);
        assert_eq!(err.api_status(), None, "a 2xx carries no gRPC status");
        assert!(!err.is_retryable());
        assert!(err.to_string().contains(path), "{err}");
    }

    let list =
        r#"{"object":"list","data":[{"charge_id":"a","amount":1},{"charge_id":"b","amount":[]}]}"#;
    let server = answering(200, list, "application/json").await;
    let err = client(&server.uri())
        .charge_service_query_charge_list(&ChargeServiceQueryChargeListParams::default())
        .await
        .expect_err("the body does not decode");
    let Error::Decode(decode) = &err else {
        panic!("expected Error::Decode, got {err:?}")
    };
    assert_eq!(decode.path, "data[1].amount", "{}", decode.message);
    assert_eq!(decode.status.as_u16(), 200);
    assert_eq!(err.api_status(), None);
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    for (body, path) in [
        // A value missing inside a field: the field is named.
        (
            r#"{"object":"charge","data":{"charge_id":"ch_1","amount":}}"#,
            "data.amount",
        ),
        // Not JSON at all, or trailing garbage: the document itself.
        ("<html>gateway</html>", "."),
        (r#"{"object":"charge"} {"object":"charge"}"#, "."),
    ] {
        let server = answering(200, body, "application/json").await;
        let err = query_charge(&client(&server.uri()))
            .await
            .expect_err("the body does not decode");
        let Error::Decode(decode) = &err else {
            panic!("{body}: expected Error::Decode, got {err:?}")
        };
        assert_eq!(decode.path, path, "{body}: {}", decode.message);
        assert_eq!(decode.status.as_u16(), 200);
        assert_eq!(decode.excerpt, body);
        assert_eq!(err.api_status(), None);
        assert!(!err.is_retryable());
    }
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    // Bound but never accepted: the kernel completes the handshake, nobody ever answers.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let addr = listener.local_addr().expect("bound address");
    let client = Client::builder()
        .base_url(format!("http://{addr}"))
        .api_key(API_KEY)
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client builds");

    let start = Instant::now();
    let err = query_charge(&client)
        .await
        .expect_err("no answer is an error");
    let elapsed = start.elapsed();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(err.status(), None);
    assert_eq!(err.api_status(), None);
    // The default policy retries a timed-out GET twice: 3 attempts of 300 ms, and backoffs of at
    // most 0.5 s and 1 s between them.
    assert_eq!(err.attempts(), 3);
    assert!(
        elapsed >= Duration::from_millis(3 * 250) && elapsed < Duration::from_secs(6),
        "timed out after {elapsed:?}, configured 300 ms per attempt"
    );
    drop(listener);
}

/// A loopback address where connections are refused for as long as the returned socket lives: a
/// TCP socket bound there that never listens. The kernel answers a connection attempt to a port
/// without a listener with a reset; and since the socket is bound without `SO_REUSEADDR`, nothing
/// else can bind the port meanwhile (not a test's server started in parallel, which binding a
/// listener, reading its port and dropping it would have let in), nor take it as the source port of
/// an outgoing connection.
pub(super) fn refusing_address() -> (Socket, SocketAddr) {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP)).expect("a socket");
    socket
        .bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())
        .expect("bind a loopback port");
    let addr = socket
        .local_addr()
        .expect("bound address")
        .as_socket()
        .expect("an IP address");
    (socket, addr)
}

#[tokio::test]
async fn a_refused_connection_is_a_retryable_transport_error() {
    let (held, addr) = refusing_address();

    let err = query_charge(&client(&format!("http://{addr}")))
        .await
        .expect_err("nobody listens");
    let Error::Transport(inner) = &err else {
        panic!("expected Error::Transport, got {err:?}")
    };
    assert!(inner.is_connect(), "{inner:?}");
    assert!(err.is_retryable());
    assert_eq!(err.status(), None);
    assert_eq!(err.api_status(), None);
    assert!(
        err.to_string().to_lowercase().contains("refused"),
        "the cause is shown: {err}"
    );
    drop(held);
}

/// grpc-gateway always writes a JSON object for a 2xx, `{}` for an empty message: an empty body is
/// something between the server and us losing the answer (of a call that may have created a
/// charge), so it is a decoding error carrying the status, not a default value that looks like an
/// answer.
#[tokio::test]
async fn an_empty_2xx_body_is_a_decode_error_and_an_empty_object_the_default() {
    for (status, body) in [(200, ""), (200, " \r\n"), (204, "")] {
        let server = answering(status, body, "application/json").await;
        let err = query_charge(&client(&server.uri()))
            .await
            .expect_err("an empty body is no answer");
        let Error::Decode(decode) = &err else {
            panic!("{status} {body:?}: expected Error::Decode, got {err:?}")
        };
        assert_eq!(decode.status.as_u16(), status);
        assert_eq!(decode.path, ".", "the document itself");
        assert_eq!(decode.excerpt, body);
        // Said as it is, not as the `null` the body is read as ("invalid type: null ... at line 1
        // column 4" of a body with no line 1).
        assert_eq!(decode.message, "the body is empty");
        assert!(err.to_string().contains("the body is empty"), "{err}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(err.api_status(), None);
        assert!(!err.is_retryable());
    }

    let server = answering(200, "{}", "application/json").await;
    let empty = query_charge(&client(&server.uri()))
        .await
        .expect("an empty object is an answer");
    assert_eq!(empty, V1ChargeResponse::default());
}
