//! Swagger 2 paths and operations → OAS 3: path-level parameters merged into each operation,
//! body/formData parameters turned into a request body, responses given media types.

use serde_json::{Map, Value, json};

use super::fields::{self, Object};
use super::params::{self, Param};
use super::schema::rewrite_ref;
use super::{Upgrade, body, media_types, responses};
use crate::SpecError;
use crate::load::pointer;

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

/// Operation fields that keep their Swagger 2 form, in output order.
const COPIED_BEFORE: [&str; 5] = [
    "tags",
    "summary",
    "description",
    "externalDocs",
    "operationId",
];
const COPIED_AFTER: [&str; 2] = ["deprecated", "security"];

/// The `paths` object (at `/paths` in both documents).
pub(super) fn paths(up: &mut Upgrade<'_>, value: &Value) -> Result<Value, SpecError> {
    let obj = fields::object(value, "/paths", "'paths'")?;
    up.each(obj, "/paths", "/paths", |up, path, item, at, _| {
        if path.starts_with("x-") {
            return Ok(Some(item.clone()));
        }
        path_item(up, item, at).map(Some)
    })
}

fn path_item(up: &mut Upgrade<'_>, value: &Value, at: &str) -> Result<Value, SpecError> {
    let obj = fields::object(value, at, "a path item")?;
    let root = up.root;
    let shared = param_list(root, obj, at)?;
    let mut out = Map::with_capacity(obj.len());
    for (key, value) in obj {
        let converted = if METHODS.contains(&key.as_str()) {
            operation(up, value, &pointer::child(at, key), &shared)?
        } else if key == "parameters" {
            // Merged into every operation below.
            continue;
        } else {
            // `$ref` (local, settled earlier) and extensions keep their meaning in OAS 3.
            value.clone()
        };
        out.insert(key.clone(), converted);
    }
    Ok(Value::Object(out))
}

/// The resolved entries of `obj.parameters`, skipping those dropped as dangling.
fn param_list<'a>(root: &'a Value, obj: &'a Object, at: &str) -> Result<Vec<Param<'a>>, SpecError> {
    let Some(entries) = fields::opt_array(obj, "parameters", at)? else {
        return Ok(Vec::new());
    };
    let list_at = pointer::child(at, "parameters");
    entries
        .iter()
        .enumerate()
        .filter_map(|(i, entry)| {
            params::resolve(root, entry, pointer::index(&list_at, i)).transpose()
        })
        .collect()
}

fn operation(
    up: &mut Upgrade<'_>,
    value: &Value,
    at: &str,
    shared: &[Param<'_>],
) -> Result<Value, SpecError> {
    let obj = fields::object(value, at, "an operation")?;
    let root = up.root;
    let own = param_list(root, obj, at)?;
    // Operation-level parameters override path-level ones with the same name and location.
    let merged: Vec<&Param<'_>> = shared
        .iter()
        .filter(|s| !own.iter().any(|o| o.same_as(s)))
        .chain(own.iter())
        .collect();
    let consumes = media_types(fields::opt_strings(obj, "consumes", at)?, &up.consumes);
    let produces = media_types(fields::opt_strings(obj, "produces", at)?, &up.produces);

    let params_at = pointer::child(at, "parameters");
    let mut parameters = Vec::new();
    let mut body_param: Option<&Param<'_>> = None;
    let mut form: Vec<&Param<'_>> = Vec::new();
    for param in merged {
        match param.location {
            "body" => {
                if body_param.is_some() {
                    return Err(SpecError::new(
                        param.at.as_str(),
                        "more than one body parameter",
                    ));
                }
                body_param = Some(param);
            }
            "formData" => form.push(param),
            _ => {
                let out_at = pointer::index(&params_at, parameters.len());
                let converted = match param.global_ref {
                    Some(reference) => {
                        up.map.same_shape(out_at, param.site.as_str());
                        json!({"$ref": rewrite_ref(reference)})
                    }
                    None => {
                        up.map
                            .same_shape(pointer::child(&out_at, "schema"), param.at.as_str());
                        up.map.same_shape(out_at, param.at.as_str());
                        params::convert(param, &mut up.notes)?
                    }
                };
                parameters.push(converted);
            }
        }
    }
    let body_at = pointer::child(at, "requestBody");
    let request_body = body::request_body(up, body_param, &form, &consumes, &body_at)?;
    let responses = match obj.get("responses") {
        Some(written) => {
            let responses_at = pointer::child(at, "responses");
            responses::responses(up, written, &responses_at, &responses_at, &produces)?
        }
        // Required by both versions; an empty set keeps a sloppy document loadable.
        None => Value::Object(Map::new()),
    };

    let mut out = Map::new();
    fields::copy_keys(obj, &COPIED_BEFORE, &mut out);
    if !parameters.is_empty() {
        out.insert("parameters".to_owned(), Value::Array(parameters));
    }
    if let Some(request_body) = request_body {
        out.insert("requestBody".to_owned(), request_body);
    }
    out.insert("responses".to_owned(), responses);
    fields::copy_keys(obj, &COPIED_AFTER, &mut out);
    fields::copy_extensions(obj, &[], &mut out);
    up.map.same_shape(at, at);
    Ok(Value::Object(out))
}
