//! Swagger 2.0 and the equivalent OpenAPI 3.0 document give byte-identical models: the in-process
//! upgrade loses nothing the SDK uses.

#[test]
fn swagger2_and_openapi3_give_the_same_models() {
    let v2 = sdk_tests::generate("tests/fixtures/equivalent/swagger2.yaml");
    let v3 = sdk_tests::generate("tests/fixtures/equivalent/openapi3.yaml");
    assert_eq!(v2.files["src/models.rs"], v3.files["src/models.rs"]);
    assert!(v2.files["src/models.rs"].contains("pub struct V1Customer"));
    assert!(v2.diagnostics.is_empty() && v3.diagnostics.is_empty());
}
