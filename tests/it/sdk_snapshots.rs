//! Snapshots of every generated file for spec/justap.yaml: a spec or generator change shows up as a
//! reviewable diff (`cargo insta review`).

#[test]
fn justap_sdk_files() {
    let generated = sdk_tests::generate("spec/justap.yaml");
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        for (path, text) in &generated.files {
            insta::assert_snapshot!(format!("justap__{}", path.replace(['/', '.'], "_")), text);
        }
        insta::assert_snapshot!("justap__diagnostics", sdk_tests::diagnostics_text(&generated));
    });
}

#[test]
fn every_definition_has_a_type() {
    let generated = sdk_tests::generate("spec/justap.yaml");
    let models = &generated.files["src/models.rs"];
    // Read the definitions independently of the generator's loader.
    let text = std::fs::read_to_string(sdk_tests::root().join("spec/justap.yaml")).expect("spec");
    let spec: serde_yaml::Value = serde_yaml::from_str(&text).expect("yaml");
    let definitions = spec["definitions"].as_mapping().expect("definitions");
    assert_eq!(definitions.len(), 145);
    for name in definitions.keys() {
        let name = name.as_str().expect("string key");
        let marker = format!("/// Schema: `{name}`\n");
        assert!(models.contains(&marker), "no type for definition {name}");
    }
}
