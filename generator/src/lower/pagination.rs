//! List operations, found by their shape in the lowered API (never by name), and how to walk them.
//!
//! A list is a GET answered by an object with an array `data` and a boolean more-flag (`has_more`;
//! any spelling that is `hasmore` once lowercased without `_`, since the settlement-account list
//! says `hasMore`). It is walked with cursors when it also has a `starting_after` query parameter;
//! the cursor is the item's id field (the rule is on [`crate::ir::Pagination`]).

use heck::ToSnakeCase;

use crate::Diagnostic;
use crate::ir::{
    Api, Field, FieldShape, HttpMethod, List, Operation, Pagination, Paging, ParamLocation, Struct,
    TypeKind, TypeRef, Walk,
};

/// The list operations of `api`, sorted by method name (as the operations are), and a diagnostic
/// for each list that cannot be walked although it has a cursor parameter.
pub(super) fn lists(api: &Api) -> (Vec<List>, Vec<Diagnostic>) {
    let mut lists = Vec::new();
    let mut diagnostics = Vec::new();
    let taken: std::collections::BTreeSet<&str> = api
        .operations
        .iter()
        .map(|op| op.method_name.as_str())
        .collect();
    for op in &api.operations {
        let Some(page) = page_shape(api, op) else {
            if op.http_method == HttpMethod::Get
                && query_field(op, "starting_after").is_some()
                && !matches!(op.response, None | Some(TypeRef::Json))
            {
                let message = format!(
                    "{} has a `starting_after` parameter but its answer has no array `data` \
                     and boolean `has_more`: it gets no stream method",
                    op.id
                );
                diagnostics.push(Diagnostic::at(&op.origin, message));
            }
            continue;
        };
        let paging = paging(api, op, page, &taken).unwrap_or_else(|message| {
            diagnostics.push(Diagnostic::at(&op.origin, message));
            Paging::NoItemId
        });
        lists.push(List {
            operation: op.id.clone(),
            method_name: op.method_name.clone(),
            paging,
        });
    }
    (lists, diagnostics)
}

/// The parts of a page answer: its type's name, its `data` field, the items' type, its more-flag.
type PageShape<'a> = (&'a str, &'a Field, &'a TypeRef, &'a Field);

fn page_shape<'a>(api: &'a Api, op: &'a Operation) -> Option<PageShape<'a>> {
    if op.http_method != HttpMethod::Get {
        return None;
    }
    let Some(TypeRef::Named(page_type)) = &op.response else {
        return None;
    };
    let page = struct_of(api, page_type)?;
    let data = page.fields.iter().find(|f| f.wire == "data")?;
    let TypeRef::Array(item) = &data.ty else {
        return None;
    };
    let more = page.fields.iter().find(|f| {
        f.ty == TypeRef::Bool && f.wire.replace('_', "").eq_ignore_ascii_case("hasmore")
    })?;
    Some((page_type, data, item, more))
}

/// `Err`: why a list with a cursor parameter cannot be walked (a diagnostic).
fn paging(
    api: &Api,
    op: &Operation,
    (page_type, data, item, more): PageShape<'_>,
    taken: &std::collections::BTreeSet<&str>,
) -> Result<Paging, String> {
    let (Some(params), Some(starting_after)) = (&op.params, query_field(op, "starting_after"))
    else {
        return Ok(Paging::NoCursor);
    };
    let TypeRef::Named(item_type) = item else {
        return Err(format!(
            "{}: the items of its answer are not objects, so no id field can be its cursor; \
             it gets no stream method",
            op.id
        ));
    };
    let cursor = struct_of(api, item_type).and_then(|item| cursor_field(item_type, item));
    let Some(cursor) = cursor else {
        return Err(format!(
            "{}: its items ({item_type}) have no string `id` or `<resource>_id` field to use as \
             the cursor; it gets no stream method",
            op.id
        ));
    };
    let walk = |cursor_param: &str, suffix: &str| Walk {
        cursor_param: cursor_param.to_owned(),
        stream_method: format!("{}_stream{suffix}", op.method_name),
        pages_method: format!("{}_pages{suffix}", op.method_name),
    };
    let forward = walk(starting_after, "");
    let backward = query_field(op, "ending_before").map(|param| walk(param, "_backward"));
    let clash = std::iter::once(&forward)
        .chain(&backward)
        .flat_map(|w| [&w.stream_method, &w.pages_method])
        .find(|name| taken.contains(name.as_str()));
    if let Some(clash) = clash {
        return Err(format!(
            "{}: its stream method name `{clash}` is another operation's method; \
             it gets no stream method",
            op.id
        ));
    }
    Ok(Paging::Cursor(Box::new(Pagination {
        params_type: params.name.clone(),
        forward,
        backward,
        page_type: page_type.to_owned(),
        data_field: data.name.clone(),
        item_type: item_type.clone(),
        more_field: more.name.clone(),
        more_optional: more.shape == FieldShape::Optional,
        cursor_field: cursor.name.clone(),
        cursor_wire: cursor.wire.clone(),
        cursor_optional: cursor.shape == FieldShape::Optional,
    })))
}

/// The Rust field of an optional string query parameter with this wire name.
fn query_field<'a>(op: &'a Operation, wire: &str) -> Option<&'a str> {
    op.params
        .as_ref()?
        .params
        .iter()
        .find(|p| {
            p.wire == wire
                && p.location == ParamLocation::Query
                && p.ty == TypeRef::String
                && !p.required
        })
        .map(|p| p.name.as_str())
}

/// `id`, else `<resource>_id` with `<resource>` the longest run of last words of the type name
/// (`V1RoyaltySettlement`: `v1_royalty_settlement_id`, `royalty_settlement_id`, `settlement_id`);
/// a string either way.
fn cursor_field<'a>(type_name: &str, item: &'a Struct) -> Option<&'a Field> {
    let string_field = |wire: &str| {
        item.fields
            .iter()
            .find(|f| f.wire == wire && f.ty == TypeRef::String)
    };
    if let Some(id) = string_field("id") {
        return Some(id);
    }
    let snake = type_name.to_snake_case();
    let words: Vec<&str> = snake.split('_').collect();
    (0..words.len()).find_map(|start| string_field(&format!("{}_id", words[start..].join("_"))))
}

/// The struct a named type is, looking through aliases.
fn struct_of<'a>(api: &'a Api, name: &str) -> Option<&'a Struct> {
    let mut name = name;
    // A chain longer than the number of types loops (lowering reports alias loops).
    for _ in 0..=api.types.len() {
        match &api.type_def(name)?.kind {
            TypeKind::Struct(s) => return Some(s),
            TypeKind::Alias(TypeRef::Named(next)) => name = next,
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::ir::Paging;
    use crate::{SpecSource, load, lower};

    /// Lists of every kind: walked (`has_more`, `hasMore`, `id`, `<resource>_id`), without a
    /// cursor parameter, without an item id, and a look-alike that is not a GET.
    const SPEC: &str = "swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /v1/orders:
    get:
      operationId: Orders_List
      parameters:
      - {name: limit, in: query, type: integer, format: int32}
      - {name: starting_after, in: query, type: string}
      - {name: ending_before, in: query, type: string}
      responses: {'200': {description: ok, schema: {$ref: '#/definitions/v1OrderList'}}}
    post:
      operationId: Orders_Bulk
      parameters:
      - {name: starting_after, in: query, type: string}
      responses: {'200': {description: ok, schema: {$ref: '#/definitions/v1OrderList'}}}
  /v1/accounts:
    get:
      operationId: Accounts_List
      parameters:
      - {name: starting_after, in: query, type: string}
      responses: {'200': {description: ok, schema: {$ref: '#/definitions/v1AccountList'}}}
  /v1/accounts/search:
    get:
      operationId: Accounts_Search
      parameters:
      - {name: q, in: query, type: string}
      responses: {'200': {description: ok, schema: {$ref: '#/definitions/v1AccountList'}}}
  /v1/notes:
    get:
      operationId: Notes_List
      parameters:
      - {name: starting_after, in: query, type: string}
      - {name: ending_before, in: query, type: string}
      responses: {'200': {description: ok, schema: {$ref: '#/definitions/v1NoteList'}}}
definitions:
  v1Order:
    type: object
    properties:
      customer_id: {type: string}
      order_id: {type: string}
  v1OrderList:
    type: object
    required: [has_more]
    properties:
      data: {type: array, items: {$ref: '#/definitions/v1Order'}}
      has_more: {type: boolean}
  v1Account:
    type: object
    properties:
      account_id: {type: string}
      id: {type: string}
  v1AccountList:
    type: object
    properties:
      data: {type: array, items: {$ref: '#/definitions/v1Account'}}
      hasMore: {type: boolean}
  v1Note:
    type: object
    properties:
      text: {type: string}
      author_id: {type: string}
  v1NoteList:
    type: object
    properties:
      data: {type: array, items: {$ref: '#/definitions/v1Note'}}
      has_more: {type: boolean}
";

    #[test]
    fn lists_are_found_by_shape_with_their_cursor_field_and_more_flag() {
        let loaded = load(&SpecSource {
            name: "lists.yaml",
            text: SPEC,
        })
        .expect("the fixture loads");
        let lowered = lower(&loaded).expect("the fixture lowers");
        let lists: Vec<String> = lowered
            .api
            .lists
            .iter()
            .map(|list| match &list.paging {
                Paging::Cursor(p) => format!(
                    "{}: {} items {} by {} ({}), more {}{}, stream {} pages {} backward {:?}",
                    list.operation,
                    p.page_type,
                    p.item_type,
                    p.cursor_field,
                    if p.cursor_optional {
                        "optional"
                    } else {
                        "required"
                    },
                    p.more_field,
                    if p.more_optional { "?" } else { "" },
                    p.forward.stream_method,
                    p.forward.pages_method,
                    p.backward
                        .as_ref()
                        .map(|b| (b.stream_method.as_str(), b.pages_method.as_str())),
                ),
                other => format!("{}: {other:?}", list.operation),
            })
            .collect();
        assert_eq!(
            lists,
            [
                "Accounts_List: V1AccountList items V1Account by id (optional), more has_more?, \
                 stream accounts_list_stream pages accounts_list_pages backward None",
                "Accounts_Search: NoCursor",
                "Notes_List: NoItemId",
                "Orders_List: V1OrderList items V1Order by order_id (optional), more has_more, \
                 stream orders_list_stream pages orders_list_pages backward \
                 Some((\"orders_list_stream_backward\", \"orders_list_pages_backward\"))",
            ]
        );
        let diagnostics: Vec<String> = lowered
            .diagnostics
            .iter()
            .map(ToString::to_string)
            .filter(|d| d.contains("(at /paths/"))
            .collect();
        assert_eq!(
            diagnostics,
            [
                "Notes_List: its items (V1Note) have no string `id` or `<resource>_id` field to use \
              as the cursor; it gets no stream method (at /paths/~1v1~1notes/get)"
            ]
        );
    }
}
