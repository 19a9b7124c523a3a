//! The JSON value → `openapiv3::OpenAPI`, with errors located by JSON pointer.

use serde::Deserialize;
use serde_json::Value;
use serde_path_to_error::Segment;

use super::sourcemap::SourceMap;
use crate::SpecError;
use crate::error::pointer_token;

/// Deserializes `doc`. With a source map (Swagger 2 input), error pointers are mapped back to the
/// document as written; a pointer the map does not cover is said to be into the upgraded document.
///
/// A valid document is read once without path tracking (serde_path_to_error's bookkeeping on every
/// node cost about a third of this step); only a failed read is repeated, with tracking, to say
/// where.
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
    use serde_json::{Map, json};

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

    /// A document with `n` named schemas of varied shapes, the `bad`-th (if any) not a schema.
    fn many_schemas(n: usize, bad: Option<usize>) -> Value {
        let schemas: Map<String, Value> = (0..n)
            .map(|i| {
                let schema = match i % 4 {
                    _ if Some(i) == bad => json!({"type": "object", "properties": [1]}),
                    0 => json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"$ref": "#/components/schemas/S1"}}, "required": ["a"]}),
                    1 => json!({"type": "string", "enum": ["X", "Y"], "description": "e"}),
                    2 => json!({"$ref": "#/components/schemas/S0"}),
                    _ => json!({"type": "array", "items": {"type": "integer", "format": "int64"}, "x-ext": {"k": 1}}),
                };
                (format!("S{i}"), schema)
            })
            .collect();
        let mut paths: Map<String, Value> = (0..n)
            .map(|i| {
                let item = match i % 3 {
                    0 => json!({"get": {"operationId": format!("Get{i}"), "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}}}}}),
                    1 => json!({"post": {"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}, "responses": {"default": {"description": "d"}}}, "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}]}),
                    _ => json!({"$ref": "#/paths/~1p0"}),
                };
                (format!("/p{i}"), item)
            })
            .collect();
        paths.insert("x-paths".to_owned(), json!({"note": 1}));
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": paths,
            "components": {"schemas": schemas, "responses": {"R": {"description": "r"}}, "x-c": true}
        })
    }

    #[test]
    fn a_bad_path_item_is_located_at_paths() {
        let mut doc = many_schemas(12, None);
        if let Some(item) = doc.pointer_mut("/paths/~1p7") {
            *item = json!({"get": {"responses": {"200": {"description": 5}}}});
        }
        // openapiv3 reads `paths` through a flattened map: the tracked read locates no deeper.
        assert_eq!(
            to_openapi(doc, None).err().map(|e| e.pointer),
            Some("/paths".to_owned())
        );
    }

    #[test]
    fn a_bad_schema_among_good_ones_is_located_at_its_name() {
        let err = to_openapi(many_schemas(12, Some(7)), None).err();
        assert_eq!(
            err.map(|e| e.pointer),
            Some("/components/schemas/S7".to_owned())
        );
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
