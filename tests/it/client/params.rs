//! Query and header parameters, through the fixture crate `justap_params_fixture` (generated from
//! `tests/fixtures/specs/params.yaml`: spec/justap.yaml has no array, header or required query
//! parameters). Every expected query string is written by hand: form encoding as Go's server
//! decodes it (space → `+`, `+` → `%2B`, every byte outside `A-Za-z0-9*-._` as `%XX`), arrays as
//! repeated keys or, for `explode: false`, one value with literal `,` separators (OpenAPI's
//! `style: form` serialization, RFC 6570 `{?list}`), a comma inside an item escaped as `%2C`.

use justap_params_fixture::params::{
    ThingServiceListThingsParams, ThingServicePurgeThingsParams, ThingServiceSearchThingsParams,
};
use justap_params_fixture::{Client, Error};
use wiremock::Request;

use super::{API_KEY, header, ok_server, received};

fn fixture_client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .api_key(API_KEY)
        .build()
        .expect("a client with a base URL and an API key builds")
}

/// The one request the server received.
async fn only_request(server: &wiremock::MockServer) -> Request {
    let mut requests = received(server).await;
    assert_eq!(requests.len(), 1, "exactly one request");
    requests.remove(0)
}

#[tokio::test]
async fn every_kind_of_parameter_reaches_the_server_exactly() {
    let server = ok_server(r#"{"id": "t"}"#).await;
    let params = ThingServiceListThingsParams {
        q: "a+b c&d=é".to_owned(),
        limit: 25,
        tags: vec!["a".to_owned(), "b+c".to_owned()],
        created_lt: Some("2024-01-01T00:00:00+08:00".to_owned()),
        include_deleted: Some(false),
        x_request_id: "req-1".to_owned(),
        x_trace_tag: Some("blue green".to_owned()),
        x_retry_count: Some(3),
        x_tags: vec!["a".to_owned(), "b c".to_owned()],
        ..Default::default()
    };
    let thing = fixture_client(&server.uri())
        .thing_service_list_things("t é", &params)
        .await
        .expect("200 with a thing");
    assert_eq!(thing.id.as_deref(), Some("t"));

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/v1/things/t%20%C3%A9");
    assert_eq!(
        request.url.query(),
        Some(
            "q=a%2Bb+c%26d%3D%C3%A9&limit=25&tags=a&tags=b%2Bc\
             &created.lt=2024-01-01T00%3A00%3A00%2B08%3A00&include_deleted=false"
        )
    );
    assert_eq!(header(&request, "X-Request-Id"), Some("req-1"));
    assert_eq!(header(&request, "X-Trace-Tag"), Some("blue green"));
    assert_eq!(header(&request, "X-Retry-Count"), Some("3"));
    // One header line, the items comma-separated, though the spec says `explode: true`.
    assert_eq!(request.headers.get_all("X-Tags").iter().count(), 1);
    assert_eq!(header(&request, "X-Tags"), Some("a,b c"));
    assert_eq!(header(&request, "X-JUSTAP-API-KEY"), Some(API_KEY));
}

#[tokio::test]
async fn required_parameters_are_sent_when_empty_and_unset_optional_ones_are_not() {
    let server = ok_server("{}").await;
    fixture_client(&server.uri())
        .thing_service_list_things("t", &ThingServiceListThingsParams::default())
        .await
        .expect("200");

    let request = only_request(&server).await;
    // Required means always sent: the empty text and the zero, as the user left them.
    assert_eq!(request.url.query(), Some("q=&limit=0"));
    assert_eq!(header(&request, "X-Request-Id"), Some(""));
    for absent in ["X-Trace-Tag", "X-Retry-Count", "X-Tags"] {
        assert_eq!(header(&request, absent), None, "{absent} is unset");
    }
}

#[tokio::test]
async fn comma_joined_arrays_escape_commas_inside_items_only() {
    let server = ok_server("{}").await;
    let params = ThingServiceListThingsParams {
        q: "x".to_owned(),
        limit: 1,
        ids: vec![1, -2, 3],
        names: vec!["x,y".to_owned(), "z".to_owned(), "a b+c".to_owned()],
        ..Default::default()
    };
    fixture_client(&server.uri())
        .thing_service_list_things("t", &params)
        .await
        .expect("200");

    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some("q=x&limit=1&ids=1,-2,3&names=x%2Cy,z,a+b%2Bc")
    );
}

#[tokio::test]
async fn repeated_keys_keep_dotted_names_and_no_query_means_no_question_mark() {
    let server = ok_server("{}").await;
    let client = fixture_client(&server.uri());
    let params = ThingServiceSearchThingsParams {
        owner_ids: vec![7, 8],
        page_token: Some("p&q".to_owned()),
    };
    client
        .thing_service_search_things(&params)
        .await
        .expect("200");
    client
        .thing_service_search_things(&ThingServiceSearchThingsParams::default())
        .await
        .expect("200");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].url.query(),
        Some("page_token=p%26q&owner.ids=7&owner.ids=8")
    );
    assert_eq!(requests[1].url.query(), None);
    assert!(
        requests[1].url.as_str().ends_with("/v1/things"),
        "no `?`: {}",
        requests[1].url
    );
}

#[tokio::test]
async fn header_only_operation_sends_no_query() {
    let server = ok_server("{}").await;
    let params = ThingServicePurgeThingsParams {
        x_confirm: "yes".to_owned(),
    };
    fixture_client(&server.uri())
        .thing_service_purge_things(&params)
        .await
        .expect("200");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(request.url.query(), None);
    assert_eq!(header(&request, "X-Confirm"), Some("yes"));
}

#[tokio::test]
async fn non_ascii_header_values_are_sent_as_utf8_bytes() {
    let server = ok_server("{}").await;
    let params = ThingServicePurgeThingsParams {
        x_confirm: "是".to_owned(),
    };
    fixture_client(&server.uri())
        .thing_service_purge_things(&params)
        .await
        .expect("200");

    let request = only_request(&server).await;
    let value = request.headers.get("X-Confirm").expect("X-Confirm sent");
    assert_eq!(value.as_bytes(), [0xE6, 0x98, 0xAF]);
}

#[tokio::test]
async fn a_header_value_http_cannot_carry_is_refused_before_sending() {
    let server = ok_server("{}").await;
    let params = ThingServicePurgeThingsParams {
        x_confirm: "yes\r\nX-Injected: 1".to_owned(),
    };
    let result = fixture_client(&server.uri())
        .thing_service_purge_things(&params)
        .await;
    match result {
        Err(Error::InvalidRequest(message)) => {
            assert!(message.contains("`X-Confirm`"), "{message}");
            // Header values may be secrets: the message does not repeat them.
            assert!(!message.contains("Injected"), "{message}");
        }
        other => panic!("expected Error::InvalidRequest, got {other:?}"),
    }
    assert!(received(&server).await.is_empty(), "nothing was sent");
}

/// The fixture in Swagger 2.0 (`collectionFormat: multi` and `csv`) gives the crate the tests above
/// run against, so they hold for both front ends.
#[test]
fn the_swagger2_fixture_gives_the_same_crate() {
    let root = sdk_tests::root();
    let openapi3 = xtask::fixtures::FIXTURES[0];
    let swagger2 = xtask::fixtures::Fixture {
        spec: "tests/fixtures/specs/params-swagger2.yaml",
        ..openapi3
    };
    let v2 =
        xtask::fixtures::generate(&root, &swagger2).expect("the Swagger 2.0 fixture generates");
    let v3 = xtask::fixtures::generate(&root, &openapi3).expect("the OpenAPI 3 fixture generates");
    assert_eq!(
        v2.files.keys().collect::<Vec<_>>(),
        v3.files.keys().collect::<Vec<_>>()
    );
    for (path, text) in &v2.files {
        // The recorded spec hashes differ: the texts do.
        assert_eq!(
            sdk_tests::mask_spec_hash(text),
            sdk_tests::mask_spec_hash(&v3.files[path]),
            "{path} differs"
        );
    }
    assert!(v2.diagnostics.is_empty(), "{:?}", v2.diagnostics);
    assert!(v3.diagnostics.is_empty(), "{:?}", v3.diagnostics);
}
