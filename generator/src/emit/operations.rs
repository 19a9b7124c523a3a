//! `src/operations.rs`: one `async fn` per operation on `Client`, named after the operationId.

use proc_macro2::TokenStream;
use quote::quote;

use super::lists;
use super::params::encode;
use super::parts::{ITEMS_PER_PART, Part, RustFile};
use super::{doc_attrs, ident, model_imports};
use crate::docs;
use crate::ir::{Api, Operation, Param, ParamLocation, TypeRef};

pub(super) fn operations_rs(api: &Api) -> RustFile<'_> {
    let mut parts = vec![Part::items(move || header(api))];
    if !api.operations.is_empty() {
        // `impl Client` grows with the spec: it is cut into parts of a few methods each.
        parts.push(Part::Text("impl Client {\n"));
        parts.extend(api.operations.chunks(ITEMS_PER_PART).map(|chunk| {
            Part::members(move || {
                let methods = chunk
                    .iter()
                    .map(|op| method(op, lists::plain_method_note(api, op)));
                quote!(impl Client { #(#methods)* })
            })
        }));
        parts.push(Part::Text("}\n"));
    }
    RustFile {
        path: "src/operations.rs",
        parts,
    }
}

fn header(api: &Api) -> TokenStream {
    let used = api.operations.iter().flat_map(|op| {
        let body = op.body.iter().map(|b| &b.ty);
        op.path_params
            .iter()
            .map(|p| &p.ty)
            .chain(body)
            .chain(op.response.iter())
    });
    let models = model_imports(used);
    let params: Vec<syn::Ident> = api
        .operations
        .iter()
        .filter_map(|op| op.params.as_ref())
        .map(|p| ident(&p.name))
        .collect();
    let params_import = (!params.is_empty()).then(|| quote!(use crate::params::{#(#params),*};));
    let client_imports = (!api.operations.is_empty()).then(|| {
        let path_param = api
            .operations
            .iter()
            .any(|op| !op.path_params.is_empty())
            .then(|| quote!(path_param,));
        let refuse = api
            .operations
            .iter()
            .flat_map(|op| &op.path_params)
            .any(|p| !p.reserved.is_empty())
            .then(|| quote!(refuse_other_route,));
        quote! {
            use reqwest::Method;

            use crate::client::{#path_param #refuse Request};
            use crate::{Client, Error};
        }
    });
    quote! {
        //! The operations of the API, one method each on [`Client`](crate::Client).

        #client_imports
        #models
        #params_import
    }
}

/// `notes`: doc lines other emitters add (a list's stream methods).
fn method(op: &Operation, notes: Vec<String>) -> TokenStream {
    let mut docs = method_docs(op);
    docs.extend(notes);
    let docs = doc_attrs(&docs);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let name = ident(&op.method_name);

    let params_arg = op.params.as_ref().map(|params| {
        let ty = ident(&params.name);
        quote!(params: &#ty)
    });
    let body_arg = op.body.as_ref().map(|body| {
        let ty = body.arg_type();
        quote!(body: #ty)
    });
    let args = path_args(op).into_iter().chain(params_arg).chain(body_arg);
    let response = op.response_type();

    // Each path argument is checked and encoded first; the checked segment then goes into the path.
    let segments = op.path_params.iter().map(|p| {
        let binding = ident(&segment_binding(p));
        let value = path_value(p);
        quote!(let #binding = #value;)
    });
    let refusals = other_route_checks(op);
    let template = path_format(op);
    let path = if op.path_params.is_empty() {
        quote!(#template.to_owned())
    } else {
        quote!(format!(#template))
    };
    let http_method = ident(op.http_method.as_str());
    let mut request = quote!(Request::new(Method::#http_method, path));
    let sends = |location| {
        op.params
            .iter()
            .flat_map(|s| &s.params)
            .any(|p| p.location == location)
    };
    if sends(ParamLocation::Query) {
        request = quote!(#request.query(params.query_pairs()));
    }
    if op.accept != "application/json" {
        let accept = &op.accept;
        request = quote!(#request.accept(#accept));
    }
    let headers = sends(ParamLocation::Header).then(|| quote!(let request = params.header_pairs().into_iter().fold(request, |r, (n, v)| r.header(n, v));));
    let body = op.body.as_ref().map(|b| {
        let content_type = &b.content_type;
        // With an idempotency token: filled once when left empty, so every attempt sends the same.
        let (send, value) = match &b.idempotency_token {
            Some(token) => {
                let field = ident(&token.field);
                (
                    quote!(request.idempotent().json),
                    quote!(&*crate::retry::fill_token(body, |b| &b.#field, |b| &mut b.#field)),
                )
            }
            None => (quote!(request.json), quote!(body)),
        };
        if b.required {
            quote!(let request = #send(#content_type, #value)?;)
        } else {
            quote! {
                let request = match body {
                    Some(body) => #send(#content_type, #value)?,
                    None => request,
                };
            }
        }
    });
    quote! {
        #docs
        #deprecated
        pub async fn #name(&self, #(#args),*) -> Result<#response, Error> {
            #(#segments)*
            #(#refusals)*
            let path = #path;
            let request = #request;
            #headers
            #body
            self.execute(request).await
        }
    }
}

/// The path parameters as the method's arguments, in template order.
pub(super) fn path_args(op: &Operation) -> Vec<TokenStream> {
    let args = op.path_params.iter().map(|p| {
        let arg = ident(&p.name);
        let ty = p.arg_type();
        quote!(#arg: #ty)
    });
    args.collect()
}

/// One check per path value that would reach another route (settled in the IR), on the segments
/// about to be sent.
fn other_route_checks(op: &Operation) -> Vec<TokenStream> {
    let segment = |wire: &str| {
        let binding = op
            .path_params
            .iter()
            .find(|p| p.wire == wire)
            .map_or_else(|| wire.to_owned(), segment_binding);
        ident(&binding)
    };
    op.path_params
        .iter()
        .flat_map(|p| p.reserved.iter().map(move |r| (p, r)))
        .map(|(p, reserved)| {
            let conditions = std::iter::once((p.wire.as_str(), reserved.value.as_str())).chain(
                reserved
                    .with
                    .iter()
                    .map(|(wire, value)| (wire.as_str(), value.as_str())),
            );
            let entries = conditions.map(|(wire, value)| {
                let binding = segment(wire);
                quote!((#wire, #binding.as_str(), #value))
            });
            let route = format!("{} ({})", reserved.route.id, reserved.route);
            quote!(refuse_other_route(&[#(#entries),*], #route)?;)
        })
        .collect()
}

/// The path template as a `format!` string whose `{…}` are the checked segments' bindings.
fn path_format(op: &Operation) -> String {
    let mut template = String::new();
    let mut rest = op.path.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        let wire = &rest[open + 1..close];
        template.push_str(&escape_braces(&rest[..open]));
        match op.path_params.iter().find(|p| p.wire == wire) {
            Some(p) => template.push_str(&format!("{{{}}}", segment_binding(p))),
            None => template.push_str(&escape_braces(&rest[open..=close])),
        }
        rest = &rest[close + 1..];
    }
    template.push_str(&escape_braces(rest));
    template
}

/// The local holding a checked path segment: the argument's own name (shadowed), unless that is a
/// raw identifier, which `format!` cannot name inline.
fn segment_binding(p: &Param) -> String {
    match p.name.strip_prefix("r#") {
        Some(bare) => format!("{bare}_segment"),
        None => p.name.clone(),
    }
}

fn path_value(p: &Param) -> TokenStream {
    let wire = &p.wire;
    let arg = ident(&p.name);
    let text = match &p.ty {
        TypeRef::String => quote!(#arg),
        TypeRef::Array(_) => {
            let item = encode(p.encoding, &quote!(value));
            quote!(&#arg.iter().map(|value| #item).collect::<Vec<_>>().join(","))
        }
        _ => {
            let text = encode(p.encoding, &quote!(#arg));
            quote!(&#text)
        }
    };
    quote!(path_param(#wire, #text)?)
}

fn escape_braces(text: &str) -> String {
    text.replace('{', "{{").replace('}', "}}")
}

fn method_docs(op: &Operation) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(summary) = &op.summary {
        lines.extend(docs::markdown_lines(summary));
        lines.push(String::new());
    }
    lines.push(format!("`{}` (operation `{}`)", op.route(), op.id));
    if let Some(description) = op
        .description
        .as_ref()
        .filter(|d| Some(*d) != op.summary.as_ref())
    {
        lines.push(String::new());
        lines.extend(docs::markdown_lines(description));
    }
    if !op.same_rpc.is_empty() {
        let routes: Vec<String> = op
            .same_rpc
            .iter()
            .map(|route| format!("[`Client::{}`] (`{route}`)", route.method_name))
            .collect();
        lines.push(String::new());
        lines.push(format!(
            "The same RPC is also served by {}.",
            routes.join(", ")
        ));
    }
    for p in &op.path_params {
        for reserved in &p.reserved {
            let values: Vec<String> = std::iter::once((&p.wire, &reserved.value))
                .chain(reserved.with.iter().map(|(wire, value)| (wire, value)))
                .map(|(wire, value)| format!("`{wire}` = `{value:?}`"))
                .collect();
            lines.push(String::new());
            lines.push(format!(
                "Refused with [`Error::InvalidRequest`]: {}, which would reach `{}` (`{}`).",
                values.join(" and "),
                reserved.route.id,
                reserved.route
            ));
        }
    }
    lines
}
