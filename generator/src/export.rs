//! The upgraded OpenAPI 3.0 document (what the generator consumed) as YAML or JSON text.

use crate::{Error, Loaded};

/// Text format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Yaml,
    Json,
}

/// Serializes the loaded document (Swagger 2.0 upgraded, dangling refs settled).
///
/// The text has LF line endings and ends with one newline. Loading it back as OpenAPI 3.0 gives
/// the same document, so it generates the same crate as the original spec.
pub fn openapi3(loaded: &Loaded, format: ExportFormat) -> Result<String, Error> {
    let mut text = match format {
        ExportFormat::Yaml => serde_yaml::to_string(&loaded.openapi)
            .map_err(|e| Error::Internal(format!("serializing {} as YAML: {e}", loaded.file)))?,
        ExportFormat::Json => serde_json::to_string_pretty(&loaded.openapi)
            .map_err(|e| Error::Internal(format!("serializing {} as JSON: {e}", loaded.file)))?,
    };
    // Both serializers escape `\r` inside strings and emit `\n` between lines; only the final
    // newline may be missing (serde_json never writes one).
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::{SourceFormat, SpecSource, load};

    fn loaded(text: &str) -> Loaded {
        match load(&SpecSource {
            name: "test.yaml",
            text,
        }) {
            Ok(loaded) => loaded,
            Err(e) => panic!("{e}"),
        }
    }

    fn export(loaded: &Loaded, format: ExportFormat) -> String {
        match openapi3(loaded, format) {
            Ok(text) => text,
            Err(e) => panic!("{e}"),
        }
    }

    const SWAGGER: &str = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      \
        operationId: A\n      responses:\n        '200': {description: \"line one\\r\\nline two\", \
        schema: {$ref: '#/definitions/Missing'}}\ndefinitions:\n  B: {type: string}\n";

    #[test]
    fn swagger2_becomes_openapi_3_0_3_in_both_formats() {
        let loaded = loaded(SWAGGER);
        for format in [ExportFormat::Yaml, ExportFormat::Json] {
            let text = export(&loaded, format);
            assert!(
                text.ends_with('\n') && !text.ends_with("\n\n"),
                "{format:?}"
            );
            assert!(!text.contains('\r'), "{format:?}: {text}");
            let value: Value = match format {
                ExportFormat::Yaml => serde_yaml::from_str(&text).unwrap_or_default(),
                ExportFormat::Json => serde_json::from_str(&text).unwrap_or_default(),
            };
            assert_eq!(value["openapi"], "3.0.3", "{format:?}");
            assert!(value.get("swagger").is_none(), "{format:?}");
            assert!(
                value["components"]["schemas"]["B"].is_object(),
                "{format:?}"
            );
            // The dangling ref was settled before the export.
            assert!(!text.contains("#/definitions/"), "{format:?}: {text}");

            let back = self::loaded(&text);
            assert_eq!(back.format, SourceFormat::OpenApi30);
            assert_eq!(back.openapi, loaded.openapi, "{format:?}");
            assert!(back.diagnostics.is_empty(), "{:?}", back.diagnostics);
        }
    }

    #[test]
    fn openapi_3_0_keeps_its_version() {
        let loaded = loaded("openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\n");
        assert!(export(&loaded, ExportFormat::Yaml).starts_with("openapi: 3.0.1\n"));
        assert!(export(&loaded, ExportFormat::Json).contains("\"openapi\": \"3.0.1\""));
    }
}
