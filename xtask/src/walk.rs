//! Recursive file listing (walkdir) shared by the tree writer, the release, the scratch
//! workspaces (`scratch::copy_tree`), the line count and the snapshot-hygiene check.

use std::io;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// Appends every non-directory entry below `dir` (recursively, sorted by path) to `out`, except
/// what is under a top-level name in `skip`.
///
/// Symlinks are listed, never followed. A missing `dir` lists nothing. On an error the entries
/// found so far stay in `out`, so best-effort callers can ignore the error.
pub(crate) fn files_below(dir: &Path, skip: &[&str], out: &mut Vec<PathBuf>) -> io::Result<()> {
    match dir.symlink_metadata() {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
        Ok(_) => {}
    }
    let skipped = |entry: &walkdir::DirEntry| {
        entry.depth() == 1
            && entry
                .file_name()
                .to_str()
                .is_some_and(|n| skip.contains(&n))
    };
    for entry in WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| !skipped(entry))
    {
        let entry = entry?;
        if !entry.file_type().is_dir() {
            out.push(entry.into_path());
        }
    }
    Ok(())
}

/// `path` relative to `base`, its components joined with `/` (a file map's key).
pub(crate) fn relative_slash_path(base: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(base).ok()?;
    let parts: Vec<String> = relative
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn lists_nested_files_sorted_skips_top_names_and_tolerates_a_missing_dir() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path();
        fs::create_dir_all(root.join("b/c")).expect("mkdir");
        fs::create_dir_all(root.join("empty")).expect("mkdir");
        fs::create_dir_all(root.join("target/debug")).expect("mkdir");
        fs::write(root.join("b/c/d.txt"), "").expect("write");
        fs::write(root.join("a.txt"), "").expect("write");
        fs::write(root.join("b/z.txt"), "").expect("write");
        fs::write(root.join("b/target"), "").expect("write");
        fs::write(root.join("target/debug/x"), "").expect("write");
        fs::write(root.join("Cargo.lock"), "").expect("write");

        let listed = |skip: &[&str]| {
            let mut found = Vec::new();
            files_below(root, skip, &mut found).expect("walk");
            found
                .iter()
                .filter_map(|p| relative_slash_path(root, p))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            listed(&[]),
            [
                "Cargo.lock",
                "a.txt",
                "b/c/d.txt",
                "b/target",
                "b/z.txt",
                "target/debug/x"
            ]
        );
        // Only a top-level name is skipped.
        assert_eq!(
            listed(&["target", "Cargo.lock"]),
            ["a.txt", "b/c/d.txt", "b/target", "b/z.txt"]
        );

        let mut none = Vec::new();
        files_below(&root.join("missing"), &[], &mut none).expect("missing dir is empty");
        assert!(none.is_empty());
    }
}
