//! Lowering: `openapiv3::OpenAPI` → [`ir::Api`]. Names, types and cycles are settled here.

mod operations;
mod pagination;
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
    let (types, mut diagnostics) = lowering.finish();

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
    let targets = api.field_targets();
    cycles::box_cycles(&mut api, &targets);
    boxes::box_optional_structs(&mut api, &targets);
    // Lists are recognised by the shape of the lowered types, so after every type and field is
    // final (a field on a reference cycle has just become optional).
    let (lists, list_diagnostics) = pagination::lists(&api);
    api.lists = lists;
    diagnostics.extend(list_diagnostics);
    Ok(Lowered { api, diagnostics })
}
