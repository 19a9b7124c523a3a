//! Create a charge, query it back, and list its refunds.
//!
//! ```text
//! JUSTAP_API_KEY=sk_test_... JUSTAP_APP_ID=app_... JUSTAP_PRIVATE_KEY=merchant_key.pem \
//!     [JUSTAP_BASE_URL=https://...] cargo run --example quickstart
//! ```

use justap::models::{Tradev1Channel, V1CreateChargeRequest};
use justap::params::{ChargeServiceQueryCharge2Params, RefundServiceQueryRefundListParams};
use justap::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let app_id = env("JUSTAP_APP_ID")?;
    let mut builder = Client::builder().api_key(env("JUSTAP_API_KEY")?);
    if let Ok(base_url) = std::env::var("JUSTAP_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    // The server rejects unsigned requests: sign with the merchant's RSA key.
    #[cfg(feature = "signing")]
    {
        builder = builder.private_key_pem(std::fs::read_to_string(env("JUSTAP_PRIVATE_KEY")?)?);
    }
    let client = builder.build()?;

    // Required fields are plain values; everything else stays unset and is not sent.
    let request = V1CreateChargeRequest {
        app_id: app_id.clone(),
        merchant_trade_id: format!("order-{}", std::process::id()),
        amount: 0.01,
        currency: "cny".into(),
        channel: Tradev1Channel::AlipayQr,
        subject: "测试商品".into(),
        body: "quickstart".into(),
        client_ip: "127.0.0.1".into(),
        ..Default::default()
    };
    let created = client.charge_service_charges2(&request).await?;
    let charge_id = created.data.map(|c| c.charge_id).unwrap_or_default();
    println!("created charge {charge_id}");

    let params = ChargeServiceQueryCharge2Params { app_id: Some(app_id.clone()), ..Default::default() };
    match client.charge_service_query_charge2(&charge_id, &params).await {
        Ok(found) => println!("paid: {:?}", found.data.map(|c| c.paid)),
        // An API error carries the HTTP status, the decoded gRPC status and the raw body.
        Err(Error::Api(api)) => println!("HTTP {}: {:?}", api.status, api.api_status),
        Err(other) if other.is_retryable() => println!("temporary failure, try again: {other}"),
        Err(other) => return Err(other.into()),
    }

    let params = RefundServiceQueryRefundListParams { app_id: Some(app_id), limit: Some(10), ..Default::default() };
    let refunds = client.refund_service_query_refund_list(&charge_id, &params).await?;
    for refund in &refunds.data {
        println!("refund {} of {}: {}", refund.refund_id, refund.amount, refund.status);
    }
    Ok(())
}
