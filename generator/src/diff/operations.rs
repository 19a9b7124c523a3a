//! Operations (client methods) and their arguments: path parameters, the params struct, the body,
//! the response.

use std::collections::{BTreeMap, BTreeSet};

use super::render::name_list;
use super::{Area, Changes, Pair, Subject, pairs};
use crate::ir::{Api, HttpMethod, Operation, Param, ParamLocation, ParamsStruct};

/// How many parameter names a line lists before `and N more`.
const LIST_LIMIT: usize = 6;

pub(super) fn compare(old: &Api, new: &Api, out: &mut Changes) {
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    for (_, pair) in pairs(by_id(old), by_id(new)) {
        match pair {
            Pair::Removed(o) => removed.push(o),
            Pair::Kept(o, n) => compare_operation(o, n, out),
            Pair::Added(n) => added.push(n),
        }
    }

    let renames = match_renames(&removed, &added);
    // Removed and added ids never meet, so one set tells both sides' renamed ones.
    let renamed: BTreeSet<&str> = renames
        .iter()
        .flat_map(|(o, n)| [o.id.as_str(), n.id.as_str()])
        .collect();
    for (o, n) in &renames {
        let detail = if o.method_name == n.method_name {
            format!(
                "renamed from {} (method name unchanged: {})",
                o.id, n.method_name
            )
        } else {
            format!(
                "renamed from {} ({} → {})",
                o.id, o.method_name, n.method_name
            )
        };
        out.of(Area::Operation, &n.id)
            .push(o.method_name != n.method_name, detail);
        compare_operation(o, n, out);
    }
    for o in removed.iter().filter(|o| !renamed.contains(o.id.as_str())) {
        let detail = format!("removed (was {}, {})", o.route(), o.method_name);
        out.of(Area::Operation, &o.id).breaking(detail);
    }
    for n in added.iter().filter(|n| !renamed.contains(n.id.as_str())) {
        let detail = format!("added ({}, {})", n.route(), n.method_name);
        out.of(Area::Operation, &n.id).compatible(detail);
    }
}

fn by_id(api: &Api) -> impl Iterator<Item = (&str, &Operation)> {
    api.operations.iter().map(|op| (op.id.as_str(), op))
}

/// Pairs each removed operation with the added one on the same route: the same HTTP method and
/// path, else the same HTTP method and path up to the names of its parameters when that pairs one
/// with one. A route is unique within a document, so an exact match is unambiguous.
fn match_renames<'a>(
    removed: &[&'a Operation],
    added: &[&'a Operation],
) -> Vec<(&'a Operation, &'a Operation)> {
    let mut pairs = Vec::new();
    let mut taken_old = BTreeSet::new();
    let mut taken_new = BTreeSet::new();
    for key in [exact_route, normalized_route] {
        let old_routes = unique_routes(removed, &taken_old, key);
        let new_routes = unique_routes(added, &taken_new, key);
        for (route, o) in &old_routes {
            if let Some(n) = new_routes.get(route) {
                pairs.push((*o, *n));
                taken_old.insert(o.id.as_str());
                taken_new.insert(n.id.as_str());
            }
        }
    }
    pairs.sort_by(|a, b| a.1.id.cmp(&b.1.id));
    pairs
}

type RouteKey = (HttpMethod, String);

fn exact_route(op: &Operation) -> RouteKey {
    (op.http_method, op.path.clone())
}

/// The path with every `{name}` replaced by `{}`.
fn normalized_route(op: &Operation) -> RouteKey {
    let mut in_param = false;
    let path = op.path.chars().filter(|&c| {
        match c {
            '{' => in_param = true,
            '}' => in_param = false,
            _ => return !in_param,
        }
        true
    });
    (op.http_method, path.collect())
}

/// Routes that only one not-yet-paired operation has.
fn unique_routes<'a>(
    ops: &[&'a Operation],
    taken: &BTreeSet<&str>,
    key: fn(&Operation) -> RouteKey,
) -> BTreeMap<RouteKey, &'a Operation> {
    let mut routes: BTreeMap<RouteKey, Vec<&'a Operation>> = BTreeMap::new();
    for op in ops.iter().filter(|op| !taken.contains(op.id.as_str())) {
        routes.entry(key(op)).or_default().push(op);
    }
    routes
        .into_iter()
        .filter_map(|(route, ops)| match ops.as_slice() {
            [op] => Some((route, *op)),
            _ => None,
        })
        .collect()
}

/// A kept (or renamed) operation; changes are reported under the new id.
fn compare_operation(o: &Operation, n: &Operation, out: &mut Changes) {
    let subject = n.id.as_str();
    let (old_method, new_method) = (o.http_method.as_str(), n.http_method.as_str());
    let route_change = match (old_method != new_method, o.path != n.path) {
        (false, false) => None,
        (false, true) => Some(format!("path {} → {}", o.path, n.path)),
        (true, false) => Some(format!("HTTP method {old_method} → {new_method}")),
        (true, true) => Some(format!("route {} → {}", o.route(), n.route())),
    };
    let deprecation = match (o.deprecated, n.deprecated) {
        (false, true) => Some("now deprecated".to_owned()),
        (true, false) => Some("no longer deprecated".to_owned()),
        _ => None,
    };
    for detail in route_change.into_iter().chain(deprecation) {
        out.of(Area::Operation, subject).compatible(detail);
    }
    path_params(subject, &o.path_params, &n.path_params, out);
    params_struct(subject, o.params.as_ref(), n.params.as_ref(), out);
    body(subject, o, n, out);
    let (old_response, new_response) = (o.response_type(), n.response_type());
    if old_response != new_response {
        let detail = format!("response type {old_response} → {new_response}");
        out.of(Area::Operation, subject).breaking(detail);
    }
}

fn body(subject: &str, o: &Operation, n: &Operation, out: &mut Changes) {
    let mut operation = out.of(Area::Operation, subject);
    match (&o.body, &n.body) {
        (None, None) => {}
        (None, Some(b)) => {
            operation.breaking(format!("body added (new argument body: {})", b.arg_type()));
        }
        (Some(b), None) => operation.breaking(format!("body removed (was body: {})", b.arg_type())),
        (Some(ob), Some(nb)) => {
            let (old_ty, new_ty) = (ob.ty.rust_type(), nb.ty.rust_type());
            if old_ty != new_ty {
                operation.breaking(format!("body type {old_ty} → {new_ty}"));
            }
            if ob.required != nb.required {
                let now = if nb.required { "required" } else { "optional" };
                let (old_arg, new_arg) = (ob.arg_type(), nb.arg_type());
                operation.breaking(format!("body now {now} (body: {old_arg} → {new_arg})"));
            }
            if ob.content_type != nb.content_type {
                let (old_type, new_type) = (&ob.content_type, &nb.content_type);
                operation.compatible(format!("body content type {old_type} → {new_type}"));
            }
        }
    }
}

fn param_subject(operation: &str, wire: &str) -> String {
    format!("{operation}.{wire}")
}

/// Path parameters are positional arguments: what matters is their count, order and types.
fn path_params(subject: &str, old: &[Param], new: &[Param], out: &mut Changes) {
    let old_wires: Vec<&str> = old.iter().map(|p| p.wire.as_str()).collect();
    let new_wires: Vec<&str> = new.iter().map(|p| p.wire.as_str()).collect();

    // Kept by name: compare types, and check that they keep their relative order.
    let mut kept = Vec::new();
    for (i, o) in old.iter().enumerate() {
        if let Some(j) = new.iter().position(|n| n.wire == o.wire) {
            kept.push((i, j));
            path_param_type(subject, o, &new[j], out);
        }
    }
    let order_kept = kept.windows(2).all(|w| w[0].1 < w[1].1);
    if !order_kept {
        let (old_order, new_order) = (old_wires.join(", "), new_wires.join(", "));
        let detail = format!("path parameters reordered ({old_order} → {new_order})");
        out.of(Area::Parameter, subject).breaking(detail);
    }

    // Same count, and at one position a name that is new replaces one that is gone: renamed in
    // place, which a positional call does not see.
    let mut renamed_old = BTreeSet::new();
    let mut renamed_new = BTreeSet::new();
    if old.len() == new.len() && order_kept {
        for (o, n) in old.iter().zip(new) {
            if o.wire != n.wire
                && !new_wires.contains(&o.wire.as_str())
                && !old_wires.contains(&n.wire.as_str())
            {
                out.of(Area::Parameter, param_subject(subject, &n.wire))
                    .compatible(format!("path parameter renamed from {{{}}}", o.wire));
                path_param_type(subject, o, n, out);
                renamed_old.insert(o.wire.as_str());
                renamed_new.insert(n.wire.as_str());
            }
        }
    }
    let gone = (old, &new_wires, &renamed_old, "removed (was");
    let came = (new, &old_wires, &renamed_new, "added (new");
    for (params, other_wires, renamed, what) in [gone, came] {
        for p in params {
            if !other_wires.contains(&p.wire.as_str()) && !renamed.contains(p.wire.as_str()) {
                let detail = format!(
                    "path parameter {what} argument {}: {})",
                    p.name,
                    p.arg_type()
                );
                out.of(Area::Parameter, param_subject(subject, &p.wire))
                    .breaking(detail);
            }
        }
    }
}

fn path_param_type(subject: &str, o: &Param, n: &Param, out: &mut Changes) {
    let (old_ty, new_ty) = (o.arg_type(), n.arg_type());
    if old_ty != new_ty {
        out.of(Area::Parameter, param_subject(subject, &n.wire))
            .breaking(format!("path parameter type {old_ty} → {new_ty}"));
    }
}

fn location(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}

/// Query and header parameters: the `params: &XParams` argument and its fields.
fn params_struct(
    subject: &str,
    old: Option<&ParamsStruct>,
    new: Option<&ParamsStruct>,
    out: &mut Changes,
) {
    let names = |s: &ParamsStruct| name_list(s.params.iter().map(|p| p.wire.as_str()), LIST_LIMIT);
    match (old, new) {
        (None, None) => {}
        (None, Some(s)) => out.of(Area::Parameter, subject).breaking(format!(
            "new argument params: &{} (parameters {})",
            s.name,
            names(s)
        )),
        (Some(s), None) => out.of(Area::Parameter, subject).breaking(format!(
            "argument params: &{} removed (no query or header parameters left; was {})",
            s.name,
            names(s)
        )),
        (Some(o), Some(n)) => {
            if o.name != n.name {
                out.of(Area::Parameter, subject)
                    .breaking(format!("params struct {} → {}", o.name, n.name));
            }
            for (key, pair) in pairs(by_wire(o), by_wire(n)) {
                let mut param = out.of(Area::Parameter, param_subject(subject, &key));
                match pair {
                    Pair::Removed(p) => param.breaking(format!(
                        "{} parameter removed (was {}: {})",
                        location(p.location),
                        p.name,
                        p.field_type()
                    )),
                    Pair::Kept(op, np) => compare_param(param, op, np),
                    Pair::Added(p) => added_param(param, p),
                }
            }
        }
    }
}

fn added_param(mut param: Subject<'_>, p: &Param) {
    let (name, ty, kind) = (&p.name, p.field_type(), location(p.location));
    // Required and never `Option` (arrays and maps are): existing calls lack it.
    let breaking = p.required && !p.ty.is_container();
    let detail = if breaking {
        format!("{kind} parameter added, required ({name}: {ty})")
    } else if p.required {
        format!("{kind} parameter added ({name}: {ty}; required in the spec)")
    } else {
        format!("{kind} parameter added ({name}: {ty})")
    };
    param.push(breaking, detail);
}

/// Parameters by wire name; a name used twice (query and header) is told apart by location.
fn by_wire(s: &ParamsStruct) -> BTreeMap<String, &Param> {
    let mut map = BTreeMap::new();
    for p in &s.params {
        let key = if map.contains_key(&p.wire) {
            format!("{} ({})", p.wire, location(p.location))
        } else {
            p.wire.clone()
        };
        map.insert(key, p);
    }
    map
}

fn compare_param(mut param: Subject<'_>, o: &Param, n: &Param) {
    let kind = location(n.location);
    if o.location != n.location {
        param.compatible(format!("moved from {} to {kind}", location(o.location)));
    }
    if o.name != n.name {
        param.breaking(format!(
            "{kind} parameter field renamed {} → {}",
            o.name, n.name
        ));
    }
    let (old_ty, new_ty) = (o.field_type(), n.field_type());
    let same_type = o.ty.rust_type() == n.ty.rust_type();
    if old_ty != new_ty {
        param.breaking(match (same_type, n.required) {
            (true, true) => format!("{kind} parameter now required ({old_ty} → {new_ty})"),
            (true, false) => format!("{kind} parameter now optional ({old_ty} → {new_ty})"),
            (false, _) => format!("{kind} parameter type {old_ty} → {new_ty}"),
        });
    } else if o.required != n.required {
        let now = if n.required { "required" } else { "optional" };
        param.compatible(format!(
            "{kind} parameter now {now} in the spec (Rust type unchanged: {new_ty})"
        ));
    }
}
