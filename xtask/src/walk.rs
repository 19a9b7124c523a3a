//! Recursive directory listing shared by the tree writer and the snapshot-hygiene check.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Appends every non-directory entry below `dir` (recursively) to `out`, in sorted order.
///
/// Symlinks are listed, never followed. A missing `dir` lists nothing. On an error the entries
/// found so far stay in `out`, so best-effort callers can ignore the error.
pub(crate) fn files_below(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in sorted_entries(dir)? {
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            files_below(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// The entries of `dir` sorted by name; a missing `dir` has none.
pub(crate) fn sorted_entries(dir: &Path) -> io::Result<Vec<fs::DirEntry>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut entries = entries.collect::<io::Result<Vec<_>>>()?;
    entries.sort_by_key(fs::DirEntry::file_name);
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_nested_files_sorted_and_tolerates_a_missing_dir() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path();
        fs::create_dir_all(root.join("b/c")).expect("mkdir");
        fs::create_dir_all(root.join("empty")).expect("mkdir");
        fs::write(root.join("b/c/d.txt"), "").expect("write");
        fs::write(root.join("a.txt"), "").expect("write");
        fs::write(root.join("b/z.txt"), "").expect("write");

        let mut found = Vec::new();
        files_below(root, &mut found).expect("walk");
        let relative: Vec<_> = found
            .iter()
            .map(|p| p.strip_prefix(root).expect("below"))
            .collect();
        assert_eq!(
            relative,
            [
                Path::new("a.txt"),
                Path::new("b/c/d.txt"),
                Path::new("b/z.txt")
            ]
        );

        let mut none = Vec::new();
        files_below(&root.join("missing"), &mut none).expect("missing dir is empty");
        assert!(none.is_empty());
    }
}
