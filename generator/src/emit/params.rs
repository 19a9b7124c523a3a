//! `src/params.rs`: one struct per operation with query or header parameters. Callers set only the
//! fields they need (`..Default::default()`); unset parameters are never sent.

use proc_macro2::TokenStream;
use quote::quote;

use super::parts::{ITEMS_PER_PART, Part, RustFile};
use super::{doc_attrs, ident, model_imports};
use crate::docs;
use crate::ir::{
    Api, FieldShape, Operation, Param, ParamLocation, ParamsStruct, QueryLeaf, TypeRef,
    ValueEncoding,
};

pub(super) fn params_rs(api: &Api) -> RustFile<'_> {
    let structs: Vec<(&Operation, &ParamsStruct)> = api
        .operations
        .iter()
        .filter_map(|op| op.params.as_ref().map(|p| (op, p)))
        .collect();
    let used: Vec<&TypeRef> = structs
        .iter()
        .flat_map(|(_, s)| s.params.iter().map(|p| &p.ty))
        .collect();
    let mut parts = vec![Part::items(move || {
        let imports = model_imports(used.into_iter());
        quote! {
            //! Query and header parameters of the operations, one struct per operation that has any.

            #imports
        }
    })];
    parts.extend(structs.chunks(ITEMS_PER_PART).map(|chunk| {
        let chunk = chunk.to_vec();
        Part::items(move || chunk.iter().map(|(op, s)| params_struct(op, s)).collect())
    }));
    RustFile {
        path: "src/params.rs",
        parts,
    }
}

fn params_struct(op: &Operation, s: &ParamsStruct) -> TokenStream {
    let doc = format!(
        " Query and header parameters of [`Client::{m}`](crate::Client::{m}).",
        m = op.method_name
    );
    let name = ident(&s.name);
    let fields = s.params.iter().map(|p| {
        let docs = doc_attrs(&docs::doc_lines(&p.docs));
        let field = ident(&p.name);
        let ty = p.field_type();
        let wire = match &p.ty {
            _ if !p.leaves.is_empty() => {
                let names: Vec<String> = p.leaves.iter().map(|l| format!("`{}`", l.wire)).collect();
                format!(" Sent field by field: {}.", names.join(", "))
            }
            TypeRef::Map(_) if per_entry(p) => {
                format!(" Sent as `{}[key]=value`, once per entry.", p.wire)
            }
            TypeRef::Array(_) if p.location == ParamLocation::Query && p.explode => {
                format!(" Sent as `{}`, once per item.", p.wire)
            }
            TypeRef::Array(_) => format!(" Sent as `{}`, the items comma-separated.", p.wire),
            _ => format!(" Sent as `{}`.", p.wire),
        };
        let wire_doc = if p.docs == Default::default() {
            quote!(#[doc = #wire])
        } else {
            quote!(#[doc = ""] #[doc = #wire])
        };
        quote! {
            #docs
            #wire_doc
            pub #field: #ty,
        }
    });
    let query = pairs_method(
        s,
        ParamLocation::Query,
        "query_pairs",
        "The query string, in spec order; the items of a pair are sent comma-separated.",
    );
    let headers = pairs_method(
        s,
        ParamLocation::Header,
        "header_pairs",
        "The request headers, in spec order.",
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #query
            #headers
        }
    }
}

fn pairs_method(
    s: &ParamsStruct,
    location: ParamLocation,
    method: &str,
    summary: &str,
) -> Option<TokenStream> {
    let params: Vec<&Param> = s.params.iter().filter(|p| p.location == location).collect();
    if params.is_empty() {
        return None;
    }
    let method = ident(method);
    let summary = format!(" {summary} Unset parameters are left out.");
    // Names are fixed, except a map's (`name[key]`): only then are they owned.
    let owned = params.iter().any(|p| per_entry(p));
    let pushes = params.iter().map(|p| push_pairs(p, owned));
    // A query value keeps its items apart so the client can escape commas inside them; a header
    // value is one text.
    let value = match location {
        ParamLocation::Query => quote!(Vec<String>),
        _ => quote!(String),
    };
    let name = if owned {
        quote!(String)
    } else {
        quote!(&'static str)
    };
    Some(quote! {
        #[doc = #summary]
        pub fn #method(&self) -> Vec<(#name, #value)> {
            let mut pairs = Vec::new();
            #(#pushes)*
            pairs
        }
    })
}

/// A query map of plain values goes out as one `name[key]=value` pair per entry.
fn per_entry(p: &Param) -> bool {
    p.location == ParamLocation::Query
        && matches!(p.ty, TypeRef::Map(_))
        && p.encoding != ValueEncoding::Json
}

fn push_pairs(p: &Param, owned: bool) -> TokenStream {
    let field = ident(&p.name);
    let wire = pair_name(&p.wire, owned);
    let value = quote!(value);
    let text = encode(p.encoding, &value);
    let query = p.location == ParamLocation::Query;
    // One value: a query value is a list of one item.
    let one = if query {
        quote!(vec![#text])
    } else {
        text.clone()
    };
    if !p.leaves.is_empty() {
        let leaves = p.leaves.iter().map(|leaf| leaf_push(leaf, owned));
        return if p.required {
            quote! {
                let value = &self.#field;
                #(#leaves)*
            }
        } else {
            quote! {
                if let Some(value) = &self.#field {
                    #(#leaves)*
                }
            }
        };
    }
    if per_entry(p) {
        let name = format!("{}[{{key}}]", p.wire.replace('{', "{{").replace('}', "}}"));
        return quote! {
            for (key, value) in &self.#field {
                pairs.push((format!(#name), #one));
            }
        };
    }
    match &p.ty {
        // Header arrays are comma-separated whatever `explode` says (OpenAPI `simple` style).
        TypeRef::Array(_) if query && p.explode => quote! {
            for value in &self.#field {
                pairs.push((#wire, #one));
            }
        },
        TypeRef::Array(_) if query => quote! {
            if !self.#field.is_empty() {
                pairs.push((#wire, self.#field.iter().map(|value| #text).collect()));
            }
        },
        TypeRef::Array(_) => quote! {
            if !self.#field.is_empty() {
                let items: Vec<String> = self.#field.iter().map(|value| #text).collect();
                pairs.push((#wire, items.join(",")));
            }
        },
        _ if p.required => quote! {
            let value = &self.#field;
            pairs.push((#wire, #one));
        },
        // A map is never `Option` (see `Param::field_type`): empty means unset. Its encoding is JSON
        // (lowering warns), one value under the parameter's name.
        TypeRef::Map(_) => quote! {
            if !self.#field.is_empty() {
                let value = &self.#field;
                pairs.push((#wire, #one));
            }
        },
        _ => quote! {
            if let Some(value) = &self.#field {
                pairs.push((#wire, #one));
            }
        },
    }
}

/// One field of an object query parameter (`value` is the parameter's): reached step by step as
/// each is held, sent under its dotted name when set.
fn leaf_push(leaf: &QueryLeaf, owned: bool) -> TokenStream {
    let wire = pair_name(&leaf.wire, owned);
    let text = encode(leaf.encoding, &quote!(value));
    let mut body = quote!(pairs.push((#wire, vec![#text])););
    for step in leaf.steps.iter().rev() {
        let field = ident(&step.field);
        body = match step.shape {
            FieldShape::Required | FieldShape::Json => quote!({
                let value = &value.#field;
                #body
            }),
            FieldShape::Optional => quote!(if let Some(value) = &value.#field {
                #body
            }),
            FieldShape::Boxed => quote!(if let Some(value) = &value.#field {
                let value = &**value;
                #body
            }),
            FieldShape::Container => quote!(for value in &value.#field {
                #body
            }),
        };
    }
    body
}

/// A pair's name: a `&'static str`, or a `String` when some name in the method is `owned`.
fn pair_name(wire: &str, owned: bool) -> TokenStream {
    if owned {
        quote!(#wire.to_owned())
    } else {
        quote!(#wire)
    }
}

/// Text of one value (`value` is a reference) as the wire wants it.
pub(super) fn encode(encoding: ValueEncoding, value: &TokenStream) -> TokenStream {
    match encoding {
        ValueEncoding::Text | ValueEncoding::Display => quote!(#value.to_string()),
        ValueEncoding::EnumName => quote!(#value.as_str().to_owned()),
        ValueEncoding::DateTime => {
            quote!(#value.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
        }
        ValueEncoding::Json => quote!(serde_json::to_string(#value).unwrap_or_default()),
    }
}
