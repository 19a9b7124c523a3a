//! `src/lists.rs`: the stream and pages methods of the list operations that are walked with
//! cursors (`ir::Paging::Cursor`), in their own `impl Client` block; each page is requested by the
//! operation's plain method. Also the note the plain methods of lists carry in their docs.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::parts::{Part, RustFile};
use super::{doc_attrs, ident};
use crate::ir::{Api, List, Operation, Pagination, Paging, Param, TypeRef, Walk};

/// Whether any list is walked, i.e. whether `src/lists.rs` exists and the runtime is used.
pub(super) fn any_walked(api: &Api) -> bool {
    api.lists
        .iter()
        .any(|l| matches!(l.paging, Paging::Cursor(_)))
}

pub(super) fn lists_rs(api: &Api) -> RustFile<'_> {
    RustFile {
        path: "src/lists.rs",
        parts: vec![Part::items(move || items(api))],
    }
}

fn items(api: &Api) -> TokenStream {
    let walked: Vec<(&List, &Pagination, &Operation)> = api
        .lists
        .iter()
        .filter_map(|l| match &l.paging {
            Paging::Cursor(p) => Some((l, p.as_ref(), api.operation(&l.operation)?)),
            _ => None,
        })
        .collect();
    let models: BTreeSet<&str> = walked
        .iter()
        .flat_map(|(_, p, _)| [p.page_type.as_str(), p.item_type.as_str()])
        .collect();
    let models = models.into_iter().map(ident);
    let params: BTreeSet<&str> = walked
        .iter()
        .map(|(_, p, _)| p.params_type.as_str())
        .collect();
    let params = params.into_iter().map(ident);
    let methods = walked.iter().map(|(list, p, op)| {
        let forward = walk(list, p, op, &p.forward, p.backward.as_ref(), false);
        let backward = p
            .backward
            .as_ref()
            .map(|b| walk(list, p, op, b, Some(&p.forward), true));
        quote!(#forward #backward)
    });
    quote! {
        //! Stream and pages methods of the list operations; the walk itself is in `pagination.rs`.

        use crate::models::{#(#models),*};
        use crate::pagination::{Direction, Items, Pages};
        use crate::params::{#(#params),*};
        use crate::Client;

        impl Client {
            #(#methods)*
        }
    }
}

/// The items and pages methods of one direction: `this` walk sets its cursor, and clears the
/// `other` one from the second page on, since the server cannot honour both.
fn walk(
    list: &List,
    p: &Pagination,
    op: &Operation,
    this: &Walk,
    other: Option<&Walk>,
    backward: bool,
) -> TokenStream {
    let plain = ident(&list.method_name);
    // Path arguments as the plain method takes them; the walk keeps its own copies of those taken
    // by reference, and each page's call gets a clone of them.
    let path_args = super::operations::path_args(op);
    let path_names: Vec<syn::Ident> = op.path_params.iter().map(|arg| ident(&arg.name)).collect();
    let by_ref: Vec<&Param> = op
        .path_params
        .iter()
        .filter(|arg| !arg.by_value())
        .collect();
    let owned: Vec<TokenStream> = by_ref
        .iter()
        .map(|arg| {
            let name = ident(&arg.name);
            let to_owned = match arg.ty {
                TypeRef::String => quote!(to_owned),
                TypeRef::Array(_) => quote!(to_vec),
                _ => quote!(clone),
            };
            quote!(let #name = #name.#to_owned();)
        })
        .collect();
    // Cloned for each page's call: the closure is `FnMut`, and each call's future owns its copy.
    let per_call = by_ref.iter().map(|arg| {
        let name = ident(&arg.name);
        quote!(let #name = #name.clone();)
    });
    let call_args = op.path_params.iter().map(|arg| {
        let name = ident(&arg.name);
        if arg.by_value() {
            quote!(#name)
        } else {
            quote!(&#name)
        }
    });
    let stream_name = ident(&this.stream_method);
    let pages_name = ident(&this.pages_method);
    let params_type = ident(&p.params_type);
    let page_type = ident(&p.page_type);
    let item_type = ident(&p.item_type);
    let data = ident(&p.data_field);
    let more = ident(&p.more_field);
    let cursor = ident(&p.cursor_field);
    let this_cursor = ident(&this.cursor_param);
    let clear_other = other.map(|other| {
        let other = ident(&other.cursor_param);
        quote!(params.#other = None;)
    });
    let more_value = if p.more_optional {
        quote!(page.#more.unwrap_or(false))
    } else {
        quote!(page.#more)
    };
    let cursor_value = if p.cursor_optional {
        quote!(.and_then(|item| item.#cursor.as_deref()))
    } else {
        quote!(.map(|item| item.#cursor.as_str()))
    };
    let direction = if backward {
        quote!(Direction::Backward)
    } else {
        quote!(Direction::Forward)
    };
    let (stream_docs, pages_docs) = walk_docs(list, p, backward, other.is_some());

    quote! {
        #stream_docs
        pub fn #stream_name(&self, #(#path_args,)* params: &#params_type) -> Items<#item_type> {
            self.#pages_name(#(#path_names,)* params).into_items(|page| page.#data)
        }

        #pages_docs
        pub fn #pages_name(&self, #(#path_args,)* params: &#params_type) -> Pages<#page_type> {
            #(#owned)*
            let client = self.clone();
            let params = params.clone();
            let start = params.#this_cursor.clone();
            Pages::new(
                #direction,
                start,
                move |cursor| {
                    let client = client.clone();
                    #(#per_call)*
                    let mut params = params.clone();
                    if let Some(cursor) = cursor {
                        params.#this_cursor = Some(cursor);
                        #clear_other
                    }
                    Box::pin(async move { client.#plain(#(#call_args,)* &params).await })
                },
                |page: &#page_type, direction| {
                    (#more_value, direction.edge(&page.#data)#cursor_value)
                },
            )
        }
    }
}

/// The docs of one direction's items and pages methods; `clears`: the other cursor is unset.
fn walk_docs(
    list: &List,
    p: &Pagination,
    backward: bool,
    clears: bool,
) -> (TokenStream, TokenStream) {
    let (way, by_wire, other_wire, edge, order) = if backward {
        (
            "backwards",
            "ending_before",
            "starting_after",
            "first",
            " (each page's items last to first)",
        )
    } else {
        ("forwards", "starting_after", "ending_before", "last", "")
    };
    let cleared = if clears {
        format!(" (and `{other_wire}` unset)")
    } else {
        String::new()
    };
    let common = [
        String::new(),
        format!(
            "Each page is requested with [`Client::{}`] and the caller's parameters, unchanged \
             but for `{by_wire}` = the `{}` of the {edge} item of the page before{cleared}.",
            list.method_name, p.cursor_wire
        ),
        String::new(),
        "Ends after a page whose more-flag is false or absent, an empty page, an item without \
         id, or an error (yielded first), and before a page the server already sent; nothing is \
         fetched before the stream is polled, nor after it is dropped."
            .to_owned(),
    ];
    let stream_first = format!(
        "Every item of [`Client::{}`], page after page, {way}{order}.",
        list.method_name
    );
    let pages_first = format!(
        "Every page of [`Client::{}`], {way}, as the server answers it.",
        list.method_name
    );
    (
        doc_attrs(&[[stream_first].as_slice(), &common].concat()),
        doc_attrs(&[[pages_first].as_slice(), &common].concat()),
    )
}

/// The docs note of a list operation's plain method: its stream methods, or why it has none.
pub(super) fn plain_method_note(api: &Api, op: &Operation) -> Vec<String> {
    let Some(list) = api.list(&op.id) else {
        return Vec::new();
    };
    let note = match &list.paging {
        Paging::Cursor(p) => {
            let methods: Vec<String> = std::iter::once(&p.forward)
                .chain(&p.backward)
                .flat_map(|w| [&w.stream_method, &w.pages_method])
                .map(|method| format!("[`Client::{method}`]"))
                .collect();
            format!(
                "One page of a cursor-paginated list; {} walk all of it.",
                methods.join(", ")
            )
        }
        Paging::NoCursor => "One page of a list. It has no `starting_after` parameter, so it is \
                             not walked page by page automatically (no stream method)."
            .to_owned(),
        Paging::NoItemId => "One page of a list. Its items have no id field to use as the \
                             cursor, so it is not walked page by page automatically (no stream \
                             method)."
            .to_owned(),
    };
    vec![String::new(), note]
}
