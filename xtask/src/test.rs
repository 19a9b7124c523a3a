//! `cargo xtask test`: the whole suite, in the order CI runs it.
//!
//! 1. `cargo fmt --all --check`
//! 2. `codegen --check` (in process)
//! 3. `cargo clippy --workspace --all-targets -- -D warnings`
//! 4. `cargo test --workspace --no-fail-fast`, with insta pinned so that a snapshot that differs
//!    always fails (see [`pin_insta_env`]) and recording every snapshot it asserts
//! 5. snapshot hygiene: no unreferenced `*.snap` under `tests/snapshots/`, nothing pending
//!    (skipped when step 4 failed: its list of asserted snapshots is then incomplete)
//! 6. `cargo doc -p justap -p justap_params_fixture -p justap_shapes_fixture --no-deps` with
//!    warnings denied (the SDK and the fixture crates: a crate generated from another spec must
//!    document cleanly too)
//! 7. `cargo xtask vendor`: `generated/` copied into a workspace of its own builds, lints, keeps
//!    its formatting and documents cleanly there, and declares a high enough `rust-version`
//!    ([`crate::vendor`]; near the end, because it builds the SDK's dependencies once more in its
//!    own target dir, which the next step shares)
//! 8. `cargo xtask fuzz-crates`: the crates of a fixed set of random documents that together
//!    contain every shape the fuzzer makes, checked in one workspace with no warning allowed
//!    ([`crate::fuzz::crates`]; after step 7, whose target dir it shares)
//!
//! Each step is announced as `==> <step>: <what>`. Every step runs even when an earlier one
//! failed, so one run shows every problem; a failed step is reported on stderr as it ends. The
//! last line on stdout is always `summary: <passed> passed, <failed> failed` (CI parses it):
//! `passed` and `failed` add up the `test result:` lines of step 4, plus one failure for each
//! test target cargo reports failed that printed no failed result (it crashed or did not
//! compile); any other failed step (fmt, codegen, clippy, hygiene, doc, vendor, fuzz-crates, or step 4 failing without
//! a counted failure) adds one. So the summary reads `0 failed` only when every step passed.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;

use anyhow::{Context, Result, bail};

use crate::codegen::{self, CodegenArgs};
use crate::{cmd, display_path, project_root, walk};

/// Passed and failed tests summed over every `test result:` line of `cargo test`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TestCounts {
    pub passed: u64,
    pub failed: u64,
}

/// The steps of the suite; see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Fmt,
    Codegen,
    Clippy,
    Test,
    Snapshots,
    Doc,
    Vendor,
    FuzzCrates,
}

const STEPS: [Step; 8] = [
    Step::Fmt,
    Step::Codegen,
    Step::Clippy,
    Step::Test,
    Step::Snapshots,
    Step::Doc,
    Step::Vendor,
    Step::FuzzCrates,
];

impl Step {
    fn name(self) -> &'static str {
        match self {
            Step::Fmt => "fmt",
            Step::Codegen => "codegen",
            Step::Clippy => "clippy",
            Step::Test => "test",
            Step::Snapshots => "snapshots",
            Step::Doc => "doc",
            Step::Vendor => "vendor",
            Step::FuzzCrates => "fuzz-crates",
        }
    }

    fn what(self) -> &'static str {
        match self {
            Step::Fmt => "cargo fmt --all --check",
            Step::Codegen => "cargo xtask codegen --check",
            Step::Clippy => "cargo clippy --workspace --all-targets -- -D warnings",
            Step::Test => "cargo test --workspace --no-fail-fast",
            Step::Snapshots => "every snapshot under tests/snapshots/ is asserted, none pending",
            Step::Doc => {
                "cargo doc -p justap -p justap_params_fixture -p justap_shapes_fixture --no-deps (RUSTDOCFLAGS=-Dwarnings)"
            }
            Step::Vendor => {
                "generated/ vendored into a fresh workspace: build, clippy, fmt --check, doc, rust-version"
            }
            Step::FuzzCrates => {
                "cargo check of crates generated from fuzz documents covering every shape, no warnings"
            }
        }
    }
}

/// What the suite found: the test counts as the summary shows them and the failed steps.
#[derive(Debug, Default, PartialEq, Eq)]
struct Tally {
    counts: TestCounts,
    failed_steps: Vec<Step>,
}

impl Tally {
    /// Adds a finished step: `counted` are the test results it printed, `result` how it ended.
    /// A step fails if it returned an error or counted a failed test; if it counted none, its
    /// failure still counts as one, so the summary cannot read `0 failed`.
    fn record(&mut self, step: Step, counted: TestCounts, result: &Result<()>) {
        self.counts.passed += counted.passed;
        self.counts.failed += counted.failed;
        if result.is_err() || counted.failed > 0 {
            self.counts.failed += u64::from(counted.failed == 0);
            self.failed_steps.push(step);
        }
    }

    fn failed(&self, step: Step) -> bool {
        self.failed_steps.contains(&step)
    }

    fn summary(&self) -> String {
        format!(
            "summary: {} passed, {} failed",
            self.counts.passed, self.counts.failed
        )
    }

    fn into_result(self) -> Result<()> {
        if self.failed_steps.is_empty() {
            return Ok(());
        }
        let names: Vec<&str> = self.failed_steps.iter().map(|step| step.name()).collect();
        bail!(
            "{} step{} failed: {}",
            names.len(),
            if names.len() == 1 { "" } else { "s" },
            names.join(", ")
        )
    }
}

/// Runs every step; see the module documentation.
pub fn run() -> Result<()> {
    let root = project_root();
    let refs_file = root.join("target").join("xtask").join("snapshot-refs.txt");
    let tally = run_suite(|step, counts| run_step(step, &root, &refs_file, counts));
    println!("{}", tally.summary());
    tally.into_result()
}

/// Runs the steps in order with `run_step` (which adds the tests it counted to its second
/// argument), reporting each failure on stderr as it happens.
fn run_suite(mut run_step: impl FnMut(Step, &mut TestCounts) -> Result<()>) -> Tally {
    let mut tally = Tally::default();
    for step in STEPS {
        println!("==> {}: {}", step.name(), step.what());
        if step == Step::Snapshots && tally.failed(Step::Test) {
            println!("skipped: the tests failed, so the list of asserted snapshots is incomplete");
            continue;
        }
        let mut counted = TestCounts::default();
        let result = run_step(step, &mut counted);
        if let Err(e) = &result {
            eprintln!("error: step `{}` failed: {e:#}", step.name());
        }
        tally.record(step, counted, &result);
    }
    tally
}

fn run_step(step: Step, root: &Path, refs_file: &Path, counts: &mut TestCounts) -> Result<()> {
    match step {
        Step::Fmt => cmd::run(&mut cmd::cargo(["fmt", "--all", "--check"])),
        Step::Codegen => codegen::run(CodegenArgs {
            check: true,
            ..CodegenArgs::default()
        }),
        Step::Clippy => cmd::run(&mut cmd::cargo([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ])),
        Step::Test => {
            reset_refs_file(refs_file)?;
            run_counted(
                &mut test_command(refs_file),
                &mut io::stdout().lock(),
                &mut io::stderr(),
                counts,
            )
        }
        Step::Snapshots => snapshot_hygiene(root, refs_file),
        Step::Doc => {
            let mut command = cmd::cargo([
                "doc",
                "-p",
                "justap",
                "-p",
                "justap_params_fixture",
                "-p",
                "justap_shapes_fixture",
                "--no-deps",
            ]);
            command.env("RUSTDOCFLAGS", "-Dwarnings");
            cmd::run(&mut command)
        }
        Step::Vendor => crate::vendor::run(),
        Step::FuzzCrates => crate::fuzz::crates::run(),
    }
}

/// Deletes the snapshot references of an earlier run (insta appends to the file).
fn reset_refs_file(refs_file: &Path) -> Result<()> {
    if let Some(dir) = refs_file.parent() {
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    match fs::remove_file(refs_file) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("removing {}", refs_file.display()))
        }
        _ => Ok(()),
    }
}

/// `cargo test --workspace --no-fail-fast`: every test binary runs even after one failed.
fn test_command(refs_file: &Path) -> Command {
    let mut command = cmd::cargo(["test", "--workspace", "--no-fail-fast"]);
    pin_insta_env(&mut command, refs_file);
    command
}

/// insta variables that would let a snapshot that differs pass, be rewritten, or not be compared:
/// `INSTA_FORCE_UPDATE(_SNAPSHOTS)=1` turn into `INSTA_UPDATE=force`, `INSTA_GLOB_FILTER` skips
/// `glob!` inputs, `INSTA_WORKSPACE_ROOT` reads the snapshots of another tree, and
/// `INSTA_PENDING_DIR` puts pending files where the hygiene step does not look.
const INSTA_VARS_REMOVED: [&str; 5] = [
    "INSTA_FORCE_UPDATE",
    "INSTA_FORCE_UPDATE_SNAPSHOTS",
    "INSTA_GLOB_FILTER",
    "INSTA_WORKSPACE_ROOT",
    "INSTA_PENDING_DIR",
];

/// Sets insta's environment on `command` whatever the caller's is: snapshots are compared, never
/// written or accepted, and every asserted snapshot is listed in `refs_file`.
pub fn pin_insta_env(command: &mut Command, refs_file: &Path) {
    for name in INSTA_VARS_REMOVED {
        command.env_remove(name);
    }
    command.env("INSTA_UPDATE", "no");
    // `0` rather than unset: it also overrides `behavior.force_pass` of an insta.yaml.
    command.env("INSTA_FORCE_PASS", "0");
    command.env("INSTA_SNAPSHOT_REFERENCES_FILE", refs_file);
}

/// Runs `command` with its stdout teed to `output` and its stderr to `errors`, and adds the tests
/// it reports to `counts` (see [`CargoTestOutput`]), also when it fails part-way.
fn run_counted(
    command: &mut Command,
    output: &mut dyn Write,
    errors: &mut (dyn Write + Send),
    counts: &mut TestCounts,
) -> Result<()> {
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let shown = cmd::show(command);
    let mut child = command
        .spawn()
        .with_context(|| format!("cannot run `{shown}`"))?;
    let (Some(child_stdout), Some(child_stderr)) = (child.stdout.take(), child.stderr.take())
    else {
        let _ = child.kill();
        let _ = child.wait();
        bail!("`{shown}`: its output was not captured");
    };
    let mut seen = CargoTestOutput::default();
    let (teed, relayed_errors) = thread::scope(|scope| {
        // Both pipes are drained at once, or a child filling one would block on it.
        let stderr_relay = scope.spawn(move || {
            let mut failed_targets = 0;
            let relayed = tee(child_stderr, errors, |line| {
                failed_targets += u64::from(is_failed_target(line));
            });
            relayed.map(|()| failed_targets)
        });
        let teed = tee(child_stdout, output, |line| seen.add_stdout_line(line));
        if teed.is_err() {
            // We can no longer show its output; do not leave it running.
            let _ = child.kill();
        }
        let relayed_errors = stderr_relay
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the stderr relay panicked")));
        (teed, relayed_errors)
    });
    let status = child
        .wait()
        .with_context(|| format!("waiting for `{shown}`"))?;
    let relayed_errors = relayed_errors.map(|failed_targets| seen.failed_targets = failed_targets);
    let found = seen.counts();
    counts.passed += found.passed;
    counts.failed += found.failed;
    teed.with_context(|| format!("relaying the output of `{shown}`"))?;
    relayed_errors.with_context(|| format!("relaying the errors of `{shown}`"))?;
    if !status.success() {
        bail!("`{shown}` exited with {status}");
    }
    Ok(())
}

/// What `cargo test` reported: its `test result:` lines (stdout) and the targets it says failed
/// (stderr).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct CargoTestOutput {
    /// Every `test result:` line, summed.
    results: TestCounts,
    /// `test result:` lines with failed tests: failed targets whose failures are counted.
    failed_results: u64,
    /// Targets cargo reports failed ([`is_failed_target`]), counted or not.
    failed_targets: u64,
}

impl CargoTestOutput {
    fn add_stdout_line(&mut self, line: &[u8]) {
        if let Some((passed, failed)) = parse_test_result(&String::from_utf8_lossy(line)) {
            self.results.passed += passed;
            self.results.failed += failed;
            self.failed_results += u64::from(failed > 0);
        }
    }

    /// The results plus one failure for each failed target that printed no failed result: a
    /// test binary that crashed or a target that did not compile.
    fn counts(&self) -> TestCounts {
        let uncounted = self.failed_targets.saturating_sub(self.failed_results);
        TestCounts {
            passed: self.results.passed,
            failed: self.results.failed + uncounted,
        }
    }
}

/// cargo's line for a test target that failed, crashed or did not compile (one per target).
fn is_failed_target(line: &[u8]) -> bool {
    let line = strip_ansi(&String::from_utf8_lossy(line));
    let line = line.trim_start();
    [
        "error: test failed, to rerun pass ",
        "error: doctest failed, to rerun pass ",
        "error: could not compile ",
    ]
    .iter()
    .any(|prefix| line.starts_with(prefix))
}

/// Copies `input` to `output` as it arrives and hands every line (without its `\n`) to
/// `on_line`. Ends the output with a newline if the input did not, so whatever is printed next
/// starts a line.
fn tee(
    mut input: impl Read,
    output: &mut (impl Write + ?Sized),
    mut on_line: impl FnMut(&[u8]),
) -> io::Result<()> {
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
                on_line(&line);
                line.clear();
            } else {
                line.push(byte);
            }
        }
    }
    if !line.is_empty() {
        on_line(&line);
        writeln!(output)?;
    }
    Ok(())
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
    walk::files_below(snapshots_dir, &[], &mut snapshots)
        .with_context(|| format!("listing {}", snapshots_dir.display()))?;
    let unreferenced = snapshots
        .into_iter()
        .filter(|path| has_suffix(path, ".snap"))
        .filter(|path| !referenced.contains(&canonical(path)))
        .collect();

    let mut below_tests = Vec::new();
    walk::files_below(tests_dir, &[], &mut below_tests)
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
        let mut seen = CargoTestOutput::default();
        tee(Trickle(input.as_bytes()), &mut output, |line| {
            seen.add_stdout_line(line);
        })
        .expect("tee");
        assert_eq!(seen.counts(), counts(7, 1));
        assert_eq!(
            String::from_utf8(output).expect("utf-8"),
            format!("{input}\n")
        );
    }

    #[test]
    fn tee_keeps_non_utf8_bytes() {
        let input = b"\xff\xfe odd\ntest result: ok. 1 passed; 0 failed;\n";
        let mut output = Vec::new();
        let mut seen = CargoTestOutput::default();
        tee(&input[..], &mut output, |line| seen.add_stdout_line(line)).expect("tee");
        assert_eq!(seen.counts(), counts(1, 0));
        assert_eq!(output, input);
    }

    /// Counts what `cargo test --no-fail-fast` printed for one target whose test fails, one that
    /// aborts, and a doctest that fails (the lines as cargo 1.95 wrote them).
    fn seen_in(stdout: &str, stderr: &str) -> TestCounts {
        let mut seen = CargoTestOutput::default();
        for line in stdout.lines() {
            seen.add_stdout_line(line.as_bytes());
        }
        seen.failed_targets = stderr
            .lines()
            .filter(|line| is_failed_target(line.as_bytes()))
            .count() as u64;
        seen.counts()
    }

    #[test]
    fn a_crashed_or_uncompiled_target_counts_as_a_failure() {
        let stdout = "test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\
            test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.11s\n\
            test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.08s\n";
        let stderr = "     Running tests/a.rs (target/debug/deps/a-2b14466bdf3172c1)\n\
            error: test failed, to rerun pass `--test a`\n\
            \x20    Running tests/b.rs (target/debug/deps/b-cbea3519c2590dc1)\n\
            error: test failed, to rerun pass `--test b`\n\
            \n\
            Caused by:\n\
            \x20 process didn't exit successfully: `target/debug/deps/b-cbea3519c2590dc1` (signal: 6, SIGABRT: process abort signal)\n\
            \x20  Doc-tests crashy\n\
            error: doctest failed, to rerun pass `--doc`\n\
            error: 3 targets failed:\n\
            \x20   `--test a`\n\
            \x20   `--test b`\n\
            \x20   `--doc`\n";
        // The doctest's result line went to stdout as FAILED; `--test b` printed none.
        assert_eq!(seen_in(stdout, stderr), counts(1, 3));

        let uncompiled = "error: this file contains an unclosed delimiter\n\
            error: could not compile `crashy` (test \"c\") due to 1 previous error\n";
        assert_eq!(seen_in("", uncompiled), counts(0, 1));
        let coloured = "\x1b[1m\x1b[91merror\x1b[0m\x1b[1m: test failed, to rerun pass `--lib`";
        assert!(is_failed_target(coloured.as_bytes()));
        assert!(!is_failed_target(b"error: 3 targets failed:"));
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

    /// Runs the suite with faked steps: `outcome` gives each step's counted tests and whether it
    /// fails. Returns the tally and the steps that ran.
    fn fake_suite(outcome: impl Fn(Step) -> (TestCounts, bool)) -> (Tally, Vec<Step>) {
        let mut ran = Vec::new();
        let tally = run_suite(|step, counts| {
            ran.push(step);
            let (counted, fails) = outcome(step);
            *counts = counted;
            if fails {
                bail!("exit status: 101");
            }
            Ok(())
        });
        (tally, ran)
    }

    fn counts(passed: u64, failed: u64) -> TestCounts {
        TestCounts { passed, failed }
    }

    fn tests_only(counted: TestCounts, fails: bool) -> impl Fn(Step) -> (TestCounts, bool) {
        move |step| match step {
            Step::Test => (counted, fails),
            _ => (TestCounts::default(), false),
        }
    }

    fn outcome(tally: Tally) -> (String, Option<String>) {
        let summary = tally.summary();
        (summary, tally.into_result().err().map(|e| format!("{e:#}")))
    }

    #[test]
    fn a_green_run_is_green() {
        let (tally, ran) = fake_suite(tests_only(counts(12, 0), false));
        assert_eq!(ran, STEPS);
        assert_eq!(
            outcome(tally),
            ("summary: 12 passed, 0 failed".to_owned(), None)
        );
    }

    #[test]
    fn failed_tests_are_counted_once() {
        let (tally, _) = fake_suite(tests_only(counts(10, 2), true));
        assert_eq!(
            outcome(tally),
            (
                "summary: 10 passed, 2 failed".to_owned(),
                Some("1 step failed: test".to_owned())
            )
        );
    }

    #[test]
    fn a_test_step_that_fails_without_a_failed_test_counts_one() {
        // A test binary that does not compile or crashes prints no `test result:` line.
        let (tally, ran) = fake_suite(tests_only(counts(7, 0), true));
        assert_eq!(
            outcome(tally),
            (
                "summary: 7 passed, 1 failed".to_owned(),
                Some("1 step failed: test".to_owned())
            )
        );
        // The references are incomplete: hygiene would blame snapshots of tests that never ran.
        assert!(!ran.contains(&Step::Snapshots));
        assert_eq!(ran.last(), Some(&Step::FuzzCrates));
    }

    #[test]
    fn a_failed_test_counted_by_a_step_that_exited_zero_still_fails() {
        let (tally, _) = fake_suite(tests_only(counts(3, 1), false));
        assert_eq!(
            outcome(tally),
            (
                "summary: 3 passed, 1 failed".to_owned(),
                Some("1 step failed: test".to_owned())
            )
        );
    }

    #[test]
    fn steps_before_and_after_the_tests_count_as_failures_and_the_rest_still_runs() {
        let (tally, ran) = fake_suite(|step| match step {
            Step::Fmt | Step::Snapshots | Step::Doc => (TestCounts::default(), true),
            Step::Test => (counts(5, 0), false),
            Step::Codegen | Step::Clippy | Step::Vendor | Step::FuzzCrates => {
                (TestCounts::default(), false)
            }
        });
        assert_eq!(ran, STEPS);
        assert_eq!(
            outcome(tally),
            (
                "summary: 5 passed, 3 failed".to_owned(),
                Some("3 steps failed: fmt, snapshots, doc".to_owned())
            )
        );

        // Even when every step fails before any test could run.
        let (tally, _) = fake_suite(|_| (TestCounts::default(), true));
        assert_eq!(
            outcome(tally),
            (
                "summary: 0 passed, 7 failed".to_owned(),
                Some(
                    "7 steps failed: fmt, codegen, clippy, test, doc, vendor, fuzz-crates"
                        .to_owned()
                )
            )
        );
    }

    #[test]
    fn the_real_test_command_runs_every_binary() {
        let command = test_command(Path::new("refs.txt"));
        assert_eq!(cmd::show(&command), "cargo test --workspace --no-fail-fast");
    }

    /// Where [`changed_snapshot_fixture`] finds its snapshot directory.
    const FIXTURE_DIR_VAR: &str = "XTASK_TEST_CHANGED_SNAPSHOT_DIR";

    /// A snapshot assertion whose stored snapshot (written by the test below) differs.
    #[test]
    #[ignore = "fails on purpose; run by a_changed_snapshot_fails_whatever_insta_variables_are_inherited"]
    fn changed_snapshot_fixture() {
        let dir = std::env::var_os(FIXTURE_DIR_VAR).expect("run by the test below, which sets it");
        insta::with_settings!({
            snapshot_path => PathBuf::from(dir),
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!("changed", "what the code prints now");
        });
    }

    #[test]
    fn a_changed_snapshot_fails_whatever_insta_variables_are_inherited() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let snapshots = tmp.path().join("snapshots");
        let stored = "---\nsource: xtask/src/test.rs\nexpression: \"\\\"what the code printed\\\"\"\n---\nwhat the code printed\n";
        fs::create_dir_all(&snapshots).expect("mkdir");
        fs::write(snapshots.join("changed.snap"), stored).expect("write");
        let refs = tmp.path().join("refs.txt");

        let mut command = Command::new(std::env::current_exe().expect("current exe"));
        command.args([
            "test::tests::changed_snapshot_fixture",
            "--exact",
            "--ignored",
            "--test-threads=1",
        ]);
        command
            .stdin(Stdio::null())
            .env(FIXTURE_DIR_VAR, &snapshots)
            // What a developer's shell or a CI job may have set.
            .env("INSTA_UPDATE", "always")
            .env("INSTA_FORCE_PASS", "1")
            .env("INSTA_FORCE_UPDATE", "1")
            .env("INSTA_FORCE_UPDATE_SNAPSHOTS", "1")
            .env("INSTA_GLOB_FILTER", "nothing")
            .env("INSTA_WORKSPACE_ROOT", tmp.path().join("elsewhere"));
        pin_insta_env(&mut command, &refs);

        let (mut output, mut errors) = (Vec::new(), Vec::new());
        let mut counted = TestCounts::default();
        let result = run_counted(&mut command, &mut output, &mut errors, &mut counted);

        let output = format!(
            "{}{}",
            String::from_utf8_lossy(&output),
            String::from_utf8_lossy(&errors)
        );
        assert!(result.is_err(), "the changed snapshot passed:\n{output}");
        assert_eq!(counted, counts(0, 1), "{output}");
        let mut files = Vec::new();
        walk::files_below(tmp.path(), &[], &mut files).expect("list");
        assert_eq!(files, [refs, snapshots.join("changed.snap")], "{output}");
        assert_eq!(
            fs::read_to_string(snapshots.join("changed.snap")).expect("read"),
            stored
        );
    }
}
