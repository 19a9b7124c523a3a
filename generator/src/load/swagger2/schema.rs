//! Swagger 2 Schema objects → OpenAPI 3.0 Schema objects, recursively, keys kept in text order.

use serde_json::{Map, Value};

use super::fields::{self, Object};
use crate::SpecError;
use crate::load::pointer;

/// Converts one schema written at `at`.
pub(super) fn schema(value: &Value, at: &str) -> Result<Value, SpecError> {
    let obj = fields::object(value, at, "a schema")?;
    let mut out = Map::with_capacity(obj.len());
    let mut binary = false;
    for (key, value) in obj {
        // Built only for the keys that need it: most keys are leaves (type, format, description).
        let here = || pointer::child(at, key);
        let converted = match key.as_str() {
            "$ref" => value
                .as_str()
                .map_or_else(|| value.clone(), |r| Value::String(rewrite_ref(r))),
            "properties" => schema_map(value, &here())?,
            "items" if value.is_array() => {
                return Err(SpecError::new(
                    here(),
                    "a list of 'items' (tuple typing) is not supported",
                ));
            }
            "items" | "not" => schema(value, &here())?,
            "additionalProperties" if value.is_boolean() => value.clone(),
            "additionalProperties" => schema(value, &here())?,
            "allOf" | "anyOf" | "oneOf" => schema_list(value, &here())?,
            // OAS 3.0 has `nullable`; keep a non-boolean x-nullable as the extension it then is.
            "x-nullable" if value.is_boolean() => {
                out.insert("nullable".to_owned(), value.clone());
                continue;
            }
            "type" if value.as_str() == Some("file") => {
                binary = true;
                Value::String("string".to_owned())
            }
            // Swagger 2 names the discriminating property; OAS 3 wraps it in an object.
            "discriminator" if value.is_string() => {
                let mut d = Map::new();
                d.insert("propertyName".to_owned(), value.clone());
                Value::Object(d)
            }
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }
    if binary {
        out.insert("format".to_owned(), Value::String("binary".to_owned()));
    }
    Ok(Value::Object(wrap_ref_siblings(out)))
}

/// `#/definitions/`, `#/parameters/` and `#/responses/` → their `#/components/...` places.
pub(super) fn rewrite_ref(reference: &str) -> String {
    const MOVES: [(&str, &str); 3] = [
        ("#/definitions/", "#/components/schemas/"),
        ("#/parameters/", "#/components/parameters/"),
        ("#/responses/", "#/components/responses/"),
    ];
    MOVES
        .iter()
        .find_map(|(from, to)| {
            reference
                .strip_prefix(from)
                .map(|rest| format!("{to}{rest}"))
        })
        .unwrap_or_else(|| reference.to_owned())
}

/// A map of name → schema (`properties`).
fn schema_map(value: &Value, at: &str) -> Result<Value, SpecError> {
    let obj: &Object = fields::object(value, at, "a mapping of schemas")?;
    obj.iter()
        .map(|(name, value)| Ok((name.clone(), schema(value, &pointer::child(at, name))?)))
        .collect::<Result<Map<_, _>, SpecError>>()
        .map(Value::Object)
}

fn schema_list(value: &Value, at: &str) -> Result<Value, SpecError> {
    let items = value
        .as_array()
        .ok_or_else(|| SpecError::new(at, "expected a list of schemas"))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| schema(item, &pointer::index(at, i)))
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
}

/// OAS 3.0 ignores the siblings of `$ref`; `{allOf: [{$ref}], ...siblings}` keeps them (grpc-gateway
/// puts each field's description there). Extensions alone do not need it.
fn wrap_ref_siblings(schema: Object) -> Object {
    let Some(reference) = schema.get("$ref") else {
        return schema;
    };
    if !schema.keys().any(|k| k != "$ref" && !k.starts_with("x-")) {
        return schema;
    }
    let mut only_ref = Map::new();
    only_ref.insert("$ref".to_owned(), reference.clone());
    let mut out = Map::with_capacity(schema.len());
    for (key, value) in schema {
        if key == "$ref" {
            out.insert(
                "allOf".to_owned(),
                Value::Array(vec![Value::Object(only_ref.clone())]),
            );
        } else {
            out.insert(key, value);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn ok(value: Value) -> Value {
        match schema(&value, "/definitions/T") {
            Ok(v) => v,
            Err(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn ref_with_description_becomes_all_of() {
        let out =
            ok(json!({"properties": {"a": {"$ref": "#/definitions/B", "description": "the b"}}}));
        assert_eq!(
            out,
            json!({"properties": {"a": {"allOf": [{"$ref": "#/components/schemas/B"}], "description": "the b"}}})
        );
    }

    #[test]
    fn plain_ref_is_rewritten_only() {
        assert_eq!(
            ok(json!({"$ref": "#/definitions/B"})),
            json!({"$ref": "#/components/schemas/B"})
        );
        assert_eq!(
            ok(json!({"$ref": "#/definitions/B", "x-go": 1})),
            json!({"$ref": "#/components/schemas/B", "x-go": 1})
        );
    }

    #[test]
    fn nullable_file_and_discriminator() {
        let out = ok(json!({
            "type": "object",
            "discriminator": "kind",
            "properties": {
                "f": {"type": "file"},
                "n": {"type": "string", "x-nullable": true},
                "r": {"$ref": "#/definitions/B", "x-nullable": true},
                "m": {"type": "object", "additionalProperties": {"type": "array", "items": {"$ref": "#/definitions/C"}}}
            }
        }));
        assert_eq!(
            out,
            json!({
                "type": "object",
                "discriminator": {"propertyName": "kind"},
                "properties": {
                    "f": {"type": "string", "format": "binary"},
                    "n": {"type": "string", "nullable": true},
                    "r": {"allOf": [{"$ref": "#/components/schemas/B"}], "nullable": true},
                    "m": {"type": "object", "additionalProperties": {"type": "array",
                        "items": {"$ref": "#/components/schemas/C"}}}
                }
            })
        );
    }

    #[test]
    fn property_order_and_examples_are_kept() {
        let out = ok(json!({"properties": {"z": {}, "a": {}, "m": {}}, "example": {"z": 1}}));
        let keys: Vec<&String> = out
            .get("properties")
            .and_then(Value::as_object)
            .map(|o| o.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["z", "a", "m"]);
        assert_eq!(out.get("example"), Some(&json!({"z": 1})));
    }

    #[test]
    fn errors_point_into_the_original() {
        let err = schema(
            &json!({"properties": {"a": {"allOf": {}}}}),
            "/definitions/T",
        )
        .err();
        assert_eq!(
            err.map(|e| e.pointer),
            Some("/definitions/T/properties/a/allOf".to_owned())
        );
    }
}
