//! `src/models.rs`: one Rust type per named IR type, each field held as its [`FieldShape`] says.

use proc_macro2::TokenStream;
use quote::quote;

use super::parts::{Block, ITEMS_PER_PART, Part, RustFile};
use super::{doc_attrs, ident};
use crate::docs;
use crate::ir::{Api, Enum, Field, FieldShape, IntJson, Struct, TypeDef, TypeKind, TypeRef};

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
        TypeKind::Struct(s) => s.extra.is_some() || s.fields.iter().any(|f| f.ty.contains_map()),
        TypeKind::Alias(ty) => ty.contains_map(),
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
            let ty = ty.rust_type();
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
        let ty = extra.rust_type();
        quote! {
            /// Keys the spec does not name, kept as received and sent back as they are.
            pub #field_name: #ty,
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
            let shape = match f.shape {
                FieldShape::Required => "required",
                FieldShape::Optional | FieldShape::Boxed => "optional",
                FieldShape::Container => "container",
                FieldShape::Json => "json",
            };
            // A container's codec is its items', from the container's module (`vec`, `map`).
            let codec = match &f.ty {
                TypeRef::Array(item) => scalar_codec(item).map(|c| format!("{c}::vec")),
                TypeRef::Map(item) => scalar_codec(item).map(|c| format!("{c}::map")),
                ty => scalar_codec(ty).map(str::to_owned),
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

/// The codec module (in the generated crate's `codec.rs`) for scalars whose wire form differs from
/// what serde does by default.
fn scalar_codec(ty: &TypeRef) -> Option<&'static str> {
    match ty {
        TypeRef::Int(int) if int.json == IntJson::String => Some("str_int"),
        TypeRef::Int(_) => Some("num_int"),
        TypeRef::Float(_) => Some("float"),
        _ => None,
    }
}

fn field_decl(f: &Field) -> TokenStream {
    let docs = doc_attrs(&docs::doc_lines(&f.docs));
    let name = ident(&f.name);
    let ty = f.rust_type();
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
    let (to_wire, from_wire): (Vec<_>, Vec<_>) = e
        .variants
        .iter()
        .map(|v| {
            let (variant, wire) = (ident(&v.name), &v.wire);
            (
                quote!(Self::#variant => #wire,),
                quote!(#wire => Self::#variant,),
            )
        })
        .unzip();
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
