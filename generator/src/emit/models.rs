//! `src/models.rs`: one Rust type per named IR type.
//!
//! The type rules (see ARCHITECTURE.md): a required field is a plain `T` that decodes `null` or
//! absence as `T::default()`; an optional one is `Option<T>`, not sent when `None`; arrays and maps
//! are never `Option` and are not sent when empty; nothing else is ever sent that the user did not set.

use proc_macro2::TokenStream;
use quote::quote;

use super::parts::{Block, ITEMS_PER_PART, Part, RustFile};
use super::types::{rust_type, scalar_codec};
use super::{doc_attrs, ident};
use crate::docs;
use crate::ir::{Api, Enum, Field, Struct, TypeDef, TypeKind, TypeRef};

pub(super) fn models_rs(api: &Api) -> RustFile<'_> {
    let mut parts = vec![Part::items(move || header(api))];
    parts.extend(
        api.types
            .chunks(ITEMS_PER_PART)
            .map(|chunk| Part::blocks(move || chunk.iter().flat_map(type_def).collect())),
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
    quote! {
        //! Request and response types of the API, one per schema of the spec.

        #map_import
    }
}

fn contains_map(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Map(_) => true,
        TypeRef::Array(item) => contains_map(item),
        _ => false,
    }
}

fn type_def(def: &TypeDef) -> Vec<Block> {
    let mut lines = docs::doc_lines(&def.docs);
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(format!("Schema: `{}`", def.schema_path));
    let docs = doc_attrs(&lines);
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(s) => vec![
            Block::Tokens(structure(&docs, &name, s)),
            Block::Text(wire_table(&def.name, s)),
        ],
        TypeKind::Enum(e) => vec![Block::Tokens(enumeration(&docs, &name, e))],
        TypeKind::Alias(ty) => {
            let ty = rust_type(ty);
            vec![Block::Tokens(quote! {
                #docs
                pub type #name = #ty;
            })]
        }
    }
}

/// A struct. Its serde impls are [`wire_table`]'s.
fn structure(docs: &TokenStream, name: &syn::Ident, s: &Struct) -> TokenStream {
    let fields = s.fields.iter().map(field_decl);
    let extra = s.extra.as_ref().map(|extra| {
        let field_name = ident(&extra.name);
        let value = rust_type(&extra.value);
        quote! {
            /// Keys the spec does not name, kept as received and sent back as they are.
            pub #field_name: BTreeMap<String, #value>,
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #name {
            #(#fields)*
            #extra
        }
    }
}

/// The struct's serde impls as a `crate::codec::object!` table: each field's JSON key, shape and
/// codec. Not serde's derives: their visitors, field enums and per-field `with` wrappers were most
/// of the generated crate's build time, and the table is what a reader checks against the wire
/// (see ARCHITECTURE.md). Laid out here, as prettyplease would print the table on run-on lines.
fn wire_table(name: &str, s: &Struct) -> String {
    let mut out = format!("\ncrate::codec::object! {{\n    {name} {{");
    if !s.fields.is_empty() {
        out.push('\n');
        for f in &s.fields {
            let wire = proc_macro2::Literal::string(&f.wire);
            let (shape, codec) = match shape(f) {
                Shape::Container(codec) => ("container", codec.map(|(c, k)| format!("{c}::{k}"))),
                Shape::Json => ("json", None),
                Shape::Required(codec) => ("required", codec.map(str::to_owned)),
                Shape::Optional(codec) => ("optional", codec.map(str::to_owned)),
            };
            let codec = codec.as_deref().unwrap_or("plain");
            out.push_str(&format!(
                "        {}: {wire} => {shape}({codec}),\n",
                f.name
            ));
        }
        out.push_str("    ");
    }
    out.push('}');
    if let Some(extra) = &s.extra {
        out.push_str(&format!(" extra: {}", extra.name));
    }
    out.push_str("\n}\n");
    out
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

        crate::codec::string_enum!(#name);
    }
}
