//! Build cost of the generated crate, measured on its copy in the scratch workspace
//! ([`Scratch`]): `cargo check` and debug rebuilds of `justap` alone, after touching its
//! `src/lib.rs`, and the same rebuild with one construct taken out.

use std::fs;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::scratch::Scratch;
use crate::cmd;

pub struct BuildResult {
    /// Median `cargo check` of `justap` alone (deps already checked).
    pub check: Duration,
    /// Median debug `cargo build` of `justap` alone after touching `src/lib.rs`.
    pub rebuild: Duration,
    /// The same rebuild with one construct taken out, to see what it costs: (what was taken out,
    /// median rebuild, or `None` when the crate did not compile without it).
    pub probes: Vec<(&'static str, Option<Duration>)>,
    /// Lines of each generated `src/*.rs` file, sorted by path.
    pub lines: Vec<(String, usize)>,
}

/// Touches `src/lib.rs` (so that only `justap` is rebuilt) and times `cargo <args> -p justap`.
fn timed(scratch: &Scratch, args: &[&str]) -> Result<Duration> {
    let lib = scratch.justap().join("src").join("lib.rs");
    let text = fs::read(&lib)?;
    fs::write(&lib, text)?; // a write updates the mtime portably
    let mut command = scratch.cargo(args);
    command.args(["-p", "justap"]);
    let start = Instant::now();
    let status = command.status().with_context(|| cmd::show(&command))?;
    let elapsed = start.elapsed();
    if !status.success() {
        bail!(
            "`{}` in {} failed",
            cmd::show(&command),
            scratch.root.display()
        );
    }
    Ok(elapsed)
}

fn median_of(runs: usize, mut once: impl FnMut() -> Result<Duration>) -> Result<Duration> {
    let mut times = (0..runs).map(|_| once()).collect::<Result<Vec<_>>>()?;
    Ok(super::median(&mut times))
}

/// A construct taken out of the generated sources: its name, and the edit of one file's text.
type Probe = (&'static str, fn(&str, &str) -> String);

const PROBES: [Probe; 2] = [
    ("doc comments removed (all files)", without_docs),
    (
        "operation methods removed (operations.rs)",
        without_operations,
    ),
];

/// Doc comments are only comments: dropping them always compiles.
fn without_docs(_path: &str, text: &str) -> String {
    text.lines()
        .filter(|line| {
            let line = line.trim_start();
            !line.starts_with("///") && !line.starts_with("//!")
        })
        .flat_map(|line| [line, "\n"])
        .collect()
}

/// `impl Client { .. }` emptied: the per-operation code goes, the types stay (unused imports only
/// warn).
fn without_operations(path: &str, text: &str) -> String {
    if path != "src/operations.rs" {
        return text.to_owned();
    }
    match text.find("impl Client {") {
        Some(at) => format!("{}impl Client {{}}\n", &text[..at]),
        None => text.to_owned(),
    }
}

pub fn run(runs: usize) -> Result<BuildResult> {
    let scratch = Scratch::create()?;
    let dir = scratch.justap();
    let mut lines = Vec::new();
    for entry in fs::read_dir(dir.join("src"))? {
        let path = entry?.path();
        let count = fs::read_to_string(&path)?.lines().count();
        lines.push((
            format!(
                "src/{}",
                path.file_name().unwrap_or_default().to_string_lossy()
            ),
            count,
        ));
    }
    lines.sort();

    // Dependencies first (not measured): a full build and a full check.
    eprintln!("bench: building the dependencies of the generated crate (first run: a few minutes)");
    for args in [&["build", "-p", "justap"][..], &["check", "-p", "justap"]] {
        let mut command = scratch.cargo(args);
        command.stderr(Stdio::inherit());
        cmd::run(&mut command)?;
    }
    let check = median_of(runs, || timed(&scratch, &["check"]))?;
    let rebuild = median_of(runs, || timed(&scratch, &["build"]))?;

    let sources: Vec<(String, PathBuf, String)> = lines
        .iter()
        .map(|(name, _)| {
            let path = dir.join(name);
            fs::read_to_string(&path).map(|text| (name.clone(), path, text))
        })
        .collect::<std::io::Result<_>>()?;
    let mut probes = Vec::new();
    for (construct, edit) in PROBES {
        for (name, path, text) in &sources {
            fs::write(path, edit(name, text))?;
        }
        let probe = match timed(&scratch, &["build"]) {
            Ok(_) => Some(median_of(runs, || timed(&scratch, &["build"]))?),
            Err(_) => None,
        };
        probes.push((construct, probe));
        for (_, path, text) in &sources {
            fs::write(path, text)?;
        }
    }
    Ok(BuildResult {
        check,
        rebuild,
        probes,
        lines,
    })
}
