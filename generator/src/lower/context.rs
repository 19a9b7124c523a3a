//! What every lowering step shares: the document, the type names handed out so far, and the
//! diagnostics and errors, which name the document and a place in it.

use crate::naming::TypeNames;
use crate::{Diagnostic, Error, Loaded, SpecError};

pub(super) struct Context<'a> {
    pub(super) loaded: &'a Loaded,
    pub(super) names: TypeNames,
    pub(super) diagnostics: Vec<Diagnostic>,
}

impl<'a> Context<'a> {
    pub(super) fn new(loaded: &'a Loaded, names: TypeNames) -> Self {
        Self {
            loaded,
            names,
            diagnostics: Vec::new(),
        }
    }

    pub(super) fn warn(&mut self, pointer: &str, message: &str) {
        self.diagnostics.push(Diagnostic::at(pointer, message));
    }

    pub(super) fn error(&self, pointer: &str, message: &str) -> Error {
        SpecError::new(pointer, message).in_file(&self.loaded.file)
    }
}
