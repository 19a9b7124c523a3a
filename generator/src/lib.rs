//! Justap SDK generator: an OpenAPI 3.0 / Swagger 2.0 document in, the source files of a Rust crate out.
//!
//! Pipeline (see ARCHITECTURE.md): [`load`] (parse, settle dangling refs, upgrade Swagger 2.0) →
//! [`lower`] (names, types, cycles → [`ir::Api`]) → emit (tokens) → format (prettyplease + header).
//! The library is pure: it reads only the text it is given and returns files as strings.

pub mod diff;
pub mod error;
pub mod export;
pub mod ir;
pub mod load;

mod boxes;
mod cycles;
mod docs;
mod emit;
mod ident;
mod lower;
mod naming;
mod parallel;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

pub use error::{Diagnostic, Error, SpecError};
pub use load::{Loaded, SourceFormat, load};
pub use lower::Lowered;
pub use parallel::with_threads;

/// A spec document and the name to use for it in messages.
#[derive(Debug, Clone, Copy)]
pub struct SpecSource<'a> {
    /// Shown in errors and diagnostics, usually the path the text was read from.
    pub name: &'a str,
    pub text: &'a str,
}

/// Package metadata of the emitted crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateOptions {
    pub name: String,
    pub version: String,
    /// The spec release the crate is generated from (e.g. `3.0.3`): Justap releases keep
    /// `info.version` at `1.0`, so the label is the only name a vendored copy has for its spec.
    pub spec_label: String,
}

impl Default for CrateOptions {
    fn default() -> Self {
        Self {
            name: "justap".to_owned(),
            version: "0.1.0".to_owned(),
            spec_label: "unlabelled".to_owned(),
        }
    }
}

/// What the generated crate says about its origin (its docs and `SPEC_RELEASE`/`SPEC_SHA256`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Provenance {
    pub label: String,
    /// Lowercase hex SHA-256 of the spec text exactly as given to [`generate`].
    pub sha256: String,
}

impl Provenance {
    fn new(options: &CrateOptions, text: &str) -> Provenance {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(text.as_bytes());
        let sha256 = digest.iter().map(|byte| format!("{byte:02x}")).collect();
        Provenance {
            label: options.spec_label.clone(),
            sha256,
        }
    }
}

/// The emitted crate: every file, keyed by its `/`-separated path relative to the crate root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub files: BTreeMap<String, String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Lowers a loaded document to the IR.
pub fn lower(loaded: &Loaded) -> Result<Lowered, Error> {
    lower::lower(loaded)
}

/// Spec text → crate files. Nothing is partially produced: an error means no files.
pub fn generate(source: &SpecSource<'_>, options: &CrateOptions) -> Result<Generated, Error> {
    generate_timed(source, options).map(|(generated, _)| generated)
}

/// Wall-clock time of each pass of one [`generate`] run, for `cargo xtask bench`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PassTimes {
    /// [`load`]: parse, settle dangling refs, upgrade Swagger 2.0, deserialize.
    pub load: Duration,
    /// [`lower`]: names, types, operations, cycles → IR.
    pub lower: Duration,
    /// IR → token streams, summed over the worker threads that emit and format files part by part.
    pub emit: Duration,
    /// Tokens → text (syn parse, prettyplease), summed over the worker threads, plus joining,
    /// item separation and headers.
    pub format: Duration,
    /// Wall-clock time of emit and format together: they run interleaved on worker threads, so
    /// on more than one core this is less than `emit + format`.
    pub render: Duration,
}

impl PassTimes {
    /// Wall-clock time of the whole generation.
    pub fn total(&self) -> Duration {
        self.load + self.lower + self.render
    }
}

/// [`generate`], also returning how long each pass took. The same code path: `generate` calls this.
pub fn generate_timed(
    source: &SpecSource<'_>,
    options: &CrateOptions,
) -> Result<(Generated, PassTimes), Error> {
    let start = Instant::now();
    let loaded = load(source)?;
    let loaded_at = Instant::now();
    let lowered = lower(&loaded)?;
    let lowered_at = Instant::now();
    let provenance = Provenance::new(options, source.text);
    let (files, render) = emit::render(&lowered.api, options, &provenance)?;
    let rendered_at = Instant::now();
    let times = PassTimes {
        load: loaded_at - start,
        lower: lowered_at - loaded_at,
        emit: render.emit,
        format: render.format,
        render: rendered_at - lowered_at,
    };
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(lowered.diagnostics);
    Ok((Generated { files, diagnostics }, times))
}
