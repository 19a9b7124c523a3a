//! Request signing: known answers made with the openssl command line
//! (`tests/fixtures/keys/vectors/make.sh`), keys the SDK must refuse, and signed requests as a live
//! server receives them (verified with the `rsa` crate, not the SDK's `ring`).

use std::collections::BTreeSet;

use justap::Error;
use justap::models::{Tradev1Channel, V1CreateChargeRequest};
use justap::signing::RequestSigner;

use super::{
    API_KEY, assert_unsigned, body_hash, check_signed, client, header, key, ok_server, received,
    signed_client, verify_signature,
};

/// The request time and nonce `vectors/make.sh` signs with.
const NONCE: &str = "abcdefghij0123456789";
const TIME: u64 = 1_700_000_000;

/// A file of `tests/fixtures/keys/vectors`, as bytes.
fn vector(name: &str) -> Vec<u8> {
    let path = sdk_tests::root()
        .join("tests/fixtures/keys/vectors")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

#[test]
fn fixed_requests_sign_to_the_openssl_vectors_byte_for_byte_with_either_key_format() {
    for name in ["post", "empty", "utf8"] {
        let body = vector(&format!("{name}.body"));
        let openssl_hash =
            String::from_utf8(vector(&format!("{name}.hash"))).expect("the hash is ASCII");
        let openssl_signature = String::from_utf8(vector(&format!("{name}.signature")))
            .expect("the signature is ASCII");
        assert_eq!(
            body_hash(&body, &TIME.to_string(), NONCE),
            openssl_hash,
            "{name}: md-5 agrees with openssl"
        );

        let mut signatures = Vec::new();
        for file in ["test_private_pkcs8.pem", "test_private_pkcs1.pem"] {
            let signer = RequestSigner::from_pem(&key(file))
                .unwrap_or_else(|e| panic!("{file} is a usable key: {e}"));
            assert_eq!(signer.key_bits(), 2048, "{file}");
            let s = signer.sign(&body, TIME, NONCE).expect("signs");
            assert_eq!(s.nonce, NONCE, "{name}, {file}");
            assert_eq!(s.request_time, TIME, "{name}, {file}");
            assert_eq!(s.body_hash, openssl_hash, "{name}, {file}: body hash");
            assert_eq!(
                s.signature.as_bytes(),
                openssl_signature.as_bytes(),
                "{name}, {file}: signature"
            );
            verify_signature(&s.body_hash, &s.nonce, &s.signature)
                .unwrap_or_else(|e| panic!("{name}, {file}: {e}"));
            assert_eq!(
                s.headers(),
                [
                    ("X-Justap-Nonce", NONCE.to_owned()),
                    ("X-Justap-Request-Time", "1700000000".to_owned()),
                    ("X-Justap-Body-Hash", openssl_hash.clone()),
                    ("X-Justap-Signature", openssl_signature.clone()),
                ]
            );
            signatures.push(s);
        }
        assert_eq!(signatures[0], signatures[1], "PKCS#8 and PKCS#1 sign alike");
    }
}

#[test]
fn a_key_in_a_larger_pem_file_is_found() {
    // What `openssl pkcs12 -nodes` writes: attributes, then the key, then a certificate.
    let pem = format!(
        "Bag Attributes\n    localKeyID: 01 02 03\n{}-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        key("test_private_pkcs8.pem")
    );
    let s = RequestSigner::from_pem(&pem)
        .expect("usable key")
        .sign(&vector("post.body"), TIME, NONCE)
        .expect("signs");
    assert_eq!(s.signature.as_bytes(), vector("post.signature"));
}

#[test]
fn a_signature_s_debug_output_leaves_the_signature_out() {
    let signer = RequestSigner::from_pem(&key("test_private_pkcs8.pem")).expect("usable key");
    let s = signer
        .sign(&vector("post.body"), TIME, NONCE)
        .expect("signs");
    let shown = format!("{s:?}");
    let signature = String::from_utf8(vector("post.signature")).expect("base64 is ASCII");
    // Any 16 characters of the base64 signature would be a leak.
    let leaked =
        (0..signature.len().saturating_sub(16)).find(|&i| shown.contains(&signature[i..i + 16]));
    assert_eq!(leaked, None, "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
}

/// Asserts that `from_pem` refuses `pem` with this message, and that the message holds no part of
/// the key text (any 16 consecutive characters of its base64 would be a leak).
fn assert_refused(pem: &str, expected: &str) {
    let error = RequestSigner::from_pem(pem).expect_err("the key is refused");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    let shown = format!("{error}\n{error:?}");
    assert_eq!(error.to_string(), expected);
    for line in pem.lines().filter(|l| !l.starts_with("-----")) {
        for chunk in line.as_bytes().chunks(16).filter(|c| c.len() == 16) {
            let chunk = std::str::from_utf8(chunk).expect("PEM is ASCII");
            assert!(
                !shown.contains(chunk),
                "the error shows key material: {shown}"
            );
        }
    }
}

#[test]
fn unusable_keys_are_refused_with_a_reason_and_no_key_material() {
    let pkcs8 = key("test_private_pkcs8.pem");
    let pkcs1 = key("test_private_pkcs1.pem");
    assert_refused(
        "not a key",
        "invalid request: private key: expected a PEM block `-----BEGIN PRIVATE KEY-----` (PKCS#8) \
         or `-----BEGIN RSA PRIVATE KEY-----` (PKCS#1)",
    );
    assert_refused(
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHzBJBgkqhkiG9w0BBQ0wPDAbBgkqhkiG9w0BBQwwDgQI\n\
         -----END ENCRYPTED PRIVATE KEY-----\n",
        "invalid request: private key: the key is encrypted; decrypt it first (for instance with \
         `openssl pkcs8`)",
    );
    // A character that is not base64 in the middle of the key.
    let at = pkcs8.len() / 2;
    let mut corrupt = pkcs8.clone();
    corrupt.replace_range(at..at + 1, "*");
    assert_refused(
        &corrupt,
        "invalid request: private key: not a valid PKCS#8 RSA private key (the text between its \
         BEGIN and END lines is not base64)",
    );
    // Valid base64, but the DER stops half-way.
    let truncated: String = {
        let lines: Vec<&str> = pkcs1.lines().collect();
        let keep = lines.len() / 2;
        lines[..keep]
            .iter()
            .chain(lines.last())
            .flat_map(|l| [*l, "\n"])
            .collect()
    };
    assert_refused(
        &truncated,
        "invalid request: private key: not a valid PKCS#1 RSA private key (InvalidEncoding)",
    );
    assert_refused(
        &key("ec_p256_pkcs8.pem"),
        "invalid request: private key: not a valid PKCS#8 RSA private key (WrongAlgorithm)",
    );
    assert_refused(
        &key("rsa1024_pkcs8.pem"),
        "invalid request: private key: not a valid PKCS#8 RSA private key (TooSmall)",
    );
}

#[test]
fn nonces_are_twenty_alphanumerics_and_differ() {
    let nonces: BTreeSet<String> = (0..1000).map(|_| justap::signing::nonce()).collect();
    assert_eq!(nonces.len(), 1000, "a nonce repeated");
    let mut seen = BTreeSet::new();
    for nonce in &nonces {
        assert_eq!(nonce.len(), 20, "{nonce}");
        assert!(nonce.bytes().all(|b| b.is_ascii_alphanumeric()), "{nonce}");
        seen.extend(nonce.bytes());
    }
    // 20,000 characters drawn from 62: every one of them shows up.
    assert_eq!(seen.len(), 62, "characters seen: {seen:?}");
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
