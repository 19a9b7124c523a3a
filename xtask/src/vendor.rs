//! `cargo xtask vendor`, also step `vendor` of `cargo xtask test`: the generated crate, vendored
//! the way our users do it, must build, lint, keep its formatting and document cleanly.
//!
//! `generated/` is copied into a fresh workspace outside ours (`<tmp>/justap-vendoring-<pid>/`:
//! `vendor/justap` plus a tiny edition-2024 `app` that calls one operation and decodes one model)
//! and there runs `cargo build`, `cargo clippy -- -D warnings`, `cargo fmt --check` (the generated
//! `rustfmt.toml` must keep the crate as generated) and `cargo doc --no-deps` with warnings denied
//! (our crate's docs; the dependencies' are not ours to fix). Then `cargo metadata` checks that
//! the crate's `rust-version` is at least what each of its dependencies declares (normal and build
//! dependencies, transitively; dev-dependencies do not reach users).
//!
//! Our `Cargo.lock` is copied in so the same dependency versions are built (cargo only drops
//! the entries of our own crates). The scratch workspace builds into `target/vendoring/` of ours:
//! kept, so later runs are warm, and its own directory, so it never waits on our target dir's
//! lock.

use std::collections::{BTreeSet, HashMap};
use std::env;
use std::fs;
use std::path::Path;
use std::process;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::Value;

use crate::{cmd, project_root, scratch};

/// The vendored crate's package name (as in the generated `Cargo.toml`).
const CRATE: &str = "justap";

/// The scratch workspace's manifest, as a user would write it.
const WORKSPACE_TOML: &str = r#"[workspace]
resolver = "3"
members = ["vendor/justap", "app"]
"#;

const APP_TOML: &str = r#"[package]
name = "app"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
justap = { path = "../vendor/justap" }
serde_json = "1"
"#;

/// Formatted as `cargo fmt` leaves it, or the fmt check would fail on the app, not the SDK.
const APP_MAIN: &str = r##"//! A user of the vendored SDK: one decoded model, one prepared call.

use justap::models::{V1Charge, V1CreateChargeRequest};
use justap::{Client, Error};

/// Creates a charge and returns its id.
async fn create_charge(client: &Client, app_id: &str) -> Result<String, Error> {
    let request = V1CreateChargeRequest {
        app_id: app_id.to_owned(),
        amount: 0.01,
        ..Default::default()
    };
    let created = client.charge_service_charges2(&request).await?;
    Ok(created.data.map(|c| c.charge_id).unwrap_or_default())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let charge: V1Charge =
        serde_json::from_str(r#"{"charge_id": "ch_1", "amount": 0.01, "paid": true}"#)?;
    println!("{} paid: {}", charge.charge_id, charge.paid);
    let client = Client::builder().api_key("sk_test_vendoring").build()?;
    // Built, never polled: there is no server here; that it compiles is the point.
    let _pending = create_charge(&client, "app_vendoring");
    Ok(())
}
"##;

/// Runs the check on the project's `generated/`; see the module documentation.
pub fn run() -> Result<()> {
    let root = project_root();
    let scratch = env::temp_dir().join(format!("justap-vendoring-{}", process::id()));
    let result = check(&root, &scratch);
    // Best effort: a leftover directory in the temp dir harms nothing and must not hide `result`.
    let _ = fs::remove_dir_all(&scratch);
    result
}

fn check(root: &Path, scratch: &Path) -> Result<()> {
    write_workspace(root, scratch)?;
    println!("vendored generated/ into {}", scratch.display());
    let target_dir = root.join("target").join("vendoring");
    let cargo = |args: &[&str]| {
        let mut command = cmd::cargo(args);
        command
            .current_dir(scratch)
            .env("CARGO_TARGET_DIR", &target_dir);
        command
    };
    cmd::run(&mut cargo(&["build"]))?;
    cmd::run(&mut cargo(&["clippy", "--", "-D", "warnings"]))?;
    cmd::run(&mut cargo(&["fmt", "--check"]))?;
    cmd::run(cargo(&["doc", "--no-deps"]).env("RUSTDOCFLAGS", "-Dwarnings"))?;

    let metadata = cmd::output(&mut cargo(&["metadata", "--format-version", "1"]))?;
    let metadata: Value =
        serde_json::from_str(&metadata).context("reading `cargo metadata` output")?;
    println!("{}", check_rust_version(&metadata, CRATE)?);
    Ok(())
}

/// Writes the scratch workspace: a copy of `generated/`, our `Cargo.lock`, the app.
fn write_workspace(root: &Path, scratch: &Path) -> Result<()> {
    if scratch.exists() {
        fs::remove_dir_all(scratch).with_context(|| format!("removing {}", scratch.display()))?;
    }
    let files = [
        ("Cargo.toml", WORKSPACE_TOML),
        ("app/Cargo.toml", APP_TOML),
        ("app/src/main.rs", APP_MAIN),
    ];
    scratch::sdk_workspace(root, scratch, &format!("vendor/{CRATE}"), &files)
}

/// Checks, in `cargo metadata --format-version 1` output, that `package` declares a
/// `rust-version` at least as high as every normal or build dependency's (transitively);
/// returns a one-line summary.
fn check_rust_version(metadata: &Value, package: &str) -> Result<String> {
    let packages = metadata["packages"]
        .as_array()
        .ok_or_else(|| anyhow!("cargo metadata: no `packages`"))?;
    let by_id: HashMap<&str, &Value> = packages
        .iter()
        .filter_map(|p| Some((p["id"].as_str()?, p)))
        .collect();
    let root = packages
        .iter()
        .find(|p| p["name"] == package)
        .ok_or_else(|| anyhow!("cargo metadata: no package `{package}`"))?;
    let declared_text = root["rust_version"]
        .as_str()
        .ok_or_else(|| anyhow!("{package} declares no rust-version"))?;
    let declared = parse_version(declared_text)?;

    let nodes: HashMap<&str, &Value> = metadata["resolve"]["nodes"]
        .as_array()
        .ok_or_else(|| anyhow!("cargo metadata: no `resolve.nodes`"))?
        .iter()
        .filter_map(|n| Some((n["id"].as_str()?, n)))
        .collect();
    let root_id = root["id"]
        .as_str()
        .ok_or_else(|| anyhow!("cargo metadata: `{package}` has no id"))?;
    let mut reached = BTreeSet::new();
    let mut stack = vec![root_id];
    while let Some(id) = stack.pop() {
        let deps = nodes
            .get(id)
            .and_then(|n| n["deps"].as_array())
            .map_or(&[][..], Vec::as_slice);
        for dep in deps {
            let reaches_users = dep["dep_kinds"].as_array().is_some_and(|kinds| {
                kinds
                    .iter()
                    .any(|k| k["kind"].is_null() || k["kind"] == "build")
            });
            match dep["pkg"].as_str() {
                Some(pkg) if reaches_users && reached.insert(pkg) => stack.push(pkg),
                _ => {}
            }
        }
    }

    let mut highest: Option<(Vec<u64>, String)> = None;
    for id in &reached {
        let Some(dep) = by_id.get(id) else { continue };
        let Some(needs) = dep["rust_version"].as_str() else {
            continue;
        };
        let needs_version = parse_version(needs)?;
        let name = format!("{} {} needs {needs}", dep["name"], dep["version"]).replace('"', "");
        if needs_version > declared {
            bail!("{package} declares rust-version {declared_text}, but {name}");
        }
        if highest.as_ref().is_none_or(|(v, _)| needs_version > *v) {
            highest = Some((needs_version, name));
        }
    }
    let highest = highest.map_or(String::new(), |(_, name)| format!("; highest: {name}"));
    Ok(format!(
        "{package}: rust-version {declared_text} covers its {} dependencies{highest}",
        reached.len()
    ))
}

/// `1.85` or `1.85.0` as comparable numbers (a missing patch is 0).
fn parse_version(text: &str) -> Result<Vec<u64>> {
    let mut parts = text
        .split('.')
        .map(|part| part.parse::<u64>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| anyhow!("invalid rust-version `{text}`"))?;
    if parts.is_empty() || parts.len() > 3 {
        bail!("invalid rust-version `{text}`");
    }
    parts.resize(3, 0);
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::scratch::write;
    use crate::walk;

    /// Hand-written `cargo metadata` output: `sdk` depends on `a` (normal, which needs `b` at
    /// build time) and on `dev` (dev only).
    fn metadata(sdk: &str, b: &str, dev: &str) -> Value {
        let package = |name: &str, rust_version: Option<&str>| {
            json!({"name": name, "version": "1.0.0", "id": format!("{name}-id"),
                   "rust_version": rust_version})
        };
        let dep = |name: &str, kind: Value| json!({"name": name, "pkg": format!("{name}-id"), "dep_kinds": [{"kind": kind}]});
        json!({
            "packages": [
                package("sdk", Some(sdk)),
                package("a", None),
                package("b", Some(b)),
                package("dev", Some(dev)),
            ],
            "resolve": {"nodes": [
                {"id": "sdk-id", "deps": [dep("a", Value::Null), dep("dev", json!("dev"))]},
                {"id": "a-id", "deps": [dep("b", json!("build"))]},
                {"id": "b-id", "deps": []},
                {"id": "dev-id", "deps": []},
            ]},
        })
    }

    #[test]
    fn rust_version_covers_normal_and_build_dependencies_transitively() {
        assert_eq!(
            check_rust_version(&metadata("1.85", "1.85.0", "1.90"), "sdk").expect("enough"),
            "sdk: rust-version 1.85 covers its 2 dependencies; highest: b 1.0.0 needs 1.85.0"
        );
        let error = check_rust_version(&metadata("1.80", "1.81", "1.70"), "sdk")
            .expect_err("too low for b");
        assert_eq!(
            format!("{error:#}"),
            "sdk declares rust-version 1.80, but b 1.0.0 needs 1.81"
        );
        let mut undeclared = metadata("1.85", "1.0", "1.0");
        undeclared["packages"][0]["rust_version"] = Value::Null;
        let error = check_rust_version(&undeclared, "sdk").expect_err("undeclared");
        assert_eq!(format!("{error:#}"), "sdk declares no rust-version");
    }

    #[test]
    fn versions_compare_as_numbers() {
        assert_eq!(parse_version("1.85").expect("valid"), [1, 85, 0]);
        assert!(parse_version("1.9").expect("valid") < parse_version("1.10.1").expect("valid"));
        for invalid in ["", "1.x", "1.2.3.4"] {
            assert!(parse_version(invalid).is_err(), "{invalid}");
        }
    }

    #[test]
    fn the_workspace_is_ours_copied_plus_the_app() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("root");
        write(&root.join("generated/src/lib.rs"), b"//! sdk\n").expect("write");
        write(&root.join("generated/rustfmt.toml"), b"x\n").expect("write");
        write(&root.join("Cargo.lock"), b"# lock\n").expect("write");
        let scratch = tmp.path().join("scratch");
        write(&scratch.join("stale.txt"), b"").expect("write");

        write_workspace(&root, &scratch).expect("workspace");
        let mut files = Vec::new();
        walk::files_below(&scratch, &[], &mut files).expect("walk");
        let relative: Vec<String> = files
            .iter()
            .map(|f| {
                let relative = f.strip_prefix(&scratch).expect("below");
                relative.to_string_lossy().into_owned()
            })
            .collect();
        assert_eq!(
            relative,
            [
                "Cargo.lock",
                "Cargo.toml",
                "app/Cargo.toml",
                "app/src/main.rs",
                "vendor/justap/rustfmt.toml",
                "vendor/justap/src/lib.rs",
            ]
        );
        let read = |path: &str| fs::read_to_string(scratch.join(path)).expect("read");
        assert_eq!(read("vendor/justap/src/lib.rs"), "//! sdk\n");
        assert_eq!(read("Cargo.lock"), "# lock\n");
        assert!(read("Cargo.toml").contains(r#"members = ["vendor/justap", "app"]"#));
        assert!(read("app/Cargo.toml").contains(r#"edition = "2024""#));
    }
}
