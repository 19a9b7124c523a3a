//! Enums: spec values → variants, and the index that lets an inline enum reuse a named one.

use std::collections::BTreeMap;

use crate::ident::{self, Style};
use crate::ir::{Enum, TypeDef, TypeKind, Variant};

/// The enum variant that keeps a value this release does not know. Spec values that would take the
/// name are suffixed instead, so the catch-all is the same in every release.
const CATCH_ALL_VARIANT: &str = "Unrecognized";

/// Every named (component) enum, by value, to the smallest Rust name with that value: an inline
/// enum identical to a named one (same values, same default) is that enum, as grpc-gateway inlines
/// enum query parameters and `channel` should be `Tradev1Channel`. Built once every component is
/// lowered, so the result does not depend on order; finding an identical enum is a lookup, not a
/// scan of all types (which made lowering operations × types, see BENCHMARKS.md).
#[derive(Default)]
pub(super) struct EnumIndex(BTreeMap<EnumValue, String>);

/// An [`Enum`] as an ordered map key (the IR type is only `PartialEq`).
type EnumValue = (Vec<(String, String)>, usize, String);

fn value_of(e: &Enum) -> EnumValue {
    let variants = e.variants.iter();
    let pairs = variants.map(|v| (v.name.clone(), v.wire.clone()));
    (pairs.collect(), e.default, e.unknown.clone())
}

impl EnumIndex {
    /// `types` sorted by name: of several named enums with the same values, the first is kept.
    pub(super) fn of<'t>(types: impl IntoIterator<Item = &'t TypeDef>) -> Self {
        let mut index = BTreeMap::new();
        for def in types {
            let TypeKind::Enum(e) = &def.kind else {
                continue;
            };
            if !def.schema_path.contains('/') {
                index.entry(value_of(e)).or_insert_with(|| def.name.clone());
            }
        }
        Self(index)
    }

    pub(super) fn named(&self, e: &Enum) -> Option<&str> {
        self.0.get(&value_of(e)).map(String::as_str)
    }
}

pub(super) fn enumeration(values: &[&str], default: Option<&serde_json::Value>) -> Enum {
    let entries: Vec<(String, String)> = values
        .iter()
        .map(|v| ((*v).to_owned(), ident::variant_ident(v)))
        .collect();
    let names = ident::dedupe(&entries, |name| name == CATCH_ALL_VARIANT, Style::Camel);
    let variants: Vec<Variant> = values
        .iter()
        .zip(names)
        .map(|(wire, name)| Variant {
            name,
            wire: (*wire).to_owned(),
        })
        .collect();
    let default = default
        .and_then(serde_json::Value::as_str)
        .and_then(|d| variants.iter().position(|v| v.wire == d))
        .unwrap_or(0);
    Enum {
        variants,
        default,
        unknown: CATCH_ALL_VARIANT.to_owned(),
    }
}
