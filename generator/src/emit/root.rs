//! `src/lib.rs`: crate documentation from the spec's `info`, and the module tree.

use proc_macro2::TokenStream;
use quote::quote;

use crate::docs;
use crate::ir::Api;

pub(super) fn lib_rs(api: &Api) -> TokenStream {
    let mut lines = vec![format!("# {}", api.title), String::new()];
    lines.push(format!(
        "Rust SDK generated from the {} OpenAPI document, version {}.",
        api.title, api.version
    ));
    if let Some(description) = &api.description {
        lines.push(String::new());
        lines.extend(docs::markdown_lines(description));
    }
    let docs = lines.iter().map(|l| {
        let text = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote! { #![doc = #text] }
    });
    quote! {
        #(#docs)*
        #![forbid(unsafe_code)]

        mod codec;
        pub mod models;
    }
}
