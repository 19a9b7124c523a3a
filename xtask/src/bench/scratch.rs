//! The scratch workspace the generated crate is benchmarked in: `target/bench/`, holding a copy of
//! `generated/` (`justap/`, which the build probes edit) and the decode benchmark (`decode/`, whose
//! source stays `tests/benches/decode.rs`, where CI builds it), with the workspace's Cargo.lock,
//! its own target directory, offline. It is its own workspace so that nothing else here is rebuilt
//! or disturbed, and one set of dependency builds serves both the build and the decode measurements
//! (a cold `cargo xtask bench` used to build them twice, once in the `bench` profile).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::Result;

use crate::{project_root, scratch};

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
        let mut manifest = MANIFEST.to_owned();
        for name in OPTIMIZED {
            manifest.push_str(&format!(
                "\n[profile.dev.package.{name}]\nopt-level = 3\ndebug-assertions = false\noverflow-checks = false\n"
            ));
        }
        let decode = bench_package("decode", &project, "serde_json = \"1\"\n");
        let files = [
            ("Cargo.toml", manifest.as_str()),
            ("decode/Cargo.toml", &decode),
        ];
        scratch::sdk_workspace(&project, &root, "justap", &files)?;
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
        let mut command = scratch::cargo(&self.root, &self.target, args);
        command.stdout(Stdio::null()).stderr(Stdio::null());
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

/// The manifest of package `NAME-bench`, whose one binary `NAME` is `tests/benches/NAME.rs` (kept
/// there, where CI builds it) and which depends on the scratch copy of `justap` and on `extra`.
pub(super) fn bench_package(name: &str, project: &Path, extra: &str) -> String {
    let source = project
        .join("tests")
        .join("benches")
        .join(format!("{name}.rs"));
    format!(
        "[package]\nname = \"{name}-bench\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [[bin]]\nname = \"{name}\"\npath = {}\n\n\
         [dependencies]\njustap = {{ path = \"../justap\" }}\n{extra}",
        scratch::toml_string(&source.to_string_lossy())
    )
}
