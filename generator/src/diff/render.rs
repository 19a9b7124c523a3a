//! Text: a type's wire form (its Rust text is [`RustType`]'s) and the human-readable report.

use std::fmt::Write as _;

use super::Report;
use crate::ir::{IntJson, RustType, TypeRef};

/// A type's Rust text with the wire form of the integer in it: `Vec<i64 (JSON string)>`. Two types
/// with the same Rust text differ only there. A `TypeRef` holds at most one other type, so its
/// scalar ends the text, before the closing `>`s.
pub(super) fn wire_text(rust: &RustType, ty: &TypeRef) -> String {
    let mut text = rust.to_string();
    if let TypeRef::Int(int) = ty.innermost() {
        let form = match int.json {
            IntJson::Number => " (JSON number)",
            IntJson::String => " (JSON string)",
        };
        text.insert_str(text.trim_end_matches('>').len(), form);
    }
    text
}

/// `a, b, c` of at most `limit` names, then `and N more`.
pub(super) fn name_list<'a>(names: impl IntoIterator<Item = &'a str>, limit: usize) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    let mut text = names.get(..limit).unwrap_or(&names).join(", ");
    if names.len() > limit {
        let _ = write!(text, " and {} more", names.len() - limit);
    }
    text
}

/// One line per change, whatever the spec put in a name: control characters are escaped.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().collect()
            } else {
                c.to_string()
            }
        })
        .collect()
}

pub(super) fn report_text(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} breaking, {} compatible — suggested version bump: {}",
        report.breaking,
        report.compatible,
        report.bump.name()
    );
    if report.changes.is_empty() {
        out.push_str("No API changes.\n");
        return out;
    }
    let _ = writeln!(out, "{} → {}", one_line(&report.old), one_line(&report.new));
    for (title, breaking) in [("Breaking:", true), ("Compatible:", false)] {
        let mut group = report
            .changes
            .iter()
            .filter(|c| c.breaking == breaking)
            .peekable();
        if group.peek().is_none() {
            continue;
        }
        let _ = writeln!(out, "\n{title}");
        for change in group {
            let _ = writeln!(
                out,
                "  - [{}] {}: {}",
                change.area.label(),
                one_line(&change.subject),
                one_line(&change.detail)
            );
        }
    }
    out
}
