//! `cargo xtask diff OLD NEW [--format text|json|markdown] [--verbose]`: what changed for a user of
//! the SDK between two releases of the spec (each Swagger 2.0 or OpenAPI 3.0), as text, JSON or
//! Markdown (for a pull request) on stdout.
//!
//! Both specs are loaded and lowered as for `codegen`, so the report speaks of methods, types,
//! fields and enum values ([`generator::diff`]). The specs' own diagnostics are about the specs,
//! not the diff, so they are printed to stderr only with `--verbose`.
//!
//! Exit status ([`Outcome`]): **0** when nothing breaks, **3** when something breaks (so CI can
//! gate releases on it), 1 when a spec cannot be read or loaded, 2 for a usage error.

use std::fmt;
use std::io::{self, Write};
use std::path::Path;
use std::str::FromStr;

use anyhow::Result;
use generator::diff::Report;

use crate::display_path;
use crate::flags::Outcome;
use crate::spec::{Places, load, warn, warn_json};

/// How the report is printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DiffFormat {
    /// [`Report::to_text`]
    #[default]
    Text,
    /// [`Report::to_json`]
    Json,
    /// [`markdown`]: for pasting into a pull request.
    Markdown,
}

impl FromStr for DiffFormat {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, String> {
        match value {
            "text" => Ok(DiffFormat::Text),
            "json" => Ok(DiffFormat::Json),
            "markdown" => Ok(DiffFormat::Markdown),
            other => Err(format!(
                "invalid --format `{other}`: expected `text`, `json` or `markdown`"
            )),
        }
    }
}

impl fmt::Display for DiffFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DiffFormat::Text => "text",
            DiffFormat::Json => "json",
            DiffFormat::Markdown => "markdown",
        })
    }
}

/// Runs the command; see the module documentation.
pub fn run(old: &Path, new: &Path, format: DiffFormat, verbose: bool) -> Result<Outcome> {
    run_to(
        old,
        new,
        format,
        verbose,
        &mut io::stdout().lock(),
        &mut io::stderr().lock(),
    )
}

fn run_to(
    old: &Path,
    new: &Path,
    format: DiffFormat,
    verbose: bool,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<Outcome> {
    // Both specs are loaded before anything is printed, so a bad NEW prints no half report.
    let diagnostics = verbose.then_some(format);
    let old_api = lowered(old, diagnostics, stderr)?;
    let new_api = lowered(new, diagnostics, stderr)?;
    let mut report = generator::diff::diff(&old_api, &new_api);
    // Releases often keep `info.version` unchanged (all Justap releases say 1.0): name the files too.
    report.old = format!("{} ({})", report.old, display_path(old));
    report.new = format!("{} ({})", report.new, display_path(new));
    let mut text = match format {
        DiffFormat::Text => report.to_text(),
        DiffFormat::Json => report.to_json(),
        DiffFormat::Markdown => markdown(&report),
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    stdout.write_all(text.as_bytes())?;
    Ok(outcome(&report))
}

/// The report as Markdown for a pull request: a heading, the counts, then the breaking and the
/// compatible changes as two lists (the same lines as a changelog section).
pub fn markdown(report: &Report) -> String {
    let line = generator::diff::one_line;
    let mut out = format!(
        "## SDK changes: {} → {}\n\n**{} breaking, {} compatible** — suggested version bump: {}\n",
        line(&report.old),
        line(&report.new),
        report.breaking,
        report.compatible,
        report.bump.name()
    );
    for (title, breaking) in [("Breaking", true), ("Compatible", false)] {
        let group: Vec<&generator::diff::Change> = report
            .changes
            .iter()
            .filter(|c| c.breaking == breaking)
            .collect();
        out.push_str(&format!("\n### {title} ({})\n\n", group.len()));
        if group.is_empty() {
            out.push_str("None.\n");
        } else {
            out.push_str(&crate::release::change_list(&group));
        }
    }
    out
}

/// [`Outcome::Breaking`] (exit status 3) when any change breaks users of the SDK.
pub fn outcome(report: &Report) -> Outcome {
    if report.is_breaking() {
        Outcome::Breaking
    } else {
        Outcome::Success
    }
}

/// Loads and lowers one spec; its diagnostics (loading and lowering, every place) go to `stderr`
/// only when `diagnostics` says in which format (`--verbose`).
fn lowered(
    spec: &Path,
    diagnostics: Option<DiffFormat>,
    stderr: &mut dyn Write,
) -> Result<generator::ir::Api> {
    let loaded = load(spec)?;
    let lowered = generator::lower(&loaded)?;
    if let Some(format) = diagnostics {
        let all = [loaded.diagnostics.as_slice(), &lowered.diagnostics].concat();
        match format {
            // JSON users get the diagnostics as JSON too, every place listed.
            DiffFormat::Json => warn_json(stderr, &loaded.file, &all)?,
            DiffFormat::Text | DiffFormat::Markdown => {
                warn(stderr, &loaded.file, &all, Places::All)?;
            }
        }
    }
    Ok(lowered.api)
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::PathBuf;

    use generator::diff::{Area, Bump, Change};

    use super::*;
    use crate::flags;

    fn report(changes: Vec<Change>) -> Report {
        let breaking = changes.iter().filter(|c| c.breaking).count();
        Report {
            old: "t 1".into(),
            new: "t 2".into(),
            breaking,
            compatible: changes.len() - breaking,
            bump: if breaking > 0 {
                Bump::Major
            } else if changes.is_empty() {
                Bump::None
            } else {
                Bump::Minor
            },
            changes,
        }
    }

    fn change(breaking: bool) -> Change {
        Change {
            breaking,
            area: Area::Operation,
            subject: "A".into(),
            detail: if breaking { "removed" } else { "added" }.into(),
        }
    }

    #[test]
    fn breaking_exits_with_3() {
        let breaking = outcome(&report(vec![change(true), change(false)]));
        assert_eq!(breaking, Outcome::Breaking);
        assert_eq!(flags::exit_status::<()>(&Ok(breaking)), 3);
        let compatible = outcome(&report(vec![change(false)]));
        assert_eq!(flags::exit_status::<()>(&Ok(compatible)), 0);
        assert_eq!(flags::exit_status::<()>(&Ok(outcome(&report(vec![])))), 0);
        assert_eq!(
            flags::exit_status::<anyhow::Error>(&Err(anyhow::anyhow!("x"))),
            1
        );
    }

    #[test]
    fn format_names() {
        assert_eq!("text".parse(), Ok(DiffFormat::Text));
        assert_eq!("json".parse(), Ok(DiffFormat::Json));
        assert_eq!(
            "yaml".parse::<DiffFormat>(),
            Err("invalid --format `yaml`: expected `text`, `json` or `markdown`".to_owned())
        );
        assert_eq!(DiffFormat::default().to_string(), "text");
    }

    struct Output {
        result: Result<Outcome>,
        stdout: String,
        stderr: String,
    }

    fn diff_files(old: &Path, new: &Path, format: DiffFormat, verbose: bool) -> Output {
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let result = run_to(old, new, format, verbose, &mut stdout, &mut stderr);
        Output {
            result,
            stdout: String::from_utf8(stdout).expect("utf-8"),
            stderr: String::from_utf8(stderr).expect("utf-8"),
        }
    }

    const HEAD: &str = "swagger: '2.0'\ninfo: {title: t, version: '1'}\n";
    const TWO_OPS: &str = "paths:\n  /a:\n    get:\n      operationId: A\n      responses:\n        \
        '200': {description: ok}\n        '401': {description: e, schema: {$ref: '#/definitions/rpcStatus'}}\n  \
        /b:\n    get:\n      operationId: B\n      responses:\n        '200': {description: ok}\n";
    const ONE_OP: &str = "paths:\n  /a:\n    get:\n      operationId: A\n      responses:\n        \
        '200': {description: ok}\n        '401': {description: e, schema: {$ref: '#/definitions/rpcStatus'}}\n";

    fn specs(dir: &Path, old: &str, new: &str) -> (PathBuf, PathBuf) {
        let (old_path, new_path) = (dir.join("old.yaml"), dir.join("new.yaml"));
        fs::write(&old_path, old).expect("write old");
        fs::write(&new_path, new).expect("write new");
        (old_path, new_path)
    }

    #[test]
    fn bad_inputs_are_one_line_errors() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let old = tmp.path().join("old.yaml");
        fs::write(&old, format!("{HEAD}{ONE_OP}")).expect("write old");
        let message = |result: Result<Outcome>| {
            let message = format!("{:#}", result.expect_err("error"));
            assert!(!message.contains('\n'), "{message}");
            message
        };

        let missing = diff_files(&old, &tmp.path().join("nope.yaml"), DiffFormat::Text, false);
        let text = message(missing.result);
        assert!(
            text.starts_with("reading ") && text.contains("nope.yaml"),
            "{text}"
        );
        assert_eq!(missing.stdout, "");

        let v31 = tmp.path().join("v31.yaml");
        fs::write(
            &v31,
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
        )
        .expect("write");
        let text = message(diff_files(&v31, &old, DiffFormat::Text, false).result);
        assert!(
            text.contains("v31.yaml") && text.contains("3.1.0"),
            "{text}"
        );

        let garbage = tmp.path().join("garbage.yaml");
        fs::write(&garbage, "swagger: '2.0'\npaths: {a: [1, 2}\n").expect("write");
        let text = message(diff_files(&old, &garbage, DiffFormat::Text, false).result);
        assert!(
            text.contains("garbage.yaml") && text.contains("cannot parse"),
            "{text}"
        );
    }

    #[test]
    fn removed_operation_breaks_and_diagnostics_need_verbose() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let (old, new) = specs(
            tmp.path(),
            &format!("{HEAD}{TWO_OPS}"),
            &format!("{HEAD}{ONE_OP}"),
        );

        let quiet = diff_files(&old, &new, DiffFormat::Text, false);
        assert_eq!(quiet.result.expect("diff"), Outcome::Breaking);
        assert_eq!(quiet.stderr, "");
        assert!(quiet.stdout.ends_with('\n'), "{}", quiet.stdout);

        let verbose = diff_files(&old, &new, DiffFormat::Json, true);
        assert_eq!(verbose.result.expect("diff"), Outcome::Breaking);
        assert!(
            verbose.stdout.trim_start().starts_with('{'),
            "{}",
            verbose.stdout
        );
        assert!(
            verbose.stdout.contains("\"breaking\": 1"),
            "{}",
            verbose.stdout
        );
        // With --format json the diagnostics are JSON lines too, every place listed.
        let warnings: Vec<serde_json::Value> = verbose
            .stderr
            .lines()
            .map(|line| serde_json::from_str(line).expect("a JSON line"))
            .collect();
        for file in ["old.yaml", "new.yaml"] {
            assert!(
                warnings.iter().any(|w| w["spec"]
                    .as_str()
                    .is_some_and(|spec| spec.ends_with(file))
                    && w["places"].is_array()),
                "{}",
                verbose.stderr
            );
        }
        let text = diff_files(&old, &new, DiffFormat::Text, true);
        let lines: Vec<&str> = text.stderr.lines().collect();
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("warning: ") && l.contains("old.yaml: "))
                && lines
                    .iter()
                    .any(|l| l.starts_with("warning: ") && l.contains("new.yaml: ")),
            "{}",
            text.stderr
        );

        let added = diff_files(&new, &old, DiffFormat::Text, false);
        assert_eq!(added.result.expect("diff"), Outcome::Success);

        let same = diff_files(&old, &old, DiffFormat::Json, false);
        assert_eq!(same.result.expect("diff"), Outcome::Success);
        assert!(same.stdout.contains("\"breaking\": 0"), "{}", same.stdout);
    }
}
