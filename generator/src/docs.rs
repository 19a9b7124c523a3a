//! Spec prose → doc lines that rustdoc renders without warnings and never runs as doctests.
//!
//! The spec's Markdown is kept as written wherever rustdoc agrees with it. What is changed is only what
//! rustdoc would misread: code blocks get a `text` tag (untagged blocks are Rust doctests), and outside
//! code, brackets, angle brackets and bare URLs are escaped or wrapped (intra-doc links, HTML tags,
//! `bare_urls`). The block structure is tracked closely enough (paragraphs, list items, fences,
//! indented code) that every escape lands where rustdoc sees text and no code block is missed.

use std::collections::BTreeMap;

use crate::ir::Docs;

/// Doc lines for an item: title, description, then the server default, as separate paragraphs.
pub(crate) fn doc_lines(docs: &Docs) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let title = docs.title.as_deref();
    if let Some(title) = title {
        paragraphs.push(markdown_lines(title));
    }
    if let Some(description) = docs.description.as_deref() {
        // protoc-gen-openapiv2 often repeats the title as the description.
        if title.map(str::trim) != Some(description.trim()) {
            paragraphs.push(markdown_lines(description));
        }
    }
    if let Some(default) = docs.default.as_deref() {
        // JSON text: whitespace outside strings is insignificant, and inside strings it is escaped.
        let default: String = default
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let default = default.trim();
        if !default.is_empty() {
            paragraphs.push(vec![format!("Server default: {}", code_span(default))]);
        }
    }

    let mut lines = Vec::new();
    for paragraph in paragraphs.into_iter().filter(|p| !p.is_empty()) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(paragraph);
    }
    lines
}

/// Sanitized Markdown, one entry per line, ready to be written as `#[doc = " <line>"]`.
pub(crate) fn markdown_lines(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| {
            line.chars()
                .flat_map(|c| {
                    // Tabs become spaces so indentation is counted one way; other control characters
                    // have no place in a doc attribute.
                    let (c, n) = match c {
                        '\t' => (' ', 4),
                        c if c.is_control() => (' ', 1),
                        c => (c, 1),
                    };
                    std::iter::repeat_n(c, n)
                })
                .collect::<String>()
                .trim_end()
                .to_owned()
        })
        .collect();
    // Indentation shared by every line is an accident of the spec (`"\t单品的退款数量"`), not a code
    // block: drop it before reading the markdown.
    let common = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut renderer = Renderer::default();
    for line in &lines {
        renderer.line(line.get(common..).unwrap_or(""));
    }
    renderer.finish()
}

#[derive(Default)]
struct Renderer {
    out: Vec<String>,
    /// Content indents of the open list items, innermost last (strictly increasing).
    lists: Vec<usize>,
    block: Block,
    /// The open paragraph: each line's verbatim prefix (indent, list marker) and its inline text.
    /// Kept whole because code spans and links may cross line breaks.
    para: Vec<(String, String)>,
}

#[derive(Default)]
enum Block {
    #[default]
    Flow,
    Fenced(Fence),
    Indented(IndentedCode),
}

struct Fence {
    ch: u8,
    len: usize,
    /// Indent of the opening fence line, reused for a closing fence the text forgot.
    indent: usize,
    /// Content indent of the list item holding the fence; a less indented line ends both.
    base: usize,
}

/// An indented code block, buffered so its fence can outgrow any backtick run inside it.
struct IndentedCode {
    base: usize,
    /// What precedes the opening fence: indentation, or the list marker the block started on.
    first: String,
    /// Lines with the container indent and the 4 code spaces removed.
    lines: Vec<String>,
}

impl Renderer {
    fn line(&mut self, line: &str) {
        match &mut self.block {
            Block::Flow => {}
            Block::Fenced(fence) => {
                let indent = indent_of(line);
                if line.is_empty() || indent >= fence.base {
                    if !line.is_empty()
                        && indent - fence.base <= 3
                        && closes(&line[indent..], fence)
                    {
                        self.block = Block::Flow;
                    }
                    self.out.push(line.to_owned());
                    return;
                }
                // Left of the list item holding the fence: the item, and the fence with it, ended.
                self.block = Block::Flow;
            }
            Block::Indented(code) => {
                if line.is_empty() {
                    code.lines.push(String::new());
                    return;
                }
                if indent_of(line) >= code.base + 4 {
                    code.lines.push(line[code.base + 4..].to_owned());
                    return;
                }
                self.close_indented();
            }
        }

        if line.is_empty() {
            self.flush_para();
            self.out.push(String::new());
            return;
        }
        let indent = indent_of(line);
        let matched = self.lists.iter().take_while(|&&w| w <= indent).count();
        self.block_start(line, matched);
    }

    /// Handles a non-blank line inside the first `matched` open list items.
    fn block_start(&mut self, line: &str, matched: usize) {
        // A line may open nested items (`- 1. x`); each marker is peeled off in turn, in a loop
        // rather than recursion so no input can exhaust the stack.
        let (mut pos, mut matched) = (0, matched);
        while let Some(content) = self.block_part(line, pos, matched) {
            pos = content;
            matched = self.lists.len();
        }
    }

    /// Handles the part of `line` from `pos` on; everything before `pos` (list markers already
    /// handled) is kept verbatim. Returns where an item's content starts if `pos` held a marker.
    fn block_part(&mut self, line: &str, pos: usize, matched: usize) -> Option<usize> {
        let indent = pos + indent_of(&line[pos..]);
        let base = matched.checked_sub(1).map_or(0, |i| self.lists[i]);
        let rest = &line[indent..];

        if indent >= base + 4 {
            if self.para.is_empty() {
                self.lists.truncate(matched);
                self.block = Block::Indented(IndentedCode {
                    base,
                    first: line[..base].to_owned(),
                    lines: vec![line[base + 4..].to_owned()],
                });
            } else {
                // Indented code cannot interrupt a paragraph: this is a continuation line.
                self.para.push((line[..indent].to_owned(), rest.to_owned()));
            }
            return None;
        }

        if let Some((ch, len, opener)) = fence_open(rest) {
            self.flush_para();
            self.lists.truncate(matched);
            self.out.push(format!("{}{opener}", &line[..indent]));
            self.block = Block::Fenced(Fence {
                ch,
                len,
                indent,
                base,
            });
            return None;
        }

        if let Some(hashes) = atx_heading(rest) {
            self.flush_para();
            self.lists.truncate(matched);
            self.para.push((
                line[..indent + hashes].to_owned(),
                rest[hashes..].to_owned(),
            ));
            self.flush_para();
            return None;
        }

        let underline =
            !self.para.is_empty() && matched == self.lists.len() && is_setext_underline(rest);
        if underline || is_thematic_break(rest) {
            self.flush_para();
            self.lists.truncate(matched);
            self.out.push(line.to_owned());
            return None;
        }

        if let Some(marker) = list_marker(rest) {
            // CommonMark: only a non-empty item numbered 1 (or a bullet) may interrupt a paragraph.
            let interrupts = !self.para.is_empty() && matched == self.lists.len();
            if !interrupts || (!marker.empty && marker.starts_at_one) {
                self.flush_para();
                self.lists.truncate(matched);
                let content = indent + marker.content_offset;
                self.lists.push(content);
                if marker.empty {
                    self.out.push(line.to_owned());
                    return None;
                }
                // The item's first line may itself open a fence, a heading or a nested item.
                return Some(content);
            }
        }

        if self.para.is_empty() {
            self.lists.truncate(matched);
        }
        self.para.push((line[..indent].to_owned(), rest.to_owned()));
        None
    }

    fn flush_para(&mut self) {
        if self.para.is_empty() {
            return;
        }
        let joined: Vec<&str> = self.para.iter().map(|(_, text)| text.as_str()).collect();
        let clean = inline(&joined.join("\n"));
        // `inline` never adds or removes a line break, so the lines pair up again.
        for ((prefix, _), text) in self.para.drain(..).zip(clean.split('\n')) {
            self.out.push(prefix + text);
        }
    }

    fn close_indented(&mut self) {
        let code = match std::mem::take(&mut self.block) {
            Block::Indented(code) => code,
            other => {
                self.block = other;
                return;
            }
        };
        let mut lines = code.lines;
        let mut trailing_blanks = 0;
        while lines.last().is_some_and(String::is_empty) {
            lines.pop();
            trailing_blanks += 1;
        }
        let longest = lines
            .iter()
            .map(|l| longest_run(l, b'`'))
            .max()
            .unwrap_or(0);
        let fence = "`".repeat(longest.max(2) + 1);
        let pad = " ".repeat(code.base);
        self.out.push(format!("{}{fence}text", code.first));
        for line in lines {
            self.out.push(if line.is_empty() {
                line
            } else {
                format!("{pad}{line}")
            });
        }
        self.out.push(format!("{pad}{fence}"));
        self.out
            .extend(std::iter::repeat_n(String::new(), trailing_blanks));
    }

    fn finish(mut self) -> Vec<String> {
        self.flush_para();
        self.close_indented();
        if let Block::Fenced(fence) = &self.block {
            let closing = char::from(fence.ch).to_string().repeat(fence.len);
            self.out
                .push(format!("{}{closing}", " ".repeat(fence.indent)));
        }
        let mut out = self.out;
        let end = out.iter().rposition(|l| !l.is_empty()).map_or(0, |i| i + 1);
        out.truncate(end);
        let start = out.iter().position(|l| !l.is_empty()).unwrap_or(out.len());
        out.drain(..start);
        out
    }
}

fn indent_of(line: &str) -> usize {
    line.bytes().take_while(|&b| b == b' ').count()
}

fn longest_run(s: &str, ch: u8) -> usize {
    s.as_bytes()
        .split(|&b| b != ch)
        .map(<[u8]>::len)
        .max()
        .unwrap_or(0)
}

/// A fence opening line → its character, length and the line rewritten with a safe info string.
fn fence_open(rest: &str) -> Option<(u8, usize, String)> {
    let ch = *rest.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = rest.bytes().take_while(|&b| b == ch).count();
    let info = rest[len..].trim();
    // A backtick in the info string makes the line an inline code span, not a fence.
    if len < 3 || (ch == b'`' && info.contains('`')) {
        return None;
    }
    let info = if is_foreign_language(info) {
        info
    } else {
        "text"
    };
    Some((ch, len, format!("{}{info}", &rest[..len])))
}

fn closes(rest: &str, fence: &Fence) -> bool {
    let run = rest.bytes().take_while(|&b| b == fence.ch).count();
    run >= fence.len && rest[run..].trim().is_empty()
}

/// An info string rustdoc reads as a language other than Rust, so it neither compiles the block
/// nor warns about the tag. Anything else, Rust-looking attributes included, becomes `text`.
fn is_foreign_language(info: &str) -> bool {
    let word = info.starts_with(|c: char| c.is_ascii_alphabetic())
        && info
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-+#.".contains(c));
    if !word {
        return false;
    }
    let tag = info.to_ascii_lowercase();
    let error_code =
        tag.len() == 5 && tag.starts_with('e') && tag[1..].bytes().all(|b| b.is_ascii_digit());
    let rust_like = matches!(
        tag.as_str(),
        "rust"
            | "ignore"
            | "no_run"
            | "no-run"
            | "norun"
            | "should_panic"
            | "should-panic"
            | "shouldpanic"
            | "compile_fail"
            | "compile-fail"
            | "compilefail"
            | "test_harness"
            | "test-harness"
            | "testharness"
            | "standalone_crate"
            | "standalone-crate"
            | "custom"
    ) || tag.starts_with("ignore-")
        || tag.starts_with("edition")
        || error_code;
    !rust_like
}

/// Length of the `#` run of an ATX heading.
fn atx_heading(rest: &str) -> Option<usize> {
    let hashes = rest.bytes().take_while(|&b| b == b'#').count();
    let after = &rest[hashes..];
    ((1..=6).contains(&hashes) && (after.is_empty() || after.starts_with(' '))).then_some(hashes)
}

fn is_thematic_break(rest: &str) -> bool {
    let Some(ch) = rest.chars().next().filter(|c| "-*_".contains(*c)) else {
        return false;
    };
    rest.chars().all(|c| c == ch || c == ' ') && rest.chars().filter(|&c| c == ch).count() >= 3
}

fn is_setext_underline(rest: &str) -> bool {
    ['=', '-']
        .into_iter()
        .any(|u| !rest.is_empty() && rest.chars().all(|c| c == u))
}

struct ListMarker {
    /// From the marker's first character to the item's content.
    content_offset: usize,
    empty: bool,
    starts_at_one: bool,
}

fn list_marker(rest: &str) -> Option<ListMarker> {
    let bytes = rest.as_bytes();
    let (width, starts_at_one) = match bytes.first()? {
        b'-' | b'*' | b'+' => (1, true),
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits > 9 || !matches!(bytes.get(digits), Some(b'.' | b')')) {
                return None;
            }
            (digits + 1, rest[..digits].parse::<u32>() == Ok(1))
        }
        _ => return None,
    };
    let after = &rest[width..];
    if after.is_empty() {
        return Some(ListMarker {
            content_offset: width + 1,
            empty: true,
            starts_at_one,
        });
    }
    let spaces = indent_of(after);
    if spaces == 0 {
        return None;
    }
    // Five or more spaces: the content is an indented code block one space after the marker.
    let content_offset = if spaces >= 5 {
        width + 1
    } else {
        width + spaces
    };
    Some(ListMarker {
        content_offset,
        empty: false,
        starts_at_one,
    })
}

/// Inline pass over one paragraph (line breaks included): code spans stay verbatim, the rest is
/// escaped so rustdoc sees neither intra-doc links nor HTML, and bare URLs become autolinks.
fn inline(text: &str) -> String {
    let spans = code_spans(text);
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    inline_range(text, 0, text.len(), &spans, false, &mut out);
    out
}

fn inline_range(
    text: &str,
    mut i: usize,
    end: usize,
    spans: &BTreeMap<usize, usize>,
    link_text: bool,
    out: &mut String,
) {
    let bytes = text.as_bytes();
    while i < end {
        if let Some(&stop) = spans.get(&i) {
            out.push_str(&text[i..stop]);
            i = stop;
            continue;
        }
        let escaped = bytes.get(i + 1).is_some_and(u8::is_ascii_punctuation);
        match bytes[i] {
            b'\\' if escaped => {
                out.push_str(&text[i..i + 2]);
                i += 2;
                continue;
            }
            // An autolink inside link text would nest links, so there it is escaped too.
            b'<' if !link_text => {
                if let Some(stop) = autolink(text, i) {
                    out.push_str(&text[i..stop]);
                    i = stop;
                    continue;
                }
                out.push_str("&lt;");
            }
            b'<' => out.push_str("&lt;"),
            b'>' => out.push_str("&gt;"),
            b'[' if !link_text => {
                if let Some(link) = inline_link(text, i, spans) {
                    out.push('[');
                    inline_range(text, i + 1, link.text_end, spans, true, out);
                    out.push_str("](");
                    out.push_str(&text[link.text_end + 2..link.dest_end]);
                    out.push(')');
                    i = link.dest_end + 1;
                    continue;
                }
                out.push_str("\\[");
            }
            b'[' => out.push_str("\\["),
            b']' => out.push_str("\\]"),
            b'h' | b'H' if !link_text => {
                if let Some(stop) = bare_url(text, i) {
                    out.push('<');
                    out.push_str(&text[i..stop]);
                    out.push('>');
                    i = stop;
                    continue;
                }
                out.push(char::from(bytes[i]));
            }
            _ => {
                let len = text[i..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&text[i..i + len]);
                i += len;
                continue;
            }
        }
        i += 1;
    }
}

/// Code spans as `start → end` byte ranges, backticks included, matched the CommonMark way: a run
/// closes only on a run of the same length; an unmatched run is literal text.
fn code_spans(text: &str) -> BTreeMap<usize, usize> {
    let bytes = text.as_bytes();
    let mut spans = BTreeMap::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => {
                i += if bytes.get(i + 1).is_some_and(u8::is_ascii_punctuation) {
                    2
                } else {
                    1
                }
            }
            // Autolinks bind as tightly as code spans; a backtick inside one opens nothing.
            b'<' => i = autolink(text, i).unwrap_or(i + 1),
            b'`' => {
                let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
                let mut j = i + run;
                let mut close = None;
                while j < bytes.len() {
                    if bytes[j] == b'`' {
                        let other = bytes[j..].iter().take_while(|&&b| b == b'`').count();
                        if other == run {
                            close = Some(j + other);
                            break;
                        }
                        j += other;
                    } else {
                        j += 1;
                    }
                }
                match close {
                    Some(stop) => {
                        spans.insert(i, stop);
                        i = stop;
                    }
                    None => i += run,
                }
            }
            _ => i += 1,
        }
    }
    spans
}

/// End of a CommonMark URI autolink (`<scheme:...>`) starting at `i`.
fn autolink(text: &str, i: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let scheme_start = i + 1;
    if !bytes.get(scheme_start)?.is_ascii_alphabetic() {
        return None;
    }
    let scheme = bytes[scheme_start..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
        .count();
    let colon = scheme_start + scheme;
    if !(2..=32).contains(&scheme) || bytes.get(colon) != Some(&b':') {
        return None;
    }
    for (k, &b) in bytes.iter().enumerate().skip(colon + 1) {
        match b {
            b'>' => return Some(k + 1),
            b'<' | b' ' | 0x7f => return None,
            b if b.is_ascii_control() => return None,
            _ => {}
        }
    }
    None
}

struct InlineLink {
    /// Index of the `]`; the destination starts after the `(` that follows it.
    text_end: usize,
    /// Index of the closing `)`.
    dest_end: usize,
}

/// `[text](url)` starting at `i`, kept only with an absolute URL: any other destination is a
/// path rustdoc would try to resolve as an intra-doc link.
fn inline_link(text: &str, i: usize, spans: &BTreeMap<usize, usize>) -> Option<InlineLink> {
    let bytes = text.as_bytes();
    let mut j = i + 1;
    loop {
        if let Some(&stop) = spans.get(&j) {
            j = stop;
            continue;
        }
        match bytes.get(j)? {
            b'\\' if bytes.get(j + 1).is_some_and(u8::is_ascii_punctuation) => j += 2,
            // A nested `[` means this one is literal; the inner one gets its own chance.
            b'[' => return None,
            b']' => break,
            _ => j += 1,
        }
    }
    if bytes.get(j + 1) != Some(&b'(') {
        return None;
    }
    let dest_start = j + 2;
    let mut depth = 0usize;
    let mut k = dest_start;
    loop {
        match *bytes.get(k)? {
            b')' if depth == 0 => break,
            b')' => depth -= 1,
            b'(' => depth += 1,
            b'<' | b'>' | b'`' => return None,
            b if b.is_ascii_whitespace() || b.is_ascii_control() => return None,
            _ => {}
        }
        k += 1;
    }
    let dest = text[dest_start..k].to_ascii_lowercase();
    let absolute = ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| dest.len() > scheme.len() && dest.starts_with(scheme));
    absolute.then_some(InlineLink {
        text_end: j,
        dest_end: k,
    })
}

/// End of a bare `http(s)://` URL at `i`. It stops where Markdown or the prose takes over: at
/// whitespace, brackets, quotes, an unbalanced `)`, or the first non-ASCII character (Chinese
/// text often follows a URL without a space), and drops trailing sentence punctuation.
fn bare_url(text: &str, i: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let scheme = |s: &[u8]| {
        bytes[i..]
            .get(..s.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(s))
    };
    let start = i + if scheme(b"https://") {
        8
    } else if scheme(b"http://") {
        7
    } else {
        return None;
    };
    let mut depth = 0usize;
    let mut k = start;
    while let Some(&b) = bytes.get(k) {
        match b {
            b'(' => depth += 1,
            b')' if depth == 0 => break,
            b')' => depth -= 1,
            b'<' | b'>' | b'[' | b']' | b'"' | b'`' => break,
            b if !b.is_ascii() || b.is_ascii_whitespace() || b.is_ascii_control() => break,
            _ => {}
        }
        k += 1;
    }
    while k > start && matches!(bytes[k - 1], b'.' | b',' | b';' | b':') {
        k -= 1;
    }
    (k > start).then_some(k)
}

/// `s` as one inline code span, with a backtick fence longer than any run inside it.
fn code_span(s: &str) -> String {
    let fence = "`".repeat(longest_run(s, b'`') + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(text: &str) -> Vec<String> {
        markdown_lines(text)
    }

    /// Expected output written as one string, a line per `\n`.
    fn lines(text: &str) -> Vec<String> {
        text.split('\n').map(str::to_owned).collect()
    }

    // Rule 1: fenced code.

    #[test]
    fn fence_without_info_becomes_text() {
        // info.description, section 认证.
        let spec = "Api Key 在使用自定义的 HTTP Header 进行传递。\n\n```\nX-Justap-Api-Key\n```\n\nAPI Key 分为 live 和 test 两种模式。";
        let want = "Api Key 在使用自定义的 HTTP Header 进行传递。\n\n```text\nX-Justap-Api-Key\n```\n\nAPI Key 分为 live 和 test 两种模式。";
        assert_eq!(md(spec), lines(want));
    }

    #[test]
    fn fence_content_is_verbatim() {
        // info.description, section 签名 and 设置HTTP头: brackets, `<`, `+` and URLs stay as written.
        let spec = "签名算法：\n\n```\nbase64Encode(hamc-sha256(md5(请求 body + 请求时间戳 + 一次性随机字符串) + 一次性随机字符串))\n```\n\n```\nX-Justap-Signature: 签名\n[x] <y> https://a.example\n```";
        let want = "签名算法：\n\n```text\nbase64Encode(hamc-sha256(md5(请求 body + 请求时间戳 + 一次性随机字符串) + 一次性随机字符串))\n```\n\n```text\nX-Justap-Signature: 签名\n[x] <y> https://a.example\n```";
        assert_eq!(md(spec), lines(want));
    }

    #[test]
    fn fence_info_rust_like_becomes_text_foreign_kept() {
        for (info, want) in [
            ("", "text"),
            ("rust", "text"),
            ("Rust", "text"),
            ("ignore", "text"),
            ("no_run", "text"),
            ("should_panic", "text"),
            ("compile-fail", "text"),
            ("edition2021", "text"),
            ("E0308", "text"),
            ("ignore-wasm", "text"),
            ("rust,ignore", "text"),
            ("{.class}", "text"),
            ("json", "json"),
            ("go", "go"),
            ("c++", "c++"),
            ("text", "text"),
        ] {
            let spec = format!("```{info}\nlet x = 1;\n```");
            assert_eq!(
                md(&spec),
                [format!("```{want}"), "let x = 1;".into(), "```".into()]
            );
        }
    }

    #[test]
    fn fence_length_and_tildes_are_kept() {
        let spec = "~~~~ no_run\n~~~\n```\n~~~~\n\n````\n```\n````";
        let want = "~~~~text\n~~~\n```\n~~~~\n\n````text\n```\n````";
        assert_eq!(md(spec), lines(want));
    }

    #[test]
    fn unclosed_fence_is_closed() {
        assert_eq!(
            md("例如:\n```\napplication/json"),
            lines("例如:\n```text\napplication/json\n```")
        );
        assert_eq!(md("~~~~\n[x]\n```"), lines("~~~~text\n[x]\n```\n~~~~"));
    }

    #[test]
    fn fence_in_list_item_ends_with_the_item() {
        let spec = "- ```\n  code\nafter [x]\n```";
        // `after` leaves the item, so the fence is over; the last line opens a new one.
        let want = "- ```text\n  code\nafter \\[x\\]\n```text\n```";
        assert_eq!(md(spec), lines(want));
    }

    // Rule 2: indented code.

    #[test]
    fn indented_code_after_blank_line_is_fenced() {
        // protobufAny description, example 1.
        let spec = "Example 1: Pack and unpack a message in C++.\n\n    Foo foo = ...;\n    Any any;\n    any.PackFrom(foo);\n    ...\n    if (any.UnpackTo(&foo)) {\n      ...\n    }\n\nExample 2: Pack and unpack a message in Java.";
        let want = "Example 1: Pack and unpack a message in C++.\n\n```text\nFoo foo = ...;\nAny any;\nany.PackFrom(foo);\n...\nif (any.UnpackTo(&foo)) {\n  ...\n}\n```\n\nExample 2: Pack and unpack a message in Java.";
        assert_eq!(md(spec), lines(want));
    }

    #[test]
    fn indented_code_keeps_inner_blank_lines_and_extra_indent() {
        let spec = "Example:\n\n     foo := &pb.Foo{...}\n\n     if err != nil {\n       ...\n     }\n\n\nJSON";
        let want = "Example:\n\n```text\n foo := &pb.Foo{...}\n\n if err != nil {\n   ...\n }\n```\n\n\nJSON";
        assert_eq!(md(spec), lines(want));
    }

    #[test]
    fn common_indentation_is_dropped() {
        // A real field description (`\t单品的退款数量`): indentation every line shares is an accident
        // of the spec, not an indented code block.
        assert_eq!(md("\t单品的退款数量"), lines("单品的退款数量"));
        assert_eq!(md("    a\n      b"), lines("a\n  b"));
    }

    #[test]
    fn indented_code_after_heading_or_break_is_code() {
        assert_eq!(md("# 签名\n    x()"), lines("# 签名\n```text\nx()\n```"));
        assert_eq!(
            md("Title\n===\n    x()"),
            lines("Title\n===\n```text\nx()\n```")
        );
        assert_eq!(md("***\n    x()"), lines("***\n```text\nx()\n```"));
    }

    #[test]
    fn indented_code_fence_outgrows_backticks_inside() {
        let spec = "Code:\n\n    ```\n    code\n    ```";
        assert_eq!(md(spec), lines("Code:\n\n````text\n```\ncode\n```\n````"));
    }

    #[test]
    fn indented_code_inside_list_item() {
        let spec = "- item\n\n      code [x]\n\n  more [y]";
        let want = "- item\n\n  ```text\n  code [x]\n  ```\n\n  more \\[y\\]";
        assert_eq!(md(spec), lines(want));
        let nested = "* a\n    * b\n\n          code";
        assert_eq!(
            md(nested),
            lines("* a\n    * b\n\n      ```text\n      code\n      ```")
        );
        assert_eq!(md("-     code"), lines("- ```text\n  code\n  ```"));
    }

    #[test]
    fn list_item_continuation_is_not_code() {
        // CommonMark: four spaces after a blank line inside an item indented by two is the item's
        // second paragraph.
        let spec = "- 在请求发送前\n\n    取完整的 [x]\n\n1. one\n\n    two";
        let want = "- 在请求发送前\n\n    取完整的 \\[x\\]\n\n1. one\n\n    two";
        assert_eq!(md(spec), lines(want));
    }

    #[test]
    fn ordered_marker_not_one_cannot_interrupt_a_paragraph() {
        // `2. bar` is paragraph text, so the indented line after the blank is code.
        let spec = "foo\n2. bar\n\n    code";
        assert_eq!(md(spec), lines("foo\n2. bar\n\n```text\ncode\n```"));
    }

    // Rule 3: brackets.

    #[test]
    fn brackets_are_escaped() {
        assert_eq!(md("[REQUIRED] 应用 id"), ["\\[REQUIRED\\] 应用 id"]);
        assert_eq!(
            md("[ONLY IN RESPONSE] 二维码"),
            ["\\[ONLY IN RESPONSE\\] 二维码"]
        );
        assert_eq!(
            md("field. Example (for message [google.protobuf.Duration][]):"),
            ["field. Example (for message \\[google.protobuf.Duration\\]\\[\\]):"]
        );
        assert_eq!(md("[^1] [a]: x ![img]"), ["\\[^1\\] \\[a\\]: x !\\[img\\]"]);
    }

    #[test]
    fn inline_links_with_urls_are_kept() {
        // info.description, section HTTP 状态码 and API列表.
        let spec = "服务器返回的 HTTP 状态码遵循 [RFC 7231](http://tools.ietf.org/html/rfc7231#section-6) 和 [IANA Status Code Registry](http://www.iana.org/assignments/http-status-codes/http-status-codes.xhtml) 标准。\n\n- [申请退款接口](https://www.justap.cn/docs#operation/TradeService_Refunds)";
        assert_eq!(md(spec), lines(spec));
        let image = "![logo](https://www.justap.cn/logo.svg)";
        assert_eq!(md(image), [image]);
    }

    #[test]
    fn links_without_absolute_url_are_escaped() {
        assert_eq!(
            md("[Charge](Charge) [x](/docs) [y]( https://a.example)"),
            ["\\[Charge\\](Charge) \\[x\\](/docs) \\[y\\]( <https://a.example>)"]
        );
        // A `[` inside the text makes the outer bracket literal; the inner link survives.
        assert_eq!(
            md("[a [b](https://b.example)]"),
            ["\\[a [b](https://b.example)\\]"]
        );
    }

    #[test]
    fn link_text_is_sanitized_but_not_autolinked() {
        assert_eq!(
            md("[<b> https://a.example `[c]`](https://a.example)"),
            ["[&lt;b&gt; https://a.example `[c]`](https://a.example)"]
        );
    }

    #[test]
    fn code_spans_are_untouched() {
        // info.description.
        let spec =
            "需要先前往 `商户中心 -> 应用设置 -> 开发参数` 开启 live 模式。 例如： `{charge_id}`";
        assert_eq!(md(spec), [spec]);
        assert_eq!(md("``a `[b]` <c>`` [d]"), ["``a `[b]` <c>`` \\[d\\]"]);
        // A span may cross a line break; an unmatched backtick is literal.
        assert_eq!(
            md("a `b\n[c]` [d] `e [f]"),
            lines("a `b\n[c]` \\[d\\] `e \\[f\\]")
        );
    }

    #[test]
    fn backslash_escapes_are_kept() {
        assert_eq!(md(r"\[a\] \<b\> \`c [d]`"), [r"\[a\] \<b\> \`c \[d\]`"]);
        assert_eq!(md(r"\\[a]"), [r"\\\[a\]"]);
    }

    // Rule 4: bare URLs.

    #[test]
    fn bare_urls_are_wrapped() {
        assert_eq!(
            md("支付宝退款元参数，可参考 https://opendocs.payment_alipay.com/apis/0287wa"),
            ["支付宝退款元参数，可参考 <https://opendocs.payment_alipay.com/apis/0287wa>"]
        );
        assert_eq!(
            md(
                "see https://a.example/x. (http://a.example/y) http://a.example/(z), HTTPS://A.EXAMPLE;"
            ),
            [
                "see <https://a.example/x>. (<http://a.example/y>) <http://a.example/(z)>, <HTTPS://A.EXAMPLE>;"
            ]
        );
    }

    #[test]
    fn bare_url_stops_at_non_ascii_and_brackets() {
        assert_eq!(
            md("地址https://a.example/路径继续"),
            ["地址<https://a.example/>路径继续"]
        );
        assert_eq!(md("[https://a.example]"), ["\\[<https://a.example>\\]"]);
        assert_eq!(md("\"https://a.example\""), ["\"<https://a.example>\""]);
        assert_eq!(md("http:// alone"), ["http:// alone"]);
    }

    #[test]
    fn existing_autolinks_are_kept() {
        assert_eq!(
            md("<https://a.example/x> <mailto:a@b.example>"),
            ["<https://a.example/x> <mailto:a@b.example>"]
        );
        assert_eq!(md("`https://a.example`"), ["`https://a.example`"]);
    }

    // Rule 5: angle brackets.

    #[test]
    fn angle_brackets_are_escaped() {
        // info.description.
        assert_eq!(
            md("<SecurityDefinitions />"),
            ["&lt;SecurityDefinitions /&gt;"]
        );
        assert_eq!(
            md("a <b> c</b> <a@b.example> <x y> 1 > 0"),
            ["a &lt;b&gt; c&lt;/b&gt; &lt;a@b.example&gt; &lt;x y&gt; 1 &gt; 0"]
        );
        assert_eq!(
            md("<https://a.example x>"),
            ["&lt;<https://a.example> x&gt;"]
        );
        // A blockquote marker is a `>` too: the line renders as plain text.
        assert_eq!(md("> quote"), ["&gt; quote"]);
    }

    // Rule 6: continuations and lists.

    #[test]
    fn paragraph_continuation_keeps_its_indent() {
        let spec = "text\n    continuation [x]\n\ttab";
        assert_eq!(md(spec), lines("text\n    continuation \\[x\\]\n    tab"));
    }

    #[test]
    fn list_items_are_unchanged() {
        // tradev1Channel description (its items after the first are indented by one space).
        let spec =
            "- BALANCE: 余额支付\n - AlipayQR: 支付宝扫码支付\n - AlipayScan: 支付宝条码支付";
        assert_eq!(md(spec), lines(spec));
        // protobufAny `@type` description.
        let spec = "* If no scheme is provided, `https` is assumed.\n* An HTTP GET on the URL must yield a [google.protobuf.Type][]\n  value in binary format, or produce an error.";
        let want = "* If no scheme is provided, `https` is assumed.\n* An HTTP GET on the URL must yield a \\[google.protobuf.Type\\]\\[\\]\n  value in binary format, or produce an error.";
        assert_eq!(md(spec), lines(want));
        let spec = "1. 在请求发送前\n2) 生成\n+ 获取\n-\n  - nested";
        assert_eq!(md(spec), lines(spec));
    }

    // Whitespace.

    #[test]
    fn whitespace_is_normalized() {
        let spec = "\n \r\n第一行  \r\n第二行\t\r第三行\u{0}x\n\n \n";
        assert_eq!(md(spec), ["第一行", "第二行", "第三行 x"]);
        assert!(md("").is_empty());
        assert!(md(" \n\t\n").is_empty());
    }

    // doc_lines.

    fn docs(title: Option<&str>, description: Option<&str>, default: Option<&str>) -> Docs {
        Docs {
            title: title.map(str::to_owned),
            description: description.map(str::to_owned),
            default: default.map(str::to_owned),
        }
    }

    #[test]
    fn doc_lines_joins_title_description_default() {
        let d = docs(
            Some("支付渠道枚举值"),
            Some("- BALANCE: 余额支付"),
            Some("\"BALANCE\""),
        );
        assert_eq!(
            doc_lines(&d),
            [
                "支付渠道枚举值",
                "",
                "- BALANCE: 余额支付",
                "",
                "Server default: `\"BALANCE\"`"
            ]
        );
    }

    #[test]
    fn doc_lines_skips_description_equal_to_title() {
        let d = docs(
            Some("[REQUIRED] 应用 id"),
            Some(" [REQUIRED] 应用 id\n"),
            None,
        );
        assert_eq!(doc_lines(&d), ["\\[REQUIRED\\] 应用 id"]);
    }

    #[test]
    fn doc_lines_default_only_and_empty() {
        assert_eq!(
            doc_lines(&docs(None, None, Some("false"))),
            ["Server default: `false`"]
        );
        assert_eq!(
            doc_lines(&docs(None, Some("表明是否已支付"), None)),
            ["表明是否已支付"]
        );
        assert!(doc_lines(&Docs::default()).is_empty());
        assert!(doc_lines(&docs(Some(""), Some("\n"), Some(" "))).is_empty());
    }

    #[test]
    fn doc_lines_default_with_backticks_and_newlines() {
        assert_eq!(
            doc_lines(&docs(None, None, Some("\"a`b\""))),
            ["Server default: ``\"a`b\"``"]
        );
        assert_eq!(
            doc_lines(&docs(None, None, Some("\"`\""))),
            ["Server default: ``\"`\"``"]
        );
        assert_eq!(
            doc_lines(&docs(None, None, Some("`"))),
            ["Server default: `` ` ``"]
        );
        assert_eq!(
            doc_lines(&docs(None, None, Some("{\n  \"a\": 1\n}"))),
            ["Server default: `{   \"a\": 1 }`"]
        );
    }
}

/// Whole spec texts through [`markdown_lines`], compared line for line.
#[cfg(test)]
mod rendering {
    use super::markdown_lines;

    fn render(text: &str) -> String {
        markdown_lines(text).join("\n")
    }

    /// `definitions.protobufAny.description` of spec/justap.yaml.
    const PROTOBUF_ANY: &str = concat!(
        "`Any` contains an arbitrary serialized protocol buffer message along with a\n",
        "URL that describes the type of the serialized message.\n",
        "\n",
        "Protobuf library provides support to pack/unpack Any values in the form\n",
        "of utility functions or additional generated methods of the Any type.\n",
        "\n",
        "Example 1: Pack and unpack a message in C++.\n",
        "\n",
        "    Foo foo = ...;\n",
        "    Any any;\n",
        "    any.PackFrom(foo);\n",
        "    ...\n",
        "    if (any.UnpackTo(&foo)) {\n",
        "      ...\n",
        "    }\n",
        "\n",
        "Example 2: Pack and unpack a message in Java.\n",
        "\n",
        "    Foo foo = ...;\n",
        "    Any any = Any.pack(foo);\n",
        "    ...\n",
        "    if (any.is(Foo.class)) {\n",
        "      foo = any.unpack(Foo.class);\n",
        "    }\n",
        "\n",
        "Example 3: Pack and unpack a message in Python.\n",
        "\n",
        "    foo = Foo(...)\n",
        "    any = Any()\n",
        "    any.Pack(foo)\n",
        "    ...\n",
        "    if any.Is(Foo.DESCRIPTOR):\n",
        "      any.Unpack(foo)\n",
        "      ...\n",
        "\n",
        "Example 4: Pack and unpack a message in Go\n",
        "\n",
        "     foo := &pb.Foo{...}\n",
        "     any, err := anypb.New(foo)\n",
        "     if err != nil {\n",
        "       ...\n",
        "     }\n",
        "     ...\n",
        "     foo := &pb.Foo{}\n",
        "     if err := any.UnmarshalTo(foo); err != nil {\n",
        "       ...\n",
        "     }\n",
        "\n",
        "The pack methods provided by protobuf library will by default use\n",
        "'type.googleapis.com/full.type.name' as the type URL and the unpack\n",
        "methods only use the fully qualified type name after the last '/'\n",
        "in the type URL, for example \"foo.bar.com/x/y.z\" will yield type\n",
        "name \"y.z\".\n",
        "\n",
        "\n",
        "JSON\n",
        "\n",
        "The JSON representation of an `Any` value uses the regular\n",
        "representation of the deserialized, embedded message, with an\n",
        "additional field `@type` which contains the type URL. Example:\n",
        "\n",
        "    package google.profile;\n",
        "    message Person {\n",
        "      string first_name = 1;\n",
        "      string last_name = 2;\n",
        "    }\n",
        "\n",
        "    {\n",
        "      \"@type\": \"type.googleapis.com/google.profile.Person\",\n",
        "      \"firstName\": <string>,\n",
        "      \"lastName\": <string>\n",
        "    }\n",
        "\n",
        "If the embedded message type is well-known and has a custom JSON\n",
        "representation, that representation will be embedded adding a field\n",
        "`value` which holds the custom JSON in addition to the `@type`\n",
        "field. Example (for message [google.protobuf.Duration][]):\n",
        "\n",
        "    {\n",
        "      \"@type\": \"type.googleapis.com/google.protobuf.Duration\",\n",
        "      \"value\": \"1.212s\"\n",
        "    }",
    );

    #[test]
    fn protobuf_any() {
        let want = r#"`Any` contains an arbitrary serialized protocol buffer message along with a
URL that describes the type of the serialized message.

Protobuf library provides support to pack/unpack Any values in the form
of utility functions or additional generated methods of the Any type.

Example 1: Pack and unpack a message in C++.

```text
Foo foo = ...;
Any any;
any.PackFrom(foo);
...
if (any.UnpackTo(&foo)) {
  ...
}
```

Example 2: Pack and unpack a message in Java.

```text
Foo foo = ...;
Any any = Any.pack(foo);
...
if (any.is(Foo.class)) {
  foo = any.unpack(Foo.class);
}
```

Example 3: Pack and unpack a message in Python.

```text
foo = Foo(...)
any = Any()
any.Pack(foo)
...
if any.Is(Foo.DESCRIPTOR):
  any.Unpack(foo)
  ...
```

Example 4: Pack and unpack a message in Go

```text
 foo := &pb.Foo{...}
 any, err := anypb.New(foo)
 if err != nil {
   ...
 }
 ...
 foo := &pb.Foo{}
 if err := any.UnmarshalTo(foo); err != nil {
   ...
 }
```

The pack methods provided by protobuf library will by default use
'type.googleapis.com/full.type.name' as the type URL and the unpack
methods only use the fully qualified type name after the last '/'
in the type URL, for example "foo.bar.com/x/y.z" will yield type
name "y.z".


JSON

The JSON representation of an `Any` value uses the regular
representation of the deserialized, embedded message, with an
additional field `@type` which contains the type URL. Example:

```text
package google.profile;
message Person {
  string first_name = 1;
  string last_name = 2;
}

{
  "@type": "type.googleapis.com/google.profile.Person",
  "firstName": <string>,
  "lastName": <string>
}
```

If the embedded message type is well-known and has a custom JSON
representation, that representation will be embedded adding a field
`value` which holds the custom JSON in addition to the `@type`
field. Example (for message \[google.protobuf.Duration\]\[\]):

```text
{
  "@type": "type.googleapis.com/google.protobuf.Duration",
  "value": "1.212s"
}
```"#;
        assert_eq!(render(PROTOBUF_ANY), want);
    }

    /// Parts of `info.description` of spec/justap.yaml (CRLF to check normalization too).
    #[test]
    fn info_description() {
        let spec = concat!(
            "欢迎阅读 Justap Api 文档\r\n\r\n",
            "**⚠️ 注意**：在使用 live 模式前，需要先前往 `商户中心 -> 应用设置 -> 开发参数` 开启 live 模式。\r\n\r\n",
            "<SecurityDefinitions />\r\n\r\n",
            "## 请求类型\r\n",
            "所有的 API 请求只支持 HTTPS 方式调用。\r\n\r\n",
            "## MIME Type\r\n",
            "MIME 类型用于指示服务器返回的数据格式。服务器目前默认采用 `application/json`。\r\n\r\n",
            "例如:\r\n```\r\napplication/json\r\n```\r\n\r\n",
            "## 参数说明\r\n",
            "请求参数中包含的以下字段释义请参考：\r\n\r\n",
            "- REQUIRED: 必填参数\r\n",
            "- OPTIONAL: 可选参数，可以在请求当前接口时按需传入\r\n\r\n",
            "## 准备\r\n",
            "首先需要在 Justap 创建一个应用，商户需要生成一对 RSA 密钥对，并将公钥配置到 `商户中心 -> 开发配置`。\r\n",
            "RSA 可以使用支付宝提供的 [密钥生成工具](https://opendocs.alipay.com/common/02kipl) 来生成。\r\n\r\n\r\n",
            "# WebHooks\r\n",
        );
        let want = r#"欢迎阅读 Justap Api 文档

**⚠️ 注意**：在使用 live 模式前，需要先前往 `商户中心 -> 应用设置 -> 开发参数` 开启 live 模式。

&lt;SecurityDefinitions /&gt;

## 请求类型
所有的 API 请求只支持 HTTPS 方式调用。

## MIME Type
MIME 类型用于指示服务器返回的数据格式。服务器目前默认采用 `application/json`。

例如:
```text
application/json
```

## 参数说明
请求参数中包含的以下字段释义请参考：

- REQUIRED: 必填参数
- OPTIONAL: 可选参数，可以在请求当前接口时按需传入

## 准备
首先需要在 Justap 创建一个应用，商户需要生成一对 RSA 密钥对，并将公钥配置到 `商户中心 -> 开发配置`。
RSA 可以使用支付宝提供的 [密钥生成工具](https://opendocs.alipay.com/common/02kipl) 来生成。


# WebHooks"#;
        assert_eq!(render(spec), want);
    }

    #[test]
    fn short_field_descriptions() {
        for (spec, want) in [
            ("[REQUIRED] 应用 id", r"\[REQUIRED\] 应用 id"),
            (
                "[OPTIONAL] 渠道名称\n\n - BALANCE: 余额支付\n - AlipayQR: 支付宝扫码支付",
                "\\[OPTIONAL\\] 渠道名称\n\n - BALANCE: 余额支付\n - AlipayQR: 支付宝扫码支付",
            ),
            (
                "[OPTIONAL] 手续费模式，fixed 表示固定金额，rate 表示按比例计算手续费。此参数传手续费比例，0.1 表示 10%",
                r"\[OPTIONAL\] 手续费模式，fixed 表示固定金额，rate 表示按比例计算手续费。此参数传手续费比例，0.1 表示 10%",
            ),
            (
                "微信支付退款元参数，可参考 https://pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter3_1_9.shtml",
                "微信支付退款元参数，可参考 <https://pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter3_1_9.shtml>",
            ),
            ("\t单品的退款数量", "单品的退款数量"),
            ("订单过期时间戳", "订单过期时间戳"),
        ] {
            assert_eq!(render(spec), want, "{spec:?}");
        }
    }
}
