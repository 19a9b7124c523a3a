//! Request signing, as Justap's official SDKs do it.
//!
//! Besides the API key, every request carries four headers:
//!
//! | header | value |
//! |---|---|
//! | [`NONCE_HEADER`] `X-Justap-Nonce` | 20 random characters from `[a-zA-Z0-9]`, new for every request |
//! | [`REQUEST_TIME_HEADER`] `X-Justap-Request-Time` | the Unix time in seconds, in decimal |
//! | [`BODY_HASH_HEADER`] `X-Justap-Body-Hash` | lowercase hex MD5 of `body + request_time + nonce`, `body` being the exact bytes sent (empty without a body) |
//! | [`SIGNATURE_HEADER`] `X-Justap-Signature` | padded standard base64 of the RSA PKCS#1 v1.5 SHA-256 signature of `body_hash + nonce`, made with the merchant's private key |
//!
//! A [`Client`](crate::Client) built with a private key signs every request by itself; this module
//! is public to sign requests sent by other means, and to check signatures in tests.

use std::fmt;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use md5::{Digest, Md5};
use rand::distributions::{Alphanumeric, DistString};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{RandomizedSigner, SignatureEncoding};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use sha2::Sha256;

use crate::Error;

/// Name of the header carrying the nonce.
pub const NONCE_HEADER: &str = "X-Justap-Nonce";
/// Name of the header carrying the request time (Unix seconds).
pub const REQUEST_TIME_HEADER: &str = "X-Justap-Request-Time";
/// Name of the header carrying the body hash.
pub const BODY_HASH_HEADER: &str = "X-Justap-Body-Hash";
/// Name of the header carrying the signature.
pub const SIGNATURE_HEADER: &str = "X-Justap-Signature";

/// Length of a nonce, in characters.
pub const NONCE_LEN: usize = 20;

/// Signs requests with a merchant's RSA private key.
///
/// Cheap to clone. Its `Debug` output shows the key size, never the key.
#[derive(Clone)]
pub struct RequestSigner {
    key: Arc<SigningKey<Sha256>>,
    bits: usize,
}

impl RequestSigner {
    /// Reads an RSA private key from PEM text: PKCS#8 (`-----BEGIN PRIVATE KEY-----`) or PKCS#1
    /// (`-----BEGIN RSA PRIVATE KEY-----`). Encrypted keys are not supported.
    ///
    /// Fails with [`Error::InvalidRequest`] when the text is not such a key, or the key cannot sign
    /// (it is too small for a SHA-256 signature). The error never contains key material.
    pub fn from_pem(pem: &str) -> Result<Self, Error> {
        const PKCS1: &str = "RSA PRIVATE KEY";
        const PKCS8: &str = "PRIVATE KEY";
        let key = if let Some(block) = pem_block(pem, PKCS1) {
            RsaPrivateKey::from_pkcs1_pem(block).map_err(|e| {
                invalid_key(format_args!("not a valid PKCS#1 RSA private key ({e})"))
            })?
        } else if let Some(block) = pem_block(pem, PKCS8) {
            RsaPrivateKey::from_pkcs8_pem(block).map_err(|e| {
                invalid_key(format_args!("not a valid PKCS#8 RSA private key ({e})"))
            })?
        } else if pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
            return Err(invalid_key(format_args!(
                "the key is encrypted; decrypt it first (for instance with `openssl pkcs8`)"
            )));
        } else {
            return Err(invalid_key(format_args!(
                "expected a PEM block `-----BEGIN PRIVATE KEY-----` (PKCS#8) or \
                 `-----BEGIN RSA PRIVATE KEY-----` (PKCS#1)"
            )));
        };
        let bits = key.size() * 8;
        let signer = RequestSigner {
            key: Arc::new(SigningKey::new(key)),
            bits,
        };
        // Signing fails only for keys too small to hold a SHA-256 signature: find out now rather
        // than on every request.
        signer.sign(b"", 0, "0")?;
        Ok(signer)
    }

    /// Size of the key's modulus, in bits.
    pub fn key_bits(&self) -> usize {
        self.bits
    }

    /// Signs `body` (the exact bytes to send, empty without a body) for the given request time (Unix
    /// seconds) and nonce. The result depends on nothing else: the same inputs give the same
    /// signature.
    ///
    /// Fails with [`Error::InvalidRequest`] only when the key cannot make a signature, which
    /// [`RequestSigner::from_pem`] already checked.
    pub fn sign(&self, body: &[u8], request_time: u64, nonce: &str) -> Result<Signature, Error> {
        let request_time_text = request_time.to_string();
        let mut md5 = Md5::new();
        md5.update(body);
        md5.update(request_time_text.as_bytes());
        md5.update(nonce.as_bytes());
        let body_hash = lower_hex(&md5.finalize());

        let mut message = Vec::with_capacity(body_hash.len() + nonce.len());
        message.extend_from_slice(body_hash.as_bytes());
        message.extend_from_slice(nonce.as_bytes());
        // PKCS#1 v1.5 signatures are deterministic; the random source only blinds the private-key
        // operation against timing attacks, it does not change the result.
        let signature = self
            .key
            .try_sign_with_rng(&mut rand::thread_rng(), &message)
            .map_err(|e| {
                Error::InvalidRequest(format!("cannot sign the request with the private key: {e}"))
            })?;

        Ok(Signature {
            nonce: nonce.to_owned(),
            request_time,
            body_hash,
            signature: BASE64.encode(signature.to_bytes()),
        })
    }

    /// Signs `body` with a fresh [`nonce`] and the current time.
    pub fn sign_now(&self, body: &[u8]) -> Result<Signature, Error> {
        self.sign(body, unix_now(), &nonce())
    }
}

impl fmt::Debug for RequestSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestSigner")
            .field("key", &"<redacted>")
            .field("key_bits", &self.bits)
            .finish()
    }
}

/// The four signing values of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// `X-Justap-Nonce`: random characters from `[a-zA-Z0-9]`.
    pub nonce: String,
    /// `X-Justap-Request-Time`: Unix time in seconds.
    pub request_time: u64,
    /// `X-Justap-Body-Hash`: lowercase hex MD5 of `body + request_time + nonce`.
    pub body_hash: String,
    /// `X-Justap-Signature`: padded standard base64 of the RSA PKCS#1 v1.5 SHA-256 signature of
    /// `body_hash + nonce`.
    pub signature: String,
}

impl Signature {
    /// The four headers to send, as (name, value).
    pub fn headers(&self) -> [(&'static str, String); 4] {
        [
            (NONCE_HEADER, self.nonce.clone()),
            (REQUEST_TIME_HEADER, self.request_time.to_string()),
            (BODY_HASH_HEADER, self.body_hash.clone()),
            (SIGNATURE_HEADER, self.signature.clone()),
        ]
    }
}

/// A fresh nonce: [`NONCE_LEN`] random characters from `[a-zA-Z0-9]`, from a cryptographically
/// secure generator.
pub fn nonce() -> String {
    Alphanumeric.sample_string(&mut rand::thread_rng(), NONCE_LEN)
}

/// The current Unix time in seconds (0 if the clock is set before 1970).
fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn lower_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// The PEM block with this label in `text` (from its `BEGIN` line to its `END` line), ignoring
/// whatever surrounds it (such as the "Bag Attributes" lines `openssl pkcs12` writes).
fn pem_block<'a>(text: &'a str, label: &str) -> Option<&'a str> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = text.find(&begin)?;
    let stop = start + text[start..].find(&end)? + end.len();
    Some(&text[start..stop])
}

fn invalid_key(reason: fmt::Arguments<'_>) -> Error {
    Error::InvalidRequest(format!("private key: {reason}"))
}
