//! Verifying Justap's webhook notifications.
//!
//! Justap notifies a merchant's server when a payment or a refund succeeds. Each notification comes
//! with a signature: the padded standard base64 of the RSA PKCS#1 v1.5 SHA-256 signature of the
//! exact bytes of the request body, made with Justap's private key. Justap's Go SDK checks it with
//! `Verify(data, publicKeyPEM, signBase64)`; [`WebhookVerifier`] does the same with Justap's public
//! key, read once.
//!
//! Verify the body exactly as it arrived, before anything parses it: the signature covers those
//! bytes, and the same JSON with other whitespace or field order does not verify.
//!
//! ```no_run
//! use justap::webhook::{WebhookError, WebhookVerifier};
//!
//! // Any `Deserialize` type works: a model such as `models::V1Charge`, or a JSON value.
//! fn on_notification(body: &[u8], signature: &str) -> Result<serde_json::Value, WebhookError> {
//!     let pem = std::fs::read_to_string("justap_public_key.pem").expect("key file");
//!     let verifier = WebhookVerifier::from_pem(&pem)?; // once, at start-up
//!     verifier.construct_event(body, signature)
//! }
//! ```
//!
//! This module comes with the `signing` feature: it uses the same crypto (`ring`, `base64`,
//! `rustls-pki-types`), and the server that signs its requests is the one that receives
//! notifications.

use std::fmt;
use std::sync::Arc;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use ring::signature::{UnparsedPublicKey, RSA_PKCS1_2048_8192_SHA256};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::SubjectPublicKeyInfoDer;
use serde::de::DeserializeOwned;

use crate::signing::{pem_block, pem_error};

/// Longest decode message kept in a [`WebhookError::Decode`]: `serde_json` may quote a value of
/// the payload, which must not come back whole.
const MESSAGE_CHARS: usize = 200;

/// Why a notification was refused: the step that failed. Never contains the key, the signature or
/// the payload.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The public key could not be read (or is not one Justap signs with).
    #[error("webhook public key: {0}")]
    InvalidKey(String),
    /// The signature is not padded standard base64.
    #[error("webhook signature: not base64 ({0})")]
    InvalidSignatureEncoding(String),
    /// The signature does not match the payload and the key: the notification is not from Justap,
    /// or its body was changed on the way.
    #[error("webhook signature: does not match the payload")]
    SignatureMismatch,
    /// The payload is authentic but does not decode as the requested type.
    #[error("webhook payload: cannot decode at {path}: {message}")]
    Decode {
        /// JSON path of the value that failed (`.` for the whole document).
        path: String,
        /// What was wrong there, at most 200 characters.
        message: String,
    },
}

/// Checks Justap's webhook signatures with Justap's RSA public key.
///
/// Cheap to clone. Its `Debug` output shows the key size, never the key.
#[derive(Clone)]
pub struct WebhookVerifier {
    /// The key as ring reads it: PKCS#1 `RSAPublicKey` DER.
    key: Arc<UnparsedPublicKey<Vec<u8>>>,
    bits: usize,
}

impl WebhookVerifier {
    /// Reads an RSA public key from PEM text: PKIX/SPKI (`-----BEGIN PUBLIC KEY-----`, what
    /// `openssl rsa -pubout` writes) or PKCS#1 (`-----BEGIN RSA PUBLIC KEY-----`).
    ///
    /// Fails with [`WebhookError::InvalidKey`] when the text is not such a key, or the key's size
    /// is outside 2048 to 8192 bits (what `ring` verifies with). `ring` checks the rest of the key
    /// as it verifies: a key it refuses there makes every signature a
    /// [`WebhookError::SignatureMismatch`].
    pub fn from_pem(pem: &str) -> Result<Self, WebhookError> {
        const PKIX: &str = "PUBLIC KEY";
        const PKCS1: &str = "RSA PUBLIC KEY";
        let rsa_public_key = if let Some(block) = pem_block(pem, PKCS1) {
            pkcs1_pem_der(block).ok_or_else(|| {
                invalid_key("the text between its BEGIN and END lines is not base64")
            })?
        } else if let Some(block) = pem_block(pem, PKIX) {
            let spki = SubjectPublicKeyInfoDer::from_pem_slice(block.as_bytes()).map_err(|e| {
                invalid_key(&format!("not a valid PKIX public key ({})", pem_error(&e)))
            })?;
            spki_rsa_public_key(&spki)
                .map_err(|reason| invalid_key(&format!("not a PKIX RSA public key ({reason})")))?
                .to_vec()
        } else {
            return Err(invalid_key(
                "expected a PEM block `-----BEGIN PUBLIC KEY-----` (PKIX) or \
                 `-----BEGIN RSA PUBLIC KEY-----` (PKCS#1)",
            ));
        };
        let bits = rsa_modulus_bits(&rsa_public_key)
            .map_err(|reason| invalid_key(&format!("not an RSA public key ({reason})")))?;
        if !(2048..=8192).contains(&bits) {
            return Err(invalid_key(&format!(
                "a {bits}-bit RSA key; signatures are verified with 2048- to 8192-bit keys"
            )));
        }
        Ok(WebhookVerifier {
            key: Arc::new(UnparsedPublicKey::new(
                &RSA_PKCS1_2048_8192_SHA256,
                rsa_public_key,
            )),
            bits,
        })
    }

    /// Size of the key's modulus, in bits.
    pub fn key_bits(&self) -> usize {
        self.bits
    }

    /// Checks that `signature` (base64, as Justap sends it; surrounding whitespace is ignored) is
    /// Justap's signature of exactly `payload`, the raw body bytes.
    pub fn verify(&self, payload: &[u8], signature: &str) -> Result<(), WebhookError> {
        let signature = BASE64
            .decode(signature.trim_ascii())
            .map_err(|e| WebhookError::InvalidSignatureEncoding(base64_error(&e)))?;
        self.key
            .verify(payload, &signature)
            .map_err(|_| WebhookError::SignatureMismatch)
    }

    /// Verifies `payload` as [`verify`](Self::verify) does and only then decodes it as `T` (such as
    /// the models `V1Charge` or `V1Refund`), as tolerantly as the client decodes responses: missing
    /// or `null` fields take their defaults, unknown fields are ignored.
    pub fn construct_event<T: DeserializeOwned>(
        &self,
        payload: &[u8],
        signature: &str,
    ) -> Result<T, WebhookError> {
        self.verify(payload, signature)?;
        let mut deserializer = serde_json::Deserializer::from_slice(payload);
        let value = serde_path_to_error::deserialize(&mut deserializer)
            .map_err(|e| decode_error(e.path().to_string(), e.inner()))?;
        deserializer
            .end()
            .map_err(|e| decode_error(".".to_owned(), &e))?;
        Ok(value)
    }
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("key_bits", &self.bits)
            .finish_non_exhaustive()
    }
}

fn invalid_key(reason: &str) -> WebhookError {
    WebhookError::InvalidKey(reason.to_owned())
}

fn decode_error(path: String, error: &serde_json::Error) -> WebhookError {
    let full = error.to_string();
    let mut message: String = full.chars().take(MESSAGE_CHARS).collect();
    if full.chars().nth(MESSAGE_CHARS).is_some() {
        message.push('…');
    }
    WebhookError::Decode { path, message }
}

/// What is wrong with a base64 text, without quoting it.
fn base64_error(error: &base64::DecodeError) -> String {
    match error {
        base64::DecodeError::InvalidByte(at, _) => format!("a character outside base64 at {at}"),
        base64::DecodeError::InvalidLength(len) => format!("{len} symbols cannot be base64"),
        base64::DecodeError::InvalidLastSymbol(at, _) => {
            format!("an impossible last symbol at {at}")
        }
        base64::DecodeError::InvalidPadding => "bad padding".to_owned(),
    }
}

/// The DER inside a PKCS#1 `RSA PUBLIC KEY` PEM block (which `rustls-pki-types` does not read).
fn pkcs1_pem_der(block: &str) -> Option<Vec<u8>> {
    let text: String = block
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .flat_map(|line| line.chars().filter(|c| !c.is_ascii_whitespace()))
        .collect();
    BASE64.decode(text).ok()
}

// A minimal DER reader for the two structures around an RSA public key. `ring` verifies with the
// PKCS#1 `RSAPublicKey` (modulus and exponent) but does not unwrap it from the PKIX
// `SubjectPublicKeyInfo` most PEM public keys are; the `spki`/`der` crates would add three
// dependencies to every build for these few lines. Only definite, minimal lengths are read (DER);
// `ring` itself checks the key it is given.

/// DER tags used here.
const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
const OBJECT_IDENTIFIER: u8 = 0x06;
const NULL: u8 = 0x05;
/// The contents of the OID 1.2.840.113549.1.1.1, rsaEncryption.
const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// The first element of `input` with this tag: its contents and what follows it.
fn der_element(input: &[u8], tag: u8) -> Result<(&[u8], &[u8]), &'static str> {
    let (&found, rest) = input.split_first().ok_or("truncated DER")?;
    if found != tag {
        return Err("unexpected DER element");
    }
    let (&first, rest) = rest.split_first().ok_or("truncated DER")?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        // Long form: the low bits count the length bytes. 0x80 (indefinite) is not DER, and more
        // than 4 bytes is more than any key.
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return Err("bad DER length");
        }
        let (bytes, rest) = rest.split_at(count);
        let len = bytes
            .iter()
            .fold(0usize, |len, &b| (len << 8) | usize::from(b));
        if len < 0x80 || bytes.first() == Some(&0) {
            return Err("bad DER length");
        }
        (len, rest)
    };
    if rest.len() < len {
        return Err("truncated DER");
    }
    Ok(rest.split_at(len))
}

/// The `RSAPublicKey` inside a `SubjectPublicKeyInfo`:
/// `SEQUENCE { SEQUENCE { OID rsaEncryption, NULL }, BIT STRING { RSAPublicKey } }`.
fn spki_rsa_public_key(spki: &[u8]) -> Result<&[u8], &'static str> {
    let (info, after) = der_element(spki, SEQUENCE)?;
    if !after.is_empty() {
        return Err("bytes after the key");
    }
    let (algorithm, rest) = der_element(info, SEQUENCE)?;
    let (oid, parameters) = der_element(algorithm, OBJECT_IDENTIFIER)?;
    if oid != RSA_ENCRYPTION {
        return Err("its algorithm is not rsaEncryption");
    }
    // The parameters are NULL (RFC 3279); some writers leave them out.
    if !parameters.is_empty() && parameters != [NULL, 0] {
        return Err("unexpected algorithm parameters");
    }
    let (bits, after) = der_element(rest, BIT_STRING)?;
    if !after.is_empty() {
        return Err("bytes after the key");
    }
    match bits.split_first() {
        Some((0, key)) => Ok(key),
        _ => Err("the key is not a whole number of bytes"),
    }
}

/// The size in bits of the modulus of an `RSAPublicKey`, `SEQUENCE { INTEGER n, INTEGER e }`.
fn rsa_modulus_bits(key: &[u8]) -> Result<usize, &'static str> {
    let (fields, after) = der_element(key, SEQUENCE)?;
    if !after.is_empty() {
        return Err("bytes after the key");
    }
    let (modulus, rest) = der_element(fields, INTEGER)?;
    let (_exponent, after) = der_element(rest, INTEGER)?;
    if !after.is_empty() {
        return Err("bytes after the exponent");
    }
    // A positive INTEGER whose top bit is set starts with a zero byte, which is not part of it.
    let modulus = match modulus {
        [0, rest @ ..] => rest,
        [top, ..] if *top >= 0x80 => return Err("the modulus is negative"),
        _ => modulus,
    };
    match modulus.first() {
        Some(&top) if top != 0 => Ok(modulus.len() * 8 - top.leading_zeros() as usize),
        _ => Err("the modulus is not a positive number"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_lengths_short_and_long() {
        assert_eq!(
            der_element(&[0x02, 0x01, 0x05, 0xff], INTEGER),
            Ok((&[5u8][..], &[0xffu8][..]))
        );
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([7u8; 0x80]);
        assert_eq!(
            der_element(&long, 0x04).map(|(c, r)| (c.len(), r.len())),
            Ok((0x80, 0))
        );
        // Not DER: indefinite length, a long form for a short length, a leading zero, truncation.
        assert!(der_element(&[0x30, 0x80, 0, 0], SEQUENCE).is_err());
        assert!(der_element(&[0x04, 0x81, 0x05, 1, 2, 3, 4, 5], 0x04).is_err());
        assert!(der_element(&[0x04, 0x82, 0x00, 0x80], 0x04).is_err());
        assert!(der_element(&[0x04, 0x03, 1, 2], 0x04).is_err());
        assert!(der_element(&[0x02, 0x01, 0x05], SEQUENCE).is_err());
    }

    #[test]
    fn modulus_bits_ignores_the_sign_byte() {
        // SEQUENCE { INTEGER 0x00ff01, INTEGER 3 }: a 16-bit modulus.
        let key = [0x30, 0x08, 0x02, 0x03, 0x00, 0xff, 0x01, 0x02, 0x01, 0x03];
        assert_eq!(rsa_modulus_bits(&key), Ok(16));
        // SEQUENCE { INTEGER 0x01ff, INTEGER 3 }: 9 bits.
        let key = [0x30, 0x07, 0x02, 0x02, 0x01, 0xff, 0x02, 0x01, 0x03];
        assert_eq!(rsa_modulus_bits(&key), Ok(9));
        // A zero modulus, a negative one.
        let key = [0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x03];
        assert!(rsa_modulus_bits(&key).is_err());
        let key = [0x30, 0x06, 0x02, 0x01, 0xff, 0x02, 0x01, 0x03];
        assert!(rsa_modulus_bits(&key).is_err());
    }
}
