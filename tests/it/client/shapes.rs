//! Map query parameters, through the fixture crate `justap_shapes_fixture` (generated from
//! `tests/fixtures/specs/shapes.yaml`). grpc-gateway reads a map field from the query as
//! `name[key]=value`, one pair per entry (runtime.PopulateQueryParameters); the expected query
//! strings are written by hand, form-encoded as Go decodes them (`[` → `%5B`, `]` → `%5D`,
//! space → `+`, `,` → `%2C`).

use std::collections::BTreeMap;

use justap_shapes_fixture::Client;
use justap_shapes_fixture::params::ShapeServiceLabelsParams;

use super::{API_KEY, ok_server, received};

#[tokio::test]
async fn a_map_goes_out_as_one_bracketed_pair_per_entry() {
    let server = ok_server(r#"{"id": "t"}"#).await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key(API_KEY)
        .build()
        .expect("a client with a base URL and an API key builds");
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
    let client = Client::builder()
        .base_url(server.uri())
        .api_key(API_KEY)
        .build()
        .expect("a client with a base URL and an API key builds");
    client
        .shape_service_labels(&ShapeServiceLabelsParams::default())
        .await
        .expect("200 with a thing");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1, "exactly one request");
    assert_eq!(requests[0].url.query(), None);
}
