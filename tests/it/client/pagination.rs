//! The list walks (`…_stream`, `…_pages`, `…_backward`) against a loopback server: every one of the
//! eight cursor-paginated operations of the spec over three pages, then every way a walk ends, on
//! `ChargeService_QueryChargeList2`.
//!
//! The pages are written here by hand, one JSON text per page, with the id key and more-flag key
//! each list really uses (`charge_id`, `refund_id`, `id`; `hasMore` for settlement accounts); the
//! server answers a page only to the query that asks for it, so a wrong cursor is a 404.

use futures_util::{StreamExt as _, TryStreamExt as _};
use justap::params::{
    BusinessUserServiceListAllUsersParams, ChargeServiceQueryChargeList2Params,
    ChargeServiceQueryChargeListParams, CustomerServiceListAllCustomersParams,
    RefundServiceQueryRefundList2Params, RefundServiceQueryRefundListParams,
    RoyaltyServiceListAllRoyaltiesParams, SettlementServiceListAllSettlementAccountsParams,
};
use justap::{Client, Error};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::{check_signed, client, received, signed_client};

/// One list operation as the server speaks it.
struct List {
    path: &'static str,
    /// The JSON key of an item's id, and the prefix of the ids of this test.
    id_key: &'static str,
    prefix: &'static str,
    more_key: &'static str,
    /// The query every request must carry, besides the cursor, sorted by key.
    filters: &'static [(&'static str, &'static str)],
}

/// `{prefix}1` .. `{prefix}5`: the items in list order.
fn ids(list: &List) -> Vec<String> {
    (1..=5).map(|n| format!("{}{n}", list.prefix)).collect()
}

fn page(list: &List, ids: &[&str], more: bool) -> String {
    let items: Vec<String> = ids
        .iter()
        .map(|id| {
            format!(
                r#"{{"{}": "{}{id}", "object": "item"}}"#,
                list.id_key, list.prefix
            )
        })
        .collect();
    format!(
        r#"{{"object": "list", "data": [{}], "{}": {more}}}"#,
        items.join(", "),
        list.more_key
    )
}

fn json(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}

/// Three pages: 1-2 (more), 3-4 (more), 5 (last), each answered only to its own cursor.
async fn three_pages(list: &List) -> MockServer {
    let server = MockServer::start().await;
    let first = format!("{}2", list.prefix);
    let second = format!("{}4", list.prefix);
    Mock::given(method("GET"))
        .and(path(list.path))
        .and(query_param_is_missing("starting_after"))
        .respond_with(json(page(list, &["1", "2"], true)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(list.path))
        .and(query_param("starting_after", first.as_str()))
        .respond_with(json(page(list, &["3", "4"], true)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(list.path))
        .and(query_param("starting_after", second.as_str()))
        .respond_with(json(page(list, &["5"], false)))
        .mount(&server)
        .await;
    server
}

/// The query of a request as sorted (key, value) pairs.
fn query(request: &Request) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    pairs
}

/// Three requests: the filters on each, unchanged; no cursor on the first; then `starting_after` =
/// the last id of the page before.
fn check_requests(list: &List, requests: &[Request]) {
    let cursors = [
        None,
        Some(format!("{}2", list.prefix)),
        Some(format!("{}4", list.prefix)),
    ];
    assert_eq!(requests.len(), cursors.len(), "one request per page");
    for (request, cursor) in requests.iter().zip(&cursors) {
        assert_eq!(request.url.path(), list.path);
        let mut expected: Vec<(String, String)> = list
            .filters
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        expected.extend(
            cursor
                .iter()
                .map(|c| ("starting_after".to_owned(), c.clone())),
        );
        expected.sort();
        assert_eq!(query(request), expected, "query of {}", request.url);
    }
}

/// Walks a list to the end and checks the items, in order, and the three requests.
async fn walk<T>(
    list: &List,
    server: &MockServer,
    items: justap::Items<T>,
    id: impl Fn(&T) -> Option<String>,
) {
    let items: Vec<T> = items.try_collect().await.expect("every page answers");
    let got: Vec<Option<String>> = items.iter().map(id).collect();
    let expected: Vec<Option<String>> = ids(list).into_iter().map(Some).collect();
    assert_eq!(got, expected);
    check_requests(list, &received(server).await);
}

const CHARGES: List = List {
    path: "/transaction/v1/charges",
    id_key: "charge_id",
    prefix: "ch_",
    more_key: "has_more",
    filters: &[
        ("app_id", "app_T"),
        ("created.gte", "1700000000"),
        ("limit", "2"),
    ],
};

#[tokio::test]
async fn charge_list_walks_three_pages() {
    let server = three_pages(&CHARGES).await;
    let params = ChargeServiceQueryChargeListParams {
        app_id: Some("app_T".into()),
        created_gte: Some(1_700_000_000),
        limit: Some(2),
        ..Default::default()
    };
    let items = client(&server.uri()).charge_service_query_charge_list_stream(&params);
    walk(&CHARGES, &server, items, |c| Some(c.charge_id.clone())).await;
}

const CHARGES2: List = List {
    path: "/v1/charges",
    ..CHARGES
};

#[tokio::test]
async fn charge_list2_walks_three_pages() {
    let server = three_pages(&CHARGES2).await;
    let items = client(&server.uri()).charge_service_query_charge_list2_stream(&charges2_params());
    walk(&CHARGES2, &server, items, |c| Some(c.charge_id.clone())).await;
}

fn charges2_params() -> ChargeServiceQueryChargeList2Params {
    ChargeServiceQueryChargeList2Params {
        app_id: Some("app_T".into()),
        created_gte: Some(1_700_000_000),
        limit: Some(2),
        ..Default::default()
    }
}

const REFUNDS: List = List {
    path: "/transaction/v1/charges/ch_9/refunds",
    id_key: "refund_id",
    prefix: "re_",
    more_key: "has_more",
    filters: &[("app_id", "app_T"), ("limit", "2")],
};

#[tokio::test]
async fn refund_list_walks_three_pages_of_one_charge() {
    let server = three_pages(&REFUNDS).await;
    let params = RefundServiceQueryRefundListParams {
        app_id: Some("app_T".into()),
        limit: Some(2),
        ..Default::default()
    };
    let items = client(&server.uri()).refund_service_query_refund_list_stream("ch_9", &params);
    walk(&REFUNDS, &server, items, |r| Some(r.refund_id.clone())).await;
}

const REFUNDS2: List = List {
    path: "/v1/refunds",
    filters: &[("app_id", "app_T"), ("charge_id", "ch_9"), ("limit", "2")],
    ..REFUNDS
};

#[tokio::test]
async fn refund_list2_walks_three_pages() {
    let server = three_pages(&REFUNDS2).await;
    let params = RefundServiceQueryRefundList2Params {
        charge_id: Some("ch_9".into()),
        app_id: Some("app_T".into()),
        limit: Some(2),
        ..Default::default()
    };
    let items = client(&server.uri()).refund_service_query_refund_list2_stream(&params);
    walk(&REFUNDS2, &server, items, |r| Some(r.refund_id.clone())).await;
}

const USERS: List = List {
    path: "/v1/business_users",
    id_key: "id",
    prefix: "us_",
    more_key: "has_more",
    filters: &[
        ("app_id", "app_T"),
        ("created.lt", "1800000000"),
        ("limit", "2"),
    ],
};

#[tokio::test]
async fn user_list_walks_three_pages() {
    let server = three_pages(&USERS).await;
    let params = BusinessUserServiceListAllUsersParams {
        app_id: Some("app_T".into()),
        created_lt: Some(1_800_000_000),
        limit: Some(2),
        ..Default::default()
    };
    let items = client(&server.uri()).business_user_service_list_all_users_stream(&params);
    walk(&USERS, &server, items, |u| u.id.clone()).await;
}

const CUSTOMERS: List = List {
    path: "/v1/customers",
    prefix: "cus_",
    ..USERS
};

#[tokio::test]
async fn customer_list_walks_three_pages() {
    let server = three_pages(&CUSTOMERS).await;
    let params = CustomerServiceListAllCustomersParams {
        app_id: Some("app_T".into()),
        created_lt: Some(1_800_000_000),
        limit: Some(2),
        ..Default::default()
    };
    let items = client(&server.uri()).customer_service_list_all_customers_stream(&params);
    walk(&CUSTOMERS, &server, items, |c| c.id.clone()).await;
}

const ROYALTIES: List = List {
    path: "/v1/royalties",
    id_key: "id",
    prefix: "ro_",
    more_key: "has_more",
    filters: &[("limit", "2"), ("merchant_trade_id", "order 7+1")],
};

#[tokio::test]
async fn royalty_list_walks_three_pages() {
    let server = three_pages(&ROYALTIES).await;
    let params = RoyaltyServiceListAllRoyaltiesParams {
        merchant_trade_id: Some("order 7+1".into()),
        limit: Some(2),
        ..Default::default()
    };
    let items = client(&server.uri()).royalty_service_list_all_royalties_stream(&params);
    walk(&ROYALTIES, &server, items, |r| Some(r.id.clone())).await;
}

/// The settlement-account list spells its flag `hasMore`.
const ACCOUNTS: List = List {
    path: "/v1/settlement_accounts",
    id_key: "id",
    prefix: "sa_",
    more_key: "hasMore",
    filters: &[("app_id", "app_T"), ("limit", "2")],
};

#[tokio::test]
async fn settlement_account_list_walks_three_pages_with_has_more_spelled_in_camel_case() {
    let server = three_pages(&ACCOUNTS).await;
    let params = SettlementServiceListAllSettlementAccountsParams {
        app_id: Some("app_T".into()),
        limit: Some(2),
        ..Default::default()
    };
    let items =
        client(&server.uri()).settlement_service_list_all_settlement_accounts_stream(&params);
    walk(&ACCOUNTS, &server, items, |a| Some(a.id.clone())).await;
}

#[tokio::test]
async fn pages_come_as_the_server_sent_them() {
    let server = three_pages(&CHARGES2).await;
    let pages: Vec<_> = client(&server.uri())
        .charge_service_query_charge_list2_pages(&charges2_params())
        .try_collect()
        .await
        .expect("every page answers");
    let shape: Vec<(usize, bool)> = pages.iter().map(|p| (p.data.len(), p.has_more)).collect();
    assert_eq!(shape, [(2, true), (2, true), (1, false)]);
    check_requests(&CHARGES2, &received(&server).await);
}

#[tokio::test]
async fn every_page_request_is_signed() {
    let server = three_pages(&CHARGES2).await;
    let client = signed_client(&server.uri(), "test_private_pkcs8.pem");
    let items: Vec<_> = client
        .charge_service_query_charge_list2_stream(&charges2_params())
        .try_collect()
        .await
        .expect("every page answers");
    assert_eq!(items.len(), 5);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    for request in &requests {
        check_signed(request).unwrap_or_else(|e| panic!("{}: {e}", request.url));
    }
}

// ---------------------------------------------------------------- how a walk ends

/// A server answering every list request with this page, whatever its cursor.
async fn always(body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/charges"))
        .respond_with(json(body.to_owned()))
        .mount(&server)
        .await;
    server
}

/// The charge ids a forward walk of `/v1/charges` yields, and how many requests it made. At most
/// ten: a walk that does not end fails the test instead of hanging it.
async fn charge_ids(server: &MockServer) -> (Vec<String>, usize) {
    let ids = client(&server.uri())
        .charge_service_query_charge_list2_stream(&charges2_params())
        .take(10)
        .map_ok(|c| c.charge_id)
        .try_collect()
        .await
        .expect("every page answers");
    (ids, received(server).await.len())
}

#[tokio::test]
async fn a_false_more_flag_ends_the_walk() {
    let server =
        always(r#"{"data": [{"charge_id": "ch_1"}, {"charge_id": "ch_2"}], "has_more": false}"#)
            .await;
    assert_eq!(
        charge_ids(&server).await,
        (vec!["ch_1".into(), "ch_2".into()], 1)
    );
}

#[tokio::test]
async fn an_absent_more_flag_ends_the_walk() {
    let server = always(r#"{"data": [{"charge_id": "ch_1"}, {"charge_id": "ch_2"}]}"#).await;
    assert_eq!(
        charge_ids(&server).await,
        (vec!["ch_1".into(), "ch_2".into()], 1)
    );
}

#[tokio::test]
async fn an_absent_more_flag_ends_the_walk_when_the_flag_is_optional() {
    // `V1UserListResponse.has_more` is `Option<bool>`: absent is `None`, not more.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/business_users"))
        .respond_with(json(
            r#"{"data": [{"id": "us_1"}], "has_more": null}"#.to_owned(),
        ))
        .mount(&server)
        .await;
    let ids: Vec<Option<String>> = client(&server.uri())
        .business_user_service_list_all_users_stream(&Default::default())
        .map_ok(|u| u.id)
        .try_collect()
        .await
        .expect("the page answers");
    assert_eq!(ids, [Some("us_1".to_owned())]);
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn an_empty_page_ends_the_walk() {
    let server = always(r#"{"data": [], "has_more": true}"#).await;
    assert_eq!(charge_ids(&server).await, (Vec::new(), 1));
}

#[tokio::test]
async fn a_last_item_without_id_ends_the_walk() {
    let server =
        always(r#"{"data": [{"charge_id": "ch_1"}, {"amount": 1}], "has_more": true}"#).await;
    assert_eq!(
        charge_ids(&server).await,
        (vec!["ch_1".into(), String::new()], 1)
    );
}

#[tokio::test]
async fn a_last_item_with_an_empty_id_ends_the_walk() {
    let server =
        always(r#"{"data": [{"charge_id": "ch_1"}, {"charge_id": ""}], "has_more": true}"#).await;
    assert_eq!(
        charge_ids(&server).await,
        (vec!["ch_1".into(), String::new()], 1)
    );
}

#[tokio::test]
async fn a_server_that_ignores_the_cursor_does_not_repeat_items_forever() {
    // Every request gets the first page again: the second answer ends where the second request
    // started, so the walk stops there, without yielding its items twice.
    let server =
        always(r#"{"data": [{"charge_id": "ch_1"}, {"charge_id": "ch_2"}], "has_more": true}"#)
            .await;
    assert_eq!(
        charge_ids(&server).await,
        (vec!["ch_1".into(), "ch_2".into()], 2)
    );
    let cursors: Vec<Option<String>> = received(&server)
        .await
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "starting_after")
                .map(|(_, v)| v.into_owned())
        })
        .collect();
    assert_eq!(cursors, [None, Some("ch_2".to_owned())]);
}

#[tokio::test]
async fn take_caps_the_walk_and_fetches_no_further_page() {
    let server = three_pages(&CHARGES2).await;
    let ids: Vec<String> = client(&server.uri())
        .charge_service_query_charge_list2_stream(&charges2_params())
        .take(3)
        .map_ok(|c| c.charge_id)
        .try_collect()
        .await
        .expect("the pages answer");
    assert_eq!(ids, ["ch_1", "ch_2", "ch_3"]);
    // The third item is on the second page; the third page is never asked for.
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn nothing_is_fetched_before_polling_nor_after_dropping() {
    let server = three_pages(&CHARGES2).await;
    let client = client(&server.uri());
    let mut items = client.charge_service_query_charge_list2_stream(&charges2_params());
    assert_eq!(
        received(&server).await.len(),
        0,
        "a stream not polled fetches nothing"
    );
    let first = items
        .next()
        .await
        .expect("an item")
        .expect("the first page answers");
    assert_eq!(first.charge_id, "ch_1");
    drop(items);
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn an_error_is_yielded_then_ends_the_walk() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param_is_missing("starting_after"))
        .respond_with(json(
            r#"{"data": [{"charge_id": "ch_1"}, {"charge_id": "ch_2"}], "has_more": true}"#
                .to_owned(),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("starting_after", "ch_2"))
        .respond_with(ResponseTemplate::new(400).set_body_raw(
            r#"{"code": 3, "message": "bad cursor"}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let client: Client = client(&server.uri());
    let mut items = client.charge_service_query_charge_list2_stream(&charges2_params());
    let mut seen = Vec::new();
    while let Some(item) = items.next().await {
        seen.push(item.map(|c| c.charge_id));
    }
    assert_eq!(seen.len(), 3, "two items, then the error: {seen:?}");
    assert_eq!(seen[0].as_deref().ok(), Some("ch_1"));
    assert_eq!(seen[1].as_deref().ok(), Some("ch_2"));
    match &seen[2] {
        Err(Error::Api(e)) => assert_eq!(e.status.as_u16(), 400),
        other => panic!("expected the 400, got {other:?}"),
    }
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn the_callers_cursor_starts_the_walk() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param("starting_after", "ch_2"))
        .respond_with(json(
            r#"{"data": [{"charge_id": "ch_3"}], "has_more": false}"#.to_owned(),
        ))
        .mount(&server)
        .await;
    let params = ChargeServiceQueryChargeList2Params {
        starting_after: Some("ch_2".into()),
        ..charges2_params()
    };
    let ids: Vec<String> = client(&server.uri())
        .charge_service_query_charge_list2_stream(&params)
        .map_ok(|c| c.charge_id)
        .try_collect()
        .await
        .expect("the page answers");
    assert_eq!(ids, ["ch_3"]);
}

#[tokio::test]
async fn a_backward_walk_follows_ending_before_and_yields_items_last_to_first() {
    // The list is ch_1 .. ch_5 (list order); the caller starts before ch_6.
    let server = MockServer::start().await;
    let pages = [
        (
            "ch_6",
            r#"{"data": [{"charge_id": "ch_4"}, {"charge_id": "ch_5"}], "has_more": true}"#,
        ),
        (
            "ch_4",
            r#"{"data": [{"charge_id": "ch_2"}, {"charge_id": "ch_3"}], "has_more": true}"#,
        ),
        (
            "ch_2",
            r#"{"data": [{"charge_id": "ch_1"}], "has_more": false}"#,
        ),
    ];
    for (cursor, body) in pages {
        Mock::given(method("GET"))
            .and(path("/v1/charges"))
            .and(query_param("ending_before", cursor))
            .and(query_param_is_missing("starting_after"))
            .respond_with(json(body.to_owned()))
            .mount(&server)
            .await;
    }
    let params = ChargeServiceQueryChargeList2Params {
        ending_before: Some("ch_6".into()),
        ..charges2_params()
    };
    let ids: Vec<String> = client(&server.uri())
        .charge_service_query_charge_list2_stream_backward(&params)
        .map_ok(|c| c.charge_id)
        .try_collect()
        .await
        .expect("every page answers");
    assert_eq!(ids, ["ch_5", "ch_4", "ch_3", "ch_2", "ch_1"]);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    for request in &requests {
        let filters: Vec<(String, String)> = query(request)
            .into_iter()
            .filter(|(k, _)| k != "ending_before")
            .collect();
        let expected = [
            ("app_id", "app_T"),
            ("created.gte", "1700000000"),
            ("limit", "2"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()));
        assert_eq!(filters, expected, "filters of {}", request.url);
    }
}

#[tokio::test]
async fn backward_pages_come_as_the_server_sent_them() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param_is_missing("ending_before"))
        .respond_with(json(
            r#"{"data": [{"charge_id": "ch_4"}, {"charge_id": "ch_5"}], "has_more": true}"#
                .to_owned(),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("ending_before", "ch_4"))
        .respond_with(json(
            r#"{"data": [{"charge_id": "ch_3"}], "has_more": false}"#.to_owned(),
        ))
        .mount(&server)
        .await;
    let pages: Vec<Vec<String>> = client(&server.uri())
        .charge_service_query_charge_list2_pages_backward(&charges2_params())
        .map_ok(|p| p.data.into_iter().map(|c| c.charge_id).collect())
        .try_collect()
        .await
        .expect("every page answers");
    assert_eq!(pages, [vec!["ch_4", "ch_5"], vec!["ch_3"]]);
}
