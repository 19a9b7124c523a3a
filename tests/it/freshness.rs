//! generated/ is exactly what `cargo xtask codegen` makes of spec/justap.yaml, and holds nothing
//! else (no hand-added `build.rs`, `tests/`, `.cargo/`; only `target/` and `Cargo.lock` may be
//! there besides); and each fixture crate under tests/fixtures/crates/ is what it makes of its
//! fixture spec.

#[test]
fn generated_crate_is_fresh() {
    let stale = xtask::codegen::stale_files(&sdk_tests::root()).expect("codegen check runs");
    let listed: Vec<String> = stale
        .iter()
        .map(|file| format!("  generated/{} ({})", file.path, file.kind))
        .collect();
    assert!(
        stale.is_empty(),
        "generated/ is stale, run `cargo xtask codegen` and review the snapshots:\n{}",
        listed.join("\n")
    );
}

#[test]
fn fixture_crates_are_fresh() {
    let stale = xtask::fixtures::stale_files(&sdk_tests::root()).expect("fixture check runs");
    assert!(
        stale.is_empty(),
        "a fixture crate is stale, run `cargo xtask codegen`:\n{stale:#?}"
    );
}
