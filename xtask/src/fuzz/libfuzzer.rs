//! The coverage-guided half of `cargo xtask fuzz`: the cargo-fuzz target `xtask/fuzz` (raw bytes
//! into `generator::generate`, every emitted `.rs` parsed with `syn`) run by libFuzzer alongside the
//! structure-aware fuzzer, on the other core. It needs a nightly toolchain and `cargo-fuzz`
//! (`rustup toolchain install nightly`, `cargo install cargo-fuzz`); without them `cargo xtask
//! fuzz` says so and runs the structure-aware fuzzer alone.
//!
//! Everything it writes is under `target/libfuzzer/` (build, corpus, log, findings), except the
//! findings, which are moved to [`super::CRASH_DIR`] as `libfuzzer-<kind>-<hash>.yaml` for the
//! regression test to replay.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::cmd;

/// libFuzzer's `-timeout`, in seconds: as long as the structure-aware fuzzer allows a document.
const TIMEOUT: u64 = super::TIME_LIMIT.as_secs();

/// `rustup run nightly cargo fuzz ARGS`, in the project root, with the target dir under ours.
fn cargo_fuzz<S: AsRef<std::ffi::OsStr>>(
    root: &Path,
    args: impl IntoIterator<Item = S>,
) -> Command {
    let mut command = Command::new("rustup");
    command
        .args(["run", "nightly", "cargo", "fuzz"])
        .args(args)
        .current_dir(root)
        .stdin(Stdio::null())
        // Set by `cargo xtask` for the stable toolchain; the nightly one finds its own.
        .env_remove("CARGO")
        .env_remove("RUSTUP_TOOLCHAIN");
    command
}

fn dir(root: &Path) -> PathBuf {
    root.join("target").join("libfuzzer")
}

/// Whether the target can run here; the reason when it cannot.
pub fn available(root: &Path) -> Result<(), String> {
    let output = cargo_fuzz(root, ["--version"])
        .stderr(Stdio::null())
        .output();
    match output {
        Ok(output) if output.status.success() => Ok(()),
        Ok(_) => Err("it needs a nightly toolchain with cargo-fuzz (`rustup toolchain install nightly`, `cargo install cargo-fuzz`)".into()),
        Err(e) => Err(format!("cannot run rustup: {e}")),
    }
}

/// The arguments every `cargo fuzz` call shares: without a sanitizer (the generator and its
/// dependencies are safe Rust; a stack overflow or abort is caught without one), so it runs
/// several times faster.
fn target_args(root: &Path) -> Vec<String> {
    vec![
        "loader".into(),
        "--fuzz-dir".into(),
        "xtask/fuzz".into(),
        "--target-dir".into(),
        dir(root).join("build").display().to_string(),
        "--sanitizer".into(),
        "none".into(),
    ]
}

/// Builds the target (before the clock starts: the first build takes minutes).
pub fn build(root: &Path) -> Result<()> {
    let mut args = vec!["build".to_owned()];
    args.extend(target_args(root));
    cmd::run(&mut cargo_fuzz(root, args))
}

/// libFuzzer running beside the structure-aware fuzzer. Dropped before [`finish`] (an error on
/// that side), it is stopped: rustup, cargo-fuzz and the fuzz binary form one process group of
/// their own, and the whole group is killed, so nothing keeps fuzzing after `cargo xtask fuzz`
/// has returned.
pub struct Running(Option<Child>);

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            #[cfg(unix)]
            if let Ok(group) = i32::try_from(child.id()) {
                // SAFETY: kill(2) with a negated process group id only sends a signal.
                unsafe { libc::kill(-group, libc::SIGKILL) };
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Starts libFuzzer for `seconds`; its output goes to `target/libfuzzer/loader.log`. The corpus
/// it grows is kept in `target/libfuzzer/corpus/`, seeded with the real specs.
pub fn start(root: &Path, seconds: u64) -> Result<Running> {
    let base = dir(root);
    let corpus = base.join("corpus");
    let artifacts = base.join("artifacts");
    for dir in [&corpus, &artifacts] {
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let log_path = base.join("loader.log");
    let log =
        File::create(&log_path).with_context(|| format!("creating {}", log_path.display()))?;
    let mut args = vec!["run".to_owned()];
    args.extend(target_args(root));
    // The first corpus directory is where libFuzzer writes; the others only seed it.
    args.extend([
        corpus.display().to_string(),
        "spec".into(),
        "tests/fixtures/specs".into(),
        "--".into(),
        format!("-max_total_time={seconds}"),
        format!("-timeout={TIMEOUT}"),
        "-rss_limit_mb=4096".into(),
        // Its path must end with a separator: libFuzzer prepends it to the file name.
        format!("-artifact_prefix={}/", artifacts.display()),
    ]);
    let mut command = cargo_fuzz(root, args);
    command
        .stdout(log.try_clone().context("duplicating the log file")?)
        .stderr(log);
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    command
        .spawn()
        .map(|child| Running(Some(child)))
        .with_context(|| format!("cannot run `{}`", cmd::show(&command)))
}

/// Waits for libFuzzer, moves what it found to [`super::CRASH_DIR`] and returns how many there
/// were.
pub fn finish(root: &Path, mut running: Running) -> Result<usize> {
    let Some(mut child) = running.0.take() else {
        bail!("libFuzzer was already stopped");
    };
    let status = child.wait().context("waiting for libFuzzer")?;
    let base = dir(root);
    let log = fs::read_to_string(base.join("loader.log")).unwrap_or_default();
    // libFuzzer's last status line: runs, coverage, corpus size, speed.
    let is_status = |line: &&str| {
        line.strip_prefix('#')
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    };
    if let Some(last) = log.lines().rev().find(is_status) {
        eprintln!("fuzz: libFuzzer: {last}");
    }
    let artifacts = base.join("artifacts");
    let mut found = 0;
    let entries =
        fs::read_dir(&artifacts).with_context(|| format!("reading {}", artifacts.display()))?;
    for entry in entries {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        // The regression test reads text, as the target does: lossy, like `String::from_utf8_lossy`.
        let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let saved = root
            .join(super::CRASH_DIR)
            .join(format!("libfuzzer-{name}.yaml"));
        fs::write(&saved, String::from_utf8_lossy(&bytes).as_bytes())
            .with_context(|| format!("writing {}", saved.display()))?;
        fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
        eprintln!("fuzz: libFuzzer found {}", crate::display_path(&saved));
        found += 1;
    }
    if found == 0 && !status.success() {
        bail!(
            "libFuzzer exited with {status} and saved nothing; see {}",
            crate::display_path(&base.join("loader.log"))
        );
    }
    Ok(found)
}
