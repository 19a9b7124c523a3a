//! `cargo xtask bench`: generation time per pass, scaling on synthetic specs, the generated crate's
//! build cost and the client's decode throughput, printed as a Markdown table.
//!
//! `bench` re-runs this binary in release mode (`cargo run --release -p xtask -- bench-run`) so the
//! numbers are those of optimized code; `bench-run` does the measuring. See BENCHMARKS.md.

mod build;
mod decode;
pub mod peak;
mod scratch;
mod signing;
pub mod synthetic;

use std::fmt::Write as _;
use std::fs;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use generator::{CrateOptions, SpecSource};

use crate::{cmd, project_root};

/// Runs of each generation measurement (median reported); fewer for the big synthetic specs.
pub const RUNS: usize = 15;
/// Runs of each build measurement.
const BUILD_RUNS: usize = 3;
/// Charges in the decoded list, and decode runs.
const CHARGES: usize = 1_000;
const DECODE_RUNS: usize = 30;

/// `cargo xtask bench [SECTION..]`: build in release and run `bench-run` with the same sections.
pub fn run(sections: &[Section]) -> Result<()> {
    let mut command = cmd::cargo([
        "run",
        "--release",
        "--quiet",
        "-p",
        "xtask",
        "--",
        "bench-run",
    ]);
    command.args(sections.iter().map(|s| s.name()));
    cmd::run(&mut command)
}

/// `cargo xtask bench-spec UNITS [-o FILE]`: the synthetic spec of one scaling size, so a profiler
/// can run `codegen --check --spec FILE` on exactly what the benchmark measures.
pub fn write_spec(units: usize, out: Option<&std::path::Path>) -> Result<()> {
    let text = synthetic::spec(units);
    match out {
        Some(path) => crate::openapi3::write_atomically(path, &text)
            .with_context(|| format!("writing {}", crate::display_path(path))),
        None => {
            use std::io::Write as _;
            std::io::stdout().lock().write_all(text.as_bytes())?;
            Ok(())
        }
    }
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
    Ok(medians(generation_runs(name, text, runs)?))
}

/// Wall-clock time of each pass of one generation.
#[derive(Debug, Clone, Copy)]
struct PassTimes {
    load: Duration,
    lower: Duration,
    /// Emit and format, interleaved part by part on worker threads.
    render: Duration,
}

impl PassTimes {
    fn total(&self) -> Duration {
        self.load + self.lower + self.render
    }
}

/// The pass times of `runs` generations of `text`, each pass called as `generator::generate`
/// calls it.
fn generation_runs(name: &str, text: &str, runs: usize) -> Result<Vec<PassTimes>> {
    let source = SpecSource { name, text };
    let options = CrateOptions::default();
    let failed = |e: generator::Error| anyhow::anyhow!("{name}: {e}");
    let mut all = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let loaded = generator::load(&source).map_err(failed)?;
        let loaded_at = Instant::now();
        let lowered = generator::lower(&loaded).map_err(failed)?;
        let lowered_at = Instant::now();
        let files = generator::render(&lowered.api, &options, text).map_err(failed)?;
        let rendered_at = Instant::now();
        std::hint::black_box((files, loaded, lowered));
        all.push(PassTimes {
            load: loaded_at - start,
            lower: lowered_at - loaded_at,
            render: rendered_at - lowered_at,
        });
    }
    Ok(all)
}

/// The median of each pass, and of the total, over several runs.
fn medians(all: Vec<PassTimes>) -> (PassTimes, Duration) {
    let pass = |f: fn(&PassTimes) -> Duration| median(&mut all.iter().map(f).collect::<Vec<_>>());
    let medians = PassTimes {
        load: pass(|t| t.load),
        lower: pass(|t| t.lower),
        render: pass(|t| t.render),
    };
    (medians, pass(PassTimes::total))
}

/// What `cargo xtask bench` can measure; all of them when none is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Generation of spec/justap.yaml, per pass.
    Generation,
    /// Generation of synthetic specs of 1×, 10× and 100× the size.
    Scaling,
    /// Decoding a charge list into the generated types and into `serde_json::Value`.
    Decode,
    /// `cargo check` and debug rebuild of the generated crate, and its line counts.
    Build,
    /// Signature time of the generated crate (debug and release), its dependency count and clean
    /// debug build.
    Signing,
}

impl Section {
    pub const ALL: [Section; 5] = [
        Section::Generation,
        Section::Scaling,
        Section::Decode,
        Section::Build,
        Section::Signing,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Section::Generation => "generation",
            Section::Scaling => "scaling",
            Section::Decode => "decode",
            Section::Build => "build",
            Section::Signing => "signing",
        }
    }
}

impl std::str::FromStr for Section {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Section::ALL
            .into_iter()
            .find(|section| section.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Section::ALL.iter().map(|s| s.name()).collect();
                format!(
                    "unknown bench section `{s}` (expected one of: {})",
                    names.join(", ")
                )
            })
    }
}

/// `cargo xtask bench-run [SECTION..]`: measure and print the tables (progress goes to stderr).
pub fn run_measurements(sections: &[Section]) -> Result<()> {
    let sections = if sections.is_empty() {
        &Section::ALL[..]
    } else {
        sections
    };
    let mut out = String::new();
    for section in sections {
        match section {
            Section::Generation => generation_table(&mut out)?,
            Section::Scaling => scaling_table(&mut out)?,
            Section::Decode => decode_table(&mut out)?,
            Section::Build => build_table(&mut out)?,
            Section::Signing => signing_table(&mut out)?,
        }
        out.push('\n');
    }
    print!("{}", out.trim_end_matches('\n'));
    println!();
    Ok(())
}

fn generation_table(out: &mut String) -> Result<()> {
    let spec_path = project_root().join("spec").join("justap.yaml");
    let spec = fs::read_to_string(&spec_path).context("cannot read spec/justap.yaml")?;

    eprintln!("bench: generation of spec/justap.yaml");
    let (real, real_total) = generation("spec/justap.yaml", &spec, RUNS)?;
    writeln!(
        out,
        "### Generation of spec/justap.yaml (release, median of {RUNS} runs)\n"
    )?;
    writeln!(
        out,
        "Emit and format run interleaved, part by part, on {} worker thread(s): render is their \
         wall-clock time.\n",
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    )?;
    writeln!(out, "| pass | ms |\n|---|---:|")?;
    for (name, d) in [
        ("load + upgrade (`generator::load`)", real.load),
        ("lower (`generator::lower`)", real.lower),
        (
            "render: emit tokens, format (`generator::render`)",
            real.render,
        ),
        ("**total** (wall: load + lower + render)", real_total),
    ] {
        writeln!(out, "| {name} | {} |", ms(d))?;
    }
    eprintln!("bench: peak memory of generating spec/justap.yaml");
    writeln!(
        out,
        "\nPeak resident memory of one generation in a process of its own (`bench-peak`, VmHWM): \
         {} MiB.",
        peak::mib(peak::measure(&spec_path)?)
    )?;
    Ok(())
}

fn scaling_table(out: &mut String) -> Result<()> {
    writeln!(
        out,
        "### Scaling: synthetic Swagger 2.0 specs (units of {} definitions, {} operations)\n",
        synthetic::DEFINITIONS_PER_UNIT,
        synthetic::OPERATIONS_PER_UNIT
    )?;
    writeln!(
        out,
        "| size | spec KB | runs | load ms | lower ms | render ms | total ms | total / 1× | peak MiB |"
    )?;
    writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|")?;
    // The sizes are measured in interleaved rounds (1× nine times, 10× once, 100× once, five
    // times over) so that a slower or faster stretch of this shared machine falls on every size
    // alike instead of skewing the ratios; 100× takes seconds a run, hence few runs of it. Three
    // rounds left the ratio at the mercy of one or two loaded stretches (BENCHMARKS.md, issue I).
    const ROUNDS: usize = 5;
    let sizes = [(1, 9), (10, 1), (100, 1)];
    let texts: Vec<String> = sizes
        .iter()
        .map(|&(units, _)| synthetic::spec(units))
        .collect();
    let mut runs: Vec<Vec<PassTimes>> = vec![Vec::new(); sizes.len()];
    for round in 1..=ROUNDS {
        for ((&(units, per_round), text), runs) in sizes.iter().zip(&texts).zip(&mut runs) {
            eprintln!("bench: synthetic spec ×{units}, round {round}/{ROUNDS}");
            runs.extend(generation_runs(
                &format!("synthetic-x{units}.json"),
                text,
                per_round,
            )?);
        }
    }
    let specs = project_root().join("target").join("bench").join("specs");
    fs::create_dir_all(&specs).with_context(|| format!("cannot create {}", specs.display()))?;
    let mut base = None;
    for ((&(units, _), text), runs) in sizes.iter().zip(&texts).zip(runs) {
        let count = runs.len();
        let (times, total) = medians(runs);
        let base = *base.get_or_insert(total);
        eprintln!("bench:   ×{units}: {times:?}, total {total:?}; peak memory");
        let spec = specs.join(format!("synthetic-x{units}.json"));
        fs::write(&spec, text).with_context(|| format!("cannot write {}", spec.display()))?;
        let peak = peak::measure(&spec)?;
        writeln!(
            out,
            "| {units}× | {} | {count} | {} | {} | {} | {} | {:.1} | {} |",
            text.len() / 1024,
            ms(times.load),
            ms(times.lower),
            ms(times.render),
            ms(total),
            total.as_secs_f64() / base.as_secs_f64(),
            peak::mib(peak)
        )?;
    }
    Ok(())
}

fn decode_table(out: &mut String) -> Result<()> {
    eprintln!("bench: decoding");
    let decoded = decode::run(CHARGES, DECODE_RUNS)?;
    let mbps = |d: Duration| decoded.bytes as f64 / 1e6 / d.as_secs_f64();
    writeln!(
        out,
        "### Decoding a ChargeList of {CHARGES} charges ({} KB), median of {DECODE_RUNS} runs\n",
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
    Ok(())
}

fn build_table(out: &mut String) -> Result<()> {
    let built = build::run(BUILD_RUNS)?;
    writeln!(
        out,
        "### Build of the generated crate (scratch copy in target/bench, debug, median of {BUILD_RUNS})\n"
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
    for (construct, rebuild) in &built.probes {
        match rebuild {
            Some(d) => writeln!(out, "| debug rebuild, {construct} | {} |", secs(*d))?,
            None => writeln!(out, "| debug rebuild, {construct} | does not compile |")?,
        }
    }
    writeln!(out, "\n| generated file | lines |\n|---|---:|")?;
    let mut total = 0;
    for (path, lines) in &built.lines {
        total += lines;
        writeln!(out, "| {path} | {lines} |")?;
    }
    writeln!(out, "| **total** | {total} |")?;
    Ok(())
}

fn signing_table(out: &mut String) -> Result<()> {
    let signed = signing::run()?;
    writeln!(
        out,
        "### Signing with the generated crate (scratch crate in target/bench-signing, no profile override)\n"
    )?;
    writeln!(out, "| measurement | value |\n|---|---:|")?;
    for (build, (time, runs)) in [("debug", signed.debug), ("release", signed.release)] {
        writeln!(
            out,
            "| one signature, {build} build (median of {runs}) | {:.2} ms |",
            time.as_secs_f64() * 1000.0
        )?;
    }
    writeln!(
        out,
        "| unique crates, `cargo tree -e normal -p justap` (this host) | {} |",
        signed.dependencies
    )?;
    let all_targets = signed
        .dependencies_all_targets
        .map_or_else(|| "not downloaded".to_owned(), |n| n.to_string());
    writeln!(out, "| the same with `--target all` | {all_targets} |")?;
    writeln!(
        out,
        "| clean debug build of justap, dependencies included (wall) | {:.1} s |",
        signed.clean_build.as_secs_f64()
    )?;
    if let Some(cpu) = signed.clean_build_cpu {
        writeln!(
            out,
            "| the same build's CPU time (user + system, all processes) | {:.1} s |",
            cpu.as_secs_f64()
        )?;
    }
    Ok(())
}
