//! Object query parameters: grpc-gateway reads a message field of a GET request from the query as
//! dotted paths, one pair per plain field (`filter.id=…`, `filter.window.start=…`, repeated keys
//! for a repeated field; runtime.PopulateQueryParameters). Worked out once every type is final
//! (fields on a reference cycle have just been boxed), so the emitter knows how each is held.

use std::collections::HashMap;

use crate::Diagnostic;
use crate::ir::{
    Api, LeafStep, ParamLocation, QueryLeaf, Struct, TypeKind, TypeRef, ValueEncoding,
};

/// More than this many fields in one parameter is not a query anyone writes by hand; the rest
/// are left out (a wide type used many times over could otherwise blow up).
const MAX_LEAVES: usize = 256;

/// Sets [`ir::Param::leaves`](crate::ir::Param) of every query parameter that is an object and
/// reports each field that cannot be sent (maps, untyped values, objects in arrays, recursion).
pub(super) fn object_query_params(api: &mut Api) -> Vec<Diagnostic> {
    // Built from the types alone, which stay borrowed while the operations are written.
    let types = Types {
        api_types: &api.types,
        index: crate::ir::type_positions(&api.types),
    };
    let mut diagnostics = Vec::new();
    for op in &mut api.operations {
        let Some(params) = &mut op.params else {
            continue;
        };
        for param in &mut params.params {
            if param.location != ParamLocation::Query {
                continue;
            }
            let Some(root) = types.struct_behind(&param.ty) else {
                continue;
            };
            let mut walk = Walk {
                types: &types,
                leaves: Vec::new(),
                skipped: Vec::new(),
                visiting: vec![root],
            };
            if let Some(s) = types.struct_def(root) {
                walk.fields(s, &param.wire, &mut Vec::new());
            }
            if walk.leaves.is_empty() {
                let message = format!(
                    "query parameter '{}' is an object without a plain field a query can carry; it is sent as JSON text",
                    param.wire
                );
                diagnostics.push(Diagnostic::at(&op.origin, message));
            }
            for (wire, why) in walk.skipped {
                let message = format!("query parameter field '{wire}' is left out: {why}");
                diagnostics.push(Diagnostic::at(&op.origin, message));
            }
            param.leaves = walk.leaves;
        }
    }
    diagnostics
}

struct Types<'a> {
    api_types: &'a [crate::ir::TypeDef],
    index: HashMap<&'a str, usize>,
}

enum Resolved {
    Scalar(ValueEncoding),
    Struct(usize),
    Other,
}

impl<'a> Types<'a> {
    /// `ty` through aliases (bounded: alias loops are broken earlier, but stay safe).
    fn resolve(&self, ty: &TypeRef) -> Resolved {
        let mut ty = ty;
        for _ in 0..=self.api_types.len() {
            if let Some(encoding) = ty.scalar_encoding() {
                return Resolved::Scalar(encoding);
            }
            let TypeRef::Named(name) = ty else {
                return Resolved::Other;
            };
            let Some(&i) = self.index.get(name.as_str()) else {
                return Resolved::Other;
            };
            ty = match &self.api_types[i].kind {
                TypeKind::Alias(inner) => inner,
                TypeKind::Enum(_) => return Resolved::Scalar(ValueEncoding::EnumName),
                TypeKind::Struct(_) => return Resolved::Struct(i),
            };
        }
        Resolved::Other
    }

    fn struct_behind(&self, ty: &TypeRef) -> Option<usize> {
        match self.resolve(ty) {
            Resolved::Struct(i) => Some(i),
            _ => None,
        }
    }

    fn struct_def(&self, i: usize) -> Option<&'a Struct> {
        match &self.api_types.get(i)?.kind {
            TypeKind::Struct(s) => Some(s),
            _ => None,
        }
    }
}

struct Walk<'t, 'a> {
    types: &'t Types<'a>,
    leaves: Vec<QueryLeaf>,
    /// Dotted name and why it is not sent.
    skipped: Vec<(String, &'static str)>,
    /// The structs being walked, outermost first: a field back into one of them is recursion.
    visiting: Vec<usize>,
}

impl<'a> Walk<'_, 'a> {
    fn fields(&mut self, s: &'a Struct, prefix: &str, steps: &mut Vec<LeafStep>) {
        if s.extra.is_some() {
            self.skipped.push((
                format!("{prefix}.*"),
                "additional properties have no dotted query form",
            ));
        }
        for field in &s.fields {
            let wire = format!("{prefix}.{}", field.wire);
            if self.leaves.len() >= MAX_LEAVES {
                self.skipped
                    .push((wire, "the parameter has too many fields already"));
                continue;
            }
            let step = LeafStep {
                field: field.name.clone(),
                shape: field.shape,
            };
            match (&field.ty, self.types.resolve(&field.ty)) {
                (TypeRef::Array(item), _) => match self.types.resolve(item) {
                    Resolved::Scalar(encoding) => self.leaf(wire, steps, step, encoding),
                    _ => self
                        .skipped
                        .push((wire, "a query carries only lists of plain values")),
                },
                (TypeRef::Map(_) | TypeRef::Json, _) | (_, Resolved::Other) => {
                    self.skipped
                        .push((wire, "a map or untyped value has no dotted query form"));
                }
                (_, Resolved::Scalar(encoding)) => self.leaf(wire, steps, step, encoding),
                (_, Resolved::Struct(i)) => {
                    if self.visiting.contains(&i) {
                        self.skipped
                            .push((wire, "it contains itself, so it has no finite query form"));
                        continue;
                    }
                    let Some(inner) = self.types.struct_def(i) else {
                        continue;
                    };
                    self.visiting.push(i);
                    steps.push(step);
                    self.fields(inner, &wire, steps);
                    steps.pop();
                    self.visiting.pop();
                }
            }
        }
    }

    fn leaf(&mut self, wire: String, steps: &[LeafStep], last: LeafStep, encoding: ValueEncoding) {
        let mut steps = steps.to_vec();
        steps.push(last);
        self.leaves.push(QueryLeaf {
            wire,
            steps,
            encoding,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Docs, ExtraFields, Field, FieldShape, TypeDef};

    fn field(name: &str, ty: TypeRef, required: bool, boxed: bool) -> Field {
        let mut field = crate::ir::fixtures::field(name, ty, required);
        if boxed {
            field.shape = FieldShape::Boxed;
        }
        field
    }

    fn def(name: &str, fields: Vec<Field>, extra: bool) -> TypeDef {
        TypeDef {
            name: name.into(),
            origin: String::new(),
            schema_path: String::new(),
            docs: Docs::default(),
            kind: TypeKind::Struct(Struct {
                fields,
                extra: extra.then(|| ExtraFields {
                    name: "additional_properties".into(),
                    value: TypeRef::Json,
                }),
            }),
        }
    }

    #[test]
    fn every_plain_field_is_reached_and_the_rest_is_reported() {
        let named = |n: &str| TypeRef::Named(n.into());
        let types = vec![
            def(
                "Filter",
                vec![
                    field("name", TypeRef::String, true, false),
                    field("ids", TypeRef::Array(Box::new(TypeRef::Bool)), false, false),
                    field("window", named("Window"), false, true),
                    field(
                        "labels",
                        TypeRef::Map(Box::new(TypeRef::String)),
                        false,
                        false,
                    ),
                    field("parent", named("Filter"), false, true),
                    field(
                        "list",
                        TypeRef::Array(Box::new(named("Window"))),
                        false,
                        false,
                    ),
                ],
                false,
            ),
            def(
                "Window",
                vec![field("start", TypeRef::DateTime, true, false)],
                true,
            ),
        ];
        let table = Types {
            api_types: &types,
            index: [("Filter", 0), ("Window", 1)].into_iter().collect(),
        };
        let mut walk = Walk {
            types: &table,
            leaves: Vec::new(),
            skipped: Vec::new(),
            visiting: vec![0],
        };
        let TypeKind::Struct(filter) = &types[0].kind else {
            panic!("Filter is a struct");
        };
        walk.fields(filter, "f", &mut Vec::new());

        type Leaf<'a> = (&'a str, Vec<(&'a str, FieldShape)>, ValueEncoding);
        let leaves: Vec<Leaf> = walk
            .leaves
            .iter()
            .map(|l| {
                let steps = l
                    .steps
                    .iter()
                    .map(|s| (s.field.as_str(), s.shape))
                    .collect();
                (l.wire.as_str(), steps, l.encoding)
            })
            .collect();
        assert_eq!(
            leaves,
            [
                (
                    "f.name",
                    vec![("name", FieldShape::Required)],
                    ValueEncoding::Text
                ),
                (
                    "f.ids",
                    vec![("ids", FieldShape::Container)],
                    ValueEncoding::Display
                ),
                (
                    "f.window.start",
                    vec![
                        ("window", FieldShape::Boxed),
                        ("start", FieldShape::Required)
                    ],
                    ValueEncoding::DateTime
                ),
            ]
        );
        let skipped: Vec<&str> = walk.skipped.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(skipped, ["f.window.*", "f.labels", "f.parent", "f.list"]);
    }
}
