//! Text: Rust type text for a `TypeRef` (as the emitters print it, shortened for reading) and the
//! human-readable report.

use std::fmt::Write as _;

use super::Report;
use crate::ir::{Body, Field, FloatType, IntBits, IntType, IntWire, Param, TypeRef, ValueEncoding};

/// The Rust type of a use of `ty`: `String`, `i64`, `Vec<V1Charge>`, `BTreeMap<String, f64>`.
pub(super) fn rust_type(ty: &TypeRef) -> String {
    type_text(ty, false)
}

/// Like [`rust_type`], with each integer's wire form: `i64 (JSON string)`. Two types with the same
/// Rust text differ only there.
pub(super) fn wire_type(ty: &TypeRef) -> String {
    type_text(ty, true)
}

fn type_text(ty: &TypeRef, wire: bool) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::Int(int) => {
            let name = int_name(*int);
            match (wire, int.wire) {
                (false, _) => name.to_owned(),
                (true, IntWire::Number) => format!("{name} (JSON number)"),
                (true, IntWire::String) => format!("{name} (JSON string)"),
            }
        }
        TypeRef::Float(FloatType::F32) => "f32".to_owned(),
        TypeRef::Float(FloatType::F64) => "f64".to_owned(),
        TypeRef::DateTime => "DateTime<Utc>".to_owned(),
        TypeRef::Json => "serde_json::Value".to_owned(),
        TypeRef::Named(name) => name.clone(),
        TypeRef::Array(item) => format!("Vec<{}>", type_text(item, wire)),
        TypeRef::Map(value) => format!("BTreeMap<String, {}>", type_text(value, wire)),
    }
}

fn int_name(int: IntType) -> &'static str {
    match (int.bits, int.signed) {
        (IntBits::B32, true) => "i32",
        (IntBits::B32, false) => "u32",
        (IntBits::B64, true) => "i64",
        (IntBits::B64, false) => "u64",
    }
}

/// Types that are never wrapped in `Option` in a model: arrays and maps (empty is unset) and JSON
/// values (`null` is unset).
pub(super) fn never_optional(ty: &TypeRef) -> bool {
    ty.is_container() || matches!(ty, TypeRef::Json)
}

/// The full Rust type of a struct field, as `emit/models.rs` declares it.
pub(super) fn field_type(f: &Field) -> String {
    field_type_with(&f.ty, f.required, f.boxed, false)
}

/// [`field_type`] with integer wire forms (see [`wire_type`]).
pub(super) fn field_wire_type(f: &Field) -> String {
    field_type_with(&f.ty, f.required, f.boxed, true)
}

fn field_type_with(ty: &TypeRef, required: bool, boxed: bool, wire: bool) -> String {
    let inner = type_text(ty, wire);
    if never_optional(ty) || (required && !boxed) {
        inner
    } else if boxed {
        format!("Option<Box<{inner}>>")
    } else {
        format!("Option<{inner}>")
    }
}

/// The Rust type of a field of a params struct, as `emit/params.rs` declares it.
pub(super) fn param_field_type(p: &Param) -> String {
    let ty = rust_type(&p.ty);
    if p.required || p.ty.is_container() {
        ty
    } else {
        format!("Option<{ty}>")
    }
}

/// The Rust type of a path argument, as `emit/operations.rs` declares it.
pub(super) fn path_arg_type(p: &Param) -> String {
    match (&p.ty, p.encoding) {
        (TypeRef::String, _) => "&str".to_owned(),
        (TypeRef::Array(item), _) => format!("&[{}]", rust_type(item)),
        (ty, ValueEncoding::Display) => rust_type(ty),
        (ty, _) => format!("&{}", rust_type(ty)),
    }
}

/// The Rust type of the `body` argument.
pub(super) fn body_arg_type(b: &Body) -> String {
    let ty = rust_type(&b.ty);
    if b.required {
        format!("&{ty}")
    } else {
        format!("Option<&{ty}>")
    }
}

/// What a method returns on success: the response type, or `()`.
pub(super) fn response_type(response: Option<&TypeRef>) -> String {
    response.map_or_else(|| "()".to_owned(), rust_type)
}

/// `a, b, c` of at most `limit` names, then `and N more`.
pub(super) fn name_list<'a>(names: impl IntoIterator<Item = &'a str>, limit: usize) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    let mut text = names
        .iter()
        .take(limit)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > limit {
        let _ = write!(text, " and {} more", names.len() - limit);
    }
    text
}

/// One line per change, whatever the spec put in a name: control characters are escaped.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().collect()
            } else {
                c.to_string()
            }
        })
        .collect()
}

pub(super) fn report_text(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} breaking, {} compatible — suggested version bump: {}",
        report.breaking,
        report.compatible,
        report.bump.name()
    );
    if report.changes.is_empty() {
        out.push_str("No API changes.\n");
        return out;
    }
    let _ = writeln!(out, "{} → {}", one_line(&report.old), one_line(&report.new));
    for (title, breaking) in [("Breaking:", true), ("Compatible:", false)] {
        let mut group = report
            .changes
            .iter()
            .filter(|c| c.breaking == breaking)
            .peekable();
        if group.peek().is_none() {
            continue;
        }
        let _ = writeln!(out, "\n{title}");
        for change in group {
            let _ = writeln!(
                out,
                "  - [{}] {}: {}",
                change.area.label(),
                one_line(&change.subject),
                one_line(&change.detail)
            );
        }
    }
    out
}
