//! Reading a spec file and reporting what the generator said about it, the same way in every
//! command: the spec is named by its [`display_path`] (`spec/justap.yaml`) so errors and warnings
//! name the file the way the user knows it, and each diagnostic is one `warning:` line.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use generator::{Diagnostic, Loaded, SpecSource};

use crate::display_path;

/// The spec's display name and text.
pub(crate) fn read(spec: &Path) -> Result<(String, String)> {
    let name = display_path(spec);
    let text = fs::read_to_string(spec).with_context(|| format!("reading {name}"))?;
    Ok((name, text))
}

/// Reads and loads a spec (parse, settle refs, upgrade Swagger 2.0).
pub(crate) fn load(spec: &Path) -> Result<Loaded> {
    let (name, text) = read(spec)?;
    // The generator's errors already start with the spec name.
    generator::load(&SpecSource {
        name: &name,
        text: &text,
    })
    .map_err(anyhow::Error::new)
}

/// Prints diagnostics as `warning: <spec>: <diagnostic>`, one line each.
pub(crate) fn warn(stderr: &mut dyn Write, spec: &str, diagnostics: &[Diagnostic]) -> Result<()> {
    for diagnostic in diagnostics {
        let one_line = diagnostic.to_string().replace('\n', " ");
        writeln!(stderr, "warning: {spec}: {one_line}")?;
    }
    Ok(())
}
