//! Shared helpers for the integration tests: where things are, and generating from a file.

use std::path::{Path, PathBuf};

/// The README code blocks (project and SDK crate) compile: `cargo test --doc -p sdk-tests`.
#[doc = include_str!("../README.md")]
#[doc = include_str!("../generated/README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Generates the crate for a spec file given relative to the workspace root.
///
/// # Panics
/// When the file cannot be read or the generator fails: in a test that is the failure to report.
pub fn generate(relative: &str) -> generator::Generated {
    let text = std::fs::read_to_string(root().join(relative))
        .unwrap_or_else(|e| panic!("reading {relative}: {e}"));
    generate_text(relative, &text).unwrap_or_else(|e| panic!("generating {relative}: {e}"))
}

/// Generates the crate for spec text, with the default crate options.
pub fn generate_text(name: &str, text: &str) -> Result<generator::Generated, generator::Error> {
    generator::generate(
        &generator::SpecSource { name, text },
        &generator::CrateOptions::default(),
    )
}

/// The diagnostics as the xtask prints them, one per line.
pub fn diagnostics_text(generated: &generator::Generated) -> String {
    generated
        .diagnostics
        .iter()
        .map(|d| format!("warning: {d}\n"))
        .collect()
}

/// `text` with every SHA-256 (a run of exactly 64 lowercase hex digits) replaced by `<sha256>`:
/// crates generated from different texts of the same API differ only in the spec hash they record
/// (`SPEC_SHA256` and the crate docs), which is the point of recording it.
pub fn mask_spec_hash(text: &str) -> String {
    let is_hex = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() == 64 {
            out.push_str("<sha256>");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if is_hex(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}
