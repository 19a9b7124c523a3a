//! The generated client against real HTTP servers on loopback (wiremock, and bare sockets for what a
//! mock server cannot do): every operation of the spec, error paths, path encoding, request signing
//! and client configuration.
//!
//! Signatures are checked independently of the SDK: the body hash is recomputed with `md-5` and the
//! signature verified with the public key, as the server does, by the `rsa` crate (the SDK signs
//! with `ring`).

mod bodies;
mod config;
mod errors;
mod hostile;
mod operations;
mod pagination;
mod params;
mod paths;
mod retries;
mod shapes;
mod signing;

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use justap::Client;
use md5::{Digest as _, Md5};
use rsa::pkcs8::DecodePublicKey as _;
use rsa::{Pkcs1v15Sign, RsaPublicKey};
use sha2::Sha256;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The API key of every test client; it must reach the server and nowhere else.
pub const API_KEY: &str = "sk_test_CLIENTSUITE_7f3a9c";

/// The four signing headers, as the server reads them.
pub const SIGNING_HEADERS: [&str; 4] = [
    "X-Justap-Nonce",
    "X-Justap-Request-Time",
    "X-Justap-Body-Hash",
    "X-Justap-Signature",
];

/// A key file of `tests/fixtures/keys`.
pub fn key(name: &str) -> String {
    let path = sdk_tests::root().join("tests/fixtures/keys").join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading the test key {}: {e}", path.display()))
}

/// A client of `base_url` with the test API key and no signing key.
pub fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .api_key(API_KEY)
        .build()
        .expect("a client with a base URL and an API key builds")
}

/// A client of `base_url` that signs with the private key in `key_file`.
pub fn signed_client(base_url: &str, key_file: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .api_key(API_KEY)
        .private_key_pem(key(key_file))
        .build()
        .unwrap_or_else(|e| panic!("a client signing with {key_file} builds: {e}"))
}

/// A server answering every request with 200 and this JSON body.
pub async fn ok_server(body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.to_owned(), "application/json"))
        .mount(&server)
        .await;
    server
}

/// The requests the server received, in order.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on by default")
}

/// The value of a request header, if present (it must be visible ASCII).
pub fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|v| {
        v.to_str()
            .unwrap_or_else(|_| panic!("header {name} is not visible ASCII: {v:?}"))
    })
}

/// Lowercase hex MD5 of `body + request_time + nonce`, computed here rather than by the SDK.
pub fn body_hash(body: &[u8], request_time: &str, nonce: &str) -> String {
    let mut md5 = Md5::new();
    md5.update(body);
    md5.update(request_time.as_bytes());
    md5.update(nonce.as_bytes());
    md5.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks that `signature_b64` is the RSA PKCS#1 v1.5 SHA-256 signature of `body_hash + nonce` made
/// with the private key of `test_public.pem`.
pub fn verify_signature(body_hash: &str, nonce: &str, signature_b64: &str) -> Result<(), String> {
    let public = RsaPublicKey::from_public_key_pem(&key("test_public.pem"))
        .expect("test_public.pem is an SPKI RSA public key");
    let raw = BASE64
        .decode(signature_b64)
        .map_err(|e| format!("signature is not padded standard base64: {e}"))?;
    let digest = Sha256::digest(format!("{body_hash}{nonce}").as_bytes());
    public
        .verify(Pkcs1v15Sign::new::<Sha256>(), &digest, &raw)
        .map_err(|e| format!("signature does not verify with test_public.pem: {e}"))
}

/// The signing values of a received request, once checked as the server checks them: all four
/// headers present, a 20-character alphanumeric nonce, a request time within a minute of now, the
/// body hash over the exact bytes received, and a signature that verifies with the public key.
#[derive(Debug)]
pub struct Signed {
    pub nonce: String,
    pub signature: String,
}

pub fn check_signed(request: &Request) -> Result<Signed, String> {
    let get = |name: &str| header(request, name).ok_or_else(|| format!("no {name} header"));
    let nonce = get("X-Justap-Nonce")?;
    let time = get("X-Justap-Request-Time")?;
    let hash = get("X-Justap-Body-Hash")?;
    let signature = get("X-Justap-Signature")?;

    if nonce.len() != 20 || !nonce.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(format!(
            "nonce {nonce:?} is not 20 characters of [a-zA-Z0-9]"
        ));
    }
    let request_time: u64 = time
        .parse()
        .map_err(|_| format!("request time {time:?} is not decimal Unix seconds"))?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs();
    if request_time.abs_diff(now) > 60 {
        return Err(format!("request time {request_time} is not now ({now})"));
    }
    let expected_hash = body_hash(&request.body, time, nonce);
    if hash != expected_hash {
        return Err(format!(
            "body hash {hash:?}, expected {expected_hash:?} (MD5 of the {} received body bytes + time + nonce)",
            request.body.len()
        ));
    }
    verify_signature(hash, nonce, signature)?;
    Ok(Signed {
        nonce: nonce.to_owned(),
        signature: signature.to_owned(),
    })
}

/// Asserts that a request carries none of the signing headers.
pub fn assert_unsigned(request: &Request) {
    for name in SIGNING_HEADERS {
        assert_eq!(
            header(request, name),
            None,
            "{name} sent by a client without a signing key"
        );
    }
}

/// Percent-encodes one path segment as a server expects it: every byte outside RFC 3986's unreserved
/// characters `A-Za-z0-9-._~` as `%XX`. Written here, independently of the SDK's encoder.
pub fn encode_segment(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Decodes `%XX` escapes (what a server does before routing).
pub fn decode_segment(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ASCII escape");
            out.push(u8::from_str_radix(hex, 16).expect("hex escape"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("the decoded segment is UTF-8")
}
