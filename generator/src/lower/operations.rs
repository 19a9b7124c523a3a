//! Paths → client operations: parameters, bodies, responses, method names, routes of the same RPC.

use std::collections::{BTreeMap, BTreeSet};

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
    Body, Docs, HttpMethod, Operation, OtherRoute, Param, ParamLocation, ParamsStruct,
    ReservedValue, Route, TypeRef, ValueEncoding,
};

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
    reserve_sibling_values(&mut lowering.cx, &mut operations);
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
    let body = match &op.request_body {
        None => None,
        Some(body) => Some(request_body(
            lowering,
            body,
            &owner,
            &format!("{pointer}/requestBody"),
        )?),
    };
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
    let map = match lowering.unaliased(&ty) {
        TypeRef::Map(value) if location == ParamLocation::Query => Some(value),
        _ => None,
    };
    match map.map(|value| (value, lowering.encoding(value))) {
        Some((value, encoding))
            if !matches!(**value, TypeRef::Array(_)) && encoding != ValueEncoding::Json =>
        {
            (TypeRef::Map(value.clone()), encoding)
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
    let prefix = format!("#/components/{section}/");
    let components = cx.loaded.openapi.components.as_ref();
    reference
        .strip_prefix(prefix.as_str())
        .and_then(|name| components.map(entries)?.get(name))
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
    let taken: BTreeSet<String> = reserved.iter().map(|r| (*r).to_owned()).collect();
    for (p, name) in params
        .iter_mut()
        .zip(ident::dedupe(&entries, &taken, Style::Snake))
    {
        p.name = name;
    }
}

/// Method names are snake_case operationIds; two operations on one name is an error naming both.
fn check_method_names(cx: &Context<'_>, operations: &[Operation]) -> Result<(), Error> {
    let mut seen: BTreeMap<String, &Operation> = BTreeMap::new();
    for op in operations {
        if let Some(first) = seen.insert(op.method_name.clone(), op) {
            let message = format!(
                "operations '{}' ({} {}) and '{}' ({} {}) both become the method `{}`; rename one operationId",
                first.id,
                first.http_method.as_str(),
                first.path,
                op.id,
                op.http_method.as_str(),
                op.path,
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
        groups.entry(rpc(&op.id)).or_default().push(Route {
            method_name: op.method_name.clone(),
            http_method: op.http_method,
            path: op.path.clone(),
        });
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

/// One `/`-separated piece of a path template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Segment<'a> {
    Literal(&'a str),
    /// `prefix{wire}suffix`; a whole-segment variable has both empty.
    Variable {
        prefix: &'a str,
        wire: &'a str,
        suffix: &'a str,
    },
    /// More than one variable in one segment.
    Complex,
}

impl<'a> Segment<'a> {
    fn parse(segment: &'a str) -> Segment<'a> {
        let Some((prefix, rest)) = segment.split_once('{') else {
            return Segment::Literal(segment);
        };
        match rest.split_once('}') {
            Some((wire, suffix)) if !suffix.contains('{') => Segment::Variable {
                prefix,
                wire,
                suffix,
            },
            _ => Segment::Complex,
        }
    }

    /// Whether this segment, filled in any way, can be the text `literal`.
    fn can_be(self, literal: &str) -> bool {
        match self {
            Segment::Literal(own) => own == literal,
            Segment::Variable { prefix, suffix, .. } => fits(literal, prefix, suffix).is_some(),
            // Possibly: treated as matching, so the other segments decide.
            Segment::Complex => true,
        }
    }
}

/// The variable part of `literal` read through `prefix{…}suffix`: a value the client sends (never
/// empty, `.` or `..`, which it refuses before sending).
fn fits<'a>(literal: &'a str, prefix: &str, suffix: &str) -> Option<&'a str> {
    let value = literal.strip_prefix(prefix)?.strip_suffix(suffix)?;
    (!value.is_empty() && value != "." && value != "..").then_some(value)
}

/// What a request of one operation needs to reach another one's route instead.
enum Overlap {
    /// It never can: some literal segment differs.
    Never,
    /// When each of these path parameters (wire name) has this value.
    When(Vec<(String, String)>),
    /// The templates overlap in a way no list of values describes (a variable against a variable
    /// with fixed text, several variables in one segment).
    Unchecked,
}

/// Whether a request built from template `own` can match template `other`, and for which values.
/// The server decodes the path before routing it, so values are compared decoded, as written.
fn overlap(own: &str, other: &str) -> Overlap {
    let own: Vec<Segment> = own.split('/').map(Segment::parse).collect();
    let other: Vec<Segment> = other.split('/').map(Segment::parse).collect();
    if own.len() != other.len() {
        return Overlap::Never;
    }
    let mut when: Vec<(String, String)> = Vec::new();
    let mut unchecked = false;
    for (mine, theirs) in own.into_iter().zip(other) {
        match (mine, theirs) {
            (Segment::Literal(literal), theirs) => {
                if !theirs.can_be(literal) {
                    return Overlap::Never;
                }
            }
            (
                Segment::Variable {
                    prefix,
                    wire,
                    suffix,
                },
                Segment::Literal(literal),
            ) => {
                let Some(value) = fits(literal, prefix, suffix) else {
                    return Overlap::Never;
                };
                match when.iter().find(|(w, _)| w == wire) {
                    // A variable used twice cannot take two values.
                    Some((_, earlier)) if earlier != value => return Overlap::Never,
                    Some(_) => {}
                    None => when.push((wire.to_owned(), value.to_owned())),
                }
            }
            // Any value fills a whole-segment variable of the other route.
            (
                Segment::Variable { .. },
                Segment::Variable {
                    prefix: "",
                    suffix: "",
                    ..
                },
            ) => {}
            _ => unchecked = true,
        }
    }
    if unchecked {
        Overlap::Unchecked
    } else {
        Overlap::When(when)
    }
}

/// Routes by HTTP method and then segment by segment (every segment with a variable under `None`),
/// so that the routes a template may reach are found by walking down the tree: comparing every
/// pair of routes made lowering quadratic in the operations (see BENCHMARKS.md).
#[derive(Default)]
struct RouteTree<'a> {
    /// The routes that end here, by index.
    ends: Vec<usize>,
    next: BTreeMap<Option<&'a str>, RouteTree<'a>>,
}

impl<'a> RouteTree<'a> {
    fn insert(&mut self, keys: &[Option<&'a str>], route: usize) {
        let node = keys
            .iter()
            .fold(self, |node, key| node.next.entry(*key).or_default());
        node.ends.push(route);
    }

    /// Every route that a template with these keys may reach, and maybe more: [`overlap`] decides.
    fn reachable(&self, keys: &[Option<&str>], found: &mut Vec<usize>) {
        let Some((key, rest)) = keys.split_first() else {
            found.extend(&self.ends);
            return;
        };
        let mut visit = |node: &RouteTree<'_>| node.reachable(rest, found);
        match key {
            Some(_) => [key, &None]
                .into_iter()
                .filter_map(|key| self.next.get(key))
                .for_each(&mut visit),
            None => self.next.values().for_each(visit),
        }
    }
}

/// A route's keys in a [`RouteTree`]: its method, then each literal segment or `None`.
fn route_keys(method: HttpMethod, path: &str) -> Vec<Option<&str>> {
    let segments = path
        .split('/')
        .map(|segment| match Segment::parse(segment) {
            Segment::Literal(literal) => Some(literal),
            _ => None,
        });
    std::iter::once(Some(method.as_str()))
        .chain(segments)
        .collect()
}

/// A path value must never change the route: for each operation, every other route of the same HTTP
/// method that a request of it could reach is settled here, as the values of its path parameters
/// that would reach it. Overlaps no value describes are reported.
fn reserve_sibling_values(cx: &mut Context<'_>, operations: &mut [Operation]) {
    let routes: Vec<(OtherRoute, String)> = operations
        .iter()
        .map(|op| {
            let route = OtherRoute {
                id: op.id.clone(),
                http_method: op.http_method,
                path: op.path.clone(),
            };
            (route, op.origin.clone())
        })
        .collect();
    let mut tree = RouteTree::default();
    for (j, (other, _)) in routes.iter().enumerate() {
        tree.insert(&route_keys(other.http_method, &other.path), j);
    }
    for (i, op) in operations.iter_mut().enumerate() {
        let mut reachable = Vec::new();
        tree.reachable(&route_keys(op.http_method, &op.path), &mut reachable);
        // In route order, as the messages and reserved values were before the tree.
        reachable.sort_unstable();
        for j in reachable.into_iter().filter(|&j| j != i) {
            let (other, other_origin) = &routes[j];
            reserve_or_report(cx, op, other, other_origin, i < j);
        }
    }
}

/// Settles what a request of `op` reaching `other` means: values of its path parameters to refuse,
/// or a warning. `first`: `op` comes before `other` (two routes of one shape are reported once).
fn reserve_or_report(
    cx: &mut Context<'_>,
    op: &mut Operation,
    other: &OtherRoute,
    other_origin: &str,
    first: bool,
) {
    match overlap(&op.path, &other.path) {
        Overlap::Never => {}
        Overlap::When(when) => {
            let mut when = when.into_iter();
            let Some((wire, value)) = when.next() else {
                // Every request of `op` matches the other template. A literal route against a
                // variable one (`/search` and `/{id}`) is the usual layout, the literal one wins;
                // only two templates of one shape are ambiguous (reported once, from the first).
                let same_shape =
                    matches!(overlap(&other.path, &op.path), Overlap::When(w) if w.is_empty());
                if !same_shape || !first {
                    return;
                }
                let message = format!(
                    "routes {} {} and {} (at {other_origin}) match the same requests; \
                     which one the server runs is not defined",
                    op.http_method.as_str(),
                    op.path,
                    other.path
                );
                cx.warn(&op.origin, &message);
                return;
            };
            if let Some(param) = op.path_params.iter_mut().find(|p| p.wire == wire) {
                param.reserved.push(ReservedValue {
                    value,
                    with: when.collect(),
                    route: other.clone(),
                });
            }
        }
        Overlap::Unchecked => {
            let message = format!(
                "some path values of {} {} may reach {} ({}); the client does not refuse them",
                op.http_method.as_str(),
                op.path,
                other.id,
                other.path
            );
            cx.warn(&op.origin, &message);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{SpecSource, load, lower};

    const SPEC: &str = "swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /v1/users/{id}:
    get: {operationId: Users_Get, parameters: [{name: id, in: path, required: true, type: string}], responses: {'200': {description: ok}}}
    delete: {operationId: Users_Delete, parameters: [{name: id, in: path, required: true, type: string}], responses: {'200': {description: ok}}}
  /v1/users/search:
    get: {operationId: Users_Search, responses: {'200': {description: ok}}}
  /v1/users/{id}/items/{item}:
    get: {operationId: Items_Get, parameters: [{name: id, in: path, required: true, type: string}, {name: item, in: path, required: true, type: string}], responses: {'200': {description: ok}}}
  /v1/users/me/items/{item}:
    get: {operationId: Items_Mine, parameters: [{name: item, in: path, required: true, type: string}], responses: {'200': {description: ok}}}
  /v1/users/{id}/items/latest:
    get: {operationId: Items_Latest, parameters: [{name: id, in: path, required: true, type: string}], responses: {'200': {description: ok}}}
  /v1/users/me/items/all:
    get: {operationId: Items_All, responses: {'200': {description: ok}}}
  /v1/files/{name}.json:
    get: {operationId: Files_Get, parameters: [{name: name, in: path, required: true, type: string}], responses: {'200': {description: ok}}}
  /v1/files/index.json:
    get: {operationId: Files_Index, responses: {'200': {description: ok}}}
  /v1/files/.json:
    get: {operationId: Files_Dot, responses: {'200': {description: ok}}}
  /v1/files/{file}:
    get: {operationId: Files_Any, parameters: [{name: file, in: path, required: true, type: string}], responses: {'200': {description: ok}}}
  /v1/other/{a}:
    get: {operationId: Other_A, parameters: [{name: a, in: path, required: true, type: string}], responses: {'200': {description: ok}}}
  /v1/other/{b}:
    get: {operationId: Other_B, parameters: [{name: b, in: path, required: true, type: string}], responses: {'200': {description: ok}}}
";

    /// (operation, parameter, value, other parameters' values, operation reached): the IR's
    /// reserved values by operation (method name order), then parameter (template order); and the
    /// the diagnostics of the paths.
    fn reserved(spec: &str) -> (Vec<String>, Vec<String>) {
        let loaded = load(&SpecSource {
            name: "routes.yaml",
            text: spec,
        })
        .expect("the fixture loads");
        let lowered = lower(&loaded).expect("the fixture lowers");
        let reserved = lowered
            .api
            .operations
            .iter()
            .flat_map(|op| {
                op.path_params.iter().flat_map(move |p| {
                    p.reserved.iter().map(move |r| {
                        format!(
                            "{} {}={:?} with {:?} -> {} ({} {})",
                            op.id,
                            p.wire,
                            r.value,
                            r.with,
                            r.route.id,
                            r.route.http_method.as_str(),
                            r.route.path
                        )
                    })
                })
            })
            .collect();
        // Only the paths' (the fixture has no host or security scheme either).
        let diagnostics = lowered
            .diagnostics
            .iter()
            .map(ToString::to_string)
            .filter(|d| d.contains("(at /paths/"))
            .collect();
        (reserved, diagnostics)
    }

    #[test]
    fn the_route_tree_walks_only_to_routes_a_template_may_reach() {
        use super::{HttpMethod, RouteTree, route_keys};
        let mut paths: Vec<String> = (0..500).map(|i| format!("/v1/r{i}/{{id}}")).collect();
        paths.extend(["/v1/r7/search".to_owned(), "/v1/{any}/x".to_owned()]);
        let mut tree = RouteTree::default();
        for (route, path) in paths.iter().enumerate() {
            tree.insert(&route_keys(HttpMethod::Get, path), route);
        }
        tree.insert(&route_keys(HttpMethod::Post, "/v1/r7/{id}"), paths.len());
        let mut found = Vec::new();
        tree.reachable(&route_keys(HttpMethod::Get, "/v1/r7/{id}"), &mut found);
        found.sort_unstable();
        assert_eq!(found, [7, 500, 501]);
    }

    #[test]
    fn path_values_that_reach_another_route_of_the_same_method_are_reserved() {
        let (reserved, diagnostics) = reserved(SPEC);
        assert_eq!(
            reserved,
            [
                r#"Files_Any file="index.json" with [] -> Files_Index (GET /v1/files/index.json)"#,
                r#"Files_Any file=".json" with [] -> Files_Dot (GET /v1/files/.json)"#,
                r#"Files_Get name="index" with [] -> Files_Index (GET /v1/files/index.json)"#,
                r#"Items_Get id="me" with [] -> Items_Mine (GET /v1/users/me/items/{item})"#,
                r#"Items_Get id="me" with [("item", "all")] -> Items_All (GET /v1/users/me/items/all)"#,
                r#"Items_Get item="latest" with [] -> Items_Latest (GET /v1/users/{id}/items/latest)"#,
                r#"Items_Latest id="me" with [] -> Items_Mine (GET /v1/users/me/items/{item})"#,
                r#"Items_Mine item="latest" with [] -> Items_Latest (GET /v1/users/{id}/items/latest)"#,
                r#"Items_Mine item="all" with [] -> Items_All (GET /v1/users/me/items/all)"#,
                r#"Users_Get id="search" with [] -> Users_Search (GET /v1/users/search)"#,
            ]
        );
        assert_eq!(
            diagnostics,
            [
                "some path values of GET /v1/files/{file} may reach Files_Get \
                 (/v1/files/{name}.json); the client does not refuse them \
                 (at /paths/~1v1~1files~1{file}/get)",
                "routes GET /v1/other/{a} and /v1/other/{b} (at /paths/~1v1~1other~1{b}/get) \
                 match the same requests; which one the server runs is not defined \
                 (at /paths/~1v1~1other~1{a}/get)"
            ]
        );
    }
}
