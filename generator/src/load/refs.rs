//! `$ref`s in the document as written: external ones are refused, dangling local ones get a
//! fallback (so generation goes on) and one diagnostic per ref string listing every place.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use super::{SourceFormat, pointer, status};
use crate::{Diagnostic, SpecError};

/// One external or dangling `$ref`: the pointer of the object holding it, and its target as written.
struct Site {
    at: String,
    reference: String,
}

/// Keys whose value maps user-chosen names (or codes, paths, media types) to objects: a `$ref` key
/// directly inside such a map is a name, not a reference.
const NAMED_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "definitions",
    "schemas",
    "parameters",
    "securityDefinitions",
    "securitySchemes",
    "headers",
    "content",
    "links",
    "callbacks",
    "requestBodies",
    "variables",
    "encoding",
];

/// Named maps that also take `x-` extensions (Paths and Responses objects): those keys are data.
const EXTENSIBLE_MAPS: &[&str] = &["paths", "responses"];

/// Keys whose value is data, where a `$ref` key means nothing.
const LITERALS: &[&str] = &["example", "default", "enum", "const"];

#[derive(Clone, Copy)]
enum Ctx {
    /// A spec object (schema, operation, ...).
    Object,
    /// A map whose keys are names.
    Names,
    /// A map whose keys are names or `x-` extensions.
    ExtensibleNames,
    /// OAS 3 `examples`: names → Example objects.
    Examples,
    /// One Example object: its `value` is data.
    Example,
}

/// What a dangling ref was meant to point at, which decides its fallback.
#[derive(Clone, PartialEq, Eq)]
enum Target {
    /// A named schema (`#/definitions/X`, `#/components/schemas/X`).
    NamedSchema(String),
    Response,
    /// A component that only makes sense whole (its kind, e.g. "parameter"): the entry is removed.
    Entry(&'static str),
    /// A schema path below a name, or anything else: becomes an unconstrained value.
    Other,
}

/// What is done to one place.
#[derive(Clone, PartialEq, Eq)]
enum Edit {
    /// Point the `$ref` elsewhere (a `None` target keeps it: the schema was synthesized).
    Redirect(Option<String>),
    /// `{}` (any JSON value), keeping a sibling `description`.
    Any,
    /// `{description}`: a response without a body.
    EmptyResponse,
    /// Remove the entry (a parameter, a request body).
    Drop,
}

/// Refuses external refs and repairs dangling ones in place, returning one diagnostic per
/// dangling ref string (sorted by ref).
pub(crate) fn settle(doc: &mut Value, format: SourceFormat) -> Result<Vec<Diagnostic>, SpecError> {
    let mut walk = Walk {
        root: doc,
        format,
        resolves: HashMap::new(),
        sites: Vec::new(),
    };
    walk.collect(doc, &mut String::new(), Ctx::Object)?;
    let mut dangling: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for site in walk.sites {
        if !site.reference.starts_with('#') {
            return Err(SpecError::new(
                site.at,
                format!(
                    "external $ref '{}' is not supported; bundle the document into one file first",
                    site.reference
                ),
            ));
        }
        dangling.entry(site.reference).or_default().push(site.at);
    }

    let mut status: Option<String> = status::find(doc, format);
    let mut edits: Vec<(String, Edit)> = Vec::new();
    let mut diagnostics = Vec::with_capacity(dangling.len());
    for (reference, mut places) in dangling {
        places.sort();
        let target = classify(&reference, format);
        // Synthesize only for a ref used by error responses; every place then keeps pointing at it.
        if let (Target::NamedSchema(name), None) = (&target, &status) {
            if places.iter().any(|at| in_error_response(at)) {
                status::synthesize(doc, format, name)?;
                status = Some(name.clone());
            }
        }
        let mut chosen: Vec<Edit> = Vec::with_capacity(places.len());
        for at in &places {
            let edit = match (&target, &status) {
                (Target::NamedSchema(name), Some(existing)) if existing == name => {
                    Edit::Redirect(None)
                }
                (Target::NamedSchema(_), Some(existing)) if in_error_response(at) => {
                    Edit::Redirect(Some(status::schema_ref(format, existing)))
                }
                (Target::NamedSchema(_) | Target::Other, _) => Edit::Any,
                (Target::Response, _) => Edit::EmptyResponse,
                (Target::Entry(_), _) => Edit::Drop,
            };
            edits.push((at.clone(), edit.clone()));
            chosen.push(edit);
        }
        let used = fallback_texts(&chosen, &target);
        let message = format!(
            "dangling $ref '{reference}': {}; {}",
            reason(&target, format),
            used.join("; ")
        );
        diagnostics.push(Diagnostic {
            message,
            pointers: places,
        });
    }
    apply(doc, edits, format);
    Ok(diagnostics)
}

/// The walk that finds every `$ref` of the document; only the external and dangling ones are kept,
/// so a document of many refs allocates nothing for the ones that resolve.
struct Walk<'a> {
    root: &'a Value,
    format: SourceFormat,
    /// Whether each ref string resolves: most documents repeat a few targets many times.
    resolves: HashMap<&'a str, bool>,
    sites: Vec<Site>,
}

impl<'a> Walk<'a> {
    /// Every `$ref` outside literal data, in document order. `at` is one buffer, extended and
    /// truncated on the way down: a new pointer string for every node cost more than the walk.
    fn collect(&mut self, value: &'a Value, at: &mut String, ctx: Ctx) -> Result<(), SpecError> {
        let len = at.len();
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    pointer::push_index(at, i);
                    self.collect(item, at, Ctx::Object)?;
                    at.truncate(len);
                }
            }
            Value::Object(object) => {
                if !matches!(ctx, Ctx::Names | Ctx::ExtensibleNames | Ctx::Examples) {
                    if let Some(reference) = object.get("$ref") {
                        let Some(reference) = reference.as_str() else {
                            return Err(SpecError::new(
                                pointer::child(at, "$ref"),
                                "$ref is not a string",
                            ));
                        };
                        self.check(reference, at);
                    }
                }
                for (key, child) in object {
                    let Some(next) = child_ctx(ctx, key, self.format) else {
                        continue;
                    };
                    pointer::push_key(at, key);
                    self.collect(child, at, next)?;
                    at.truncate(len);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Keeps the site of `reference` when it is external or does not resolve.
    fn check(&mut self, reference: &'a str, at: &str) {
        let root = self.root;
        let resolves = *self.resolves.entry(reference).or_insert_with(|| {
            reference.starts_with('#') && pointer::resolve(root, reference).is_some()
        });
        if !resolves {
            self.sites.push(Site {
                at: at.to_owned(),
                reference: reference.to_owned(),
            });
        }
    }
}

/// The context of `key`'s value, or `None` when it is data that cannot hold references.
fn child_ctx(ctx: Ctx, key: &str, format: SourceFormat) -> Option<Ctx> {
    match ctx {
        Ctx::Names => Some(Ctx::Object),
        Ctx::ExtensibleNames => (!key.starts_with("x-")).then_some(Ctx::Object),
        Ctx::Examples => Some(Ctx::Example),
        Ctx::Object | Ctx::Example => {
            let data = key == "$ref"
                || key.starts_with("x-")
                || LITERALS.contains(&key)
                || (matches!(ctx, Ctx::Example) && key == "value");
            if data {
                None
            } else if key == "examples" {
                // Swagger 2 response `examples` map media types to literal values.
                match format {
                    SourceFormat::Swagger2 => None,
                    SourceFormat::OpenApi30 => Some(Ctx::Examples),
                }
            } else if EXTENSIBLE_MAPS.contains(&key) {
                Some(Ctx::ExtensibleNames)
            } else if NAMED_MAPS.contains(&key) {
                Some(Ctx::Names)
            } else {
                Some(Ctx::Object)
            }
        }
    }
}

fn classify(reference: &str, format: SourceFormat) -> Target {
    let tokens = pointer::local_ref_tokens(reference).unwrap_or_default();
    let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
    match (format, tokens.as_slice()) {
        (SourceFormat::Swagger2, ["definitions", name])
        | (SourceFormat::OpenApi30, ["components", "schemas", name]) => {
            Target::NamedSchema((*name).to_owned())
        }
        (_, ["parameters", ..] | ["components", "parameters", ..]) => Target::Entry("parameter"),
        (_, ["responses", ..] | ["components", "responses", ..]) => Target::Response,
        (_, ["components", "requestBodies", ..]) => Target::Entry("request body"),
        (_, ["components", "headers", ..]) => Target::Entry("header"),
        (_, ["components", "examples", ..]) => Target::Entry("example"),
        (_, ["components", "links", ..]) => Target::Entry("link"),
        (_, ["components", "callbacks", ..]) => Target::Entry("callback"),
        _ => Target::Other,
    }
}

/// Inside a `default`, 4xx or 5xx response (below the response object itself).
fn in_error_response(at: &str) -> bool {
    let tokens = pointer::tokens(at).unwrap_or_default();
    tokens.windows(3).any(|w| match w {
        [responses, code, _] => {
            responses == "responses"
                && (code == "default" || code.starts_with('4') || code.starts_with('5'))
        }
        _ => false,
    })
}

fn reason(target: &Target, format: SourceFormat) -> String {
    match (target, format) {
        (Target::NamedSchema(_), SourceFormat::Swagger2) => "no such definition".to_owned(),
        (Target::NamedSchema(_), SourceFormat::OpenApi30) => "no such schema".to_owned(),
        (Target::Response, _) => "no such response".to_owned(),
        (Target::Entry(kind), _) => format!("no such {kind}"),
        (Target::Other, _) => "it does not resolve in this document".to_owned(),
    }
}

/// What was done, redirects first, each once.
fn fallback_texts(edits: &[Edit], target: &Target) -> Vec<String> {
    let redirected = edits.iter().any(|e| matches!(e, Edit::Redirect(_)));
    let mut ordered: Vec<&Edit> = edits.iter().collect();
    ordered.sort_by_key(|e| !matches!(e, Edit::Redirect(_)));
    let mut texts: Vec<String> = Vec::new();
    for edit in ordered {
        let text = match (edit, target) {
            (Edit::Redirect(Some(to)), _) => {
                format!("error responses use '{to}' (gRPC Status shape) instead")
            }
            (Edit::Redirect(None), _) => {
                "a gRPC Status schema (code, message, details) is synthesized under that name for error \
                 responses"
                    .to_owned()
            }
            (Edit::Any, _) if redirected => {
                "elsewhere it is replaced by {} (any JSON value)".to_owned()
            }
            (Edit::Any, _) => "replaced by {} (any JSON value)".to_owned(),
            (Edit::EmptyResponse, _) => "the response is kept without a body".to_owned(),
            (Edit::Drop, Target::Entry(kind)) => format!("the {kind} is left out"),
            (Edit::Drop, _) => "the entry is left out".to_owned(),
        };
        if !texts.contains(&text) {
            texts.push(text);
        }
    }
    texts
}

/// Applies the edits. Array entries are dropped last, highest index first, so indices stay valid.
fn apply(doc: &mut Value, edits: Vec<(String, Edit)>, format: SourceFormat) {
    let mut removals: Vec<(String, usize)> = Vec::new();
    for (at, edit) in edits {
        match edit {
            Edit::Redirect(None) => {}
            Edit::Redirect(Some(to)) => {
                if let Some(Value::Object(object)) = doc.pointer_mut(&at) {
                    object.insert("$ref".to_owned(), Value::String(to));
                }
            }
            Edit::Any | Edit::EmptyResponse => {
                if let Some(slot) = doc.pointer_mut(&at) {
                    *slot = replacement(slot, &edit);
                }
            }
            Edit::Drop => {
                if let Some(removal) = drop_entry(doc, &at, format) {
                    removals.push(removal);
                }
            }
        }
    }
    removals.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    for (array_at, i) in removals {
        if let Some(Value::Array(items)) = doc.pointer_mut(&array_at) {
            if i < items.len() {
                items.remove(i);
            }
        }
    }
}

fn replacement(old: &Value, edit: &Edit) -> Value {
    let description = old.get("description").cloned();
    let mut new = Map::new();
    match (description, edit) {
        (Some(d), _) => {
            new.insert("description".to_owned(), d);
        }
        (None, Edit::EmptyResponse) => {
            new.insert("description".to_owned(), Value::String(String::new()));
        }
        (None, _) => {}
    }
    Value::Object(new)
}

/// Removes a map entry now; for an array entry returns it for later removal (OAS 3) or leaves a
/// `null` marker that the Swagger 2 upgrade skips, so pointers into the document stay those of the
/// text.
fn drop_entry(doc: &mut Value, at: &str, format: SourceFormat) -> Option<(String, usize)> {
    let (parent_at, last) = at.rsplit_once('/')?;
    let key = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent_at)? {
        Value::Object(object) => {
            object.shift_remove(&key);
            None
        }
        Value::Array(items) => {
            let i: usize = key.parse().ok()?;
            match format {
                SourceFormat::Swagger2 => {
                    if let Some(slot) = items.get_mut(i) {
                        *slot = Value::Null;
                    }
                    None
                }
                SourceFormat::OpenApi30 => Some((parent_at.to_owned(), i)),
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn settled(mut doc: Value, format: SourceFormat) -> (Value, Vec<Diagnostic>) {
        match settle(&mut doc, format) {
            Ok(d) => (doc, d),
            Err(e) => panic!("{e:?}"),
        }
    }

    fn swagger_error_responses() -> Value {
        json!({
            "swagger": "2.0",
            "paths": {"/a": {"get": {"responses": {
                "200": {"description": "ok", "schema": {"$ref": "#/definitions/Missing", "description": "d"}},
                "404": {"description": "nf", "schema": {"$ref": "#/definitions/rpcStatus"}},
                "default": {"description": "e", "schema": {"$ref": "#/definitions/rpcStatus"}}
            }}}},
            "definitions": {
                "googlerpcStatus": {"type": "object", "properties": {
                    "code": {"type": "integer"}, "message": {"type": "string"},
                    "details": {"type": "array", "items": {"$ref": "#/definitions/protobufAny"}}}},
                "protobufAny": {"type": "object", "properties": {"@type": {"type": "string"}}}
            }
        })
    }

    #[test]
    fn error_responses_are_redirected_to_the_status_schema() {
        let (doc, diagnostics) = settled(swagger_error_responses(), SourceFormat::Swagger2);
        let status = json!({"$ref": "#/definitions/googlerpcStatus"});
        assert_eq!(
            doc.pointer("/paths/~1a/get/responses/404/schema"),
            Some(&status)
        );
        assert_eq!(
            doc.pointer("/paths/~1a/get/responses/default/schema"),
            Some(&status)
        );
        let Some(d) = diagnostics.iter().find(|d| d.message.contains("rpcStatus")) else {
            panic!("no diagnostic: {diagnostics:?}");
        };
        assert_eq!(
            d.message,
            "dangling $ref '#/definitions/rpcStatus': no such definition; error responses use \
             '#/definitions/googlerpcStatus' (gRPC Status shape) instead"
        );
        assert_eq!(
            d.pointers,
            [
                "/paths/~1a/get/responses/404/schema",
                "/paths/~1a/get/responses/default/schema"
            ]
        );
    }

    #[test]
    fn dangling_ref_elsewhere_becomes_any_keeping_description() {
        let (doc, diagnostics) = settled(swagger_error_responses(), SourceFormat::Swagger2);
        assert_eq!(
            doc.pointer("/paths/~1a/get/responses/200/schema"),
            Some(&json!({"description": "d"}))
        );
        assert_eq!(diagnostics.len(), 2);
        assert_eq!(
            diagnostics.first().map(|d| d.message.as_str()),
            Some(
                "dangling $ref '#/definitions/Missing': no such definition; replaced by {} (any JSON value)"
            )
        );
    }

    #[test]
    fn status_is_synthesized_when_none_exists() {
        let mut doc = swagger_error_responses();
        if let Some(defs) = doc.get_mut("definitions").and_then(Value::as_object_mut) {
            defs.shift_remove("googlerpcStatus");
        }
        if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
            paths.insert(
                "/b".to_owned(),
                json!({"get": {"responses": {"200": {"description": "ok",
                "schema": {"$ref": "#/definitions/rpcStatus"}}}}}),
            );
        }
        let (doc, diagnostics) = settled(doc, SourceFormat::Swagger2);
        assert_eq!(
            doc.pointer("/paths/~1b/get/responses/200/schema"),
            Some(&json!({"$ref": "#/definitions/rpcStatus"}))
        );
        assert_eq!(
            doc.pointer("/paths/~1a/get/responses/404/schema"),
            Some(&json!({"$ref": "#/definitions/rpcStatus"}))
        );
        assert_eq!(
            doc.pointer("/definitions/rpcStatus/properties/details/items"),
            Some(&json!({"$ref": "#/definitions/protobufAny"}))
        );
        assert_eq!(
            doc.pointer("/definitions/rpcStatus/properties/code/format"),
            Some(&json!("int32"))
        );
        assert!(
            diagnostics
                .iter()
                .any(|d| d.message.contains("synthesized"))
        );
    }

    #[test]
    fn external_ref_is_an_error_with_pointer() {
        let mut doc = json!({"openapi": "3.0.0", "components": {"schemas": {
            "A": {"properties": {"b": {"$ref": "other.yaml#/B"}}}}}});
        let err = settle(&mut doc, SourceFormat::OpenApi30).err();
        assert_eq!(
            err.as_ref().map(|e| e.pointer.as_str()),
            Some("/components/schemas/A/properties/b")
        );
        assert!(err.is_some_and(|e| e.message.contains("external $ref 'other.yaml#/B'")));
    }

    #[test]
    fn refs_in_literals_and_property_names_are_not_references() {
        let doc = json!({"definitions": {"A": {
            "properties": {"$ref": {"type": "string"}},
            "example": {"$ref": "http://example.com"},
            "x-note": {"$ref": "elsewhere.yaml"}
        }}, "paths": {"x-meta": {"$ref": "elsewhere.yaml"}, "/a": {"get": {"responses": {
            "x-meta": {"$ref": "elsewhere.yaml"}, "200": {"description": "ok"}}}}}});
        let (_, diagnostics) = settled(doc, SourceFormat::Swagger2);
        assert!(diagnostics.is_empty());
    }

    #[test]
    fn dangling_parameters_and_responses_get_their_own_fallbacks() {
        let doc = json!({"openapi": "3.0.0", "paths": {"/a": {"get": {
            "parameters": [{"$ref": "#/components/parameters/Gone"}, {"name": "q", "in": "query"}],
            "requestBody": {"$ref": "#/components/requestBodies/Gone"},
            "responses": {"200": {"$ref": "#/components/responses/Gone"}}
        }}}});
        let (doc, diagnostics) = settled(doc, SourceFormat::OpenApi30);
        assert_eq!(
            doc.pointer("/paths/~1a/get/parameters"),
            Some(&json!([{"name": "q", "in": "query"}]))
        );
        assert_eq!(doc.pointer("/paths/~1a/get/requestBody"), None);
        assert_eq!(
            doc.pointer("/paths/~1a/get/responses/200"),
            Some(&json!({"description": ""}))
        );
        assert_eq!(diagnostics.len(), 3);
    }

    #[test]
    fn swagger_dropped_parameters_leave_a_marker() {
        let doc = json!({"swagger": "2.0", "paths": {"/a": {"get": {
            "parameters": [{"$ref": "#/parameters/Gone"}, {"name": "q", "in": "query"}]}}}});
        let (doc, _) = settled(doc, SourceFormat::Swagger2);
        assert_eq!(
            doc.pointer("/paths/~1a/get/parameters/0"),
            Some(&Value::Null)
        );
    }

    #[test]
    fn error_response_detection() {
        assert!(in_error_response("/paths/~1a/get/responses/401/schema"));
        assert!(in_error_response(
            "/paths/~1a/get/responses/default/content/application~1json/schema"
        ));
        assert!(!in_error_response("/paths/~1a/get/responses/200/schema"));
        assert!(!in_error_response("/paths/~1a/get/responses/401"));
    }
}
