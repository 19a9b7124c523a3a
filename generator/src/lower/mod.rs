//! Lowering: `openapiv3::OpenAPI` → [`ir::Api`]. Names, types and cycles are settled here.

mod schema;

use crate::{Diagnostic, Error, Loaded, cycles, ir, naming::TypeNames};

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
    for (spec_name, schema) in schemas {
        lowering.component(spec_name, schema)?;
    }
    let (types, diagnostics) = lowering.finish();

    let info = &loaded.openapi.info;
    let mut api = ir::Api {
        title: info.title.clone(),
        version: info.version.clone(),
        description: info.description.clone(),
        types,
    };
    cycles::box_cycles(&mut api);
    Ok(Lowered { api, diagnostics })
}
