//! Every spec release the project carries generates, and every generated crate compiles — the three
//! releases, the per-rule fixtures, and a byte copy of `generated/` (what users vendor, examples
//! included, with and without default features) — in one scratch workspace under target/.

use std::path::Path;
use std::process::Command;

const RELEASES: &[(&str, &str, usize)] = &[
    ("spec/justap.yaml", "justap-3-0-3", 145),
    ("tests/fixtures/specs/justap-1.4.0.yaml", "justap-1-4-0", 69),
    ("tests/fixtures/specs/justap-1.0.yaml", "justap-1-0", 70),
];

#[test]
fn every_release_generates_a_type_per_schema() {
    for (spec, _, schemas) in RELEASES {
        let generated = sdk_tests::generate(spec);
        let types = generated.files["src/models.rs"]
            .matches("/// Schema: `")
            .count();
        // Inline objects get types of their own too, so there are at least as many types as schemas.
        assert!(
            types >= *schemas,
            "{spec}: {types} types for {schemas} schemas"
        );
    }
}

#[test]
fn generated_crates_compile_without_warnings() {
    let root = sdk_tests::root();
    let scratch = root.join("target/tmp/generated-check");
    let _ = std::fs::remove_dir_all(scratch.join("crates"));
    let mut members = Vec::new();
    let mut crates: Vec<(String, String)> = RELEASES
        .iter()
        .map(|(spec, name, _)| ((*spec).to_owned(), (*name).to_owned()))
        .collect();
    for entry in std::fs::read_dir(root.join("tests/fixtures/rules")).expect("fixtures") {
        let path = entry.expect("entry").path();
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("name")
            .replace('_', "-");
        let relative = path
            .strip_prefix(&root)
            .expect("inside root")
            .to_string_lossy()
            .into_owned();
        crates.push((relative, format!("rule-{stem}")));
    }
    crates.sort();
    for (spec, name) in &crates {
        let text = std::fs::read_to_string(root.join(spec)).expect("spec");
        let options = generator::CrateOptions {
            name: name.clone(),
            version: "0.0.0".into(),
        };
        let generated = generator::generate(
            &generator::SpecSource {
                name: spec,
                text: &text,
            },
            &options,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        write_crate(&scratch.join("crates").join(name), &generated.files);
        members.push(format!("\"crates/{name}\""));
    }
    copy_dir(&root.join("generated"), &scratch.join("crates/justap"));
    members.push("\"crates/justap\"".to_owned());
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.join(", ")
    );
    std::fs::write(scratch.join("Cargo.toml"), manifest).expect("manifest");
    // The workspace lock pins the same dependency versions, so nothing is fetched.
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).expect("lock");

    cargo_check(&scratch, &["--workspace", "--all-targets"]);
    // The vendored crate also builds without request signing.
    cargo_check(
        &scratch,
        &["-p", "justap", "--all-targets", "--no-default-features"],
    );
}

fn cargo_check(scratch: &Path, args: &[&str]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["check", "--offline", "--quiet"])
        .args(args)
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo check {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::create_dir_all(to).expect("dir");
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

fn write_crate(dir: &Path, files: &std::collections::BTreeMap<String, String>) {
    for (path, text) in files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).expect("dir");
        }
        std::fs::write(target, text).expect("write");
    }
}
