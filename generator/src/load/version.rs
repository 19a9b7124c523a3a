//! Which spec format a parsed document is, from its top-level `swagger` / `openapi` key.

use serde_json::Value;

use super::SourceFormat;
use crate::{Diagnostic, Error, SpecError};

/// Swagger 2.0 or OpenAPI 3.0.x; everything else is [`Error::UnsupportedVersion`].
pub(crate) fn detect(file: &str, doc: &Value) -> Result<SourceFormat, Error> {
    let Some(top) = doc.as_object() else {
        return Err(SpecError::new("", "the document is not a mapping").in_file(file));
    };
    let unsupported = |found: String| Error::UnsupportedVersion {
        file: file.to_owned(),
        found,
    };
    // `openapi` wins if both are present: a converted document sometimes keeps the old marker.
    if let Some(value) = top.get("openapi") {
        let version = version_text(value);
        return if version == "3.0" || version.starts_with("3.0.") {
            Ok(SourceFormat::OpenApi30)
        } else {
            Err(unsupported(format!("openapi {version}")))
        };
    }
    if let Some(value) = top.get("swagger") {
        let version = version_text(value);
        return if version == "2.0" || version == "2" {
            Ok(SourceFormat::Swagger2)
        } else {
            Err(unsupported(format!("swagger {version}")))
        };
    }
    Err(unsupported("no 'swagger' or 'openapi' key".to_owned()))
}

/// Unquoted `openapi: 3.0` or `info: {version: 1.0}` arrive as numbers but are strings in the model.
/// Turns them into strings; `info.version` gets a diagnostic because its text may change (`1.10`
/// reads as 1.1).
pub(crate) fn quote_numeric_versions(doc: &mut Value) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for (at, noted) in [
        ("/openapi", false),
        ("/swagger", false),
        ("/info/version", true),
    ] {
        let Some(slot) = doc.pointer_mut(at) else {
            continue;
        };
        let Value::Number(n) = slot else { continue };
        let text = n.to_string();
        if noted {
            diagnostics.push(Diagnostic::at(
                at,
                format!(
                    "info.version is a number; it is used as the string '{text}' (quote it in the \
                     document to keep its exact text)"
                ),
            ));
        }
        *slot = Value::String(text);
    }
    diagnostics
}

/// A version as written; unquoted `2.0` arrives as a number.
fn version_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.trim().to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn found(doc: Value) -> String {
        match detect("t.yaml", &doc) {
            Err(Error::UnsupportedVersion { found, .. }) => found,
            other => panic!("expected UnsupportedVersion, got {other:?}"),
        }
    }

    #[test]
    fn detects_supported_versions() {
        assert_eq!(
            detect("t", &json!({"swagger": "2.0"})).ok(),
            Some(SourceFormat::Swagger2)
        );
        assert_eq!(
            detect("t", &json!({"swagger": 2.0})).ok(),
            Some(SourceFormat::Swagger2)
        );
        assert_eq!(
            detect("t", &json!({"openapi": "3.0.1"})).ok(),
            Some(SourceFormat::OpenApi30)
        );
        assert_eq!(
            detect("t", &json!({"openapi": "3.0.3"})).ok(),
            Some(SourceFormat::OpenApi30)
        );
    }

    #[test]
    fn names_what_it_found() {
        assert_eq!(found(json!({"openapi": "3.1.0"})), "openapi 3.1.0");
        assert_eq!(found(json!({"swagger": "1.2"})), "swagger 1.2");
        assert_eq!(found(json!({"info": {}})), "no 'swagger' or 'openapi' key");
    }

    #[test]
    fn numeric_versions_become_strings() {
        let mut doc = json!({"openapi": 3.0, "info": {"version": 1}});
        let diagnostics = quote_numeric_versions(&mut doc);
        assert_eq!(doc, json!({"openapi": "3.0", "info": {"version": "1"}}));
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(detect("t", &doc).ok(), Some(SourceFormat::OpenApi30));
    }

    #[test]
    fn top_level_must_be_a_mapping() {
        let Err(Error::Spec { pointer, .. }) = detect("t", &json!(["swagger"])) else {
            panic!("expected a spec error");
        };
        assert_eq!(pointer, "");
    }
}
