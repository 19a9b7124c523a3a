//! One small fixture spec per generator rule (tests/fixtures/rules/*.yaml), snapshotted: the models
//! each gives, and the diagnostics. Every fixture's crate is also compiled in `releases.rs`.

#[test]
fn rule_fixtures() {
    insta::glob!("../fixtures/rules", "*.yaml", |path| {
        let text = std::fs::read_to_string(path).expect("fixture");
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("fixture");
        let generated = sdk_tests::generate_text(name, &text).unwrap_or_else(|e| panic!("{e}"));
        let report = format!(
            "{}\n{}",
            sdk_tests::diagnostics_text(&generated),
            generated.files["src/models.rs"]
        );
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("rule", report);
        });
    });
}
