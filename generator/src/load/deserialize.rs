//! The JSON value → `openapiv3::OpenAPI`, with errors located by JSON pointer.

use openapiv3::{PathItem, ReferenceOr, Schema};
use serde::Deserialize;
use serde_json::{Map, Value};
use serde_path_to_error::Segment;

use super::sourcemap::SourceMap;
use crate::error::pointer_token;
use crate::{SpecError, parallel};

/// Deserializes `doc`. With a source map (Swagger 2 input), error pointers are mapped back to the
/// document as written; a pointer the map does not cover is said to be into the upgraded document.
///
/// A valid document is read once without path tracking (serde_path_to_error's bookkeeping on every
/// node cost about a third of this step), its named schemas and path items on worker threads;
/// only a failed read is repeated, whole and with tracking, to say where.
pub(crate) fn to_openapi(
    mut doc: Value,
    source_map: Option<&SourceMap>,
) -> Result<openapiv3::OpenAPI, SpecError> {
    let taken = Taken::from(&mut doc);
    if let Some(openapi) = taken.read_untracked(&doc) {
        return Ok(openapi);
    }
    taken.restore(&mut doc);
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

/// Below this many entries one thread reads a map as fast as several.
const PARALLEL_ENTRIES: usize = 64;

/// The big maps of a document, taken out of it to be read entry by entry on worker threads.
struct Taken {
    /// `components.schemas`, left empty in the document.
    schemas: Option<Map<String, Value>>,
    /// `paths`, of which only the entries that are not path items (`x-` extensions) are left.
    paths: Option<Map<String, Value>>,
}

impl Taken {
    fn from(doc: &mut Value) -> Self {
        let schemas = match doc.pointer_mut("/components/schemas") {
            Some(Value::Object(schemas)) if schemas.len() >= PARALLEL_ENTRIES => {
                Some(std::mem::take(schemas))
            }
            _ => None,
        };
        let paths = match doc.get_mut("paths") {
            Some(Value::Object(paths)) if paths.len() >= PARALLEL_ENTRIES => {
                let all = std::mem::take(paths);
                *paths = all
                    .iter()
                    .filter(|(key, _)| !is_path(key))
                    .map(|(key, value)| (key.clone(), value.clone()))
                    .collect();
                Some(all)
            }
            _ => None,
        };
        Taken { schemas, paths }
    }

    /// Puts the maps back as they were, for the tracked read.
    fn restore(self, doc: &mut Value) {
        if let (Some(schemas), Some(Value::Object(place))) =
            (self.schemas, doc.pointer_mut("/components/schemas"))
        {
            *place = schemas;
        }
        if let (Some(paths), Some(Value::Object(place))) = (self.paths, doc.get_mut("paths")) {
            *place = paths;
        }
    }

    /// `doc` as an `OpenAPI`, the taken maps read on worker threads; each entry reads as it would
    /// inside the whole map (openapiv3 keeps the `paths` keys that start with `/`). `None` on any
    /// error.
    fn read_untracked(&self, doc: &Value) -> Option<openapiv3::OpenAPI> {
        let mut openapi = openapiv3::OpenAPI::deserialize(doc).ok()?;
        if let Some(schemas) = &self.schemas {
            let read = read_entries::<Schema>(schemas, |_| true)?;
            openapi.components.as_mut()?.schemas.extend(read);
        }
        if let Some(paths) = &self.paths {
            openapi
                .paths
                .paths
                .extend(read_entries::<PathItem>(paths, is_path)?);
        }
        Some(openapi)
    }
}

fn is_path(key: &str) -> bool {
    key.starts_with('/')
}

/// The entries of `map` that `keep` selects, each read as a `ReferenceOr<T>` on worker threads,
/// in order. `None` on any error.
fn read_entries<T>(
    map: &Map<String, Value>,
    keep: fn(&str) -> bool,
) -> Option<Vec<(String, ReferenceOr<T>)>>
where
    ReferenceOr<T>: for<'de> Deserialize<'de> + Send,
{
    let entries: Vec<(&String, &Value)> = map.iter().filter(|(key, _)| keep(key)).collect();
    let chunks: Vec<&[(&String, &Value)]> =
        entries.chunks(parallel::chunk_len(entries.len())).collect();
    let read = parallel::map_in_order(chunks, |chunk| {
        chunk
            .iter()
            .map(|&(key, value)| Some((key.clone(), ReferenceOr::<T>::deserialize(value).ok()?)))
            .collect::<Option<Vec<_>>>()
    })?;
    read.into_iter()
        .collect::<Option<Vec<_>>>()
        .map(|chunks| chunks.into_iter().flatten().collect())
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
    fn schemas_read_on_threads_are_the_whole_read() {
        let doc = many_schemas(300, None);
        let whole = openapiv3::OpenAPI::deserialize(&doc).ok();
        assert!(whole.is_some());
        assert_eq!(to_openapi(doc, None).ok(), whole);
    }

    #[test]
    fn a_bad_path_item_among_many_is_reported_as_in_the_whole_read() {
        let mut doc = many_schemas(300, None);
        if let Some(item) = doc.pointer_mut("/paths/~1p157") {
            *item = json!({"get": {"responses": {"200": {"description": 5}}}});
        }
        let whole = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(doc.clone())
            .err()
            .map(|e| path_pointer(e.path()));
        // openapiv3 reads `paths` through a flattened map: the tracked read locates no deeper.
        assert_eq!(whole.as_deref(), Some("/paths"));
        assert_eq!(to_openapi(doc, None).err().map(|e| e.pointer), whole);
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
