//! List every refund of a charge, page after page, and print them.
//!
//! ```text
//! JUSTAP_API_KEY=sk_test_... JUSTAP_APP_ID=app_... JUSTAP_PRIVATE_KEY=merchant_key.pem \
//!     [JUSTAP_BASE_URL=https://...] cargo run --example list_refunds -- ch_...
//! ```

use futures_util::TryStreamExt as _;
use justap::params::RefundServiceQueryRefundList2Params;
use justap::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let charge_id = std::env::args().nth(1).ok_or("usage: list_refunds CHARGE_ID")?;
    let mut builder = Client::builder().api_key(env("JUSTAP_API_KEY")?);
    if let Ok(base_url) = std::env::var("JUSTAP_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    #[cfg(feature = "signing")]
    {
        builder = builder.private_key_pem(std::fs::read_to_string(env("JUSTAP_PRIVATE_KEY")?)?);
    }
    let client = builder.build()?;

    // The filters and page size go on every page's request; the SDK sets `starting_after`.
    let params = RefundServiceQueryRefundList2Params {
        app_id: Some(env("JUSTAP_APP_ID")?),
        charge_id: Some(charge_id.clone()),
        limit: Some(100),
        ..Default::default()
    };
    let mut refunds = client.refund_service_query_refund_list2_stream(&params);
    let mut count = 0;
    // An error ends the walk: `?` returns it, with the refunds printed so far.
    while let Some(refund) = refunds.try_next().await? {
        count += 1;
        println!("{} {}: {}", refund.refund_id, refund.amount, refund.status);
    }
    println!("{count} refunds of {charge_id}");
    Ok(())
}
