//! Optional struct fields behind a `Box`. A struct holds its optional struct fields inline, so
//! `V1ChargeExtra` (one optional struct per payment channel, almost all `None`) took 7.8 KB and every
//! `V1Charge` 8.4 KB: decoding a list of charges copied those bytes several times per item (the
//! zero value, returns, `Vec` growth) and was no faster than decoding into `serde_json::Value`.
//! Every optional field whose type is a struct is `Option<Box<T>>`, whatever the struct's size:
//! a rule by size would box a field in the release where its struct grows past the limit, a
//! breaking change for a compatible spec change. Required struct fields stay inline (a `Box` there
//! would cost an allocation for a value that is always present).

use crate::ir::{Api, FieldShape, TypeKind};

/// Boxes every optional field whose type is a struct (directly or through aliases);
/// `targets` is [`Api::field_targets`].
pub(crate) fn box_optional_structs(api: &mut Api, targets: &[Vec<Option<usize>>]) {
    let is_struct: Vec<bool> = api
        .types
        .iter()
        .map(|t| matches!(t.kind, TypeKind::Struct(_)))
        .collect();
    for (def, targets) in api.types.iter_mut().zip(targets) {
        let TypeKind::Struct(s) = &mut def.kind else {
            continue;
        };
        for (field, target) in s.fields.iter_mut().zip(targets) {
            if field.shape == FieldShape::Optional && target.is_some_and(|t| is_struct[t]) {
                field.shape = FieldShape::Boxed;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::fixtures::{def, field};
    use crate::ir::{Enum, Struct, TypeRef};

    fn named(name: &str) -> TypeRef {
        TypeRef::Named(name.into())
    }

    #[test]
    fn optional_struct_fields_are_boxed_and_nothing_else() {
        let holder = Struct {
            fields: vec![
                field("inner", named("Inner"), false),
                field("required_inner", named("Inner"), true),
                field("via_alias", named("InnerAlias"), false),
                field("list", TypeRef::Array(Box::new(named("Inner"))), false),
                field("kind", named("Kind"), false),
                field("text", TypeRef::String, false),
                field("missing", named("Nowhere"), false),
            ],
            extra: None,
        };
        let inner = Struct {
            fields: vec![field("x", TypeRef::String, false)],
            extra: None,
        };
        let kind = Enum {
            variants: Vec::new(),
            default: 0,
            unknown: "Unrecognized".into(),
        };
        let mut api = Api {
            title: String::new(),
            version: String::new(),
            description: None,
            types: vec![
                def("Holder", TypeKind::Struct(holder)),
                def("Inner", TypeKind::Struct(inner)),
                def("InnerAlias", TypeKind::Alias(named("Inner"))),
                def("Kind", TypeKind::Enum(kind)),
            ],
            operations: Vec::new(),
            base_url: String::new(),
            api_key_header: String::new(),
            lists: Vec::new(),
        };
        let targets = api.field_targets();
        box_optional_structs(&mut api, &targets);
        let TypeKind::Struct(holder) = &api.types[0].kind else {
            panic!("a struct");
        };
        let boxed: Vec<&str> = holder
            .fields
            .iter()
            .filter(|f| f.shape == FieldShape::Boxed)
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(boxed, ["inner", "via_alias"]);
    }
}
