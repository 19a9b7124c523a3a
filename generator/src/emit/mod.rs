//! Emitting: IR → the files of the SDK crate. Emitters only print decisions already in the IR.

mod format;
mod lists;
mod manifest;
mod models;
mod operations;
mod params;
mod parts;
mod root;

pub use parts::with_threads;

use std::collections::BTreeMap;

use crate::{CrateOptions, Error, Provenance, ir};

/// Hand-written runtime copied verbatim into every generated crate (no spec input needed).
const STATIC_FILES: &[(&str, &str)] = &[
    ("src/client.rs", include_str!("../../static/src/client.rs")),
    ("src/codec.rs", include_str!("../../static/src/codec.rs")),
    ("src/error.rs", include_str!("../../static/src/error.rs")),
    ("src/retry.rs", include_str!("../../static/src/retry.rs")),
    (
        "src/pagination.rs",
        include_str!("../../static/src/pagination.rs"),
    ),
    (
        "src/signing.rs",
        include_str!("../../static/src/signing.rs"),
    ),
    (
        "src/webhook.rs",
        include_str!("../../static/src/webhook.rs"),
    ),
];

/// IR → the crate's files: every Rust file is emitted and formatted part by part on worker
/// threads ([`parts`]), the other files are printed, the static runtime is copied.
pub(crate) fn render(
    api: &ir::Api,
    options: &CrateOptions,
    provenance: &Provenance,
) -> Result<BTreeMap<String, String>, Error> {
    check_idents(api)?;
    let mut text = BTreeMap::new();
    text.insert("Cargo.toml".to_owned(), manifest::cargo_toml(options)?);
    text.insert("rustfmt.toml".to_owned(), manifest::RUSTFMT_TOML.to_owned());
    let mut files = vec![
        root::lib_rs(api, provenance),
        models::models_rs(api),
        operations::operations_rs(api),
    ];
    if has_params(api) {
        files.push(params::params_rs(api));
    }
    if lists::any_walked(api) {
        files.push(lists::lists_rs(api));
    }
    text.extend(parts::render(files)?);
    // The runtime's doc examples name the crate (`justap::Client`); a crate with another name must
    // still compile them, so they name it as its users do.
    let crate_path = format!("{}::", options.name.replace('-', "_"));
    for (path, source) in STATIC_FILES {
        let source = source.replace("justap::", &crate_path);
        text.insert((*path).to_owned(), format::with_header(&source));
    }
    Ok(text)
}

/// An identifier from the IR. Lowering only produces valid identifiers (`ident.rs` guarantees and
/// tests it) and [`check_idents`] re-verifies them before any emitter runs, so this cannot fail.
fn ident(name: &str) -> syn::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => syn::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => syn::Ident::new(name, proc_macro2::Span::call_site()),
    }
}

/// Doc lines → `#[doc = " line"]` attributes (prettyplease prints them as `///` comments).
fn doc_attrs(lines: &[String]) -> proc_macro2::TokenStream {
    let attrs = lines.iter().map(|line| {
        let text = doc_text(line);
        quote::quote!(#[doc = #text])
    });
    quote::quote!(#(#attrs)*)
}

/// A doc line as a `doc` attribute holds it: after a space, unless it is blank.
fn doc_text(line: &str) -> String {
    if line.is_empty() {
        String::new()
    } else {
        format!(" {line}")
    }
}

/// Verifies every identifier in the IR before emitting, so `ident` never meets a bad one.
fn check_idents(api: &ir::Api) -> Result<(), Error> {
    let valid = |name: &str| syn::parse_str::<syn::Ident>(name).is_ok();
    for def in &api.types {
        let mut names = vec![def.name.as_str()];
        match &def.kind {
            ir::TypeKind::Struct(s) => {
                names.extend(s.fields.iter().map(|f| f.name.as_str()));
                names.extend(s.extra.iter().map(|e| e.name.as_str()));
            }
            ir::TypeKind::Enum(e) => {
                names.extend(e.variants.iter().map(|v| v.name.as_str()));
                names.push(e.unknown.as_str());
            }
            ir::TypeKind::Alias(_) => {}
        }
        if let Some(bad) = names.into_iter().find(|n| !valid(n)) {
            return Err(Error::Internal(format!(
                "invalid identifier {bad:?} for {}",
                def.origin
            )));
        }
    }
    Ok(())
}

fn has_params(api: &ir::Api) -> bool {
    api.operations.iter().any(|op| op.params.is_some())
}

/// `use` lines for the model types (and `BTreeMap`) that a set of type uses needs, sorted.
fn model_imports<'a>(types: impl Iterator<Item = &'a ir::TypeRef>) -> proc_macro2::TokenStream {
    let mut names = std::collections::BTreeSet::new();
    let mut map = false;
    for ty in types {
        map |= ty.contains_map();
        if let ir::TypeRef::Named(name) = ty.innermost() {
            names.insert(name.as_str());
        }
    }
    let names = names.into_iter().map(ident);
    let models = (names.len() > 0).then(|| quote::quote!(use crate::models::{#(#names),*};));
    let map = map.then(|| {
        quote::quote!(
            use std::collections::BTreeMap;
        )
    });
    quote::quote!(#map #models)
}
