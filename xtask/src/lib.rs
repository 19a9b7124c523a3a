//! Project automation for the Justap SDK workspace, run as `cargo xtask <command>`.
//!
//! One module per concern: [`flags`] parses the command line and defines the exit statuses
//! ([`flags::Outcome`]: 0 success, 1 error, 2 usage error, 3 breaking changes from `diff`),
//! [`tree`] writes or checks a whole generated crate directory, and each command has its own
//! module ([`bench`], [`codegen`], [`diff`], [`openapi3`], [`mod@test`]). The binary
//! (`src/main.rs`) only parses, dispatches and reports.
//!
//! The library half exists so that the integration tests (the `tests/` crate) can reuse it, e.g.
//! [`codegen::stale_files`] for the "checked-in SDK is fresh" test.

pub mod bench;
pub mod cmd;
pub mod codegen;
pub mod diff;
pub mod extras;
pub mod fixtures;
pub mod flags;
pub mod fuzz;
pub mod loc;
pub mod openapi3;
pub mod release;
pub mod sdk_manifest;
pub mod test;
pub mod tree;
pub mod vendor;

mod failpoint;
mod scratch;
mod spec;
mod walk;

use std::env;
use std::fs;
use std::path::{Component, Path, PathBuf};

/// The workspace root: the parent of this crate's directory.
pub fn project_root() -> PathBuf {
    let xtask_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask_dir.parent().unwrap_or(xtask_dir).to_path_buf()
}

/// How to show `path` in messages: relative to the project root if it is inside it (so messages
/// and the spec name handed to the generator do not depend on where the command was started),
/// else relative to the current directory, else as given. Separators are always `/`.
pub fn display_path(path: &Path) -> String {
    display_path_from(path, &project_root(), env::current_dir().ok().as_deref())
}

fn display_path_from(path: &Path, root: &Path, cwd: Option<&Path>) -> String {
    let absolute = normalize(path, cwd);
    let bases = [Some(root), cwd];
    for base in bases.into_iter().flatten() {
        let base = normalize(base, cwd);
        if let Ok(relative) = absolute.strip_prefix(&base) {
            if relative.as_os_str().is_empty() {
                return ".".to_owned();
            }
            return slash_joined(relative);
        }
    }
    path.display().to_string()
}

/// Absolute, symlink-free when the path exists; otherwise made absolute against `cwd`.
fn normalize(path: &Path, cwd: Option<&Path>) -> PathBuf {
    if let Ok(canonical) = fs::canonicalize(path) {
        return canonical;
    }
    match cwd {
        Some(cwd) if path.is_relative() => cwd.join(path),
        _ => path.to_path_buf(),
    }
}

fn slash_joined(relative: &Path) -> String {
    let parts: Vec<String> = relative
        .components()
        .map(|component| match component {
            Component::Normal(part) => part.to_string_lossy().into_owned(),
            other => other.as_os_str().to_string_lossy().into_owned(),
        })
        .collect();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_root_is_the_workspace() {
        let root = project_root();
        assert!(root.join("Cargo.toml").is_file());
        assert!(root.join("xtask").join("Cargo.toml").is_file());
    }

    #[test]
    fn display_prefers_root_then_cwd() {
        let root = tempfile::tempdir().expect("tempdir");
        let elsewhere = tempfile::tempdir().expect("tempdir");
        let spec_dir = root.path().join("spec");
        fs::create_dir_all(&spec_dir).expect("mkdir");
        let spec = spec_dir.join("justap.yaml");
        fs::write(&spec, "x").expect("write");

        // Inside the root: root-relative even when the cwd is somewhere below it.
        assert_eq!(
            display_path_from(&spec, root.path(), Some(&spec_dir)),
            "spec/justap.yaml"
        );
        // A relative path is read against the cwd first.
        assert_eq!(
            display_path_from(Path::new("justap.yaml"), root.path(), Some(&spec_dir)),
            "spec/justap.yaml"
        );
        // Outside the root: cwd-relative.
        let other = elsewhere.path().join("a").join("b.yaml");
        fs::create_dir_all(elsewhere.path().join("a")).expect("mkdir");
        fs::write(&other, "x").expect("write");
        assert_eq!(
            display_path_from(&other, root.path(), Some(elsewhere.path())),
            "a/b.yaml"
        );
        // Neither: as given.
        assert_eq!(
            display_path_from(&other, root.path(), Some(&spec_dir)),
            other.display().to_string()
        );
        // The root itself.
        assert_eq!(display_path_from(root.path(), root.path(), None), ".");
    }
}
