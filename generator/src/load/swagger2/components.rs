//! Swagger 2 `definitions`, `parameters`, `responses` and `securityDefinitions` → OAS 3
//! `components`.

use serde_json::{Map, Value, json};

use super::fields;
use super::schema::{self, rewrite_ref};
use super::{Upgrade, params, responses, security};
use crate::SpecError;
use crate::load::pointer;

/// The components object, or `None` when the document has nothing to put there.
/// `definitions` is the document's, taken out of it to be moved into the result.
pub(super) fn components(
    up: &mut Upgrade<'_>,
    definitions: Option<Value>,
) -> Result<Option<Value>, SpecError> {
    let top = up.top;
    let mut out = Map::new();
    if let Some(definitions) = definitions {
        let Value::Object(definitions) = definitions else {
            return Err(fields::mapping_expected("/definitions", "'definitions'"));
        };
        let schemas = up.each(
            definitions,
            "/definitions",
            "/components/schemas",
            |_, _, value, at, _| schema::schema(value, at).map(Some),
        )?;
        out.insert("schemas".to_owned(), schemas);
    }
    if let Some(parameters) = fields::opt_object(top, "parameters", "")? {
        let converted = up.each(
            parameters,
            "/parameters",
            "/components/parameters",
            |up, _, value, at, out_at| global_parameter(up, value, at, out_at),
        )?;
        out.insert("parameters".to_owned(), converted);
    }
    if let Some(written) = fields::opt_object(top, "responses", "")? {
        let produces = up.produces.clone();
        let converted = up.each(
            written,
            "/responses",
            "/components/responses",
            |up, _, value, at, out_at| {
                responses::response(up, value, at, out_at, &produces).map(Some)
            },
        )?;
        out.insert("responses".to_owned(), converted);
    }
    if let Some(definitions) = fields::opt_object(top, "securityDefinitions", "")? {
        let schemes = up.each(
            definitions,
            "/securityDefinitions",
            "/components/securitySchemes",
            |_, _, value, at, _| security::scheme(value, at).map(Some),
        )?;
        out.insert("securitySchemes".to_owned(), schemes);
    }
    out.retain(|_, v| v.as_object().is_some_and(|m| !m.is_empty()));
    Ok((!out.is_empty()).then_some(Value::Object(out)))
}

/// Non-body global parameters become components; body and formData ones are inlined into the
/// request body of each operation that refers to them.
fn global_parameter(
    up: &mut Upgrade<'_>,
    value: &Value,
    at: &str,
    out_at: &str,
) -> Result<Option<Value>, SpecError> {
    let root = up.root;
    let Some(param) = params::resolve(root, value, at.to_owned())? else {
        return Ok(None);
    };
    if matches!(param.location, "body" | "formData") {
        return Ok(None);
    }
    if let Some(reference) = fields::opt_str(fields::object(value, at, "a parameter")?, "$ref", at)?
    {
        return Ok(Some(json!({"$ref": rewrite_ref(reference)})));
    }
    up.map.same_shape(pointer::child(out_at, "schema"), at);
    params::convert(&param, &mut up.notes).map(Some)
}
