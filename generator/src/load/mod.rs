//! Loading: spec text → one `openapiv3::OpenAPI`, whatever the input format.
//!
//! Steps: parse YAML or JSON into a JSON value → detect the version → settle dangling `$ref`s (with
//! diagnostics) → upgrade Swagger 2.0 in-process → deserialize into `openapiv3::OpenAPI`.

mod deserialize;
mod parse;
pub(crate) mod pointer;
mod refs;
mod sourcemap;
mod status;
mod swagger2;
mod version;

use crate::{Diagnostic, Error, SpecSource};

/// The input's format before upgrade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    Swagger2,
    OpenApi30,
}

/// A document ready for lowering.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Display name of the spec (for messages).
    pub file: String,
    pub format: SourceFormat,
    pub openapi: openapiv3::OpenAPI,
    pub diagnostics: Vec<Diagnostic>,
}

impl SourceFormat {
    /// JSON pointer of the named-schema map in a document of this format as written.
    pub(crate) fn schemas_pointer(self) -> &'static str {
        match self {
            SourceFormat::Swagger2 => "/definitions",
            SourceFormat::OpenApi30 => "/components/schemas",
        }
    }
}

impl Loaded {
    /// JSON pointer of a named schema in the document as written.
    pub fn schema_pointer(&self, name: &str) -> String {
        format!(
            "{}/{}",
            self.format.schemas_pointer(),
            crate::error::pointer_token(name)
        )
    }
}

/// Parses, repairs and upgrades a spec document.
///
/// Diagnostics: a numeric `info.version`, dangling `$ref`s (sorted by ref), then upgrade fallbacks
/// (sorted by message).
pub fn load(source: &SpecSource<'_>) -> Result<Loaded, Error> {
    let file = source.name;
    let mut doc = parse::parse(file, source.text)?;
    let format = version::detect(file, &doc)?;
    let mut diagnostics = version::quote_numeric_versions(&mut doc);
    diagnostics.extend(refs::settle(&mut doc, format).map_err(|e| e.in_file(file))?);
    let openapi = match format {
        SourceFormat::OpenApi30 => deserialize::to_openapi(doc, None),
        SourceFormat::Swagger2 => {
            let upgraded = swagger2::upgrade(doc).map_err(|e| e.in_file(file))?;
            diagnostics.extend(upgraded.diagnostics);
            deserialize::to_openapi(upgraded.document, Some(&upgraded.source_map))
        }
    }
    .map_err(|e| e.in_file(file))?;
    Ok(Loaded {
        file: file.to_owned(),
        format,
        openapi,
        diagnostics,
    })
}

#[cfg(test)]
mod tests {
    use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, StatusCode};
    use serde_json::{Value, json};

    use super::*;

    fn try_load(text: &str) -> Result<Loaded, Error> {
        load(&SpecSource {
            name: "test.yaml",
            text,
        })
    }

    fn ok(text: &str) -> Loaded {
        match try_load(text) {
            Ok(loaded) => loaded,
            Err(e) => panic!("{e}"),
        }
    }

    /// The loaded document as JSON, for pointer lookups.
    fn json(loaded: &Loaded) -> Value {
        serde_json::to_value(&loaded.openapi).unwrap_or_default()
    }

    fn at(loaded: &Loaded, pointer: &str) -> Value {
        json(loaded)
            .pointer(pointer)
            .cloned()
            .unwrap_or(Value::Null)
    }

    fn operation_count(openapi: &OpenAPI) -> usize {
        openapi.operations().count()
    }

    fn schema_count(openapi: &OpenAPI) -> usize {
        openapi.components.as_ref().map_or(0, |c| c.schemas.len())
    }

    const SWAGGER_HEAD: &str = "swagger: '2.0'\ninfo: {title: t, version: '1'}\n";

    #[test]
    fn yaml_and_json_load_alike() {
        let yaml = ok(
            "swagger: '2.0'\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      \
            responses:\n        '200':\n          description: ok\n",
        );
        let json = ok(
            r#"{"swagger": "2.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}}"#,
        );
        assert_eq!(yaml.openapi, json.openapi);
        assert_eq!(yaml.format, SourceFormat::Swagger2);
        assert_eq!(yaml.openapi.openapi, "3.0.3");
    }

    #[test]
    fn unquoted_integer_response_keys() {
        let loaded = ok(&format!(
            "{SWAGGER_HEAD}paths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n        \
             404:\n          description: nf\n"
        ));
        let Some((_, _, op)) = loaded.openapi.operations().next() else {
            panic!("no operation")
        };
        let codes: Vec<_> = op.responses.responses.keys().cloned().collect();
        assert_eq!(codes, [StatusCode::Code(200), StatusCode::Code(404)]);
    }

    #[test]
    fn syntax_error_names_line_and_column() {
        let Err(Error::Parse { file, message }) = try_load("swagger: '2.0'\npaths: {a: [1, 2}\n")
        else {
            panic!("expected a parse error");
        };
        assert_eq!(file, "test.yaml");
        assert!(
            message.contains("line 2") && message.contains("column"),
            "{message}"
        );
    }

    #[test]
    fn version_detection() {
        assert_eq!(
            ok(&format!("{SWAGGER_HEAD}paths: {{}}\n")).format,
            SourceFormat::Swagger2
        );
        let oas = ok("openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\n");
        assert_eq!(
            (oas.format, oas.openapi.openapi.as_str()),
            (SourceFormat::OpenApi30, "3.0.1")
        );
        let found = |text: &str| match try_load(text) {
            Err(Error::UnsupportedVersion { found, .. }) => found,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            found("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"),
            "openapi 3.1.0"
        );
        assert!(found("openapi: 3.1.0\n").contains("3.1.0"));
        assert_eq!(found("info: {title: t}\n"), "no 'swagger' or 'openapi' key");
        assert!(
            matches!(try_load("- a\n"), Err(Error::Spec { pointer, .. }) if pointer.is_empty())
        );
    }

    const STATUS_DOC: &str = "
paths:
  /a:
    get:
      responses:
        '200': {description: ok, schema: {$ref: '#/definitions/Thing'}}
        '401': {description: u, schema: {$ref: '#/definitions/rpcStatus'}}
        '500': {description: e, schema: {$ref: '#/definitions/rpcStatus'}}
  /b:
    post:
      responses:
        '503': {description: e, schema: {$ref: '#/definitions/rpcStatus'}}
definitions:
  Thing:
    type: object
    properties:
      extra: {$ref: '#/definitions/Missing', description: kept}
  protobufAny:
    type: object
    properties:
      '@type': {type: string}
";

    const GOOGLE_STATUS: &str = "
  googlerpcStatus:
    type: object
    properties:
      code: {type: integer, format: int32}
      message: {type: string}
      details: {type: array, items: {$ref: '#/definitions/protobufAny'}}
";

    #[test]
    fn dangling_error_response_ref_is_redirected_with_one_diagnostic() {
        let loaded = ok(&format!("{SWAGGER_HEAD}{STATUS_DOC}{GOOGLE_STATUS}"));
        let status = json!({"$ref": "#/components/schemas/googlerpcStatus"});
        for pointer in [
            "/paths/~1a/get/responses/401/content/application~1json/schema",
            "/paths/~1a/get/responses/500/content/application~1json/schema",
            "/paths/~1b/post/responses/503/content/application~1json/schema",
        ] {
            assert_eq!(at(&loaded, pointer), status, "{pointer}");
        }
        let rpc: Vec<_> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.message.contains("rpcStatus"))
            .collect();
        assert_eq!(rpc.len(), 1);
        assert_eq!(
            rpc.first().map(|d| d.pointers.clone()),
            Some(vec![
                "/paths/~1a/get/responses/401/schema".to_owned(),
                "/paths/~1a/get/responses/500/schema".to_owned(),
                "/paths/~1b/post/responses/503/schema".to_owned(),
            ])
        );
    }

    #[test]
    fn dangling_ref_elsewhere_becomes_any_value() {
        let loaded = ok(&format!("{SWAGGER_HEAD}{STATUS_DOC}{GOOGLE_STATUS}"));
        assert_eq!(
            at(&loaded, "/components/schemas/Thing/properties/extra"),
            json!({"description": "kept"})
        );
        let missing: Vec<_> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.message.contains("Missing"))
            .collect();
        assert_eq!(missing.len(), 1);
        assert_eq!(
            missing.first().map(|d| d.pointers.clone()),
            Some(vec!["/definitions/Thing/properties/extra".to_owned()])
        );
    }

    #[test]
    fn status_is_synthesized_when_the_document_has_none() {
        let loaded = ok(&format!("{SWAGGER_HEAD}{STATUS_DOC}"));
        assert_eq!(
            at(
                &loaded,
                "/paths/~1a/get/responses/401/content/application~1json/schema"
            ),
            json!({"$ref": "#/components/schemas/rpcStatus"})
        );
        assert_eq!(
            at(
                &loaded,
                "/components/schemas/rpcStatus/properties/details/items"
            ),
            json!({"$ref": "#/components/schemas/protobufAny"})
        );
        assert!(
            loaded
                .diagnostics
                .iter()
                .any(|d| d.message.contains("synthesized"))
        );
    }

    #[test]
    fn external_ref_is_an_error_at_its_place() {
        let text = format!(
            "{SWAGGER_HEAD}paths: {{}}\ndefinitions:\n  A:\n    properties:\n      b: {{$ref: 'common.yaml#/B'}}\n"
        );
        let Err(Error::Spec {
            pointer, message, ..
        }) = try_load(&text)
        else {
            panic!("expected an error")
        };
        assert_eq!(pointer, "/definitions/A/properties/b");
        assert!(
            message.contains("external $ref 'common.yaml#/B' is not supported"),
            "{message}"
        );
    }

    #[test]
    fn ref_with_description_and_x_nullable() {
        let loaded = ok(&format!(
            "{SWAGGER_HEAD}paths: {{}}\ndefinitions:\n  B: {{type: string}}\n  A:\n    type: object\n    properties:\n      \
             b: {{$ref: '#/definitions/B', description: the b}}\n      n: {{type: string, x-nullable: true}}\n"
        ));
        assert_eq!(
            at(&loaded, "/components/schemas/A/properties/b"),
            json!({"allOf": [{"$ref": "#/components/schemas/B"}], "description": "the b"})
        );
        assert_eq!(
            at(&loaded, "/components/schemas/A/properties/n/nullable"),
            json!(true)
        );
    }

    const OPERATIONS: &str = "
paths:
  /charges:
    get:
      operationId: List
      parameters:
      - {name: created.lt, in: query, type: integer, format: int64, default: 0}
      - {name: channel, in: query, type: string, default: A, enum: [A, B]}
      - {name: ids, in: query, type: array, items: {type: string}, collectionFormat: multi}
      - {name: tags, in: query, type: array, items: {type: string}}
      responses:
        200: {description: ok}
    post:
      operationId: Create
      parameters:
      - {in: body, name: body, required: true, schema: {$ref: '#/definitions/Req'}}
      responses:
        200: {description: ok}
  /upload:
    post:
      operationId: Upload
      consumes: [multipart/form-data]
      parameters:
      - {in: formData, name: note, type: string, required: true}
      responses:
        200: {description: ok}
definitions:
  Req: {type: object, properties: {amount: {type: integer}}}
";

    fn query_param<'a>(loaded: &'a Loaded, op_id: &str, name: &str) -> Option<&'a Parameter> {
        let (_, _, op) = loaded
            .openapi
            .operations()
            .find(|(_, _, op)| op.operation_id.as_deref() == Some(op_id))?;
        op.parameters
            .iter()
            .filter_map(ReferenceOr::as_item)
            .find(|p| p.parameter_data_ref().name == name)
    }

    #[test]
    fn query_parameters_with_dots_enum_and_default() {
        let loaded = ok(&format!("{SWAGGER_HEAD}{OPERATIONS}"));
        let Some(Parameter::Query { parameter_data, .. }) =
            query_param(&loaded, "List", "created.lt")
        else {
            panic!("no created.lt");
        };
        let ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = &parameter_data.format
        else {
            panic!("no inline schema");
        };
        assert_eq!(schema.schema_data.default, Some(json!(0)));
        assert_eq!(
            at(&loaded, "/paths/~1charges/get/parameters/1/schema"),
            json!({"type": "string", "default": "A", "enum": ["A", "B"]})
        );
    }

    #[test]
    fn collection_formats_multi_and_csv() {
        let loaded = ok(&format!("{SWAGGER_HEAD}{OPERATIONS}"));
        let style = |name: &str| match query_param(&loaded, "List", name) {
            Some(Parameter::Query {
                style,
                parameter_data,
                ..
            }) => (style.clone(), parameter_data.explode),
            other => panic!("{other:?}"),
        };
        assert_eq!(style("ids"), (openapiv3::QueryStyle::Form, Some(true)));
        assert_eq!(style("tags"), (openapiv3::QueryStyle::Form, Some(false)));
    }

    #[test]
    fn body_and_form_data_become_request_bodies() {
        let loaded = ok(&format!("{SWAGGER_HEAD}{OPERATIONS}"));
        assert_eq!(
            at(
                &loaded,
                "/paths/~1charges/post/requestBody/content/application~1json/schema"
            ),
            json!({"$ref": "#/components/schemas/Req"})
        );
        assert_eq!(
            at(&loaded, "/paths/~1charges/post/requestBody/required"),
            json!(true)
        );
        assert_eq!(
            at(
                &loaded,
                "/paths/~1upload/post/requestBody/content/multipart~1form-data/schema"
            ),
            json!({"type": "object", "properties": {"note": {"type": "string"}}, "required": ["note"]})
        );
    }

    #[test]
    fn servers_and_api_key_security() {
        let loaded = ok(&format!(
            "{SWAGGER_HEAD}host: api.justap.cn\nbasePath: /v1\nschemes: [https, http]\npaths: {{}}\n\
             securityDefinitions:\n  ApiKeyAuth: {{type: apiKey, name: X-JUSTAP-API-KEY, in: header}}\n\
             security:\n- ApiKeyAuth: []\n"
        ));
        let urls: Vec<_> = loaded
            .openapi
            .servers
            .iter()
            .map(|s| s.url.as_str())
            .collect();
        assert_eq!(
            urls,
            ["https://api.justap.cn/v1", "http://api.justap.cn/v1"]
        );
        let schemes = loaded
            .openapi
            .components
            .as_ref()
            .map(|c| &c.security_schemes);
        let Some(Some(ReferenceOr::Item(openapiv3::SecurityScheme::APIKey {
            location, name, ..
        }))) = schemes.map(|s| s.get("ApiKeyAuth"))
        else {
            panic!("no api key scheme");
        };
        assert_eq!(
            (location, name.as_str()),
            (&openapiv3::APIKeyLocation::Header, "X-JUSTAP-API-KEY")
        );
        assert_eq!(loaded.openapi.security.as_ref().map(Vec::len), Some(1));
    }

    #[test]
    fn swagger_structural_errors_point_into_the_original() {
        let text = format!(
            "{SWAGGER_HEAD}paths:\n  /a:\n    get:\n      parameters:\n      - {{name: q, type: string}}\n      \
             responses: {{200: {{description: ok}}}}\n"
        );
        let Err(Error::Spec {
            pointer, message, ..
        }) = try_load(&text)
        else {
            panic!("expected an error")
        };
        assert_eq!(
            (pointer.as_str(), message.as_str()),
            ("/paths/~1a/get/parameters/0", "parameter without 'in'")
        );
    }

    #[test]
    fn swagger_deserialize_errors_point_at_definitions() {
        let text = format!(
            "{SWAGGER_HEAD}paths: {{}}\ndefinitions:\n  A:\n    type: object\n    required: yes\n"
        );
        let Err(Error::Spec { pointer, .. }) = try_load(&text) else {
            panic!("expected an error")
        };
        assert!(pointer.starts_with("/definitions/A"), "{pointer}");
    }

    #[test]
    fn real_justap_spec() {
        let loaded = ok(include_str!("../../../spec/justap.yaml"));
        assert_eq!(schema_count(&loaded.openapi), 145);
        assert_eq!(operation_count(&loaded.openapi), 39);
        assert_eq!(loaded.diagnostics.len(), 1, "{:?}", loaded.diagnostics);
        let rpc: Vec<_> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.message.contains("'#/definitions/rpcStatus'"))
            .collect();
        assert_eq!(rpc.len(), 1);
        assert_eq!(rpc.first().map(|d| d.pointers.len()), Some(195));
        assert_eq!(
            rpc.first().map(|d| d.message.as_str()),
            Some(
                "dangling $ref '#/definitions/rpcStatus': no such definition; error responses use \
                 '#/definitions/googlerpcStatus' (gRPC Status shape) instead"
            )
        );

        let Some((path, method, _)) = loaded
            .openapi
            .operations()
            .find(|(_, _, op)| op.operation_id.as_deref() == Some("ChargeService_QueryChargeList"))
        else {
            panic!("no ChargeService_QueryChargeList");
        };
        let pointer = format!(
            "/paths/{}/{method}/responses/401/content/application~1json/schema",
            crate::error::pointer_token(path)
        );
        assert_eq!(
            at(&loaded, &pointer),
            json!({"$ref": "#/components/schemas/googlerpcStatus"})
        );

        assert_eq!(loaded.schema_pointer("v1Charge"), "/definitions/v1Charge");
        let Some(ReferenceOr::Item(charge)) = loaded
            .openapi
            .components
            .as_ref()
            .and_then(|c| c.schemas.get("v1Charge"))
        else {
            panic!("no v1Charge");
        };
        let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &charge.schema_kind
        else {
            panic!("v1Charge is not an object");
        };
        let loaded_order: Vec<&str> = object.properties.keys().map(String::as_str).collect();
        // The text happens to be alphabetical; `property_order_is_the_text_order` covers other orders.
        assert_eq!(
            loaded_order,
            text_property_order(include_str!("../../../spec/justap.yaml"), "v1Charge")
        );
        assert_eq!(loaded_order.first().copied(), Some("amount"));
    }

    #[test]
    fn property_order_is_the_text_order() {
        let loaded = ok(&format!(
            "{SWAGGER_HEAD}paths: {{}}\ndefinitions:\n  A:\n    type: object\n    properties:\n      \
             zeta: {{type: string}}\n      alpha: {{type: string}}\n      mid: {{type: string}}\n"
        ));
        let Some(ReferenceOr::Item(a)) = loaded
            .openapi
            .components
            .as_ref()
            .and_then(|c| c.schemas.get("A"))
        else {
            panic!("no A");
        };
        let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &a.schema_kind else {
            panic!("A is not an object");
        };
        let order: Vec<&str> = object.properties.keys().map(String::as_str).collect();
        assert_eq!(order, ["zeta", "alpha", "mid"]);
    }

    /// Property names of a definition in the order of the text (serde_yaml keeps it).
    fn text_property_order<'a>(text: &'a str, definition: &str) -> Vec<&'a str> {
        let mut in_definition = false;
        let mut in_properties = false;
        let mut names = Vec::new();
        for line in text.lines() {
            if line == format!("  {definition}:") {
                in_definition = true;
            } else if in_definition && !line.starts_with("    ") {
                break;
            } else if in_definition && line == "    properties:" {
                in_properties = true;
            } else if in_properties && line.starts_with("      ") && !line.starts_with("       ") {
                names.push(line.trim().trim_end_matches(':'));
            } else if in_properties && !line.starts_with("      ") {
                in_properties = false;
            }
        }
        names
    }

    #[test]
    fn justap_fixtures_load() {
        let old = ok(include_str!(
            "../../../tests/fixtures/specs/justap-1.0.yaml"
        ));
        assert_eq!(
            (
                old.format,
                schema_count(&old.openapi),
                operation_count(&old.openapi)
            ),
            (SourceFormat::Swagger2, 70, 7)
        );
        let oas = ok(include_str!(
            "../../../tests/fixtures/specs/justap-1.4.0.yaml"
        ));
        assert_eq!(
            (
                oas.format,
                schema_count(&oas.openapi),
                operation_count(&oas.openapi)
            ),
            (SourceFormat::OpenApi30, 69, 7)
        );
        assert!(oas.diagnostics.is_empty(), "{:?}", oas.diagnostics);
    }
}
