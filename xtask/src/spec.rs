//! Reading a spec file and reporting what the generator said about it, the same way in every
//! command: the spec is named by its [`display_path`] (`spec/justap.yaml`) so errors and warnings
//! name the file the way the user knows it, and each diagnostic is one `warning:` line.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use generator::{Diagnostic, Loaded, SpecSource};

use crate::display_path;

/// The spec's display name and text.
pub(crate) fn read(spec: &Path) -> Result<(String, String)> {
    let name = display_path(spec);
    let text = fs::read_to_string(spec).with_context(|| format!("reading {name}"))?;
    Ok((name, text))
}

/// Reads and loads a spec (parse, settle refs, upgrade Swagger 2.0).
pub(crate) fn load(spec: &Path) -> Result<Loaded> {
    let (name, text) = read(spec)?;
    // The generator's errors already start with the spec name.
    generator::load(&SpecSource {
        name: &name,
        text: &text,
    })
    .map_err(anyhow::Error::new)
}

/// How many places of a diagnostic [`warn`] names when it does not name them all.
const FIRST_PLACES: usize = 3;

/// How [`warn`] names the places of a diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Places {
    /// The count and the first [`FIRST_PLACES`], then `how_to_list_all` if there is one: one
    /// dangling `$ref` repeated in 195 responses must not make a 17,000-character line.
    First {
        how_to_list_all: Option<&'static str>,
    },
    /// Every place, one per line under the warning.
    All,
}

/// Prints diagnostics as `warning: <spec>: <diagnostic>`, one line per distinct message (the
/// places of diagnostics with the same message are merged), naming the places as `places` says.
pub(crate) fn warn(
    stderr: &mut dyn Write,
    spec: &str,
    diagnostics: &[Diagnostic],
    places: Places,
) -> Result<()> {
    for diagnostic in merged(diagnostics) {
        let message = diagnostic.message.replace('\n', " ");
        let pointers = diagnostic.pointers.as_slice();
        match (places, pointers) {
            (_, []) => writeln!(stderr, "warning: {spec}: {message}")?,
            (_, [one]) => writeln!(stderr, "warning: {spec}: {message} (at {one})")?,
            (Places::All, many) => {
                writeln!(
                    stderr,
                    "warning: {spec}: {message} ({} places):",
                    many.len()
                )?;
                for pointer in many {
                    writeln!(stderr, "    {pointer}")?;
                }
            }
            (Places::First { .. }, many) if many.len() <= FIRST_PLACES => {
                let list = many.join(", ");
                writeln!(
                    stderr,
                    "warning: {spec}: {message} ({} places: {list})",
                    many.len()
                )?;
            }
            (Places::First { how_to_list_all }, many) => {
                let first = many[..FIRST_PLACES].join(", ");
                let hint = how_to_list_all.map_or(String::new(), |hint| format!("; {hint}"));
                writeln!(
                    stderr,
                    "warning: {spec}: {message} ({} places, first: {first}, …{hint})",
                    many.len()
                )?;
            }
        }
    }
    Ok(())
}

/// Prints diagnostics for machines, one JSON object per line: `{"spec", "message", "places"}`,
/// every place listed (merged as for [`warn`]).
pub(crate) fn warn_json(
    stderr: &mut dyn Write,
    spec: &str,
    diagnostics: &[Diagnostic],
) -> Result<()> {
    for diagnostic in merged(diagnostics) {
        let line = serde_json::json!({
            "spec": spec,
            "message": diagnostic.message,
            "places": diagnostic.pointers,
        });
        writeln!(stderr, "{line}")?;
    }
    Ok(())
}

/// The diagnostics in order of first appearance, those with the same message merged into one
/// (places in order, each once): the same problem found by two passes is still one problem.
fn merged(diagnostics: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut merged: Vec<Diagnostic> = Vec::new();
    for diagnostic in diagnostics {
        match merged.iter_mut().find(|m| m.message == diagnostic.message) {
            Some(existing) => {
                for pointer in &diagnostic.pointers {
                    if !existing.pointers.contains(pointer) {
                        existing.pointers.push(pointer.clone());
                    }
                }
            }
            None => merged.push(diagnostic.clone()),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnostic(message: &str, pointers: &[&str]) -> Diagnostic {
        Diagnostic {
            message: message.to_owned(),
            pointers: pointers.iter().map(|p| (*p).to_owned()).collect(),
        }
    }

    fn rendered(diagnostics: &[Diagnostic], places: Places) -> String {
        let mut out = Vec::new();
        warn(&mut out, "s.yaml", diagnostics, places).expect("write");
        String::from_utf8(out).expect("utf-8")
    }

    const FIRST: Places = Places::First {
        how_to_list_all: Some("--verbose lists all"),
    };

    #[test]
    fn few_places_are_all_named_on_one_line() {
        let diagnostics = [
            diagnostic("none", &[]),
            diagnostic("one", &["/a"]),
            diagnostic("three", &["/a", "/b", "/c"]),
        ];
        let expected = "warning: s.yaml: none\n\
                        warning: s.yaml: one (at /a)\n\
                        warning: s.yaml: three (3 places: /a, /b, /c)\n";
        assert_eq!(rendered(&diagnostics, FIRST), expected);
    }

    #[test]
    fn many_places_are_counted_and_the_first_three_named() {
        let diagnostics = [diagnostic("bad\nref", &["/a", "/b", "/c", "/d", "/e"])];
        assert_eq!(
            rendered(&diagnostics, FIRST),
            "warning: s.yaml: bad ref (5 places, first: /a, /b, /c, …; --verbose lists all)\n"
        );
        let no_hint = Places::First {
            how_to_list_all: None,
        };
        assert_eq!(
            rendered(&diagnostics, no_hint),
            "warning: s.yaml: bad ref (5 places, first: /a, /b, /c, …)\n"
        );
        assert_eq!(
            rendered(&diagnostics, Places::All),
            "warning: s.yaml: bad ref (5 places):\n    /a\n    /b\n    /c\n    /d\n    /e\n"
        );
    }

    #[test]
    fn the_same_message_twice_is_one_problem() {
        let diagnostics = [
            diagnostic("x", &["/a", "/b"]),
            diagnostic("y", &["/c"]),
            diagnostic("x", &["/b", "/d"]),
        ];
        assert_eq!(
            rendered(&diagnostics, FIRST),
            "warning: s.yaml: x (3 places: /a, /b, /d)\nwarning: s.yaml: y (at /c)\n"
        );
    }

    #[test]
    fn json_lines_list_every_place() {
        let mut out = Vec::new();
        let places: Vec<String> = (0..5).map(|i| format!("/p{i}")).collect();
        let many = Diagnostic {
            message: "m \"q\"".to_owned(),
            pointers: places,
        };
        warn_json(&mut out, "s.yaml", &[many, diagnostic("n", &[])]).expect("write");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "{\"spec\":\"s.yaml\",\"message\":\"m \\\"q\\\"\",\"places\":[\"/p0\",\"/p1\",\"/p2\",\"/p3\",\"/p4\"]}\n\
             {\"spec\":\"s.yaml\",\"message\":\"n\",\"places\":[]}\n"
        );
    }
}
