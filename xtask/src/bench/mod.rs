//! `cargo xtask bench`: generation time per pass, scaling on synthetic specs, the generated crate's
//! build cost and the client's decode throughput, printed as a Markdown table.
//!
//! `bench` re-runs this binary in release mode (`cargo run --release -p xtask -- bench-run`) so the
//! numbers are those of optimized code; `bench-run` does the measuring. See BENCHMARKS.md.

mod build;
mod decode;
pub mod synthetic;

use std::fmt::Write as _;
use std::fs;
use std::time::Duration;

use anyhow::{Context, Result};
use generator::{CrateOptions, PassTimes, SpecSource};

use crate::{cmd, project_root};

/// Runs of each generation measurement (median reported); fewer for the big synthetic specs.
pub const RUNS: usize = 15;
/// Runs of each build measurement.
const BUILD_RUNS: usize = 3;
/// Charges in the decoded list, and decode runs.
const CHARGES: usize = 1_000;
const DECODE_RUNS: usize = 30;

/// `cargo xtask bench`: build in release and run `bench-run`.
pub fn run() -> Result<()> {
    cmd::run(&mut cmd::cargo([
        "run",
        "--release",
        "--quiet",
        "-p",
        "xtask",
        "--",
        "bench-run",
    ]))
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// Median of each pass (and of the total) over `runs` generations of `text`.
fn generation(name: &str, text: &str, runs: usize) -> Result<(PassTimes, Duration)> {
    let source = SpecSource { name, text };
    let options = CrateOptions::default();
    let mut all = Vec::with_capacity(runs);
    for _ in 0..runs {
        let (generated, times) = generator::generate_timed(&source, &options)
            .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
        std::hint::black_box(generated);
        all.push(times);
    }
    let pass = |f: fn(&PassTimes) -> Duration| median(&mut all.iter().map(f).collect::<Vec<_>>());
    let medians = PassTimes {
        load: pass(|t| t.load),
        lower: pass(|t| t.lower),
        emit: pass(|t| t.emit),
        format: pass(|t| t.format),
    };
    Ok((medians, pass(PassTimes::total)))
}

/// `cargo xtask bench-run`: measure and print the tables (progress goes to stderr).
pub fn run_measurements() -> Result<()> {
    let mut out = String::new();
    let spec_path = project_root().join("spec").join("justap.yaml");
    let spec = fs::read_to_string(&spec_path).context("cannot read spec/justap.yaml")?;

    eprintln!("bench: generation of spec/justap.yaml");
    let (real, real_total) = generation("spec/justap.yaml", &spec, RUNS)?;
    writeln!(
        out,
        "### Generation of spec/justap.yaml (release, median of {RUNS} runs)\n"
    )?;
    writeln!(out, "| pass | ms |\n|---|---:|")?;
    for (name, d) in [
        ("load + upgrade (`generator::load`)", real.load),
        ("lower (`generator::lower`)", real.lower),
        ("emit tokens", real.emit),
        ("format (syn + prettyplease)", real.format),
        ("**total**", real_total),
    ] {
        writeln!(out, "| {name} | {} |", ms(d))?;
    }

    writeln!(
        out,
        "\n### Scaling: synthetic Swagger 2.0 specs (units of {} definitions, {} operations)\n",
        synthetic::DEFINITIONS_PER_UNIT,
        synthetic::OPERATIONS_PER_UNIT
    )?;
    writeln!(
        out,
        "| size | spec KB | runs | load ms | lower ms | emit ms | format ms | total ms | total / 1× |"
    )?;
    writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|")?;
    let mut base = None;
    // 100× takes seconds a run: fewer runs there, so the whole bench stays under 5 minutes.
    for (units, runs) in [(1, RUNS), (10, 3), (100, 1)] {
        eprintln!("bench: synthetic spec ×{units}");
        let text = synthetic::spec(units);
        let (times, total) = generation(&format!("synthetic-x{units}.json"), &text, runs)?;
        let base = *base.get_or_insert(total);
        eprintln!("bench:   {times:?}, total {total:?}");
        writeln!(
            out,
            "| {units}× | {} | {runs} | {} | {} | {} | {} | {} | {:.1} |",
            text.len() / 1024,
            ms(times.load),
            ms(times.lower),
            ms(times.emit),
            ms(times.format),
            ms(total),
            total.as_secs_f64() / base.as_secs_f64()
        )?;
    }

    eprintln!("bench: decoding");
    let decoded = decode::run(CHARGES, DECODE_RUNS)?;
    let mbps = |d: Duration| decoded.bytes as f64 / 1e6 / d.as_secs_f64();
    writeln!(
        out,
        "\n### Decoding a ChargeList of {CHARGES} charges ({} KB), median of {DECODE_RUNS} runs\n",
        decoded.bytes / 1024
    )?;
    writeln!(out, "| into | ms | MB/s |\n|---|---:|---:|")?;
    writeln!(
        out,
        "| `justap::models::V1ChargeListResponse` | {} | {:.0} |",
        ms(decoded.typed),
        mbps(decoded.typed)
    )?;
    writeln!(
        out,
        "| `serde_json::Value` | {} | {:.0} |",
        ms(decoded.value),
        mbps(decoded.value)
    )?;
    writeln!(
        out,
        "| typed / Value throughput | | {:.2} |",
        decoded.value.as_secs_f64() / decoded.typed.as_secs_f64()
    )?;

    let built = build::run(BUILD_RUNS)?;
    writeln!(
        out,
        "\n### Build of the generated crate (scratch copy in target/bench, debug, median of {BUILD_RUNS})\n"
    )?;
    writeln!(out, "| measurement | s |\n|---|---:|")?;
    let secs = |d: Duration| format!("{:.2}", d.as_secs_f64());
    writeln!(
        out,
        "| `cargo check` of justap alone | {} |",
        secs(built.check)
    )?;
    writeln!(
        out,
        "| debug rebuild of justap alone | {} |",
        secs(built.rebuild)
    )?;
    match built.rebuild_without_serialize {
        Some(d) => writeln!(
            out,
            "| debug rebuild, models without `Serialize` | {} |",
            secs(d)
        )?,
        None => writeln!(
            out,
            "| debug rebuild, models without `Serialize` | does not compile |"
        )?,
    }
    writeln!(out, "\n| generated file | lines |\n|---|---:|")?;
    let mut total = 0;
    for (path, lines) in &built.lines {
        total += lines;
        writeln!(out, "| {path} | {lines} |")?;
    }
    writeln!(out, "| **total** | {total} |")?;
    print!("{out}");
    Ok(())
}
