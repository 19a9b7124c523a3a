//! `cargo xtask codegen [--check] [--spec FILE] [--out DIR]`: runs the generator on the spec and
//! writes the SDK crate (or, with `--check`, fails if the checked-in crate differs).

use std::any::Any;
use std::fs;
use std::io::{self, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use generator::{CrateOptions, Generated, SpecSource};

use crate::sdk_manifest::SdkManifest;
use crate::spec::Places;
use crate::tree::{self, Stale, WriteReport};
use crate::{display_path, project_root};

/// Arguments of `cargo xtask codegen`; `None` means the default under the project root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodegenArgs {
    /// Compare instead of writing; fail if anything differs.
    pub check: bool,
    /// Default: `<root>/spec/justap.yaml`.
    pub spec: Option<PathBuf>,
    /// Default: `<root>/generated`.
    pub out: Option<PathBuf>,
    /// Name every place of each diagnostic, not only the first few.
    pub verbose: bool,
}

/// `<root>/spec/justap.yaml`
pub fn default_spec(root: &Path) -> PathBuf {
    root.join("spec").join("justap.yaml")
}

/// `<root>/generated`
pub fn default_out(root: &Path) -> PathBuf {
    root.join("generated")
}

/// Reads `spec` and generates the SDK crate: the project's own spec with the options of
/// `spec/sdk.toml`, the hand-written extras and the changelog ([`crate::release::project_crate`]);
/// any other spec with the default [`CrateOptions`].
///
/// The generator sees the spec under its [`display_path`] (e.g. `spec/justap.yaml`), so its
/// errors and diagnostics name the file the way the user knows it. A generator panic becomes an
/// error too, so callers can report it like any other failure.
pub fn generate_crate(spec: &Path) -> Result<Generated> {
    let (name, text) = crate::spec::read(spec)?;
    if is_default_spec(spec) {
        // The project's crate: name, version and spec label from `spec/sdk.toml`.
        let root = project_root();
        let manifest = SdkManifest::read(&crate::sdk_manifest::path(&root))?;
        let changelog = crate::release::read_optional(&crate::release::changelog_path(&root))?;
        return crate::release::project_crate(&name, &text, &manifest, changelog.as_deref());
    }
    let source = SpecSource {
        name: &name,
        text: &text,
    };
    let options = CrateOptions::default();
    catch_panic(&name, || generator::generate(&source, &options))?.map_err(anyhow::Error::new)
}

/// The extras are written for the project's own spec; other specs get the plain generated crate.
fn is_default_spec(spec: &Path) -> bool {
    let default = default_spec(&project_root());
    match (fs::canonicalize(spec), fs::canonicalize(&default)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The stale files of the default output directory against the default spec (for the
/// freshness test of the `tests/` crate).
pub fn stale_files(root: &Path) -> Result<Vec<Stale>> {
    let generated = generate_crate(&default_spec(root))?;
    Ok(tree::check_tree(&default_out(root), &generated.files))
}

/// Runs the command: diagnostics go to stderr as `warning: <spec>: <diagnostic>` (every place only
/// with `verbose`), then the output directory is written or checked. Nothing is written if
/// generation fails.
pub fn run(args: CodegenArgs) -> Result<()> {
    let root = project_root();
    let spec = args.spec.clone().unwrap_or_else(|| default_spec(&root));
    let out = args.out.clone().unwrap_or_else(|| default_out(&root));
    let generated = generate_crate(&spec)?;
    let target = Target {
        dir: &out,
        name: format!("{}/", display_path(&out)),
    };
    let mode = if args.check {
        Mode::Check {
            rerun: rerun_command(&args),
        }
    } else {
        Mode::Write
    };
    let places = places(args.verbose);
    let result = apply(
        &generated,
        &display_path(&spec),
        &target,
        &mode,
        places,
        &mut io::stdout().lock(),
        &mut io::stderr().lock(),
    );
    // The default run also makes the fixture crates (tests/fixtures/crates/), checked the same way.
    if args.spec.is_none() && args.out.is_none() {
        let fixtures = crate::fixtures::run(
            &root,
            args.check,
            args.verbose,
            &mut io::stdout().lock(),
            &mut io::stderr().lock(),
        );
        return result.and(fixtures);
    }
    result
}

/// How `codegen` names the places of its diagnostics.
pub(crate) fn places(verbose: bool) -> Places {
    if verbose {
        Places::All
    } else {
        Places::First {
            how_to_list_all: Some("--verbose lists all"),
        }
    }
}

/// The output directory and how to name it in messages (with a trailing `/`).
struct Target<'a> {
    dir: &'a Path,
    name: String,
}

enum Mode {
    Write,
    /// `rerun` is the command that fixes drift.
    Check {
        rerun: String,
    },
}

fn apply(
    generated: &Generated,
    spec_name: &str,
    target: &Target<'_>,
    mode: &Mode,
    places: Places,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<()> {
    crate::spec::warn(stderr, spec_name, &generated.diagnostics, places)?;
    let out = &target.name;
    match mode {
        Mode::Write => {
            let report = tree::write_tree(target.dir, &generated.files)
                .with_context(|| format!("writing {out}"))?;
            for path in &report.unexpected {
                writeln!(stdout, "removed: {out}{path} (not written by codegen)")?;
            }
            writeln!(stdout, "{}", write_summary(&report, out))?;
            Ok(())
        }
        Mode::Check { rerun } => {
            let stale = tree::check_tree(target.dir, &generated.files);
            if stale.is_empty() {
                writeln!(stdout, "{out} is up to date")?;
                return Ok(());
            }
            for file in &stale {
                writeln!(stderr, "stale: {out}{} ({})", file.path, file.kind)?;
            }
            bail!("{out} is stale: run `{rerun}`")
        }
    }
}

/// `N files written (a added, c changed, r removed)`, or `<out> is up to date`.
pub(crate) fn write_summary(report: &WriteReport, out: &str) -> String {
    if report.is_up_to_date() {
        return format!("{out} is up to date");
    }
    let written = report.written();
    format!(
        "{written} file{} written ({} added, {} changed, {} removed)",
        if written == 1 { "" } else { "s" },
        report.added.len(),
        report.changed.len(),
        report.removed.len() + report.unexpected.len()
    )
}

/// The command that regenerates what `args` checked.
fn rerun_command(args: &CodegenArgs) -> String {
    let mut command = "cargo xtask codegen".to_owned();
    if let Some(spec) = &args.spec {
        command.push_str(&format!(" --spec {}", spec.display()));
    }
    if let Some(out) = &args.out {
        command.push_str(&format!(" --out {}", out.display()));
    }
    command
}

/// Runs `f`, turning a panic into an error that names the spec (the panic hook has already
/// printed the message and location).
pub(crate) fn catch_panic<T>(spec_name: &str, f: impl FnOnce() -> T) -> Result<T> {
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        anyhow!(
            "{spec_name}: the generator panicked: {}",
            panic_message(&*payload)
        )
    })
}

fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(message) = payload.downcast_ref::<&str>() {
        message
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message
    } else {
        "(no message)"
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use generator::Diagnostic;

    use super::*;

    fn generated(files: &[(&str, &str)], diagnostics: Vec<Diagnostic>) -> Generated {
        Generated {
            files: files
                .iter()
                .map(|(path, text)| ((*path).to_owned(), (*text).to_owned()))
                .collect(),
            diagnostics,
        }
    }

    struct Output {
        result: Result<()>,
        stdout: String,
        stderr: String,
    }

    fn apply_to(dir: &Path, generated: &Generated, mode: Mode) -> Output {
        let target = Target {
            dir,
            name: "generated/".to_owned(),
        };
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let result = apply(
            generated,
            "spec/justap.yaml",
            &target,
            &mode,
            places(false),
            &mut stdout,
            &mut stderr,
        );
        Output {
            result,
            stdout: String::from_utf8(stdout).expect("utf-8"),
            stderr: String::from_utf8(stderr).expect("utf-8"),
        }
    }

    fn check() -> Mode {
        Mode::Check {
            rerun: "cargo xtask codegen".to_owned(),
        }
    }

    #[test]
    fn write_then_check_then_drift() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("generated");
        let v1 = generated(
            &[
                ("Cargo.toml", "# @generated by cargo xtask codegen\n"),
                ("src/lib.rs", "pub mod models;\n"),
                ("src/models.rs", "A\n"),
            ],
            vec![],
        );

        let first = apply_to(&dir, &v1, Mode::Write);
        first.result.expect("write");
        assert_eq!(
            first.stdout,
            "3 files written (3 added, 0 changed, 0 removed)\n"
        );
        assert_eq!(first.stderr, "");

        let again = apply_to(&dir, &v1, Mode::Write);
        again.result.expect("rewrite");
        assert_eq!(again.stdout, "generated/ is up to date\n");

        let checked = apply_to(&dir, &v1, check());
        checked.result.expect("fresh");
        assert_eq!(checked.stdout, "generated/ is up to date\n");

        let v2 = generated(
            &[
                ("Cargo.toml", "# @generated by cargo xtask codegen\n"),
                ("src/lib.rs", "pub mod models;\n"),
                ("src/models.rs", "B\n"),
                ("src/new.rs", ""),
            ],
            vec![],
        );
        fs::write(dir.join("src/extra.rs"), "").expect("write");
        fs::write(dir.join("build.rs"), "fn main() {}\n").expect("write");
        let drift = apply_to(&dir, &v2, check());
        let error = drift.result.expect_err("stale");
        assert_eq!(
            format!("{error:#}"),
            "generated/ is stale: run `cargo xtask codegen`"
        );
        assert_eq!(
            drift.stderr,
            "stale: generated/build.rs (unexpected)\n\
             stale: generated/src/extra.rs (extra)\n\
             stale: generated/src/models.rs (differs)\n\
             stale: generated/src/new.rs (missing)\n"
        );
        assert_eq!(
            fs::read_to_string(dir.join("src/models.rs")).expect("read"),
            "A\n"
        );

        let written = apply_to(&dir, &v2, Mode::Write);
        written.result.expect("write v2");
        assert_eq!(
            written.stdout,
            "removed: generated/build.rs (not written by codegen)\n\
             2 files written (1 added, 1 changed, 2 removed)\n"
        );
        assert!(!dir.join("build.rs").exists());
    }

    #[test]
    fn diagnostics_are_one_warning_line_each() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let diagnostics = vec![
            Diagnostic {
                message: "unknown format `money`".into(),
                pointers: vec!["/definitions/v1Charge".into()],
            },
            Diagnostic {
                message: "two\nlines".into(),
                pointers: vec![],
            },
        ];
        let output = apply_to(
            &tmp.path().join("generated"),
            &generated(&[("a", "")], diagnostics),
            Mode::Write,
        );
        output.result.expect("write");
        assert_eq!(
            output.stderr,
            "warning: spec/justap.yaml: unknown format `money` (at /definitions/v1Charge)\n\
             warning: spec/justap.yaml: two lines\n"
        );
    }

    /// What `cargo xtask codegen --check` prints for the shipped spec and the fixtures.
    fn shipped_output(verbose: bool) -> String {
        let root = project_root();
        let generated = generate_crate(&default_spec(&root)).expect("generate");
        let target = Target {
            dir: &default_out(&root),
            name: "generated/".to_owned(),
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        // Freshness is another test's business; only the length of the output matters here.
        let _ = apply(
            &generated,
            "spec/justap.yaml",
            &target,
            &check(),
            places(verbose),
            &mut out,
            &mut err,
        );
        let _ = crate::fixtures::run(&root, true, verbose, &mut out, &mut err);
        out.extend(err);
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn the_shipped_spec_fits_a_screen_and_verbose_names_every_place() {
        let dangling = "\"#/definitions/rpcStatus\"";
        let spec = fs::read_to_string(default_spec(&project_root())).expect("spec");
        let places = spec.matches(dangling).count();
        assert_eq!(places, 195, "the shipped spec changed");

        let quiet = shipped_output(false);
        assert!(
            quiet.chars().count() < 2000,
            "{} chars:\n{quiet}",
            quiet.len()
        );
        assert!(
            quiet.contains(
                "(195 places, first: /paths/~1transaction~1v1~1charges/get/responses/401/schema, "
            ),
            "{quiet}"
        );

        let verbose = shipped_output(true);
        let listed: Vec<&str> = verbose
            .lines()
            .filter_map(|line| line.strip_prefix("    "))
            .collect();
        assert_eq!(listed.len(), places, "{verbose}");
        assert!(listed.iter().all(|p| p.starts_with("/paths/")), "{verbose}");
    }

    #[test]
    fn a_failed_write_names_the_directory_and_touches_nothing() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("generated");
        let output = apply_to(&dir, &generated(&[("../escape", "")], vec![]), Mode::Write);
        let error = output.result.expect_err("invalid path");
        assert!(
            format!("{error:#}").starts_with("writing generated/: invalid generated file path"),
            "{error:#}"
        );
        assert!(!dir.exists() && !tmp.path().join("escape").exists());
    }

    #[test]
    fn summary_wording() {
        let report = WriteReport {
            added: vec!["a".into()],
            ..WriteReport::default()
        };
        assert_eq!(
            write_summary(&report, "generated/"),
            "1 file written (1 added, 0 changed, 0 removed)"
        );
        let removed_only = WriteReport {
            removed: vec!["a".into()],
            ..WriteReport::default()
        };
        assert_eq!(
            write_summary(&removed_only, "generated/"),
            "0 files written (0 added, 0 changed, 1 removed)"
        );
        assert_eq!(
            write_summary(&WriteReport::default(), "out/"),
            "out/ is up to date"
        );
    }

    #[test]
    fn rerun_command_repeats_non_default_paths() {
        assert_eq!(
            rerun_command(&CodegenArgs::default()),
            "cargo xtask codegen"
        );
        let args = CodegenArgs {
            check: true,
            spec: Some("x.yaml".into()),
            out: Some("out".into()),
            ..CodegenArgs::default()
        };
        assert_eq!(
            rerun_command(&args),
            "cargo xtask codegen --spec x.yaml --out out"
        );
    }

    #[test]
    fn a_missing_spec_is_one_clear_error() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let error = generate_crate(&tmp.path().join("nope.yaml")).expect_err("missing");
        let message = format!("{error:#}");
        assert!(
            message.starts_with("reading ") && message.contains("nope.yaml"),
            "{message}"
        );
        assert!(!message.contains('\n'), "{message}");
    }

    #[test]
    fn panics_become_errors() {
        let error = catch_panic("spec/justap.yaml", || -> BTreeMap<String, String> {
            panic!("not yet implemented: load")
        })
        .expect_err("panicked");
        assert_eq!(
            format!("{error:#}"),
            "spec/justap.yaml: the generator panicked: not yet implemented: load"
        );
        assert_eq!(catch_panic("x", || 7).expect("no panic"), 7);
    }

    #[test]
    fn defaults_are_under_the_root() {
        let root = Path::new("/r");
        assert_eq!(default_spec(root), Path::new("/r/spec/justap.yaml"));
        assert_eq!(default_out(root), Path::new("/r/generated"));
    }
}
