//! Paths → client operations: parameters, bodies, responses, method names, routes of the same RPC.

use std::collections::BTreeMap;

use openapiv3::{
    MediaType, Parameter, ParameterData, ParameterSchemaOrContent, ReferenceOr, RequestBody,
    StatusCode,
};

use super::classify::SchemaRef;
use super::context::Context;
use super::schema::SchemaLowering;
use crate::Error;
use crate::error::pointer_token;
use crate::ident::{self, Style};
use crate::ir::{
    Body, Docs, HttpMethod, Operation, Param, ParamLocation, ParamsStruct, Route, TypeRef,
    ValueEncoding,
};
use crate::load::pointer;

/// Argument names the emitted methods use besides path parameters.
const RESERVED_ARGUMENTS: &[&str] = &["params", "body"];

pub(super) fn operations(lowering: &mut SchemaLowering<'_>) -> Result<Vec<Operation>, Error> {
    let mut operations = Vec::new();
    let loaded = lowering.cx.loaded;
    for (path, item) in loaded.openapi.paths.iter() {
        let path_pointer = format!("/paths/{}", pointer_token(path));
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                return Err(lowering.cx.error(
                    &path_pointer,
                    &format!("path item $ref '{reference}' is not supported"),
                ));
            }
        };
        for (method, op) in item.iter() {
            let pointer = format!("{path_pointer}/{method}");
            operations.push(operation(
                lowering,
                path,
                method,
                op,
                &item.parameters,
                &pointer,
            )?);
        }
    }
    check_method_names(&lowering.cx, &operations)?;
    super::routes::reserve_sibling_values(&mut lowering.cx, &mut operations);
    link_same_rpc(&mut operations);
    operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));
    Ok(operations)
}

fn operation<'a>(
    lowering: &mut SchemaLowering<'a>,
    path: &str,
    method: &str,
    op: &'a openapiv3::Operation,
    path_level: &'a [ReferenceOr<Parameter>],
    pointer: &str,
) -> Result<Operation, Error> {
    let id = op
        .operation_id
        .clone()
        .unwrap_or_else(|| format!("{method}_{path}"));
    let owner = ident::type_ident(&id);
    let declared = declared_params(&lowering.cx, op, path_level, pointer)?;
    let (path_params, params) = params(lowering, declared, &owner, path, pointer)?;
    let body_pointer = format!("{pointer}/requestBody");
    let body = op
        .request_body
        .as_ref()
        .map(|body| request_body(lowering, body, &owner, &body_pointer))
        .transpose()?;
    let (response, accept) = success_response(lowering, &op.responses, &owner, pointer)?;
    Ok(Operation {
        method_name: ident::field_ident(&id),
        id,
        http_method: http_method(method),
        path: path.to_owned(),
        summary: op.summary.clone(),
        description: op.description.clone(),
        deprecated: op.deprecated,
        path_params,
        params,
        body,
        response,
        accept,
        same_rpc: Vec::new(),
        origin: pointer.to_owned(),
    })
}

/// The operation's parameters with their pointers; operation-level ones override path-level ones
/// with the same name and location.
fn declared_params<'a>(
    cx: &Context<'a>,
    op: &'a openapiv3::Operation,
    path_level: &'a [ReferenceOr<Parameter>],
    pointer: &str,
) -> Result<Vec<(String, &'a Parameter)>, Error> {
    let same = |p: &Parameter, q: &Parameter| {
        std::mem::discriminant(p) == std::mem::discriminant(q)
            && p.parameter_data_ref().name == q.parameter_data_ref().name
    };
    let resolve = |p| component(cx, p, "parameters", |c| &c.parameters, pointer);
    let mut params = Vec::new();
    for (i, p) in op.parameters.iter().enumerate() {
        let p = resolve(p)?;
        params.push((format!("{pointer}/parameters/{i}"), p));
    }
    let path_item_pointer = pointer
        .rsplit_once('/')
        .map_or(pointer, |(parent, _)| parent);
    for (i, p) in path_level.iter().enumerate() {
        let p = resolve(p)?;
        if !params.iter().any(|(_, q)| same(p, q)) {
            params.push((format!("{path_item_pointer}/parameters/{i}"), p));
        }
    }
    Ok(params)
}

/// The path parameters in template order, and the others as the operation's params struct.
/// Cookie parameters are reported and left out.
fn params<'a>(
    lowering: &mut SchemaLowering<'a>,
    declared: Vec<(String, &'a Parameter)>,
    owner: &str,
    path: &str,
    pointer: &str,
) -> Result<(Vec<Param>, Option<ParamsStruct>), Error> {
    let mut path_params = Vec::new();
    let mut other_params = Vec::new();
    for (param_pointer, p) in declared {
        let location = match p {
            Parameter::Path { .. } => ParamLocation::Path,
            Parameter::Query { .. } => ParamLocation::Query,
            Parameter::Header { .. } => ParamLocation::Header,
            Parameter::Cookie { parameter_data, .. } => {
                let message = format!(
                    "cookie parameter '{}' is not supported; the method does not send it",
                    parameter_data.name
                );
                lowering.cx.warn(&param_pointer, &message);
                continue;
            }
        };
        let lowered = param(
            lowering,
            p.parameter_data_ref(),
            location,
            owner,
            &param_pointer,
        )?;
        match location {
            ParamLocation::Path => path_params.push(lowered),
            _ => other_params.push(lowered),
        }
    }
    check_template(&lowering.cx, path, &path_params, pointer)?;
    order_by_template(&mut path_params, path);
    name_params(&mut path_params, RESERVED_ARGUMENTS);
    name_params(&mut other_params, &[]);
    let params = (!other_params.is_empty()).then(|| ParamsStruct {
        name: lowering.cx.names.inline(owner, "params"),
        params: other_params,
    });
    Ok((path_params, params))
}

fn param<'a>(
    lowering: &mut SchemaLowering<'a>,
    data: &'a ParameterData,
    location: ParamLocation,
    owner: &str,
    pointer: &str,
) -> Result<Param, Error> {
    let (schema, docs) = match &data.format {
        ParameterSchemaOrContent::Schema(schema) => {
            let schema = SchemaRef::from(schema);
            (Some((schema, "schema")), schema.docs())
        }
        ParameterSchemaOrContent::Content(content) => {
            let schema = content.values().next().and_then(|m| m.schema.as_ref());
            (schema.map(|s| (s.into(), "content")), Docs::default())
        }
    };
    let ty = match schema {
        Some((schema, at)) => {
            lowering.use_of(schema, owner, &data.name, &format!("{pointer}/{at}"))?
        }
        None => TypeRef::Json,
    };
    let (ty, encoding) = param_encoding(lowering, ty, location);
    // An object in the query goes out field by field; `query.rs` reports what it cannot send.
    let by_field = location == ParamLocation::Query && lowering.is_struct(&ty);
    if encoding == ValueEncoding::Json && !by_field {
        let message = format!(
            "parameter '{}' has no plain text form; it is sent as JSON text",
            data.name
        );
        lowering.cx.warn(pointer, &message);
    }
    Ok(Param {
        name: ident::field_ident(&data.name),
        wire: data.name.clone(),
        location,
        ty,
        encoding,
        // Path parameters are always required, whatever the document says.
        required: data.required || location == ParamLocation::Path,
        // OpenAPI's default for form style is explode: repeated keys, as grpc-gateway reads them.
        explode: data.explode.unwrap_or(location == ParamLocation::Query),
        docs: Docs {
            description: data.description.clone().or(docs.description),
            ..docs
        },
        reserved: Vec::new(),
        leaves: Vec::new(),
    })
}

/// grpc-gateway reads a map field from the query as `name[key]=value`, one pair per entry
/// (runtime.PopulateQueryParameters); that needs plain-text values, and the map itself rather
/// than an alias of it. Maps elsewhere, or of other values, are JSON text like any other shape.
fn param_encoding(
    lowering: &SchemaLowering<'_>,
    ty: TypeRef,
    location: ParamLocation,
) -> (TypeRef, ValueEncoding) {
    // Not a let chain: the workspace builds with Rust 1.85 (`rust-version`).
    match lowering.unaliased(&ty) {
        TypeRef::Map(value)
            if location == ParamLocation::Query
                && !matches!(**value, TypeRef::Array(_))
                && lowering.encoding(value) != ValueEncoding::Json =>
        {
            (TypeRef::Map(value.clone()), lowering.encoding(value))
        }
        _ => {
            let encoding = lowering.encoding(&ty);
            (ty, encoding)
        }
    }
}

fn request_body<'a>(
    lowering: &mut SchemaLowering<'a>,
    body: &'a ReferenceOr<RequestBody>,
    owner: &str,
    pointer: &str,
) -> Result<Body, Error> {
    let body = component(
        &lowering.cx,
        body,
        "requestBodies",
        |c| &c.request_bodies,
        pointer,
    )?;
    let Some((content_type, media)) = json_media(&body.content) else {
        return Err(lowering.cx.error(pointer, "request body has no content"));
    };
    if !is_json(content_type) {
        let message = format!(
            "request body media type '{content_type}' is not JSON; the body is sent as JSON"
        );
        lowering.cx.warn(pointer, &message);
    }
    let content_pointer = format!("{pointer}/content");
    let ty = media.schema.as_ref().map_or(Ok(TypeRef::Json), |schema| {
        lowering.use_of(schema.into(), owner, "body", &content_pointer)
    })?;
    Ok(Body {
        ty,
        content_type: content_type.to_owned(),
        required: body.required,
        // Settled once every type is known (`lower::idempotency_tokens`).
        idempotency_token: None,
    })
}

/// The first 2xx response with its JSON body type, and the media type to accept.
fn success_response<'a>(
    lowering: &mut SchemaLowering<'a>,
    responses: &'a openapiv3::Responses,
    owner: &str,
    pointer: &str,
) -> Result<(Option<TypeRef>, String), Error> {
    let success = responses
        .responses
        .iter()
        .filter_map(|(code, r)| match code {
            StatusCode::Code(c) if (200..300).contains(c) => Some((*c, code, r)),
            StatusCode::Range(2) => Some((299, code, r)),
            _ => None,
        })
        .min_by_key(|(c, _, _)| *c);
    let Some((_, code, response)) = success else {
        return Ok((None, "application/json".to_owned()));
    };
    let response_pointer = format!("{pointer}/responses/{code}");
    let response = component(
        &lowering.cx,
        response,
        "responses",
        |c| &c.responses,
        &response_pointer,
    )?;
    let Some((media_type, media)) = json_media(&response.content) else {
        return Ok((None, "application/json".to_owned()));
    };
    let schema_pointer = format!("{response_pointer}/schema");
    let ty = media
        .schema
        .as_ref()
        .map(|schema| lowering.use_of(schema.into(), owner, "response", &schema_pointer));
    Ok((ty.transpose()?, media_type.to_owned()))
}

/// `application/json`, else any JSON media type, else the first one.
fn json_media(content: &indexmap::IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    content
        .get_key_value("application/json")
        .or_else(|| content.iter().find(|(k, _)| is_json(k)))
        .or_else(|| content.first())
        .map(|(k, v)| (k.as_str(), v))
}

fn is_json(media_type: &str) -> bool {
    media_type
        .split(';')
        .next()
        .is_some_and(|m| m.trim() == "application/json" || m.trim().ends_with("+json"))
}

/// An inline item, or the `#/components/<section>/<name>` entry its reference names (one hop: the
/// generator's own documents never chain these).
fn component<'a, T>(
    cx: &Context<'a>,
    item: &'a ReferenceOr<T>,
    section: &str,
    entries: impl FnOnce(&'a openapiv3::Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
    pointer: &str,
) -> Result<&'a T, Error> {
    let reference = match item {
        ReferenceOr::Item(item) => return Ok(item),
        ReferenceOr::Reference { reference } => reference,
    };
    let components = cx.loaded.openapi.components.as_ref();
    pointer::component_name(reference, section)
        .and_then(|name| components.map(entries)?.get(&name))
        .and_then(ReferenceOr::as_item)
        .ok_or_else(|| {
            cx.error(
                pointer,
                &format!("$ref '{reference}' points to no {section} entry"),
            )
        })
}

fn http_method(method: &str) -> HttpMethod {
    match method {
        "put" => HttpMethod::Put,
        "post" => HttpMethod::Post,
        "delete" => HttpMethod::Delete,
        "options" => HttpMethod::Options,
        "head" => HttpMethod::Head,
        "patch" => HttpMethod::Patch,
        "trace" => HttpMethod::Trace,
        _ => HttpMethod::Get,
    }
}

/// Every `{name}` of the template needs its path parameter, and every path parameter its `{name}`.
fn check_template(
    cx: &Context<'_>,
    path: &str,
    params: &[Param],
    pointer: &str,
) -> Result<(), Error> {
    let mut vars = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            return Err(cx.error(
                pointer,
                &format!("path template '{path}' has an unclosed '{{'"),
            ));
        };
        vars.push(&rest[open + 1..close]);
        rest = &rest[close + 1..];
    }
    if let Some(var) = vars.iter().find(|v| !params.iter().any(|p| p.wire == **v)) {
        return Err(cx.error(
            pointer,
            &format!("path template variable '{{{var}}}' has no path parameter"),
        ));
    }
    // The method would take an argument it never sends. The operation's pointer: the parameter may
    // be declared on the path item, which the Swagger 2.0 upgrade merges into the operation.
    if let Some(p) = params.iter().find(|p| !vars.contains(&p.wire.as_str())) {
        return Err(cx.error(
            pointer,
            &format!(
                "path parameter '{}' does not appear in the path template '{path}'",
                p.wire
            ),
        ));
    }
    Ok(())
}

/// Path parameters as the template lists them, so arguments read like the URL.
fn order_by_template(params: &mut [Param], path: &str) {
    params.sort_by_key(|p| path.find(&format!("{{{}}}", p.wire)).unwrap_or(usize::MAX));
}

fn name_params(params: &mut [Param], reserved: &[&str]) {
    let entries: Vec<(String, String)> = params
        .iter()
        .map(|p| (p.wire.clone(), p.name.clone()))
        .collect();
    let names = ident::dedupe(&entries, |name| reserved.contains(&name), Style::Snake);
    for (p, name) in params.iter_mut().zip(names) {
        p.name = name;
    }
}

/// Method names are snake_case operationIds; two operations on one name is an error naming both.
fn check_method_names(cx: &Context<'_>, operations: &[Operation]) -> Result<(), Error> {
    let mut seen: BTreeMap<String, &Operation> = BTreeMap::new();
    for op in operations {
        if let Some(first) = seen.insert(op.method_name.clone(), op) {
            let message = format!(
                "operations '{}' ({}) and '{}' ({}) both become the method `{}`; rename one operationId",
                first.id,
                first.route(),
                op.id,
                op.route(),
                op.method_name
            );
            return Err(cx.error(&op.origin, &message));
        }
    }
    Ok(())
}

/// grpc-gateway names the extra HTTP bindings of one RPC `X2`, `X3`: link each to its siblings.
/// The routes are copied into each operation so the emitter never searches the operation list.
fn link_same_rpc(operations: &mut [Operation]) {
    let rpc = |id: &str| id.trim_end_matches(|c: char| c.is_ascii_digit()).to_owned();
    let mut groups: BTreeMap<String, Vec<Route>> = BTreeMap::new();
    for op in operations.iter() {
        groups.entry(rpc(&op.id)).or_default().push(op.route());
    }
    for group in groups.values_mut() {
        group.sort();
    }
    for op in operations.iter_mut() {
        if let Some(group) = groups.get(&rpc(&op.id)) {
            op.same_rpc = group
                .iter()
                .filter(|route| route.method_name != op.method_name)
                .cloned()
                .collect();
        }
    }
}
