//! Decoding what the server really sends (justap-facts §2) into the generated models, and encoding
//! requests: int64 as strings, `null` and missing "required" fields, unknown fields, enum values the
//! spec does not list, `@type` Any with inline fields, non-finite floats.

use justap::models::{
    GooglerpcStatus, Tradev1Channel, V1BusinessUser, V1ChargeListResponse, V1Customer, V1Gender,
    V1Refund,
};
use serde_json::json;

fn charge_list_payload() -> serde_json::Value {
    json!({
        "object": "list",
        "url": "/v1/charges",            // not in the spec: ignored
        "data": [
            {
                "charge_id": "ch_101",
                "object": "charge",
                "amount": 100.5,
                "amount_fee": 0.6,
                "amount_refund": 0,
                "channel": "AlipayQR",
                "closed": false,
                "closed_ts": "1700000000",   // int64 as a JSON string
                "paid_ts": 1700000001,       // ... or as a number
                "expired_ts": null,
                "created_at": "2023-11-14T22:13:20Z",
                "paid_at": "2023-11-14T22:13:21.5+08:00",
                "closed_at": null,
                "failure_code": null,        // required, but null
                // "failure_msg", "subject", "ttl", "live_mode": required, but absent
                "metadata": { "order": "42" },
                "refunds": null,
                "extra": null,
                "credential": {
                    "@type": "type.googleapis.com/justap.v1.AlipayQrCredential",
                    "qr_code": "https://qr.alipay.com/abc",
                    "expires_in": 300
                },
                "brand_new_field": { "nested": [1, 2, 3] }
            },
            {
                "charge_id": "ch_102",
                "channel": "SomePayLater",     // a channel added after this release
                "ttl": "7200"                  // int32 sent as a string: accepted
            },
            {
                "charge_id": "ch_103",
                "channel": 4                   // a server that does not know the name sends the number
            }
        ]
        // "has_more": required, but absent
    })
}

#[test]
fn a_charge_list_as_the_server_sends_it_decodes() {
    let list: V1ChargeListResponse =
        serde_json::from_value(charge_list_payload()).expect("decodes");
    assert!(!list.has_more);
    assert_eq!(list.object.as_deref(), Some("list"));
    let [first, second, third] = list.data.as_slice() else {
        panic!("three charges expected")
    };

    assert_eq!(first.charge_id, "ch_101");
    assert_eq!(first.amount, 100.5);
    assert_eq!(first.channel, Tradev1Channel::AlipayQr);
    assert_eq!(first.closed_ts, Some(1_700_000_000));
    assert_eq!(first.paid_ts, Some(1_700_000_001));
    assert_eq!(first.expired_ts, None);
    assert_eq!(first.failure_code, "");
    assert_eq!(first.failure_msg, "");
    assert_eq!(first.ttl, 0);
    assert!(!first.live_mode);
    assert_eq!(first.created_at.map(|t| t.timestamp()), Some(1_700_000_000));
    assert_eq!(
        first.paid_at.map(|t| t.timestamp()),
        Some(1_700_000_001 - 8 * 3600)
    );
    assert_eq!(first.closed_at, None);
    assert_eq!(first.metadata.get("order").map(String::as_str), Some("42"));
    assert!(first.refunds.is_empty());
    assert!(first.extra.is_none());
    let credential = first.credential.as_ref().expect("credential");
    assert_eq!(
        credential.r#type.as_deref(),
        Some("type.googleapis.com/justap.v1.AlipayQrCredential")
    );
    assert_eq!(
        credential.additional_properties["qr_code"],
        "https://qr.alipay.com/abc"
    );
    assert_eq!(credential.additional_properties["expires_in"], 300);

    assert_eq!(
        second.channel,
        Tradev1Channel::Unrecognized("SomePayLater".into())
    );
    assert_eq!(second.channel.as_str(), "SomePayLater");
    assert_eq!(second.ttl, 7200);
    assert_eq!(third.channel, Tradev1Channel::Unrecognized("4".into()));
}

#[test]
fn re_encoding_keeps_what_matters() {
    let list: V1ChargeListResponse =
        serde_json::from_value(charge_list_payload()).expect("decodes");
    let encoded = serde_json::to_value(&list).expect("encodes");
    let first = &encoded["data"][0];
    // int64 with `type: string` goes back out as a string, as the spec says.
    assert_eq!(first["closed_ts"], "1700000000");
    assert_eq!(first["paid_ts"], "1700000001");
    assert_eq!(
        first["credential"],
        charge_list_payload()["data"][0]["credential"]
    );
    assert_eq!(encoded["data"][1]["channel"], "SomePayLater");
    // Unset optional fields are not sent.
    assert!(first.get("expired_ts").is_none());
    assert!(first.get("extra").is_none());
    assert!(first.get("refunds").is_none());
    // Decoding the re-encoded value gives the same model.
    let again: V1ChargeListResponse = serde_json::from_value(encoded).expect("decodes again");
    assert_eq!(again, list);
}

#[test]
fn int64_with_type_number_accepts_strings_and_is_sent_as_a_number() {
    let refund: V1Refund = serde_json::from_value(
        json!({ "created": "1700000000", "succeed_ts": 1700000001, "amount": "NaN" }),
    )
    .expect("decodes");
    assert_eq!(refund.created, 1_700_000_000);
    assert_eq!(refund.succeed_ts, 1_700_000_001);
    assert!(refund.amount.is_nan());
    let encoded = serde_json::to_value(&refund).expect("encodes");
    assert_eq!(encoded["created"], 1_700_000_000_i64);
    assert_eq!(encoded["amount"], "NaN");
}

#[test]
fn non_finite_floats_decode() {
    let customer: V1Customer = serde_json::from_value(
        json!({ "available_balance": "Infinity", "withdrawable_balance": "-Infinity" }),
    )
    .expect("decodes");
    assert_eq!(customer.available_balance, Some(f64::INFINITY));
    assert_eq!(customer.withdrawable_balance, Some(f64::NEG_INFINITY));
}

#[test]
fn the_error_body_decodes_with_its_details() {
    let body = json!({
        "code": 5,
        "message": "charge not found",
        "details": [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "NOT_FOUND", "metadata": { "id": "ch_1" } }]
    });
    let status: GooglerpcStatus = serde_json::from_value(body.clone()).expect("decodes");
    assert_eq!(status.code, Some(5));
    assert_eq!(status.message.as_deref(), Some("charge not found"));
    assert_eq!(
        status.details[0].additional_properties["reason"],
        "NOT_FOUND"
    );
    assert_eq!(serde_json::to_value(&status).expect("encodes"), body);
}

#[test]
fn escaped_keys_match_their_field_and_unknown_keys_of_any_shape_are_skipped() {
    // An escaped key cannot be borrowed from the input: the decoder must still match it.
    let text = r#"{"charge\u005fid": "ch_1", "amount": 12, "later": {"nested": [1, {"x": null}]}, "also_later": [true]}"#;
    let refund: V1Refund = serde_json::from_str(text).expect("decodes");
    assert_eq!(refund.charge_id, "ch_1");
    assert_eq!(refund.amount, 12.0);
    // The same bytes through serde_json::Value (owned keys everywhere) decode alike.
    let value: serde_json::Value = serde_json::from_str(text).expect("json");
    assert_eq!(
        serde_json::from_value::<V1Refund>(value).expect("decodes"),
        refund
    );
}

#[test]
fn a_wrong_type_is_an_error_naming_the_field() {
    // The path as the client reports it in `Error::Decode` (found with serde_path_to_error).
    let path_of = |text: &str| {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        match serde_path_to_error::deserialize::<_, V1ChargeListResponse>(&mut deserializer) {
            Ok(list) => panic!("{text} decoded as {list:?}"),
            Err(error) => (error.path().to_string(), error.into_inner().to_string()),
        }
    };
    let (path, message) = path_of(r#"{"data":[{},{"refunds":[{},{"created":"soon"}]}]}"#);
    assert_eq!(path, "data[1].refunds[1].created", "{message}");
    assert!(message.contains("soon"), "{message}");
    let (path, message) = path_of(r#"{"data":[{"metadata":{"order":42}}]}"#);
    assert_eq!(path, "data[0].metadata.order", "{message}");
    let (path, message) = path_of(r#"{"has_more":"yes"}"#);
    assert_eq!(path, "has_more", "{message}");
}

#[test]
fn a_request_sends_what_the_user_set_and_nothing_else() {
    assert_eq!(
        serde_json::to_value(V1BusinessUser::default()).expect("encodes"),
        json!({})
    );
    let user = V1BusinessUser {
        name: Some("张三".into()),
        gender: Some(V1Gender::Female),
        metadata: [("k".to_owned(), "v".to_owned())].into(),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&user).expect("encodes"),
        json!({ "name": "张三", "gender": "FEMALE", "metadata": { "k": "v" } })
    );
}

#[test]
fn enums_default_to_the_spec_default_and_round_trip_their_names() {
    assert_eq!(
        Tradev1Channel::default(),
        Tradev1Channel::ChannelInvalidUnspecified
    );
    assert_eq!(V1Gender::default().as_str(), "GENDER_UNKNOWN");
    assert_eq!(
        "WechatpayH5".parse::<Tradev1Channel>(),
        Ok(Tradev1Channel::WechatpayH5)
    );
    assert_eq!(Tradev1Channel::WechatpayH5.to_string(), "WechatpayH5");
}
