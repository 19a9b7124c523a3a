//! Lowering: `openapiv3::OpenAPI` → [`ir::Api`]. Names, types and cycles are settled here.

mod operations;
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
    let mut lowering = schema::SchemaLowering::new(loaded, names);
    lowering.components(schemas)?;
    lowering.reuse_identical_enums();
    let operations = operations::operations(&mut lowering, loaded)?;
    let base_url = servers::base_url(&loaded.openapi, loaded.format, &mut lowering);
    let api_key_header = servers::api_key_header(&loaded.openapi, loaded.format, &mut lowering);
    let (types, diagnostics) = lowering.finish();

    let info = &loaded.openapi.info;
    let mut api = ir::Api {
        title: info.title.clone(),
        version: info.version.clone(),
        description: info.description.clone(),
        types,
        operations,
        base_url,
        api_key_header,
    };
    let targets = api.field_targets();
    cycles::box_cycles(&mut api, &targets);
    boxes::box_optional_structs(&mut api, &targets);
    idempotency_tokens(&mut api);
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
                .find(|f| f.ty == ir::TypeRef::String && !f.boxed && is_token(&f.wire))?;
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
