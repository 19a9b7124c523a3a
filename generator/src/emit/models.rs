//! `src/models.rs`: one Rust type per named IR type.
//!
//! The type rules (see ARCHITECTURE.md): a required field is a plain `T` that decodes `null` or
//! absence as `T::default()`; an optional one is `Option<T>`, not sent when `None`; arrays and maps
//! are never `Option` and are not sent when empty; nothing else is ever sent that the user did not set.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::parts::{ITEMS_PER_PART, Part, RustFile};
use super::types::{rust_type, scalar_codec};
use super::{doc_attrs, ident};
use crate::docs;
use crate::ir::{Api, Enum, Field, Struct, TypeDef, TypeKind, TypeRef};

pub(super) fn models_rs(api: &Api) -> RustFile<'_> {
    let mut parts = vec![Part::items(move || header(api))];
    parts.extend(
        api.types
            .chunks(ITEMS_PER_PART)
            .map(|chunk| Part::items(move || chunk.iter().map(type_def).collect())),
    );
    RustFile {
        path: "src/models.rs",
        parts,
    }
}

fn header(api: &Api) -> TokenStream {
    let uses_maps = api.types.iter().any(|t| match &t.kind {
        TypeKind::Struct(s) => s.extra.is_some() || s.fields.iter().any(|f| contains_map(&f.ty)),
        TypeKind::Alias(ty) => contains_map(ty),
        TypeKind::Enum(_) => false,
    });
    let map_import = uses_maps.then(|| {
        quote!(
            use std::collections::BTreeMap;
        )
    });
    let serde_import = (!api.types.is_empty()).then(|| {
        quote!(
            use serde::{Deserialize, Serialize};
        )
    });
    quote! {
        //! Request and response types of the API, one per schema of the spec.

        #map_import
        #serde_import
    }
}

fn contains_map(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Map(_) => true,
        TypeRef::Array(item) => contains_map(item),
        _ => false,
    }
}

fn type_def(def: &TypeDef) -> TokenStream {
    let mut lines = docs::doc_lines(&def.docs);
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(format!("Schema: `{}`", def.schema_path));
    let docs = doc_attrs(&lines);
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(s) => structure(&docs, &name, s),
        TypeKind::Enum(e) => enumeration(&docs, &name, e),
        TypeKind::Alias(ty) => {
            let ty = rust_type(ty);
            quote! {
                #docs
                pub type #name = #ty;
            }
        }
    }
}

/// A struct, with serde impls that hand each field to `crate::codec` (see `Object` there) instead
/// of serde's derives: the derives' visitors, field enums and per-field `with` wrappers were most of
/// the generated crate's build time, and the wire behaviour is the same (see ARCHITECTURE.md).
fn structure(docs: &TokenStream, name: &syn::Ident, s: &Struct) -> TokenStream {
    let fields = s.fields.iter().map(field_decl);
    let decodes = s.fields.iter().map(field_decode);
    let encodes = s.fields.iter().map(field_encode);
    let (extra_decl, extra_decode, extra_encode) = match &s.extra {
        Some(extra) => {
            let field_name = ident(&extra.name);
            let value = rust_type(&extra.value);
            (
                Some(quote! {
                    /// Keys the spec does not name, kept as received and sent back as they are.
                    pub #field_name: BTreeMap<String, #value>,
                }),
                quote!(_ => {
                    self.#field_name.insert(key.into_string(), map.next_value()?);
                }),
                Some(quote! {
                    for (key, value) in &self.#field_name {
                        map.serialize_entry(key, value)?;
                    }
                }),
            )
        }
        None => (None, quote!(_ => crate::codec::skip(map)?,), None),
    };
    let empty = s.fields.is_empty() && s.extra.is_none();
    let decode_body = if empty {
        quote! {
            let _ = key;
            crate::codec::skip(map)
        }
    } else {
        quote! {
            match key.as_str() {
                #(#decodes)*
                #extra_decode
            }
            Ok(())
        }
    };
    let (map_arg, encode_body) = if empty {
        (quote!(_map), quote!(Ok(())))
    } else {
        (
            quote!(map),
            quote! {
                #(#encodes)*
                #extra_encode
                Ok(())
            },
        )
    };
    quote! {
        #docs
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #name {
            #(#fields)*
            #extra_decl
        }

        impl crate::codec::Object for #name {
            fn decode_field<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                key: crate::codec::Key<'de>,
                map: &mut A,
            ) -> Result<(), A::Error> {
                #decode_body
            }

            fn encode_fields<M: serde::ser::SerializeMap>(&self, #map_arg: &mut M) -> Result<(), M::Error> {
                #encode_body
            }
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                crate::codec::encode_object(self, serializer)
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::codec::decode_object(deserializer)
            }
        }
    }
}

/// How a field is held and sent: the type rules of ARCHITECTURE.md.
enum Shape {
    /// `Vec<T>` or `BTreeMap<String, T>`: `null` decodes as empty, empty is not sent. The codec of
    /// the items and the container's codec module (`vec`, `map`), if the items need one.
    Container(Option<(&'static str, &'static str)>),
    /// `serde_json::Value`: `null` is not sent.
    Json,
    /// A plain `T` (required): `null` decodes as the zero value, always sent.
    Required(Option<&'static str>),
    /// `Option<T>` (or `Option<Box<T>>` for a field in a cycle): not sent when `None`.
    Optional(Option<&'static str>),
}

fn shape(f: &Field) -> Shape {
    match &f.ty {
        TypeRef::Array(item) => Shape::Container(scalar_codec(item).map(|c| (c, "vec"))),
        TypeRef::Map(item) => Shape::Container(scalar_codec(item).map(|c| (c, "map"))),
        TypeRef::Json => Shape::Json,
        ty if f.required && !f.boxed => Shape::Required(scalar_codec(ty)),
        ty => Shape::Optional(scalar_codec(ty)),
    }
}

fn field_decl(f: &Field) -> TokenStream {
    let docs = doc_attrs(&docs::doc_lines(&f.docs));
    let name = ident(&f.name);
    let inner = rust_type(&f.ty);
    let ty = match shape(f) {
        Shape::Optional(..) if f.boxed => quote!(Option<Box<#inner>>),
        Shape::Optional(..) => quote!(Option<#inner>),
        _ => inner,
    };
    quote! {
        #docs
        pub #name: #ty,
    }
}

/// `crate::codec::<codec>[::<container>]` as a path.
fn codec_path(codec: &str, container: Option<&str>) -> TokenStream {
    let codec = format_ident!("{}", codec);
    match container {
        Some(container) => {
            let container = format_ident!("{}", container);
            quote!(crate::codec::#codec::#container)
        }
        None => quote!(crate::codec::#codec),
    }
}

/// The `match` arm that decodes the field's value.
fn field_decode(f: &Field) -> TokenStream {
    let name = ident(&f.name);
    let wire = &f.wire;
    let value = match shape(f) {
        Shape::Container(Some((codec, container))) => {
            let path = codec_path(codec, Some(container));
            quote!(#path::next(map)?)
        }
        Shape::Required(Some(codec)) => {
            let path = codec_path(codec, None);
            quote!(#path::next(map)?)
        }
        Shape::Optional(Some(codec)) => {
            let path = codec_path(codec, Some("opt"));
            quote!(#path::next(map)?)
        }
        Shape::Container(None) | Shape::Required(None) => quote!(crate::codec::or_default(map)?),
        Shape::Json | Shape::Optional(None) => quote!(map.next_value()?),
    };
    quote!(#wire => self.#name = #value,)
}

/// The statement that sends the field (or not, when it holds nothing to send).
fn field_encode(f: &Field) -> TokenStream {
    let name = ident(&f.name);
    let wire = &f.wire;
    let wrapped = |codec: Option<&str>, container: Option<&str>, value: TokenStream| match codec {
        Some(codec) => {
            let path = codec_path(codec, container);
            quote!(&#path::Ser(#value))
        }
        None => value,
    };
    match shape(f) {
        Shape::Container(codec) => {
            let value = wrapped(
                codec.map(|(c, _)| c),
                codec.map(|(_, container)| container),
                quote!(&self.#name),
            );
            quote! {
                if !self.#name.is_empty() {
                    map.serialize_entry(#wire, #value)?;
                }
            }
        }
        Shape::Json => quote! {
            if !self.#name.is_null() {
                map.serialize_entry(#wire, &self.#name)?;
            }
        },
        Shape::Required(codec) => {
            let value = wrapped(codec, None, quote!(&self.#name));
            quote!(map.serialize_entry(#wire, #value)?;)
        }
        Shape::Optional(codec) => {
            let value = wrapped(codec, None, quote!(value));
            quote! {
                if let Some(value) = &self.#name {
                    map.serialize_entry(#wire, #value)?;
                }
            }
        }
    }
}

fn enumeration(docs: &TokenStream, name: &syn::Ident, e: &Enum) -> TokenStream {
    let unknown = ident(&e.unknown);
    let variants = e.variants.iter().enumerate().map(|(i, v)| {
        let variant = ident(&v.name);
        let wire_doc = match v.wire.as_str() {
            "" => " The empty string.".to_owned(),
            wire if wire.contains('`') => format!(" `` {wire} ``"),
            wire => format!(" `{wire}`"),
        };
        let default = (i == e.default).then(|| quote!(#[default]));
        quote! {
            #[doc = #wire_doc]
            #default
            #variant,
        }
    });
    let to_wire = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire;
        quote!(Self::#variant => #wire,)
    });
    let from_wire = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire;
        quote!(#wire => Self::#variant,)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the SDK does not know (added in a later release), kept as sent.
            #unknown(String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_wire)*
                    Self::#unknown(value) => value,
                }
            }

            /// The variant for a wire value; an unknown value is kept in the catch-all variant.
            pub fn from_wire(value: &str) -> Self {
                match value {
                    #(#from_wire)*
                    other => Self::#unknown(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from_wire(value))
            }
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::codec::enum_value(deserializer, Self::from_wire)
            }
        }
    }
}
