//! Swagger 2 `definitions`, `parameters`, `responses` and `securityDefinitions` → OAS 3
//! `components`.

use serde_json::{Map, Value};

use super::fields::{self, Object};
use super::schema::{self, rewrite_ref};
use super::{Upgrade, params, responses, security};
use crate::SpecError;
use crate::load::pointer;

/// The components object, or `None` when the document has nothing to put there.
pub(super) fn components(up: &mut Upgrade<'_>) -> Result<Option<Value>, SpecError> {
    let top = up.top;
    let mut out = Map::new();
    if let Some(definitions) = fields::opt_object(top, "definitions", "")? {
        let schemas = each(
            up,
            definitions,
            "definitions",
            "schemas",
            |_, value, at, _| schema::schema(value, at).map(Some),
        )?;
        out.insert("schemas".to_owned(), schemas);
    }
    if let Some(parameters) = fields::opt_object(top, "parameters", "")? {
        let converted = each(up, parameters, "parameters", "parameters", global_parameter)?;
        out.insert("parameters".to_owned(), converted);
    }
    if let Some(written) = fields::opt_object(top, "responses", "")? {
        let produces = up.produces.clone();
        let converted = each(
            up,
            written,
            "responses",
            "responses",
            |up, value, at, out_at| responses::response(up, value, at, out_at, &produces).map(Some),
        )?;
        out.insert("responses".to_owned(), converted);
    }
    if let Some(definitions) = fields::opt_object(top, "securityDefinitions", "")? {
        let schemes = each(
            up,
            definitions,
            "securityDefinitions",
            "securitySchemes",
            |_, value, at, _| security::scheme(value, at).map(Some),
        )?;
        out.insert("securitySchemes".to_owned(), schemes);
    }
    out.retain(|_, v| v.as_object().is_some_and(|m| !m.is_empty()));
    Ok((!out.is_empty()).then_some(Value::Object(out)))
}

/// Converts every entry of the top-level map `from` into `components.<to>`, recording where each
/// came from; `None` from `convert` leaves the entry out.
fn each<'a>(
    up: &mut Upgrade<'a>,
    entries: &Object,
    from: &str,
    to: &str,
    mut convert: impl FnMut(&mut Upgrade<'a>, &Value, &str, &str) -> Result<Option<Value>, SpecError>,
) -> Result<Value, SpecError> {
    let from_at = pointer::child("", from);
    let to_at = pointer::child("/components", to);
    let mut out = Map::with_capacity(entries.len());
    for (name, value) in entries {
        let at = pointer::child(&from_at, name);
        let out_at = pointer::child(&to_at, name);
        if let Some(converted) = convert(up, value, &at, &out_at)? {
            up.map.same_shape(out_at, at);
            out.insert(name.clone(), converted);
        }
    }
    Ok(Value::Object(out))
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
        let mut r = Map::new();
        r.insert("$ref".to_owned(), Value::String(rewrite_ref(reference)));
        return Ok(Some(Value::Object(r)));
    }
    up.map.same_shape(pointer::child(out_at, "schema"), at);
    params::convert(&param, &mut up.notes).map(Some)
}
