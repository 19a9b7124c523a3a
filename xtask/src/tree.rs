//! Write-or-check for a whole generated crate directory (the directory-sized version of
//! rust-analyzer's `ensure_file_contents`).
//!
//! A file map holds crate-relative, `/`-separated paths. Codegen *owns* the whole directory: a
//! file it did not write (a hand-added `build.rs`, `tests/`, `.cargo/config.toml`) would be
//! built into every user's copy of the crate, so it is reported by [`check_tree`] and removed by
//! [`write_tree`]. Only the entries of [`KEPT`] (build output and the lock file) are left alone.
//!
//! [`write_tree`] replaces the directory atomically: the new crate is built in a staging
//! directory next to the target, the kept entries are moved into it, and the two directories are
//! swapped by renames. A failure before the swap leaves the old directory exactly as it was.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::walk;

/// Top-level names in a crate directory that codegen never writes, reports or removes: what
/// `cargo build` leaves there when the crate is built on its own.
pub const KEPT: &[&str] = &["target", "Cargo.lock"];

/// How an on-disk file differs from the file map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StaleKind {
    /// In the map, not on disk.
    Missing,
    /// On disk with other contents.
    Differs,
    /// On disk inside a directory the map writes to (`src/`, ...), not in the map: most likely
    /// left over from an older generation.
    Extra,
    /// On disk outside every directory of the map and not in [`KEPT`]: not written by codegen
    /// (a hand-added `build.rs`, `tests/`, `.cargo/`).
    Unexpected,
}

impl StaleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StaleKind::Missing => "missing",
            StaleKind::Differs => "differs",
            StaleKind::Extra => "extra",
            StaleKind::Unexpected => "unexpected",
        }
    }
}

impl fmt::Display for StaleKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One file that does not match the map; `path` is crate-relative and `/`-separated.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stale {
    pub path: String,
    pub kind: StaleKind,
}

/// What [`write_tree`] changed; every list is crate-relative, `/`-separated and sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    /// Files in the map's directories that the new map does not contain ([`StaleKind::Extra`]).
    pub removed: Vec<String>,
    /// Removed files that codegen never writes ([`StaleKind::Unexpected`]).
    pub unexpected: Vec<String>,
    /// Files of the map whose contents were already on disk.
    pub unchanged: usize,
}

impl WriteReport {
    /// Nothing was added, changed or removed (and nothing was touched on disk).
    pub fn is_up_to_date(&self) -> bool {
        self.added.is_empty()
            && self.changed.is_empty()
            && self.removed.is_empty()
            && self.unexpected.is_empty()
    }

    /// Files whose contents are new on disk: added plus changed.
    pub fn written(&self) -> usize {
        self.added.len() + self.changed.len()
    }
}

/// Makes `dir` hold exactly `files` (plus whatever of [`KEPT`] it already holds); any other
/// entry is removed.
///
/// Atomic: a new tree is assembled in `.{name}.codegen-tmp` next to `dir` and swapped in by
/// renames. Invalid paths (absolute, `..`, `.`, empty components, backslashes, a file that is
/// also another file's directory) are rejected before the disk is touched. If nothing would
/// change, nothing is written. `dir` is created if it does not exist. Contents are written
/// byte for byte as given (LF stays LF).
pub fn write_tree(dir: &Path, files: &BTreeMap<String, String>) -> Result<WriteReport> {
    validate_paths(files)?;
    let layout = Layout::new(dir)?;
    layout.recover_interrupted_run()?;

    let exists = match fs::metadata(&layout.dir) {
        Ok(meta) if meta.is_dir() => true,
        Ok(_) => bail!("{} exists and is not a directory", layout.dir.display()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(e) => {
            return Err(e).with_context(|| format!("reading {}", layout.dir.display()));
        }
    };

    let report = if exists {
        compare(&layout.dir, files, true)?.into_report()
    } else {
        WriteReport {
            added: files.keys().cloned().collect(),
            ..WriteReport::default()
        }
    };
    if exists && report.is_up_to_date() {
        return Ok(report);
    }

    fs::create_dir_all(&layout.parent)
        .with_context(|| format!("creating {}", layout.parent.display()))?;
    if let Err(e) = stage(&layout.staging, files) {
        let _ = fs::remove_dir_all(&layout.staging);
        return Err(e);
    }
    if exists {
        layout.swap_in()?;
    } else if let Err(e) = fs::rename(&layout.staging, &layout.dir) {
        let _ = fs::remove_dir_all(&layout.staging);
        return Err(e).with_context(|| {
            format!(
                "renaming {} to {}",
                layout.staging.display(),
                layout.dir.display()
            )
        });
    }
    Ok(report)
}

/// Lists every file of `dir` that does not match `files`, sorted by path.
///
/// Best effort: unreadable files count as [`StaleKind::Differs`], and a map path that
/// [`write_tree`] would reject is reported [`StaleKind::Missing`] without being looked up (it
/// can never be inside `dir`). Entries of [`KEPT`] are never reported.
pub fn check_tree(dir: &Path, files: &BTreeMap<String, String>) -> Vec<Stale> {
    // `compare` only fails when asked to be strict.
    let comparison = compare(dir, files, false).unwrap_or_default();
    let mut stale: Vec<Stale> = Vec::new();
    let mut push = |paths: Vec<String>, kind| {
        stale.extend(paths.into_iter().map(|path| Stale { path, kind }));
    };
    push(comparison.missing, StaleKind::Missing);
    push(comparison.differs, StaleKind::Differs);
    push(comparison.extra, StaleKind::Extra);
    push(comparison.unexpected, StaleKind::Unexpected);
    stale.sort();
    stale
}

/// Checks that every path is a plain relative, `/`-separated path that stays inside the crate
/// directory, and that no path is both a file and a directory.
fn validate_paths(files: &BTreeMap<String, String>) -> Result<()> {
    for path in files.keys() {
        validate_path(path)?;
    }
    for path in files.keys() {
        let mut prefix_end = 0;
        while let Some(slash) = path[prefix_end..].find('/') {
            prefix_end += slash;
            let directory = &path[..prefix_end];
            if files.contains_key(directory) {
                bail!(
                    "invalid generated file path `{directory}`: it is a file, but `{path}` needs it to be a directory"
                );
            }
            prefix_end += 1;
        }
    }
    Ok(())
}

fn validate_path(path: &str) -> Result<()> {
    let problem = if path.is_empty() {
        Some("it is empty")
    } else if path.starts_with('/') {
        Some("it is absolute")
    } else if path.contains('\\') {
        Some("it contains a backslash (paths are `/`-separated)")
    } else if path.contains(':') || path.contains('\0') {
        Some("it contains `:` or NUL")
    } else if path
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        Some("it has an empty, `.` or `..` component")
    } else {
        None
    };
    match problem {
        Some(problem) => bail!(
            "invalid generated file path `{path}`: {problem}; paths must be relative to the crate directory"
        ),
        None => Ok(()),
    }
}

/// The map's top-level names: its top-level files and the directories it writes to.
fn owned_names(files: &BTreeMap<String, String>) -> BTreeSet<&str> {
    files
        .keys()
        .map(|path| path.split('/').next().unwrap_or(path))
        .collect()
}

#[derive(Debug, Default)]
struct Comparison {
    missing: Vec<String>,
    differs: Vec<String>,
    extra: Vec<String>,
    unexpected: Vec<String>,
    same: usize,
}

impl Comparison {
    fn into_report(self) -> WriteReport {
        WriteReport {
            added: self.missing,
            changed: self.differs,
            removed: self.extra,
            unexpected: self.unexpected,
            unchanged: self.same,
        }
    }
}

/// Compares everything in `dir` but [`KEPT`] with `files`. With `strict`, listing errors are
/// returned; without, whatever could be listed is used.
fn compare(dir: &Path, files: &BTreeMap<String, String>, strict: bool) -> Result<Comparison> {
    let mut comparison = Comparison::default();
    for (path, contents) in files {
        if validate_path(path).is_err() {
            comparison.missing.push(path.clone());
            continue;
        }
        let on_disk = dir.join(path);
        match fs::read(&on_disk) {
            Ok(bytes) if bytes == contents.as_bytes() => comparison.same += 1,
            Ok(_) => comparison.differs.push(path.clone()),
            // Something is there (a directory, an unreadable file): it differs.
            Err(_) if fs::symlink_metadata(&on_disk).is_ok() => {
                comparison.differs.push(path.clone());
            }
            Err(_) => comparison.missing.push(path.clone()),
        }
    }

    let mut on_disk = Vec::new();
    let listed = files_below_except_kept(dir, &mut on_disk);
    if strict {
        listed.with_context(|| format!("listing {}", dir.display()))?;
    }
    let owned = owned_names(files);
    for path in on_disk
        .iter()
        .filter_map(|file| relative_slash_path(dir, file))
    {
        if files.contains_key(&path) {
            continue;
        }
        let top = path.split('/').next().unwrap_or(&path);
        // A top-level file of the map's directories is the map's own name: only a path below
        // one of its directories can be left over from an older generation.
        if path.contains('/') && owned.contains(top) {
            comparison.extra.push(path);
        } else {
            comparison.unexpected.push(path);
        }
    }
    Ok(comparison)
}

/// Every non-directory entry below `dir` except those under a top-level name of [`KEPT`], sorted
/// by path; a missing `dir` lists nothing. Like [`walk::files_below`], the entries found before
/// an error stay in `out`.
fn files_below_except_kept(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let mut entries = entries.collect::<io::Result<Vec<_>>>()?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        if is_kept(&entry.file_name()) {
            continue;
        }
        if entry.file_type()?.is_dir() {
            walk::files_below(&entry.path(), out)?;
        } else {
            out.push(entry.path());
        }
    }
    Ok(())
}

fn is_kept(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|name| KEPT.contains(&name))
}

fn relative_slash_path(base: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(base).ok()?;
    let parts: Vec<String> = relative
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// Writes every file of the map below `staging`, which must not exist yet.
fn stage(staging: &Path, files: &BTreeMap<String, String>) -> Result<()> {
    fs::create_dir(staging).with_context(|| format!("creating {}", staging.display()))?;
    for (path, contents) in files {
        let target = staging.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::write(&target, contents).with_context(|| format!("writing {}", target.display()))?;
    }
    failpoint("staged")?;
    Ok(())
}

/// Where the directory, its staging copy and the backup of the old tree live.
struct Layout {
    dir: PathBuf,
    parent: PathBuf,
    staging: PathBuf,
    backup: PathBuf,
}

impl Layout {
    fn new(dir: &Path) -> Result<Layout> {
        // Swap the directory a symlink points to, not the link.
        let dir = match fs::symlink_metadata(dir) {
            Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(dir)
                .with_context(|| format!("resolving the symlink {}", dir.display()))?,
            _ => dir.to_path_buf(),
        };
        let Some(name) = dir
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
        else {
            bail!(
                "cannot write a generated tree to {}: it has no directory name",
                dir.display()
            );
        };
        let parent = match dir.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Ok(Layout {
            staging: parent.join(format!(".{name}.codegen-tmp")),
            backup: parent.join(format!(".{name}.codegen-old")),
            dir,
            parent,
        })
    }

    /// Cleans up after a run that was killed part-way, without losing [`KEPT`] entries: a backup
    /// without a directory is the old tree (restore it); a backup next to the directory is
    /// leftover (delete it); kept entries of a leftover staging directory that the directory
    /// lacks were carried over (move them back) before the rest is deleted.
    fn recover_interrupted_run(&self) -> Result<()> {
        let dir_exists = self.dir.exists();
        if self.backup.exists() {
            if dir_exists {
                remove_dir_all(&self.backup)?;
            } else {
                rename(&self.backup, &self.dir)?;
            }
        }
        if self.staging.exists() {
            if self.dir.is_dir() {
                let names = entry_names(&self.staging)?;
                for name in names.into_iter().filter(|name| is_kept(name)) {
                    let target = self.dir.join(&name);
                    if fs::symlink_metadata(&target).is_err() {
                        rename(&self.staging.join(&name), &target)?;
                    }
                }
            }
            remove_dir_all(&self.staging)?;
        }
        Ok(())
    }

    /// Moves the [`KEPT`] entries of the directory into the (complete) staging directory and
    /// swaps the two; everything else of the old directory goes with the backup. Every failure
    /// up to and including the swap is rolled back.
    fn swap_in(&self) -> Result<()> {
        let mut carried: Vec<OsString> = Vec::new();
        let carry = (|| -> Result<()> {
            for name in entry_names(&self.dir)? {
                if !is_kept(&name) {
                    continue;
                }
                rename(&self.dir.join(&name), &self.staging.join(&name))?;
                carried.push(name);
            }
            failpoint("carried")?;
            Ok(())
        })();
        if let Err(e) = carry {
            return Err(self.roll_back(e, &carried, false));
        }

        if let Err(e) = rename(&self.dir, &self.backup) {
            return Err(self.roll_back(e, &carried, false));
        }
        if let Err(e) = failpoint("backed-up").and_then(|()| rename(&self.staging, &self.dir)) {
            return Err(self.roll_back(e, &carried, true));
        }

        remove_dir_all(&self.backup).with_context(|| {
            format!(
                "{} was written, but its old contents are still in {}",
                self.dir.display(),
                self.backup.display()
            )
        })
    }

    /// Puts the old tree back (from the backup if it was moved there), returns carried-over
    /// entries to it, and deletes the staging directory. Anything that cannot be undone is
    /// added to the error so the user knows where their files are.
    fn roll_back(
        &self,
        error: anyhow::Error,
        carried: &[OsString],
        backed_up: bool,
    ) -> anyhow::Error {
        let mut problems = Vec::new();
        if backed_up {
            if let Err(e) = rename(&self.backup, &self.dir) {
                problems.push(format!("{e:#}"));
            }
        }
        for name in carried {
            if let Err(e) = rename(&self.staging.join(name), &self.dir.join(name)) {
                problems.push(format!("{e:#}"));
            }
        }
        if problems.is_empty() {
            if let Err(e) = remove_dir_all(&self.staging) {
                problems.push(format!("{e:#}"));
            }
        }
        if problems.is_empty() {
            error
        } else {
            error.context(format!(
                "rolling back failed ({}); the old tree may be partly in {} or {}",
                problems.join("; "),
                self.staging.display(),
                self.backup.display()
            ))
        }
    }
}

fn entry_names(dir: &Path) -> Result<Vec<OsString>> {
    let entries = fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))?;
    let mut names = Vec::new();
    for entry in entries {
        names.push(
            entry
                .with_context(|| format!("listing {}", dir.display()))?
                .file_name(),
        );
    }
    names.sort();
    Ok(names)
}

fn rename(from: &Path, to: &Path) -> Result<()> {
    fs::rename(from, to).with_context(|| format!("renaming {} to {}", from.display(), to.display()))
}

fn remove_dir_all(dir: &Path) -> Result<()> {
    fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))
}

#[cfg(test)]
thread_local! {
    /// The failpoint that should fail next on this thread (tests only).
    static FAIL_AT: std::cell::Cell<Option<&'static str>> = const { std::cell::Cell::new(None) };
}

/// Lets tests inject an I/O failure at a named step of [`write_tree`]; a no-op otherwise.
fn failpoint(name: &'static str) -> Result<()> {
    #[cfg(test)]
    if FAIL_AT.with(|fail_at| fail_at.get()) == Some(name) {
        bail!("injected failure at `{name}`");
    }
    let _ = name;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
        entries
            .iter()
            .map(|(path, text)| ((*path).to_owned(), (*text).to_owned()))
            .collect()
    }

    /// Every file and directory below `dir` with its contents: a byte-exact picture of a tree.
    fn snapshot(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
        fn visit(base: &Path, dir: &Path, out: &mut BTreeMap<String, Option<Vec<u8>>>) {
            for entry in fs::read_dir(dir).expect("read_dir") {
                let path = entry.expect("entry").path();
                let key = relative_slash_path(base, &path).expect("below base");
                if path.is_dir() {
                    out.insert(format!("{key}/"), None);
                    visit(base, &path, out);
                } else {
                    out.insert(key, Some(fs::read(&path).expect("read")));
                }
            }
        }
        let mut out = BTreeMap::new();
        visit(dir, dir, &mut out);
        out
    }

    /// Names in `parent` left behind by the writer (staging or backup directories).
    fn leftovers(parent: &Path) -> Vec<String> {
        fs::read_dir(parent)
            .expect("read_dir")
            .map(|entry| {
                entry
                    .expect("entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .filter(|name| name.contains(".codegen-"))
            .collect()
    }

    fn write(path: &Path, contents: &str) {
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, contents).expect("write");
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|item| (*item).to_owned()).collect()
    }

    fn with_failpoint<T>(name: &'static str, f: impl FnOnce() -> T) -> T {
        FAIL_AT.with(|fail_at| fail_at.set(Some(name)));
        let result = f();
        FAIL_AT.with(|fail_at| fail_at.set(None));
        result
    }

    /// An existing generated crate with the build output and lock file codegen must never touch.
    fn existing_tree(dir: &Path) -> BTreeMap<String, String> {
        let files = map(&[
            ("Cargo.toml", "[package]\nname = \"justap\"\n"),
            ("src/lib.rs", "pub mod models;\n"),
            ("src/models.rs", "pub struct Charge;\n"),
            ("src/old.rs", "// gone next time\n"),
        ]);
        write_tree(dir, &files).expect("initial write");
        write(&dir.join("target/x"), "build output");
        write(&dir.join("Cargo.lock"), "# lock\n");
        files
    }

    /// Hand-added files that would change every user's build of the crate.
    fn add_foreign_files(dir: &Path) {
        write(&dir.join("build.rs"), "fn main() {}\n");
        write(&dir.join("tests/x.rs"), "#[test]\nfn t() {}\n");
        write(&dir.join(".cargo/config.toml"), "[build]\n");
    }

    fn stale(entries: &[(&str, StaleKind)]) -> Vec<Stale> {
        entries
            .iter()
            .map(|(path, kind)| Stale {
                path: (*path).to_owned(),
                kind: *kind,
            })
            .collect()
    }

    #[test]
    fn writes_a_new_directory() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("nested/generated");
        let files = map(&[
            ("Cargo.toml", "[package]\n"),
            ("src/lib.rs", "mod a;\r\nmod b;\n"),
            ("src/a/b.rs", ""),
        ]);

        let report = write_tree(&dir, &files).expect("write");

        assert_eq!(
            report.added,
            strings(&["Cargo.toml", "src/a/b.rs", "src/lib.rs"])
        );
        assert!(report.changed.is_empty() && report.removed.is_empty());
        assert_eq!(report.written(), 3);
        assert_eq!(
            fs::read(dir.join("src/lib.rs")).expect("read"),
            b"mod a;\r\nmod b;\n"
        );
        assert_eq!(fs::read(dir.join("src/a/b.rs")).expect("read"), b"");
        assert!(check_tree(&dir, &files).is_empty());
        assert!(leftovers(&tmp.path().join("nested")).is_empty());
    }

    #[test]
    fn writes_an_empty_map_as_an_empty_directory() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("generated");
        let report = write_tree(&dir, &BTreeMap::new()).expect("write");
        assert!(report.is_up_to_date());
        assert!(dir.is_dir());
    }

    #[test]
    fn rewrites_the_tree_and_keeps_build_output_and_the_lock_file() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("generated");
        let mut files = existing_tree(&dir);
        files.insert(
            "src/models.rs".into(),
            "pub struct Charge { pub amount: i64 }\n".into(),
        );
        files.remove("src/old.rs");
        files.insert("src/new.rs".into(), "// new\n".into());
        files.insert("examples/pay.rs".into(), "fn main() {}\n".into());

        let report = write_tree(&dir, &files).expect("rewrite");

        assert_eq!(report.added, strings(&["examples/pay.rs", "src/new.rs"]));
        assert_eq!(report.changed, strings(&["src/models.rs"]));
        assert_eq!(report.removed, strings(&["src/old.rs"]));
        assert!(report.unexpected.is_empty());
        assert_eq!(report.unchanged, 2);
        assert!(check_tree(&dir, &files).is_empty());
        assert!(!dir.join("src/old.rs").exists());
        assert_eq!(
            fs::read_to_string(dir.join("target/x")).expect("read"),
            "build output"
        );
        assert_eq!(
            fs::read_to_string(dir.join("Cargo.lock")).expect("read"),
            "# lock\n"
        );
        assert!(leftovers(tmp.path()).is_empty());
    }

    #[test]
    fn write_removes_files_codegen_does_not_write() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("generated");
        let files = existing_tree(&dir);
        add_foreign_files(&dir);

        // Only foreign files differ: that is not up to date.
        let report = write_tree(&dir, &files).expect("rewrite");

        assert_eq!(
            report.unexpected,
            strings(&[".cargo/config.toml", "build.rs", "tests/x.rs"])
        );
        assert!(report.added.is_empty() && report.changed.is_empty());
        assert!(!report.is_up_to_date());
        let mut expected: BTreeMap<String, Option<Vec<u8>>> = files
            .iter()
            .map(|(path, text)| (path.clone(), Some(text.clone().into_bytes())))
            .collect();
        expected.insert("src/".into(), None);
        expected.insert("target/".into(), None);
        expected.insert("target/x".into(), Some(b"build output".to_vec()));
        expected.insert("Cargo.lock".into(), Some(b"# lock\n".to_vec()));
        assert_eq!(snapshot(&dir), expected);
        assert!(leftovers(tmp.path()).is_empty());
        assert!(write_tree(&dir, &files).expect("again").is_up_to_date());
    }

    #[test]
    fn an_up_to_date_tree_is_not_touched() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("generated");
        let files = existing_tree(&dir);
        let modified = |path: &str| {
            fs::metadata(dir.join(path))
                .expect("meta")
                .modified()
                .expect("mtime")
        };
        let before = modified("src/lib.rs");
        let picture = snapshot(&dir);

        let report = write_tree(&dir, &files).expect("rewrite");

        assert!(report.is_up_to_date());
        assert_eq!(report.unchanged, files.len());
        assert_eq!(modified("src/lib.rs"), before);
        assert_eq!(snapshot(&dir), picture);
    }

    #[test]
    fn check_reports_each_kind() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("generated");
        let mut files = existing_tree(&dir);
        files.insert("src/models.rs".into(), "changed\n".into());
        files.remove("src/old.rs");
        files.insert("src/new.rs".into(), "// new\n".into());
        // A top-level file codegen does not emit is not its own, whoever wrote it.
        write(&dir.join("README.md"), "hand-written\n");

        let found = check_tree(&dir, &files);

        let expected = stale(&[
            ("README.md", StaleKind::Unexpected),
            ("src/models.rs", StaleKind::Differs),
            ("src/new.rs", StaleKind::Missing),
            ("src/old.rs", StaleKind::Extra),
        ]);
        assert_eq!(found, expected);
        assert_eq!(StaleKind::Differs.to_string(), "differs");
        assert_eq!(StaleKind::Unexpected.to_string(), "unexpected");
    }

    #[test]
    fn check_reports_hand_added_files_but_not_build_output_or_the_lock_file() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("generated");
        let files = existing_tree(&dir);
        add_foreign_files(&dir);
        write(&dir.join("target/debug/build/x/output"), "");
        assert!(dir.join("Cargo.lock").is_file());

        let found = check_tree(&dir, &files);

        assert_eq!(
            found,
            stale(&[
                (".cargo/config.toml", StaleKind::Unexpected),
                ("build.rs", StaleKind::Unexpected),
                ("tests/x.rs", StaleKind::Unexpected),
            ])
        );
    }

    #[test]
    fn check_of_a_missing_directory_reports_every_file_missing() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let files = map(&[("Cargo.toml", ""), ("src/lib.rs", "")]);
        let stale = check_tree(&tmp.path().join("nope"), &files);
        assert_eq!(stale.len(), 2);
        assert!(stale.iter().all(|s| s.kind == StaleKind::Missing));
    }

    #[test]
    fn check_never_reads_outside_the_directory() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("generated");
        write(&tmp.path().join("escape"), "same");
        let stale = check_tree(&dir, &map(&[("../escape", "same")]));
        assert_eq!(
            stale,
            [Stale {
                path: "../escape".into(),
                kind: StaleKind::Missing
            }]
        );
    }

    #[test]
    fn invalid_paths_are_rejected_before_touching_the_disk() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("generated");
        let files = existing_tree(&dir);
        let picture = snapshot(tmp.path());

        for bad in [
            "../escape",
            "/etc/passwd",
            "src/../../x",
            "",
            "a//b",
            "src/",
            "./a",
            "src\\x",
            "C:/x",
        ] {
            let mut bad_files = files.clone();
            bad_files.insert("src/changed.rs".into(), "new\n".into());
            bad_files.insert(bad.into(), "evil\n".into());
            let error = write_tree(&dir, &bad_files).expect_err(bad);
            assert!(
                format!("{error:#}").contains("invalid generated file path"),
                "{bad}: {error:#}"
            );
            assert_eq!(snapshot(tmp.path()), picture, "{bad}");
        }

        let conflicting = map(&[("src", "file"), ("src/lib.rs", "")]);
        let error = write_tree(&dir, &conflicting).expect_err("file and directory");
        assert!(
            format!("{error:#}").contains("needs it to be a directory"),
            "{error:#}"
        );
        assert_eq!(snapshot(tmp.path()), picture);
    }

    #[test]
    fn a_write_failure_while_staging_leaves_the_old_tree() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("generated");
        let mut files = existing_tree(&dir);
        let picture = snapshot(tmp.path());
        // Files that sort before it are staged first; its name is too long for any file system.
        files.insert(format!("src/{}.rs", "x".repeat(300)), String::new());
        files.insert("Cargo.toml".into(), "changed".into());

        let error = write_tree(&dir, &files).expect_err("name too long");

        assert!(format!("{error:#}").contains("writing"), "{error:#}");
        assert_eq!(snapshot(tmp.path()), picture);
    }

    #[test]
    fn failures_up_to_the_swap_are_rolled_back() {
        for step in ["staged", "carried", "backed-up"] {
            let tmp = tempfile::tempdir().expect("tempdir");
            let dir = tmp.path().join("generated");
            let mut files = existing_tree(&dir);
            files.insert("src/lib.rs".into(), "changed\n".into());
            files.remove("src/old.rs");
            // Removed by a successful write only: a rollback restores them with the rest.
            add_foreign_files(&dir);
            let picture = snapshot(tmp.path());

            let error = with_failpoint(step, || write_tree(&dir, &files)).expect_err(step);

            assert!(
                format!("{error:#}").contains("injected failure"),
                "{step}: {error:#}"
            );
            assert_eq!(snapshot(tmp.path()), picture, "{step}");
            // And the next run succeeds.
            write_tree(&dir, &files).expect("retry");
            assert!(check_tree(&dir, &files).is_empty());
            assert!(dir.join("target/x").is_file() && dir.join("Cargo.lock").is_file());
            assert!(!dir.join("build.rs").exists());
        }
    }

    #[test]
    fn recovers_from_a_run_killed_after_moving_the_old_tree_away() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("generated");
        let files = existing_tree(&dir);
        // Killed between "old → backup" and "staging → dir": foreign entries sit in staging.
        fs::rename(dir.join("target"), tmp.path().join("target-moved")).expect("mv");
        fs::rename(&dir, tmp.path().join(".generated.codegen-old")).expect("mv");
        fs::create_dir_all(tmp.path().join(".generated.codegen-tmp/src")).expect("mkdir");
        fs::rename(
            tmp.path().join("target-moved"),
            tmp.path().join(".generated.codegen-tmp/target"),
        )
        .expect("mv");

        let report = write_tree(&dir, &files).expect("write");

        assert!(report.is_up_to_date(), "{report:?}");
        assert_eq!(
            fs::read_to_string(dir.join("target/x")).expect("read"),
            "build output"
        );
        assert!(dir.join("Cargo.lock").is_file());
        assert!(leftovers(tmp.path()).is_empty());
    }

    #[test]
    fn a_file_in_place_of_the_directory_is_an_error() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("generated");
        fs::write(&dir, "not a dir").expect("write");
        let error = write_tree(&dir, &map(&[("a", "")])).expect_err("not a directory");
        assert!(
            format!("{error:#}").contains("is not a directory"),
            "{error:#}"
        );
        assert_eq!(fs::read_to_string(&dir).expect("read"), "not a dir");
    }

    #[test]
    fn writes_through_a_relative_directory_name() {
        let layout = Layout::new(Path::new("generated")).expect("layout");
        assert_eq!(layout.parent, Path::new("."));
        assert_eq!(layout.staging, Path::new("./.generated.codegen-tmp"));
        assert_eq!(layout.backup, Path::new("./.generated.codegen-old"));
    }
}
