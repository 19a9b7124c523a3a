//! A big spec text parsed in pieces on several threads: parsing was most of loading, on one core.
//! JSON is cut by serde_json itself ([`parse_json`]); YAML as follows.
//!
//! A big YAML document is cut only at lines that start a mapping key at the top level, or one
//! level below inside a top-level mapping (`definitions:`, `paths:`), which that mapping's key line
//! then heads again. Across such a cut YAML carries no state but anchors, and an alias whose anchor is
//! in another piece fails that piece. Whenever anything is unusual (a directive, a second document,
//! a piece that fails or is not a mapping, a key two pieces both hold), [`parse`] gives up and the
//! caller parses the whole text, so the value is always the whole parse's value and every error
//! message (with its line) is the whole document's.

use std::ops::Range;

use serde::Deserializer as _;
use serde::de::{MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::parallel;

/// Below this size one parser beats starting several.
const MIN_TEXT: usize = 64 * 1024;
/// Pieces per thread: several, so that the threads' shares even out.
const PIECES_PER_THREAD: usize = 4;

/// The size of a piece of `text`, or `None` when one parser is as fast (a small text, one core).
fn piece_len(text: &str) -> Option<usize> {
    let threads = parallel::threads_for(usize::MAX);
    (threads >= 2 && text.len() >= MIN_TEXT).then(|| text.len() / (threads * PIECES_PER_THREAD))
}

/// Parses `text` in pieces with `parse_piece` (which parses one YAML text, `None` on any error) on
/// worker threads and joins them. `None`: not worth it, or not safely cut; parse the whole text.
pub(super) fn parse(
    text: &str,
    parse_piece: impl Fn(&str) -> Option<Value> + Sync,
) -> Option<Value> {
    let pieces = cut(text, piece_len(text)?)?;
    if pieces.len() < 2 {
        return None;
    }
    let values = parallel::map_in_order(pieces.iter().collect(), |piece| {
        let body = &text[piece.body.clone()];
        match piece.parent {
            None => parse_piece(body),
            Some((_, key_line)) => parse_piece(&format!("{key_line}{body}")),
        }
    })?;
    join(&pieces, values.into_iter().collect::<Option<_>>()?)
}

/// A run of whole top-level entries, or a run of the entries of one top-level mapping.
#[derive(Debug, Clone, PartialEq)]
struct Piece<'a> {
    /// For nested entries: which top-level entry they belong to, and its key line (with `\n`).
    parent: Option<(usize, &'a str)>,
    body: Range<usize>,
}

/// Cuts `text` into pieces of about `size` bytes. `None` when the text is not a plain block
/// mapping at the top (a directive, `---`, a flow mapping, a byte-order mark).
fn cut(text: &str, size: usize) -> Option<Vec<Piece<'_>>> {
    let mut pieces: Vec<Piece<'_>> = Vec::new();
    for (index, entry) in top_level_entries(text)?.into_iter().enumerate() {
        let nested = (entry.body.len() > size)
            .then(|| nested_entries(text, &entry))
            .flatten();
        let units = match nested {
            Some((key_line, ranges)) => ranges
                .into_iter()
                .map(|body| Piece {
                    parent: Some((index, key_line)),
                    body,
                })
                .collect(),
            None => vec![Piece {
                parent: None,
                body: entry.body,
            }],
        };
        for unit in units {
            match pieces.last_mut() {
                Some(last)
                    if last.parent.map(|p| p.0) == unit.parent.map(|p| p.0)
                        && last.body.end == unit.body.start
                        && last.body.len() < size =>
                {
                    last.body.end = unit.body.end;
                }
                _ => pieces.push(unit),
            }
        }
    }
    Some(pieces)
}

/// A top-level entry: its lines, and whether any line after the key line is at column 0 (a
/// compact sequence, a merge key), which rules out cutting inside it.
struct Entry {
    body: Range<usize>,
    flat: bool,
}

/// The top-level entries, each from its key line to the next one. Blank and comment lines before
/// the first key belong to it.
fn top_level_entries(text: &str) -> Option<Vec<Entry>> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut opened = false;
    for (start, line) in lines(text, 0..text.len()) {
        let Some(&first) = line.as_bytes().first() else {
            continue;
        };
        if first == b' ' || is_blank_or_comment(line) {
            continue;
        }
        // A bare `---` may open the document (it goes with the first piece); a second document,
        // an end marker, a directive or a tab is not cut.
        if line.trim_end() == "---" && entries.is_empty() && !opened {
            opened = true;
            continue;
        }
        if line.starts_with("---") || line.starts_with("...") || first == b'%' || first == b'\t' {
            return None;
        }
        if !starts_key(first) {
            // Inside the entry above (or, before any key, not a block mapping at all).
            entries.last_mut()?.flat = true;
            continue;
        }
        let start = match entries.last_mut() {
            Some(last) => {
                last.body.end = start;
                start
            }
            None => 0,
        };
        entries.push(Entry {
            body: start..text.len(),
            flat: false,
        });
    }
    Some(entries)
}

/// The children of a top-level entry written as `key:` and an indented block mapping: its key line
/// and the children's byte ranges (comments before the first child belong to it). `None` when the
/// entry is anything else or has fewer than two children.
fn nested_entries<'a>(text: &'a str, entry: &Entry) -> Option<(&'a str, Vec<Range<usize>>)> {
    if entry.flat {
        return None;
    }
    let mut lines = lines(text, entry.body.clone());
    // The first entry also holds the document's leading comments.
    let (key_start, key_line) = lines.find(|(_, line)| !is_blank_or_comment(line))?;
    if !key_line.ends_with('\n') || !key_line.trim_end().ends_with(':') {
        return None; // A value, an anchor or a tag on the key line.
    }
    let mut indent = None;
    let mut starts: Vec<usize> = Vec::new();
    for (start, line) in lines {
        if is_blank_or_comment(line) {
            continue;
        }
        let spaces = line.len() - line.trim_start_matches(' ').len();
        let indent = *indent.get_or_insert(spaces);
        if spaces == indent && line.as_bytes().get(spaces).copied().is_some_and(starts_key) {
            starts.push(start);
        } else if starts.is_empty() {
            return None; // A sequence or a scalar, not a block mapping.
        }
    }
    if starts.len() < 2 {
        return None;
    }
    starts[0] = key_start + key_line.len();
    let ends = starts[1..].iter().copied().chain([entry.body.end]);
    let children = starts.iter().zip(ends).map(|(&start, end)| start..end);
    Some((key_line, children.collect()))
}

/// The lines of `text[range]` (each with its `\n`) and where each starts in `text`.
fn lines(text: &str, range: Range<usize>) -> impl Iterator<Item = (usize, &str)> {
    let from = range.start;
    text[range]
        .split_inclusive('\n')
        .scan(from, |offset, line| {
            let start = *offset;
            *offset += line.len();
            Some((start, line))
        })
}

/// Where a plain or quoted mapping key can start (conservatively: other keys are not cut at).
fn starts_key(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'$' | b'/' | b'"' | b'\'')
}

fn is_blank_or_comment(line: &str) -> bool {
    let content = line.trim_start_matches([' ', '\r', '\n']);
    content.is_empty() || content.starts_with('#')
}

/// Joins the pieces' values into the document's value, in order. `None` when a piece is not the
/// mapping it should be or a key is held twice (the whole parse reports duplicates).
fn join(pieces: &[Piece<'_>], values: Vec<Value>) -> Option<Value> {
    let mut document = Map::new();
    let mut open: Option<usize> = None;
    for (piece, value) in pieces.iter().zip(values) {
        let Value::Object(map) = value else {
            return None;
        };
        match piece.parent {
            None => {
                open = None;
                for (key, value) in map {
                    insert_new(&mut document, key, value)?;
                }
            }
            Some((entry, _)) => {
                let mut only = map.into_iter();
                let (Some((key, Value::Object(children))), None) = (only.next(), only.next())
                else {
                    return None;
                };
                if open == Some(entry) {
                    let Some(Value::Object(siblings)) = document.get_mut(&key) else {
                        return None;
                    };
                    for (key, value) in children {
                        insert_new(siblings, key, value)?;
                    }
                } else {
                    insert_new(&mut document, key, Value::Object(children))?;
                    open = Some(entry);
                }
            }
        }
    }
    Some(Value::Object(document))
}

fn insert_new(map: &mut Map<String, Value>, key: String, value: Value) -> Option<()> {
    if map.contains_key(&key) {
        return None;
    }
    map.insert(key, value);
    Some(())
}

/// A big JSON text parsed in pieces: serde_json reads the top-level object, and each of its values
/// that is a big object, as raw slices (text, no tree), and every slice is parsed with
/// `parse_piece` on worker threads. `None`: not worth it, not an object, a key held twice or a
/// slice that fails; the caller parses the whole text, which reports any error.
pub(super) fn parse_json(
    text: &str,
    parse_piece: impl Fn(&str) -> Option<Value> + Sync,
) -> Option<Value> {
    let size = piece_len(text)?;
    let mut sections: Vec<Section<'_>> = Vec::new();
    for (key, raw) in raw_entries(text)? {
        let children = (raw.get().len() > size)
            .then(|| raw_entries(raw.get()))
            .flatten()
            .filter(|children| children.len() >= 2);
        let units = match children {
            Some(children) => children.into_iter().map(|(k, v)| (Some(k), v)).collect(),
            None => vec![(None, raw)],
        };
        sections.push((key, units));
    }
    let raws: Vec<&RawValue> = sections
        .iter()
        .flat_map(|(_, units)| units.iter().map(|&(_, raw)| raw))
        .collect();
    let mut values = parallel::map_in_order(raws, |raw| parse_piece(raw.get()))?.into_iter();
    let mut document = Map::new();
    for (key, units) in sections {
        let value = match units.first() {
            Some((Some(_), _)) => {
                let mut children = Map::new();
                for (child, _) in units {
                    insert_new(&mut children, child?, values.next()??)?;
                }
                Value::Object(children)
            }
            _ => values.next()??,
        };
        insert_new(&mut document, key, value)?;
    }
    Some(Value::Object(document))
}

/// A top-level key and its value's raw slices: the value whole (no child key), or its children.
type Section<'a> = (String, Vec<(Option<String>, &'a RawValue)>);

/// The entries of the JSON object `text`, values as raw slices, in order (keys twice included).
fn raw_entries(text: &str) -> Option<Vec<(String, &RawValue)>> {
    struct Entries;

    impl<'de> Visitor<'de> for Entries {
        type Value = Vec<(String, &'de RawValue)>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut entries = Vec::new();
            while let Some(entry) = map.next_entry()? {
                entries.push(entry);
            }
            Ok(entries)
        }
    }

    let mut de = serde_json::Deserializer::from_str(text);
    let entries = de.deserialize_map(Entries).ok()?;
    de.end().ok()?;
    Some(entries)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::parse::{json_piece, yaml_piece};
    use super::*;

    /// `parse` without the size and core-count thresholds, pieces parsed one after another.
    fn in_pieces(text: &str, size: usize) -> Option<Value> {
        let pieces = cut(text, size)?;
        let values = pieces.iter().map(|piece| {
            let body = &text[piece.body.clone()];
            match piece.parent {
                None => yaml_piece(body),
                Some((_, key_line)) => yaml_piece(&format!("{key_line}{body}")),
            }
        });
        join(&pieces, values.collect::<Option<_>>()?)
    }

    fn piece_count(text: &str, size: usize) -> usize {
        cut(text, size).map_or(0, |pieces| pieces.len())
    }

    const DOC: &str = "# leading comment\n\
        swagger: '2.0'\n\
        info:\n  title: t\n  version: '1'\n\
        paths:\n  # a comment before the first path\n  /a:\n    get: {operationId: A}\n\n  /b:\n    post:\n      description: |\n        two\n        lines\n  \"/c\":\n    get: {operationId: C}\n\
        tags:\n- name: x\n- name: y\n\
        definitions:\n    A:\n        type: object\n        properties:\n            b: {$ref: '#/definitions/B'}\n    B:\n        <<: {type: string}\n        enum: [x, y]\n    'C': {}\n";

    #[test]
    fn every_cut_gives_the_whole_parse() {
        let whole = yaml_piece(DOC);
        assert!(whole.is_some());
        for size in [1, 20, 60, 120, 1000] {
            assert_eq!(in_pieces(DOC, size), whole, "pieces of {size} bytes");
        }
        assert!(piece_count(DOC, 1) >= 8, "{:?}", cut(DOC, 1));
        let crlf = DOC.replace('\n', "\r\n");
        assert_eq!(in_pieces(&crlf, 1), yaml_piece(&crlf));
        assert!(piece_count(&crlf, 1) >= 8);
    }

    #[test]
    fn the_real_spec_in_pieces_is_the_whole_parse() {
        let text = real_spec();
        let whole = yaml_piece(text);
        assert!(whole.is_some());
        for size in [2_000, 25_000, 100_000] {
            assert!(piece_count(text, size) > 2, "{size}");
            assert!(in_pieces(text, size) == whole, "pieces of {size} bytes");
        }
    }

    #[test]
    fn nested_pieces_are_cut_only_at_their_own_indentation() {
        let pieces = cut(DOC, 1).unwrap_or_default();
        let nested: Vec<&str> = pieces
            .iter()
            .filter(|p| p.parent.is_some())
            .map(|p| {
                DOC[p.body.clone()]
                    .trim_start()
                    .split(':')
                    .next()
                    .unwrap_or("")
            })
            .collect();
        assert_eq!(
            nested,
            [
                "title",
                "version",
                "# a comment before the first path\n  /a",
                "/b",
                "\"/c\"",
                "A",
                "B",
                "'C'"
            ]
        );
        // `tags` has a compact sequence at column 0: kept whole.
        assert!(pieces.iter().any(|p| p.parent.is_none()
            && DOC[p.body.clone()].starts_with("tags:\n- name: x\n- name: y\n")));
    }

    #[test]
    fn what_cannot_be_cut_safely_is_left_to_the_whole_parse() {
        let refused = [
            // An alias to an anchor in another piece.
            "a: &x {k: 1}\nb: *x\n",
            // The same top-level key twice (the whole parse reports it).
            "a: 1\nb: 2\na: 3\n",
            // The same nested key in two pieces.
            "d:\n  x: 1\n  y: 2\n  x: 3\n",
            // A quoted scalar running over a line that looks like a key.
            "a: \"one\nb: two\"\nc: 1\n",
            // A flow mapping running over lines.
            "a: {x: 1,\ny: 2}\nc: 1\n",
        ];
        for text in refused {
            assert_eq!(in_pieces(text, 1), None, "{text:?}");
        }
        assert!(piece_count("---\na: 1\nb: 2\n", 1) == 2);
        for text in [
            "%YAML 1.2\n---\na: 1\nb: 2\n",
            "a: 1\n---\nb: 2\n",
            "--- !tag\na: 1\nb: 2\n",
            "a: 1\nb: 2\n...\n",
            "{a: 1,\nb: 2}\n",
            "\ta: 1\nb: 2\n",
        ] {
            assert_eq!(cut(text, 1), None, "{text:?}");
        }
    }

    /// [`parse_json`] on one thread (never cut: `None`) and on four (cut, whatever this machine
    /// has): the value at four, after checking that one thread leaves the text to the whole parse.
    fn json_in_pieces(text: &str) -> Option<Value> {
        let padded = format!("{text}{}", " ".repeat(MIN_TEXT));
        assert_eq!(
            parallel::with_threads(1, || parse_json(&padded, json_piece)),
            None
        );
        parallel::with_threads(4, || parse_json(&padded, json_piece))
    }

    fn real_spec() -> &'static str {
        include_str!("../../../spec/justap.yaml")
    }

    #[test]
    fn json_in_pieces_is_the_whole_parse() {
        let text = serde_json::to_string_pretty(&yaml_piece(real_spec())).unwrap_or_default();
        let whole: Option<Value> = serde_json::from_str(&text).ok();
        assert!(whole.is_some());
        assert_eq!(json_in_pieces(&text), whole);
        // Keys with escapes, and a small document padded past the threshold.
        let small =
            r#"{"a\u00e9": {"x": 1, "y\n": [1.5, null]}, "b": {"p": {}, "q": "s"}, "c": 3}"#;
        let expected =
            json!({"a\u{e9}": {"x": 1, "y\n": [1.5, null]}, "b": {"p": {}, "q": "s"}, "c": 3});
        assert_eq!(json_in_pieces(small), Some(expected));
    }

    #[test]
    fn json_that_cannot_be_cut_safely_is_left_to_the_whole_parse() {
        let pad = " ".repeat(MIN_TEXT);
        // The same shapes without the fault are cut, so a `None` below is the fault's doing.
        for (good, expected) in [
            (
                format!(r#"{{"a": 1, "b": 2}}{pad}"#),
                json!({"a": 1, "b": 2}),
            ),
            (
                format!(r#"{{"d": {{"x": {pad}1, "y": 2, "z": 3}}}}"#),
                json!({"d": {"x": 1, "y": 2, "z": 3}}),
            ),
        ] {
            let cut = parallel::with_threads(4, || parse_json(&good, json_piece));
            assert_eq!(cut, Some(expected), "{}", good.trim());
        }
        for text in [
            // A key twice, at the top and one level down.
            format!(r#"{{"a": 1, "a": 2}}{pad}"#),
            format!(r#"{{"d": {{"x": {pad}1, "y": 2, "x": 3}}}}"#),
            // Not an object; not JSON.
            format!("[1, 2]{pad}"),
            format!("{{a: 1}}{pad}"),
        ] {
            for threads in [1, 4] {
                let cut = parallel::with_threads(threads, || parse_json(&text, json_piece));
                assert_eq!(cut, None, "{threads} threads: {}", text.trim());
            }
        }
    }

    #[test]
    fn the_real_spec_is_parsed_in_pieces_on_four_threads() {
        let whole = yaml_piece(real_spec());
        assert!(whole.is_some());
        // One thread: one parser is as fast, so the caller parses the whole text.
        assert_eq!(parallel::with_threads(1, || piece_len(real_spec())), None);
        assert_eq!(
            parallel::with_threads(1, || parse(real_spec(), yaml_piece)),
            None
        );
        let size = parallel::with_threads(4, || piece_len(real_spec()));
        assert_eq!(size, Some(real_spec().len() / 16));
        assert!(piece_count(real_spec(), real_spec().len() / 16) >= 8);
        let cut = parallel::with_threads(4, || parse(real_spec(), yaml_piece));
        assert!(cut.is_some(), "cut in pieces");
        assert!(cut == whole, "the pieces give the whole parse");
    }

    #[test]
    fn small_texts_are_not_cut() {
        assert_eq!(parse("a: 1\nb: 2\n", yaml_piece), None);
        assert_eq!(
            in_pieces("a: 1\nb: {c: 2}\n", 1),
            Some(json!({"a": 1, "b": {"c": 2}}))
        );
    }
}
