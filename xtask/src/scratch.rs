//! Scratch workspaces outside our own (the vendor check, the fuzz crates, the benchmarks): the
//! few file operations each of them needs to set one up ([`write`] also stages the tree writer's
//! files).

use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, anyhow, bail};

use crate::walk;

/// Writes `bytes` to `path`, creating its parent directories.
pub(crate) fn write(path: &Path, bytes: impl AsRef<[u8]>) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

/// Copies every file below `from` to the same place below `to`; `from` must hold some.
pub(crate) fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    let mut files = Vec::new();
    walk::files_below(from, &[], &mut files)
        .with_context(|| format!("listing {}", from.display()))?;
    if files.is_empty() {
        bail!("{} has no files to copy", from.display());
    }
    for file in files {
        let relative = file
            .strip_prefix(from)
            .map_err(|_| anyhow!("{} is not below {}", file.display(), from.display()))?;
        let bytes = fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
        write(&to.join(relative), bytes)?;
    }
    Ok(())
}

/// Our `Cargo.lock` copied into the scratch workspace `root`, so it builds the dependency versions
/// we build (cargo drops the entries of our own crates).
pub(crate) fn copy_lock(project: &Path, root: &Path) -> Result<()> {
    let lock = fs::read(project.join("Cargo.lock")).context("reading Cargo.lock")?;
    write(&root.join("Cargo.lock"), lock)
}

/// Writes a workspace at `root` that uses the SDK as our users do: `generated/` copied to
/// `root/<sdk_dir>` (an earlier copy removed first), each of `files` (path below `root`, text)
/// written, and our `Cargo.lock`. Anything else already under `root` (a target directory) stays.
pub(crate) fn sdk_workspace(
    project: &Path,
    root: &Path,
    sdk_dir: &str,
    files: &[(&str, &str)],
) -> Result<()> {
    let sdk = root.join(sdk_dir);
    if sdk.exists() {
        fs::remove_dir_all(&sdk).with_context(|| format!("removing {}", sdk.display()))?;
    }
    copy_tree(&project.join("generated"), &sdk)?;
    for (path, text) in files {
        write(&root.join(path), text)?;
    }
    copy_lock(project, root)
}

/// `cargo <args> --offline` run in the workspace `root`, building into `target`.
pub(crate) fn cargo(root: &Path, target: &Path, args: &[&str]) -> Command {
    let mut command = crate::cmd::cargo(args.iter().copied());
    command
        .arg("--offline")
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target);
    command
}

/// A TOML basic string (paths may hold backslashes on Windows).
pub(crate) fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_a_tree_and_refuses_an_empty_one() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let from = tmp.path().join("from");
        write(&from.join("a/b.txt"), "b").expect("write");
        write(&from.join("c.txt"), "c").expect("write");
        let to = tmp.path().join("to");
        copy_tree(&from, &to).expect("copy");
        assert_eq!(fs::read_to_string(to.join("a/b.txt")).expect("read"), "b");
        assert_eq!(fs::read_to_string(to.join("c.txt")).expect("read"), "c");
        let error = copy_tree(&tmp.path().join("none"), &to).expect_err("empty");
        assert!(error.to_string().contains("no files to copy"), "{error}");
    }

    #[test]
    fn toml_strings_escape_quotes_and_backslashes() {
        assert_eq!(toml_string(r#"C:\a "b""#), r#""C:\\a \"b\"""#);
    }
}
