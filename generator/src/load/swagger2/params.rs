//! Swagger 2 parameters: resolving the entries of a `parameters` list, and converting the
//! query/path/header ones (`type`, `format`, ... beside `name`/`in`) to OAS 3 parameters with a
//! `schema` and an explicit `style`/`explode`.

use serde_json::{Map, Value};

use super::Notes;
use super::fields::{self, Object};
use super::schema;
use crate::SpecError;
use crate::load::pointer;

/// One parameter as it applies to an operation.
pub(super) struct Param<'a> {
    /// The parameter object (the target, for a `$ref` entry).
    pub(super) obj: &'a Object,
    /// Pointer of `obj` in the document as written.
    pub(super) at: String,
    /// Pointer of the list entry as written (differs from `at` for a `$ref`).
    pub(super) site: String,
    /// The entry's `$ref` when it names a global parameter (`#/parameters/X`).
    pub(super) global_ref: Option<&'a str>,
    pub(super) name: &'a str,
    pub(super) location: &'a str,
}

impl Param<'_> {
    /// Parameters are identified by name and location (OAS 3 §Parameter Object); an operation has
    /// one body whatever its name, so an operation-level body replaces a path-level one.
    pub(super) fn same_as(&self, other: &Param<'_>) -> bool {
        self.location == other.location && (self.name == other.name || self.location == "body")
    }

    pub(super) fn is_array(&self) -> bool {
        self.obj.get("type").and_then(Value::as_str) == Some("array")
    }

    pub(super) fn collection_format(&self) -> Option<&str> {
        self.obj.get("collectionFormat").and_then(Value::as_str)
    }
}

/// Schema keywords a Swagger 2 non-body parameter (or header) carries beside its own fields.
const SCHEMA_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
];

/// Resolves the list entry written at `site`; `None` for an entry dropped as a dangling `$ref`.
pub(super) fn resolve<'a>(
    root: &'a Value,
    entry: &'a Value,
    site: String,
) -> Result<Option<Param<'a>>, SpecError> {
    if entry.is_null() {
        return Ok(None);
    }
    let obj = fields::object(entry, &site, "a parameter")?;
    let (obj, at, global_ref) = match fields::opt_str(obj, "$ref", &site)? {
        None => (obj, site.clone(), None),
        Some(reference) => {
            // Dangling refs were settled before the upgrade; the definitions were taken out of
            // `root` (they are upgraded in place), and a schema is no parameter anyway.
            let (target_at, target) = pointer::resolve_at(root, reference).ok_or_else(|| {
                let message = if reference.starts_with("#/definitions/") {
                    format!("$ref '{reference}' names a schema, not a parameter")
                } else {
                    format!("$ref '{reference}' does not resolve")
                };
                SpecError::new(site.as_str(), message)
            })?;
            let global = matches!(
                pointer::local_ref_tokens(reference).as_deref(),
                Some([first, _]) if first == "parameters"
            );
            (
                fields::object(target, &target_at, "a parameter")?,
                target_at,
                global.then_some(reference),
            )
        }
    };
    let name = fields::req_str(obj, "name", &at, "parameter")?;
    let location = fields::req_str(obj, "in", &at, "parameter")?;
    Ok(Some(Param {
        obj,
        at,
        site,
        global_ref,
        name,
        location,
    }))
}

/// The OAS 3 form of a query, path, header or cookie parameter.
pub(super) fn convert(param: &Param<'_>, notes: &mut Notes) -> Result<Value, SpecError> {
    let location = match param.location {
        l @ ("query" | "path" | "header" | "cookie") => l,
        other => {
            return Err(SpecError::new(
                pointer::child(&param.at, "in"),
                format!("unknown parameter location '{other}'"),
            ));
        }
    };
    let obj = param.obj;
    let mut out = Map::new();
    out.insert("name".to_owned(), Value::String(param.name.to_owned()));
    out.insert("in".to_owned(), Value::String(location.to_owned()));
    fields::copy_keys(obj, &["description"], &mut out);
    if location == "path" {
        // OAS 3 requires it; Swagger 2 requires it too but documents forget it.
        out.insert("required".to_owned(), Value::Bool(true));
    } else {
        fields::copy_keys(obj, &["required"], &mut out);
    }
    fields::copy_keys(obj, &["deprecated"], &mut out);
    if location == "query" {
        fields::copy_keys(obj, &["allowEmptyValue"], &mut out);
    }
    if param.is_array() {
        let (style, explode) = array_style(location, param.collection_format(), &param.at, notes);
        out.insert("style".to_owned(), Value::String(style.to_owned()));
        out.insert("explode".to_owned(), Value::Bool(explode));
    }
    out.insert("schema".to_owned(), param_schema(obj, &param.at)?);
    fields::copy_keys(obj, &["example"], &mut out);
    // `x-nullable` went into the schema.
    fields::copy_extensions(obj, &["x-nullable"], &mut out);
    Ok(Value::Object(out))
}

/// The schema of a non-body parameter or header written at `at`.
pub(super) fn param_schema(obj: &Object, at: &str) -> Result<Value, SpecError> {
    // Not Swagger 2, but some generators write an OAS 3-style `schema` here.
    if let (false, Some(written)) = (obj.contains_key("type"), obj.get("schema")) {
        return schema::schema(written.clone(), &pointer::child(at, "schema"));
    }
    let mut picked = Map::new();
    for (key, value) in obj {
        if SCHEMA_KEYS.contains(&key.as_str()) {
            let value = if key == "items" {
                without_collection_format(value)
            } else {
                value.clone()
            };
            picked.insert(key.clone(), value);
        }
    }
    schema::schema(Value::Object(picked), at)
}

/// Items objects may nest `collectionFormat`, which is not a schema keyword.
fn without_collection_format(items: &Value) -> Value {
    let Some(obj) = items.as_object() else {
        return items.clone();
    };
    let mut out = Map::with_capacity(obj.len());
    for (key, value) in obj {
        match key.as_str() {
            "collectionFormat" => {}
            "items" => {
                out.insert(key.clone(), without_collection_format(value));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    Value::Object(out)
}

/// `style`/`explode` for an array parameter; Swagger 2's default `collectionFormat` is csv.
pub(super) fn array_style(
    location: &str,
    collection_format: Option<&str>,
    at: &str,
    notes: &mut Notes,
) -> (&'static str, bool) {
    let format = collection_format.unwrap_or("csv");
    match (location, format) {
        ("query", "csv") => ("form", false),
        ("query", "multi") => ("form", true),
        ("query", "ssv") => ("spaceDelimited", false),
        ("query", "pipes") => ("pipeDelimited", false),
        ("query", other) => {
            notes.add(
                format!(
                    "collectionFormat '{other}' has no OpenAPI 3.0 equivalent; the values are sent \
                     comma-separated (style form, explode false) instead"
                ),
                at,
            );
            ("form", false)
        }
        ("cookie", _) => ("form", false),
        (_, "csv") => ("simple", false),
        (_, other) => {
            notes.add(
                format!(
                    "collectionFormat '{other}' is not available for path and header parameters; \
                     the values are sent comma-separated (style simple) instead"
                ),
                at,
            );
            ("simple", false)
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn converted(param: Value) -> (Value, Notes) {
        let mut notes = Notes::default();
        let root = json!({});
        let result = resolve(&root, &param, "/p/0".to_owned())
            .and_then(|p| p.map(|p| convert(&p, &mut notes)).transpose());
        match result {
            Ok(Some(v)) => (v, notes),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn dotted_query_name_with_default() {
        let (out, _) = converted(
            json!({"name": "created.lt", "in": "query", "required": false,
            "type": "integer", "default": 0, "format": "int64", "x-exportParamName": "CreatedLt"}),
        );
        assert_eq!(
            out,
            json!({"name": "created.lt", "in": "query", "required": false,
                "schema": {"type": "integer", "default": 0, "format": "int64"},
                "x-exportParamName": "CreatedLt"})
        );
    }

    #[test]
    fn enum_and_default_move_into_the_schema() {
        let (out, _) = converted(json!({"name": "channel", "in": "query", "type": "string",
            "default": "A", "enum": ["A", "B"]}));
        assert_eq!(
            out.get("schema"),
            Some(&json!({"type": "string", "default": "A", "enum": ["A", "B"]}))
        );
    }

    #[test]
    fn collection_formats() {
        let array = |cf: Option<&str>, location: &str| {
            let mut p = json!({"name": "ids", "in": location, "type": "array", "items": {"type": "string"}});
            if let (Some(cf), Some(obj)) = (cf, p.as_object_mut()) {
                obj.insert("collectionFormat".to_owned(), json!(cf));
            }
            let (out, notes) = converted(p);
            (
                out.get("style").cloned(),
                out.get("explode").cloned(),
                notes.into_diagnostics().len(),
            )
        };
        assert_eq!(
            array(Some("multi"), "query"),
            (Some(json!("form")), Some(json!(true)), 0)
        );
        assert_eq!(
            array(Some("csv"), "query"),
            (Some(json!("form")), Some(json!(false)), 0)
        );
        assert_eq!(
            array(None, "query"),
            (Some(json!("form")), Some(json!(false)), 0)
        );
        assert_eq!(
            array(Some("ssv"), "query"),
            (Some(json!("spaceDelimited")), Some(json!(false)), 0)
        );
        assert_eq!(
            array(Some("pipes"), "query"),
            (Some(json!("pipeDelimited")), Some(json!(false)), 0)
        );
        assert_eq!(
            array(Some("tsv"), "query"),
            (Some(json!("form")), Some(json!(false)), 1)
        );
        assert_eq!(
            array(None, "header"),
            (Some(json!("simple")), Some(json!(false)), 0)
        );
    }

    #[test]
    fn nested_items_lose_collection_format() {
        let (out, _) = converted(
            json!({"name": "m", "in": "query", "type": "array", "collectionFormat": "multi",
            "items": {"type": "array", "collectionFormat": "csv", "items": {"type": "integer"}}}),
        );
        assert_eq!(
            out.get("schema"),
            Some(
                &json!({"type": "array", "items": {"type": "array", "items": {"type": "integer"}}})
            )
        );
    }

    #[test]
    fn path_parameters_are_required() {
        let (out, _) = converted(json!({"name": "id", "in": "path", "type": "string"}));
        assert_eq!(out.get("required"), Some(&json!(true)));
    }

    #[test]
    fn missing_name_or_in_is_an_error_at_the_parameter() {
        let root = json!({});
        let entry = json!({"in": "query"});
        let err = resolve(&root, &entry, "/paths/~1a/get/parameters/3".to_owned()).err();
        assert_eq!(
            err.map(|e| (e.pointer, e.message)),
            Some((
                "/paths/~1a/get/parameters/3".to_owned(),
                "parameter without 'name'".to_owned()
            ))
        );
    }

    #[test]
    fn global_refs_resolve_to_their_target() {
        let root =
            json!({"parameters": {"Limit": {"name": "limit", "in": "query", "type": "integer"}}});
        let entry = json!({"$ref": "#/parameters/Limit"});
        let Ok(Some(p)) = resolve(&root, &entry, "/paths/~1a/get/parameters/0".to_owned()) else {
            panic!("did not resolve");
        };
        assert_eq!(
            (p.name, p.location, p.at.as_str()),
            ("limit", "query", "/parameters/Limit")
        );
        assert_eq!(p.global_ref, Some("#/parameters/Limit"));
    }
}
