//! Path parameters: a value that would change the route (a relative segment, `/`, another route's
//! literal segment) is refused before anything is sent; any other value reaches the server
//! percent-encoded, so the route stays the one of the operation. The encoding is checked on the
//! request line as received by a bare socket, against text written by hand.

use std::fmt::Debug;
use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::thread;
use std::time::Duration;

use justap::Error;
use justap::models::{V1BusinessUser, V1UpdateAndPatchRequestBody};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{client, decode_segment, encode_segment, ok_server, received};

/// Asserts that a call was refused as an invalid request naming the parameter and the value.
#[track_caller]
fn assert_refused<T: Debug>(result: Result<T, Error>, wire: &str, value: &str) {
    match result {
        Err(ref err @ Error::InvalidRequest(ref message)) => {
            assert!(
                message.contains(&format!("`{wire}`")),
                "{value:?} for `{wire}`: the message names the parameter: {message}"
            );
            assert!(
                message.contains(&format!("{value:?}")),
                "{value:?} for `{wire}`: the message shows the value: {message}"
            );
            assert!(!err.is_retryable());
        }
        other => panic!("{value:?} for `{wire}`: expected Error::InvalidRequest, got {other:?}"),
    }
}

#[tokio::test]
async fn values_that_would_change_the_route_are_refused_before_sending() {
    let server = ok_server("{}").await;
    let client = client(&server.uri());
    for bad in ["a/b", "..", ".", "", "x/../y"] {
        assert_refused(
            client
                .charge_service_query_charge2(bad, &Default::default())
                .await,
            "charge_id",
            bad,
        );
        assert_refused(
            client.charge_service_reverse_charge(bad).await,
            "charge_id",
            bad,
        );
        assert_refused(
            client
                .customer_service_delete_customer(bad, &Default::default())
                .await,
            "id",
            bad,
        );
        // Dotted wire names.
        assert_refused(
            client
                .business_user_service_update_user(
                    bad,
                    &Default::default(),
                    &V1BusinessUser::default(),
                )
                .await,
            "user.id",
            bad,
        );
        assert_refused(
            client
                .settlement_service_update_settlement_account2(
                    bad,
                    &Default::default(),
                    &V1UpdateAndPatchRequestBody::default(),
                )
                .await,
            "settlementAccount.id",
            bad,
        );
        // Either parameter of an operation with two.
        assert_refused(
            client
                .refund_service_query_refund(bad, "re_ok", &Default::default())
                .await,
            "charge_id",
            bad,
        );
        assert_refused(
            client
                .refund_service_query_refund("ch_ok", bad, &Default::default())
                .await,
            "refund_id",
            bad,
        );
    }
    assert!(
        received(&server).await.is_empty(),
        "nothing may be sent for a refused value"
    );
}

#[tokio::test]
async fn other_values_reach_the_server_percent_encoded_on_the_same_route() {
    let server = MockServer::start().await;
    // Only the route of ChargeService_QueryCharge2 (one segment after /v1/charges/) answers 200;
    // wiremock answers 404 to anything else.
    Mock::given(method("GET"))
        .and(path_regex(r"^/v1/charges/[^/]+$"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"object":"charge","data":{}}"#, "application/json"),
        )
        .mount(&server)
        .await;
    let client = client(&server.uri());

    for (value, encoded) in [
        ("a b?#%+中", "a%20b%3F%23%25%2B%E4%B8%AD"),
        ("%2F", "%252F"),
        ("...", "..."),
        ("a\\b", "a%5Cb"),
        (";=&@:,", "%3B%3D%26%40%3A%2C"),
        ("ch_1-x.y~z", "ch_1-x.y~z"),
    ] {
        assert_eq!(encode_segment(value), encoded, "the test's own encoder");
        client
            .charge_service_query_charge2(value, &Default::default())
            .await
            .unwrap_or_else(|e| panic!("{value:?} stays on the route of the operation: {e}"));
        let requests = received(&server).await;
        let request = requests.last().expect("one request per call");
        assert_eq!(
            request.url.path(),
            format!("/v1/charges/{encoded}"),
            "{value:?}"
        );
        assert_eq!(request.url.query(), None, "{value:?} started a query");
        let segment = request.url.path().trim_start_matches("/v1/charges/");
        assert_eq!(
            decode_segment(segment),
            value,
            "the server decodes the value as passed"
        );
    }

    // Two parameters in one path.
    let server = ok_server(r#"{"object":"refund","data":{}}"#).await;
    super::client(&server.uri())
        .refund_service_query_refund("ch 中", "re+1", &Default::default())
        .await
        .expect("encoded values are accepted");
    let requests = received(&server).await;
    assert_eq!(
        requests[0].url.path(),
        "/transaction/v1/charges/ch%20%E4%B8%AD/refunds/re%2B1"
    );
}

#[tokio::test]
async fn a_value_equal_to_a_literal_segment_of_another_route_is_refused() {
    let server = ok_server(r#"{"object":"user","data":{}}"#).await;
    let client = client(&server.uri());
    // GET /v1/business_users/{id} with "search" is GET /v1/business_users/search: SearchUsers.
    match client
        .business_user_service_retrieve_user("search", &Default::default())
        .await
    {
        Err(ref err @ Error::InvalidRequest(ref message)) => {
            assert_eq!(
                message,
                "invalid value \"search\" for the path parameter `id`: \"search\" would reach \
                 BusinessUserService_SearchUsers (GET /v1/business_users/search)"
            );
            assert!(!err.is_retryable());
        }
        other => panic!("expected Error::InvalidRequest, got {other:?}"),
    }
    assert_refused(
        client
            .customer_service_retrieve_customer("search", &Default::default())
            .await,
        "id",
        "search",
    );
    assert_refused(
        client
            .settlement_service_retrieve_settlement_account("search", &Default::default())
            .await,
        "id",
        "search",
    );
    assert!(
        received(&server).await.is_empty(),
        "nothing may be sent for a refused value"
    );

    // Only the exact segment is another route's; and DELETE has no `search` route.
    for value in ["Search", "search2", "searc"] {
        client
            .business_user_service_retrieve_user(value, &Default::default())
            .await
            .unwrap_or_else(|e| panic!("{value:?} is an id: {e}"));
    }
    client
        .business_user_service_delete_user("search", &Default::default())
        .await
        .expect("no DELETE route has the segment `search`");
    let paths: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(
        paths,
        [
            "GET /v1/business_users/Search",
            "GET /v1/business_users/search2",
            "GET /v1/business_users/searc",
            "DELETE /v1/business_users/search",
        ]
    );
}

/// A one-request HTTP server on a bare socket: it reads the request head exactly as sent (no URL
/// parsing, no re-encoding), answers 200 with `body`, and hands the head back.
fn raw_server(body: &'static str) -> (String, thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let addr = listener.local_addr().expect("bound address");
    let handle = thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("one connection");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("read timeout");
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            match stream.read(&mut byte) {
                Ok(1) => head.push(byte[0]),
                other => panic!("the request head ended early ({other:?}): {head:?}"),
            }
        }
        let answer = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(answer.as_bytes()).expect("answer");
        String::from_utf8(head).expect("a request head is ASCII")
    });
    (format!("http://{addr}"), handle)
}

/// The first line of a request head.
fn request_line(head: &str) -> &str {
    head.split("\r\n").next().unwrap_or_default()
}

#[tokio::test]
async fn the_request_line_carries_the_value_percent_encoded_as_written_here() {
    // `"{}|^`, a space, `%`, CJK and an accented letter: nothing of it is RFC 3986 unreserved
    // except `-`. Encoded by hand: 单 U+5355 = E5 8D 95, 号 U+53F7 = E5 8F B7, é U+00E9 = C3 A9.
    let (url, server) = raw_server(r#"{"object":"charge","data":{}}"#);
    client(&url)
        .charge_service_query_charge2("\"{}|^ %单号-é", &Default::default())
        .await
        .expect("the value is sent");
    let head = server.join().expect("the server thread");
    assert_eq!(
        request_line(&head),
        "GET /v1/charges/%22%7B%7D%7C%5E%20%25%E5%8D%95%E5%8F%B7-%C3%A9 HTTP/1.1",
        "{head}"
    );

    // Two values in one path, one of them left as is (only unreserved characters).
    let (url, server) = raw_server(r#"{"object":"refund","data":{}}"#);
    client(&url)
        .refund_service_query_refund("ch_1.A~z", "re 2|^", &Default::default())
        .await
        .expect("the values are sent");
    let head = server.join().expect("the server thread");
    assert_eq!(
        request_line(&head),
        "GET /transaction/v1/charges/ch_1.A~z/refunds/re%202%7C%5E HTTP/1.1",
        "{head}"
    );
}
