//! Swagger 2.0 → OpenAPI 3.0.3 at the JSON level, so everything downstream sees one model.
//!
//! Errors point into the Swagger 2 document as written; a [`SourceMap`] records where the upgraded
//! pieces came from, for errors found later by the deserializer.

mod body;
mod components;
mod fields;
mod operation;
mod params;
mod responses;
mod schema;
mod security;
mod servers;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::pointer;
use super::sourcemap::SourceMap;
use crate::{Diagnostic, SpecError};
use fields::Object;

/// The upgraded document with what the upgrade learned on the way.
#[derive(Debug)]
pub(crate) struct Upgraded {
    pub(crate) document: Value,
    pub(crate) source_map: SourceMap,
    /// Fallbacks taken (e.g. `collectionFormat: tsv`), sorted by message.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// State shared while upgrading one document.
struct Upgrade<'a> {
    root: &'a Value,
    top: &'a Object,
    /// Document-level media types (each operation may override them).
    consumes: Vec<String>,
    produces: Vec<String>,
    map: SourceMap,
    notes: Notes,
}

impl<'a> Upgrade<'a> {
    /// Converts every entry of `entries` (borrowed, or owned to be moved into the result),
    /// written at `at` and going to `out_at`, recording where each came from; `None` from
    /// `convert` leaves the entry out.
    fn each<K: AsRef<str> + Into<String>, V>(
        &mut self,
        entries: impl IntoIterator<Item = (K, V)>,
        at: &str,
        out_at: &str,
        mut convert: impl FnMut(&mut Self, &str, V, &str, &str) -> Result<Option<Value>, SpecError>,
    ) -> Result<Value, SpecError> {
        let mut out = Map::new();
        for (name, value) in entries {
            let (at, out_at) = (
                pointer::child(at, name.as_ref()),
                pointer::child(out_at, name.as_ref()),
            );
            if let Some(converted) = convert(self, name.as_ref(), value, &at, &out_at)? {
                self.map.same_shape(out_at, at);
                out.insert(name.into(), converted);
            }
        }
        Ok(Value::Object(out))
    }
}

/// Diagnostics grouped by message, so a fallback taken in many places is reported once.
#[derive(Debug, Default)]
struct Notes(BTreeMap<String, BTreeSet<String>>);

impl Notes {
    fn add(&mut self, message: String, at: &str) {
        self.0.entry(message).or_default().insert(at.to_owned());
    }

    fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.0
            .into_iter()
            .map(|(message, pointers)| Diagnostic {
                message,
                pointers: pointers.into_iter().collect(),
            })
            .collect()
    }
}

const DEFAULT_MEDIA_TYPE: &str = "application/json";

/// The operation's media types, else the document's, else JSON.
fn media_types(own: Option<Vec<String>>, document: &[String]) -> Vec<String> {
    match own {
        Some(own) if !own.is_empty() => own,
        _ if !document.is_empty() => document.to_vec(),
        _ => vec![DEFAULT_MEDIA_TYPE.to_owned()],
    }
}

/// Upgrades a Swagger 2.0 document (its dangling refs already settled). The definitions, most of
/// a document, are moved into the upgraded one rather than copied; the rest is read in place.
pub(crate) fn upgrade(mut doc: Value) -> Result<Upgraded, SpecError> {
    // Taken before anything borrows the document. The upgrade resolves only parameter `$ref`s,
    // and one into the definitions names no parameter: an error with or without them.
    let definitions = doc
        .as_object_mut()
        .and_then(|top| top.shift_remove("definitions"));
    let top = fields::object(&doc, "", "the document")?;
    let mut up = Upgrade {
        root: &doc,
        top,
        consumes: fields::opt_strings(top, "consumes", "")?.unwrap_or_default(),
        produces: fields::opt_strings(top, "produces", "")?.unwrap_or_default(),
        map: SourceMap::default(),
        notes: Notes::default(),
    };
    let mut out = Map::new();
    out.insert("openapi".to_owned(), Value::String("3.0.3".to_owned()));
    copy_top(&mut up, "info", &mut out);
    let servers = servers::servers(top)?;
    let origin = ["host", "basePath", "schemes"]
        .into_iter()
        .find(|k| top.contains_key(*k))
        .unwrap_or("host");
    up.map.built_from("/servers", format!("/{origin}"));
    out.insert("servers".to_owned(), servers);
    copy_top(&mut up, "tags", &mut out);
    copy_top(&mut up, "security", &mut out);
    copy_top(&mut up, "externalDocs", &mut out);
    let paths = top
        .get("paths")
        .ok_or_else(|| SpecError::new("", "the document has no 'paths'"))?;
    out.insert("paths".to_owned(), operation::paths(&mut up, paths)?);
    if let Some(components) = components::components(&mut up, definitions)? {
        out.insert("components".to_owned(), components);
    }
    for (key, value) in top {
        if key.starts_with("x-") {
            let at = pointer::child("", key);
            up.map.same_shape(at.clone(), at);
            out.insert(key.clone(), value.clone());
        }
    }
    Ok(Upgraded {
        document: Value::Object(out),
        source_map: up.map,
        diagnostics: up.notes.into_diagnostics(),
    })
}

/// Top-level fields that mean the same in both versions.
fn copy_top(up: &mut Upgrade<'_>, key: &str, out: &mut Object) {
    if let Some(value) = up.top.get(key) {
        up.map.same_shape(format!("/{key}"), format!("/{key}"));
        out.insert(key.to_owned(), value.clone());
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn up(doc: Value) -> Upgraded {
        match upgrade(doc) {
            Ok(u) => u,
            Err(e) => panic!("{e:?}"),
        }
    }

    fn minimal(paths: Value) -> Value {
        json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": paths})
    }

    #[test]
    fn body_parameter_becomes_request_body() {
        let mut doc = minimal(json!({"/c": {"post": {
            "consumes": ["application/json", "application/xml"],
            "parameters": [{"in": "body", "name": "body", "required": true, "description": "the charge",
                "schema": {"$ref": "#/definitions/Req"}}],
            "responses": {"200": {"description": "ok"}}
        }}}));
        if let Some(top) = doc.as_object_mut() {
            top.insert("definitions".to_owned(), json!({"Req": {"type": "object"}}));
        }
        let u = up(doc);
        let schema = json!({"schema": {"$ref": "#/components/schemas/Req"}});
        assert_eq!(
            u.document.pointer("/paths/~1c/post/requestBody"),
            Some(&json!({"description": "the charge",
                "content": {"application/json": schema, "application/xml": schema},
                "required": true, "x-codegen-request-body-name": "body"}))
        );
        assert_eq!(u.document.pointer("/paths/~1c/post/parameters"), None);
    }

    #[test]
    fn form_data_becomes_one_object_body() {
        let u = up(minimal(json!({"/f": {"post": {
            "parameters": [
                {"in": "formData", "name": "name", "type": "string", "required": true, "description": "n"},
                {"in": "formData", "name": "tags", "type": "array", "items": {"type": "string"},
                    "collectionFormat": "multi"}
            ],
            "responses": {"200": {"description": "ok"}}
        }, "put": {
            "parameters": [{"in": "formData", "name": "file", "type": "file"}],
            "responses": {"200": {"description": "ok"}}
        }}})));
        assert_eq!(
            u.document.pointer("/paths/~1f/post/requestBody"),
            Some(&json!({"content": {"application/x-www-form-urlencoded": {
                "schema": {"type": "object", "properties": {
                    "name": {"description": "n", "type": "string"},
                    "tags": {"type": "array", "items": {"type": "string"}}
                }, "required": ["name"]},
                "encoding": {"tags": {"style": "form", "explode": true}}
            }}, "required": true}))
        );
        assert_eq!(
            u.document.pointer(
                "/paths/~1f/put/requestBody/content/multipart~1form-data/schema/properties/file"
            ),
            Some(&json!({"type": "string", "format": "binary"}))
        );
    }

    #[test]
    fn path_parameters_merge_and_operation_wins() {
        let u = up(minimal(json!({"/a/{id}": {
            "parameters": [
                {"in": "path", "name": "id", "type": "string", "required": true},
                {"in": "query", "name": "q", "type": "string", "description": "path-level"}
            ],
            "get": {
                "parameters": [{"in": "query", "name": "q", "type": "integer", "description": "op-level"}],
                "responses": {"200": {"description": "ok"}}
            }
        }})));
        let params = u
            .document
            .pointer("/paths/~1a~1{id}/get/parameters")
            .and_then(Value::as_array);
        let names: Vec<_> = params
            .map(|p| {
                p.iter()
                    .filter_map(|p| p.get("description").or(p.get("name")).cloned())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(names, [json!("id"), json!("op-level")]);
        assert_eq!(u.document.pointer("/paths/~1a~1{id}/parameters"), None);
    }

    #[test]
    fn responses_get_content_and_headers() {
        let u = up(minimal(json!({"/r": {"get": {
            "produces": ["application/json"],
            "responses": {
                "200": {"description": "ok", "schema": {"type": "string"},
                    "examples": {"application/json": "hi"},
                    "headers": {"X-Rate": {"type": "integer", "description": "left"}}},
                "204": {}
            }
        }}})));
        assert_eq!(
            u.document.pointer("/paths/~1r/get/responses"),
            Some(&json!({
                "200": {"description": "ok",
                    "headers": {"X-Rate": {"description": "left", "schema": {"type": "integer"}}},
                    "content": {"application/json": {"schema": {"type": "string"}, "example": "hi"}}},
                "204": {"description": ""}
            }))
        );
    }

    #[test]
    fn global_parameters_and_responses_become_components() {
        let mut doc = minimal(json!({"/g": {"post": {
            "parameters": [{"$ref": "#/parameters/Limit"}, {"$ref": "#/parameters/Body"}],
            "responses": {"404": {"$ref": "#/responses/NotFound"}}
        }}}));
        if let Some(top) = doc.as_object_mut() {
            top.insert(
                "parameters".to_owned(),
                json!({
                    "Limit": {"in": "query", "name": "limit", "type": "integer"},
                    "Body": {"in": "body", "name": "payload", "schema": {"type": "object"}}
                }),
            );
            top.insert(
                "responses".to_owned(),
                json!({"NotFound": {"description": "nf"}}),
            );
        }
        let u = up(doc);
        assert_eq!(
            u.document.pointer("/paths/~1g/post/parameters"),
            Some(&json!([{"$ref": "#/components/parameters/Limit"}]))
        );
        assert_eq!(
            u.document
                .pointer("/paths/~1g/post/requestBody/x-codegen-request-body-name"),
            Some(&json!("payload"))
        );
        assert_eq!(
            u.document.pointer("/paths/~1g/post/responses/404"),
            Some(&json!({"$ref": "#/components/responses/NotFound"}))
        );
        assert_eq!(
            u.document.pointer("/components/parameters"),
            Some(
                &json!({"Limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}})
            )
        );
        assert_eq!(
            u.document.pointer("/components/responses/NotFound"),
            Some(&json!({"description": "nf"}))
        );
    }

    #[test]
    fn structural_errors_point_into_the_original() {
        let err = |doc: Value| upgrade(doc).err().map(|e| (e.pointer, e.message));
        assert_eq!(
            err(minimal(
                json!({"/a": {"get": {"parameters": [{"name": "q", "type": "string"}]}}})
            )),
            Some((
                "/paths/~1a/get/parameters/0".to_owned(),
                "parameter without 'in'".to_owned()
            ))
        );
        assert_eq!(
            err(minimal(json!(["/a"]))).map(|e| e.0),
            Some("/paths".to_owned())
        );
        assert_eq!(
            err(minimal(json!({"/a": {"get": {"parameters": [
                {"in": "body", "name": "a", "schema": {}}, {"in": "body", "name": "b", "schema": {}}]}}}))),
            Some((
                "/paths/~1a/get/parameters/1".to_owned(),
                "more than one body parameter".to_owned()
            ))
        );
        let mut schema_as_parameter =
            minimal(json!({"/a": {"get": {"parameters": [{"$ref": "#/definitions/Thing"}]}}}));
        if let Some(top) = schema_as_parameter.as_object_mut() {
            top.insert(
                "definitions".to_owned(),
                json!({"Thing": {"type": "object"}}),
            );
        }
        assert_eq!(
            err(schema_as_parameter),
            Some((
                "/paths/~1a/get/parameters/0".to_owned(),
                "$ref '#/definitions/Thing' names a schema, not a parameter".to_owned()
            ))
        );
    }

    #[test]
    fn tsv_is_reported_once_for_all_places() {
        let tsv = json!({"in": "query", "name": "t", "type": "array", "items": {"type": "string"},
            "collectionFormat": "tsv"});
        let u = up(minimal(json!({
            "/a": {"get": {"parameters": [tsv], "responses": {}}},
            "/b": {"get": {"parameters": [tsv], "responses": {}}}
        })));
        assert_eq!(u.diagnostics.len(), 1);
        assert_eq!(
            u.diagnostics.first().map(|d| d.pointers.clone()),
            Some(vec![
                "/paths/~1a/get/parameters/0".to_owned(),
                "/paths/~1b/get/parameters/0".to_owned()
            ])
        );
    }
}
