//! Bad input gets a clear error naming the file and the place, never a panic.

use sdk_tests::generate_text;

fn error_of(text: &str) -> String {
    match generate_text("bad.yaml", text) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn openapi_3_1_is_refused_naming_the_version() {
    let message = error_of("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
    assert!(message.starts_with("bad.yaml: "), "{message}");
    assert!(message.contains("3.1.0"), "{message}");
}

#[test]
fn a_document_without_a_version_is_refused() {
    let message = error_of("info: {title: t, version: '1'}\n");
    assert!(message.contains("unsupported spec version"), "{message}");
}

#[test]
fn a_syntax_error_names_the_line() {
    let message = error_of("swagger: '2.0'\ninfo: {title: t\n  version: [\n");
    assert!(message.starts_with("bad.yaml: "), "{message}");
    assert!(message.contains("line"), "{message}");
}

#[test]
fn an_external_ref_is_an_error_with_its_pointer() {
    let message = error_of(
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\ndefinitions:\n  A:\n    type: object\n    properties:\n      b: {$ref: 'other.yaml#/definitions/B'}\n",
    );
    assert!(message.contains("/definitions/A/properties/b"), "{message}");
}

#[test]
fn a_malformed_schema_is_an_error_with_its_pointer() {
    let message = error_of(
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\ndefinitions:\n  A:\n    type: object\n    properties: [1, 2]\n",
    );
    assert!(message.contains("/definitions/A"), "{message}");
}

#[test]
fn truncated_specs_never_panic() {
    let text = std::fs::read_to_string(sdk_tests::root().join("spec/justap.yaml")).expect("spec");
    let step = text.len() / 60;
    for cut in (1..60).map(|i| i * step) {
        let end = (cut..text.len())
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(text.len());
        // Either outcome is fine; a panic fails the test.
        let _ = generate_text("truncated.yaml", &text[..end]);
    }
}
