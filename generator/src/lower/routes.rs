//! Sibling routes: a path value must never change the route. For each operation, the routes of the
//! same HTTP method a request of it could reach, and the path values that would reach them.

use std::collections::BTreeMap;

use super::context::Context;
use crate::ir::{HttpMethod, Operation, ReservedValue, Route};

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
pub(super) fn reserve_sibling_values(cx: &mut Context<'_>, operations: &mut [Operation]) {
    let routes: Vec<(Route, String)> = operations
        .iter()
        .map(|op| (op.route(), op.origin.clone()))
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
    other: &Route,
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
                    "routes {} and {} (at {other_origin}) match the same requests; \
                     which one the server runs is not defined",
                    op.route(),
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
                "some path values of {} may reach {} ({}); the client does not refuse them",
                op.route(),
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
                            "{} {}={:?} with {:?} -> {} ({})",
                            op.id, p.wire, r.value, r.with, r.route.id, r.route
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
