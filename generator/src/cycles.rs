//! Recursion: a struct that contains itself, directly or through other structs, has infinite size.
//! Fields that close such a cycle are boxed (and optional: a required one could never be built).
//! Only direct fields count: `Vec` and `BTreeMap` already put their items on the heap.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, TypeKind, TypeRef};

/// Marks every field whose type lies in the same strongly connected component as its struct.
pub(crate) fn box_cycles(api: &mut Api) {
    let aliases = alias_targets(api);
    let graph = direct_edges(api, &aliases);
    let component = strongly_connected(&graph);
    for def in &mut api.types {
        let TypeKind::Struct(s) = &mut def.kind else {
            continue;
        };
        let Some(own) = component.get(def.name.as_str()) else {
            continue;
        };
        for field in &mut s.fields {
            let cyclic = resolve_alias(&field.ty, &aliases)
                .is_some_and(|target| component.get(target.as_str()) == Some(own));
            if cyclic {
                field.boxed = true;
                field.required = false;
            }
        }
    }
}

/// Alias name → what it stands for.
fn alias_targets(api: &Api) -> BTreeMap<String, TypeRef> {
    api.types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Alias(r) => Some((t.name.clone(), r.clone())),
            _ => None,
        })
        .collect()
}

/// Type name → the named types its fields hold inline.
fn direct_edges(
    api: &Api,
    aliases: &BTreeMap<String, TypeRef>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph = BTreeMap::new();
    for def in &api.types {
        let mut targets = BTreeSet::new();
        if let TypeKind::Struct(s) = &def.kind {
            for field in &s.fields {
                if let Some(t) = resolve_alias(&field.ty, aliases) {
                    targets.insert(t);
                }
            }
        }
        graph.insert(def.name.clone(), targets);
    }
    graph
}

/// The named type a field stores inline, looking through aliases (`type A = B;`).
fn resolve_alias(ty: &TypeRef, aliases: &BTreeMap<String, TypeRef>) -> Option<String> {
    let mut current = ty;
    let mut seen = BTreeSet::new();
    while let TypeRef::Named(name) = current {
        match aliases.get(name) {
            Some(next) if seen.insert(name.as_str()) => current = next,
            Some(_) => return None, // alias loop: lowering reports it; nothing to box here
            None => return Some(name.clone()),
        }
    }
    None
}

/// Tarjan's algorithm, iterative so that deep type chains cannot overflow the stack.
/// Returns node → component id; a node on no cycle gets a component of its own unless it has a
/// self-edge (then its own component still counts, see `box_cycles`).
fn strongly_connected(graph: &BTreeMap<String, BTreeSet<String>>) -> BTreeMap<&str, usize> {
    let nodes: Vec<&str> = graph.keys().map(String::as_str).collect();
    let position: BTreeMap<&str, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let successors: Vec<Vec<usize>> = nodes
        .iter()
        .map(|n| {
            graph
                .get(*n)
                .into_iter()
                .flatten()
                .filter_map(|t| position.get(t.as_str()).copied())
                .collect()
        })
        .collect();

    let count = nodes.len();
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

    // A node alone in its component is only cyclic through a self-edge; give acyclic singletons
    // no component so that `box_cycles` leaves their fields alone.
    let mut sizes = vec![0usize; next_component];
    for &c in &component {
        if let Some(size) = sizes.get_mut(c) {
            *size += 1;
        }
    }
    nodes
        .iter()
        .enumerate()
        .filter(|&(i, _)| {
            let c = component[i];
            sizes.get(c).copied().unwrap_or(0) > 1 || successors[i].contains(&i)
        })
        .map(|(i, n)| (*n, component[i]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Docs, Field, Struct, TypeDef};

    fn def(name: &str, fields: &[(&str, TypeRef)]) -> TypeDef {
        TypeDef {
            name: name.into(),
            origin: String::new(),
            schema_path: String::new(),
            docs: Docs::default(),
            kind: TypeKind::Struct(Struct {
                fields: fields
                    .iter()
                    .map(|(n, ty)| Field {
                        name: (*n).into(),
                        wire: (*n).into(),
                        ty: ty.clone(),
                        required: true,
                        boxed: false,
                        docs: Docs::default(),
                    })
                    .collect(),
                extra: None,
            }),
        }
    }

    fn boxed(api: &Api) -> Vec<String> {
        let mut out = Vec::new();
        for t in &api.types {
            if let TypeKind::Struct(s) = &t.kind {
                for f in s.fields.iter().filter(|f| f.boxed) {
                    assert!(!f.required, "boxed fields are optional");
                    out.push(format!("{}.{}", t.name, f.name));
                }
            }
        }
        out
    }

    fn named(n: &str) -> TypeRef {
        TypeRef::Named(n.into())
    }

    #[test]
    fn self_reference_is_boxed() {
        let mut api = api(vec![def(
            "Node",
            &[("next", named("Node")), ("value", TypeRef::String)],
        )]);
        box_cycles(&mut api);
        assert_eq!(boxed(&api), ["Node.next"]);
    }

    #[test]
    fn mutual_recursion_boxes_both_edges_but_not_exits() {
        let mut api = api(vec![
            def("A", &[("b", named("B")), ("leaf", named("Leaf"))]),
            def("B", &[("a", named("A"))]),
            def("Leaf", &[("x", TypeRef::Bool)]),
        ]);
        box_cycles(&mut api);
        assert_eq!(boxed(&api), ["A.b", "B.a"]);
    }

    #[test]
    fn containers_break_cycles_already() {
        let mut api = api(vec![def(
            "Tree",
            &[("children", TypeRef::Array(Box::new(named("Tree"))))],
        )]);
        box_cycles(&mut api);
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
        box_cycles(&mut api);
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
        }
    }
}
