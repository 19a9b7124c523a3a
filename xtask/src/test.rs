//! `cargo xtask test`: the whole suite, in the order CI runs it, failing fast.
//!
//! 1. `cargo fmt --all --check`
//! 2. `codegen --check` (in process)
//! 3. `cargo clippy --workspace --all-targets -- -D warnings`
//! 4. `cargo test --workspace`, with insta recording every snapshot it asserts
//! 5. snapshot hygiene: no unreferenced `*.snap` under `tests/snapshots/`, nothing pending
//! 6. `cargo doc -p justap -p justap_params_fixture --no-deps` with warnings denied (the SDK and
//!    the fixture crates: a crate generated from another spec must document cleanly too)
//!
//! Each step is announced as `==> <step>: <what>`; a failure names the step. Once the tests have
//! run, the last line on stdout is `summary: <passed> passed, <failed> failed` (CI parses it),
//! whether or not a later step failed.

use std::env;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{Context, Result, bail};

use crate::codegen::{self, CodegenArgs};
use crate::{cmd, display_path, project_root, walk};

/// Passed and failed tests summed over every `test result:` line of `cargo test`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TestCounts {
    pub passed: u64,
    pub failed: u64,
}

/// Runs every step; see the module documentation.
pub fn run() -> Result<()> {
    let root = project_root();
    let mut counts = None;
    let result = run_steps(&root, &mut counts);
    if let Some(counts) = counts {
        println!(
            "summary: {} passed, {} failed",
            counts.passed, counts.failed
        );
    }
    result
}

fn run_steps(root: &Path, counts: &mut Option<TestCounts>) -> Result<()> {
    step("fmt", "cargo fmt --all --check", || {
        cmd::run(&mut cmd::cargo(["fmt", "--all", "--check"]))
    })?;
    step("codegen", "cargo xtask codegen --check", || {
        codegen::run(CodegenArgs {
            check: true,
            ..CodegenArgs::default()
        })
    })?;
    step(
        "clippy",
        "cargo clippy --workspace --all-targets -- -D warnings",
        || {
            cmd::run(&mut cmd::cargo([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]))
        },
    )?;
    let refs_file = root.join("target").join("xtask").join("snapshot-refs.txt");
    step("test", "cargo test --workspace", || {
        run_tests(&refs_file, counts)
    })?;
    step(
        "snapshots",
        "every snapshot under tests/snapshots/ is asserted, none pending",
        || snapshot_hygiene(root, &refs_file),
    )?;
    step(
        "doc",
        "cargo doc -p justap -p justap_params_fixture --no-deps (RUSTDOCFLAGS=-Dwarnings)",
        || {
            let mut command = cmd::cargo([
                "doc",
                "-p",
                "justap",
                "-p",
                "justap_params_fixture",
                "--no-deps",
            ]);
            command.env("RUSTDOCFLAGS", "-Dwarnings");
            cmd::run(&mut command)
        },
    )?;
    Ok(())
}

fn step<T>(name: &str, what: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    println!("==> {name}: {what}");
    f().with_context(|| format!("step `{name}` failed"))
}

/// `cargo test --workspace` with stdout teed through the result counter. `counts` is set as soon
/// as the run ends, also when it failed.
fn run_tests(refs_file: &Path, counts: &mut Option<TestCounts>) -> Result<()> {
    if let Some(dir) = refs_file.parent() {
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    match fs::remove_file(refs_file) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            return Err(e).with_context(|| format!("removing {}", refs_file.display()));
        }
        _ => {}
    }

    let mut command = cmd::cargo(["test", "--workspace"]);
    command.env("INSTA_SNAPSHOT_REFERENCES_FILE", refs_file);
    if env::var_os("CI").is_some() {
        command.env("INSTA_UPDATE", "no");
    }
    command.stdout(Stdio::piped());
    let shown = cmd::show(&command);
    let mut child = command
        .spawn()
        .with_context(|| format!("cannot run `{shown}`"))?;
    let Some(child_stdout) = child.stdout.take() else {
        bail!("`{shown}`: its stdout was not captured");
    };
    let teed = tee(child_stdout, &mut io::stdout().lock());
    if teed.is_err() {
        // We can no longer show its output; do not leave it running.
        let _ = child.kill();
    }
    let status = child
        .wait()
        .with_context(|| format!("waiting for `{shown}`"))?;
    *counts = Some(teed.with_context(|| format!("relaying the output of `{shown}`"))?);
    if !status.success() {
        bail!("`{shown}` exited with {status}");
    }
    Ok(())
}

/// Copies `input` to `output` as it arrives and counts the `test result:` lines. Ends the
/// output with a newline if the input did not, so whatever is printed next starts a line.
fn tee(mut input: impl Read, output: &mut dyn Write) -> io::Result<TestCounts> {
    let mut counts = TestCounts::default();
    let mut line = Vec::new();
    let mut buffer = [0_u8; 8192];
    loop {
        let read = match input.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let chunk = &buffer[..read];
        output.write_all(chunk)?;
        output.flush()?;
        for &byte in chunk {
            if byte == b'\n' {
                count_line(&line, &mut counts);
                line.clear();
            } else {
                line.push(byte);
            }
        }
    }
    if !line.is_empty() {
        count_line(&line, &mut counts);
        writeln!(output)?;
    }
    Ok(counts)
}

fn count_line(line: &[u8], counts: &mut TestCounts) {
    if let Some((passed, failed)) = parse_test_result(&String::from_utf8_lossy(line)) {
        counts.passed += passed;
        counts.failed += failed;
    }
}

/// `test result: ok. 12 passed; 1 failed; 0 ignored; ...` → `(12, 1)`. `FAILED` results count
/// too, and ANSI colours are ignored.
fn parse_test_result(line: &str) -> Option<(u64, u64)> {
    let line = strip_ansi(line);
    let rest = line.trim().strip_prefix("test result: ")?;
    let (status, rest) = rest.split_once(". ")?;
    if status != "ok" && status != "FAILED" {
        return None;
    }
    let (mut passed, mut failed) = (None, None);
    for part in rest.split(';').map(str::trim) {
        if let Some(n) = part.strip_suffix(" passed") {
            passed = n.parse().ok();
        } else if let Some(n) = part.strip_suffix(" failed") {
            failed = n.parse().ok();
        }
    }
    Some((passed?, failed?))
}

/// Removes `ESC [ ... <letter>` sequences.
fn strip_ansi(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.clone().next() == Some('[') {
                chars.next();
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else {
            plain.push(c);
        }
    }
    plain
}

/// What the snapshot-hygiene step found; paths are as listed on disk.
#[derive(Debug, Default, PartialEq, Eq)]
struct SnapshotProblems {
    /// `*.snap` files under the snapshot directory that no test asserted.
    unreferenced: Vec<PathBuf>,
    /// `*.snap.new` and `*.pending-snap` files under `tests/`.
    pending: Vec<PathBuf>,
}

fn snapshot_hygiene(root: &Path, refs_file: &Path) -> Result<()> {
    let tests_dir = root.join("tests");
    let problems =
        find_snapshot_problems(&tests_dir, &tests_dir.join("snapshots"), refs_file, root)?;
    for path in &problems.unreferenced {
        eprintln!(
            "unreferenced snapshot: {} (no test asserts it: delete it)",
            display_path(path)
        );
    }
    for path in &problems.pending {
        eprintln!("pending snapshot: {}", display_path(path));
    }
    let mut failures = Vec::new();
    if !problems.unreferenced.is_empty() {
        failures.push(format!(
            "{} unreferenced snapshot{} under tests/snapshots/: delete {}",
            problems.unreferenced.len(),
            plural(problems.unreferenced.len()),
            if problems.unreferenced.len() == 1 {
                "it"
            } else {
                "them"
            }
        ));
    }
    if !problems.pending.is_empty() {
        failures.push(format!(
            "{} pending snapshot file{} under tests/: review with `cargo insta review` or delete",
            problems.pending.len(),
            plural(problems.pending.len())
        ));
    }
    if !failures.is_empty() {
        bail!("{}", failures.join("; "));
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Compares the `*.snap` files below `snapshots_dir` with the paths insta wrote into `refs_file`
/// (one per line; relative ones are read against `root`), and lists pending files below
/// `tests_dir`. A missing references file means no snapshot was asserted.
fn find_snapshot_problems(
    tests_dir: &Path,
    snapshots_dir: &Path,
    refs_file: &Path,
    root: &Path,
) -> Result<SnapshotProblems> {
    let references = match fs::read_to_string(refs_file) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("reading {}", refs_file.display())),
    };
    let referenced: std::collections::BTreeSet<PathBuf> = references
        .lines()
        .map(str::trim_end)
        .filter(|line| !line.is_empty())
        .map(|line| canonical(&root.join(line)))
        .collect();

    let mut snapshots = Vec::new();
    walk::files_below(snapshots_dir, &mut snapshots)
        .with_context(|| format!("listing {}", snapshots_dir.display()))?;
    let unreferenced = snapshots
        .into_iter()
        .filter(|path| has_suffix(path, ".snap"))
        .filter(|path| !referenced.contains(&canonical(path)))
        .collect();

    let mut below_tests = Vec::new();
    walk::files_below(tests_dir, &mut below_tests)
        .with_context(|| format!("listing {}", tests_dir.display()))?;
    let pending = below_tests
        .into_iter()
        .filter(|path| has_suffix(path, ".snap.new") || has_suffix(path, ".pending-snap"))
        .collect();

    Ok(SnapshotProblems {
        unreferenced,
        pending,
    })
}

fn has_suffix(path: &Path, suffix: &str) -> bool {
    path.file_name()
        .is_some_and(|name| name.to_string_lossy().ends_with(suffix))
}

fn canonical(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_result_lines() {
        let ok = "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.02s";
        assert_eq!(parse_test_result(ok), Some((12, 0)));
        let failed = "test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.00s";
        assert_eq!(parse_test_result(failed), Some((3, 2)));
        let coloured = "test result: \u{1b}[32mok\u{1b}[0m. 4 passed; 0 failed; 0 ignored";
        assert_eq!(parse_test_result(coloured), Some((4, 0)));
        assert_eq!(
            parse_test_result("   test result: ok. 1 passed; 0 failed;\r"),
            Some((1, 0))
        );
        assert_eq!(parse_test_result("test parses ... ok"), None);
        assert_eq!(
            parse_test_result("test result: ok. many passed; 0 failed"),
            None
        );
        assert_eq!(parse_test_result("running 3 tests"), None);
    }

    /// Hands out its input a few bytes at a time, splitting lines across reads.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.0.len()).min(5);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn tee_copies_everything_and_sums_every_binary() {
        let input = "running 2 tests\n\
            test a ... ok\n\
            test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\
            \n\
            test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\
            test result: FAILED. 5 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.10s";
        let mut output = Vec::new();
        let counts = tee(Trickle(input.as_bytes()), &mut output).expect("tee");
        assert_eq!(
            counts,
            TestCounts {
                passed: 7,
                failed: 1
            }
        );
        assert_eq!(
            String::from_utf8(output).expect("utf-8"),
            format!("{input}\n")
        );
    }

    #[test]
    fn tee_keeps_non_utf8_bytes() {
        let input = b"\xff\xfe odd\ntest result: ok. 1 passed; 0 failed;\n";
        let mut output = Vec::new();
        let counts = tee(&input[..], &mut output).expect("tee");
        assert_eq!(counts.passed, 1);
        assert_eq!(output, input);
    }

    fn touch(path: &Path) {
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, "").expect("write");
    }

    #[test]
    fn snapshot_hygiene_finds_unreferenced_and_pending_files() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path();
        let tests = root.join("tests");
        let snapshots = tests.join("snapshots");
        let refs = root.join("target/xtask/snapshot-refs.txt");
        touch(&snapshots.join("it__models.snap"));
        touch(&snapshots.join("sub/it__client.snap"));
        touch(&snapshots.join("README.md"));
        touch(&refs);

        // Nothing asserted yet: both snapshots are unreferenced.
        let problems = find_snapshot_problems(&tests, &snapshots, &refs, root).expect("check");
        assert_eq!(
            problems.unreferenced,
            [
                snapshots.join("it__models.snap"),
                snapshots.join("sub/it__client.snap")
            ]
        );
        assert!(problems.pending.is_empty());

        // One absolute, one relative with a `..` detour: both match after canonicalizing.
        let listed = format!(
            "{}\ntests/snapshots/sub/../sub/it__client.snap\n",
            snapshots.join("it__models.snap").display()
        );
        fs::write(&refs, listed).expect("write refs");
        let clean = find_snapshot_problems(&tests, &snapshots, &refs, root).expect("check");
        assert_eq!(clean, SnapshotProblems::default());

        touch(&snapshots.join("it__gone.snap"));
        touch(&snapshots.join("it__models.snap.new"));
        touch(&tests.join("it/.main.rs.pending-snap"));
        let problems = find_snapshot_problems(&tests, &snapshots, &refs, root).expect("check");
        assert_eq!(problems.unreferenced, [snapshots.join("it__gone.snap")]);
        assert_eq!(
            problems.pending,
            [
                tests.join("it/.main.rs.pending-snap"),
                snapshots.join("it__models.snap.new")
            ]
        );

        let error = snapshot_hygiene(root, &refs).expect_err("problems");
        assert_eq!(
            format!("{error:#}"),
            "1 unreferenced snapshot under tests/snapshots/: delete it; \
             2 pending snapshot files under tests/: review with `cargo insta review` or delete"
        );
    }

    #[test]
    fn snapshot_hygiene_without_snapshots_or_references_passes() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path();
        let refs = root.join("target/xtask/snapshot-refs.txt");
        snapshot_hygiene(root, &refs).expect("nothing to check");
    }

    #[test]
    fn steps_name_themselves_in_errors() {
        let error = step("clippy", "cargo clippy", || -> Result<()> {
            bail!("exit status: 101")
        })
        .expect_err("fails");
        assert_eq!(
            format!("{error:#}"),
            "step `clippy` failed: exit status: 101"
        );
    }
}
