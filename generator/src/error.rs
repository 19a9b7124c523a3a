//! Errors and diagnostics. Every problem names the spec file and, where it has one, the JSON pointer
//! into the document as the user wrote it.

use std::fmt;

/// A problem that stops generation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The text is neither valid YAML nor valid JSON.
    #[error("{file}: cannot parse the document: {message}")]
    Parse { file: String, message: String },
    /// The document declares a version this generator does not read.
    #[error("{file}: unsupported spec version {found}; supported: Swagger 2.0 and OpenAPI 3.0.x")]
    UnsupportedVersion { file: String, found: String },
    /// The document is valid YAML/JSON but not a usable spec at `pointer`.
    #[error("{file}: at {pointer}: {message}")]
    Spec {
        file: String,
        pointer: String,
        message: String,
    },
    /// The crate options cannot make a valid `Cargo.toml`.
    #[error("invalid crate options: {0}")]
    Options(String),
    /// The generator produced something it cannot format: a generator bug, reported instead of panicking.
    #[error("internal generator error: {0}")]
    Internal(String),
}

/// A spec-located problem before the file name is attached (the load passes do not know the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// JSON pointer (RFC 6901) into the document as written, e.g. `/definitions/v1Charge/properties/amount`.
    pub pointer: String,
    pub message: String,
}

impl SpecError {
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            message: message.into(),
        }
    }

    pub fn in_file(self, file: &str) -> Error {
        Error::Spec {
            file: file.to_owned(),
            pointer: self.pointer,
            message: self.message,
        }
    }
}

/// A problem that does not stop generation: the generator chose a fallback and says where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub message: String,
    /// Every place in the document the problem occurs (JSON pointers into the document as written).
    pub pointers: Vec<String>,
}

impl Diagnostic {
    /// A problem at one place.
    pub fn at(pointer: &str, message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            pointers: vec![pointer.to_owned()],
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        match self.pointers.as_slice() {
            [] => Ok(()),
            [one] => write!(f, " (at {one})"),
            many => write!(f, " ({} places: {})", many.len(), many.join(", ")),
        }
    }
}

/// Escapes one JSON pointer reference token (RFC 6901 §4).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
