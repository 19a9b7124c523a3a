//! generated/ is exactly what `cargo xtask codegen` makes of spec/justap.yaml.

#[test]
fn generated_crate_is_fresh() {
    let stale = xtask::codegen::stale_files(&sdk_tests::root()).expect("codegen check runs");
    assert!(
        stale.is_empty(),
        "generated/ is stale, run `cargo xtask codegen` and review the snapshots:\n{stale:#?}"
    );
}
