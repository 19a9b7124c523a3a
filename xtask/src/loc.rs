//! `cargo xtask loc [DIR]`: how much code a maintainer has to hold in their head — the lines of
//! Rust below DIR (default `generator/src`) that are neither blank, nor comments (`//`, `///`,
//! `//!`), nor test code: an inline `#[cfg(test)] mod x { .. }` is left out to its closing brace,
//! and a file declared `#[cfg(test)] mod x;` is left out whole. Per file, then the total.
//!
//! Braces are counted per line, so a brace inside a string of a test module could end it early;
//! the numbers are for comparing one tree with its own earlier state, where that error cancels.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::walk;

/// Counts and prints; see the module documentation.
pub fn run(dir: &Path) -> Result<()> {
    // A missing directory would otherwise count as an empty one: "0 total".
    if !dir.is_dir() {
        anyhow::bail!("{} is not a directory", dir.display());
    }
    let mut files = Vec::new();
    walk::files_below(dir, &[], &mut files)
        .with_context(|| format!("listing {}", dir.display()))?;
    files.retain(|path| path.extension().is_some_and(|ext| ext == "rs"));
    let mut texts = Vec::new();
    for path in files {
        let text =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        texts.push((path, text));
    }
    let test_files: BTreeSet<PathBuf> = texts
        .iter()
        .flat_map(|(path, text)| test_module_files(path, text))
        .collect();
    let mut total = 0;
    for (path, text) in &texts {
        if test_files.contains(path) {
            continue;
        }
        let count = code_lines(text);
        println!("{count:>6} {}", crate::display_path(path));
        total += count;
    }
    println!("{total:>6} total");
    Ok(())
}

/// Lines that are code, outside inline test modules.
fn code_lines(text: &str) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let mut count = 0;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        let opens_test_module = line == "#[cfg(test)]"
            && lines
                .get(i + 1)
                .is_some_and(|next| module_name(next).is_some() && next.trim_end().ends_with('{'));
        if opens_test_module {
            i = end_of_block(&lines, i + 1) + 1;
            continue;
        }
        if !line.is_empty() && !line.starts_with("//") {
            count += 1;
        }
        i += 1;
    }
    count
}

/// The index of the line that closes the block opened on line `start`.
fn end_of_block(lines: &[&str], start: usize) -> usize {
    let mut depth = 0i64;
    for (i, line) in lines.iter().enumerate().skip(start) {
        depth += line.matches('{').count() as i64 - line.matches('}').count() as i64;
        if depth <= 0 {
            return i;
        }
    }
    lines.len()
}

/// `name` of a line `mod name {`, `mod name;` or `pub(..) mod name ..`.
fn module_name(line: &str) -> Option<&str> {
    let rest = line.trim().split_once("mod ")?.1;
    let name = rest
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .next()?;
    (!name.is_empty()).then_some(name)
}

/// The files of modules `file` declares as `#[cfg(test)] mod name;`.
fn test_module_files(file: &Path, text: &str) -> Vec<PathBuf> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(parent) = file.parent() else {
        return Vec::new();
    };
    // `foo.rs` declares its modules in `foo/`; `mod.rs`, `lib.rs` and `main.rs` beside themselves.
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let base = if matches!(stem, "mod" | "lib" | "main") {
        parent.to_path_buf()
    } else {
        parent.join(stem)
    };
    lines
        .windows(2)
        .filter(|pair| pair[0].trim() == "#[cfg(test)]" && pair[1].trim_end().ends_with(';'))
        .filter_map(|pair| module_name(pair[1]))
        .flat_map(|name| {
            [
                base.join(format!("{name}.rs")),
                base.join(name).join("mod.rs"),
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_blanks_and_test_modules_do_not_count() {
        let text = "//! docs\nuse a;\n\n/// f\nfn f() {\n    // why\n    g();\n}\n\
                    #[cfg(test)]\nmod tests {\n    fn t() {\n    }\n}\nfn after() {}\n";
        // use a; fn f() {; g(); }; fn after() {}
        assert_eq!(code_lines(text), 5);
    }

    #[test]
    fn a_test_module_in_a_file_of_its_own_is_found() {
        let text = "mod real;\n#[cfg(test)]\nmod tests;\n";
        assert_eq!(
            test_module_files(Path::new("src/diff/mod.rs"), text),
            [
                PathBuf::from("src/diff/tests.rs"),
                PathBuf::from("src/diff/tests/mod.rs")
            ]
        );
        assert_eq!(
            test_module_files(Path::new("src/ir.rs"), "#[cfg(test)]\nmod t;\n")[0],
            PathBuf::from("src/ir/t.rs")
        );
    }
}
