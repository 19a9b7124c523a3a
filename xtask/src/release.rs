//! `cargo xtask release NEW_SPEC --label X [--version V] [--dry-run] [--date YYYY-MM-DD]`: takes
//! a new Justap spec release into the project in one reviewable step.
//!
//! 1. loads the current spec (`spec/justap.yaml`) and NEW_SPEC and diffs them in SDK terms
//!    ([`generator::diff`]);
//! 2. computes the next crate version from the diff with semver's rules ([`Version::bump`]), or
//!    takes `--version`;
//! 3. generates the new crate in memory, with the new version and label, and the changelog with a
//!    new section on top ([`changelog_section`]);
//! 4. writes the spec, `spec/sdk.toml`, `spec/CHANGELOG.md` and `generated/`;
//! 5. prints what to review next.
//!
//! All or nothing: everything that can fail without touching the disk (reading, loading, diffing,
//! generating) happens before the first write, and a failure during the writes puts back the
//! three files and `generated/` exactly as they were. `--dry-run` stops after step 3 and prints
//! the version and the changelog section.
//!
//! The changelog's source is `spec/CHANGELOG.md`: codegen owns all of `generated/` (it deletes
//! files it does not write), so it copies the changelog in as `generated/CHANGELOG.md`.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use generator::diff::{Bump, Change, Report};
use generator::{Generated, SpecSource};

use crate::codegen::catch_panic;
use crate::sdk_manifest::{self, SdkManifest};
use crate::{display_path, tree};

/// Arguments of `cargo xtask release`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseArgs {
    /// The new release of the spec.
    pub spec: PathBuf,
    /// Its release label (`3.0.4`), recorded in `spec/sdk.toml`, the crate and the changelog.
    pub label: String,
    /// The crate version to release instead of the computed one.
    pub version: Option<String>,
    /// Print the version and the changelog section; write nothing.
    pub dry_run: bool,
    /// A date (`YYYY-MM-DD`) for the changelog heading; none by default, so output is deterministic.
    pub date: Option<String>,
}

/// `<root>/spec/CHANGELOG.md`: the changelog's source, copied into the crate by codegen.
pub fn changelog_path(root: &Path) -> PathBuf {
    root.join("spec").join("CHANGELOG.md")
}

/// Runs the command in the project.
pub fn run(args: &ReleaseArgs) -> Result<()> {
    release(
        &crate::project_root(),
        args,
        &mut io::stdout().lock(),
        &mut io::stderr().lock(),
    )
}

/// A semver version `major.minor.patch` (no pre-release or build part: releases of this crate
/// do not use them, and `--version` takes anything else).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl Version {
    pub fn parse(text: &str) -> Result<Version> {
        let parts: Vec<&str> = text.split('.').collect();
        let number = |part: &str| -> Option<u64> {
            // Semver forbids leading zeros; digits only (no `+1`).
            let plain = !part.is_empty()
                && part.bytes().all(|b| b.is_ascii_digit())
                && (part == "0" || !part.starts_with('0'));
            plain.then(|| part.parse().ok()).flatten()
        };
        match parts.as_slice() {
            [major, minor, patch] => match (number(major), number(minor), number(patch)) {
                (Some(major), Some(minor), Some(patch)) => Ok(Version {
                    major,
                    minor,
                    patch,
                }),
                _ => bail!("`{text}` is not a version MAJOR.MINOR.PATCH"),
            },
            _ => bail!("`{text}` is not a version MAJOR.MINOR.PATCH"),
        }
    }

    /// The next version for a change of kind `bump`, as Cargo reads semver: from 1.0.0 on, a
    /// breaking change bumps `major`, a compatible one `minor`; in `0.y.z` a breaking change bumps
    /// `y` and a compatible one `z`; in `0.0.z` every release may break, so it bumps `z`. A
    /// release without API changes still changes the crate (its spec label and hash), so it bumps
    /// the last place.
    pub fn bump(self, bump: Bump) -> Version {
        let Version {
            major,
            minor,
            patch,
        } = self;
        let (major, minor, patch) = match (major, minor, bump) {
            (0, 0, _) | (_, _, Bump::None) => (major, minor, patch.saturating_add(1)),
            (0, _, Bump::Major) => (0, minor.saturating_add(1), 0),
            (0, _, Bump::Minor) => (0, minor, patch.saturating_add(1)),
            (_, _, Bump::Major) => (major.saturating_add(1), 0, 0),
            (_, _, Bump::Minor) => (major, minor.saturating_add(1), 0),
        };
        Version {
            major,
            minor,
            patch,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// The project's own crate: generated from `spec_text` with the manifest's options, plus the
/// hand-written extras and the changelog (when there is one).
pub fn project_crate(
    spec_name: &str,
    spec_text: &str,
    manifest: &SdkManifest,
    changelog: Option<&str>,
) -> Result<Generated> {
    let source = SpecSource {
        name: spec_name,
        text: spec_text,
    };
    let options = manifest.crate_options();
    let mut generated = catch_panic(spec_name, || generator::generate(&source, &options))?
        .map_err(anyhow::Error::new)?;
    crate::extras::add_to(&mut generated.files);
    if let Some(changelog) = changelog {
        generated.files.insert(
            "CHANGELOG.md".to_owned(),
            format!(
                "<!-- @generated by cargo xtask codegen — do not edit (source: spec/CHANGELOG.md) -->\n{changelog}"
            ),
        );
    }
    Ok(generated)
}

/// Reads a file that may not exist (`None` then).
pub fn read_optional(path: &Path) -> Result<Option<String>> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("reading {}", display_path(path))),
    }
}

/// The changelog section of one release: heading, spec label, counts, then the breaking and the
/// compatible changes as the diff states them.
pub fn changelog_section(
    version: &str,
    label: &str,
    date: Option<&str>,
    report: &Report,
) -> String {
    let mut out = format!("## {version} — spec release {label}");
    if let Some(date) = date {
        out.push_str(&format!(" ({date})"));
    }
    out.push_str("\n\n");
    out.push_str(&format!(
        "{} breaking, {} compatible change{} for users of the SDK.\n",
        report.breaking,
        report.compatible,
        if report.breaking + report.compatible == 1 {
            ""
        } else {
            "s"
        }
    ));
    for (title, breaking) in [("Breaking", true), ("Compatible", false)] {
        let group: Vec<&Change> = report
            .changes
            .iter()
            .filter(|c| c.breaking == breaking)
            .collect();
        if group.is_empty() {
            continue;
        }
        out.push_str(&format!("\n### {title}\n\n"));
        out.push_str(&change_list(&group));
    }
    out
}

/// `- [area] `subject`: detail` lines, one per change (Markdown).
pub fn change_list(changes: &[&Change]) -> String {
    let mut out = String::new();
    for change in changes {
        out.push_str(&format!(
            "- {} `{}`: {}\n",
            change.area.label(),
            generator::diff::one_line(&change.subject),
            generator::diff::one_line(&change.detail)
        ));
    }
    out
}

/// The changelog with `section` on top: after the file's own header (everything before the
/// first `## ` heading), or as a new file with a header.
pub fn prepend_section(changelog: Option<&str>, crate_name: &str, section: &str) -> String {
    let Some(changelog) = changelog else {
        return format!(
            "# Changelog of the `{crate_name}` crate\n\n\
             One section per spec release, newest first, written by `cargo xtask release`.\n\n\
             {section}"
        );
    };
    let split = changelog
        .match_indices("## ")
        .map(|(at, _)| at)
        .find(|&at| at == 0 || changelog[..at].ends_with('\n'));
    match split {
        Some(at) => format!("{}{section}\n{}", &changelog[..at], &changelog[at..]),
        None if changelog.is_empty() || changelog.ends_with("\n\n") => {
            format!("{changelog}{section}")
        }
        None if changelog.ends_with('\n') => format!("{changelog}\n{section}"),
        None => format!("{changelog}\n\n{section}"),
    }
}

/// Everything a release writes, computed before anything is written.
struct Plan {
    breaking: usize,
    compatible: usize,
    old_version: String,
    version: String,
    section: String,
    spec_text: String,
    manifest_text: String,
    changelog_text: String,
    generated: Generated,
}

fn plan(root: &Path, args: &ReleaseArgs) -> Result<Plan> {
    let spec_path = crate::codegen::default_spec(root);
    let manifest_path = sdk_manifest::path(root);
    let manifest_text = fs::read_to_string(&manifest_path)
        .with_context(|| format!("reading {}", display_path(&manifest_path)))?;
    let manifest = SdkManifest::parse(&manifest_text)
        .with_context(|| format!("in {}", display_path(&manifest_path)))?;

    // Step 1: both specs, lowered, and what changed between them.
    let old_api = lowered(&spec_path)?;
    let (new_name, spec_text) = crate::spec::read(&args.spec)?;
    let new_api = lowered(&args.spec)?;
    let mut report = generator::diff::diff(&old_api, &new_api);
    report.old = format!("{} ({})", report.old, display_path(&spec_path));
    report.new = format!("{} ({new_name})", report.new);
    crate::failpoint::hit("diffed")?;

    // Step 2: the version.
    let old_version = Version::parse(&manifest.version)
        .with_context(|| format!("the version in {}", display_path(&manifest_path)))?;
    let version = match &args.version {
        Some(version) => Version::parse(version).context("--version")?,
        None => old_version.bump(report.bump),
    };
    if version <= old_version {
        bail!("the new version {version} is not above the current {old_version}");
    }
    if let Some(date) = &args.date {
        check_date(date)?;
    }
    let version = version.to_string();
    crate::failpoint::hit("versioned")?;

    // Step 3: the new manifest, changelog and crate, in memory.
    let manifest_text = SdkManifest::update(&manifest_text, &version, &args.label)
        .with_context(|| format!("updating {}", display_path(&manifest_path)))?;
    let new_manifest = SdkManifest::parse(&manifest_text)?;
    let section = changelog_section(&version, &args.label, args.date.as_deref(), &report);
    let old_changelog = read_optional(&changelog_path(root))?;
    let changelog_text = prepend_section(old_changelog.as_deref(), &manifest.name, &section);
    // Generated under the name codegen will use, so `codegen --check` agrees afterwards.
    let generated = project_crate(
        &display_path(&spec_path),
        &spec_text,
        &new_manifest,
        Some(&changelog_text),
    )?;
    crate::failpoint::hit("generated")?;
    Ok(Plan {
        breaking: report.breaking,
        compatible: report.compatible,
        old_version: old_version.to_string(),
        version,
        section,
        spec_text,
        manifest_text,
        changelog_text,
        generated,
    })
}

fn lowered(spec: &Path) -> Result<generator::ir::Api> {
    let loaded = crate::spec::load(spec)?;
    Ok(generator::lower(&loaded)?.api)
}

/// `YYYY-MM-DD`, digits only (the heading is the only place it goes).
fn check_date(date: &str) -> Result<()> {
    let bytes = date.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        bail!("--date `{date}`: expected YYYY-MM-DD");
    }
    Ok(())
}

/// The release itself, in the project at `root`; see the module documentation. The new spec's
/// diagnostics go to `stderr` as `codegen` prints them.
pub fn release(
    root: &Path,
    args: &ReleaseArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<()> {
    let plan = plan(root, args)?;
    crate::spec::warn(
        stderr,
        &display_path(&args.spec),
        &plan.generated.diagnostics,
        crate::spec::Places::First {
            how_to_list_all: Some("`cargo xtask codegen --verbose` lists all, once released"),
        },
    )?;
    if args.dry_run {
        writeln!(
            stdout,
            "dry run: would release the crate {} → {} (spec release {}); nothing written.\n",
            plan.old_version, plan.version, args.label
        )?;
        stdout.write_all(plan.section.as_bytes())?;
        return Ok(());
    }

    let out = crate::codegen::default_out(root);
    let mut written = Written::capture(root, &out)?;
    if let Err(e) = write_all(&out, &plan, &mut written) {
        return Err(written.restore(&out, e));
    }

    let spec_shown = display_path(&crate::codegen::default_spec(root));
    writeln!(
        stdout,
        "released the crate {} → {} from spec release {} ({} breaking, {} compatible)\n\
         written: {spec_shown}, {}, {}, {}/\n\
         \n\
         review next:\n  \
         git diff --stat && git diff {}\n  \
         INSTA_UPDATE=always cargo test -p sdk-tests --test it, then read every changed .snap with git diff\n  \
         cargo xtask codegen --check && cargo xtask test (xtask/extras/justap/ examples must still build)\n\
         then commit spec/, generated/ and the snapshots together (undo: git checkout -- spec generated)",
        plan.old_version,
        plan.version,
        args.label,
        plan.breaking,
        plan.compatible,
        display_path(&sdk_manifest::path(root)),
        display_path(&changelog_path(root)),
        display_path(&out),
        display_path(&changelog_path(root)),
    )?;
    Ok(())
}

/// The state before the release, to put back if a write fails.
struct Written {
    /// (path, old contents or `None` if it did not exist, whether it was overwritten yet).
    files: Vec<(PathBuf, Option<Vec<u8>>, bool)>,
    /// The files of `generated/` (what [`tree::write_tree`] owns), if it exists.
    generated: Option<BTreeMap<String, String>>,
    generated_written: bool,
}

impl Written {
    fn capture(root: &Path, out: &Path) -> Result<Written> {
        let mut files = Vec::new();
        for path in [
            crate::codegen::default_spec(root),
            sdk_manifest::path(root),
            changelog_path(root),
        ] {
            let old = match fs::read(&path) {
                Ok(bytes) => Some(bytes),
                Err(e) if e.kind() == io::ErrorKind::NotFound => None,
                Err(e) => {
                    return Err(e).with_context(|| format!("reading {}", display_path(&path)));
                }
            };
            files.push((path, old, false));
        }
        let generated = if out.is_dir() {
            Some(tree_files(out)?)
        } else {
            None
        };
        Ok(Written {
            files,
            generated,
            generated_written: false,
        })
    }

    /// Puts back what was written; anything that cannot be is added to the error.
    fn restore(&self, out: &Path, error: anyhow::Error) -> anyhow::Error {
        let mut problems = Vec::new();
        for (path, old, overwritten) in &self.files {
            if !overwritten {
                continue;
            }
            let result = match old {
                Some(bytes) => fs::write(path, bytes),
                None => fs::remove_file(path),
            };
            if let Err(e) = result {
                problems.push(format!("{}: {e}", display_path(path)));
            }
        }
        if self.generated_written {
            let result = match &self.generated {
                Some(files) => tree::write_tree(out, files).map(|_| ()),
                None => fs::remove_dir_all(out).map_err(anyhow::Error::new),
            };
            if let Err(e) = result {
                problems.push(format!("{}: {e:#}", display_path(out)));
            }
        }
        if problems.is_empty() {
            error.context("release rolled back; nothing changed")
        } else {
            error.context(format!(
                "release failed and could not be fully rolled back ({}); `git checkout -- spec generated` restores the rest",
                problems.join("; ")
            ))
        }
    }
}

/// Every file below `out` except [`tree::KEPT`], as text (the generated crate is all text).
fn tree_files(out: &Path) -> Result<BTreeMap<String, String>> {
    let mut paths = Vec::new();
    crate::walk::files_below(out, tree::KEPT, &mut paths)
        .with_context(|| format!("listing {}", display_path(out)))?;
    let mut files = BTreeMap::new();
    for path in paths {
        let text = fs::read_to_string(&path)
            .with_context(|| format!("reading {}", display_path(&path)))?;
        let relative = crate::walk::relative_slash_path(out, &path)
            .with_context(|| format!("{} is not below {}", path.display(), out.display()))?;
        files.insert(relative, text);
    }
    Ok(files)
}

fn write_all(out: &Path, plan: &Plan, written: &mut Written) -> Result<()> {
    let contents = [
        plan.spec_text.as_bytes(),
        plan.manifest_text.as_bytes(),
        plan.changelog_text.as_bytes(),
    ];
    let steps = ["spec-written", "manifest-written", "changelog-written"];
    for ((entry, contents), step) in written.files.iter_mut().zip(contents).zip(steps) {
        // Marked first: a write that fails half-way has changed the file too.
        entry.2 = true;
        fs::write(&entry.0, contents)
            .with_context(|| format!("writing {}", display_path(&entry.0)))?;
        crate::failpoint::hit(step)?;
    }
    // `write_tree` is atomic itself: on failure `generated/` is as it was.
    tree::write_tree(out, &plan.generated.files)
        .with_context(|| format!("writing {}/", display_path(out)))?;
    written.generated_written = true;
    crate::failpoint::hit("generated-written")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).expect(text)
    }

    #[test]
    fn versions_parse_strictly() {
        assert_eq!(
            v("1.20.3"),
            Version {
                major: 1,
                minor: 20,
                patch: 3
            }
        );
        assert_eq!(v("0.1.0").to_string(), "0.1.0");
        for bad in [
            "1.0",
            "1.0.0.0",
            "01.0.0",
            "1.0.x",
            "1.0.0-rc.1",
            "",
            "+1.0.0",
        ] {
            assert!(Version::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bumps_follow_semver_and_the_0x_rule() {
        // (from, bump, to), written out by hand from the semver and Cargo rules.
        let cases = [
            ("1.4.2", Bump::Major, "2.0.0"),
            ("1.4.2", Bump::Minor, "1.5.0"),
            ("1.4.2", Bump::None, "1.4.3"),
            ("0.3.2", Bump::Major, "0.4.0"),
            ("0.3.2", Bump::Minor, "0.3.3"),
            ("0.3.2", Bump::None, "0.3.3"),
            ("0.1.0", Bump::Major, "0.2.0"),
            ("0.0.7", Bump::Major, "0.0.8"),
            ("0.0.7", Bump::Minor, "0.0.8"),
            ("0.0.7", Bump::None, "0.0.8"),
        ];
        for (from, bump, to) in cases {
            assert_eq!(v(from).bump(bump).to_string(), to, "{from} {bump:?}");
        }
    }

    #[test]
    fn sections_go_on_top_below_the_header() {
        let header = "# Changelog\n\nintro\n\n";
        let old = format!("{header}## 0.1.0 — spec release 1\n\nold\n");
        assert_eq!(
            prepend_section(Some(&old), "justap", "## 0.2.0 — new\n"),
            format!("{header}## 0.2.0 — new\n\n## 0.1.0 — spec release 1\n\nold\n")
        );
        assert_eq!(
            prepend_section(Some(header), "justap", "## 0.2.0\n"),
            format!("{header}## 0.2.0\n")
        );
        assert!(prepend_section(None, "justap", "## 0.2.0\n").ends_with("\n\n## 0.2.0\n"));
        // A `## ` inside a line is not a heading.
        assert_eq!(
            prepend_section(Some("a ## b\n"), "j", "## 1\n"),
            "a ## b\n\n## 1\n"
        );
    }

    #[test]
    fn dates_are_checked() {
        assert!(check_date("2026-12-01").is_ok());
        for bad in ["2026-1-01", "2026/12/01", "today", "2026-12-01x"] {
            assert!(check_date(bad).is_err(), "{bad}");
        }
    }

    // A tiny project: spec, manifest, changelog and a generated crate made from them.
    const HEAD: &str = "swagger: '2.0'\ninfo: {title: t, version: '1'}\n";
    const TWO_OPS: &str = "paths:\n  /a:\n    get:\n      operationId: A\n      responses:\n        \
        '200': {description: ok}\n  /b:\n    get:\n      operationId: B\n      responses:\n        \
        '200': {description: ok}\n";
    const ONE_OP: &str = "paths:\n  /a:\n    get:\n      operationId: A\n      responses:\n        \
        '200': {description: ok}\n";
    const MANIFEST: &str = "# test\nname = \"justap\"\nversion = \"0.3.1\"\nspec_label = \"1\"\n";
    const CHANGELOG: &str = "# Changelog\n\n## 0.3.1 — spec release 1\n\nfirst\n";

    fn project() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().to_path_buf();
        fs::create_dir_all(root.join("spec")).expect("mkdir");
        fs::write(root.join("spec/justap.yaml"), format!("{HEAD}{TWO_OPS}")).expect("spec");
        fs::write(root.join("spec/sdk.toml"), MANIFEST).expect("manifest");
        fs::write(root.join("spec/CHANGELOG.md"), CHANGELOG).expect("changelog");
        let manifest = SdkManifest::parse(MANIFEST).expect("manifest");
        let generated = project_crate(
            "spec/justap.yaml",
            &format!("{HEAD}{TWO_OPS}"),
            &manifest,
            Some(CHANGELOG),
        )
        .expect("generate");
        tree::write_tree(&root.join("generated"), &generated.files).expect("write");
        // Build output that no release may touch.
        fs::create_dir_all(root.join("generated/target")).expect("mkdir");
        fs::write(root.join("generated/target/keep"), "k").expect("write");
        let new = root.join("new.yaml");
        fs::write(&new, format!("{HEAD}{ONE_OP}")).expect("new spec");
        (tmp, new)
    }

    /// Every file below `dir` with its bytes.
    fn picture(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut paths = Vec::new();
        crate::walk::files_below(dir, &[], &mut paths).expect("walk");
        paths
            .into_iter()
            .map(|p| {
                let bytes = fs::read(&p).expect("read");
                (p, bytes)
            })
            .collect()
    }

    fn args(spec: &Path) -> ReleaseArgs {
        ReleaseArgs {
            spec: spec.to_path_buf(),
            label: "2".into(),
            version: None,
            dry_run: false,
            date: None,
        }
    }

    #[test]
    fn a_release_writes_everything_and_dry_run_nothing() {
        let (tmp, new) = project();
        let root = tmp.path();
        let before = picture(root);

        let mut out = Vec::new();
        let dry = ReleaseArgs {
            dry_run: true,
            ..args(&new)
        };
        release(root, &dry, &mut out, &mut Vec::new()).expect("dry run");
        let printed = String::from_utf8(out).expect("utf-8");
        assert!(printed.contains("0.3.1 → 0.4.0"), "{printed}");
        assert!(
            printed.contains("## 0.4.0 — spec release 2\n\n1 breaking, 0 compatible change for users of the SDK.\n\n### Breaking\n\n- operation `B`: removed"),
            "{printed}"
        );
        assert_eq!(picture(root), before, "a dry run writes nothing");

        let mut out = Vec::new();
        release(root, &args(&new), &mut out, &mut Vec::new()).expect("release");
        let printed = String::from_utf8(out).expect("utf-8");
        assert!(printed.contains("(1 breaking, 0 compatible)"), "{printed}");
        assert_eq!(
            fs::read_to_string(root.join("spec/justap.yaml")).expect("spec"),
            format!("{HEAD}{ONE_OP}")
        );
        assert_eq!(
            fs::read_to_string(root.join("spec/sdk.toml")).expect("manifest"),
            "# test\nname = \"justap\"\nversion = \"0.4.0\"\nspec_label = \"2\"\n"
        );
        let changelog = fs::read_to_string(root.join("spec/CHANGELOG.md")).expect("changelog");
        assert!(
            changelog.starts_with("# Changelog\n\n## 0.4.0 — spec release 2\n"),
            "{changelog}"
        );
        assert!(changelog.ends_with("\n## 0.3.1 — spec release 1\n\nfirst\n"));
        let generated = |path: &str| fs::read_to_string(root.join("generated").join(path));
        assert!(
            generated("CHANGELOG.md")
                .expect("copied")
                .ends_with(&changelog)
        );
        assert!(
            generated("Cargo.toml")
                .expect("manifest")
                .contains("version = \"0.4.0\"")
        );
        assert!(
            generated("src/lib.rs")
                .expect("lib")
                .contains("pub const SPEC_RELEASE: &str = \"2\";")
        );
        assert_eq!(generated("target/keep").expect("kept"), "k");

        // The same release again is not a new version.
        let mut again = args(&new);
        again.version = Some("0.4.0".into());
        let error = release(root, &again, &mut Vec::new(), &mut Vec::new()).expect_err("not above");
        assert!(format!("{error:#}").contains("not above"), "{error:#}");
    }

    #[test]
    fn a_failure_after_any_step_leaves_everything_as_it_was() {
        for step in [
            "diffed",
            "versioned",
            "generated",
            "spec-written",
            "manifest-written",
            "changelog-written",
            "generated-written",
        ] {
            let (tmp, new) = project();
            let root = tmp.path();
            let before = picture(root);
            let error = crate::failpoint::armed(step, || {
                release(root, &args(&new), &mut Vec::new(), &mut Vec::new())
            })
            .expect_err(step);
            let message = format!("{error:#}");
            assert!(
                message.contains(&format!("injected failure at `{step}`")),
                "{message}"
            );
            assert_eq!(picture(root), before, "after a failure at {step}");
        }
    }

    #[test]
    fn bad_inputs_fail_before_anything_is_written() {
        let (tmp, new) = project();
        let root = tmp.path();
        let before = picture(root);
        let missing = args(&root.join("nope.yaml"));
        assert!(release(root, &missing, &mut Vec::new(), &mut Vec::new()).is_err());
        let garbage = root.join("garbage.yaml");
        fs::write(&garbage, "swagger: '2.0'\npaths: {a: [1, 2}\n").expect("write");
        let before_garbage = picture(root);
        assert!(release(root, &args(&garbage), &mut Vec::new(), &mut Vec::new()).is_err());
        assert_eq!(picture(root), before_garbage);
        fs::remove_file(&garbage).expect("rm");
        let mut bad_label = args(&new);
        bad_label.label = "3.0 beta".into();
        assert!(release(root, &bad_label, &mut Vec::new(), &mut Vec::new()).is_err());
        let mut bad_date = args(&new);
        bad_date.date = Some("tomorrow".into());
        assert!(release(root, &bad_date, &mut Vec::new(), &mut Vec::new()).is_err());
        assert_eq!(picture(root), before);
    }
}
