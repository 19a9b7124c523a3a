//! Swagger 2 `in: body` and `in: formData` parameters → one OAS 3 `requestBody`.

use serde_json::{Map, Value, json};

use super::Upgrade;
use super::fields;
use super::params::{self, Param};
use super::schema;
use crate::SpecError;
use crate::load::pointer;

const FORM_URLENCODED: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// The request body of an operation from its body parameter or its formData parameters;
/// `out_at` is where it goes in the upgraded document.
pub(super) fn request_body(
    up: &mut Upgrade<'_>,
    body: Option<&Param<'_>>,
    form: &[&Param<'_>],
    consumes: &[String],
    out_at: &str,
) -> Result<Option<Value>, SpecError> {
    match (body, form) {
        (None, []) => Ok(None),
        (Some(body), []) => from_body(up, body, consumes, out_at).map(Some),
        (None, form) => from_form(up, form, consumes, out_at).map(Some),
        (Some(_), [first, ..]) => Err(SpecError::new(
            first.at.as_str(),
            "an operation cannot have both a body parameter and formData parameters",
        )),
    }
}

fn from_body(
    up: &mut Upgrade<'_>,
    body: &Param<'_>,
    consumes: &[String],
    out_at: &str,
) -> Result<Value, SpecError> {
    let written = body
        .obj
        .get("schema")
        .ok_or_else(|| SpecError::new(body.at.as_str(), "body parameter without 'schema'"))?;
    let schema_at = pointer::child(&body.at, "schema");
    let converted = schema::schema(written.clone(), &schema_at)?;
    up.map.built_from(out_at, body.at.as_str());
    let mut content = Map::new();
    for media in consumes {
        // Built, not `json!`: the macro would copy the schema by serializing it.
        content.insert(media.clone(), object([("schema", converted.clone())]));
        up.map
            .same_shape(schema_pointer(out_at, media), schema_at.as_str());
    }
    let mut out = Map::new();
    fields::copy_keys(body.obj, &["description"], &mut out);
    out.insert("content".to_owned(), Value::Object(content));
    fields::copy_keys(body.obj, &["required"], &mut out);
    // The usual OAS 3 home of the body parameter's name (swagger2openapi, swagger-codegen).
    out.insert(
        "x-codegen-request-body-name".to_owned(),
        Value::String(body.name.to_owned()),
    );
    fields::copy_extensions(body.obj, &[], &mut out);
    Ok(Value::Object(out))
}

/// formData parameters become the properties of one object schema.
fn from_form(
    up: &mut Upgrade<'_>,
    form: &[&Param<'_>],
    consumes: &[String],
    out_at: &str,
) -> Result<Value, SpecError> {
    let has_file = form
        .iter()
        .any(|p| p.obj.get("type").and_then(Value::as_str) == Some("file"));
    let media = if has_file || consumes.iter().any(|c| c == MULTIPART) {
        MULTIPART
    } else {
        FORM_URLENCODED
    };
    let schema_at = schema_pointer(out_at, media);
    if let Some(first) = form.first() {
        up.map.built_from(out_at, first.at.as_str());
    }
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut encoding = Map::new();
    for param in form {
        let mut property = Map::new();
        fields::copy_keys(param.obj, &["description"], &mut property);
        if let Value::Object(schema) = params::param_schema(param.obj, &param.at)? {
            property.extend(schema);
        }
        properties.insert(param.name.to_owned(), Value::Object(property));
        up.map.same_shape(
            pointer::child(&pointer::child(&schema_at, "properties"), param.name),
            param.at.as_str(),
        );
        if param.obj.get("required").and_then(Value::as_bool) == Some(true) {
            required.push(Value::String(param.name.to_owned()));
        }
        // `style`/`explode` only apply to urlencoded bodies (OAS 3 §Encoding Object).
        if media == FORM_URLENCODED && param.is_array() {
            let (style, explode) =
                params::array_style("query", param.collection_format(), &param.at, &mut up.notes);
            let e = json!({"style": style, "explode": explode});
            encoding.insert(param.name.to_owned(), e);
        }
    }
    let mut schema = Map::new();
    schema.insert("type".to_owned(), Value::String("object".to_owned()));
    schema.insert("properties".to_owned(), Value::Object(properties));
    let any_required = !required.is_empty();
    if any_required {
        schema.insert("required".to_owned(), Value::Array(required));
    }
    let mut media_type = Map::new();
    media_type.insert("schema".to_owned(), Value::Object(schema));
    if !encoding.is_empty() {
        media_type.insert("encoding".to_owned(), Value::Object(encoding));
    }
    let content = object([(media, Value::Object(media_type))]);
    Ok(object([
        ("content", content),
        ("required", Value::Bool(any_required)),
    ]))
}

/// An object of the given entries, moved in (`json!` copies a `Value` by serializing it).
fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value))
            .collect(),
    )
}

fn schema_pointer(out_at: &str, media: &str) -> String {
    pointer::child(
        &pointer::child(&pointer::child(out_at, "content"), media),
        "schema",
    )
}
