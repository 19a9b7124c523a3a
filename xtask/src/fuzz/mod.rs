//! `cargo xtask fuzz [--seconds N] [--seed S]`: checks the generator's promise on documents we did
//! not write. Every document either generates (and every emitted `.rs` file parses with `syn`) or
//! is refused with an error; never a panic, never a hang. Two sources of documents take turns:
//! [`specgen`] (random but well-formed Swagger 2.0 / OpenAPI 3.0) and mutated bytes of the real
//! specs (`spec/justap.yaml`, `tests/fixtures/specs/*`). Where a nightly toolchain with
//! cargo-fuzz is installed, the coverage-guided target of [`libfuzzer`] runs beside them for the
//! same time. A document that breaks the promise is saved under `tests/fixtures/fuzz/`, whose
//! every file the regression test replays.

pub mod crates;
pub mod libfuzzer;
pub mod specgen;

use std::fmt;
use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use fastrand::Rng;

/// Longer than any small document takes even in a debug build; a document still running then is
/// taken to hang.
pub const TIME_LIMIT: Duration = Duration::from_secs(30);

/// Where broken documents are saved, relative to the project root.
pub const CRASH_DIR: &str = "tests/fixtures/fuzz";

/// How a document broke the promise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    Panic(String),
    Hang,
    /// An emitted file that is not Rust: its path and syn's message.
    Unparseable {
        file: String,
        error: String,
    },
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Panic(message) => write!(f, "generator panicked: {message}"),
            Failure::Hang => write!(f, "generator still running after {TIME_LIMIT:?}"),
            Failure::Unparseable { file, error } => {
                write!(f, "emitted {file} does not parse: {error}")
            }
        }
    }
}

/// Generates `text` and checks the outcome; `Ok(())` both for generated crates that parse and for
/// documents the generator refuses with an error.
pub fn check_document(name: &str, text: &str) -> Result<(), Failure> {
    let (sender, receiver) = mpsc::channel();
    let name = name.to_owned();
    let text = text.to_owned();
    // A thread of its own so that a hang can be left behind (a thread cannot be killed).
    let spawned = thread::Builder::new()
        .name("fuzz-document".into())
        // The main thread's size, which `cargo xtask codegen` runs the generator on: a document
        // deep enough to need more is one a user would see crash too.
        .stack_size(8 << 20)
        .spawn(move || {
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
                let source = generator::SpecSource {
                    name: &name,
                    text: &text,
                };
                generator::generate(&source, &generator::CrateOptions::default())
            }));
            // The receiver is gone only after a timeout; nothing is left to tell then.
            let _ = sender.send(outcome);
        });
    if let Err(e) = spawned {
        return Err(Failure::Panic(format!("could not start a thread: {e}")));
    }
    let generated = match receiver.recv_timeout(TIME_LIMIT) {
        Err(_) => return Err(Failure::Hang),
        Ok(Err(payload)) => return Err(Failure::Panic(panic_message(payload.as_ref()))),
        // A refusal keeps the promise as long as it is an error value.
        Ok(Ok(Err(_))) => return Ok(()),
        Ok(Ok(Ok(generated))) => generated,
    };
    for (file, source) in &generated.files {
        if file.ends_with(".rs") {
            if let Err(e) = syn::parse_file(source) {
                return Err(Failure::Unparseable {
                    file: file.clone(),
                    error: e.to_string(),
                });
            }
        }
    }
    Ok(())
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "(a panic payload that is not text)".to_owned()
    }
}

/// Mutates `bytes` a few times: flips, cuts, duplicates, and YAML/JSON fragments likely to reach
/// odd corners of the loader (anchors, tags, refs).
pub fn mutate(rng: &mut Rng, bytes: &[u8]) -> Vec<u8> {
    const TOKENS: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ": ",
        "\n  ",
        "- ",
        "$ref: '#/definitions/",
        "$ref: '#/components/schemas/",
        "$ref: '#/'",
        "allOf: [",
        "additionalProperties: ",
        "&a ",
        "*a",
        "<<: *a",
        "!!binary ",
        "~",
        "null",
        "99999999999999999999999",
        "type: object",
        "type: array",
        "format: int64",
        "in: query",
        "in: path",
        "\t",
        "\"",
        "'",
        "\u{feff}",
        "é",
    ];
    let mut out = bytes.to_vec();
    for _ in 0..rng.usize(1..8) {
        let len = out.len();
        let at = rng.usize(..=len);
        match rng.u8(..6) {
            0 if len > 0 => {
                let i = rng.usize(..len);
                out[i] ^= 1 << rng.u8(..8);
            }
            1 => {
                let end = (at + rng.usize(..64)).min(len);
                out.drain(at..end);
            }
            2 => {
                let end = (at + rng.usize(..256)).min(len);
                let copy = out[at..end].to_vec();
                let to = rng.usize(..=len);
                out.splice(to..to, copy);
            }
            3 => out.truncate(at),
            _ => {
                let token = TOKENS[rng.usize(..TOKENS.len())];
                out.splice(at..at, token.bytes());
            }
        }
    }
    out
}

/// Documents the raw-bytes mode starts from, smallest first so that a mutated one is quick.
pub fn corpus(root: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let mut paths = vec![root.join("spec/justap.yaml")];
    let specs = root.join("tests/fixtures/specs");
    for entry in fs::read_dir(&specs).with_context(|| format!("reading {}", specs.display()))? {
        paths.push(entry?.path());
    }
    let mut corpus = Vec::new();
    for path in paths {
        let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        corpus.push((crate::display_path(&path), bytes));
    }
    corpus.sort_by_key(|(_, bytes)| bytes.len());
    Ok(corpus)
}

/// One document to try: its text and how to name it if it breaks the promise.
pub struct Case {
    pub label: String,
    pub text: String,
}

/// The `index`-th case of a run seeded with `seed`: even ones from [`specgen`], odd ones mutated
/// from the corpus (mostly its small files: the full spec takes long to generate in debug).
pub fn case(seed: u64, index: u64, corpus: &[(String, Vec<u8>)]) -> Case {
    let case_seed = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(index);
    if index % 2 == 0 || corpus.is_empty() {
        return Case {
            label: format!("spec-{seed}-{index}.json"),
            text: specgen::SpecGen::new(case_seed).document_text(),
        };
    }
    let mut rng = Rng::with_seed(case_seed);
    let small = corpus.len().saturating_sub(1).max(1);
    let pick = if rng.u8(..8) == 0 {
        rng.usize(..corpus.len())
    } else {
        rng.usize(..small)
    };
    let bytes = mutate(&mut rng, &corpus[pick].1);
    // The loader takes text: invalid UTF-8 becomes U+FFFD as a caller's lossy read would.
    let text = String::from_utf8_lossy(&bytes).into_owned();
    Case {
        label: format!("bytes-{seed}-{index}.yaml"),
        text,
    }
}

/// The worker's exit status after a hang it has saved itself: a fresh worker carries on after it.
const EXIT_HUNG: i32 = 3;

/// Saves a failing case under [`CRASH_DIR`] and says so.
fn save(root: &Path, case: &Case, failure: &Failure) -> Result<PathBuf> {
    let dir = root.join(CRASH_DIR);
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join(&case.label);
    fs::write(&path, &case.text).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("fuzz: {}: {failure}", crate::display_path(&path));
    Ok(path)
}

/// `cargo xtask fuzz`: runs [`worker`] in a child process until `seconds` have passed. A stack
/// overflow aborts a process (no unwinding to catch), so the child prints each case's index
/// before trying it; when the child dies, the case it was on is rebuilt here from the seed and
/// saved, and a new child carries on after it.
pub fn run(seconds: u64, seed: Option<u64>) -> Result<()> {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let root = crate::project_root();
    let seed = seed.unwrap_or_else(|| fastrand::u64(..));
    let corpus = corpus(&root)?;
    let exe = std::env::current_exe().context("cannot find the running xtask binary")?;
    let coverage_guided = match libfuzzer::available(&root) {
        Ok(()) => {
            eprintln!("fuzz: building the coverage-guided target (xtask/fuzz)");
            libfuzzer::build(&root)?;
            Some(libfuzzer::start(&root, seconds)?)
        }
        Err(why) => {
            eprintln!("fuzz: no coverage-guided target: {why}");
            None
        }
    };
    eprintln!("fuzz: seed {seed}, {seconds} s");
    let started = Instant::now();
    let deadline = Duration::from_secs(seconds);
    let mut next = 0;
    let mut failures = 0;
    while started.elapsed() < deadline {
        let left = deadline.saturating_sub(started.elapsed()).as_secs().max(1);
        let mut child = Command::new(&exe)
            .args([
                "fuzz-worker",
                &seed.to_string(),
                &next.to_string(),
                &left.to_string(),
            ])
            .stdout(Stdio::piped())
            .spawn()
            .context("starting the fuzz worker")?;
        let mut current = None;
        if let Some(stdout) = child.stdout.take() {
            for line in BufReader::new(stdout).lines() {
                let line = line.context("reading the fuzz worker")?;
                if let Some(index) = line.strip_prefix("case ") {
                    current = index.parse::<u64>().ok();
                } else if line.starts_with("failure") {
                    failures += 1;
                }
            }
        }
        let status = child.wait().context("waiting for the fuzz worker")?;
        // Exit 0: time is up. Any other end happened while trying `current`.
        if status.success() {
            next = current.map_or(next, |index| index + 1);
            break;
        }
        let Some(index) = current else {
            anyhow::bail!("the fuzz worker failed before its first case ({status})");
        };
        let case = case(seed, index, &corpus);
        save(
            &root,
            &case,
            &Failure::Panic(format!("the process died: {status}")),
        )?;
        failures += 1;
        next = index + 1;
    }
    eprintln!(
        "fuzz: seed {seed}: {next} documents in {:.0} s, {failures} failures",
        started.elapsed().as_secs_f64()
    );
    if let Some(child) = coverage_guided {
        failures += libfuzzer::finish(&root, child)?;
    }
    if failures == 0 {
        Ok(())
    } else {
        anyhow::bail!(
            "{failures} documents broke the promise; saved under {CRASH_DIR}/ (replayed by `cargo test -p xtask fuzz`)"
        )
    }
}

/// `cargo xtask fuzz-worker SEED START SECONDS`: tries cases `START..` for `SECONDS`, printing
/// `case N` before each and `failure` after each one saved. Exits 0 when time is up.
pub fn worker(seed: u64, start: u64, seconds: u64) -> Result<()> {
    use std::io::Write;

    let root = crate::project_root();
    let corpus = corpus(&root)?;
    // The generator's panics are caught and reported, one line each, not as backtraces.
    panic::set_hook(Box::new(|_| {}));
    let started = Instant::now();
    let mut stdout = std::io::stdout();
    let mut index = start;
    while started.elapsed() < Duration::from_secs(seconds) {
        writeln!(stdout, "case {index}")?;
        stdout.flush()?;
        let case = case(seed, index, &corpus);
        if let Err(failure) = check_document(&case.label, &case.text) {
            save(&root, &case, &failure)?;
            writeln!(stdout, "failure")?;
            // A hung generation keeps its core busy; a fresh process leaves it behind.
            if failure == Failure::Hang {
                std::process::exit(EXIT_HUNG);
            }
        }
        index += 1;
        if (index - start) % 1000 == 0 {
            eprintln!(
                "fuzz: case {index}, {:.0} s",
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every saved failure, replayed: once fixed, each must keep the promise.
    #[test]
    fn saved_failures_keep_the_promise() {
        let dir = crate::project_root().join(CRASH_DIR);
        let mut broken = Vec::new();
        let mut replayed = 0;
        for entry in fs::read_dir(&dir).expect("tests/fixtures/fuzz exists") {
            let path = entry.expect("directory entry").path();
            let is_document = path
                .extension()
                .is_some_and(|ext| ext == "json" || ext == "yaml");
            if !is_document {
                continue;
            }
            let text = fs::read_to_string(&path).expect("saved documents are UTF-8");
            replayed += 1;
            if let Err(failure) = check_document(&path.display().to_string(), &text) {
                broken.push(format!("{}: {failure}", path.display()));
            }
        }
        eprintln!("replayed {replayed} saved documents");
        assert!(broken.is_empty(), "{}", broken.join("\n"));
    }

    /// A fixed-seed sample of both sources, small enough for every CI run.
    #[test]
    fn fixed_seed_sample_keeps_the_promise() {
        let corpus = corpus(&crate::project_root()).expect("corpus readable");
        // The raw-bytes half uses only the two small fixtures: the full specs take seconds each
        // to generate in a debug build.
        let small: Vec<_> = corpus
            .into_iter()
            .filter(|(_, b)| b.len() < 20_000)
            .collect();
        assert!(!small.is_empty());
        let mut broken = Vec::new();
        for index in 0..300 {
            let case = case(20261201, index, &small);
            if let Err(failure) = check_document(&case.label, &case.text) {
                broken.push(format!("{}: {failure}", case.label));
            }
        }
        assert!(broken.is_empty(), "{}", broken.join("\n"));
    }

    /// The generator covers both dialects and the shapes it claims to, for the same seed.
    #[test]
    fn spec_generator_is_deterministic_and_covers_both_dialects() {
        let first = specgen::SpecGen::new(7).document();
        assert_eq!(first, specgen::SpecGen::new(7).document());
        let texts: Vec<String> = (0..200)
            .map(|seed| specgen::SpecGen::new(seed).document().to_string())
            .collect();
        for needle in [
            "\"swagger\":\"2.0\"",
            "\"openapi\":\"3.0.3\"",
            "\"allOf\"",
            "\"additionalProperties\"",
            "\"$ref\"",
            "\"enum\"",
            "\"in\":\"query\"",
            "\"in\":\"header\"",
            "\"in\":\"path\"",
            "\"in\":\"body\"",
            "\"requestBody\"",
            "\"format\":\"date-time\"",
            "\"format\":\"uint64\"",
            "\"type\":\"array\"",
        ] {
            assert!(texts.iter().any(|t| t.contains(needle)), "{needle}");
        }
    }
}
