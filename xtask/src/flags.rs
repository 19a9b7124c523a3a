//! The command line: `cargo xtask <command> [options]`, and what its exit statuses mean.

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;

use crate::bench::Section;
use crate::codegen::CodegenArgs;
use crate::diff::DiffFormat;
use crate::release::ReleaseArgs;

pub const USAGE: &str = "\
Project automation for the Justap SDK workspace.

USAGE:
    cargo xtask codegen [--check] [--spec FILE] [--out DIR] [--verbose]
    cargo xtask diff OLD NEW [--format text|json|markdown] [--verbose]
    cargo xtask release NEW_SPEC --label LABEL [--version X.Y.Z] [--dry-run] [--date YYYY-MM-DD]
    cargo xtask openapi3 SPEC [-o FILE]
    cargo xtask test
    cargo xtask fuzz [--seconds N] [--seed S]
    cargo xtask fuzz-crates [--pick [--tries N]]
    cargo xtask vendor
    cargo xtask bench [generation|scaling|decode|build]...
    cargo xtask bench-spec UNITS [-o FILE]
    cargo xtask loc [DIR]
    cargo xtask --help

COMMANDS:
    codegen    Generate the SDK crate from the spec (default: spec/justap.yaml -> generated/,
               plus the test fixture crates in tests/fixtures/crates/).
               --check writes nothing and fails if any of them is stale. A warning names
               the first few places of a problem; --verbose lists every place.
    diff       Compare two releases of the spec (Swagger 2.0 or OpenAPI 3.0) in SDK terms and
               classify each change as breaking or compatible (--format: text, the default,
               json, or markdown for a pull request). --verbose also prints the specs' load
               diagnostics to stderr, every place listed (as JSON lines with --format json).
               Exits with 0 when nothing breaks and 3 when something breaks.
    release    Take a new spec release in: diff it against spec/justap.yaml, bump the crate
               version in spec/sdk.toml by semver (or --version), copy the spec in, add a section
               to spec/CHANGELOG.md (copied to generated/CHANGELOG.md) and regenerate generated/.
               All or nothing. --dry-run prints the version and changelog section only; --date
               adds a date to the section heading.
    openapi3   Print the spec as the OpenAPI 3.0 document the generator reads (Swagger 2.0
               upgraded, dangling refs settled) as YAML, or write it to FILE (JSON when FILE
               ends in .json, else YAML).
    test       Run the whole suite as CI does: fmt, codegen --check, clippy, tests,
               snapshot hygiene, docs, vendor, fuzz-crates. Ends with `summary: N passed, M failed`.
    fuzz       For N seconds (default 60), generate random Swagger 2.0 / OpenAPI 3.0 documents
               (seeded by S, default random) and mutated bytes of the real specs; each must
               generate Rust that parses or be refused with an error, never panic or hang.
               Failures are saved under tests/fixtures/fuzz/ and replayed by the tests.
    fuzz-crates
               Write the crates of a fixed set of random documents that together contain every
               shape the fuzzer makes into one workspace (target/fuzz-crates/) and `cargo check`
               it: any warning or error fails. --pick chooses that set anew among the first N
               (default 3000) seeds and prints it.
    vendor     Copy generated/ into a fresh workspace outside this one, as users vendor it,
               and there run cargo build, clippy -D warnings, fmt --check and doc (warnings
               denied); check its rust-version against its dependencies' (cargo metadata).
    bench      Build this tool in release and measure: generation time per pass and peak
               memory, scaling on synthetic specs (1x, 10x, 100x), the generated crate's
               check/rebuild time and the client's decode throughput. Prints Markdown tables
               (see BENCHMARKS.md). Naming sections measures only those.
    bench-spec Print (or write to FILE) the synthetic Swagger 2.0 spec of UNITS units that the
               scaling benchmark generates, to profile one size on its own.

    loc        Count the lines of Rust below DIR (default generator/src) that are neither blank,
               comments nor test code, per file and in total.

EXIT STATUS:
    0 success, 1 error, 2 usage error, 3 breaking changes found (diff).
";

/// A parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `--help`, `-h` or `help`: print [`USAGE`] and succeed.
    Help,
    Codegen(CodegenArgs),
    /// `diff OLD NEW [--format text|json] [--verbose]`
    Diff {
        old: PathBuf,
        new: PathBuf,
        format: DiffFormat,
        /// Also print the load diagnostics of both specs.
        verbose: bool,
    },
    /// `release NEW_SPEC --label LABEL [--version X.Y.Z] [--dry-run] [--date YYYY-MM-DD]`
    Release(ReleaseArgs),
    /// `openapi3 SPEC [-o FILE]`; no `out` means stdout.
    Openapi3 {
        spec: PathBuf,
        out: Option<PathBuf>,
    },
    Test,
    /// `fuzz [--seconds N] [--seed S]`: [`crate::fuzz`].
    Fuzz {
        seconds: u64,
        seed: Option<u64>,
    },
    /// `fuzz-crates`: [`crate::fuzz::crates::run`]; `fuzz-crates --pick [--tries N]`: print
    /// new seeds for it.
    FuzzCrates {
        pick: Option<u64>,
    },
    /// `fuzz-worker SEED START SECONDS`: what `fuzz` runs in a child process.
    FuzzWorker {
        seed: u64,
        start: u64,
        seconds: u64,
    },
    /// `vendor`: the vendoring check ([`crate::vendor`]).
    Vendor,
    /// `bench [SECTION..]`: re-run this tool in release as `bench-run`.
    Bench(Vec<Section>),
    /// `bench-run [SECTION..]`: the measurements themselves (what `bench` runs, in release).
    BenchRun(Vec<Section>),
    /// `bench-peak SPEC`: generate once and print the process's peak memory (what `bench-run`
    /// runs in a fresh process per spec).
    BenchPeak {
        spec: PathBuf,
    },
    /// `loc [DIR]`: [`crate::loc`].
    Loc {
        dir: PathBuf,
    },
    /// `bench-spec UNITS [-o FILE]`: the scaling benchmark's synthetic spec; no `out` means stdout.
    BenchSpec {
        units: usize,
        out: Option<PathBuf>,
    },
}

/// The command line does not parse; the binary prints it with [`USAGE`] and exits with
/// [`EXIT_USAGE`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Exit status of a command that failed (the binary prints the error first).
pub const EXIT_ERROR: u8 = 1;
/// Exit status of a command line that does not parse.
pub const EXIT_USAGE: u8 = 2;

/// How a command that ran to the end turned out. Only `diff` has more than one outcome; it gets
/// its own exit status so that CI can tell "breaking" from "failed" (1) and "misused" (2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit status 0.
    Success,
    /// `diff` found breaking changes: exit status 3.
    Breaking,
}

impl Outcome {
    pub fn exit_status(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::Breaking => 3,
        }
    }
}

/// The exit status of a command's result: its outcome's, or [`EXIT_ERROR`] when it failed.
pub fn exit_status<E>(result: &Result<Outcome, E>) -> u8 {
    match result {
        Ok(outcome) => outcome.exit_status(),
        Err(_) => EXIT_ERROR,
    }
}

/// Parses the arguments after `cargo xtask`.
pub fn parse(mut args: pico_args::Arguments) -> Result<Command, UsageError> {
    if args.contains(["-h", "--help"]) {
        return Ok(Command::Help);
    }
    let usage = |e: pico_args::Error| UsageError(e.to_string());
    let command = match args.subcommand().map_err(usage)?.as_deref() {
        None => {
            return Err(match args.finish().first() {
                Some(first) => UsageError(format!(
                    "expected a command before `{}`",
                    first.to_string_lossy()
                )),
                None => UsageError("no command given".to_owned()),
            });
        }
        Some("help") => Command::Help,
        Some("codegen") => Command::Codegen(CodegenArgs {
            check: args.contains("--check"),
            // `_from_str` (not `_from_os_str`) so that `--spec=FILE` works too.
            spec: args
                .opt_value_from_str::<_, PathBuf>("--spec")
                .map_err(usage)?,
            out: args
                .opt_value_from_str::<_, PathBuf>("--out")
                .map_err(usage)?,
            verbose: args.contains("--verbose"),
        }),
        Some("diff") => {
            let format = match args
                .opt_value_from_str::<_, String>("--format")
                .map_err(usage)?
            {
                Some(value) => value.parse().map_err(UsageError)?,
                None => DiffFormat::default(),
            };
            let verbose = args.contains("--verbose");
            let [old, new] = positionals(args, ["OLD", "NEW"])?;
            return Ok(Command::Diff {
                old,
                new,
                format,
                verbose,
            });
        }
        Some("release") => {
            let label: Option<String> = args.opt_value_from_str("--label").map_err(usage)?;
            let version = args.opt_value_from_str("--version").map_err(usage)?;
            let date = args.opt_value_from_str("--date").map_err(usage)?;
            let dry_run = args.contains("--dry-run");
            let [spec] = positionals(args, ["NEW_SPEC"])?;
            let label = label.ok_or_else(|| {
                UsageError("missing --label LABEL (the spec release, e.g. 3.0.4)".to_owned())
            })?;
            return Ok(Command::Release(ReleaseArgs {
                spec,
                label,
                version,
                dry_run,
                date,
            }));
        }
        Some("openapi3") => {
            let out = args
                .opt_value_from_str::<_, PathBuf>(["-o", "--out"])
                .map_err(usage)?;
            let [spec] = positionals(args, ["SPEC"])?;
            return Ok(Command::Openapi3 { spec, out });
        }
        Some("test") => Command::Test,
        Some("vendor") => Command::Vendor,
        Some("fuzz-worker") => {
            let seed = args.free_from_str().map_err(usage)?;
            let start = args.free_from_str().map_err(usage)?;
            let seconds = args.free_from_str().map_err(usage)?;
            Command::FuzzWorker {
                seed,
                start,
                seconds,
            }
        }
        Some("fuzz-crates") => {
            let pick = args.contains("--pick");
            let tries = args.opt_value_from_str("--tries").map_err(usage)?;
            if tries.is_some() && !pick {
                return Err(UsageError("--tries goes with --pick".into()));
            }
            Command::FuzzCrates {
                pick: pick.then(|| tries.unwrap_or(3000)),
            }
        }
        Some("fuzz") => {
            let seconds = args.opt_value_from_str("--seconds").map_err(usage)?;
            let seed = args.opt_value_from_str("--seed").map_err(usage)?;
            Command::Fuzz {
                seconds: seconds.unwrap_or(60),
                seed,
            }
        }
        Some("loc") => {
            let dir = args.opt_free_from_str().map_err(usage)?;
            Command::Loc {
                dir: dir.unwrap_or_else(|| crate::project_root().join("generator/src")),
            }
        }
        Some("bench") => return sections(args).map(Command::Bench),
        Some("bench-run") => return sections(args).map(Command::BenchRun),
        Some("bench-peak") => {
            let [spec] = positionals(args, ["SPEC"])?;
            return Ok(Command::BenchPeak { spec });
        }
        Some("bench-spec") => {
            let out = args
                .opt_value_from_str::<_, PathBuf>(["-o", "--out"])
                .map_err(usage)?;
            let [units] = positionals(args, ["UNITS"])?;
            let units = units
                .to_str()
                .and_then(|u| u.parse().ok())
                .filter(|&u| u > 0)
                .ok_or_else(|| {
                    UsageError(format!(
                        "UNITS must be a positive number, not `{}`",
                        units.display()
                    ))
                })?;
            return Ok(Command::BenchSpec { units, out });
        }
        Some(other) => return Err(UsageError(format!("unknown command `{other}`"))),
    };
    reject_leftovers(args.finish())?;
    Ok(command)
}

/// Takes exactly the named positional arguments from what is left once the options are taken;
/// a leftover that looks like an option is reported as such rather than read as a path.
fn positionals<const N: usize>(
    args: pico_args::Arguments,
    names: [&str; N],
) -> Result<[PathBuf; N], UsageError> {
    let mut leftovers = args.finish();
    if let Some(option) = leftovers
        .iter()
        .find(|arg| arg.to_string_lossy().starts_with('-'))
    {
        return Err(UsageError(format!(
            "unexpected argument `{}`",
            option.to_string_lossy()
        )));
    }
    if leftovers.len() < N {
        let missing = &names[leftovers.len()..];
        return Err(UsageError(format!(
            "missing argument{} {}",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(" ")
        )));
    }
    let extra = leftovers.split_off(N);
    reject_leftovers(extra)?;
    let paths: Vec<PathBuf> = leftovers.into_iter().map(PathBuf::from).collect();
    paths
        .try_into()
        .map_err(|_| UsageError("wrong number of arguments".to_owned()))
}

/// The bench sections named on the command line (none: all).
fn sections(args: pico_args::Arguments) -> Result<Vec<Section>, UsageError> {
    args.finish()
        .iter()
        .map(|arg| {
            let arg = arg.to_string_lossy();
            if arg.starts_with('-') {
                return Err(UsageError(format!("unexpected argument `{arg}`")));
            }
            arg.parse().map_err(UsageError)
        })
        .collect()
}

fn reject_leftovers(leftovers: Vec<OsString>) -> Result<(), UsageError> {
    if leftovers.is_empty() {
        return Ok(());
    }
    let shown: Vec<String> = leftovers
        .iter()
        .map(|arg| format!("`{}`", arg.to_string_lossy()))
        .collect();
    Err(UsageError(format!(
        "unexpected argument{} {}",
        if shown.len() == 1 { "" } else { "s" },
        shown.join(" ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_strs(args: &[&str]) -> Result<Command, UsageError> {
        parse(pico_args::Arguments::from_vec(
            args.iter().map(OsString::from).collect(),
        ))
    }

    #[test]
    fn fuzz_crates_checks_or_picks() {
        let fuzz_crates = |pick| Ok(Command::FuzzCrates { pick });
        assert_eq!(parse_strs(&["fuzz-crates"]), fuzz_crates(None));
        assert_eq!(
            parse_strs(&["fuzz-crates", "--pick"]),
            fuzz_crates(Some(3000))
        );
        assert_eq!(
            parse_strs(&["fuzz-crates", "--pick", "--tries", "50"]),
            fuzz_crates(Some(50))
        );
        assert!(parse_strs(&["fuzz-crates", "--tries", "50"]).is_err());
    }

    #[test]
    fn fuzz_defaults_to_a_minute_and_a_random_seed() {
        let fuzz = |seconds, seed| Ok(Command::Fuzz { seconds, seed });
        assert_eq!(parse_strs(&["fuzz"]), fuzz(60, None));
        assert_eq!(
            parse_strs(&["fuzz", "--seconds", "5", "--seed=9"]),
            fuzz(5, Some(9))
        );
        assert!(parse_strs(&["fuzz", "--seconds", "x"]).is_err());
        assert!(parse_strs(&["fuzz", "extra"]).is_err());
    }

    #[test]
    fn commands() {
        assert_eq!(parse_strs(&["test"]), Ok(Command::Test));
        assert_eq!(parse_strs(&["vendor"]), Ok(Command::Vendor));
        assert_eq!(parse_strs(&["bench"]), Ok(Command::Bench(vec![])));
        assert_eq!(
            parse_strs(&["bench", "generation", "build"]),
            Ok(Command::Bench(vec![Section::Generation, Section::Build]))
        );
        assert!(parse_strs(&["bench", "everything"]).is_err());
        assert_eq!(parse_strs(&["bench-run"]), Ok(Command::BenchRun(vec![])));
        assert_eq!(
            parse_strs(&["bench-peak", "s.json"]),
            Ok(Command::BenchPeak {
                spec: PathBuf::from("s.json")
            })
        );
        assert_eq!(
            parse_strs(&["bench-spec", "10", "-o", "s.json"]),
            Ok(Command::BenchSpec {
                units: 10,
                out: Some("s.json".into())
            })
        );
        assert!(parse_strs(&["bench-spec", "0"]).is_err());
        assert!(parse_strs(&["bench-spec", "ten"]).is_err());
        assert_eq!(
            parse_strs(&["codegen"]),
            Ok(Command::Codegen(CodegenArgs::default()))
        );
        assert_eq!(
            parse_strs(&["codegen", "--spec", "a.yaml", "--check", "--out=gen"]),
            Ok(Command::Codegen(CodegenArgs {
                check: true,
                spec: Some("a.yaml".into()),
                out: Some("gen".into()),
                verbose: false,
            }))
        );
        assert_eq!(
            parse_strs(&["codegen", "--verbose"]),
            Ok(Command::Codegen(CodegenArgs {
                verbose: true,
                ..CodegenArgs::default()
            }))
        );
        assert_eq!(
            parse_strs(&["diff", "old.yaml", "new.json"]),
            Ok(Command::Diff {
                old: "old.yaml".into(),
                new: "new.json".into(),
                format: DiffFormat::Text,
                verbose: false,
            })
        );
        for args in [
            &["diff", "--format", "json", "--verbose", "a", "b"][..],
            &["diff", "a", "--format=json", "b", "--verbose"],
        ] {
            assert_eq!(
                parse_strs(args),
                Ok(Command::Diff {
                    old: "a".into(),
                    new: "b".into(),
                    format: DiffFormat::Json,
                    verbose: true,
                }),
                "{args:?}"
            );
        }
        assert_eq!(
            parse_strs(&["release", "n.yaml", "--label", "3.0.4", "--dry-run"]),
            Ok(Command::Release(ReleaseArgs {
                spec: "n.yaml".into(),
                label: "3.0.4".into(),
                version: None,
                dry_run: true,
                date: None,
            }))
        );
        assert_eq!(
            parse_strs(&[
                "release",
                "--version=1.0.0",
                "--date",
                "2026-12-01",
                "n.yaml",
                "--label=x"
            ]),
            Ok(Command::Release(ReleaseArgs {
                spec: "n.yaml".into(),
                label: "x".into(),
                version: Some("1.0.0".into()),
                dry_run: false,
                date: Some("2026-12-01".into()),
            }))
        );
        assert_eq!(
            parse_strs(&["diff", "a", "b", "--format", "markdown"]),
            Ok(Command::Diff {
                old: "a".into(),
                new: "b".into(),
                format: DiffFormat::Markdown,
                verbose: false,
            })
        );
        assert_eq!(
            parse_strs(&["openapi3", "spec/justap.yaml"]),
            Ok(Command::Openapi3 {
                spec: "spec/justap.yaml".into(),
                out: None,
            })
        );
        for args in [
            &["openapi3", "-o", "out.json", "s.yaml"][..],
            &["openapi3", "s.yaml", "--out=out.json"],
        ] {
            assert_eq!(
                parse_strs(args),
                Ok(Command::Openapi3 {
                    spec: "s.yaml".into(),
                    out: Some("out.json".into()),
                }),
                "{args:?}"
            );
        }
        for help in [
            &["--help"][..],
            &["-h"],
            &["help"],
            &["codegen", "--help"],
            &["diff", "--help"],
            &["openapi3", "-h"],
        ] {
            assert_eq!(parse_strs(help), Ok(Command::Help), "{help:?}");
        }
    }

    #[test]
    fn usage_errors() {
        let error = |args: &[&str]| parse_strs(args).expect_err("usage error").0;
        assert_eq!(error(&[]), "no command given");
        assert_eq!(error(&["deploy"]), "unknown command `deploy`");
        assert_eq!(error(&["--check"]), "expected a command before `--check`");
        assert_eq!(error(&["test", "--fast"]), "unexpected argument `--fast`");
        assert_eq!(error(&["bench", "--runs"]), "unexpected argument `--runs`");
        assert_eq!(
            error(&["codegen", "x", "y"]),
            "unexpected arguments `x` `y`"
        );
        assert!(error(&["codegen", "--spec"]).contains("--spec"));

        assert_eq!(error(&["diff"]), "missing arguments OLD NEW");
        assert_eq!(error(&["diff", "a"]), "missing argument NEW");
        assert_eq!(error(&["diff", "a", "b", "c"]), "unexpected argument `c`");
        assert_eq!(
            error(&["diff", "a", "b", "--format", "yaml"]),
            "invalid --format `yaml`: expected `text`, `json` or `markdown`"
        );
        assert!(error(&["diff", "a", "b", "--format"]).contains("--format"));
        assert_eq!(
            error(&["release", "new.yaml"]),
            "missing --label LABEL (the spec release, e.g. 3.0.4)"
        );
        assert_eq!(
            error(&["release", "--label", "1"]),
            "missing argument NEW_SPEC"
        );
        assert_eq!(
            error(&["diff", "a", "b", "--fmt", "json"]),
            "unexpected argument `--fmt`"
        );
        assert_eq!(error(&["openapi3"]), "missing argument SPEC");
        assert_eq!(
            error(&["openapi3", "a.yaml", "b.yaml"]),
            "unexpected argument `b.yaml`"
        );
        assert!(error(&["openapi3", "a.yaml", "-o"]).contains("-o"));
        assert_eq!(
            error(&["openapi3", "a.yaml", "--verbose"]),
            "unexpected argument `--verbose`"
        );
    }

    #[test]
    fn exit_statuses() {
        assert_eq!(exit_status::<()>(&Ok(Outcome::Success)), 0);
        assert_eq!(exit_status::<()>(&Ok(Outcome::Breaking)), 3);
        assert_eq!(exit_status(&Err::<Outcome, _>("failed")), EXIT_ERROR);
        assert_eq!((EXIT_ERROR, EXIT_USAGE), (1, 2));
        // The usage text documents what the binary does.
        assert!(USAGE.contains("0 success, 1 error, 2 usage error, 3 breaking changes found"));
        for line in [
            "cargo xtask diff OLD NEW [--format text|json|markdown] [--verbose]",
            "cargo xtask release NEW_SPEC --label LABEL",
            "cargo xtask openapi3 SPEC [-o FILE]",
            "cargo xtask bench",
        ] {
            assert!(USAGE.contains(line), "{line}");
        }
    }
}
