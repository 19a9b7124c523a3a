//! The gRPC `google.rpc.Status` schema that grpc-gateway documents use for error responses: finding
//! it among the named schemas, or synthesizing one when a document refers to a Status it lacks.

use serde_json::{Map, Value, json};

use super::SourceFormat;
use crate::SpecError;
use crate::error::pointer_token;

/// The named schemas of the document (`definitions` or `components.schemas`), if present.
pub(crate) fn schemas(doc: &Value, format: SourceFormat) -> Option<&Map<String, Value>> {
    doc.pointer(format.schemas_pointer())?.as_object()
}

/// The local `$ref` to a named schema.
pub(crate) fn schema_ref(format: SourceFormat, name: &str) -> String {
    format!("#{}/{}", format.schemas_pointer(), pointer_token(name))
}

/// Name of the Status-shaped schema (`code` integer, `message` string), preferring one with a
/// `details` array, then the smallest name, so the choice does not depend on document order.
pub(crate) fn find(doc: &Value, format: SourceFormat) -> Option<String> {
    let schemas = schemas(doc, format)?;
    schemas
        .iter()
        .filter(|(_, schema)| {
            property_type(schema, "code") == Some("integer")
                && property_type(schema, "message") == Some("string")
        })
        .min_by_key(|(name, schema)| {
            (
                property_type(schema, "details") != Some("array"),
                name.as_str(),
            )
        })
        .map(|(name, _)| name.clone())
}

/// Adds a Status schema named `name` to the named schemas (creating the map if needed).
pub(crate) fn synthesize(
    doc: &mut Value,
    format: SourceFormat,
    name: &str,
) -> Result<(), SpecError> {
    let any = find_any(doc, format)
        .map_or_else(|| json!({}), |n| json!({ "$ref": schema_ref(format, &n) }));
    let schema = json!({
        "type": "object",
        "properties": {
            "code": { "type": "integer", "format": "int32" },
            "message": { "type": "string" },
            "details": { "type": "array", "items": any }
        }
    });
    schemas_mut(doc, format)?.insert(name.to_owned(), schema);
    Ok(())
}

/// `protobufAny`-like schema (has an `@type` property), for the items of `details`.
fn find_any(doc: &Value, format: SourceFormat) -> Option<String> {
    let schemas = schemas(doc, format)?;
    schemas
        .iter()
        .filter(|(_, schema)| schema.pointer("/properties/@type").is_some())
        .min_by_key(|(name, _)| (name.as_str() != "protobufAny", name.as_str()))
        .map(|(name, _)| name.clone())
}

fn property_type<'a>(schema: &'a Value, property: &str) -> Option<&'a str> {
    schema
        .get("properties")?
        .get(property)?
        .get("type")?
        .as_str()
}

fn schemas_mut(
    doc: &mut Value,
    format: SourceFormat,
) -> Result<&mut Map<String, Value>, SpecError> {
    let mut at = String::new();
    let mut node = doc;
    for key in format.schemas_pointer().split('/').skip(1) {
        let Value::Object(object) = node else {
            return Err(SpecError::new(at, "expected a mapping"));
        };
        at.push('/');
        at.push_str(key);
        node = object
            .entry(key)
            .or_insert_with(|| Value::Object(Map::new()));
    }
    match node {
        Value::Object(object) => Ok(object),
        _ => Err(SpecError::new(at, "expected a mapping of schemas")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefers_status_with_details_then_smallest_name() {
        let doc = json!({"definitions": {
            "zStatus": {"properties": {"code": {"type": "integer"}, "message": {"type": "string"},
                "details": {"type": "array"}}},
            "aStatus": {"properties": {"code": {"type": "integer"}, "message": {"type": "string"}}},
            "bStatus": {"properties": {"code": {"type": "integer"}, "message": {"type": "string"},
                "details": {"type": "array"}}},
            "other": {"properties": {"code": {"type": "string"}, "message": {"type": "string"}}}
        }});
        assert_eq!(
            find(&doc, SourceFormat::Swagger2).as_deref(),
            Some("bStatus")
        );
        assert_eq!(find(&json!({}), SourceFormat::Swagger2), None);
    }

    #[test]
    fn synthesizes_with_protobuf_any_details() {
        let mut doc = json!({"components": {"schemas": {
            "protobufAny": {"type": "object", "properties": {"@type": {"type": "string"}}}
        }}});
        assert!(synthesize(&mut doc, SourceFormat::OpenApi30, "rpcStatus").is_ok());
        assert_eq!(
            doc.pointer("/components/schemas/rpcStatus/properties/details/items"),
            Some(&json!({"$ref": "#/components/schemas/protobufAny"}))
        );
        assert_eq!(
            find(&doc, SourceFormat::OpenApi30).as_deref(),
            Some("rpcStatus")
        );
    }

    #[test]
    fn synthesizes_into_a_missing_map() {
        let mut doc = json!({"swagger": "2.0"});
        assert!(synthesize(&mut doc, SourceFormat::Swagger2, "rpcStatus").is_ok());
        assert_eq!(
            doc.pointer("/definitions/rpcStatus/properties/details/items"),
            Some(&json!({}))
        );
        let mut bad = json!({"definitions": []});
        assert_eq!(
            synthesize(&mut bad, SourceFormat::Swagger2, "x").map_err(|e| e.pointer),
            Err("/definitions".to_owned())
        );
    }
}
