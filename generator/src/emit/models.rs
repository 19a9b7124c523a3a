//! `src/models.rs`: one Rust type per named IR type.
//!
//! The type rules (see ARCHITECTURE.md): a required field is a plain `T` that decodes `null` or
//! absence as `T::default()`; an optional one is `Option<T>`, not sent when `None`; arrays and maps
//! are never `Option` and are not sent when empty; nothing else is ever sent that the user did not set.

use proc_macro2::TokenStream;
use quote::quote;

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

fn structure(docs: &TokenStream, name: &syn::Ident, s: &Struct) -> TokenStream {
    let fields = s.fields.iter().map(field);
    let extra = s.extra.as_ref().map(|extra| {
        let field_name = ident(&extra.name);
        let value = rust_type(&extra.value);
        quote! {
            /// Keys the spec does not name, kept as received and sent back as they are.
            #[serde(flatten)]
            pub #field_name: BTreeMap<String, #value>,
        }
    });
    // Absent fields take their default; without fields there is nothing to default.
    let default = (!s.fields.is_empty()).then(|| quote!(#[serde(default)]));
    quote! {
        #docs
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #default
        pub struct #name {
            #(#fields)*
            #extra
        }
    }
}

fn field(f: &Field) -> TokenStream {
    let docs = doc_attrs(&docs::doc_lines(&f.docs));
    let name = ident(&f.name);
    let mut serde_args: Vec<TokenStream> = Vec::new();
    if f.name.trim_start_matches("r#") != f.wire {
        let wire = &f.wire;
        serde_args.push(quote!(rename = #wire));
    }
    let inner = rust_type(&f.ty);
    let ty = match &f.ty {
        TypeRef::Array(item) | TypeRef::Map(item) => {
            let (container, is_empty) = match f.ty {
                TypeRef::Array(_) => ("vec", "Vec::is_empty"),
                _ => ("map", "BTreeMap::is_empty"),
            };
            serde_args.push(codec_or_null_default(
                scalar_codec(item).map(|c| format!("{c}::{container}")),
            ));
            serde_args.push(quote!(skip_serializing_if = #is_empty));
            inner
        }
        // JSON has its own `null`: an absent value is `Value::Null` and is not sent.
        TypeRef::Json => {
            serde_args.push(quote!(skip_serializing_if = "serde_json::Value::is_null"));
            inner
        }
        _ if f.required && !f.boxed => {
            serde_args.push(codec_or_null_default(
                scalar_codec(&f.ty).map(str::to_owned),
            ));
            inner
        }
        _ => {
            if let Some(codec) = scalar_codec(&f.ty) {
                let path = format!("crate::codec::{codec}::opt");
                serde_args.push(quote!(with = #path));
            }
            serde_args.push(quote!(skip_serializing_if = "Option::is_none"));
            if f.boxed {
                quote!(Option<Box<#inner>>)
            } else {
                quote!(Option<#inner>)
            }
        }
    };
    quote! {
        #docs
        #[serde(#(#serde_args),*)]
        pub #name: #ty,
    }
}

/// `with = "crate::codec::<codec>"` when the value needs a wire codec, else `null` → default.
fn codec_or_null_default(codec: Option<String>) -> TokenStream {
    match codec {
        Some(codec) => {
            let path = format!("crate::codec::{codec}");
            quote!(with = #path)
        }
        None => quote!(deserialize_with = "crate::codec::null_default"),
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
