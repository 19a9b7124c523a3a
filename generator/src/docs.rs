//! Spec prose → doc lines that rustdoc renders without warnings and never runs as doctests.
//!
//! The text is parsed with pulldown-cmark, with rustdoc's version and options, so what is edited is
//! exactly what rustdoc would misread; everything else is kept byte for byte. Edits are made to the
//! source ranges of the parser's events: code blocks get a `text` tag (untagged and indented blocks
//! are Rust doctests), literal brackets and angle brackets are escaped (intra-doc links, HTML tags),
//! links without an absolute URL lose their opening bracket (rustdoc would resolve them as paths),
//! and bare URLs become autolinks (`bare_urls`). An edit can change how the text around it parses
//! (an escaped HTML block becomes a paragraph, and may hold a fence; an unlinked `[a](b)` is text
//! with brackets), so cleaning repeats until a pass finds nothing to edit.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::ir::Docs;

/// Doc lines for an item: title, description, then the server default, as separate paragraphs.
pub(crate) fn doc_lines(docs: &Docs) -> Vec<String> {
    let title = docs.title.as_deref();
    // protoc-gen-openapiv2 often repeats the title as the description.
    let description =
        (docs.description.as_deref()).filter(|d| title.map(str::trim) != Some(d.trim()));
    // JSON text: whitespace outside strings is insignificant, and inside strings it is escaped.
    let default = (docs.default.as_deref()).map(|d| d.replace(char::is_control, " "));
    let default = (default.as_deref().map(str::trim)).filter(|d| !d.is_empty());
    let default = default.map(|d| vec![format!("Server default: {}", code_span(d))]);
    let paragraphs = [title, description].map(|text| text.map(markdown_lines));
    let paragraphs = paragraphs.into_iter().chain([default]).flatten();
    let paragraphs: Vec<Vec<String>> = paragraphs.filter(|p| !p.is_empty()).collect();
    paragraphs.join(&String::new())
}

/// Sanitized Markdown, one entry per line, ready to be written as `#[doc = " <line>"]`.
pub(crate) fn markdown_lines(text: &str) -> Vec<String> {
    let mut text = normalize(text);
    // A pass only escapes, tags and closes, so real text settles in one to three; the bound keeps
    // any input from looping.
    for _ in 0..8 {
        match clean(&text) {
            Some(next) => text = next,
            None => break,
        }
    }
    if text.is_empty() {
        return Vec::new();
    }
    text.split('\n').map(str::to_owned).collect()
}

/// Line breaks → `\n`, tabs → 4 spaces (indentation is counted one way), other control characters
/// → a space; no trailing spaces, no leading or trailing blank lines, and no indentation that every
/// line shares: it is an accident of the spec (`"\t单品的退款数量"`), not an indented code block.
fn normalize(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = text
        .replace('\t', "    ")
        .replace(|c: char| c.is_control() && c != '\n', " ");
    let lines: Vec<&str> = text.split('\n').map(str::trim_end).collect();
    let indents = lines.iter().filter(|l| !l.is_empty());
    let common = indents
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min();
    let lines: Vec<&str> = lines
        .iter()
        .map(|l| l.get(common.unwrap_or(0)..).unwrap_or(""))
        .collect();
    lines.join("\n").trim_matches('\n').to_owned()
}

/// One pass: the text with every edit applied, or `None` when nothing needs one.
fn clean(text: &str) -> Option<String> {
    let mut pass = Pass {
        text,
        ..Pass::default()
    };
    for (event, range) in Parser::new_ext(text, rustdoc_options()).into_offset_iter() {
        pass.event(event, range);
    }
    pass.flush();
    let mut out = text.to_owned();
    for (range, with) in pass.edits.iter().rev() {
        out.replace_range(range.clone(), with);
    }
    (!pass.edits.is_empty()).then_some(out)
}

/// rustdoc's `main_body_opts`.
fn rustdoc_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

#[derive(Default)]
struct Pass<'a> {
    text: &'a str,
    /// Replacements in source order, never overlapping.
    edits: Vec<(Range<usize>, String)>,
    /// Adjacent text and HTML not yet escaped: one piece, so a URL split into events stays whole.
    run: Range<usize>,
    /// Open links, innermost last: the kind of a kept one, `None` for one unlinked.
    links: Vec<Option<LinkType>>,
    code: Option<Code>,
}

struct Code {
    /// The content of an indented block; `None` for a fenced one (it stays as it is).
    indented: Option<String>,
    /// End of the content (at first, of the opening line): a fence that ends here was not closed.
    end: usize,
}

impl Pass<'_> {
    fn event(&mut self, event: Event, range: Range<usize>) {
        match event {
            Event::Text(text) if self.code.is_some() => {
                if let Some(code) = &mut self.code {
                    code.indented
                        .iter_mut()
                        .for_each(|content| content.push_str(&text));
                    code.end = range.end;
                }
            }
            Event::Text(_) | Event::Html(_) | Event::InlineHtml(_) => {
                if self.run.end != range.start {
                    self.flush();
                    self.run.start = range.start;
                }
                self.run.end = range.end;
            }
            event => {
                self.flush();
                self.markup(event, range);
            }
        }
    }

    fn markup(&mut self, event: Event, range: Range<usize>) {
        let block = &self.text[range.clone()];
        let opener = range.start + block.find('\n').unwrap_or(block.len());
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                if let CodeBlockKind::Fenced(info) = &kind {
                    let fence = range.start + fence_len(block);
                    self.edit(fence..opener, fence_tag(info).to_owned());
                }
                let indented = matches!(kind, CodeBlockKind::Indented).then(String::new);
                self.code = Some(Code {
                    indented,
                    end: opener,
                });
            }
            Event::End(TagEnd::CodeBlock) => match self.code.take() {
                Some(Code {
                    indented: Some(content),
                    ..
                }) => self.fence_indented(range, &content),
                // Left open at the end of the text, a fence would swallow what is joined after it.
                Some(code) if code.end >= range.end && range.end == self.text.len() => {
                    let prefix = &self.text[self.line_start(range.start)..range.start];
                    let closing = format!("\n{}{}", blank(prefix), &block[..fence_len(block)]);
                    self.edit(range.end..range.end, closing);
                }
                _ => {}
            },
            Event::Start(Tag::Link {
                link_type: kind,
                dest_url: url,
                ..
            }) => self.link(kind, &url, range),
            Event::Start(Tag::Image {
                link_type: kind,
                dest_url: url,
                ..
            }) => self.link(kind, &url, range),
            Event::End(TagEnd::Link | TagEnd::Image) => {
                self.links.pop();
            }
            _ => {}
        }
    }

    /// Keeps an autolink or a link to an absolute URL; any other destination rustdoc would resolve
    /// as a path, so the link loses its `[` (its other brackets are text in the next pass).
    fn link(&mut self, kind: LinkType, url: &str, range: Range<usize>) {
        let url = url.to_ascii_lowercase();
        let absolute = ["http://", "https://", "mailto:"]
            .iter()
            .any(|s| url.len() > s.len() && url.starts_with(s));
        let keep = absolute || matches!(kind, LinkType::Autolink | LinkType::Email);
        let at = range.start + usize::from(self.text[range].starts_with('!'));
        if !keep && self.text[at..].starts_with('[') {
            self.edit(at..at + 1, "\\[".to_owned());
        }
        self.links.push(keep.then_some(kind));
    }

    /// Escapes the pending run of text.
    fn flush(&mut self) {
        let run = std::mem::take(&mut self.run);
        // An autolink's text is its URL, which rustdoc reads as written.
        if let Some(Some(LinkType::Autolink | LinkType::Email)) = self.links.last() {
            return;
        }
        // An escaped character (ASCII punctuation) starts an event after its backslash, which no
        // event covers; it stays as it is.
        let start = run.start + usize::from(self.text[..run.start].ends_with('\\'));
        let run = start..run.end.max(start);
        let with = escape(
            &self.text[run.clone()],
            !self.links.iter().any(Option::is_some),
        );
        self.edit(run, with);
    }

    fn edit(&mut self, range: Range<usize>, with: String) {
        if self.text[range.clone()] != with {
            self.edits.push((range, with));
        }
    }

    /// An indented block (a doctest to rustdoc) as a fenced `text` block at its container's indent.
    fn fence_indented(&mut self, range: Range<usize>, content: &str) {
        let line = self.line_start(range.start);
        // The content starts 4 columns into its container.
        let prefix = self
            .text
            .get(line..range.start.saturating_sub(4).max(line))
            .unwrap_or_default();
        let pad = blank(prefix);
        let fence = "`".repeat(longest_backtick_run(content).max(2) + 1);
        let mut with = format!("{prefix}{fence}text\n");
        for line in content.split_terminator('\n') {
            with.push_str(format!("{pad}{line}").trim_end());
            with.push('\n');
        }
        with.push_str(&format!("{pad}{fence}"));
        let end = range.end - usize::from(self.text[range.clone()].ends_with('\n'));
        self.edit(line..end, with);
    }

    fn line_start(&self, at: usize) -> usize {
        self.text[..at].rfind('\n').map_or(0, |n| n + 1)
    }
}

/// A line prefix as it continues on the next line: quote markers stay, list markers become spaces.
fn blank(prefix: &str) -> String {
    prefix.replace(|c| c != '>', " ")
}

fn fence_len(block: &str) -> usize {
    let ch = block.as_bytes().first().copied();
    block.bytes().take_while(|&b| Some(b) == ch).count()
}

/// Literal text made safe: brackets escaped, `<` and `>` as entities, bare URLs (when `autolink`)
/// in `<…>`.
fn escape(text: &str, autolink: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        if let Some(end) = bare_url(text, i).filter(|_| autolink) {
            out.push_str(&format!("<{}>", &text[i..end]));
            i = end;
            continue;
        }
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
        i += c.len_utf8();
    }
    out
}

/// End of a bare `http(s)://` URL at `i`. It stops where Markdown or the prose takes over: at
/// whitespace, brackets, quotes, an unbalanced `)`, or the first non-ASCII character (Chinese
/// text often follows a URL without a space), and drops trailing sentence punctuation.
fn bare_url(text: &str, i: usize) -> Option<usize> {
    let bytes = &text.as_bytes()[i..];
    let is = |s: &&str| {
        bytes
            .get(..s.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(s.as_bytes()))
    };
    let start = ["https://", "http://"].into_iter().find(is)?.len();
    let mut depth = 0usize;
    let mut end = start;
    while let Some(&b) = bytes.get(end) {
        match b {
            b'(' => depth += 1,
            b')' if depth > 0 => depth -= 1,
            b')' | b'<' | b'>' | b'[' | b']' | b'"' | b'`' => break,
            b if !b.is_ascii_graphic() => break,
            _ => {}
        }
        end += 1;
    }
    while end > start && matches!(bytes[end - 1], b'.' | b',' | b';' | b':') {
        end -= 1;
    }
    (end > start).then_some(i + end)
}

/// The info string itself when it names a language other than Rust (rustdoc neither compiles the
/// block nor warns about the tag), else `text`: Rust-looking attributes included.
fn fence_tag(info: &str) -> &str {
    let word = info.starts_with(|c: char| c.is_ascii_alphabetic())
        && !info.contains(|c: char| !c.is_ascii_alphanumeric() && !"_-+#.".contains(c));
    // rustdoc's attributes, in any of the spellings it accepts (`no_run`, `no-run`, `norun`).
    let tag = info.to_ascii_lowercase().replace(['-', '_'], "");
    let rust = "rust norun shouldpanic compilefail testharness standalonecrate custom";
    let attribute = rust.split(' ').any(|a| a == tag) || tag.starts_with("ignore");
    let error_code =
        tag.len() == 5 && tag.starts_with('e') && tag[1..].bytes().all(|b| b.is_ascii_digit());
    let rust_like = attribute || error_code || tag.starts_with("edition");
    if word && !rust_like { info } else { "text" }
}

fn longest_backtick_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// `s` as one inline code span, with a backtick fence longer than any run inside it.
fn code_span(s: &str) -> String {
    let fence = "`".repeat(longest_backtick_run(s) + 1);
    let pad = " ".repeat(usize::from(s.starts_with('`') || s.ends_with('`')));
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
        assert_eq!(md("> ```\n> x"), lines("> ```text\n> x\n> ```"));
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
        // In a blockquote, the fence and every line keep the quote marker.
        assert_eq!(
            md("> a\n>\n>     x\n>\n>     y"),
            lines("> a\n>\n> ```text\n> x\n>\n> y\n> ```")
        );
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
            md("[Charge](Charge) [x](/docs) ![i](i.png) [](/e)"),
            ["\\[Charge\\](Charge) \\[x\\](/docs) !\\[i\\](i.png) \\[\\](/e)"]
        );
        // CommonMark allows spaces around a destination: still a link to an absolute URL.
        assert_eq!(md("[y]( https://a.example)"), ["[y]( https://a.example)"]);
        // A reference link: its definition, hidden by rustdoc too, stays as written.
        assert_eq!(
            md("[a][b] [c]\n\n[b]: /docs\n[c]: https://c.example"),
            lines("\\[a\\]\\[b\\] [c]\n\n[b]: /docs\n[c]: https://c.example")
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
            md("a <b> c</b> <x y> 1 > 0"),
            ["a &lt;b&gt; c&lt;/b&gt; &lt;x y&gt; 1 &gt; 0"]
        );
        assert_eq!(
            md("<https://a.example x>"),
            ["&lt;<https://a.example> x&gt;"]
        );
        // An email autolink and a blockquote are Markdown rustdoc renders as written.
        assert_eq!(md("<a@b.example>"), ["<a@b.example>"]);
        assert_eq!(md("<https://a.example/[x]>"), ["<https://a.example/[x]>"]);
        assert_eq!(md("> quote [x]"), ["> quote \\[x\\]"]);
    }

    #[test]
    fn escaped_html_block_is_cleaned_again() {
        // Escaped, the HTML block is a paragraph, and the fence inside it opens a code block.
        let spec = "<div>\n```\nlet x = 1;";
        let want = "&lt;div&gt;\n```text\nlet x = 1;\n```";
        assert_eq!(md(spec), lines(want));
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

    // Any text.

    /// What rustdoc sees in `lines` that it would run, warn about or resolve: an indented or
    /// Rust-tagged code block, HTML, a link to a path, a fence still open at the end (it would
    /// swallow the next paragraph), and text `clean` would still edit.
    fn misread(lines: &[String]) -> Option<String> {
        let text = lines.join("\n") + "\n\nEND";
        let (mut code, mut end_seen) = (false, false);
        for event in Parser::new_ext(&text, rustdoc_options()) {
            match &event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                    if fence_tag(info) == &**info =>
                {
                    code = true
                }
                Event::Start(Tag::CodeBlock(_)) | Event::Html(_) | Event::InlineHtml(_) => {
                    return Some(format!("{event:?}"));
                }
                Event::Start(Tag::Link {
                    link_type: LinkType::Inline | LinkType::Autolink | LinkType::Email,
                    ..
                }) => {}
                Event::Start(Tag::Link { .. }) => return Some(format!("{event:?}")),
                Event::End(TagEnd::CodeBlock) => code = false,
                Event::Text(t) if &**t == "END" => end_seen = !code,
                _ => {}
            }
        }
        let again = clean(&lines.join("\n"));
        (!end_seen || again.is_some()).then(|| format!("END swallowed or not settled: {again:?}"))
    }

    #[test]
    fn misread_finds_what_rustdoc_would_misread() {
        for text in [
            "    code",
            "```\ncode\n```",
            "<b>",
            "[a](/b)",
            "```text\ncode",
            "\\<b>[x]",
        ] {
            assert!(misread(&lines(text)).is_some(), "{text:?}");
        }
        assert_eq!(misread(&lines("```text\ncode\n```\n\\[a\\](/b)")), None);
    }

    #[test]
    fn random_markdown_leaves_nothing_to_misread() {
        const PIECES: &[&str] = &[
            "```",
            "~~~",
            "```rust",
            "``",
            "`",
            "    ",
            "  ",
            "\t",
            "- ",
            "* ",
            "1. ",
            "2) ",
            "> ",
            "\n",
            "\n\n",
            "<div>",
            "</div>",
            "<b>",
            "<!-- c -->",
            "<a@b.example>",
            "<https://a.example>",
            "<http://c/",
            ">",
            "[",
            "]",
            "(",
            ")",
            "![",
            "][",
            "](",
            "/p",
            "https://a.example/x",
            "http://b",
            "[a]: /b",
            "[^1]",
            "\\",
            "x",
            "y z",
            "# ",
            "---",
            "===",
            "|",
            "*",
            "_",
            "&lt;",
            "中文",
            ":",
            ".",
        ];
        // A fixed linear congruential sequence: the same 3000 texts on every run.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..3000 {
            let mut text = String::new();
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            for _ in 0..(state >> 59) + 1 {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                text.push_str(PIECES[(state >> 33) as usize % PIECES.len()]);
            }
            let lines = md(&text);
            assert_eq!(misread(&lines), None, "{text:?} → {lines:?}");
        }
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
