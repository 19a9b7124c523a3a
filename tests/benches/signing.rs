//! Signature time of the generated crate, run by `cargo xtask bench signing` (built in a scratch
//! workspace of its own, once in debug and once in release, with no profile override, as a user's
//! crate has none) as `signing KEY_PEM_FILE`. It lives here, not in xtask, so that the regeneration
//! tool never depends on the crate it generates; CI builds it as a bench target of the tests crate.
//!
//! Signs a typical create-charge body with a fresh nonce each time (as the client does) until
//! [`BUDGET`] has passed and at least [`MIN_RUNS`] signatures are made, and prints one line:
//! `runs=<n> sign_ns=<median>`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use justap::signing::RequestSigner;

/// Enough signatures for a stable median at 40 ms each (the unoptimized `rsa` crate's cost), and
/// many more at the ~1 ms of a constant-time optimized implementation.
const BUDGET: Duration = Duration::from_secs(3);
const MIN_RUNS: usize = 30;
const MAX_RUNS: usize = 3_000;

const BODY: &[u8] = br#"{"amount":100.5,"app_id":"app_1","channel":"WechatpayNative","currency":"cny","merchant_trade_id":"order-20261201-000123","subject":"Test order"}"#;

fn main() -> Result<(), String> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: signing KEY_PEM_FILE")?;
    let pem = std::fs::read_to_string(&path).map_err(|e| format!("reading {path}: {e}"))?;
    let signer = RequestSigner::from_pem(&pem).map_err(|e| e.to_string())?;
    // One signature first, so that lazy set-up (if any) is not timed.
    black_box(signer.sign_now(BODY).map_err(|e| e.to_string())?);

    let started = Instant::now();
    let mut times = Vec::new();
    while times.len() < MAX_RUNS && (times.len() < MIN_RUNS || started.elapsed() < BUDGET) {
        let start = Instant::now();
        black_box(
            signer
                .sign_now(black_box(BODY))
                .map_err(|e| e.to_string())?,
        );
        times.push(start.elapsed());
    }
    times.sort();
    let median = times[times.len() / 2];
    println!("runs={} sign_ns={}", times.len(), median.as_nanos());
    Ok(())
}
