//! Type uses → Rust types, and the serde attributes that give each the wire format the server speaks.
//! One rule set for every place a type appears (struct fields now, parameters later).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{FloatType, IntBits, IntType, IntWire, TypeRef};

/// The Rust type for a use of `ty`.
pub(super) fn rust_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::Int(IntType {
            bits: IntBits::B32,
            signed: true,
            ..
        }) => quote!(i32),
        TypeRef::Int(IntType {
            bits: IntBits::B32,
            signed: false,
            ..
        }) => quote!(u32),
        TypeRef::Int(IntType {
            bits: IntBits::B64,
            signed: true,
            ..
        }) => quote!(i64),
        TypeRef::Int(IntType {
            bits: IntBits::B64,
            signed: false,
            ..
        }) => quote!(u64),
        TypeRef::Float(FloatType::F32) => quote!(f32),
        TypeRef::Float(FloatType::F64) => quote!(f64),
        TypeRef::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Named(name) => {
            let ident = format_ident!("{}", name);
            quote!(#ident)
        }
        TypeRef::Array(item) => {
            let item = rust_type(item);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = rust_type(value);
            quote!(BTreeMap<String, #value>)
        }
    }
}

/// The codec module (in the generated crate's `codec.rs`) for scalars whose wire form differs from
/// what serde does by default.
pub(super) fn scalar_codec(ty: &TypeRef) -> Option<&'static str> {
    match ty {
        TypeRef::Int(IntType {
            wire: IntWire::String,
            ..
        }) => Some("str_int"),
        TypeRef::Int(IntType {
            wire: IntWire::Number,
            ..
        }) => Some("num_int"),
        TypeRef::Float(_) => Some("float"),
        _ => None,
    }
}
