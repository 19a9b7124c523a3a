//! Message and map query parameters, through the fixture crate `justap_shapes_fixture` (generated from
//! `tests/fixtures/specs/shapes.yaml`). grpc-gateway reads a message field from the query as dotted
//! paths (`filter.window.start=…`, repeated keys for a repeated field) and a map field as
//! `name[key]=value`, one pair per entry (runtime.PopulateQueryParameters); the expected query
//! strings are written by hand, form-encoded as Go decodes them (`[` → `%5B`, `]` → `%5D`,
//! space → `+`, `,` → `%2C`).

use std::collections::BTreeMap;

use justap_shapes_fixture::Client;
use justap_shapes_fixture::models::{V1Color, V1Filter, V1Window};
use justap_shapes_fixture::params::{ShapeServiceLabelsParams, ShapeServiceSearchParams};

use super::{API_KEY, ok_server, received};

fn shapes_client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .api_key(API_KEY)
        .build()
        .expect("a client with a base URL and an API key builds")
}

/// A timestamp field's value (the type comes from the field: `DateTime<Utc>` is `FromStr`).
fn time<T: std::str::FromStr>(text: &str) -> T {
    text.parse()
        .unwrap_or_else(|_| panic!("{text} is a valid timestamp"))
}

#[tokio::test]
async fn a_message_goes_out_field_by_field_under_dotted_names() {
    let server = ok_server(r#"{"id": "t"}"#).await;
    let params = ShapeServiceSearchParams {
        filter: Some(V1Filter {
            name: "a b".to_owned(),
            limit: Some(5),
            color: Some(V1Color::Red),
            ids: vec!["1".to_owned(), "2,3".to_owned()],
            window: Some(Box::new(V1Window {
                start: time("2024-01-02T03:04:05Z"),
                end: None,
            })),
            bounds: V1Window {
                start: time("2024-02-01T00:00:00Z"),
                end: Some(time("2024-03-01T00:00:00Z")),
            },
            // Fields a query cannot carry are left out (the generator warns about each).
            labels: BTreeMap::from([("k".to_owned(), "v".to_owned())]),
            note: serde_json::json!({"x": 1}),
            ..Default::default()
        }),
        window: V1Window::default(),
    };
    shapes_client(&server.uri())
        .shape_service_search(&params)
        .await
        .expect("200 with a thing");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1, "exactly one request");
    assert_eq!(requests[0].url.path(), "/v1/search");
    assert_eq!(
        requests[0].url.query(),
        Some(
            "filter.name=a+b&filter.limit=5&filter.color=RED&filter.ids=1&filter.ids=2%2C3\
             &filter.window.start=2024-01-02T03%3A04%3A05Z\
             &filter.bounds.start=2024-02-01T00%3A00%3A00Z\
             &filter.bounds.end=2024-03-01T00%3A00%3A00Z\
             &window.start=1970-01-01T00%3A00%3A00Z"
        )
    );
}

#[tokio::test]
async fn a_map_goes_out_as_one_bracketed_pair_per_entry() {
    let server = ok_server(r#"{"id": "t"}"#).await;
    let client = shapes_client(&server.uri());
    let params = ShapeServiceLabelsParams {
        tags: BTreeMap::from([
            ("a b".to_owned(), "x,y".to_owned()),
            ("k".to_owned(), "v".to_owned()),
        ]),
        counts: BTreeMap::from([("n".to_owned(), -3)]),
    };
    let thing = client
        .shape_service_labels(&params)
        .await
        .expect("200 with a thing");
    assert_eq!(thing.id.as_deref(), Some("t"));

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1, "exactly one request");
    assert_eq!(requests[0].url.path(), "/v1/labels");
    assert_eq!(
        requests[0].url.query(),
        Some("tags%5Ba+b%5D=x%2Cy&tags%5Bk%5D=v&counts%5Bn%5D=-3")
    );
}

#[tokio::test]
async fn empty_maps_send_no_query() {
    let server = ok_server(r#"{"id": "t"}"#).await;
    let client = shapes_client(&server.uri());
    client
        .shape_service_labels(&ShapeServiceLabelsParams::default())
        .await
        .expect("200 with a thing");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1, "exactly one request");
    assert_eq!(requests[0].url.query(), None);
}

/// A walked list whose path argument is a list of numbers: the walk keeps its own copy and lends
/// it to every page's call (a crate without that copy did not compile: E0507).
#[tokio::test]
async fn a_list_walks_pages_under_a_path_of_numbers() {
    use futures_util::TryStreamExt as _;
    use justap_shapes_fixture::params::ShapeServiceListGroupThingsParams;
    use wiremock::matchers::{method, query_param, query_param_is_missing};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let page = |body: &str| ResponseTemplate::new(200).set_body_raw(body, "application/json");
    Mock::given(method("GET"))
        .and(query_param_is_missing("starting_after"))
        .respond_with(page(r#"{"data": [{"id": "t1"}], "has_more": true}"#))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("starting_after", "t1"))
        .respond_with(page(r#"{"data": [{"id": "t2"}], "has_more": false}"#))
        .mount(&server)
        .await;

    let ids: Vec<Option<String>> = shapes_client(&server.uri())
        .shape_service_list_group_things_stream(
            &[7, 8],
            &ShapeServiceListGroupThingsParams::default(),
        )
        .map_ok(|thing| thing.id)
        .try_collect()
        .await
        .expect("two pages");
    assert_eq!(ids, [Some("t1".to_owned()), Some("t2".to_owned())]);
    let paths: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(
        paths,
        ["/v1/groups/7%2C8/things", "/v1/groups/7%2C8/things"]
    );
}
