//! `cargo xtask fuzz-crates`, also step `fuzz-crates` of `cargo xtask test`: the generator's
//! promise is a crate that *compiles without warnings*, which a `syn` parse cannot show. The
//! random documents of [`CRATE_SEEDS`] together contain every shape [`specgen`] makes
//! ([`specgen::all_shapes`], held by a test); their crates are written as the members of one
//! scratch workspace, `target/fuzz-crates/`, and checked with one `cargo check` that shares the
//! vendor step's target directory (`target/vendoring/`), so the dependencies are built once.
//!
//! `cargo xtask fuzz-crates --pick [--tries N]` chooses the seeds anew (when [`specgen`] changes):
//! it generates the documents of seeds `0..N` and prints a small set of those the generator
//! accepts whose shapes cover the most (greedily, as set cover goes).

use std::collections::BTreeSet;
use std::fs;
use std::io::{BufRead, BufReader};
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::process::Stdio;

use anyhow::{Context, Result, bail};
use generator::{CrateOptions, Generated, SpecSource};
use serde_json::Value;

use super::specgen::{self, SpecGen};
use crate::{cmd, project_root, scratch};

/// Seeds of [`SpecGen`] documents whose crates, together, contain every shape; chosen by
/// `cargo xtask fuzz-crates --pick`.
pub const CRATE_SEEDS: &[u64] = &[146, 161, 944, 1450, 1987, 2210, 2439, 2933, 2962];

/// The crate made from the document of `seed`, with the shapes the document contains; `None` when
/// the generator refuses the document (or breaks its promise, which `cargo xtask fuzz` reports).
pub fn generate(seed: u64) -> Option<(Generated, BTreeSet<String>)> {
    let mut spec = SpecGen::new(seed);
    let text = spec.document_text();
    let name = format!("fuzz-{seed}.json");
    let options = CrateOptions {
        name: crate_name(seed),
        ..CrateOptions::default()
    };
    let source = SpecSource {
        name: &name,
        text: &text,
    };
    let generated =
        panic::catch_unwind(AssertUnwindSafe(|| generator::generate(&source, &options)))
            .ok()?
            .ok()?;
    Some((generated, spec.shapes().clone()))
}

fn crate_name(seed: u64) -> String {
    format!("fuzz_shapes_{seed}")
}

/// The seeds [`generate`] accepts among `0..tries`, greedily chosen to cover the most shapes,
/// and the shapes none of them contains.
pub fn pick(tries: u64) -> (Vec<u64>, BTreeSet<String>) {
    // The generator's panics are the fuzzer's business; here they only make a seed unusable.
    panic::set_hook(Box::new(|_| {}));
    let candidates: Vec<(u64, BTreeSet<String>)> = (0..tries)
        .filter_map(|seed| generate(seed).map(|(_, shapes)| (seed, shapes)))
        .collect();
    let _ = panic::take_hook();
    let mut uncovered = specgen::all_shapes();
    let mut picked = Vec::new();
    loop {
        let best = candidates
            .iter()
            .map(|(seed, shapes)| (shapes.intersection(&uncovered).count(), *seed, shapes))
            // The most new shapes; among equals the lowest seed, so the pick is deterministic.
            .max_by_key(|(count, seed, _)| (*count, std::cmp::Reverse(*seed)));
        match best {
            Some((count, seed, shapes)) if count > 0 => {
                picked.push(seed);
                uncovered.retain(|shape| !shapes.contains(shape));
            }
            _ => break,
        }
    }
    picked.sort_unstable();
    (picked, uncovered)
}

/// `cargo xtask fuzz-crates --pick`: prints the seeds to paste into [`CRATE_SEEDS`].
pub fn run_pick(tries: u64) -> Result<()> {
    let (picked, uncovered) = pick(tries);
    println!("pub const CRATE_SEEDS: &[u64] = &{picked:?};");
    if !uncovered.is_empty() {
        bail!(
            "no accepted document among seeds 0..{tries} contains: {}",
            uncovered.into_iter().collect::<Vec<_>>().join(", ")
        );
    }
    Ok(())
}

/// `cargo xtask fuzz-crates`: writes the crates of [`CRATE_SEEDS`] and checks them.
pub fn run() -> Result<()> {
    let root = project_root();
    let scratch = root.join("target").join("fuzz-crates");
    write_workspace(&root, &scratch)?;
    println!(
        "wrote {} crates from fuzz documents into {}",
        CRATE_SEEDS.len(),
        crate::display_path(&scratch)
    );
    check(&root, &scratch)
}

fn write_workspace(root: &Path, scratch: &Path) -> Result<()> {
    if scratch.exists() {
        fs::remove_dir_all(scratch).with_context(|| format!("removing {}", scratch.display()))?;
    }
    let mut members = Vec::new();
    for &seed in CRATE_SEEDS {
        let Some((generated, _)) = generate(seed) else {
            bail!(
                "the generator refuses the document of fuzz seed {seed}: choose the seeds anew with `cargo xtask fuzz-crates --pick`"
            );
        };
        let dir = crate_name(seed);
        for (path, text) in &generated.files {
            scratch::write(&scratch.join(&dir).join(path), text)?;
        }
        members.push(format!("{dir:?}"));
    }
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members.join(", ")
    );
    scratch::write(&scratch.join("Cargo.toml"), manifest)?;
    // The versions the vendor step already built.
    scratch::copy_lock(root, scratch)
}

/// One `cargo check` of the whole scratch workspace; any warning or error of its crates fails it.
fn check(root: &Path, scratch: &Path) -> Result<()> {
    let mut command = cmd::cargo([
        "check",
        "--workspace",
        "--all-targets",
        "--message-format=json",
    ]);
    command
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", root.join("target").join("vendoring"))
        .stdout(Stdio::piped());
    let shown = cmd::show(&command);
    let mut child = command
        .spawn()
        .with_context(|| format!("cannot run `{shown}`"))?;
    let mut findings = 0;
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.with_context(|| format!("reading `{shown}`"))?;
            if let Some(rendered) = diagnostic_of_ours(&line, scratch) {
                findings += 1;
                eprint!("{rendered}");
            }
        }
    }
    let status = child
        .wait()
        .with_context(|| format!("waiting for `{shown}`"))?;
    if !status.success() || findings > 0 {
        bail!(
            "`{shown}` in {}: {status}, {findings} warnings or errors in crates generated from fuzz documents (`cargo xtask fuzz-crates` rebuilds them)",
            crate::display_path(scratch)
        );
    }
    Ok(())
}

/// The rendered text of a compiler warning or error in one of the scratch workspace's crates (the
/// dependencies' warnings are capped by cargo and never reach us, but the check says so itself).
fn diagnostic_of_ours(line: &str, scratch: &Path) -> Option<String> {
    let message: Value = serde_json::from_str(line).ok()?;
    if message["reason"] != "compiler-message" {
        return None;
    }
    let manifest = message["manifest_path"].as_str()?;
    if !Path::new(manifest).starts_with(scratch) {
        return None;
    }
    let diagnostic = &message["message"];
    if !matches!(diagnostic["level"].as_str(), Some("warning" | "error")) {
        return None;
    }
    diagnostic["rendered"].as_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The crates CI compiles contain every shape the random documents can have; when
    /// [`specgen`] changes, `cargo xtask fuzz-crates --pick` chooses new seeds.
    #[test]
    fn crate_seeds_cover_every_shape() {
        let mut covered = BTreeSet::new();
        for &seed in CRATE_SEEDS {
            let (_, shapes) = generate(seed).unwrap_or_else(|| panic!("seed {seed} is refused"));
            covered.extend(shapes);
        }
        let missing: Vec<_> = specgen::all_shapes()
            .difference(&covered)
            .cloned()
            .collect();
        assert!(missing.is_empty(), "not covered: {missing:?}");
    }

    /// What a document contains is one of the listed shapes, so coverage of the list means
    /// coverage of the generator.
    #[test]
    fn every_shape_a_document_contains_is_listed() {
        let all = specgen::all_shapes();
        for seed in 0..200 {
            let mut spec = SpecGen::new(seed);
            spec.document();
            let unlisted: Vec<_> = spec.shapes().difference(&all).collect();
            assert!(unlisted.is_empty(), "seed {seed}: {unlisted:?}");
        }
    }

    #[test]
    fn only_our_crates_warnings_and_errors_count() {
        let scratch = Path::new("/p/target/fuzz-crates");
        let message = |manifest: &str, level: &str| {
            serde_json::json!({
                "reason": "compiler-message",
                "manifest_path": manifest,
                "message": { "level": level, "rendered": "warning: unused\n" },
            })
            .to_string()
        };
        let ours = "/p/target/fuzz-crates/fuzz_shapes_1/Cargo.toml";
        assert_eq!(
            diagnostic_of_ours(&message(ours, "warning"), scratch).as_deref(),
            Some("warning: unused\n")
        );
        assert!(diagnostic_of_ours(&message(ours, "error"), scratch).is_some());
        assert!(diagnostic_of_ours(&message(ours, "note"), scratch).is_none());
        let theirs = "/root/.cargo/registry/src/x/serde-1.0.0/Cargo.toml";
        assert!(diagnostic_of_ours(&message(theirs, "warning"), scratch).is_none());
        assert!(diagnostic_of_ours(r#"{"reason":"build-finished"}"#, scratch).is_none());
        assert!(diagnostic_of_ours("not json", scratch).is_none());
    }
}
