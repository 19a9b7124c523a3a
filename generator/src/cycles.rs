//! Recursion: a struct that contains itself, directly or through other structs, has infinite size.
//! Fields that close such a cycle are `Option<Box<T>>` (optional: a required one could never be built).
//! Only direct fields count: `Vec` and `BTreeMap` already put their items on the heap.

use crate::Diagnostic;
use crate::ir::{Api, FieldShape, TypeKind, TypeRef};

/// Type aliases that expand into themselves (`A = B`, `B = A`; also `A = Vec<B>` or
/// `A = BTreeMap<String, B>` with `B = A`) are rejected by rustc ("cycle detected when expanding
/// type alias"). Such a loop has no content of its own, so every alias on it becomes an opaque
/// JSON value, with a warning located at each member's schema.
pub(crate) fn break_alias_loops(api: &mut Api) -> Vec<Diagnostic> {
    let index = crate::ir::type_positions(&api.types);
    let is_alias = |i: &usize| matches!(api.types[*i].kind, TypeKind::Alias(_));
    // An alias expands every name inside it, through containers too; only aliases expand further.
    let successors: Vec<Vec<usize>> = api
        .types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Alias(ty) => match ty.innermost() {
                TypeRef::Named(name) => index
                    .get(name.as_str())
                    .copied()
                    .filter(is_alias)
                    .into_iter()
                    .collect(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        })
        .collect();
    let component = strongly_connected(&successors);
    let mut diagnostics = Vec::new();
    for (def, on_loop) in api.types.iter_mut().zip(component) {
        if on_loop.is_none() {
            continue;
        }
        def.kind = TypeKind::Alias(TypeRef::Json);
        let message = format!(
            "'{}' is on a loop of references with no content of its own; it is typed as any JSON value",
            def.schema_path
        );
        diagnostics.push(Diagnostic::at(&def.origin, message));
    }
    diagnostics
}

/// Boxes every field whose type lies in the same strongly connected component as its struct.
/// Types are nodes by their position in `api.types`; `targets` is [`Api::field_targets`].
pub(crate) fn box_cycles(api: &mut Api, targets: &[Vec<Option<usize>>]) {
    let successors: Vec<Vec<usize>> = targets
        .iter()
        .map(|fields| fields.iter().flatten().copied().collect())
        .collect();
    let component = strongly_connected(&successors);
    for (ty, def) in api.types.iter_mut().enumerate() {
        let (TypeKind::Struct(s), Some(own)) = (&mut def.kind, component[ty]) else {
            continue;
        };
        for (field, target) in s.fields.iter_mut().zip(&targets[ty]) {
            if target.is_some_and(|t| component[t] == Some(own)) {
                field.shape = FieldShape::Boxed;
            }
        }
    }
}

/// Tarjan's algorithm, iterative so that deep type chains cannot overflow the stack.
/// Returns each node's component, `None` for a node on no cycle (alone in its component and
/// without a self-edge), so that `box_cycles` leaves its fields alone.
fn strongly_connected(successors: &[Vec<usize>]) -> Vec<Option<usize>> {
    let count = successors.len();
    let mut index = vec![usize::MAX; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; count];
    let mut next_index = 0;
    let mut next_component = 0;

    for root in 0..count {
        if index[root] != usize::MAX {
            continue;
        }
        // (node, next successor to visit)
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (node, ref mut next)) = work.last_mut() {
            if *next == 0 && index[node] == usize::MAX {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&succ) = successors[node].get(*next) {
                *next += 1;
                if index[succ] == usize::MAX {
                    work.push((succ, 0));
                } else if on_stack[succ] {
                    low[node] = low[node].min(index[succ]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }

    // A node alone in its component is only cyclic through a self-edge.
    let mut sizes = vec![0usize; next_component];
    for &c in &component {
        if let Some(size) = sizes.get_mut(c) {
            *size += 1;
        }
    }
    component
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            (sizes.get(c).copied().unwrap_or(0) > 1 || successors[i].contains(&i)).then_some(c)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::fixtures::field;
    use crate::ir::{Docs, Struct, TypeDef, TypeRef};

    /// A struct of required fields.
    fn def(name: &str, fields: &[(&str, TypeRef)]) -> TypeDef {
        crate::ir::fixtures::def(
            name,
            TypeKind::Struct(Struct {
                fields: fields
                    .iter()
                    .map(|(n, ty)| field(n, ty.clone(), true))
                    .collect(),
                extra: None,
            }),
        )
    }

    fn boxed(api: &Api) -> Vec<String> {
        let mut out = Vec::new();
        for t in &api.types {
            if let TypeKind::Struct(s) = &t.kind {
                for f in s.fields.iter().filter(|f| f.shape == FieldShape::Boxed) {
                    out.push(format!("{}.{}", t.name, f.name));
                }
            }
        }
        out
    }

    fn named(n: &str) -> TypeRef {
        TypeRef::Named(n.into())
    }

    fn alias(name: &str, ty: TypeRef) -> TypeDef {
        TypeDef {
            name: name.into(),
            origin: format!("/components/schemas/{name}"),
            schema_path: name.into(),
            docs: Docs::default(),
            kind: TypeKind::Alias(ty),
        }
    }

    fn json_aliases(api: &Api) -> Vec<&str> {
        api.types
            .iter()
            .filter(|t| matches!(t.kind, TypeKind::Alias(TypeRef::Json)))
            .map(|t| t.name.as_str())
            .collect()
    }

    #[test]
    fn alias_loops_through_containers_become_json_and_exits_stay() {
        let mut api = api(vec![
            alias("A", named("B")),
            alias("B", TypeRef::Array(Box::new(named("C")))),
            alias("C", TypeRef::Map(Box::new(named("A")))),
            alias("Self", named("Self")),
            alias("Into", named("A")),
            alias("Plain", TypeRef::Array(Box::new(named("Node")))),
            def("Node", &[("next", named("Plain"))]),
        ]);
        let diagnostics = break_alias_loops(&mut api);
        assert_eq!(json_aliases(&api), ["A", "B", "C", "Self"]);
        let pointers: Vec<&str> = diagnostics
            .iter()
            .flat_map(|d| d.pointers.iter().map(String::as_str))
            .collect();
        assert_eq!(
            pointers,
            [
                "/components/schemas/A",
                "/components/schemas/B",
                "/components/schemas/C",
                "/components/schemas/Self"
            ]
        );
        // A struct on the way breaks the expansion: `Plain` and `Node` are left alone.
        assert!(matches!(
            api.type_def("Plain").map(|t| &t.kind),
            Some(TypeKind::Alias(TypeRef::Array(_)))
        ));
    }

    #[test]
    fn self_reference_is_boxed() {
        let mut api = api(vec![def(
            "Node",
            &[("next", named("Node")), ("value", TypeRef::String)],
        )]);
        let targets = api.field_targets();
        box_cycles(&mut api, &targets);
        assert_eq!(boxed(&api), ["Node.next"]);
    }

    #[test]
    fn mutual_recursion_boxes_both_edges_but_not_exits() {
        let mut api = api(vec![
            def("A", &[("b", named("B")), ("leaf", named("Leaf"))]),
            def("B", &[("a", named("A"))]),
            def("Leaf", &[("x", TypeRef::Bool)]),
        ]);
        let targets = api.field_targets();
        box_cycles(&mut api, &targets);
        assert_eq!(boxed(&api), ["A.b", "B.a"]);
    }

    #[test]
    fn containers_break_cycles_already() {
        let mut api = api(vec![def(
            "Tree",
            &[("children", TypeRef::Array(Box::new(named("Tree"))))],
        )]);
        let targets = api.field_targets();
        box_cycles(&mut api, &targets);
        assert!(boxed(&api).is_empty());
    }

    #[test]
    fn cycles_through_aliases_are_found() {
        let mut api = api(vec![
            def("A", &[("b", named("BAlias"))]),
            TypeDef {
                name: "BAlias".into(),
                origin: String::new(),
                schema_path: String::new(),
                docs: Docs::default(),
                kind: TypeKind::Alias(named("A")),
            },
        ]);
        let targets = api.field_targets();
        box_cycles(&mut api, &targets);
        assert_eq!(boxed(&api), ["A.b"]);
    }

    fn api(mut types: Vec<TypeDef>) -> Api {
        types.sort_by(|a, b| a.name.cmp(&b.name));
        Api {
            title: String::new(),
            version: String::new(),
            description: None,
            types,
            operations: Vec::new(),
            base_url: String::new(),
            api_key_header: String::new(),
            lists: Vec::new(),
        }
    }
}
