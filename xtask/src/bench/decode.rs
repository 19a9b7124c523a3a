//! Client decode throughput, measured by `tests/benches/decode.rs` built in the scratch workspace
//! ([`Scratch`]) with the generated crate optimized. It is a separate program because it needs the
//! generated crate, which the xtask must never depend on: a broken `generated/` would otherwise
//! stop `cargo xtask codegen` from building, and so from repairing it.

use std::time::Duration;

use anyhow::{Context, Result};

use super::scratch::Scratch;

pub struct DecodeResult {
    pub bytes: usize,
    /// Median time of one decode into `justap::models::V1ChargeListResponse`.
    pub typed: Duration,
    /// Median time of one decode into `serde_json::Value`.
    pub value: Duration,
}

pub fn run(charges: usize, runs: usize) -> Result<DecodeResult> {
    let scratch = Scratch::create()?;
    let mut command = scratch.cargo(&["run", "-p", "decode-bench"]);
    command
        .args(Scratch::decode_config())
        .env("CARGO_INCREMENTAL", "0")
        .arg("--")
        .args([charges.to_string(), runs.to_string()]);
    eprintln!("bench: building the decode benchmark (first run: a few minutes)");
    let stdout = crate::cmd::output(&mut command)?;
    parse(&stdout).with_context(|| format!("unexpected output of the decode bench: {stdout:?}"))
}

/// `bytes=<n> typed_ns=<n> value_ns=<n>`
fn parse(text: &str) -> Option<DecodeResult> {
    let line = text.lines().find(|l| l.starts_with("bytes="))?;
    let field = |name: &str| -> Option<u64> {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('=')?.parse().ok())
    };
    Some(DecodeResult {
        bytes: usize::try_from(field("bytes")?).ok()?,
        typed: Duration::from_nanos(field("typed_ns")?),
        value: Duration::from_nanos(field("value_ns")?),
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    #[test]
    fn the_bench_line_parses() {
        let parsed =
            super::parse("bytes=1434000 typed_ns=16200000 value_ns=25700000\n").expect("parses");
        assert_eq!(parsed.bytes, 1_434_000);
        assert_eq!(
            parsed.typed,
            Duration::from_millis(16) + Duration::from_micros(200)
        );
        assert!(super::parse("garbage").is_none());
    }
}
