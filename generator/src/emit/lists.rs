//! `src/lists.rs`: the stream and pages methods of the list operations that are walked with
//! cursors (`ir::Paging::Cursor`), in their own `impl Client` block; each page is requested by the
//! operation's plain method. Also the note the plain methods of lists carry in their docs.

use proc_macro2::TokenStream;
use quote::quote;

use super::parts::{Part, RustFile};
use super::{doc_attrs, ident};
use crate::ir::{Api, List, Operation, Pagination, Paging, TypeRef, ValueEncoding};

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
    let mut models: Vec<&str> = walked
        .iter()
        .flat_map(|(_, p, _)| [p.page_type.as_str(), p.item_type.as_str()])
        .collect();
    models.sort_unstable();
    models.dedup();
    let models = models.into_iter().map(ident);
    let mut params: Vec<&str> = walked
        .iter()
        .map(|(_, p, _)| p.params_type.as_str())
        .collect();
    params.sort_unstable();
    params.dedup();
    let params = params.into_iter().map(ident);
    let methods = walked.iter().map(|(list, p, op)| methods(list, p, op));
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

fn methods(list: &List, p: &Pagination, op: &Operation) -> TokenStream {
    let forward = walk(list, p, op, false, &p.stream_method, &p.pages_method);
    let backward = p
        .backward
        .as_ref()
        .map(|b| walk(list, p, op, true, &b.stream_method, &b.pages_method));
    quote!(#forward #backward)
}

/// The items and pages methods of one direction.
fn walk(
    list: &List,
    p: &Pagination,
    op: &Operation,
    backward: bool,
    stream_method: &str,
    pages_method: &str,
) -> TokenStream {
    let plain = ident(&list.method_name);
    // Path arguments as the plain method takes them; the walk keeps its own copies, and lends
    // them to each page's call.
    let path_args: Vec<TokenStream> = op
        .path_params
        .iter()
        .map(|arg| {
            let name = ident(&arg.name);
            let ty = arg.arg_type();
            quote!(#name: #ty)
        })
        .collect();
    let path_names: Vec<syn::Ident> = op.path_params.iter().map(|arg| ident(&arg.name)).collect();
    let owned = op.path_params.iter().map(|arg| {
        let name = ident(&arg.name);
        match (&arg.ty, arg.encoding) {
            (TypeRef::String, _) => quote!(let #name = #name.to_owned();),
            (TypeRef::Array(_), _) => quote!(let #name = #name.to_vec();),
            (_, ValueEncoding::Display) => quote!(),
            _ => quote!(let #name = #name.clone();),
        }
    });
    let owned: Vec<TokenStream> = owned.collect();
    // Numbers and booleans are `Copy`; the rest is cloned for each page's call.
    let per_call = op
        .path_params
        .iter()
        .filter(|arg| arg.ty == TypeRef::String || arg.encoding != ValueEncoding::Display)
        .map(|arg| {
            let name = ident(&arg.name);
            quote!(let #name = #name.clone();)
        });
    let call_args = op.path_params.iter().map(|arg| {
        let name = ident(&arg.name);
        match (&arg.ty, arg.encoding) {
            (TypeRef::String | TypeRef::Array(_), _) => quote!(&#name),
            (_, ValueEncoding::Display) => quote!(#name),
            _ => quote!(&#name),
        }
    });
    let stream_name = ident(stream_method);
    let pages_name = ident(pages_method);
    let params_type = ident(&p.params_type);
    let page_type = ident(&p.page_type);
    let item_type = ident(&p.item_type);
    let data = ident(&p.data_field);
    let more = ident(&p.more_field);
    let cursor = ident(&p.cursor_field);
    let starting_after = ident(&p.starting_after);
    // Forward: the cursor goes in `starting_after`; backward in `ending_before`; the other cursor
    // is cleared from the second page on, since the server cannot honour both.
    let (direction, this, other) = match (&p.ending_before, backward) {
        (Some(ending_before), true) => {
            let ending_before = ident(ending_before);
            (
                quote!(Direction::Backward),
                ending_before,
                Some(starting_after),
            )
        }
        (ending_before, _) => (
            quote!(Direction::Forward),
            starting_after,
            ending_before.as_deref().map(ident),
        ),
    };
    let clear_other = other.map(|other| quote!(params.#other = None;));
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

    let (way, by_wire, other_wire, edge) = if backward {
        ("backwards", "ending_before", "starting_after", "first")
    } else {
        ("forwards", "starting_after", "ending_before", "last")
    };
    let cleared = if p.ending_before.is_some() {
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
    let mut stream_docs = vec![format!(
        "Every item of [`Client::{}`], page after page, {way}{}.",
        list.method_name,
        if backward {
            " (each page's items last to first)"
        } else {
            ""
        }
    )];
    stream_docs.extend(common.iter().cloned());
    let mut pages_docs = vec![format!(
        "Every page of [`Client::{}`], {way}, as the server answers it.",
        list.method_name
    )];
    pages_docs.extend(common.iter().cloned());
    let stream_docs = doc_attrs(&stream_docs);
    let pages_docs = doc_attrs(&pages_docs);

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
            let start = params.#this.clone();
            Pages::new(
                #direction,
                start,
                move |cursor| {
                    let client = client.clone();
                    #(#per_call)*
                    let mut params = params.clone();
                    if let Some(cursor) = cursor {
                        params.#this = Some(cursor);
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

/// The docs note of a list operation's plain method: its stream methods, or why it has none.
pub(super) fn plain_method_note(api: &Api, op: &Operation) -> Vec<String> {
    let Some(list) = api.list(&op.id) else {
        return Vec::new();
    };
    let note = match &list.paging {
        Paging::Cursor(p) => {
            let mut methods = vec![
                format!("[`Client::{}`]", p.stream_method),
                format!("[`Client::{}`]", p.pages_method),
            ];
            if let Some(b) = &p.backward {
                methods.push(format!("[`Client::{}`]", b.stream_method));
                methods.push(format!("[`Client::{}`]", b.pages_method));
            }
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
