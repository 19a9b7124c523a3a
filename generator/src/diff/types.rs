//! Named types: structs and their fields, enums and their values, aliases.

use super::render::wire_text;
use super::{Area, Changes, Pair, pairs};
use crate::ir::{Api, Enum, ExtraFields, Field, FieldShape, Struct, TypeDef, TypeKind};

pub(super) fn compare(old: &Api, new: &Api, out: &mut Changes) {
    for (name, pair) in pairs(by_name(old), by_name(new)) {
        match pair {
            Pair::Removed(o) => out
                .of(Area::Type, name)
                .breaking(format!("removed (was {})", kind_name(o))),
            Pair::Kept(o, n) => compare_type(name, o, n, out),
            Pair::Added(n) => out
                .of(Area::Type, name)
                .compatible(format!("added ({})", describe(n))),
        }
    }
}

fn by_name(api: &Api) -> impl Iterator<Item = (&str, &TypeDef)> {
    api.types.iter().map(|t| (t.name.as_str(), t))
}

fn kind_name(def: &TypeDef) -> &'static str {
    match def.kind {
        TypeKind::Struct(_) => "a struct",
        TypeKind::Enum(_) => "an enum",
        TypeKind::Alias(_) => "an alias",
    }
}

/// `struct, 3 fields`, `enum, 4 values`, `alias of Vec<String>`.
fn describe(def: &TypeDef) -> String {
    match &def.kind {
        TypeKind::Struct(s) => {
            let n = s.fields.len();
            format!("struct, {n} field{}", plural(n))
        }
        TypeKind::Enum(e) => {
            let n = e.variants.len();
            format!("enum, {n} value{}", plural(n))
        }
        TypeKind::Alias(ty) => format!("alias of {}", ty.rust_type()),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn compare_type(name: &str, o: &TypeDef, n: &TypeDef, out: &mut Changes) {
    match (&o.kind, &n.kind) {
        (TypeKind::Struct(os), TypeKind::Struct(ns)) => compare_struct(name, os, ns, out),
        (TypeKind::Enum(oe), TypeKind::Enum(ne)) => compare_enum(name, oe, ne, out),
        (TypeKind::Alias(ot), TypeKind::Alias(nt)) => {
            let (old_ty, new_ty) = (ot.rust_type(), nt.rust_type());
            if old_ty != new_ty {
                out.of(Area::Type, name)
                    .breaking(format!("alias of {old_ty} → {new_ty}"));
            } else if ot != nt {
                let (old_wire, new_wire) = (wire_text(&old_ty, ot), wire_text(&new_ty, nt));
                out.of(Area::Type, name)
                    .compatible(format!("wire format {old_wire} → {new_wire}"));
            }
        }
        _ => out.of(Area::Type, name).breaking(format!(
            "kind changed: {} → {}",
            describe(o),
            describe(n)
        )),
    }
}

fn compare_struct<'a>(name: &str, o: &'a Struct, n: &'a Struct, out: &mut Changes) {
    let by_wire = |s: &'a Struct| s.fields.iter().map(|f| (f.wire.as_str(), f));
    for (_, pair) in pairs(by_wire(o), by_wire(n)) {
        match pair {
            Pair::Removed(f) => out
                .of(Area::Field, format!("{name}.{}", f.name))
                .breaking(format!("removed (was {})", f.rust_type())),
            Pair::Kept(of, nf) => compare_field(name, of, nf, out),
            Pair::Added(f) => added_field(name, f, out),
        }
    }
    extra(name, o.extra.as_ref(), n.extra.as_ref(), out);
}

fn added_field(ty: &str, f: &Field, out: &mut Changes) {
    let mut field = out.of(Area::Field, format!("{ty}.{}", f.name));
    let ty = f.rust_type();
    match f.shape {
        FieldShape::Required => field.breaking(format!("added, required ({ty})")),
        _ if f.required => field.compatible(format!("added ({ty}; required in the spec)")),
        _ => field.compatible(format!("added ({ty})")),
    }
}

fn compare_field(ty: &str, o: &Field, n: &Field, out: &mut Changes) {
    let mut field = out.of(Area::Field, format!("{ty}.{}", n.name));
    if o.name != n.name {
        field.breaking(if o.wire == n.name {
            format!("Rust name changed from {}", o.name)
        } else {
            format!(
                "Rust name changed from {} (JSON key \"{}\")",
                o.name, n.wire
            )
        });
    }
    let (old_ty, new_ty) = (o.rust_type(), n.rust_type());
    if old_ty != new_ty {
        let boxed = |f: &Field| f.shape == FieldShape::Boxed;
        let detail = if o.ty.rust_type() != n.ty.rust_type() {
            format!("type {old_ty} → {new_ty}")
        } else if boxed(o) != boxed(n) {
            let now = if boxed(n) {
                "now boxed"
            } else {
                "no longer boxed"
            };
            format!("{now} ({old_ty} → {new_ty})")
        } else if n.shape == FieldShape::Required {
            format!("now required ({old_ty} → {new_ty})")
        } else {
            format!("now optional ({old_ty} → {new_ty})")
        };
        field.breaking(detail);
        return;
    }
    if o.ty != n.ty {
        let (old_wire, new_wire) = (wire_text(&old_ty, &o.ty), wire_text(&new_ty, &n.ty));
        field.compatible(format!("wire format {old_wire} → {new_wire}"));
    }
    if o.required != n.required {
        let now = if n.required { "required" } else { "optional" };
        field.compatible(format!(
            "now {now} in the spec (Rust type unchanged: {new_ty})"
        ));
    }
}

/// The flattened map of unknown keys (`additionalProperties` next to `properties`).
fn extra(ty: &str, o: Option<&ExtraFields>, n: Option<&ExtraFields>, out: &mut Changes) {
    let map = ExtraFields::rust_type;
    let Some(named) = n.or(o) else {
        return;
    };
    let mut field = out.of(Area::Field, format!("{ty}.{}", named.name));
    match (o, n) {
        (None, None) => {}
        (None, Some(e)) => {
            field.compatible(format!("added: unknown keys are now kept ({})", map(e)))
        }
        (Some(e), None) => {
            field.breaking(format!(
                "removed: unknown keys are no longer kept (was {})",
                map(e)
            ));
        }
        (Some(oe), Some(ne)) => {
            if oe.name != ne.name {
                field.breaking(format!("extra-properties map renamed from {}", oe.name));
            }
            if map(oe) != map(ne) {
                field.breaking(format!("type {} → {}", map(oe), map(ne)));
            }
        }
    }
}

fn compare_enum<'a>(name: &str, o: &'a Enum, n: &'a Enum, out: &mut Changes) {
    let by_wire = |e: &'a Enum| {
        e.variants
            .iter()
            .map(|v| (v.wire.as_str(), v.name.as_str()))
    };
    for (wire, pair) in pairs(by_wire(o), by_wire(n)) {
        let value = |variant: &str| format!("{name}::{variant}");
        match pair {
            Pair::Removed(old) => {
                out.of(Area::EnumValue, value(old))
                    .breaking(format!("removed (\"{wire}\")"));
            }
            Pair::Kept(old, new) if new != old => out
                .of(Area::EnumValue, value(new))
                .breaking(format!("Rust name changed from {name}::{old} (\"{wire}\")")),
            Pair::Kept(..) => {}
            Pair::Added(new) => {
                out.of(Area::EnumValue, value(new))
                    .compatible(format!("added (\"{wire}\")"));
            }
        }
    }
    let mut ty = out.of(Area::Type, name);
    if o.unknown != n.unknown {
        ty.breaking(format!("catch-all variant {} → {}", o.unknown, n.unknown));
    }
    let default = |e: &Enum| e.variants.get(e.default).map(|v| v.wire.clone());
    match (default(o), default(n)) {
        (Some(old_default), Some(new_default)) if old_default != new_default => {
            ty.compatible(format!(
                "Default value \"{old_default}\" → \"{new_default}\""
            ));
        }
        _ => {}
    }
}
