//! Webhook verification (`justap::webhook`): payloads signed by the `openssl` command line with the
//! test key (`tests/fixtures/keys/webhook/make.sh`), checked with its public half.

use justap::models::{V1Charge, V1Refund};
use justap::webhook::{WebhookError, WebhookVerifier};

/// A file of `tests/fixtures/keys/webhook`, as bytes.
fn fixture(name: &str) -> Vec<u8> {
    let path = sdk_tests::root()
        .join("tests/fixtures/keys/webhook")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// A file of `tests/fixtures/keys/webhook`, as text.
fn text(name: &str) -> String {
    String::from_utf8(fixture(name)).unwrap_or_else(|e| panic!("{name} is not UTF-8: {e}"))
}

/// The PKIX public key of the signing test key.
fn pkix_pem() -> String {
    let path = sdk_tests::root().join("tests/fixtures/keys/test_public.pem");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn verifier() -> WebhookVerifier {
    WebhookVerifier::from_pem(&pkix_pem()).expect("test_public.pem is a 2048-bit PKIX RSA key")
}

fn key_error(pem: &str) -> String {
    match WebhookVerifier::from_pem(pem) {
        Err(WebhookError::InvalidKey(reason)) => reason,
        other => panic!("expected InvalidKey, got {other:?}"),
    }
}

#[test]
fn the_pkix_and_pkcs1_forms_of_the_public_key_are_the_same_key() {
    // Checked with the `rsa` crate, not with the code under test: the two fixtures must hold one
    // key for the tests below to mean anything.
    use rsa::pkcs1::DecodeRsaPublicKey as _;
    use rsa::pkcs8::DecodePublicKey as _;
    let pkix = rsa::RsaPublicKey::from_public_key_pem(&pkix_pem()).expect("PKIX PEM");
    let pkcs1 = rsa::RsaPublicKey::from_pkcs1_pem(&text("test_public_pkcs1.pem")).expect("PKCS#1");
    assert_eq!(pkix, pkcs1);
    assert!(text("test_public_pkcs1.pem").starts_with("-----BEGIN RSA PUBLIC KEY-----"));
    assert!(pkix_pem().starts_with("-----BEGIN PUBLIC KEY-----"));
}

#[test]
fn a_payload_signed_by_openssl_verifies_with_either_key_format() {
    let pkcs1 = WebhookVerifier::from_pem(&text("test_public_pkcs1.pem"))
        .expect("test_public_pkcs1.pem is a PKCS#1 RSA public key");
    for verifier in [verifier(), pkcs1] {
        assert_eq!(verifier.key_bits(), 2048);
        for name in ["charge", "refund", "bad_amount"] {
            let payload = fixture(&format!("{name}.json"));
            let signature = text(&format!("{name}.signature"));
            assert_eq!(verifier.verify(&payload, &signature), Ok(()), "{name}");
        }
    }
}

#[test]
fn a_signature_with_a_trailing_newline_still_verifies() {
    // Header values and files often end in whitespace that is not part of the base64.
    let signature = format!(" {}\r\n", text("charge.signature"));
    assert_eq!(
        verifier().verify(&fixture("charge.json"), &signature),
        Ok(())
    );
}

#[test]
fn one_changed_byte_of_the_payload_fails() {
    let verifier = verifier();
    let payload = fixture("charge.json");
    let signature = text("charge.signature");
    for at in [0, payload.len() / 2, payload.len() - 1] {
        let mut changed = payload.clone();
        changed[at] ^= 0x01;
        assert_eq!(
            verifier.verify(&changed, &signature),
            Err(WebhookError::SignatureMismatch),
            "byte {at} changed"
        );
    }
    // A byte more or less, too.
    let mut longer = payload.clone();
    longer.push(b' ');
    assert_eq!(
        verifier.verify(&longer, &signature),
        Err(WebhookError::SignatureMismatch)
    );
    assert_eq!(
        verifier.verify(&payload[..payload.len() - 1], &signature),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn one_changed_byte_of_the_signature_fails() {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD as BASE64;
    let mut signature = BASE64
        .decode(text("charge.signature"))
        .expect("the fixture is base64");
    signature[100] ^= 0x80;
    assert_eq!(
        verifier().verify(&fixture("charge.json"), &BASE64.encode(&signature)),
        Err(WebhookError::SignatureMismatch)
    );
    // The refund's signature is a real signature, of other bytes.
    assert_eq!(
        verifier().verify(&fixture("charge.json"), &text("refund.signature")),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn the_same_json_with_other_whitespace_fails() {
    let compact = fixture("charge.json");
    let pretty = fixture("charge_pretty.json");
    assert_ne!(compact, pretty);
    let as_json = |bytes: &[u8]| -> serde_json::Value {
        serde_json::from_slice(bytes).expect("the fixtures are JSON")
    };
    assert_eq!(as_json(&compact), as_json(&pretty), "same JSON document");
    assert_eq!(
        verifier().verify(&pretty, &text("charge.signature")),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn a_wrong_key_fails() {
    let other = WebhookVerifier::from_pem(&text("other_public.pem"))
        .expect("other_public.pem is a 2048-bit PKIX RSA key");
    assert_eq!(
        other.verify(&fixture("charge.json"), &text("charge.signature")),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn a_signature_that_is_not_base64_fails_as_such() {
    let verifier = verifier();
    let payload = fixture("charge.json");
    let good = text("charge.signature");
    for bad in [
        "not base64!".to_owned(),
        good.replace('=', ""),
        format!("{}*", &good[..good.len() - 1]),
        good.replace('+', "-"),
    ] {
        match verifier.verify(&payload, &bad) {
            Err(WebhookError::InvalidSignatureEncoding(reason)) => {
                assert!(!reason.contains(&bad), "{reason}");
            }
            other => panic!("{bad:?}: expected InvalidSignatureEncoding, got {other:?}"),
        }
    }
    // Valid base64 of the wrong length is a signature that does not match.
    assert_eq!(
        verifier.verify(&payload, "AAAA"),
        Err(WebhookError::SignatureMismatch)
    );
    assert_eq!(
        verifier.verify(&payload, ""),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn construct_event_decodes_an_authentic_charge_tolerantly() {
    let charge: V1Charge = verifier()
        .construct_event(&fixture("charge.json"), &text("charge.signature"))
        .expect("an authentic charge");
    // Expected values read off charge.json by hand.
    assert_eq!(charge.charge_id, "ch_101240601000000001");
    assert_eq!(charge.merchant_trade_id, "order_20240601_0001");
    assert_eq!(charge.amount, 0.01);
    assert_eq!(charge.subject, "测试商品");
    assert_eq!(charge.body, "支付成功通知");
    assert!(charge.paid);
    assert!(!charge.live_mode);
    // int64 as a string, a field the payload lacks, and an unknown field all decode.
    assert_eq!(charge.paid_ts, Some(1_717_200_000));
    assert_eq!(charge.closed_ts, Some(0));
    assert_eq!(charge.failure_msg, "");
    assert_eq!(
        charge.metadata.get("order").map(String::as_str),
        Some("0001")
    );

    let refund: V1Refund = verifier()
        .construct_event(&fixture("refund.json"), &text("refund.signature"))
        .expect("an authentic refund");
    assert_eq!(refund.refund_id, "re_101240601000000009");
    assert_eq!(refund.charge_id, "ch_101240601000000001");
    assert_eq!(refund.created, 1_717_200_600);
    assert_eq!(refund.description, "退款");
    assert!(refund.is_success);
    assert!(refund.metadata.is_empty(), "null metadata decodes as empty");
}

#[test]
fn construct_event_verifies_before_it_decodes() {
    let verifier = verifier();
    // Valid JSON of the right type, but not the bytes that were signed: refused, not decoded.
    let forged = String::from_utf8(fixture("charge.json"))
        .expect("UTF-8")
        .replace("\"amount\":0.01", "\"amount\":1000");
    assert_ne!(forged.as_bytes(), fixture("charge.json"));
    assert_eq!(
        verifier
            .construct_event::<V1Charge>(forged.as_bytes(), &text("charge.signature"))
            .map(|c| c.amount),
        Err(WebhookError::SignatureMismatch)
    );
    assert!(matches!(
        verifier.construct_event::<V1Charge>(&fixture("charge.json"), "%%%"),
        Err(WebhookError::InvalidSignatureEncoding(_))
    ));
}

#[test]
fn an_authentic_payload_that_does_not_decode_names_the_field_without_echoing_the_payload() {
    let error = verifier()
        .construct_event::<V1Charge>(&fixture("bad_amount.json"), &text("bad_amount.signature"))
        .expect_err("amount is not a number");
    let WebhookError::Decode { path, message } = &error else {
        panic!("expected Decode, got {error:?}");
    };
    assert_eq!(path, "amount");
    assert!(message.chars().count() <= 201, "{message}");
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(shown.contains("amount"), "{shown}");
        assert!(!shown.contains("SECRET-LOOKING-PAYLOAD-TEXT"), "{shown}");
        assert!(!shown.contains("ch_101240601000000002"), "{shown}");
    }
}

#[test]
fn keys_justap_does_not_sign_with_are_refused_at_reading() {
    let reason = key_error(&text("ec_p256_public.pem"));
    assert!(reason.contains("rsaEncryption"), "{reason}");
    let reason = key_error(&text("rsa1024_public.pem"));
    assert!(reason.contains("1024-bit"), "{reason}");
    let reason = key_error("no key here");
    assert!(reason.contains("BEGIN PUBLIC KEY"), "{reason}");
    // A private key is not a public key.
    let private = std::fs::read_to_string(
        sdk_tests::root().join("tests/fixtures/keys/test_private_pkcs8.pem"),
    )
    .expect("private key fixture");
    key_error(&private);
}

#[test]
fn a_damaged_public_key_is_refused_without_quoting_it() {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD as BASE64;
    let pem = pkix_pem();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = BASE64.decode(&body).expect("PEM body is base64");
    let to_pem = |label: &str, der: &[u8]| {
        format!(
            "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
            BASE64.encode(der)
        )
    };
    // Truncated, one byte too many, and an indefinite length (BER, not DER).
    let mut indefinite = der.clone();
    indefinite[1] = 0x80;
    let mut longer = der.clone();
    longer.push(0);
    for damaged in [&der[..der.len() - 10], &longer[..], &indefinite[..]] {
        let pem = to_pem("PUBLIC KEY", damaged);
        let reason = key_error(&pem);
        assert!(!reason.contains(&body[10..40]), "{reason}");
    }
    // The SPKI DER under the PKCS#1 label is not an RSAPublicKey.
    key_error(&to_pem("RSA PUBLIC KEY", &der));
    // Text that is not base64 between the lines.
    key_error("-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n");
    key_error("-----BEGIN RSA PUBLIC KEY-----\n!!!!\n-----END RSA PUBLIC KEY-----\n");
}

#[test]
fn debug_output_shows_the_key_size_not_the_key() {
    let shown = format!("{:?}", verifier());
    assert!(shown.contains("2048"), "{shown}");
    let pem = pkix_pem();
    let line = pem.lines().nth(1).expect("a base64 line");
    assert!(!shown.contains(&line[..16]), "{shown}");
}
