//! The JSON value → `openapiv3::OpenAPI`, with errors located by JSON pointer.

use openapiv3::{ReferenceOr, Schema};
use serde::Deserialize as _;
use serde_json::{Map, Value};
use serde_path_to_error::Segment;

use super::sourcemap::SourceMap;
use crate::error::pointer_token;
use crate::{SpecError, parallel};

/// Deserializes `doc`. With a source map (Swagger 2 input), error pointers are mapped back to the
/// document as written; a pointer the map does not cover is said to be into the upgraded document.
///
/// A valid document is read once without path tracking (serde_path_to_error's bookkeeping on every
/// node cost about a third of this step), its named schemas on worker threads; only a failed read
/// is repeated, whole and with tracking, to say where.
pub(crate) fn to_openapi(
    mut doc: Value,
    source_map: Option<&SourceMap>,
) -> Result<openapiv3::OpenAPI, SpecError> {
    let schemas = take_schemas(&mut doc);
    if let Some(openapi) = read_untracked(&doc, schemas.as_ref()) {
        return Ok(openapi);
    }
    if let (Some(schemas), Some(Value::Object(place))) =
        (schemas, doc.pointer_mut("/components/schemas"))
    {
        *place = schemas;
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

/// Below this many named schemas one thread reads them as fast as several.
const PARALLEL_SCHEMAS: usize = 64;

/// Takes `components.schemas` out of `doc` (leaving it empty) when it is worth reading on threads.
fn take_schemas(doc: &mut Value) -> Option<Map<String, Value>> {
    match doc.pointer_mut("/components/schemas")? {
        Value::Object(schemas) if schemas.len() >= PARALLEL_SCHEMAS => {
            Some(std::mem::take(schemas))
        }
        _ => None,
    }
}

/// `doc` as an `OpenAPI`, with `schemas` (taken out of it) read entry by entry on worker threads;
/// each entry reads as it would inside the whole map. `None` on any error.
fn read_untracked(doc: &Value, schemas: Option<&Map<String, Value>>) -> Option<openapiv3::OpenAPI> {
    let mut openapi = openapiv3::OpenAPI::deserialize(doc).ok()?;
    let Some(schemas) = schemas else {
        return Some(openapi);
    };
    let entries: Vec<(&String, &Value)> = schemas.iter().collect();
    let chunks: Vec<&[(&String, &Value)]> =
        entries.chunks(parallel::chunk_len(entries.len())).collect();
    let read = parallel::map_in_order(chunks, |chunk| {
        chunk
            .iter()
            .map(|&(name, schema)| {
                Some((
                    name.clone(),
                    ReferenceOr::<Schema>::deserialize(schema).ok()?,
                ))
            })
            .collect::<Option<Vec<_>>>()
    })?;
    let components = openapi.components.as_mut()?;
    for chunk in read {
        components.schemas.extend(chunk?);
    }
    Some(openapi)
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
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": schemas, "responses": {"R": {"description": "r"}}, "x-c": true}
        })
    }

    #[test]
    fn schemas_read_on_threads_are_the_whole_read() {
        let doc = many_schemas(300, None);
        let whole = openapiv3::OpenAPI::deserialize(&doc).ok();
        assert!(whole.is_some());
        assert_eq!(to_openapi(doc, None).ok(), whole);
    }

    #[test]
    fn a_bad_schema_among_many_is_reported_as_in_the_whole_read() {
        let err = to_openapi(many_schemas(300, Some(157)), None).err();
        assert_eq!(
            err.map(|e| e.pointer),
            Some("/components/schemas/S157".to_owned())
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
