//! `src/lib.rs`: crate documentation from the spec's `info`, the module tree, and the two spec facts
//! the runtime needs (default server, API key header).

use proc_macro2::TokenStream;
use quote::quote;

use super::parts::{Part, RustFile};
use crate::Provenance;
use crate::docs;
use crate::ir::Api;

pub(super) fn lib_rs<'a>(api: &'a Api, provenance: &'a Provenance) -> RustFile<'a> {
    RustFile {
        path: "src/lib.rs",
        parts: vec![Part::items(move || lib_items(api, provenance))],
    }
}

fn lib_items(api: &Api, provenance: &Provenance) -> TokenStream {
    let mut lines = vec![format!("# {}", api.title), String::new()];
    lines.push(format!(
        "Rust SDK generated from the {} OpenAPI document, version {}.",
        api.title, api.version
    ));
    // `info.version` stays `1.0` across Justap releases, so the release label and the text's hash
    // are what tell a vendored copy's origin (also in `SPEC_RELEASE` and `SPEC_SHA256`).
    lines.push(String::new());
    lines.push(format!(
        "Spec release `{}`, SHA-256 `{}`.",
        provenance.label, provenance.sha256
    ));
    lines.push(String::new());
    lines.push(
        "Every operation is a method on [`Client`], named after its operationId \
         (`ChargeService_QueryCharge2` → `charge_service_query_charge2`); request and response types \
         are in [`models`], query parameters in `params`."
            .to_owned(),
    );
    // The retry rules are the runtime's (static/src/retry.rs); users meet them here first.
    lines.push(String::new());
    lines.extend(
        [
            "Failed calls are retried when repeating them cannot do harm ([`retry`] has the rules, \
             [`RetryPolicy`] changes them):",
            "",
            "| failure | retried (at most 2 times by default) |",
            "|---|---|",
            "| no connection made (refused, DNS, TLS) | every method |",
            "| timeout, reset, 408, 429, 500, 502, 503, 504, 409 `ABORTED` | `GET`, `PUT`, `DELETE`; \
             `POST`/`PATCH` only with an idempotency token in the body or \
             [`RetryPolicy::assume_idempotent`] |",
            "| other 4xx, undecodable answers, invalid requests | never |",
            "",
            "Turn retries off with `.retry_policy(RetryPolicy::none())` on [`ClientBuilder`] (or \
             [`Client::with_retry_policy`] for some calls); bound a whole call, retries and waits \
             included, with [`ClientBuilder::deadline`] or [`Client::with_deadline`].",
        ]
        .map(str::to_owned),
    );
    if let Some(description) = &api.description {
        lines.push(String::new());
        lines.extend(docs::markdown_lines(description));
    }
    let docs = lines.iter().map(|line| {
        let text = super::doc_text(line);
        quote! { #![doc = #text] }
    });
    let params = super::has_params(api).then(|| {
        quote!(
            pub mod params;
        )
    });
    // A spec without operations leaves the request machinery unused; that is expected, not a bug.
    let client_unused = api
        .operations
        .is_empty()
        .then(|| quote!(#[allow(dead_code)]));
    let lists = super::lists::any_walked(api);
    // Without walked lists the runtime's constructors are unused; its types are still exported.
    let pagination_unused = (!lists).then(|| quote!(#[allow(dead_code)]));
    let lists = lists.then(|| {
        quote!(
            mod lists;
        )
    });
    let spec_release = &provenance.label;
    let spec_sha256 = &provenance.sha256;
    let base_url = &api.base_url;
    let api_key_header = &api.api_key_header;
    quote! {
        #(#docs)*
        #![forbid(unsafe_code)]

        #client_unused
        mod client;
        mod codec;
        mod error;
        #lists
        pub mod models;
        mod operations;
        #pagination_unused
        mod pagination;
        #params
        #client_unused
        pub mod retry;
        #[cfg(feature = "signing")]
        pub mod signing;
        #[cfg(feature = "signing")]
        pub mod webhook;

        pub use client::{Client, ClientBuilder};
        pub use error::{ApiError, ApiStatus, DecodeError, Error, TransportError};
        pub use pagination::{Items, Pages};
        pub use retry::RetryPolicy;

        /// The server the spec names; [`ClientBuilder::base_url`] points the client elsewhere.
        pub const DEFAULT_BASE_URL: &str = #base_url;

        /// The header that carries the API key (the spec's `apiKey` security scheme).
        pub const API_KEY_HEADER: &str = #api_key_header;

        /// The release label of the spec this crate was generated from (e.g. `3.0.3`).
        pub const SPEC_RELEASE: &str = #spec_release;

        /// The SHA-256 (lowercase hex) of the spec text this crate was generated from.
        pub const SPEC_SHA256: &str = #spec_sha256;
    }
}
