//! Fixture crates: complete crates generated from fixture specs in `tests/fixtures/specs/`, checked
//! in under `tests/fixtures/crates/` and built as workspace members, so the live-server tests can
//! call code the generator emits for things `spec/justap.yaml` does not have (array, header and
//! required query parameters). `cargo xtask codegen` writes them along with `generated/`;
//! `--check` and the freshness test check them the same way.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use generator::{CrateOptions, Generated, SpecSource};

use crate::codegen::{catch_panic, places, write_summary};
use crate::tree::{self, Stale};

/// One fixture crate: its spec and output directory (relative to the project root) and its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fixture {
    pub spec: &'static str,
    pub out: &'static str,
    pub name: &'static str,
    /// Its spec exists to make the generator warn (shapes it can only send as JSON text or not
    /// at all): without `--verbose` the warnings are counted, not listed, to keep the output short.
    pub warns: bool,
}

/// Every fixture crate.
pub const FIXTURES: &[Fixture] = &[
    Fixture {
        spec: "tests/fixtures/specs/params.yaml",
        out: "tests/fixtures/crates/params",
        name: "justap_params_fixture",
        warns: false,
    },
    // Shapes that once made the generator emit Rust that does not compile (issue J).
    Fixture {
        spec: "tests/fixtures/specs/shapes.yaml",
        out: "tests/fixtures/crates/shapes",
        name: "justap_shapes_fixture",
        warns: true,
    },
];

/// Generates one fixture crate (no extras: they are written for `spec/justap.yaml` only).
pub fn generate(root: &Path, fixture: &Fixture) -> Result<Generated> {
    let (name, text) = crate::spec::read(&root.join(fixture.spec))?;
    let source = SpecSource {
        name: &name,
        text: &text,
    };
    let options = CrateOptions {
        name: fixture.name.to_owned(),
        ..CrateOptions::default()
    };
    catch_panic(&name, || generator::generate(&source, &options))?.map_err(anyhow::Error::new)
}

/// The stale files of every fixture crate, their paths relative to the project root.
pub fn stale_files(root: &Path) -> Result<Vec<Stale>> {
    let mut stale = Vec::new();
    for fixture in FIXTURES {
        let generated = generate(root, fixture)?;
        stale.extend(
            tree::check_tree(&root.join(fixture.out), &generated.files)
                .into_iter()
                .map(|file| Stale {
                    path: format!("{}/{}", fixture.out, file.path),
                    ..file
                }),
        );
    }
    Ok(stale)
}

/// Writes (or, with `check`, compares) every fixture crate, reporting as `codegen` does for
/// `generated/` (`verbose`: every place of each diagnostic). Every fixture is handled before the
/// first failure is returned.
pub fn run(
    root: &Path,
    check: bool,
    verbose: bool,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<()> {
    let mut failed = Vec::new();
    for fixture in FIXTURES {
        let out = format!("{}/", fixture.out);
        let generated = generate(root, fixture)?;
        if fixture.warns && !verbose {
            writeln!(
                stderr,
                "{}: {} expected warnings (--verbose lists them)",
                fixture.spec,
                generated.diagnostics.len()
            )?;
        } else {
            crate::spec::warn(
                stderr,
                fixture.spec,
                &generated.diagnostics,
                places(verbose),
            )?;
        }
        let dir = root.join(fixture.out);
        if check {
            let stale = tree::check_tree(&dir, &generated.files);
            if stale.is_empty() {
                writeln!(stdout, "{out} is up to date")?;
            }
            for file in &stale {
                writeln!(stderr, "stale: {out}{} ({})", file.path, file.kind)?;
            }
            if !stale.is_empty() {
                failed.push(out);
            }
        } else {
            let report = tree::write_tree(&dir, &generated.files)
                .with_context(|| format!("writing {out}"))?;
            let summary = write_summary(&report, &out);
            if report.is_up_to_date() {
                writeln!(stdout, "{summary}")?;
            } else {
                writeln!(stdout, "{out}: {summary}")?;
            }
        }
    }
    if !failed.is_empty() {
        bail!("{} is stale: run `cargo xtask codegen`", failed.join(", "));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project_root;

    #[test]
    fn fixture_specs_exist_and_names_are_crate_names() {
        let root = project_root();
        for fixture in FIXTURES {
            assert!(root.join(fixture.spec).is_file(), "{}", fixture.spec);
            assert!(
                fixture
                    .name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_'),
                "{}",
                fixture.name
            );
        }
    }
}
