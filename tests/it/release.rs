//! `cargo xtask release` and its pieces, against the real releases: the changelog section and the
//! Markdown diff of 3.0.3 → 1.4.0 (snapshots), and the provenance the checked-in crate carries.

use std::fs;

use generator::diff::{Report, diff};
use sha2::{Digest, Sha256};

const V1_4_0: &str = "tests/fixtures/specs/justap-1.4.0.yaml";
const V3_0_3: &str = "spec/justap.yaml";

fn report(old: &str, new: &str) -> Report {
    let api = |relative: &str| {
        let text = fs::read_to_string(sdk_tests::root().join(relative)).expect("spec");
        let source = generator::SpecSource {
            name: relative,
            text: &text,
        };
        let loaded = generator::load(&source).expect("load");
        generator::lower(&loaded).expect("lower").api
    };
    diff(&api(old), &api(new))
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

/// The section `cargo xtask release tests/fixtures/specs/justap-1.4.0.yaml --label 1.4.0` would
/// add to the changelog of 0.1.0: going back to 1.4.0 breaks, so 0.1.0 → 0.2.0 (the 0.x rule).
#[test]
fn changelog_section_3_0_3_to_1_4_0() {
    let report = report(V3_0_3, V1_4_0);
    let version = xtask::release::Version::parse("0.1.0")
        .expect("version")
        .bump(report.bump)
        .to_string();
    assert_eq!(version, "0.2.0");
    let section = xtask::release::changelog_section(&version, "1.4.0", Some("2026-12-01"), &report);
    assert!(section.starts_with("## 0.2.0 — spec release 1.4.0 (2026-12-01)\n"));
    snapshot("release__changelog_3_0_3__1_4_0", &section);
}

#[test]
fn markdown_diff_1_4_0_to_3_0_3() {
    let report = report(V1_4_0, V3_0_3);
    snapshot(
        "release__markdown_1_4_0__3_0_3",
        &xtask::diff::markdown(&report),
    );
}

/// Lowercase hex, written here rather than taken from the generator.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_crate_names_its_spec_release_and_hash() {
    let root = sdk_tests::root();
    let spec = fs::read(root.join(V3_0_3)).expect("spec");
    assert_eq!(justap::SPEC_SHA256, hex(&Sha256::digest(&spec)));
    // The label as spec/sdk.toml states it, read with plain string handling.
    let manifest = fs::read_to_string(root.join("spec/sdk.toml")).expect("sdk.toml");
    let label = manifest
        .lines()
        .find_map(|line| line.strip_prefix("spec_label = \""))
        .and_then(|rest| rest.split('"').next())
        .expect("spec_label line");
    assert_eq!(justap::SPEC_RELEASE, label);
    // And the docs say the same, for `grep` in a vendored copy.
    let lib = fs::read_to_string(root.join("generated/src/lib.rs")).expect("lib.rs");
    assert!(lib.contains(&format!(
        "//! Spec release `{label}`, SHA-256 `{}`.",
        justap::SPEC_SHA256
    )));
    // The changelog comes along with the crate.
    let changelog = fs::read_to_string(root.join("generated/CHANGELOG.md")).expect("changelog");
    let source = fs::read_to_string(root.join("spec/CHANGELOG.md")).expect("source");
    assert!(changelog.ends_with(&source));
}

#[test]
fn only_a_64_digit_hex_run_is_masked() {
    let hash = "45258d25754ca09c52bbf25017a5dd962f6fad10680b0e04a52f40193ac5a282";
    assert_eq!(
        sdk_tests::mask_spec_hash(&format!("a `{hash}` b {hash}0 cafe")),
        format!("a `<sha256>` b {hash}0 cafe")
    );
}
