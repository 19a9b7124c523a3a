//! Swagger 2 responses (`schema`, `headers`, `examples`) → OAS 3 responses (`content` per produced
//! media type, headers with a `schema`).

use serde_json::{Map, Value, json};

use super::Upgrade;
use super::fields;
use super::params;
use super::schema::{self, rewrite_ref};
use crate::SpecError;
use crate::load::pointer;

/// A `responses` map written at `at`, going to `out_at`.
pub(super) fn responses(
    up: &mut Upgrade<'_>,
    value: &Value,
    at: &str,
    out_at: &str,
    produces: &[String],
) -> Result<Value, SpecError> {
    let obj = fields::object(value, at, "'responses'")?;
    up.each(obj, at, out_at, |up, code, value, at, out_at| {
        if code.starts_with("x-") {
            return Ok(Some(value.clone()));
        }
        response(up, value, at, out_at, produces).map(Some)
    })
}

/// One response (or a `$ref` to a global one).
pub(super) fn response(
    up: &mut Upgrade<'_>,
    value: &Value,
    at: &str,
    out_at: &str,
    produces: &[String],
) -> Result<Value, SpecError> {
    let obj = fields::object(value, at, "a response")?;
    if let Some(reference) = fields::opt_str(obj, "$ref", at)? {
        return Ok(json!({"$ref": rewrite_ref(reference)}));
    }
    let mut out = Map::new();
    // OAS 3 requires a description; Swagger 2 documents sometimes omit it.
    let description = fields::opt_str(obj, "description", at)?.unwrap_or_default();
    out.insert(
        "description".to_owned(),
        Value::String(description.to_owned()),
    );
    if let Some(headers) = fields::opt_object(obj, "headers", at)? {
        let converted = up.each(
            headers,
            &pointer::child(at, "headers"),
            &pointer::child(out_at, "headers"),
            |up, _, value, at, out_at| header(up, value, at, out_at).map(Some),
        )?;
        out.insert("headers".to_owned(), converted);
    }
    if let Some(written) = obj.get("schema") {
        let schema_at = pointer::child(at, "schema");
        let converted = schema::schema(written.clone(), &schema_at)?;
        let examples = fields::opt_object(obj, "examples", at)?;
        let mut content = Map::with_capacity(produces.len());
        for media in produces {
            let mut media_type = Map::new();
            media_type.insert("schema".to_owned(), converted.clone());
            if let Some(example) = examples.and_then(|e| e.get(media)) {
                media_type.insert("example".to_owned(), example.clone());
            }
            content.insert(media.clone(), Value::Object(media_type));
            let media_at = pointer::child(&pointer::child(out_at, "content"), media);
            up.map
                .same_shape(pointer::child(&media_at, "schema"), schema_at.as_str());
        }
        out.insert("content".to_owned(), Value::Object(content));
    }
    fields::copy_extensions(obj, &[], &mut out);
    Ok(Value::Object(out))
}

/// A response header: its type keywords move into a `schema`.
fn header(up: &mut Upgrade<'_>, value: &Value, at: &str, out_at: &str) -> Result<Value, SpecError> {
    let obj = fields::object(value, at, "a header")?;
    let mut out = Map::new();
    fields::copy_keys(obj, &["description"], &mut out);
    let is_array = obj.get("type").and_then(Value::as_str) == Some("array");
    if is_array {
        let format = obj.get("collectionFormat").and_then(Value::as_str);
        // Headers only have `simple`; the call records a diagnostic for other formats.
        params::array_style("header", format, at, &mut up.notes);
    }
    out.insert("schema".to_owned(), params::param_schema(obj, at)?);
    // `x-nullable` went into the schema.
    fields::copy_extensions(obj, &["x-nullable"], &mut out);
    up.map.same_shape(pointer::child(out_at, "schema"), at);
    Ok(Value::Object(out))
}
