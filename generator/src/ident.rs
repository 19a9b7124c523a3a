//! Spec names → Rust identifiers.
//!
//! Every name the generated crate shows comes through here, so the rules live in one place: heck
//! does the word splitting, this module makes the result a legal, stable identifier, and [`dedupe`]
//! settles collisions without looking at document order.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Casing of the identifiers being deduplicated; decides how a numeric suffix is attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// `name_2`
    Snake,
    /// `Name2`
    Camel,
}

/// Strict and reserved keywords of editions 2015–2024. `gen` is included although only 2024
/// reserves it: the generated crate may be built with any edition.
const KEYWORDS: &[&str] = &[
    "_", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that `r#` cannot escape.
const NOT_RAW: &[&str] = &["_", "crate", "self", "Self", "super"];

/// Names the emitted modules use unqualified; a model type with one of them would shadow it.
const RESERVED_TYPES: &[&str] = &[
    // The SDK's own names, imported next to the models in the generated modules.
    "Client",
    "ClientBuilder",
    "Error",
    "ApiError",
    "ApiStatus",
    "DecodeError",
    "Request",
    "Method",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "BTreeMap",
    "Default",
    "Serialize",
    "Deserialize",
    "Serializer",
    "Deserializer",
    "Value",
    "Clone",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
    "Display",
    "FromStr",
    "Self",
];

pub(crate) fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// snake_case identifier for a JSON property, parameter or operation name.
pub(crate) fn field_ident(name: &str) -> String {
    let snake = words(name).to_snake_case();
    if snake.is_empty() {
        return "field".to_owned();
    }
    escape_keyword(digit_prefix(snake, "_"))
}

/// UpperCamelCase identifier for a type; avoids the names the emitted code relies on.
pub(crate) fn type_ident(name: &str) -> String {
    let camel = camel(name, "Type");
    if RESERVED_TYPES.contains(&camel.as_str()) {
        return camel + "Model";
    }
    escape_keyword(camel)
}

/// UpperCamelCase enum variant for an enum value.
pub(crate) fn variant_ident(value: &str) -> String {
    escape_keyword(camel(value, "Empty"))
}

/// Settles collisions among candidate identifiers, returning one identifier per entry in input order.
///
/// `entries` holds `(original spec name, candidate ident)`. The result depends only on the set of
/// entries, never on their order, so reordering a spec does not rename anything. Names for which
/// `is_taken` holds are not given out.
pub(crate) fn dedupe(
    entries: &[(String, String)],
    is_taken: impl Fn(&str) -> bool,
    style: Style,
) -> Vec<String> {
    // Raw idents collide on their bare form: `r#type` and `type` name the same thing. Looked up
    // in place rather than by collecting the bare forms, which cost O(taken) per call and made
    // naming n inline types O(n²) (see BENCHMARKS.md).
    let taken = |bare_name: &str| is_taken(bare_name) || is_taken(&format!("r#{bare_name}"));
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, (_, candidate)) in entries.iter().enumerate() {
        groups.entry(bare(candidate)).or_default().push(i);
    }

    let mut out: Vec<Option<String>> = vec![None; entries.len()];
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut losers: Vec<(&str, Vec<usize>)> = Vec::new();
    for (&name, members) in &groups {
        let mut members = members.clone();
        // Original, then position: only identical entries tie on the original, and they are
        // interchangeable, so the result stays order-independent.
        members.sort_by(|&a, &b| entries[a].0.cmp(&entries[b].0).then(a.cmp(&b)));
        if !taken(name) {
            let exact = members
                .iter()
                .position(|&i| {
                    let (original, candidate) = &entries[i];
                    original == candidate || original == name
                })
                // `self` → `self_` is next best: the escape is ours, as in `type` → `r#type`.
                .or_else(|| {
                    members
                        .iter()
                        .position(|&i| entries[i].0 == name.trim_end_matches('_'))
                });
            let winner = members.remove(exact.unwrap_or(0));
            out[winner] = Some(entries[winner].1.clone());
            used.insert(name.to_owned());
        }
        if !members.is_empty() {
            losers.push((name, members));
        }
    }

    // Winners are all placed first so that a suffix never steals a name some entry has as-is.
    for (name, members) in losers {
        let stem = name.trim_end_matches('_');
        // `self_` suffixes as `self_2`, not `self__2`; an all-underscore stem is kept whole.
        let stem = if stem.is_empty() { name } else { stem };
        let mut n = 2u64;
        for i in members {
            let ident = loop {
                let ident = match style {
                    Style::Snake if !stem.ends_with('_') => format!("{stem}_{n}"),
                    _ => format!("{stem}{n}"),
                };
                n += 1;
                if !used.contains(&ident) && !taken(&ident) {
                    break ident;
                }
            };
            used.insert(ident.clone());
            out[i] = Some(ident);
        }
    }

    out.into_iter().map(Option::unwrap_or_default).collect()
}

/// The identifier without a raw prefix.
fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Turns every character heck must not see into word breaks. Non-ASCII characters become a
/// `u<hex>` word each, so distinct Chinese names stay distinct instead of collapsing to nothing.
fn words(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_ascii() {
            out.push(' ');
        } else {
            out.push_str(&format!(" u{:x} ", u32::from(c)));
        }
    }
    out
}

fn camel(name: &str, empty: &str) -> String {
    let camel = words(name).to_upper_camel_case();
    if camel.is_empty() {
        return empty.to_owned();
    }
    digit_prefix(camel, "V")
}

/// Identifiers cannot start with a digit.
fn digit_prefix(ident: String, prefix: &str) -> String {
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{prefix}{ident}")
    } else {
        ident
    }
}

fn escape_keyword(ident: String) -> String {
    if !is_keyword(&ident) {
        ident
    } else if NOT_RAW.contains(&ident.as_str()) {
        ident + "_"
    } else {
        format!("r#{ident}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parses(ident: &str) -> bool {
        syn::parse_str::<syn::Ident>(ident).is_ok()
    }

    fn dd(entries: &[(&str, &str)], taken: &[&str], style: Style) -> Vec<String> {
        let entries: Vec<(String, String)> = entries
            .iter()
            .map(|&(o, c)| (o.to_owned(), c.to_owned()))
            .collect();
        dedupe(&entries, |name| taken.contains(&name), style)
    }

    #[test]
    fn field_examples() {
        for (input, want) in [
            ("created.lt", "created_lt"),
            ("Wechatpay_goods_id", "wechatpay_goods_id"),
            ("appId", "app_id"),
            ("hasMore", "has_more"),
            ("user.id", "user_id"),
            ("@type", "r#type"),
            ("ChargeService_QueryCharge2", "charge_service_query_charge2"),
        ] {
            assert_eq!(field_ident(input), want, "{input}");
        }
    }

    #[test]
    fn type_examples() {
        for (input, want) in [
            ("v1Charge", "V1Charge"),
            ("tradev1Channel", "Tradev1Channel"),
            ("googlerpcStatus", "GooglerpcStatus"),
            (
                "ExtraAlipayPageAlipayDirectPayForm",
                "ExtraAlipayPageAlipayDirectPayForm",
            ),
            ("google.rpc.Status", "GoogleRpcStatus"),
        ] {
            assert_eq!(type_ident(input), want, "{input}");
        }
    }

    #[test]
    fn variant_examples() {
        for (input, want) in [
            ("CHANNEL_INVALID_UNSPECIFIED", "ChannelInvalidUnspecified"),
            ("AlipayQR", "AlipayQr"),
            ("Finish_ROYALTY", "FinishRoyalty"),
            ("B2C", "B2c"),
            ("ThirdGender", "ThirdGender"),
        ] {
            assert_eq!(variant_ident(input), want, "{input}");
        }
    }

    #[test]
    fn punctuation_breaks_words() {
        assert_eq!(field_ident("a-b"), "a_b");
        assert_eq!(field_ident("a.b.c"), "a_b_c");
        assert_eq!(field_ident("$ref"), "r#ref");
        assert_eq!(field_ident("x__y"), "x_y");
        assert_eq!(type_ident("a-b c/d"), "ABCD");
        assert_eq!(variant_ident("in-progress"), "InProgress");
    }

    #[test]
    fn non_ascii_becomes_code_point_words() {
        assert_eq!(field_ident("名称"), "u540d_u79f0");
        assert_eq!(type_ident("名称"), "U540dU79f0");
        assert_eq!(variant_ident("名称"), "U540dU79f0");
        assert_ne!(field_ident("名称"), field_ident("名字"));
        assert_eq!(field_ident("商户id"), "u5546_u6237_id");
        assert_eq!(field_ident("😀"), "u1f600");
    }

    #[test]
    fn leading_digit_is_prefixed() {
        assert_eq!(field_ident("3d_secure"), "_3d_secure");
        assert_eq!(field_ident("123"), "_123");
        assert_eq!(type_ident("1"), "V1");
        assert_eq!(type_ident("3DSecure"), "V3dSecure");
        assert_eq!(variant_ident("1"), "V1");
        assert_eq!(variant_ident("3DSecure"), "V3dSecure");
    }

    #[test]
    fn nothing_usable_gets_a_placeholder() {
        for input in ["", "@", "__", "_", " ", "-."] {
            assert_eq!(field_ident(input), "field", "{input:?}");
            assert_eq!(type_ident(input), "Type", "{input:?}");
            assert_eq!(variant_ident(input), "Empty", "{input:?}");
        }
    }

    #[test]
    fn every_keyword_is_escaped() {
        // The brief's list, written out again so a change to `KEYWORDS` cannot hide a gap.
        let raw = [
            "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern",
            "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
            "pub", "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use",
            "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
            "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
        ];
        for kw in raw {
            assert!(is_keyword(kw), "{kw}");
            let want = format!("r#{kw}");
            assert_eq!(field_ident(kw), want, "{kw}");
            assert!(parses(&want), "{want}");
        }
        for (kw, want) in [("self", "self_"), ("super", "super_"), ("crate", "crate_")] {
            assert!(is_keyword(kw), "{kw}");
            assert_eq!(field_ident(kw), want, "{kw}");
            assert!(parses(want), "{want}");
            assert!(!parses(&format!("r#{kw}")), "{kw} must not be written raw");
        }
        assert!(is_keyword("Self") && is_keyword("_"));
        assert_eq!(variant_ident("Self"), "Self_");
        assert!(parses("Self_"));
        assert_eq!(KEYWORDS.len(), raw.len() + NOT_RAW.len());
    }

    #[test]
    fn keywords_in_other_casings_are_plain() {
        assert_eq!(type_ident("type"), "Type");
        assert_eq!(variant_ident("match"), "Match");
        assert_eq!(field_ident("TYPE"), "r#type");
        assert!(!is_keyword("union") && !is_keyword("Type"));
    }

    #[test]
    fn reserved_type_names_get_model_suffix() {
        for name in RESERVED_TYPES {
            let want = format!("{name}Model");
            assert_eq!(type_ident(name), want);
            assert!(parses(&want), "{want}");
        }
        assert_eq!(type_ident("string"), "StringModel");
        assert_eq!(type_ident("Self"), "SelfModel");
        // Variants live in their enum's namespace, so they may be called `None`.
        assert_eq!(variant_ident("None"), "None");
    }

    #[test]
    fn dedupe_exact_original_keeps_bare_name() {
        let entries = [("v1Charge", "V1Charge"), ("V1Charge", "V1Charge")];
        assert_eq!(dd(&entries, &[], Style::Camel), ["V1Charge2", "V1Charge"]);
    }

    #[test]
    fn dedupe_without_exact_match_orders_by_original() {
        let entries = [
            ("user.id", "user_id"),
            ("userId", "user_id"),
            ("user-id", "user_id"),
        ];
        // Byte order: "user-id" < "user.id" < "userId".
        assert_eq!(
            dd(&entries, &[], Style::Snake),
            ["user_id_2", "user_id_3", "user_id"]
        );
    }

    #[test]
    fn dedupe_is_independent_of_input_order() {
        let entries = [
            ("a.b", "a_b"),
            ("aB", "a_b"),
            ("a_b", "a_b"),
            ("A_B", "a_b"),
            ("a_b_2", "a_b_2"),
        ];
        let want = dd(&entries, &[], Style::Snake);
        // Losers by original: "A_B" < "a.b" < "aB"; `a_b_2` is someone's own name.
        assert_eq!(want, ["a_b_4", "a_b_5", "a_b", "a_b_3", "a_b_2"]);
        let mut reversed = entries;
        reversed.reverse();
        let mut got = dd(&reversed, &[], Style::Snake);
        got.reverse();
        assert_eq!(got, want);
    }

    #[test]
    fn dedupe_skips_used_suffixes() {
        let entries = [("x", "X"), ("x2", "X2"), ("X", "X")];
        assert_eq!(dd(&entries, &[], Style::Camel), ["X3", "X2", "X"]);
    }

    #[test]
    fn dedupe_suffixes_taken_names() {
        let entries = [("unknown", "Unknown"), ("UNKNOWN_2", "Unknown2")];
        assert_eq!(
            dd(&entries, &["Unknown"], Style::Camel),
            ["Unknown3", "Unknown2"]
        );
        let entries = [("a", "A")];
        assert_eq!(dd(&entries, &["A", "A2"], Style::Camel), ["A3"]);
    }

    #[test]
    fn dedupe_compares_raw_idents_bare() {
        let entries = [("@type", "r#type"), ("type", "r#type"), ("type_", "type")];
        assert_eq!(
            dd(&entries, &[], Style::Snake),
            ["type_2", "r#type", "type_3"]
        );
        assert_eq!(
            dd(&[("type", "r#type")], &["type"], Style::Snake),
            ["type_2"]
        );
    }

    #[test]
    fn dedupe_prefers_the_keyword_over_other_spellings() {
        let entries = [("Self", "self_"), ("self", "self_")];
        assert_eq!(dd(&entries, &[], Style::Snake), ["self_2", "self_"]);
    }

    #[test]
    fn dedupe_does_not_double_escape_underscores() {
        let entries = [("self", "self_"), ("self_", "self_")];
        assert_eq!(dd(&entries, &[], Style::Snake), ["self_2", "self_"]);
        assert_eq!(
            dd(&[("Self", "Self_")], &["Self_"], Style::Camel),
            ["Self2"]
        );
    }

    #[test]
    fn dedupe_leaves_distinct_names_alone() {
        let entries = [("b", "b"), ("a", "a")];
        assert_eq!(dd(&entries, &[], Style::Snake), ["b", "a"]);
        assert!(dd(&[], &[], Style::Snake).is_empty());
    }

    #[test]
    fn awkward_inputs_give_parseable_deterministic_idents() {
        let inputs = [
            "",
            "_",
            "__",
            "@",
            "@type",
            "$ref",
            "a-b",
            "a.b.c",
            "123",
            "名称",
            "x__y",
            "ABC",
            "😀",
            "a😀b",
            "self",
            "Self",
            "super",
            "crate",
            "type",
            "gen",
            "async",
            "try",
            "r#type",
            "String",
            "Option",
            "3DSecure",
            "3d_secure",
            "-1",
            "1.5",
            "é",
            "naïve",
            "ÄÖÜ",
            "created.lt",
            "created[gte]",
            "x y z",
            "\t\n",
            "CON",
            "a/b",
            "{id}",
            "Ünïcödé_ß",
            "__proto__",
            "ok",
            "None",
        ];
        for input in inputs {
            let outputs = [field_ident(input), type_ident(input), variant_ident(input)];
            for out in &outputs {
                assert!(parses(out), "{input:?} → {out:?}");
            }
            assert_eq!(
                outputs,
                [field_ident(input), type_ident(input), variant_ident(input)]
            );
        }
        let entries: Vec<(String, String)> = inputs
            .iter()
            .map(|&i| (i.to_owned(), field_ident(i)))
            .collect();
        let names = dedupe(&entries, |_| false, Style::Snake);
        assert_eq!(names.iter().collect::<BTreeSet<_>>().len(), names.len());
        assert!(names.iter().all(|n| parses(n)), "{names:?}");
    }
}
