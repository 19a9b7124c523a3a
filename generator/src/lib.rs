//! Justap SDK generator: an OpenAPI 3.0 / Swagger 2.0 document in, the source files of a Rust crate out.
//!
//! Pipeline (see ARCHITECTURE.md): [`load()`] (parse, settle dangling refs, upgrade Swagger 2.0) →
//! [`lower`] (names, types, cycles → [`ir::Api`]) → [`render`] (emit tokens and format them, on
//! worker threads).
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

use std::collections::BTreeMap;

pub use emit::with_threads;
pub use error::{Diagnostic, Error, SpecError};
pub use load::{Loaded, SourceFormat, load};
pub use lower::Lowered;

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

/// Spec text → crate files: [`load()`], [`lower`], [`render`]. Nothing is partially produced: an
/// error means no files.
pub fn generate(source: &SpecSource<'_>, options: &CrateOptions) -> Result<Generated, Error> {
    let loaded = load(source)?;
    let lowered = lower(&loaded)?;
    let files = render(&lowered.api, options, source.text)?;
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(lowered.diagnostics);
    Ok(Generated { files, diagnostics })
}

/// The IR → the crate's files, each Rust file emitted and formatted part by part on worker
/// threads. `spec_text` is the text the IR was lowered from: the crate records its SHA-256.
pub fn render(
    api: &ir::Api,
    options: &CrateOptions,
    spec_text: &str,
) -> Result<BTreeMap<String, String>, Error> {
    emit::render(api, options, &Provenance::new(options, spec_text))
}
