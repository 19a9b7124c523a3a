//! The wire format of ARCHITECTURE.md's "Type rules" and "Scalars" tables, row by row, on the
//! models of `spec/justap.yaml`.
//!
//! Encoding rows compare `serde_json::to_string` of a value with JSON text written by hand from the
//! spec (its `properties` order is the key order, its `required` list what is always sent);
//! decoding rows decode hand-written text and check the fields, or the JSON path a decode error
//! names (found with `serde_path_to_error`, as the client does for its `Error::Decode`).
//!
//! Two rows have no field in this release to test them on: `{}`/untyped fields
//! (`serde_json::Value`) and `uint32`/`uint64` integers. Those are tested on `V1Gauge` of the
//! parameters fixture crate (tests/fixtures/specs/params.yaml), made for them.

use std::collections::BTreeMap;

use justap::models::{
    CreateRoyaltyRequestRoyaltyMode, CreateRoyaltyRequestRoyaltyReceiver, ProtobufAny,
    RoyaltyReceiverRoyaltyFeeMode, V1BusinessUser, V1ChargeListResponse, V1CreateChargeRequest,
    V1CreateCustomerRequest, V1ExtraAlipayGoodsDetail, V1ExtraAlipayQr, V1Gender, V1Refund,
    V1SettlementAccountRecipient, V1UpdateAndPatchRequestBody,
};
use justap_params_fixture::models::V1Gauge;
use serde_json::json;

/// `serde_json::to_string` of a value (a macro: this crate does not depend on serde for a bound).
macro_rules! encoded {
    ($value:expr) => {
        serde_json::to_string(&$value).expect("a model encodes")
    };
}

/// Decodes `$text` as `$ty`, panicking with the text when it does not decode.
macro_rules! decoded {
    ($ty:ty, $text:expr) => {
        serde_json::from_str::<$ty>($text).unwrap_or_else(|e| panic!("{}: {e}", $text))
    };
}

/// Decodes `$text` as `$ty`, which must fail: the JSON path of the failing value and the message.
macro_rules! decode_error {
    ($ty:ty, $text:expr) => {{
        let mut deserializer = serde_json::Deserializer::from_str($text);
        match serde_path_to_error::deserialize::<_, $ty>(&mut deserializer) {
            Ok(value) => panic!("{} decoded as {value:?}", $text),
            Err(error) => (error.path().to_string(), error.into_inner().to_string()),
        }
    }};
}

// ---------------------------------------------------------------------------------------------
// Type rules

/// Row `required`: always sent, zero values included.
#[test]
fn required_fields_are_always_sent() {
    // v1CreateChargeRequest lists every property but `extra` and `metadata` in `required`; the
    // channel's zero value is tradev1Channel's `default`, an f32 zero is `0.0`.
    let expected = concat!(
        r#"{"amount":0.0,"app_id":"","body":"","callback_url":"","#,
        r#""channel":"CHANNEL_INVALID_UNSPECIFIED","client_ip":"","currency":"","description":"","#,
        r#""merchant_trade_id":"","notification_area":"","notify_url":"","source":"","subject":"","#,
        r#""ttl":0}"#,
    );
    assert_eq!(encoded!(V1CreateChargeRequest::default()), expected);
}

/// Row `required`: absent or `null` decode to the protobuf zero value.
#[test]
fn required_fields_absent_or_null_decode_to_zero() {
    assert_eq!(
        decoded!(V1CreateChargeRequest, "{}"),
        V1CreateChargeRequest::default()
    );
    let text = r#"{"amount":null,"app_id":null,"channel":null,"ttl":null,"metadata":null}"#;
    assert_eq!(
        decoded!(V1CreateChargeRequest, text),
        V1CreateChargeRequest::default()
    );
}

/// Row `not required`: `None` is not sent, any `Some` is (even an empty string or `false`).
#[test]
fn optional_fields_are_sent_only_when_set() {
    assert_eq!(encoded!(V1BusinessUser::default()), "{}");
    let user = V1BusinessUser {
        disabled: Some(false),
        name: Some(String::new()),
        ..Default::default()
    };
    assert_eq!(encoded!(user), r#"{"disabled":false,"name":""}"#);
}

/// Row `not required`: absent or `null` decode to `None`.
#[test]
fn optional_fields_absent_or_null_decode_to_none() {
    let user = decoded!(V1BusinessUser, r#"{"name":null,"gender":null}"#);
    assert_eq!(user, V1BusinessUser::default());
    assert_eq!(decoded!(V1BusinessUser, "{}"), V1BusinessUser::default());
}

/// Row `not required, and a struct`: `Option<Box<T>>`, sent when `Some`, even when empty.
#[test]
fn optional_structs_are_sent_only_when_set() {
    assert_eq!(encoded!(V1UpdateAndPatchRequestBody::default()), "{}");
    let body = V1UpdateAndPatchRequestBody {
        recipient: Some(Box::new(V1SettlementAccountRecipient::default())),
        ..Default::default()
    };
    assert_eq!(encoded!(body), r#"{"recipient":{}}"#);
    let back = decoded!(V1UpdateAndPatchRequestBody, r#"{"recipient":null}"#);
    assert_eq!(back.recipient, None);
}

/// Row `type: array`: an empty `Vec` is not sent; absent or `null` decode to empty.
#[test]
fn empty_arrays_are_not_sent() {
    // v1ChargeListResponse requires only `has_more`.
    assert_eq!(
        encoded!(V1ChargeListResponse::default()),
        r#"{"has_more":false}"#
    );
    // v1ExtraAlipayQr requires all its properties but `discountable_amount` and `goods_detail`.
    let qr_fields = concat!(
        r#""operator_id":"","product_code":"","qr_code":"","qr_code_timeout_express":"","#,
        r#""qr_link":"","store_id":"","terminal_id":"""#,
    );
    assert_eq!(
        encoded!(V1ExtraAlipayQr::default()),
        format!(r#"{{"buyer_id":"",{qr_fields}}}"#)
    );
    let qr = V1ExtraAlipayQr {
        goods_detail: vec![V1ExtraAlipayGoodsDetail::default()],
        ..Default::default()
    };
    let item = concat!(
        r#"{"alipay_goods_id":"","body":"","categories_tree":"","goods_category":"","#,
        r#""goods_id":"","goods_name":"","price":0.0,"quantity":0,"show_url":""}"#,
    );
    assert_eq!(
        encoded!(qr),
        format!(r#"{{"buyer_id":"","goods_detail":[{item}],{qr_fields}}}"#)
    );

    for text in [r#"{"data":null}"#, r#"{"data":[]}"#, "{}"] {
        assert!(
            decoded!(V1ChargeListResponse, text).data.is_empty(),
            "{text}"
        );
    }
}

/// Row `additionalProperties` only (a map): an empty map is not sent; absent or `null` decode to
/// empty.
#[test]
fn empty_maps_are_not_sent() {
    let user = V1BusinessUser {
        metadata: BTreeMap::new(),
        ..Default::default()
    };
    assert_eq!(encoded!(user), "{}");
    let user = V1BusinessUser {
        metadata: BTreeMap::from([("k".to_owned(), String::new())]),
        ..Default::default()
    };
    assert_eq!(encoded!(user), r#"{"metadata":{"k":""}}"#);
    assert!(
        decoded!(V1BusinessUser, r#"{"metadata":null}"#)
            .metadata
            .is_empty()
    );
}

/// Row `properties` + `additionalProperties` (protobufAny): the extra keys are sent after the
/// fields, whatever their names, with their values as they are.
#[test]
fn extra_keys_are_sent_after_the_fields() {
    let any = ProtobufAny {
        r#type: Some("type.googleapis.com/justap.v1.Extra".into()),
        additional_properties: BTreeMap::from([
            // Sorts before "@type" ('0' < '@'), and still goes after it.
            ("0_first".to_owned(), json!(1)),
            ("nested".to_owned(), json!({"z": [1, 2.5, null], "a": "ü"})),
            ("none".to_owned(), json!(null)),
        ]),
    };
    assert_eq!(
        encoded!(any),
        concat!(
            r#"{"@type":"type.googleapis.com/justap.v1.Extra","0_first":1,"#,
            r#""nested":{"z":[1,2.5,null],"a":"ü"},"none":null}"#,
        )
    );
    assert_eq!(encoded!(ProtobufAny::default()), "{}");
}

/// Row `properties` + `additionalProperties`: unknown keys are kept, values untouched.
#[test]
fn unknown_keys_of_an_any_are_kept() {
    let any = decoded!(
        ProtobufAny,
        r#"{"none":null,"@type":"t","nested":{"z":1,"a":[0.1]}}"#
    );
    assert_eq!(any.r#type.as_deref(), Some("t"));
    assert_eq!(any.additional_properties["none"], json!(null));
    assert_eq!(
        any.additional_properties["nested"],
        json!({"z": 1, "a": [0.1]})
    );
    assert_eq!(any.additional_properties.len(), 2);
}

// ---------------------------------------------------------------------------------------------
// Scalars

/// `string`/`int64`: sent as a JSON string.
#[test]
fn int64_with_type_string_is_sent_as_a_string() {
    for (created, written) in [
        (0, r#"{"created":"0"}"#),
        (9_007_199_254_740_993, r#"{"created":"9007199254740993"}"#),
        (i64::MIN, r#"{"created":"-9223372036854775808"}"#),
        (i64::MAX, r#"{"created":"9223372036854775807"}"#),
    ] {
        let customer = V1CreateCustomerRequest {
            created: Some(created),
            ..Default::default()
        };
        assert_eq!(encoded!(customer), written);
    }
}

/// `string`/`int64`: decoded from a string or a number.
#[test]
fn int64_with_type_string_decodes_from_a_string_or_a_number() {
    for text in [r#"{"created":"-42"}"#, r#"{"created":-42}"#] {
        assert_eq!(
            decoded!(V1CreateCustomerRequest, text).created,
            Some(-42),
            "{text}"
        );
    }
    let big = r#"{"created":"9007199254740993"}"#;
    assert_eq!(
        decoded!(V1CreateCustomerRequest, big).created,
        Some(9_007_199_254_740_993)
    );
}

/// `number`/`int64` and `int32`: sent as JSON numbers, decoded from a number or a string.
#[test]
fn int64_with_type_number_and_int32_are_sent_as_numbers() {
    let refund = V1Refund {
        created: 9_007_199_254_740_993,
        succeed_ts: -1,
        ..Default::default()
    };
    // v1Refund: `created` and `succeed_ts` are number/int64; all but `account`, `created_at`,
    // `metadata` and `success_at` are required.
    let expected = concat!(
        r#"{"amount":0.0,"charge_id":"","charge_merchant_trade_id":"","created":9007199254740993,"#,
        r#""description":"","failure_code":"","failure_msg":"","is_success":false,"refund_id":"","#,
        r#""refund_no":"","status":"","succeed_ts":-1,"transaction_no":""}"#,
    );
    assert_eq!(encoded!(refund), expected);

    let item = V1ExtraAlipayGoodsDetail {
        quantity: i32::MIN,
        ..Default::default()
    };
    assert!(
        encoded!(item).contains(r#","quantity":-2147483648,"#),
        "{}",
        encoded!(item)
    );
    for text in [r#"{"quantity":"7"}"#, r#"{"quantity":7}"#] {
        assert_eq!(
            decoded!(V1ExtraAlipayGoodsDetail, text).quantity,
            7,
            "{text}"
        );
    }
    assert_eq!(
        decoded!(V1Refund, r#"{"created":"9007199254740993"}"#).created,
        9_007_199_254_740_993
    );
}

/// `number`/`float` (`f32`): sent with the shortest digits that read back as that `f32`, which
/// are the digits the user wrote; not the digits of the `f32` widened to `f64`.
#[test]
fn f32_is_sent_as_written() {
    let receiver = CreateRoyaltyRequestRoyaltyReceiver {
        amount: 0.01,
        fee: 0.1,
        fee_ratio: 19.99,
        ratio: 100.0,
        ..Default::default()
    };
    // CreateRoyaltyRequestRoyaltyReceiver requires all its properties; the enums' zero values are
    // their spec `default`s.
    let expected = concat!(
        r#"{"amount":0.01,"fee":0.1,"fee_model":"FREE","fee_ratio":19.99,"ratio":100.0,"#,
        r#""recipient_business_user_id":"","royalty_mode":"ROYALTY_MODE_UNSET"}"#,
    );
    assert_eq!(encoded!(receiver), expected);

    let charge = V1CreateChargeRequest {
        amount: 0.01,
        ..Default::default()
    };
    assert!(
        encoded!(charge).starts_with(r#"{"amount":0.01,"app_id":"#),
        "{}",
        encoded!(charge)
    );
}

/// `number`/`float` and `double`: not finite → protojson's strings.
#[test]
fn non_finite_floats_are_sent_as_strings() {
    let receiver = CreateRoyaltyRequestRoyaltyReceiver {
        amount: f32::NAN,
        fee: f32::INFINITY,
        fee_model: RoyaltyReceiverRoyaltyFeeMode::Rate,
        fee_ratio: f32::NEG_INFINITY,
        ratio: -0.1,
        royalty_mode: CreateRoyaltyRequestRoyaltyMode::Fixed,
        ..Default::default()
    };
    let expected = concat!(
        r#"{"amount":"NaN","fee":"Infinity","fee_model":"RATE","fee_ratio":"-Infinity","#,
        r#""ratio":-0.1,"recipient_business_user_id":"","royalty_mode":"FIXED"}"#,
    );
    assert_eq!(encoded!(receiver), expected);

    for (value, written) in [
        (f64::NAN, r#"{"available_balance":"NaN"}"#),
        (f64::INFINITY, r#"{"available_balance":"Infinity"}"#),
        (f64::NEG_INFINITY, r#"{"available_balance":"-Infinity"}"#),
    ] {
        let customer = V1CreateCustomerRequest {
            available_balance: Some(value),
            ..Default::default()
        };
        assert_eq!(encoded!(customer), written);
    }
}

/// `number`/`double` (`f64`): sent with the shortest digits that read back as that `f64`.
#[test]
fn f64_is_sent_as_written() {
    for (value, written) in [
        (0.01, r#"{"available_balance":0.01}"#),
        (0.1, r#"{"available_balance":0.1}"#),
        (19.99, r#"{"available_balance":19.99}"#),
        (-2.5, r#"{"available_balance":-2.5}"#),
    ] {
        let customer = V1CreateCustomerRequest {
            available_balance: Some(value),
            ..Default::default()
        };
        assert_eq!(encoded!(customer), written);
    }
}

/// `number`/`float`: decoded from a number or a string (the protojson strings included) into the
/// `f32` nearest to the decimal.
#[test]
fn f32_decodes_from_a_number_or_a_string() {
    for (text, expected) in [
        (r#"{"amount":0.01}"#, 0.01_f32),
        (r#"{"amount":"0.01"}"#, 0.01),
        (r#"{"amount":19.99}"#, 19.99),
        (r#"{"amount":"0.1"}"#, 0.1),
        (r#"{"amount":3}"#, 3.0),
        (r#"{"amount":"Infinity"}"#, f32::INFINITY),
        (r#"{"amount":"-Infinity"}"#, f32::NEG_INFINITY),
    ] {
        let amount = decoded!(V1CreateChargeRequest, text).amount;
        assert_eq!(amount.to_bits(), expected.to_bits(), "{text}: {amount}");
    }
    assert!(
        decoded!(V1CreateChargeRequest, r#"{"amount":"NaN"}"#)
            .amount
            .is_nan()
    );
    let (path, _) = decode_error!(V1CreateChargeRequest, r#"{"amount":"lots"}"#);
    assert_eq!(path, "amount");
}

/// `string`/`date-time`: sent in RFC 3339, in UTC with `Z`, with 0, 3, 6 or 9 fractional digits
/// (as protojson writes timestamps); decoded from any offset.
#[test]
fn date_times_are_sent_in_rfc3339_utc() {
    let refund_with = |created_at: &str| {
        concat!(
            r#"{"amount":0.0,"charge_id":"","charge_merchant_trade_id":"","created":0,"#,
            r#""created_at":"CREATED_AT","description":"","failure_code":"","failure_msg":"","#,
            r#""is_success":false,"refund_id":"","refund_no":"","status":"","succeed_ts":0,"#,
            r#""transaction_no":""}"#,
        )
        .replace("CREATED_AT", created_at)
    };
    for (input, written) in [
        ("2023-11-14T22:13:20Z", "2023-11-14T22:13:20Z"),
        ("2023-11-14T22:13:21.5+08:00", "2023-11-14T14:13:21.500Z"),
        ("2023-11-14T22:13:20.000123Z", "2023-11-14T22:13:20.000123Z"),
        (
            "2023-11-14T22:13:20.123456789-01:30",
            "2023-11-14T23:43:20.123456789Z",
        ),
    ] {
        let refund = V1Refund {
            created_at: Some(input.parse().expect("an RFC 3339 date-time")),
            ..Default::default()
        };
        assert_eq!(encoded!(refund), refund_with(written), "{input}");
    }

    let decoded = decoded!(V1Refund, r#"{"created_at":"2023-11-15T06:13:20+08:00"}"#);
    assert_eq!(
        decoded.created_at,
        Some("2023-11-14T22:13:20Z".parse().expect("UTC"))
    );
    let (path, _) = decode_error!(V1Refund, r#"{"created_at":"yesterday"}"#);
    assert_eq!(path, "created_at");
}

/// `string` (other formats) and `boolean`: as they are (JSON escapes only where JSON needs them).
#[test]
fn strings_and_booleans_are_sent_as_they_are() {
    let user = V1BusinessUser {
        disabled: Some(true),
        name: Some("\"李\" \\ \u{0}\u{1f} é 😀".into()),
        ..Default::default()
    };
    assert_eq!(
        encoded!(user),
        r#"{"disabled":true,"name":"\"李\" \\ \u0000\u001f é 😀"}"#
    );
}

/// `string` + `enum`: sent as its name.
#[test]
fn enums_are_sent_by_name() {
    for (gender, written) in [
        (V1Gender::GenderUnknown, r#"{"gender":"GENDER_UNKNOWN"}"#),
        (V1Gender::Female, r#"{"gender":"FEMALE"}"#),
        (V1Gender::ThirdGender, r#"{"gender":"ThirdGender"}"#),
    ] {
        let user = V1BusinessUser {
            gender: Some(gender),
            ..Default::default()
        };
        assert_eq!(encoded!(user), written);
    }
}

/// `string` + `enum`: an unknown name decodes to `Unrecognized` and is sent back unchanged.
#[test]
fn unrecognized_enum_names_are_sent_back_unchanged() {
    let user = decoded!(V1BusinessUser, r#"{"gender":"NONBINARY"}"#);
    assert_eq!(
        user.gender,
        Some(V1Gender::Unrecognized("NONBINARY".into()))
    );
    assert_eq!(encoded!(user), r#"{"gender":"NONBINARY"}"#);
}

/// `string` + `enum`: a number (from a server that does not know the name) decodes to
/// `Unrecognized` and is sent back unchanged: as a number, which protojson reads as the enum
/// value; the string `"7"` is no enum name it would accept.
#[test]
fn unrecognized_enum_numbers_are_sent_back_as_numbers() {
    let user = decoded!(V1BusinessUser, r#"{"gender":7}"#);
    assert_eq!(user.gender, Some(V1Gender::Unrecognized("7".into())));
    assert_eq!(encoded!(user), r#"{"gender":7}"#);
    let user = decoded!(V1BusinessUser, r#"{"gender":-1}"#);
    assert_eq!(encoded!(user), r#"{"gender":-1}"#);
}

// ---------------------------------------------------------------------------------------------
// Decoding

/// A key sent twice: the last value wins, as in `serde_json::Value` (a `null` included; a map is
/// replaced, not merged).
#[test]
fn a_key_sent_twice_takes_the_last_value() {
    let user = decoded!(V1BusinessUser, r#"{"name":"a","name":"b"}"#);
    assert_eq!(user.name.as_deref(), Some("b"));
    let user = decoded!(V1BusinessUser, r#"{"name":"a","name":null}"#);
    assert_eq!(user.name, None);
    let user = decoded!(
        V1BusinessUser,
        r#"{"metadata":{"a":"1"},"metadata":{"b":"2"}}"#
    );
    assert_eq!(
        user.metadata,
        BTreeMap::from([("b".to_owned(), "2".to_owned())])
    );
    let charge = decoded!(V1CreateChargeRequest, r#"{"ttl":1,"ttl":"2"}"#);
    assert_eq!(charge.ttl, 2);
    let any = decoded!(ProtobufAny, r#"{"x":1,"x":2}"#);
    assert_eq!(any.additional_properties["x"], json!(2));
}

/// An `int32` out of range is an error naming the field's path.
#[test]
fn an_int32_overflow_is_an_error_naming_the_field() {
    for text in [
        r#"{"data":[{},{"ttl":2147483648}]}"#,
        r#"{"data":[{},{"ttl":"2147483648"}]}"#,
        r#"{"data":[{},{"ttl":-2147483649}]}"#,
    ] {
        let (path, message) = decode_error!(V1ChargeListResponse, text);
        assert_eq!(path, "data[1].ttl", "{text}: {message}");
        assert!(message.contains("214748364"), "{text}: {message}");
    }
}

/// An `int64` out of range (sent as a string) is an error naming the field's path.
#[test]
fn an_int64_overflow_is_an_error_naming_the_field() {
    let (path, message) = decode_error!(
        V1CreateCustomerRequest,
        r#"{"created":"9223372036854775808"}"#
    );
    assert_eq!(path, "created", "{message}");
}

/// A fraction in an integer field is an error naming the field's path, as a number or a string.
#[test]
fn a_fraction_in_an_integer_field_is_an_error_naming_the_field() {
    for text in [r#"{"created":1.5}"#, r#"{"created":"1.5"}"#] {
        let (path, message) = decode_error!(V1Refund, text);
        assert_eq!(path, "created", "{text}: {message}");
        assert!(message.contains("1.5"), "{text}: {message}");
    }
    let (path, _) = decode_error!(
        V1ChargeListResponse,
        r#"{"data":[{"refunds":[{"succeed_ts":0.5}]}]}"#
    );
    assert_eq!(path, "data[0].refunds[0].succeed_ts");
}

// ---------------------------------------------------------------------------------------------
// Rows spec/justap.yaml has no field for: `V1Gauge` of the fixture crate
// (`note: {}`, `count: integer/uint32`, `total: string/uint64`).

/// Row `{}` / untyped: `null` is not sent; any other value is sent as it is.
#[test]
fn an_untyped_null_is_not_sent() {
    assert_eq!(encoded!(V1Gauge::default()), "{}");
    let gauge = V1Gauge {
        note: serde_json::Value::Null,
        count: Some(0),
        ..V1Gauge::default()
    };
    assert_eq!(encoded!(gauge), r#"{"count":0}"#);
    let gauge = V1Gauge {
        note: json!({"k": [1, null, "x"]}),
        ..V1Gauge::default()
    };
    assert_eq!(encoded!(gauge), r#"{"note":{"k":[1,null,"x"]}}"#);
}

/// Row `{}` / untyped: `null` decodes to `Value::Null`, anything else as it came.
#[test]
fn an_untyped_field_decodes_any_value() {
    assert_eq!(
        decoded!(V1Gauge, r#"{"note":null}"#).note,
        serde_json::Value::Null
    );
    assert_eq!(decoded!(V1Gauge, "{}").note, serde_json::Value::Null);
    assert_eq!(decoded!(V1Gauge, r#"{"note":[true]}"#).note, json!([true]));
}

/// Rows `integer/uint32` (a number) and `string/uint64` (a string), at their maxima.
#[test]
fn unsigned_integers_are_sent_as_their_spec_types_say() {
    let gauge = V1Gauge {
        count: Some(u32::MAX),
        total: Some(u64::MAX),
        ..V1Gauge::default()
    };
    assert_eq!(
        encoded!(gauge),
        r#"{"count":4294967295,"total":"18446744073709551615"}"#
    );
    let back = decoded!(
        V1Gauge,
        r#"{"count":"4294967295","total":18446744073709551615}"#
    );
    assert_eq!((back.count, back.total), (Some(u32::MAX), Some(u64::MAX)));
}

/// A `uint32` out of range, or negative, is an error naming the field; so is a negative `uint64`.
#[test]
fn a_uint32_overflow_is_an_error_naming_the_field() {
    for text in [
        r#"{"count":4294967296}"#,
        r#"{"count":"4294967296"}"#,
        r#"{"count":-1}"#,
        r#"{"count":2.5}"#,
    ] {
        let (path, message) = decode_error!(V1Gauge, text);
        assert_eq!(path, "count", "{text}: {message}");
    }
    let (path, message) = decode_error!(V1Gauge, r#"{"total":"-1"}"#);
    assert_eq!(path, "total", "{message}");
}
