//! Swagger 2 Schema objects → OpenAPI 3.0 Schema objects, recursively, keys kept in text order.

use serde_json::{Map, Value};

use super::fields::{self, Object};
use crate::SpecError;
use crate::load::pointer;

/// Converts one schema written at `at`.
pub(super) fn schema(mut value: Value, at: &str) -> Result<Value, SpecError> {
    convert(&mut value, &mut at.to_owned())?;
    Ok(value)
}

/// Converts a schema in place: the definitions are most of a document, and most of a schema
/// means the same in both versions, so only what changes is touched. A map is rebuilt only when
/// a key changes (`x-nullable` → `nullable`, `$ref` with siblings → `allOf`), to keep its order.
/// `at` is its pointer, extended for each child and restored after it.
fn convert(value: &mut Value, at: &mut String) -> Result<(), SpecError> {
    let obj = fields::object_mut(value, at, "a schema")?;
    let mut binary = false;
    let mut nullable = false;
    for (key, value) in obj.iter_mut() {
        let parent = at.len();
        pointer::push_key(at, key);
        match key.as_str() {
            "$ref" => {
                if let Value::String(reference) = value {
                    *reference = rewrite_ref(reference);
                }
            }
            "properties" => schema_map(value, at)?,
            "items" if value.is_array() => {
                return Err(SpecError::new(
                    at.as_str(),
                    "a list of 'items' (tuple typing) is not supported",
                ));
            }
            "items" | "not" => convert(value, at)?,
            "additionalProperties" if !value.is_boolean() => convert(value, at)?,
            "allOf" | "anyOf" | "oneOf" => schema_list(value, at)?,
            // OAS 3.0 has `nullable`; a non-boolean x-nullable stays the extension it then is.
            "x-nullable" => nullable |= value.is_boolean(),
            "type" if value.as_str() == Some("file") => {
                binary = true;
                *value = Value::String("string".to_owned());
            }
            // Swagger 2 names the discriminating property; OAS 3 wraps it in an object.
            "discriminator" if value.is_string() => {
                let mut wrapped = Map::new();
                wrapped.insert("propertyName".to_owned(), value.take());
                *value = Value::Object(wrapped);
            }
            _ => {}
        }
        at.truncate(parent);
    }
    if nullable {
        rename_key(obj, "x-nullable", "nullable");
    }
    if binary {
        obj.insert("format".to_owned(), Value::String("binary".to_owned()));
    }
    wrap_ref_siblings(obj);
    Ok(())
}

/// Renames `from` in place; a `to` written before it gives way, one written after it wins (as
/// inserting the keys in text order would have it).
fn rename_key(obj: &mut Object, from: &str, to: &str) {
    *obj = std::mem::take(obj)
        .into_iter()
        .map(|(key, value)| {
            let key = if key == from { to.to_owned() } else { key };
            (key, value)
        })
        .collect();
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
fn schema_map(value: &mut Value, at: &mut String) -> Result<(), SpecError> {
    let obj = fields::object_mut(value, at, "a mapping of schemas")?;
    for (name, value) in obj.iter_mut() {
        let parent = at.len();
        pointer::push_key(at, name);
        convert(value, at)?;
        at.truncate(parent);
    }
    Ok(())
}

fn schema_list(value: &mut Value, at: &mut String) -> Result<(), SpecError> {
    let items = value
        .as_array_mut()
        .ok_or_else(|| SpecError::new(at.as_str(), "expected a list of schemas"))?;
    for (i, item) in items.iter_mut().enumerate() {
        let parent = at.len();
        pointer::push_index(at, i);
        convert(item, at)?;
        at.truncate(parent);
    }
    Ok(())
}

/// OAS 3.0 ignores the siblings of `$ref`; `{allOf: [{$ref}], ...siblings}` keeps them (grpc-gateway
/// puts each field's description there). Extensions alone do not need it.
fn wrap_ref_siblings(schema: &mut Object) {
    let Some(reference) = schema.get("$ref") else {
        return;
    };
    if !schema.keys().any(|k| k != "$ref" && !k.starts_with("x-")) {
        return;
    }
    let mut only_ref = Map::new();
    only_ref.insert("$ref".to_owned(), reference.clone());
    let wrapped = Value::Array(vec![Value::Object(only_ref)]);
    *schema = std::mem::take(schema)
        .into_iter()
        .map(|(key, value)| match key.as_str() {
            "$ref" => ("allOf".to_owned(), wrapped.clone()),
            _ => (key, value),
        })
        .collect();
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn ok(value: Value) -> Value {
        match schema(value, "/definitions/T") {
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
    fn of_nullable_and_x_nullable_the_later_in_the_text_wins() {
        let out = ok(json!({"properties": {
            "a": {"nullable": false, "type": "string", "x-nullable": true},
            "b": {"x-nullable": true, "type": "string", "nullable": false},
            "c": {"x-nullable": "yes", "x-go": 1}
        }}));
        assert_eq!(
            out,
            json!({"properties": {
                "a": {"nullable": true, "type": "string"},
                "b": {"nullable": false, "type": "string"},
                "c": {"x-nullable": "yes", "x-go": 1}
            }})
        );
        let keys: Vec<String> = out
            .pointer("/properties/a")
            .and_then(Value::as_object)
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["nullable", "type"]);
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
            json!({"properties": {"a": {"allOf": {}}}}),
            "/definitions/T",
        )
        .err();
        assert_eq!(
            err.map(|e| e.pointer),
            Some("/definitions/T/properties/a/allOf".to_owned())
        );
    }
}
