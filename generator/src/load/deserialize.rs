//! The JSON value → `openapiv3::OpenAPI`, with errors located by JSON pointer.

use serde::Deserialize as _;
use serde_json::Value;
use serde_path_to_error::Segment;

use super::sourcemap::SourceMap;
use crate::SpecError;
use crate::error::pointer_token;

/// Deserializes `doc`. With a source map (Swagger 2 input), error pointers are mapped back to the
/// document as written; a pointer the map does not cover is said to be into the upgraded document.
///
/// A valid document is read once without path tracking (serde_path_to_error's bookkeeping on every
/// node cost about a third of this step); only a failed read is repeated with tracking, to say where.
pub(crate) fn to_openapi(
    doc: Value,
    source_map: Option<&SourceMap>,
) -> Result<openapiv3::OpenAPI, SpecError> {
    if let Ok(openapi) = openapiv3::OpenAPI::deserialize(&doc) {
        return Ok(openapi);
    }
    serde_path_to_error::deserialize(doc).map_err(|error| {
        let upgraded = path_pointer(error.path());
        let message = error.inner().to_string();
        match source_map.map(|map| map.original(&upgraded)) {
            None => SpecError::new(upgraded, message),
            Some(Some(original)) => SpecError::new(original, message),
            Some(None) => SpecError::new(
                upgraded,
                format!("{message} (the location is in the document as upgraded to OpenAPI 3.0.3)"),
            ),
        }
    })
}

/// serde_path_to_error's path as a JSON pointer; enum variants and unknown steps are not document
/// locations and are skipped.
fn path_pointer(path: &serde_path_to_error::Path) -> String {
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => {
                pointer.push('/');
                pointer.push_str(&index.to_string());
            }
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&pointer_token(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reports_the_pointer_of_a_bad_value() {
        let doc = json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "tags": [{"name": "ok"}, {"name": 5}]
        });
        let err = to_openapi(doc, None).err();
        assert_eq!(err.map(|e| e.pointer), Some("/tags/1/name".to_owned()));
    }

    #[test]
    fn maps_pointers_back_through_the_source_map() {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {"A~B": {"type": "object", "properties": []}}}
        });
        let mut map = SourceMap::default();
        map.same_shape("/components/schemas/A~0B", "/definitions/A~0B");
        let err = to_openapi(doc.clone(), Some(&map)).err();
        assert!(err.is_some_and(|e| e.pointer.starts_with("/definitions/A~0B")));
        let err = to_openapi(doc, Some(&SourceMap::default())).err();
        assert!(err.is_some_and(|e| e.message.contains("upgraded")));
    }
}
