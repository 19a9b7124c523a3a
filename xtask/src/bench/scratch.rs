//! The scratch workspace the generated crate is benchmarked in: `target/bench/`, holding a copy of
//! `generated/` (`justap/`, which the build probes edit) and the decode benchmark (`decode/`, whose
//! source stays `tests/benches/decode.rs`, where CI builds it), with the workspace's Cargo.lock,
//! its own target directory, offline. It is its own workspace so that nothing else here is rebuilt
//! or disturbed, and one set of dependency builds serves both the build and the decode measurements
//! (a cold `cargo xtask bench` used to build them twice, once in the `bench` profile).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result};

use crate::{cmd, project_root};

/// The workspace manifest. The decode benchmark's measured code (the models, serde, serde_json and
/// the crates they call) is optimized as in release; `justap` itself only for the decode run (see
/// [`Scratch::decode_config`]) so that its debug build is what the build measurement times.
/// A dependency's optimization does not change how long `justap` takes to compile.
const MANIFEST: &str = r#"# Written by `cargo xtask bench` (xtask/src/bench/scratch.rs).
[workspace]
members = ["justap", "decode"]
resolver = "2"

[profile.dev]
debug = "line-tables-only"

[profile.dev.package."*"]
debug = false

[profile.dev.package.decode-bench]
opt-level = 3
debug-assertions = false
overflow-checks = false
codegen-units = 16
"#;

/// Dependencies on the decode path, optimized like `decode-bench`.
const OPTIMIZED: [&str; 7] = [
    "serde",
    "serde_core",
    "serde_json",
    "itoa",
    "zmij",
    "memchr",
    "chrono",
];

pub struct Scratch {
    pub root: PathBuf,
    target: PathBuf,
}

impl Scratch {
    /// Writes the scratch workspace afresh (the target directory is kept between runs).
    pub fn create() -> Result<Scratch> {
        let project = project_root();
        let root = project.join("target").join("bench");
        let justap = root.join("justap");
        if justap.exists() {
            fs::remove_dir_all(&justap)
                .with_context(|| format!("cannot remove {}", justap.display()))?;
        }
        copy_dir(&project.join("generated"), &justap)?;

        let mut manifest = MANIFEST.to_owned();
        for name in OPTIMIZED {
            manifest.push_str(&format!(
                "\n[profile.dev.package.{name}]\nopt-level = 3\ndebug-assertions = false\noverflow-checks = false\n"
            ));
        }
        write(&root.join("Cargo.toml"), &manifest)?;
        let decode_source = project.join("tests").join("benches").join("decode.rs");
        let decode = format!(
            "[package]\nname = \"decode-bench\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [[bin]]\nname = \"decode\"\npath = {}\n\n\
             [dependencies]\njustap = {{ path = \"../justap\" }}\nserde_json = \"1\"\n",
            toml_string(&decode_source.to_string_lossy())
        );
        write(&root.join("decode").join("Cargo.toml"), &decode)?;
        fs::copy(project.join("Cargo.lock"), root.join("Cargo.lock"))
            .context("cannot copy Cargo.lock into the scratch workspace")?;
        Ok(Scratch {
            target: root.join("target"),
            root,
        })
    }

    /// The generated crate's copy.
    pub fn justap(&self) -> PathBuf {
        self.root.join("justap")
    }

    /// `cargo <args> --offline` in the scratch workspace, output discarded.
    pub fn cargo(&self, args: &[&str]) -> Command {
        let mut command = cmd::cargo(args.iter().copied());
        command
            .arg("--offline")
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", &self.target)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    }

    /// `--config` arguments that optimize `justap` for the decode run only, as release would
    /// (with `CARGO_INCREMENTAL=0` on the command: incremental builds optimize less).
    pub fn decode_config() -> [&'static str; 8] {
        [
            "--config",
            "profile.dev.package.justap.opt-level=3",
            "--config",
            "profile.dev.package.justap.debug-assertions=false",
            "--config",
            "profile.dev.package.justap.overflow-checks=false",
            "--config",
            "profile.dev.package.justap.codegen-units=16",
        ]
    }
}

pub(super) fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// A TOML basic string (paths may hold backslashes on Windows).
pub(super) fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

pub(super) fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    for entry in fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)
                .with_context(|| format!("cannot copy {}", entry.path().display()))?;
        }
    }
    Ok(())
}
