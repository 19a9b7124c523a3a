//! `spec/sdk.toml`: what the generated crate needs that the spec does not say — its name, its
//! version and the label of the spec release it is generated from. `cargo xtask codegen` reads it
//! (so bumping the version is an edit of this file, not of the generator) and
//! `cargo xtask release` rewrites it.
//!
//! The format is a small subset of TOML, so no TOML parser is needed: blank lines, `#` comments,
//! and `key = "value"` lines with the keys `name`, `version` and `spec_label`, each exactly once.
//! Values are plain: letters, digits and `.-+_` (no escapes). Updates keep every other line
//! (comments included) as it was.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use generator::CrateOptions;

/// `<root>/spec/sdk.toml`
pub fn path(root: &Path) -> PathBuf {
    root.join("spec").join("sdk.toml")
}

/// The values of an `sdk.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdkManifest {
    /// The crate's package name (`justap`).
    pub name: String,
    /// The crate's semver version (`0.2.0`).
    pub version: String,
    /// The spec release the crate is generated from (`3.0.3`).
    pub spec_label: String,
}

const KEYS: [&str; 3] = ["name", "version", "spec_label"];

impl SdkManifest {
    /// Reads and parses the manifest at `path`; errors name the file (and the line).
    pub fn read(path: &Path) -> Result<SdkManifest> {
        let name = crate::display_path(path);
        let text = fs::read_to_string(path).with_context(|| format!("reading {name}"))?;
        SdkManifest::parse(&text).with_context(|| format!("in {name}"))
    }

    /// Parses the text of an `sdk.toml` (see the module documentation for the format).
    pub fn parse(text: &str) -> Result<SdkManifest> {
        let mut values: [Option<String>; 3] = [None, None, None];
        for (index, line) in text.lines().enumerate() {
            let Some((key, value)) = entry(line).with_context(|| format!("line {}", index + 1))?
            else {
                continue;
            };
            let Some(slot) = KEYS.iter().position(|k| *k == key) else {
                bail!(
                    "line {}: unknown key `{key}` (expected one of: {})",
                    index + 1,
                    KEYS.join(", ")
                );
            };
            if values[slot].replace(value.to_owned()).is_some() {
                bail!("line {}: `{key}` is set twice", index + 1);
            }
        }
        let [name, version, spec_label] = values;
        let missing = |key: &str| anyhow::anyhow!("`{key}` is missing");
        let manifest = SdkManifest {
            name: name.ok_or_else(|| missing("name"))?,
            version: version.ok_or_else(|| missing("version"))?,
            spec_label: spec_label.ok_or_else(|| missing("spec_label"))?,
        };
        crate::release::Version::parse(&manifest.version)
            .with_context(|| format!("`version = \"{}\"`", manifest.version))?;
        Ok(manifest)
    }

    /// `text` (an `sdk.toml`) with `version` and `spec_label` replaced; every other line is kept.
    pub fn update(text: &str, version: &str, spec_label: &str) -> Result<String> {
        check_value(version)?;
        check_value(spec_label)?;
        let mut out = String::with_capacity(text.len());
        for (index, line) in text.split_inclusive('\n').enumerate() {
            let replacement = match entry(line.trim_end_matches(['\n', '\r']))
                .with_context(|| format!("line {}", index + 1))?
            {
                Some(("version", _)) => Some(("version", version)),
                Some(("spec_label", _)) => Some(("spec_label", spec_label)),
                _ => None,
            };
            match replacement {
                Some((key, value)) => {
                    let ending = &line[line.trim_end_matches(['\n', '\r']).len()..];
                    out.push_str(&format!("{key} = \"{value}\"{ending}"));
                }
                None => out.push_str(line),
            }
        }
        // The result must say what was asked (e.g. a manifest missing a key is not "updated").
        let updated = SdkManifest::parse(&out)?;
        if updated.version != version || updated.spec_label != spec_label {
            bail!("the manifest does not hold `version` and `spec_label` lines to update");
        }
        Ok(out)
    }

    /// The generator's options for this crate.
    pub fn crate_options(&self) -> CrateOptions {
        CrateOptions {
            name: self.name.clone(),
            version: self.version.clone(),
            spec_label: self.spec_label.clone(),
        }
    }
}

/// `Some((key, value))` for a `key = "value"` line, `None` for a blank or comment line.
fn entry(line: &str) -> Result<Option<(&str, &str)>> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    let Some((key, rest)) = line.split_once('=') else {
        bail!("expected `key = \"value\"`, found `{line}`");
    };
    let key = key.trim();
    let rest = rest.trim();
    // A trailing comment after the value is allowed, as in TOML.
    let value = rest
        .strip_prefix('"')
        .and_then(|rest| rest.split_once('"'))
        .filter(|(_, after)| {
            let after = after.trim();
            after.is_empty() || after.starts_with('#')
        })
        .map(|(value, _)| value);
    let Some(value) = value else {
        bail!("`{key}`: expected a quoted value, found `{rest}`");
    };
    check_value(value).with_context(|| format!("`{key}`"))?;
    Ok(Some((key, value)))
}

/// Values go into `Cargo.toml`, docs and file names: keep them plain.
fn check_value(value: &str) -> Result<()> {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_'));
    if !plain {
        bail!("`{value}` is not a plain value (letters, digits and `.-+_` only)");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# comment\nname = \"justap\"\n\nversion = \"0.1.0\" # bumped by release\r\nspec_label = \"3.0.3\"\n";

    #[test]
    fn parses_the_subset() {
        let manifest = SdkManifest::parse(TEXT).expect("parse");
        assert_eq!(
            manifest,
            SdkManifest {
                name: "justap".into(),
                version: "0.1.0".into(),
                spec_label: "3.0.3".into(),
            }
        );
        assert_eq!(manifest.crate_options().spec_label, "3.0.3");
    }

    #[test]
    fn rejects_what_it_does_not_understand() {
        let error = |text: &str| format!("{:#}", SdkManifest::parse(text).expect_err(text));
        assert_eq!(
            error("name = \"a\"\nversion = \"1.0.0\"\n"),
            "`spec_label` is missing"
        );
        assert!(error("name = 'a'\n").starts_with("line 1: `name`: expected a quoted value"));
        assert!(error("edition = \"2021\"\n").starts_with("line 1: unknown key `edition`"));
        assert!(error("name = \"a b\"\n").contains("not a plain value"));
        assert_eq!(
            error("name = \"a\"\nname = \"b\"\n"),
            "line 2: `name` is set twice"
        );
        assert!(
            error("name = \"a\"\nversion = \"one\"\nspec_label = \"x\"\n")
                .starts_with("`version = \"one\"`")
        );
    }

    #[test]
    fn update_keeps_every_other_line() {
        let updated = SdkManifest::update(TEXT, "0.2.0", "3.0.4").expect("update");
        assert_eq!(
            updated,
            "# comment\nname = \"justap\"\n\nversion = \"0.2.0\"\r\nspec_label = \"3.0.4\"\n"
        );
        assert!(SdkManifest::update(TEXT, "0.2.0", "a`b").is_err());
        assert!(SdkManifest::update("name = \"a\"\n", "0.2.0", "x").is_err());
    }
}
