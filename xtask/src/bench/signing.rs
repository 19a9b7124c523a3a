//! Signing cost of the generated crate, as a user who depends on it pays it: in a scratch workspace
//! of its own, `target/bench-signing/` (a copy of `generated/` and the program
//! `tests/benches/signing.rs`, with the workspace's Cargo.lock, offline), with no profile override
//! at all, since a user's crate has none. Measures the generated crate's unique normal dependencies
//! (`cargo tree -e normal`, default features), its clean debug build (a fresh target directory,
//! dependencies included), and the median time of one signature in a debug and a release build.

use std::fs;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use super::scratch::bench_package;
use crate::{cmd, project_root, scratch};

const MANIFEST: &str = "# Written by `cargo xtask bench signing` (xtask/src/bench/signing.rs).\n\
# No profile settings: the signing time is that of a user's crate, which has none.\n\
[workspace]\nmembers = [\"justap\", \"signing\"]\nresolver = \"2\"\n";

pub struct SigningResult {
    /// Unique crates (name and version) in `cargo tree -e normal -p justap`, the crate itself
    /// included, on this host and on all targets.
    pub dependencies: usize,
    /// `None` when other targets' crates are not in the local registry cache (offline).
    pub dependencies_all_targets: Option<usize>,
    /// `cargo build -p justap` (debug) in an empty target directory: wall time, and the CPU time
    /// (user + system) of cargo and the compilers it ran, where /proc tells it. Other users of
    /// this shared machine move the wall time by tens of percent; the CPU time much less.
    pub clean_build: Duration,
    pub clean_build_cpu: Option<Duration>,
    /// Median time of one signature, and the number of signatures timed: debug, then release.
    pub debug: (Duration, usize),
    pub release: (Duration, usize),
}

struct Workspace {
    root: PathBuf,
    target: PathBuf,
}

impl Workspace {
    fn create() -> Result<Workspace> {
        let project = project_root();
        let root = project.join("target").join("bench-signing");
        if root.exists() {
            // Everything, target directory included: the build measured is a clean one.
            fs::remove_dir_all(&root)
                .with_context(|| format!("cannot remove {}", root.display()))?;
        }
        let package = bench_package("signing", &project, "");
        let files = [("Cargo.toml", MANIFEST), ("signing/Cargo.toml", &package)];
        scratch::sdk_workspace(&project, &root, "justap", &files)?;
        Ok(Workspace {
            target: root.join("target"),
            root,
        })
    }

    fn output(&self, args: &[&str]) -> Result<String> {
        cmd::output(&mut scratch::cargo(&self.root, &self.target, args))
            .with_context(|| format!("in {}", self.root.display()))
    }
}

pub fn run() -> Result<SigningResult> {
    let workspace = Workspace::create()?;
    eprintln!("bench: dependencies of the generated crate");
    let tree = |extra: &[&str]| -> Result<usize> {
        let mut args = vec!["tree", "-e", "normal", "-p", "justap", "--prefix", "none"];
        args.extend_from_slice(extra);
        Ok(unique_crates(&workspace.output(&args)?))
    };
    let dependencies = tree(&[])?;
    // Other targets' crates (windows-sys and the like) may not be downloaded here; then only the
    // host's count is reported.
    let dependencies_all_targets = tree(&["--target", "all"]).ok();

    eprintln!("bench: clean debug build of the generated crate (dependencies included)");
    let cpu_before = children_cpu();
    let start = Instant::now();
    workspace.output(&["build", "-p", "justap"])?;
    let clean_build = start.elapsed();
    let clean_build_cpu = children_cpu()
        .zip(cpu_before)
        .and_then(|(after, before)| after.checked_sub(before));

    let key = project_root()
        .join("tests")
        .join("fixtures")
        .join("keys")
        .join("test_private_pkcs8.pem");
    let sign = |profile: &[&str]| -> Result<(Duration, usize)> {
        let mut args = vec!["run", "-p", "signing-bench"];
        args.extend_from_slice(profile);
        args.push("--");
        let key = key.to_string_lossy();
        args.push(&key);
        let stdout = workspace.output(&args)?;
        parse(&stdout)
            .with_context(|| format!("unexpected output of the signing bench: {stdout:?}"))
    };
    eprintln!("bench: signing, debug build");
    let debug = sign(&[])?;
    eprintln!("bench: signing, release build (first run: a few minutes)");
    let release = sign(&["--release"])?;
    Ok(SigningResult {
        dependencies,
        dependencies_all_targets,
        clean_build,
        clean_build_cpu,
        debug,
        release,
    })
}

/// User + system CPU time of this process's children that have been waited for (cargo, and the
/// compilers it waited for), from /proc/self/stat: Linux only, `None` elsewhere.
fn children_cpu() -> Option<Duration> {
    let stat = fs::read_to_string("/proc/self/stat").ok()?;
    cpu_of_children(&stat)
}

/// Fields 16 and 17 of /proc/PID/stat (`cutime`, `cstime`), counted after the command name, which
/// is in parentheses and may hold spaces. /proc counts in USER_HZ ticks, 100 a second on Linux.
fn cpu_of_children(stat: &str) -> Option<Duration> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // The first field after the name is field 3 (the state).
    let ticks = |field: usize| -> Option<u64> { fields.get(field - 3)?.parse().ok() };
    Some(Duration::from_millis((ticks(16)? + ticks(17)?) * 10))
}

/// The distinct `name vX.Y.Z` lines of `cargo tree --prefix none` (repeats end in ` (*)`).
fn unique_crates(tree: &str) -> usize {
    let mut crates: Vec<&str> = tree
        .lines()
        .map(|line| line.trim_end_matches(" (*)").trim())
        .filter(|line| !line.is_empty())
        .collect();
    crates.sort_unstable();
    crates.dedup();
    crates.len()
}

/// `runs=<n> sign_ns=<n>`
fn parse(text: &str) -> Option<(Duration, usize)> {
    let line = text.lines().find(|l| l.starts_with("runs="))?;
    let field = |name: &str| -> Option<u64> {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('=')?.parse().ok())
    };
    Some((
        Duration::from_nanos(field("sign_ns")?),
        usize::try_from(field("runs")?).ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    #[test]
    fn the_bench_line_parses() {
        assert_eq!(
            super::parse("runs=2048 sign_ns=981000\n"),
            Some((Duration::from_micros(981), 2048))
        );
        assert_eq!(super::parse("garbage"), None);
    }

    #[test]
    fn children_cpu_time_is_read_from_proc_stat() {
        // A line as /proc/self/stat writes it (fields 14-17: utime, stime, cutime, cstime).
        let stat = "4242 (x task) S 1 4242 4242 0 -1 4194304 9 0 0 0 17 3 1234 566 20 0 1 0 9 0 0";
        assert_eq!(
            super::cpu_of_children(stat),
            Some(Duration::from_millis(18_000))
        );
        assert_eq!(super::cpu_of_children("garbage"), None);
    }

    #[test]
    fn repeated_crates_count_once() {
        let tree = "justap v0.1.0 (/x)\nbase64 v0.22.1\nring v0.17.14\nbase64 v0.22.1 (*)\n\nring v0.17.14 (*)\n";
        assert_eq!(super::unique_crates(tree), 3);
    }
}
