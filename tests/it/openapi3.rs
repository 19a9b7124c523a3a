//! The OpenAPI 3.0 export (`cargo xtask openapi3`) of the Justap spec is a faithful, self-contained
//! document: `openapiv3` reads it, it has no dangling refs, and generating from it gives the same
//! crate (and an empty API diff) as the Swagger 2.0 original.

use generator::export::{self, ExportFormat};
use generator::{Generated, Loaded, SpecSource};
use serde_json::Value;

const SPEC: &str = "spec/justap.yaml";

fn loaded() -> Loaded {
    let text = std::fs::read_to_string(sdk_tests::root().join(SPEC))
        .unwrap_or_else(|e| panic!("reading {SPEC}: {e}"));
    generator::load(&SpecSource {
        name: SPEC,
        text: &text,
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

fn exported(loaded: &Loaded, format: ExportFormat) -> String {
    export::openapi3(loaded, format).unwrap_or_else(|e| panic!("exporting {format:?}: {e}"))
}

/// Parses the export with `openapiv3` itself (not the generator's loader, which repairs), strictly.
fn parse_back(loaded: &Loaded, text: &str, format: ExportFormat) {
    let parsed = same_type_as(
        &loaded.openapi,
        match format {
            ExportFormat::Yaml => {
                serde_yaml::from_str(text).unwrap_or_else(|e| panic!("YAML: {e}"))
            }
            ExportFormat::Json => {
                serde_json::from_str(text).unwrap_or_else(|e| panic!("JSON: {e}"))
            }
        },
    );
    assert_eq!(parsed.openapi, "3.0.3");
    assert!(
        parsed == loaded.openapi,
        "{format:?}: not the loaded document"
    );
}

/// Names `openapiv3::OpenAPI` by inference: the tests crate does not depend on `openapiv3`.
fn same_type_as<T>(_: &T, value: T) -> T {
    value
}

fn assert_same_files(expected: &Generated, actual: &Generated, what: &str) {
    assert_eq!(
        expected.files.keys().collect::<Vec<_>>(),
        actual.files.keys().collect::<Vec<_>>(),
        "{what}"
    );
    for (path, text) in &expected.files {
        // The recorded spec hashes differ: the exported text is not the original's.
        assert!(
            sdk_tests::mask_spec_hash(text) == sdk_tests::mask_spec_hash(&actual.files[path]),
            "{what}: {path} differs"
        );
    }
}

#[test]
fn export_regenerates_the_same_crate() {
    let loaded = loaded();
    let original = sdk_tests::generate(SPEC);
    for (format, name) in [
        (ExportFormat::Yaml, "justap.openapi3.yaml"),
        (ExportFormat::Json, "justap.openapi3.json"),
    ] {
        let text = exported(&loaded, format);
        assert!(text.ends_with('\n') && !text.contains('\r'), "{format:?}");
        parse_back(&loaded, &text, format);
        let regenerated = sdk_tests::generate_text(name, &text)
            .unwrap_or_else(|e| panic!("generating from the {format:?} export: {e}"));
        assert_same_files(&original, &regenerated, name);
        // The dangling ref was settled before the export: nothing left to warn about.
        assert!(
            regenerated.diagnostics.is_empty(),
            "{name}: {:?}",
            regenerated.diagnostics
        );
    }
}

/// Every `$ref` string in the document.
fn refs<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(target)) => found.push(target),
                    _ => refs(value, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| refs(item, found)),
        _ => {}
    }
}

#[test]
fn export_has_no_dangling_refs() {
    let text = exported(&loaded(), ExportFormat::Yaml);
    let doc: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc["openapi"], "3.0.3");
    let schemas = doc["components"]["schemas"]
        .as_object()
        .unwrap_or_else(|| panic!("no components.schemas"));

    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(found.len() > 100, "{}", found.len());
    for target in &found {
        let name = target
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("not a schema ref: {target}"));
        assert!(schemas.contains_key(name), "dangling: {target}");
    }
    assert!(!text.contains("#/definitions/"));

    let paths = doc["paths"]
        .as_object()
        .unwrap_or_else(|| panic!("no paths"));
    let list = paths
        .values()
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .find(|op| op["operationId"] == "ChargeService_QueryChargeList")
        .unwrap_or_else(|| panic!("no ChargeService_QueryChargeList"));
    assert_eq!(
        list["responses"]["401"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/googlerpcStatus"
    );
}

#[test]
fn swagger2_and_its_export_have_an_empty_diff() {
    let loaded = loaded();
    let original = generator::lower(&loaded).unwrap_or_else(|e| panic!("{e}"));
    for (format, name) in [
        (ExportFormat::Yaml, "justap.openapi3.yaml"),
        (ExportFormat::Json, "justap.openapi3.json"),
    ] {
        let text = exported(&loaded, format);
        let reloaded = generator::load(&SpecSource { name, text: &text })
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let lowered = generator::lower(&reloaded).unwrap_or_else(|e| panic!("{name}: {e}"));
        let report = generator::diff::diff(&original.api, &lowered.api);
        assert!(report.changes.is_empty(), "{name}: {}", report.to_text());
        assert!(!report.is_breaking(), "{name}");
    }
}
