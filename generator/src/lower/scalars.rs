//! Spec `type` + `format` → the Rust scalar (the "Scalars" table of ARCHITECTURE.md).

use openapiv3::VariantOrUnknownOrEmpty;

use crate::ir::{FloatType, IntBits, IntJson, IntType, TypeRef};

/// The scalar of a spec `type`, `None` for a type that is not one (`object`, `array`, unknown).
pub(super) fn scalar(typ: &str, format: Option<&str>) -> Option<TypeRef> {
    let int_as = |json| format.and_then(|f| int_format(f, json));
    Some(match (typ, format) {
        ("string", Some("date-time")) => TypeRef::DateTime,
        ("string", _) => int_as(IntJson::String).unwrap_or(TypeRef::String),
        ("integer", _) => {
            int_as(IntJson::Number).unwrap_or(int(IntBits::B64, true, IntJson::Number))
        }
        ("number", Some("float")) => TypeRef::Float(FloatType::F32),
        ("number", _) => int_as(IntJson::Number).unwrap_or(TypeRef::Float(FloatType::F64)),
        ("boolean", _) => TypeRef::Bool,
        _ => return None,
    })
}

/// A format as the spec spells it. openapiv3 files the ones it knows under an enum, so `known` is
/// the one of those that changes the type (`int64`, `double`, `date`... are the type's default).
pub(super) fn spelled<'f, T: PartialEq>(
    format: &'f VariantOrUnknownOrEmpty<T>,
    (known, name): (T, &'static str),
) -> Option<&'f str> {
    match format {
        VariantOrUnknownOrEmpty::Item(f) => (*f == known).then_some(name),
        VariantOrUnknownOrEmpty::Unknown(f) => Some(f),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn int(bits: IntBits, signed: bool, json: IntJson) -> TypeRef {
    TypeRef::Int(IntType { bits, signed, json })
}

/// Integer formats, on any `type`: `uint64` is no OpenAPI format, and protojson writes 64-bit
/// integers as strings (`type: string, format: int64`).
fn int_format(format: &str, json: IntJson) -> Option<TypeRef> {
    Some(match format {
        "int32" => int(IntBits::B32, true, json),
        "uint32" => int(IntBits::B32, false, json),
        "int64" => int(IntBits::B64, true, json),
        "uint64" => int(IntBits::B64, false, json),
        _ => return None,
    })
}
