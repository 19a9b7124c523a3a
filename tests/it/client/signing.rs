//! Request signing: known answers computed here with `md-5`, `sha2`, `rsa` and `base64` directly
//! (and with the `openssl` command line), and signed requests as a live server receives them.

use std::collections::BTreeSet;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use justap::models::{Tradev1Channel, V1CreateChargeRequest};
use justap::signing::RequestSigner;
use rsa::pkcs1::DecodeRsaPrivateKey as _;
use rsa::pkcs8::DecodePrivateKey as _;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use sha2::{Digest as _, Sha256};

use super::{
    API_KEY, assert_unsigned, body_hash, check_signed, client, header, key, ok_server, received,
    signed_client, verify_signature,
};

const BODY: &[u8] = br#"{"amount":"100","subject":"test"}"#;
const NONCE: &str = "abcdefghij0123456789";
const TIME: u64 = 1_700_000_000;

// Known-good values made with the openssl command line, in tests/fixtures/keys:
//   H=$(printf '%s%s%s' "$BODY" 1700000000 abcdefghij0123456789 | md5sum | cut -d' ' -f1)
//   printf '%s%s' "$H" abcdefghij0123456789 | openssl dgst -sha256 -sign test_private_pkcs8.pem | base64 -w0
// and the same with an empty body (a GET).
const OPENSSL_HASH: &str = "3a6e91e0d17f82b0fd2af23e21037a32";
const OPENSSL_SIGNATURE: &str = "ohOaFmCv/A99LDKKu1CjAkupMRyUBNDK59PmTcYCTCedhLA5WcgFlL5PraPzvyGBxA12IyC2jlMEpKh5IO1Zfykqvf049Sc0L0MWrWC0UB9Y5AXPiX1Bx5zbxSgQgaxZjviyXSi2xKwMkG9+eRuV6kVPnmaMo1ij9JRO2IeFmRkghdqANIZ8+o7H87NZ2s0J//r3Ud8mq666OkEVicfS7Q8cBPHCNBAAvj9VtuePcEnziKjqzWyjSPZnwS++shMWrllrOC8qRP/vxLYbemMPP2uobpT1G1Luic8+3ORE4tOADO0yNOtb8P5JFsDmLFhmYigUR1kMIWIE2dnBkX6iqg==";
const OPENSSL_EMPTY_HASH: &str = "7514f7ef5cb486912cef3db93fe951ab";
const OPENSSL_EMPTY_SIGNATURE: &str = "ha1D9W5Mq2n59zBVIPNmYWSoBZQ5Kpeh+sVR4RESdx9nUBphaF2nrUGphazg8WR6zOgSLGEatfxiwxUvYkGbNZ5uvnDnonhAh2bJsDbgXmzBw4hkvj4FIxlboSWBs66FYq89hlPLYyi1zxA/Uuh+mLc9Ojb29IrspXST470NvbMaDf+9oxSZ0krxZEWG4t17m3S7CKDpYjeN3vfM8sW+E13uYs5gKPK3agW8dyoN6eaxt/fcYdg+9tIoDIL8XU994N2SQeNi7oNhKk6sagS2Wih2i5NpvR8YUzz1GEtcWP2L9EYVtHvEN3pcBCpLmSKsu0k1fGP/c/xXtW4vsyJ9Dw==";

/// The body hash and signature of a request, computed from §3 of the facts without the SDK:
/// MD5 over `body + time + nonce`, then RSA PKCS#1 v1.5 over SHA-256 of `hash + nonce`, base64.
fn independent_signature(
    key: &RsaPrivateKey,
    body: &[u8],
    time: u64,
    nonce: &str,
) -> (String, String) {
    let hash = body_hash(body, &time.to_string(), nonce);
    let digest = Sha256::digest(format!("{hash}{nonce}").as_bytes());
    let signature = key
        .sign(Pkcs1v15Sign::new::<Sha256>(), &digest)
        .expect("the 2048-bit test key signs a SHA-256 digest");
    (hash, BASE64.encode(signature))
}

#[test]
fn a_fixed_request_signs_to_the_known_good_value_with_either_key_format() {
    let pkcs8 = RsaPrivateKey::from_pkcs8_pem(&key("test_private_pkcs8.pem"))
        .expect("test_private_pkcs8.pem is a PKCS#8 RSA key");
    let pkcs1 = RsaPrivateKey::from_pkcs1_pem(&key("test_private_pkcs1.pem"))
        .expect("test_private_pkcs1.pem is a PKCS#1 RSA key");
    assert_eq!(pkcs8, pkcs1, "the two files hold the same key");

    for (body, openssl_hash, openssl_signature) in [
        (BODY, OPENSSL_HASH, OPENSSL_SIGNATURE),
        (&b""[..], OPENSSL_EMPTY_HASH, OPENSSL_EMPTY_SIGNATURE),
    ] {
        let (hash, signature) = independent_signature(&pkcs8, body, TIME, NONCE);
        assert_eq!(hash, openssl_hash, "md-5 agrees with md5sum");
        assert_eq!(signature, openssl_signature, "rsa agrees with openssl");

        let mut signatures = Vec::new();
        for file in ["test_private_pkcs8.pem", "test_private_pkcs1.pem"] {
            let signer = RequestSigner::from_pem(&key(file))
                .unwrap_or_else(|e| panic!("{file} is a usable key: {e}"));
            let s = signer.sign(body, TIME, NONCE).expect("signs");
            assert_eq!(s.nonce, NONCE, "{file}");
            assert_eq!(s.request_time, TIME, "{file}");
            assert_eq!(s.body_hash, hash, "{file}: body hash");
            assert_eq!(s.signature, signature, "{file}: signature");
            verify_signature(&s.body_hash, &s.nonce, &s.signature)
                .unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(
                s.headers(),
                [
                    ("X-Justap-Nonce", NONCE.to_owned()),
                    ("X-Justap-Request-Time", "1700000000".to_owned()),
                    ("X-Justap-Body-Hash", hash.clone()),
                    ("X-Justap-Signature", signature.clone()),
                ]
            );
            signatures.push(s);
        }
        assert_eq!(signatures[0], signatures[1], "PKCS#8 and PKCS#1 sign alike");
    }
}

fn charge_request() -> V1CreateChargeRequest {
    V1CreateChargeRequest {
        amount: 100.5,
        app_id: "app_1".to_owned(),
        channel: Tradev1Channel::WechatpayNative,
        subject: "签名 test + \"quotes\"".to_owned(),
        ..Default::default()
    }
}

#[tokio::test]
async fn every_request_is_signed_over_the_exact_bytes_sent_with_a_fresh_nonce() {
    let server = ok_server(r#"{"object":"charge","data":{"charge_id":"ch_1"}}"#).await;
    let body = charge_request();
    for file in ["test_private_pkcs8.pem", "test_private_pkcs1.pem"] {
        let client = signed_client(&server.uri(), file);
        // The same requests again and again: only the nonce (and maybe the time) differ.
        for _ in 0..3 {
            client
                .charge_service_query_charge2("ch_1", &Default::default())
                .await
                .expect("GET succeeds");
            client
                .charge_service_charges(&body)
                .await
                .expect("POST succeeds");
        }
    }

    let requests = received(&server).await;
    assert_eq!(requests.len(), 12);
    let mut nonces = BTreeSet::new();
    let mut signatures = BTreeSet::new();
    for r in &requests {
        assert_eq!(header(r, "X-JUSTAP-API-KEY"), Some(API_KEY));
        let signed = check_signed(r).unwrap_or_else(|e| panic!("{} {}: {e}", r.method, r.url));
        assert!(
            nonces.insert(signed.nonce.clone()),
            "nonce {} reused",
            signed.nonce
        );
        assert!(signatures.insert(signed.signature), "signature reused");
        if r.method.as_str() == "POST" {
            let sent: serde_json::Value =
                serde_json::from_slice(&r.body).expect("the POST body is JSON");
            assert_eq!(sent, serde_json::to_value(&body).expect("serializes"));
        } else {
            assert!(r.body.is_empty(), "a GET is signed over an empty body");
        }
    }
}

#[tokio::test]
async fn a_ready_made_signer_can_be_given_to_the_builder() {
    let server = ok_server("{}").await;
    let signer = RequestSigner::from_pem(&key("test_private_pkcs1.pem")).expect("usable key");
    let client = justap::Client::builder()
        .base_url(server.uri())
        .api_key(API_KEY)
        .signer(signer)
        .build()
        .expect("client builds");
    client
        .charge_service_reverse_charge("ch_signer")
        .await
        .expect("call succeeds");
    let requests = received(&server).await;
    check_signed(&requests[0]).expect("signed with the given signer");
}

#[tokio::test]
async fn without_a_signing_key_no_signing_headers_are_sent() {
    let server = ok_server("{}").await;
    let client = client(&server.uri());
    client
        .charge_service_query_charge2("ch_1", &Default::default())
        .await
        .expect("GET succeeds");
    client
        .charge_service_charges(&charge_request())
        .await
        .expect("POST succeeds");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for r in &requests {
        assert_eq!(header(r, "X-JUSTAP-API-KEY"), Some(API_KEY));
        assert_unsigned(r);
    }
}
