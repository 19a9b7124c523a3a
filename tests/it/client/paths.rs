//! Path parameters: a value that would change the route is refused before anything is sent; any
//! other value reaches the server percent-encoded, so the route stays the one of the operation.

use std::fmt::Debug;

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
