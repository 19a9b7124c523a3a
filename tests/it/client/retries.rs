//! Automatic retries against a live loopback server: what is repeated (and what never is), each
//! attempt signed afresh over the same bytes, `Retry-After`, deadlines, the attempt count in the
//! error, and the idempotency token of the fixture crate (`tests/fixtures/specs/params.yaml`,
//! `v1CreateThingRequest.client_token`). Waits are shortened by a test policy with tiny backoffs,
//! except where the wait itself is under test.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use justap::models::{V1ChargeResponse, V1CreateChargeRequest};
use justap::{Client, Error, RetryPolicy};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::errors::refusing_address;
use super::{API_KEY, check_signed, header, key, received};

/// The default policy with backoffs of a few milliseconds, so that tests do not sleep.
fn fast() -> RetryPolicy {
    RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(5))
}

/// A client of `base_url` signing with the test key, with this retry policy.
fn retrying_client(base_url: &str, policy: RetryPolicy) -> Client {
    Client::builder()
        .base_url(base_url)
        .api_key(API_KEY)
        .private_key_pem(key("test_private_pkcs8.pem"))
        .retry_policy(policy)
        .build()
        .expect("a retrying client builds")
}

/// Mounts answers in order: each of `first` once, then `then` for every later request.
async fn answers(first: Vec<ResponseTemplate>, then: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    // wiremock tries mocks by priority (1 first); each one-shot mock stops matching once used.
    for (i, answer) in first.into_iter().enumerate() {
        Mock::given(wiremock::matchers::any())
            .respond_with(answer)
            .up_to_n_times(1)
            .with_priority(u8::try_from(i + 1).expect("few answers"))
            .mount(&server)
            .await;
    }
    Mock::given(wiremock::matchers::any())
        .respond_with(then)
        .with_priority(100)
        .mount(&server)
        .await;
    server
}

fn status(code: u16) -> ResponseTemplate {
    ResponseTemplate::new(code).set_body_raw(
        format!(r#"{{"code":14,"message":"status {code}"}}"#),
        "application/json",
    )
}

fn ok_charge() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(
        r#"{"object":"charge","data":{"charge_id":"ch_1"}}"#,
        "application/json",
    )
}

async fn query_charge(client: &Client) -> Result<V1ChargeResponse, Error> {
    client
        .charge_service_query_charge2("ch_1", &Default::default())
        .await
}

async fn create_charge(client: &Client) -> Result<V1ChargeResponse, Error> {
    let request = V1CreateChargeRequest {
        app_id: "app_1".to_owned(),
        merchant_trade_id: "order-42".to_owned(),
        amount: 1.5,
        ..Default::default()
    };
    client.charge_service_charges2(&request).await
}

#[tokio::test]
async fn a_get_answered_503_then_200_succeeds_with_two_signed_attempts() {
    let server = answers(vec![status(503)], ok_charge()).await;
    let client = retrying_client(&server.uri(), fast());

    let charge = query_charge(&client).await.expect("the retry succeeds");
    assert_eq!(charge.data.map(|c| c.charge_id).as_deref(), Some("ch_1"));

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2, "one retry");
    let first = check_signed(&requests[0]).expect("the first attempt is signed");
    let second = check_signed(&requests[1]).expect("the retry is signed");
    assert_ne!(first.nonce, second.nonce, "each attempt has its own nonce");
    assert_ne!(first.signature, second.signature);
}

#[tokio::test]
async fn a_post_answered_503_is_not_repeated_by_default() {
    let server = answers(vec![], status(503)).await;
    let client = retrying_client(&server.uri(), fast());

    let err = create_charge(&client).await.expect_err("503");
    assert_eq!(received(&server).await.len(), 1, "a POST is sent once");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.attempts(), 1);
    assert!(
        err.is_retryable(),
        "a 503 is retryable, even when the client did not retry it"
    );
}

#[tokio::test]
async fn a_post_is_repeated_over_the_same_bytes_when_the_caller_opts_in() {
    let server = answers(vec![status(503), status(502)], ok_charge()).await;
    let client = retrying_client(&server.uri(), RetryPolicy::none());

    let opted_in = client.with_retry_policy(fast().assume_idempotent(true));
    create_charge(&opted_in)
        .await
        .expect("the third attempt succeeds");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    let nonces: Vec<String> = requests
        .iter()
        .map(|r| check_signed(r).expect("every attempt is signed").nonce)
        .collect();
    assert!(nonces[0] != nonces[1] && nonces[1] != nonces[2] && nonces[0] != nonces[2]);
    assert!(!requests[0].body.is_empty());
    for r in &requests[1..] {
        assert_eq!(
            r.body, requests[0].body,
            "every attempt sends the same bytes"
        );
    }
    // The client it was derived from keeps its own policy.
    assert_eq!(client.retry_policy(), &RetryPolicy::none());
}

/// Sends one call of each HTTP method the spec uses to a server that always answers 503, and
/// returns how many requests each reached the server.
async fn attempts_by_method(policy: RetryPolicy) -> Vec<(&'static str, usize)> {
    let mut seen = Vec::new();
    for method in ["GET", "PUT", "DELETE", "POST", "PATCH"] {
        let server = answers(vec![], status(503)).await;
        let client = retrying_client(&server.uri(), policy.clone());
        let user = justap::models::V1BusinessUser::default();
        let err = match method {
            "GET" => query_charge(&client).await.map(drop),
            "PUT" => client
                .business_user_service_update_user("u1", &Default::default(), &user)
                .await
                .map(drop),
            "DELETE" => client
                .business_user_service_delete_user("u1", &Default::default())
                .await
                .map(drop),
            "POST" => create_charge(&client).await.map(drop),
            _ => client
                .business_user_service_update_user2("u1", &Default::default(), &user)
                .await
                .map(drop),
        }
        .expect_err("503");
        let requests = received(&server).await;
        assert!(requests.iter().all(|r| r.method.as_str() == method));
        assert_eq!(usize::try_from(err.attempts()).ok(), Some(requests.len()));
        seen.push((method, requests.len()));
    }
    seen
}

#[tokio::test]
async fn only_methods_safe_to_repeat_are_retried_after_sending_unless_the_caller_opts_in() {
    assert_eq!(
        attempts_by_method(fast()).await,
        [
            ("GET", 3),
            ("PUT", 3),
            ("DELETE", 3),
            ("POST", 1),
            ("PATCH", 1)
        ]
    );
    assert_eq!(
        attempts_by_method(fast().assume_idempotent(true)).await,
        [
            ("GET", 3),
            ("PUT", 3),
            ("DELETE", 3),
            ("POST", 3),
            ("PATCH", 3)
        ]
    );
}

#[tokio::test]
async fn a_timeout_after_sending_is_retried_for_a_get_but_not_for_a_post() {
    let slow = ResponseTemplate::new(200)
        .set_body_raw(r#"{"object":"charge"}"#, "application/json")
        .set_delay(Duration::from_secs(2));
    let server = answers(vec![], slow).await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key(API_KEY)
        .timeout(Duration::from_millis(200))
        .retry_policy(fast())
        .build()
        .expect("client builds");

    let err = create_charge(&client).await.expect_err("times out");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert_eq!(
        received(&server).await.len(),
        1,
        "the charge may have been made"
    );

    let err = query_charge(&client).await.expect_err("times out");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert_eq!(err.attempts(), 3);
    assert_eq!(received(&server).await.len(), 1 + 3);
}

#[tokio::test]
async fn a_post_whose_connection_is_refused_is_retried() {
    let (held, addr) = refusing_address();
    let client = retrying_client(&format!("http://{addr}"), fast());

    let err = create_charge(&client).await.expect_err("nobody listens");
    let Error::Transport(inner) = &err else {
        panic!("expected Error::Transport, got {err:?}")
    };
    assert!(inner.is_connect(), "{inner:?}");
    assert_eq!(
        err.attempts(),
        3,
        "nothing was sent: retried even as a POST"
    );
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
    drop(held);
}

#[tokio::test]
async fn client_errors_are_never_retried() {
    for (code, grpc) in [(400, 3), (401, 16), (403, 7), (404, 5), (409, 6)] {
        let answer = ResponseTemplate::new(code).set_body_raw(
            format!(r#"{{"code":{grpc},"message":"no"}}"#),
            "application/json",
        );
        let server = answers(vec![], answer).await;
        let client = retrying_client(&server.uri(), fast().assume_idempotent(true));

        let err = query_charge(&client).await.expect_err("4xx");
        assert_eq!(received(&server).await.len(), 1, "{code} is sent once");
        assert_eq!(err.attempts(), 1, "{code}");
        assert!(!err.is_retryable(), "{code}");
    }
}

#[tokio::test]
async fn a_409_aborted_is_retried() {
    let aborted = ResponseTemplate::new(409).set_body_raw(
        r#"{"code":10,"message":"concurrent update"}"#,
        "application/json",
    );
    let server = answers(vec![aborted], ok_charge()).await;
    let client = retrying_client(&server.uri(), fast());

    query_charge(&client).await.expect("the retry succeeds");
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn retry_after_of_one_second_is_waited() {
    let busy = status(503).insert_header("Retry-After", "1");
    let server = answers(vec![busy], ok_charge()).await;
    let client = retrying_client(&server.uri(), fast());

    let start = Instant::now();
    query_charge(&client).await.expect("the retry succeeds");
    let elapsed = start.elapsed();
    assert!(
        elapsed >= Duration::from_secs(1),
        "Retry-After: 1 replaces the 1 ms backoff, waited {elapsed:?}"
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn retry_after_of_an_hour_ends_the_retries_at_once() {
    let server = answers(vec![], status(429).insert_header("Retry-After", "3600")).await;
    let client = retrying_client(&server.uri(), fast());

    let start = Instant::now();
    let err = query_charge(&client).await.expect_err("429");
    assert!(start.elapsed() < Duration::from_secs(5), "not waited");
    assert_eq!(received(&server).await.len(), 1);
    assert_eq!(err.attempts(), 1);
    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(
        api.headers.get("retry-after").and_then(|v| v.to_str().ok()),
        Some("3600"),
        "the caller sees how long the server asked to wait"
    );
}

#[tokio::test]
async fn a_deadline_shorter_than_the_backoff_returns_promptly() {
    let server = answers(vec![], status(503)).await;
    let slow = RetryPolicy::default().backoff(Duration::from_secs(4), Duration::from_secs(5));
    let client =
        retrying_client(&server.uri(), slow).with_deadline(Some(Duration::from_millis(300)));

    let start = Instant::now();
    let err = query_charge(&client).await.expect_err("503");
    let elapsed = start.elapsed();
    assert!(
        elapsed < Duration::from_secs(1),
        "a retry that cannot start before the deadline is not waited for ({elapsed:?})"
    );
    assert_eq!(received(&server).await.len(), 1);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
}

#[tokio::test]
async fn a_deadline_cuts_an_attempt_short() {
    // Bound but never accepted: the handshake completes, nobody answers.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let addr = listener.local_addr().expect("bound address");
    let client = Client::builder()
        .base_url(format!("http://{addr}"))
        .api_key(API_KEY)
        .timeout(Duration::from_secs(30))
        .deadline(Duration::from_millis(300))
        .retry_policy(fast())
        .build()
        .expect("client builds");

    let start = Instant::now();
    let err = query_charge(&client).await.expect_err("no answer");
    let elapsed = start.elapsed();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(
        elapsed >= Duration::from_millis(250) && elapsed < Duration::from_secs(3),
        "the 300 ms deadline, not the 30 s timeout ({elapsed:?})"
    );
    drop(listener);
}

#[tokio::test]
async fn three_failures_return_the_last_error_with_the_attempt_count() {
    let server = answers(vec![status(503), status(502)], status(500)).await;
    let client = retrying_client(&server.uri(), fast());

    let err = query_charge(&client)
        .await
        .expect_err("every attempt fails");
    assert_eq!(received(&server).await.len(), 3, "1 attempt + 2 retries");
    assert_eq!(
        err.status().map(|s| s.as_u16()),
        Some(500),
        "the last answer"
    );
    assert_eq!(err.attempts(), 3);
    assert!(err.is_retryable());
    assert_eq!(
        err.to_string(),
        "HTTP 500 Internal Server Error: status 500 (gRPC code 14) (after 3 attempts)"
    );

    // Nothing secret in what a log would show of the error or the client.
    let requests = received(&server).await;
    let signature = header(&requests[2], "X-Justap-Signature").expect("signed");
    for shown in [format!("{err}"), format!("{err:?}"), format!("{client:?}")] {
        assert!(!shown.contains(API_KEY), "API key in {shown}");
        assert!(!shown.contains(signature), "signature in {shown}");
        assert!(!shown.contains("PRIVATE KEY"), "private key in {shown}");
    }
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let server = answers(vec![], status(503)).await;
    let client = retrying_client(&server.uri(), RetryPolicy::none());

    let err = query_charge(&client).await.expect_err("503");
    assert_eq!(received(&server).await.len(), 1);
    assert_eq!(err.attempts(), 1);
}

mod idempotency_token {
    use justap_params_fixture::models::V1CreateThingRequest;
    use justap_params_fixture::{Client, RetryPolicy};
    use serde_json::Value;

    use super::{answers, status};
    use crate::client::{API_KEY, received};

    /// The fixture crate's own `RetryPolicy` type, with tiny backoffs.
    fn fast() -> RetryPolicy {
        RetryPolicy::default().backoff(
            std::time::Duration::from_millis(1),
            std::time::Duration::from_millis(5),
        )
    }

    fn fixture_client(base_url: &str, policy: RetryPolicy) -> Client {
        Client::builder()
            .base_url(base_url)
            .api_key(API_KEY)
            .retry_policy(policy)
            .build()
            .expect("a fixture client builds")
    }

    fn ok_thing() -> wiremock::ResponseTemplate {
        wiremock::ResponseTemplate::new(200).set_body_raw(r#"{"id":"t1"}"#, "application/json")
    }

    /// The `client_token` of each request the server received.
    async fn tokens(server: &wiremock::MockServer) -> Vec<String> {
        received(server)
            .await
            .iter()
            .map(|r| {
                let body: Value = serde_json::from_slice(&r.body).expect("a JSON body");
                body["client_token"]
                    .as_str()
                    .expect("client_token is sent as a string")
                    .to_owned()
            })
            .collect()
    }

    #[tokio::test]
    async fn an_empty_token_is_filled_once_and_the_post_retried_with_it() {
        let server = answers(vec![status(503), status(500)], ok_thing()).await;
        let client = fixture_client(&server.uri(), fast());

        let request = V1CreateThingRequest {
            name: Some("widget".to_owned()),
            client_token: None,
        };
        let thing = client
            .thing_service_create_thing(&request)
            .await
            .expect("retried until it succeeds");
        assert_eq!(thing.id.as_deref(), Some("t1"));

        let tokens = tokens(&server).await;
        assert_eq!(tokens.len(), 3, "a POST with a token is retried");
        let token = &tokens[0];
        assert!(
            !token.is_empty() && token.len() <= 64 && token.is_ascii(),
            "{token:?}: at most 64 ASCII characters"
        );
        assert!(tokens.iter().all(|t| t == token), "one token: {tokens:?}");
        assert_eq!(
            request.client_token, None,
            "the caller's request is not changed"
        );

        // The next call gets a token of its own.
        client
            .thing_service_create_thing(&request)
            .await
            .expect("succeeds");
        let later = received(&server).await;
        let last: Value = serde_json::from_slice(&later[3].body).expect("JSON");
        assert_ne!(last["client_token"].as_str(), Some(token.as_str()));
    }

    #[tokio::test]
    async fn a_token_set_by_the_caller_is_sent_as_it_is() {
        for set in ["", "tok-123"] {
            let server = answers(vec![status(503)], ok_thing()).await;
            let client = fixture_client(&server.uri(), fast());
            let request = V1CreateThingRequest {
                name: None,
                client_token: Some(set.to_owned()),
            };
            client
                .thing_service_create_thing(&request)
                .await
                .expect("the retry succeeds");
            let tokens = tokens(&server).await;
            assert_eq!(tokens.len(), 2);
            assert_eq!(tokens[0], tokens[1]);
            if set.is_empty() {
                assert!(!tokens[0].is_empty(), "an empty token counts as unset");
            } else {
                assert_eq!(tokens[0], set);
            }
        }
    }
}
