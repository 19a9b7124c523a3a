//! Client configuration: a base URL with a path, a custom `reqwest::Client`, secrets kept out of
//! `Debug`.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use justap::params::ChargeServiceQueryCharge2Params;
use justap::signing::RequestSigner;
use justap::{Client, Error};
use wiremock::matchers::path_regex;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{API_KEY, check_signed, client, header, key, ok_server, received};

#[tokio::test]
async fn a_base_url_path_prefix_is_kept() {
    let server = MockServer::start().await;
    // Only paths under the prefix answer; wiremock answers 404 to anything else.
    Mock::given(path_regex(r"^/gateway/justap/v1/"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"object":"charge","data":{}}"#, "application/json"),
        )
        .mount(&server)
        .await;

    for base in [
        format!("{}/gateway/justap", server.uri()),
        format!("{}/gateway/justap/", server.uri()),
    ] {
        let client = client(&base);
        assert_eq!(
            client.base_url().as_str(),
            format!("{}/gateway/justap/", server.uri())
        );
        let params = ChargeServiceQueryCharge2Params {
            app_id: Some("app_1".to_owned()),
            ..Default::default()
        };
        client
            .charge_service_query_charge2("ch_prefix", &params)
            .await
            .unwrap_or_else(|e| panic!("{base}: {e}"));
        client
            .charge_service_charges2(&Default::default())
            .await
            .unwrap_or_else(|e| panic!("{base}: {e}"));
    }

    let requests = received(&server).await;
    let seen: Vec<_> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.url.path(), r.url.query()))
        .collect();
    let expected = [
        (
            "GET",
            "/gateway/justap/v1/charges/ch_prefix",
            Some("app_id=app_1"),
        ),
        ("POST", "/gateway/justap/v1/charges", None),
    ];
    assert_eq!(seen, [expected, expected].concat());
}

#[test]
fn debug_never_shows_the_api_key_or_the_private_key() {
    let mut shown = String::new();
    for file in ["test_private_pkcs8.pem", "test_private_pkcs1.pem"] {
        let pem = key(file);
        let builder = Client::builder()
            .base_url("http://127.0.0.1:9/justap")
            .api_key(API_KEY)
            .private_key_pem(pem.clone());
        let client = builder.clone().build().expect("client builds");
        let signer = RequestSigner::from_pem(&pem).expect("usable key");
        let with_signer = Client::builder().api_key(API_KEY).signer(signer.clone());
        let text = format!(
            "{builder:?}\n{builder:#?}\n{client:?}\n{client:#?}\n{signer:?}\n{signer:#?}\n\
             {with_signer:?}\n{with_signer:#?}"
        );

        assert!(
            text.contains("127.0.0.1:9/justap"),
            "Debug shows the configuration: {text}"
        );
        assert!(
            !text.contains(API_KEY),
            "{file}: Debug shows the API key:\n{text}"
        );
        assert!(
            !text.contains("PRIVATE KEY"),
            "{file}: Debug shows PEM text:\n{text}"
        );
        for line in pem
            .lines()
            .filter(|l| !l.starts_with("-----") && l.len() >= 16)
        {
            // Any 16 consecutive characters of the key's base64 would be a leak.
            for chunk in line.as_bytes().chunks(16).filter(|c| c.len() == 16) {
                let chunk = std::str::from_utf8(chunk).expect("PEM is ASCII");
                assert!(
                    !text.contains(chunk),
                    "{file}: Debug shows key material:\n{text}"
                );
            }
        }
        shown = text;
    }
    println!("{shown}");
}

/// A custom client that marks its requests, to show it is the one used.
fn custom_http_client() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "x-custom-http-client",
        reqwest::header::HeaderValue::from_static("yes"),
    );
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .expect("a reqwest client builds")
}

#[tokio::test]
async fn a_custom_reqwest_client_is_used() {
    let server = ok_server(r#"{"object":"charge","data":{"charge_id":"ch_custom"}}"#).await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key(API_KEY)
        .private_key_pem(key("test_private_pkcs8.pem"))
        .http_client(custom_http_client())
        .build()
        .expect("client builds");
    let charge = client
        .charge_service_query_charge2("ch_custom", &Default::default())
        .await
        .expect("call succeeds")
        .data
        .expect("data");
    assert_eq!(charge.charge_id, "ch_custom");

    let requests = received(&server).await;
    let r = &requests[0];
    assert_eq!(header(r, "x-custom-http-client"), Some("yes"));
    assert_eq!(header(r, "X-JUSTAP-API-KEY"), Some(API_KEY));
    assert_eq!(header(r, "Accept"), Some("application/json"));
    check_signed(r).expect("signed through the custom client too");
}

#[tokio::test]
async fn the_client_timeout_applies_to_a_custom_reqwest_client() {
    // Bound but never accepted: nobody ever answers. The custom client itself has no timeout.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let addr = listener.local_addr().expect("bound address");
    let client = Client::builder()
        .base_url(format!("http://{addr}"))
        .api_key(API_KEY)
        .http_client(custom_http_client())
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client builds");
    let start = Instant::now();
    let err = client
        .charge_service_query_charge2("ch_1", &Default::default())
        .await
        .expect_err("no answer");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    // 3 attempts (the default policy retries a GET twice) of 300 ms, not of the custom client's
    // none, with at most 1.5 s of backoff.
    assert_eq!(err.attempts(), 3);
    assert!(
        start.elapsed() < Duration::from_secs(6),
        "{:?}",
        start.elapsed()
    );
    drop(listener);
}
