//! Every spec release the project carries generates, and every generated crate compiles — the three
//! releases, the per-rule fixtures, and a byte copy of `generated/` (what users vendor, examples
//! included, with and without default features) — in one scratch workspace under target/.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

/// Spec file, crate name, number of definitions (justap-facts.md §1), and the types made for
/// inline schemas as (schema path, Rust name): none in these releases, whose every object and enum
/// is a definition of its own.
type Release = (
    &'static str,
    &'static str,
    usize,
    &'static [(&'static str, &'static str)],
);

const RELEASES: &[Release] = &[
    ("spec/justap.yaml", "justap-3-0-3", 145, &[]),
    (
        "tests/fixtures/specs/justap-1.4.0.yaml",
        "justap-1-4-0",
        69,
        &[],
    ),
    (
        "tests/fixtures/specs/justap-1.0.yaml",
        "justap-1-0",
        70,
        &[],
    ),
];

#[test]
fn every_release_generates_exactly_a_type_per_schema_named_by_the_rule() {
    for (spec, _, count, inline) in RELEASES {
        let text = std::fs::read_to_string(sdk_tests::root().join(spec)).expect("spec");
        let document: serde_yaml::Value = serde_yaml::from_str(&text).expect("the spec is YAML");
        // Swagger 2.0 keeps schemas in `definitions`, OpenAPI 3.0 in `components.schemas`.
        let schemas = document
            .get("definitions")
            .or_else(|| document.get("components").and_then(|c| c.get("schemas")))
            .and_then(serde_yaml::Value::as_mapping)
            .unwrap_or_else(|| panic!("{spec}: no schemas"));
        let mut expected = BTreeMap::new();
        for key in schemas.keys() {
            let name = key.as_str().expect("schema names are strings");
            expected.insert(name.to_owned(), upper_camel(name));
        }
        assert_eq!(expected.len(), *count, "{spec}: definitions");
        let names: BTreeSet<&String> = expected.values().collect();
        assert_eq!(names.len(), expected.len(), "{spec}: no two names collide");
        for (path, name) in *inline {
            expected.insert((*path).to_owned(), (*name).to_owned());
        }

        let generated = sdk_tests::generate(spec);
        assert_eq!(
            types_by_schema(&generated.files["src/models.rs"]),
            expected,
            "{spec}"
        );
    }
}

/// The documented type-name rule (ARCHITECTURE.md, Names: "the definition name in UpperCamelCase",
/// `v1Charge` → `V1Charge`, heck's UpperCamelCase), written here apart from the generator's: words
/// end at anything not alphanumeric, before a capital that follows a small letter, and before a
/// capital that follows a capital and is followed by a small letter (`JSAPIPayer` → `JSAPI`,
/// `Payer`); digits take the case of the letter before them (`H5Info` → `H5`, `Info`). Each word
/// is capitalized and the rest of it lowercased.
fn upper_camel(name: &str) -> String {
    #[derive(PartialEq)]
    enum Last {
        Nothing,
        Small,
        Capital,
    }
    let chars: Vec<char> = name.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut last = Last::Nothing;
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            words.push(std::mem::take(&mut word));
            last = Last::Nothing;
            continue;
        }
        if c.is_ascii_uppercase() {
            let next_small = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            if last == Last::Small || (last == Last::Capital && next_small) {
                words.push(std::mem::take(&mut word));
            }
            last = Last::Capital;
        } else if c.is_ascii_lowercase() {
            last = Last::Small;
        }
        word.push(c);
    }
    words.push(word);
    words
        .iter()
        .filter(|w| !w.is_empty())
        .map(|w| {
            let (first, rest) = w.split_at(1);
            first.to_ascii_uppercase() + &rest.to_ascii_lowercase()
        })
        .collect()
}

#[test]
fn the_name_rule_as_written_here() {
    for (spec, rust) in [
        ("v1Charge", "V1Charge"),
        ("tradev1Channel", "Tradev1Channel"),
        ("googlerpcStatus", "GooglerpcStatus"),
        ("ExtraAlipayJSAPIPayer", "ExtraAlipayJsapiPayer"),
        (
            "ExtraWechatpaySceneInfoH5Info",
            "ExtraWechatpaySceneInfoH5Info",
        ),
        ("snake_case_name", "SnakeCaseName"),
    ] {
        assert_eq!(upper_camel(spec), rust);
    }
}

/// Every type of models.rs by the schema its docs name (`Schema: `...``): each `pub struct` and
/// `pub enum` must have that line.
fn types_by_schema(models: &str) -> BTreeMap<String, String> {
    let mut types = BTreeMap::new();
    let mut schema: Option<&str> = None;
    for line in models.lines() {
        if let Some(rest) = line.strip_prefix("/// Schema: `") {
            schema = rest.strip_suffix('`');
            continue;
        }
        let Some(item) = line
            .strip_prefix("pub struct ")
            .or_else(|| line.strip_prefix("pub enum "))
        else {
            continue;
        };
        let name: String = item
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let schema = schema
            .take()
            .unwrap_or_else(|| panic!("{name} names no schema"));
        assert!(
            types.insert(schema.to_owned(), name).is_none(),
            "{schema} has two types"
        );
    }
    types
}

#[test]
fn generated_crates_compile_without_warnings() {
    let root = sdk_tests::root();
    let scratch = root.join("target/tmp/generated-check");
    let _ = std::fs::remove_dir_all(scratch.join("crates"));
    let mut members = Vec::new();
    let mut crates: Vec<(String, String)> = RELEASES
        .iter()
        .map(|(spec, name, _, _)| ((*spec).to_owned(), (*name).to_owned()))
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
            ..generator::CrateOptions::default()
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
