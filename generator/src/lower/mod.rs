//! Lowering: `openapiv3::OpenAPI` → [`ir::Api`]. Names, types and cycles are settled here.

mod classify;
mod context;
mod enums;
mod operations;
mod pagination;
mod query;
mod routes;
mod scalars;
mod schema;
mod servers;

use crate::{Diagnostic, Error, Loaded, boxes, cycles, ir, naming::TypeNames};

/// The IR plus what lowering had to approximate.
#[derive(Debug, Clone)]
pub struct Lowered {
    pub api: ir::Api,
    pub diagnostics: Vec<Diagnostic>,
}

pub(crate) fn lower(loaded: &Loaded) -> Result<Lowered, Error> {
    let empty = indexmap::IndexMap::new();
    let schemas = loaded
        .openapi
        .components
        .as_ref()
        .map_or(&empty, |c| &c.schemas);
    let names = TypeNames::for_components(schemas.keys().map(String::as_str));
    let cx = context::Context::new(loaded, names);
    let mut lowering = schema::SchemaLowering::new(cx, schemas)?;
    let operations = operations::operations(&mut lowering)?;
    let (types, mut cx) = lowering.finish();
    let base_url = servers::base_url(&mut cx);
    let api_key_header = servers::api_key_header(&mut cx);
    let mut diagnostics = cx.diagnostics;

    let info = &loaded.openapi.info;
    let mut api = ir::Api {
        title: info.title.clone(),
        version: info.version.clone(),
        description: info.description.clone(),
        types,
        operations,
        base_url,
        api_key_header,
        lists: Vec::new(),
    };
    diagnostics.extend(cycles::break_alias_loops(&mut api));
    let targets = api.field_targets();
    cycles::box_cycles(&mut api, &targets);
    boxes::box_optional_structs(&mut api, &targets);
    idempotency_tokens(&mut api);
    diagnostics.extend(query::object_query_params(&mut api));
    // Lists are recognised by the shape of the lowered types, so after every type and field is
    // final (a field on a reference cycle has just been boxed).
    let (lists, list_diagnostics) = pagination::lists(&api);
    api.lists = lists;
    diagnostics.extend(list_diagnostics);
    Ok(Lowered { api, diagnostics })
}

/// Finds each request body's idempotency token, the field the Justap document calls `ClientToken`:
/// the body is a struct (directly, not through an alias) with a `string` field whose JSON name,
/// lowercased without `_` and `-`, is `clienttoken` (`ClientToken`, `client_token`, `clientToken`).
/// The document describes the token in prose only, so its name is the one signal a spec gives.
fn idempotency_tokens(api: &mut ir::Api) {
    let is_token = |wire: &str| {
        let normalized: String = wire
            .chars()
            .filter(|c| !matches!(c, '_' | '-'))
            .flat_map(char::to_lowercase)
            .collect();
        normalized == "clienttoken"
    };
    let found: Vec<Option<ir::TokenField>> = api
        .operations
        .iter()
        .map(|op| {
            let ir::TypeRef::Named(name) = &op.body.as_ref()?.ty else {
                return None;
            };
            let ir::TypeKind::Struct(s) = &api.type_def(name)?.kind else {
                return None;
            };
            let field = s
                .fields
                .iter()
                .find(|f| f.ty == ir::TypeRef::String && is_token(&f.wire))?;
            Some(ir::TokenField {
                field: field.name.clone(),
            })
        })
        .collect();
    for (op, token) in api.operations.iter_mut().zip(found) {
        if let Some(body) = &mut op.body {
            body.idempotency_token = token;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{SpecSource, load, lower};

    /// The token field of each operation's body, by operationId.
    fn tokens(spec: &str) -> Vec<(String, Option<String>)> {
        let loaded = load(&SpecSource {
            name: "tokens.yaml",
            text: spec,
        })
        .expect("the fixture loads");
        let lowered = lower(&loaded).expect("the fixture lowers");
        lowered
            .api
            .operations
            .iter()
            .map(|op| {
                let field = op
                    .body
                    .as_ref()
                    .and_then(|b| b.idempotency_token.as_ref())
                    .map(|t| t.field.clone());
                (op.id.clone(), field)
            })
            .collect()
    }

    /// A `$ref` the loader resolves (percent-encoded, `~1`) names the same schema in lowering,
    /// for fields, for `allOf` parts and for components of other sections.
    #[test]
    fn encoded_refs_lower_to_the_schema_they_name() {
        let spec = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    post:
      operationId: A
      requestBody: {$ref: '#/components/requestBodies/Make%20One'}
      responses: {'200': {description: ok}}
components:
  requestBodies:
    Make One: {content: {application/json: {schema: {$ref: '#/components/schemas/a~1b'}}}}
  schemas:
    Foo Bar: {type: object, properties: {x: {type: string}}}
    a/b:
      type: object
      properties:
        plain: {$ref: '#/components/schemas/Foo%20Bar'}
        merged: {allOf: [{$ref: '#/components/schemas/Foo%20Bar'}], description: d}
";
        let loaded = load(&SpecSource {
            name: "refs.yaml",
            text: spec,
        })
        .expect("the document loads");
        let api = lower(&loaded).expect("the document lowers").api;
        let Some(crate::ir::TypeDef {
            kind: crate::ir::TypeKind::Struct(s),
            ..
        }) = api.types.iter().find(|t| t.name == "AB")
        else {
            panic!(
                "no struct AB in {:?}",
                api.types.iter().map(|t| &t.name).collect::<Vec<_>>()
            );
        };
        let fields: Vec<String> = s
            .fields
            .iter()
            .map(|f| format!("{}: {}", f.name, f.rust_type()))
            .collect();
        // Optional struct fields are boxed (boxes.rs).
        assert_eq!(
            fields,
            ["plain: Option<Box<FooBar>>", "merged: Option<Box<FooBar>>"]
        );
        let body = api.operations.first().and_then(|op| op.body.as_ref());
        assert_eq!(
            body.map(|b| b.ty.rust_type().to_string()).as_deref(),
            Some("AB")
        );
    }

    #[test]
    fn a_string_body_field_named_client_token_in_any_spelling_is_the_idempotency_token() {
        let spec = "swagger: '2.0'
info: {title: t, version: '1'}
definitions:
  Camel: {type: object, properties: {name: {type: string}, ClientToken: {type: string}}}
  Lower: {type: object, properties: {clientToken: {type: string}}}
  Snake: {type: object, required: [client_token], properties: {client_token: {type: string}}}
  Kebab: {type: object, properties: {client-token: {type: string}}}
  Number: {type: object, properties: {client_token: {type: integer}}}
  Other: {type: object, properties: {token: {type: string}, client_tokens: {type: string}}}
paths:
  /a: {post: {operationId: A, parameters: [{in: body, name: body, required: true, schema: {$ref: '#/definitions/Camel'}}], responses: {'200': {description: ok}}}}
  /b: {post: {operationId: B, parameters: [{in: body, name: body, schema: {$ref: '#/definitions/Lower'}}], responses: {'200': {description: ok}}}}
  /c: {put: {operationId: C, parameters: [{in: body, name: body, required: true, schema: {$ref: '#/definitions/Snake'}}], responses: {'200': {description: ok}}}}
  /d: {post: {operationId: D, parameters: [{in: body, name: body, required: true, schema: {$ref: '#/definitions/Kebab'}}], responses: {'200': {description: ok}}}}
  /e: {post: {operationId: E, parameters: [{in: body, name: body, required: true, schema: {$ref: '#/definitions/Number'}}], responses: {'200': {description: ok}}}}
  /f: {post: {operationId: F, parameters: [{in: body, name: body, required: true, schema: {$ref: '#/definitions/Other'}}], responses: {'200': {description: ok}}}}
  /g: {get: {operationId: G, responses: {'200': {description: ok}}}}
";
        let field = |s: &str| Some(s.to_owned());
        assert_eq!(
            tokens(spec),
            vec![
                ("A".to_owned(), field("client_token")),
                ("B".to_owned(), field("client_token")),
                ("C".to_owned(), field("client_token")),
                ("D".to_owned(), field("client_token")),
                ("E".to_owned(), None),
                ("F".to_owned(), None),
                ("G".to_owned(), None),
            ]
        );
    }

    #[test]
    fn the_justap_spec_has_no_idempotency_token() {
        // Its intro describes `ClientToken`, but no request model of this release has the field.
        let text = include_str!("../../../spec/justap.yaml");
        assert!(tokens(text).iter().all(|(_, field)| field.is_none()));
    }
}
