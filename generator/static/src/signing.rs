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
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{PrivatePkcs1KeyDer, PrivatePkcs8KeyDer};

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
/// Signing uses `ring`, whose private-key operations run in constant time, and whose arithmetic
/// is fast even when the user's crate is built without optimizations.
///
/// Cheap to clone. Its `Debug` output shows the key size, never the key.
#[derive(Clone)]
pub struct RequestSigner {
    key: Arc<RsaKeyPair>,
    bits: usize,
}

impl RequestSigner {
    /// Reads an RSA private key from PEM text: PKCS#8 (`-----BEGIN PRIVATE KEY-----`) or PKCS#1
    /// (`-----BEGIN RSA PRIVATE KEY-----`). Encrypted keys are not supported.
    ///
    /// Fails with [`Error::InvalidRequest`] when the text is not such a key, or the key's size is
    /// outside 2048 to 4096 bits (the range `ring` signs with; Justap's keys are 2048 bits). The
    /// error never contains key material.
    pub fn from_pem(pem: &str) -> Result<Self, Error> {
        const PKCS1: &str = "RSA PRIVATE KEY";
        const PKCS8: &str = "PRIVATE KEY";
        let key = if let Some(block) = pem_block(pem, PKCS1) {
            let der = PrivatePkcs1KeyDer::from_pem_slice(block.as_bytes()).map_err(|e| {
                invalid_key(format_args!(
                    "not a valid PKCS#1 RSA private key ({})",
                    pem_error(&e)
                ))
            })?;
            RsaKeyPair::from_der(der.secret_pkcs1_der()).map_err(|e| {
                invalid_key(format_args!("not a valid PKCS#1 RSA private key ({e})"))
            })?
        } else if let Some(block) = pem_block(pem, PKCS8) {
            let der = PrivatePkcs8KeyDer::from_pem_slice(block.as_bytes()).map_err(|e| {
                invalid_key(format_args!(
                    "not a valid PKCS#8 RSA private key ({})",
                    pem_error(&e)
                ))
            })?;
            RsaKeyPair::from_pkcs8(der.secret_pkcs8_der()).map_err(|e| {
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
        let bits = key.public().modulus_len() * 8;
        let signer = RequestSigner {
            key: Arc::new(key),
            bits,
        };
        // `ring` checked the key's size and consistency as it read it; one signature now makes sure
        // that a key which cannot sign is refused here rather than on every request.
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
        // PKCS#1 v1.5 padding takes no randomness: the random source is only part of ring's
        // interface, and the signature is the same whatever it is.
        let mut signature = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                &message,
                &mut signature,
            )
            .map_err(|_| {
                Error::InvalidRequest(
                    "cannot sign the request with the private key: the key cannot make an RSA \
                     PKCS#1 v1.5 SHA-256 signature"
                        .to_owned(),
                )
            })?;

        Ok(Signature {
            nonce: nonce.to_owned(),
            request_time,
            body_hash,
            signature: BASE64.encode(&signature),
        })
    }

    /// Signs `body` with a fresh [`nonce`] and the current time.
    ///
    /// Also fails with [`Error::InvalidRequest`] in the unlikely case that the operating system
    /// gives no random bytes for the nonce.
    pub fn sign_now(&self, body: &[u8]) -> Result<Signature, Error> {
        let nonce = try_nonce().map_err(|_| {
            Error::InvalidRequest(
                "cannot make a nonce: the operating system's random source failed".to_owned(),
            )
        })?;
        self.sign(body, unix_now(), &nonce)
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

/// The four signing values of one request. Its `Debug` leaves the signature out.
#[derive(Clone, PartialEq, Eq)]
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

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signature")
            .field("nonce", &self.nonce)
            .field("request_time", &self.request_time)
            .field("body_hash", &self.body_hash)
            .field("signature", &"<redacted>")
            .finish()
    }
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

/// A fresh nonce: [`NONCE_LEN`] random characters from `[a-zA-Z0-9]`, from the operating system's
/// cryptographically secure generator.
///
/// # Panics
///
/// If the operating system gives no random bytes, which [`RequestSigner::sign_now`] reports as an
/// error instead.
pub fn nonce() -> String {
    match try_nonce() {
        Ok(nonce) => nonce,
        Err(ring::error::Unspecified) => panic!("the operating system's random source failed"),
    }
}

fn try_nonce() -> Result<String, ring::error::Unspecified> {
    const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    // Bytes of 248 and more are dropped so that each character is equally likely (248 = 4 × 62);
    // a batch of 32 bytes is nearly always enough for 20 characters.
    const LIMIT: u8 = 248;
    let rng = SystemRandom::new();
    let mut nonce = String::with_capacity(NONCE_LEN);
    let mut bytes = [0u8; 32];
    while nonce.len() < NONCE_LEN {
        rng.fill(&mut bytes)?;
        for &b in bytes.iter().filter(|&&b| b < LIMIT) {
            if nonce.len() == NONCE_LEN {
                break;
            }
            nonce.push(char::from(ALPHABET[usize::from(b % 62)]));
        }
    }
    Ok(nonce)
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
pub(crate) fn pem_block<'a>(text: &'a str, label: &str) -> Option<&'a str> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = text.find(&begin)?;
    let stop = start + text[start..].find(&end)? + end.len();
    Some(&text[start..stop])
}

/// What went wrong in a PEM block, without the text of the block: `rustls_pki_types`'s messages
/// may quote a line of it.
pub(crate) fn pem_error(error: &rustls_pki_types::pem::Error) -> &'static str {
    use rustls_pki_types::pem::Error as Pem;
    match error {
        Pem::MissingSectionEnd { .. } => "its END line is missing",
        Pem::IllegalSectionStart { .. } => "a malformed BEGIN line",
        Pem::Base64Decode(_) => "the text between its BEGIN and END lines is not base64",
        Pem::NoItemsFound => "no complete PEM block",
        _ => "the PEM text cannot be read",
    }
}

fn invalid_key(reason: fmt::Arguments<'_>) -> Error {
    Error::InvalidRequest(format!("private key: {reason}"))
}
