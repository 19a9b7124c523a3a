//! Client decode throughput, run by `cargo xtask bench` (built in its scratch workspace with the
//! generated crate optimized, as `decode CHARGES RUNS`): a realistic `ChargeList` body decoded into
//! the SDK's model and into `serde_json::Value` in the same process, interleaved so both see the
//! same machine state. It lives here, not in xtask, so that the regeneration tool never depends on
//! the crate it generates; CI builds it as a bench target of the tests crate.
//!
//! Prints one line: `bytes=<n> typed_ns=<median> value_ns=<median>`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// One charge as the server sends it (protojson): int64 as strings, nulls, nested `extra` and
/// `credential` objects, a metadata map, refunds, and keys this SDK release does not know.
fn charge(i: usize) -> Value {
    let ts = 1_700_000_000 + i as i64;
    let channel = [
        "BALANCE",
        "AlipayQR",
        "WechatpayJSAPI",
        "NEW_CHANNEL_FROM_LATER_RELEASE",
    ][i % 4];
    let extra = if i % 2 == 0 {
        json!({
            "wechatpay_app": {
                "app_config": { "appid": "wx8888888888", "noncestr": format!("n{i:012}"),
                                "package": "Sign=WXPay", "partnerid": "1900000109" },
                "attach": null,
                "goods_tag": "WXG",
                "prepay_id": format!("wx{i:020}"),
                "scene_info": { "device_id": "POS-1", "payer_client_ip": "10.0.0.1",
                                "store_info": { "id": "S1", "name": "上海店", "area_code": "310000" } },
                "time_expire": "2026-01-01T00:00:00+08:00",
                "time_start": "2025-12-31T23:00:00+08:00",
                "unknown_wechat_field": [1, 2, 3]
            }
        })
    } else {
        json!({
            "alipay_app": {
                "credit_agreement_id": "", "credit_biz_order_id": "", "credit_pay_mode": "",
                "disable_pay_channels": "credit_group", "enable_pay_channels": "",
                "ext_user_info": null,
                "goods_detail": [
                    { "goods_id": "apple-01", "goods_name": "iPhone", "quantity": 1, "price": 6999.0 },
                    { "goods_id": "case-02", "goods_name": "手机壳", "quantity": 2, "price": 49.5 }
                ]
            }
        })
    };
    let refunds = if i % 10 == 0 {
        json!([{
            "amount": 10.0, "charge_id": format!("ch_{i:016}"), "charge_merchant_trade_id": format!("order-{i}"),
            "created": ts.to_string(), "created_at": "2025-11-22T10:00:00Z", "description": "退款",
            "failure_code": "", "failure_msg": "", "is_success": true, "metadata": {},
            "refund_id": format!("re_{i}"), "refund_no": "", "status": "SUCCEEDED",
            "succeed_ts": (ts + 100).to_string(), "success_at": null, "transaction_no": "42000"
        }])
    } else {
        Value::Null
    };
    let credential = json!({
        "@type": "type.googleapis.com/justap.v1.WechatpayAppCredential",
        "appid": "wx8888888888", "timestamp": ts.to_string(), "sign": "c2lnbmF0dXJl"
    });
    json!({
        "amount": 100.5 + i as f64,
        "amount_fee": 0.6,
        "amount_refund": 0,
        "amount_royalty": 0,
        "amount_settle": 99.9,
        "app_id": "app_8a8sdf888888",
        "body": "订单描述 — order body text",
        "channel": channel,
        "charge_id": format!("ch_{i:016}"),
        "client_ip": "203.0.113.7",
        "closed": false,
        "closed_at": null,
        "closed_ts": null,
        "created_at": "2025-11-21T08:30:00.123456Z",
        "credential": credential,
        "currency": "CNY",
        "description": "",
        "expired_ts": ts.to_string(),
        "extra": extra,
        "failure_code": "",
        "failure_msg": "",
        "live_mode": i % 3 == 0,
        "merchant_trade_id": format!("order-{i}"),
        "metadata": { "customer": format!("cus_{i}"), "source": "ios", "campaign": "double11" },
        "object": "Charge",
        "paid": true,
        "paid_at": "2025-11-21T08:31:02+08:00",
        "paid_ts": (ts + 62).to_string(),
        "refunded": i % 10 == 0,
        "refunds": refunds,
        "reversed": false,
        "reversed_at": null,
        "subject": "Justap 测试商品",
        "time_expire": "2025-11-21T10:30:00Z",
        "transaction_no": format!("4200001{i:012}"),
        "ttl": "7200",
        "a_field_added_later": { "nested": [true, null, "x"] }
    })
}

/// The JSON text of a `V1ChargeListResponse` with `charges` charges.
fn charge_list(charges: usize) -> String {
    let data: Vec<Value> = (0..charges).map(charge).collect();
    json!({ "data": data, "has_more": true, "object": "ChargeList" }).to_string()
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn main() {
    // `cargo bench` passes `--bench`; take the numbers among the arguments, in order.
    let numbers: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let charges = numbers.first().copied().unwrap_or(1000);
    let runs = numbers.get(1).copied().unwrap_or(30);
    let text = charge_list(charges);
    // Check once that the body decodes fully (and is what we think it is).
    let list: justap::models::V1ChargeListResponse =
        serde_json::from_str(&text).expect("the synthetic ChargeList decodes");
    assert_eq!(list.data.len(), charges, "every charge decodes");
    let mut typed = Vec::with_capacity(runs);
    let mut value = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let decoded: justap::models::V1ChargeListResponse =
            serde_json::from_str(black_box(&text)).expect("decodes");
        black_box(decoded);
        typed.push(start.elapsed());
        let start = Instant::now();
        let decoded: Value = serde_json::from_str(black_box(&text)).expect("decodes");
        black_box(decoded);
        value.push(start.elapsed());
    }
    println!(
        "bytes={} typed_ns={} value_ns={}",
        text.len(),
        median(&mut typed).as_nanos(),
        median(&mut value).as_nanos()
    );
}
