//! Request bodies as the server receives them, byte for byte.
//!
//! Every expected body below is written by hand from `spec/justap.yaml`: the keys in the order of
//! the schema's `properties` (the wire order), the fields listed in its `required` always present,
//! the values as protojson writes them (justap-facts §2). Nothing here is produced by the SDK's own
//! encoder, so a change of the wire format fails these tests instead of moving with them.
//!
//! The amounts are values that are not exact in binary floating point (`0.01`, `0.1`, `19.99`):
//! an `f32` field must go out as the decimal the user wrote, not as the `f64` widening of the `f32`
//! (`0.009999999776482582`).

use std::collections::BTreeMap;

use justap::models::{
    ProtobufAny, SettlementAccountRecipientAccountType, SettlementAccountRecipientRecipientType,
    SettlementAccountRecipientWechatpayChannelRecipient, Tradev1Channel, V1BusinessUser,
    V1CreateChargeRequest, V1CreateChargeRequestExtra, V1CreateCustomerRequest,
    V1CreateRefundRequest, V1ExtraAlipayGoodsDetail, V1ExtraAlipayQr, V1Gender,
    V1SettlementAccountChannel, V1SettlementAccountRecipient, V1UpdateAndPatchRequestBody,
};
use justap::params::{
    BusinessUserServiceUpdateUserParams, SettlementServiceUpdateSettlementAccount2Params,
};
use wiremock::MockServer;

use super::{check_signed, header, ok_server, received, signed_client};

/// The one request `server` received: its method and path are checked, its signature verified
/// over the bytes received (so the body checked is the body signed), and its body returned as text.
async fn only_body(server: &MockServer, method: &str, path: &str) -> String {
    let requests = received(server).await;
    let [request] = requests.as_slice() else {
        panic!("one request expected, got {}", requests.len())
    };
    assert_eq!(request.method.as_str(), method);
    assert_eq!(request.url.path(), path);
    assert_eq!(header(request, "content-type"), Some("application/json"));
    check_signed(request).unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    String::from_utf8(request.body.clone()).expect("a JSON body is UTF-8")
}

fn signing_client(server: &MockServer) -> justap::Client {
    signed_client(&server.uri(), "test_private_pkcs8.pem")
}

#[tokio::test]
async fn create_charge_sends_the_amount_the_user_wrote() {
    let server = ok_server(r#"{"object":"charge"}"#).await;
    let request = V1CreateChargeRequest {
        amount: 0.01,
        app_id: "app_1".into(),
        body: "咖啡 ×2 \"特浓\"".into(),
        channel: Tradev1Channel::AlipayQr,
        client_ip: "203.0.113.7".into(),
        currency: "CNY".into(),
        extra: Some(Box::new(V1CreateChargeRequestExtra {
            alipay_qr: Some(Box::new(V1ExtraAlipayQr {
                buyer_id: "2088102146225135".into(),
                goods_detail: vec![V1ExtraAlipayGoodsDetail {
                    goods_id: "g-1".into(),
                    goods_name: "拿铁".into(),
                    price: 19.99,
                    quantity: 2,
                    ..Default::default()
                }],
                ..Default::default()
            })),
            ..Default::default()
        })),
        merchant_trade_id: "order-42".into(),
        metadata: BTreeMap::from([
            ("渠道".to_owned(), "门店".to_owned()),
            ("order".to_owned(), "42".to_owned()),
        ]),
        notification_area: "CN".into(),
        source: "Default".into(),
        subject: "Café crème".into(),
        ttl: 7200,
        ..Default::default()
    };
    signing_client(&server)
        .charge_service_charges2(&request)
        .await
        .expect("the charge is created");

    // v1CreateChargeRequest: every property but `extra` and `metadata` is required, so the empty
    // ones go out too; `extra.alipay_qr` is a v1ExtraAlipayQr (all required but
    // `discountable_amount`, unset here) whose `goods_detail` items are v1ExtraAlipayGoodsDetail
    // (all required). Metadata keys go in byte order ("order" < "渠道").
    let expected = concat!(
        r#"{"amount":0.01,"app_id":"app_1","body":"咖啡 ×2 \"特浓\"","callback_url":"","#,
        r#""channel":"AlipayQR","client_ip":"203.0.113.7","currency":"CNY","description":"","#,
        r#""extra":{"alipay_qr":{"buyer_id":"2088102146225135","goods_detail":[{"#,
        r#""alipay_goods_id":"","body":"","categories_tree":"","goods_category":"","#,
        r#""goods_id":"g-1","goods_name":"拿铁","price":19.99,"quantity":2,"show_url":""}],"#,
        r#""operator_id":"","product_code":"","qr_code":"","qr_code_timeout_express":"","#,
        r#""qr_link":"","store_id":"","terminal_id":""}},"#,
        r#""merchant_trade_id":"order-42","metadata":{"order":"42","渠道":"门店"},"#,
        r#""notification_area":"CN","notify_url":"","source":"Default","subject":"Café crème","#,
        r#""ttl":7200}"#,
    );
    assert_eq!(only_body(&server, "POST", "/v1/charges").await, expected);
}

#[tokio::test]
async fn create_refund_sends_its_amount_and_an_any_with_inline_fields() {
    let server = ok_server(r#"{"object":"refund"}"#).await;
    let request = V1CreateRefundRequest {
        amount: 0.1,
        app_id: "app_1".into(),
        charge_id: "ch_101".into(),
        description: "顾客退货：尺码不合适".into(),
        extra: Some(Box::new(ProtobufAny {
            r#type: Some("type.googleapis.com/justap.v1.RefundExtra".into()),
            additional_properties: BTreeMap::from([
                ("refund_fee".to_owned(), serde_json::json!(19.99)),
                ("fee_payer".to_owned(), serde_json::json!("商户")),
            ]),
        })),
        merchant_refund_id: "rf-1".into(),
        notification_area: "CN".into(),
        ..Default::default()
    };
    signing_client(&server)
        .refund_service_refunds2(&request)
        .await
        .expect("the refund is created");

    // v1CreateRefundRequest requires amount, app_id, charge_id, description, merchant_refund_id
    // and notification_area; `metadata` is empty and `notify_url` unset, so neither is sent. The
    // Any sends `@type`, then its inline fields.
    let expected = concat!(
        r#"{"amount":0.1,"app_id":"app_1","charge_id":"ch_101","#,
        r#""description":"顾客退货：尺码不合适","#,
        r#""extra":{"@type":"type.googleapis.com/justap.v1.RefundExtra","fee_payer":"商户","refund_fee":19.99},"#,
        r#""merchant_refund_id":"rf-1","notification_area":"CN"}"#,
    );
    assert_eq!(only_body(&server, "POST", "/v1/refunds").await, expected);
}

#[tokio::test]
async fn every_inexact_f32_amount_goes_out_as_written() {
    // The same request with each amount; the rest of the body is v1CreateRefundRequest's required
    // fields at their zero values.
    for (amount, written) in [(0.01_f32, "0.01"), (0.1, "0.1"), (19.99, "19.99")] {
        let server = ok_server("{}").await;
        let request = V1CreateRefundRequest {
            amount,
            ..Default::default()
        };
        signing_client(&server)
            .refund_service_refunds(&request)
            .await
            .expect("the refund is created");
        let expected = format!(
            r#"{{"amount":{written},"app_id":"","charge_id":"","description":"","merchant_refund_id":"","notification_area":""}}"#
        );
        assert_eq!(
            only_body(&server, "POST", "/transaction/v1/refunds").await,
            expected
        );
    }
}

#[tokio::test]
async fn create_customer_sends_int64_as_a_string_and_doubles_as_written() {
    let server = ok_server(r#"{"object":"customer"}"#).await;
    let request = V1CreateCustomerRequest {
        address: Some("上海市浦东新区 1 号".into()),
        app_id: Some("app_1".into()),
        available_balance: Some(0.1),
        // 2^53 + 1: not exact in a double, one more reason protojson sends int64 as a string.
        created: Some(9_007_199_254_740_993),
        disabled: Some(false),
        gender: Some(V1Gender::ThirdGender),
        metadata: BTreeMap::from([("vip".to_owned(), "是".to_owned())]),
        name: Some("Zoë 王".into()),
        withdrawable_balance: Some(19.99),
        ..Default::default()
    };
    signing_client(&server)
        .customer_service_create_customer(&request)
        .await
        .expect("the customer is created");

    // v1CreateCustomerRequest has no `required` list: only the fields set are sent. `created` is
    // string/int64, the balances number/double.
    let expected = concat!(
        r#"{"address":"上海市浦东新区 1 号","app_id":"app_1","available_balance":0.1,"#,
        r#""created":"9007199254740993","disabled":false,"gender":"ThirdGender","#,
        r#""metadata":{"vip":"是"},"name":"Zoë 王","withdrawable_balance":19.99}"#,
    );
    assert_eq!(only_body(&server, "POST", "/v1/customers").await, expected);
}

#[tokio::test]
async fn update_business_user_sends_only_what_is_set_with_escapes() {
    let server = ok_server(r#"{"object":"user"}"#).await;
    let user = V1BusinessUser {
        disabled: Some(true),
        email: Some("lisi@例子.公司".into()),
        gender: Some(V1Gender::Female),
        id: Some("bu_1".into()),
        metadata: BTreeMap::from([
            (
                "note".to_owned(),
                "line 1\nline 2\t\"quoted\" \\ end".to_owned(),
            ),
            ("bell".to_owned(), "\u{7}".to_owned()),
        ]),
        name: Some("李四".into()),
        ..Default::default()
    };
    signing_client(&server)
        .business_user_service_update_user(
            "bu_1",
            &BusinessUserServiceUpdateUserParams::default(),
            &user,
        )
        .await
        .expect("the user is updated");

    // v1BusinessUser: no `required` list. JSON escapes: newline, tab, quote and backslash as
    // two-character escapes, other control characters as \u00XX, everything else as UTF-8.
    let expected = concat!(
        r#"{"disabled":true,"email":"lisi@例子.公司","gender":"FEMALE","id":"bu_1","#,
        r#""metadata":{"bell":"\u0007","note":"line 1\nline 2\t\"quoted\" \\ end"},"#,
        r#""name":"李四"}"#,
    );
    assert_eq!(
        only_body(&server, "PUT", "/v1/business_users/bu_1").await,
        expected
    );
}

#[tokio::test]
async fn patch_settlement_account_sends_nested_objects_and_enums() {
    let server = ok_server(r#"{"object":"settlement_account"}"#).await;
    let body = V1UpdateAndPatchRequestBody {
        app_id: Some("app_1".into()),
        channel: Some(V1SettlementAccountChannel::Wechatpay),
        recipient: Some(Box::new(V1SettlementAccountRecipient {
            balance: Some(Box::default()),
            wechatpay: Some(Box::new(
                SettlementAccountRecipientWechatpayChannelRecipient {
                    account: "o_openid_1".into(),
                    account_type: SettlementAccountRecipientAccountType::Openid,
                    app_id: "wx_1".into(),
                    force_check: true,
                    name: "王小明".into(),
                    r#type: SettlementAccountRecipientRecipientType::Unrecognized("B2G".into()),
                    ..Default::default()
                },
            )),
            ..Default::default()
        })),
        user_id: Some("bu_1".into()),
        ..Default::default()
    };
    signing_client(&server)
        .settlement_service_update_settlement_account2(
            "sa_1",
            &SettlementServiceUpdateSettlementAccount2Params::default(),
            &body,
        )
        .await
        .expect("the account is patched");

    // v1UpdateAndPatchRequestBody and v1SettlementAccountRecipient have no `required` list; the
    // balance recipient is an object without properties; the wechatpay recipient requires all
    // seven of its properties. An enum value this release does not know goes out as it came in.
    let expected = concat!(
        r#"{"app_id":"app_1","channel":"WECHATPAY","recipient":{"balance":{},"wechatpay":{"#,
        r#""account":"o_openid_1","account_type":"OPENID","app_id":"wx_1","force_check":true,"#,
        r#""name":"王小明","sub_app_id":"","type":"B2G"}},"user_id":"bu_1"}"#,
    );
    assert_eq!(
        only_body(&server, "PATCH", "/v1/settlement_accounts/sa_1").await,
        expected
    );
}
