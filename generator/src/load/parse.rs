//! Spec text → `serde_json::Value`. YAML is parsed with serde_yaml straight into a JSON value,
//! without an intermediate `serde_yaml::Value` (building, converting and dropping a second tree
//! was a fifth of generation); a JSON text is read by serde_json through the same visitor. A YAML
//! document can hold things JSON cannot (integer keys, tags, `.nan`); those are settled here.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde_json::map::Entry;
use serde_json::{Map, Number, Value};

use super::pointer;
use crate::{Error, SpecError};

/// Parses `text`; syntax errors become [`Error::Parse`] (with line and column), values that have no
/// JSON form become [`Error::Spec`].
pub(crate) fn parse(file: &str, text: &str) -> Result<Value, Error> {
    let syntax = |message: String| Error::Parse {
        file: file.to_owned(),
        message,
    };
    // A value with no JSON form is found deep inside the parser's recursion; it is kept here, with
    // its pointer, and the parser only sees an error that stops it.
    let failure = RefCell::new(None);
    let seed = Node::root(&failure);
    let parsed = match json(text, seed) {
        Some(doc) => Ok(doc),
        None => {
            failure.replace(None);
            seed.deserialize(serde_yaml::Deserializer::from_str(text))
                .map_err(|e| describe(&e))
        }
    };
    parsed.map_err(|message| match failure.into_inner() {
        Some(spec) => spec.in_file(file),
        None => syntax(message),
    })
}

/// A document written as JSON (a JSON text is also YAML) is read by serde_json, several times
/// faster than serde_yaml, into the same value. `None` when the text is not JSON after all (a
/// YAML flow mapping `{a: 1}`, a syntax error): the YAML parser then reads it and reports errors.
fn json(text: &str, seed: Node<'_>) -> Option<Value> {
    let start = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if !start.starts_with('{') {
        return None;
    }
    let mut de = serde_json::Deserializer::from_str(start);
    let value = seed.deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(value)
}

/// serde_yaml's message, with the position appended when the message does not already carry it.
fn describe(error: &serde_yaml::Error) -> String {
    let message = error.to_string();
    match error.location() {
        Some(at) if !message.contains(&format!("line {}", at.line())) => {
            format!("{message} at line {} column {}", at.line(), at.column())
        }
        _ => message,
    }
}

/// Where a node is, rendered as a JSON pointer only when something there is wrong.
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    fn pointer(&self) -> String {
        match self {
            Path::Root => String::new(),
            Path::Key(parent, key) => pointer::child(&parent.pointer(), key),
            Path::Index(parent, i) => pointer::index(&parent.pointer(), *i),
        }
    }
}

/// Deserializes one YAML node into a JSON value.
#[derive(Clone, Copy)]
struct Node<'a> {
    at: &'a Path<'a>,
    failure: &'a RefCell<Option<SpecError>>,
}

impl<'a> Node<'a> {
    /// The document's root, with failures kept in `failure`.
    fn root(failure: &'a RefCell<Option<SpecError>>) -> Self {
        Node {
            at: &Path::Root,
            failure,
        }
    }

    fn fail<E: de::Error>(self, at: String, message: String) -> E {
        let message_for_serde = message.clone();
        *self.failure.borrow_mut() = Some(SpecError::new(at, message));
        E::custom(message_for_serde)
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Value, E> {
        match Number::from_f64(n) {
            Some(number) => Ok(Value::Number(number)),
            None => Err(self.fail(
                self.at.pointer(),
                format!(
                    "the number {} (infinite or NaN) has no JSON representation",
                    yaml_float(n)
                ),
            )),
        }
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(Node {
            at: &Path::Index(self.at, items.len()),
            failure: self.failure,
        })? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        // The `<<` value, kept apart and merged once the mapping's own keys are all in.
        let mut merged = None;
        while let Some(key) = entries.next_key_seed(MappingKey(self))? {
            let value = entries.next_value_seed(Node {
                at: &Path::Key(self.at, &key),
                failure: self.failure,
            })?;
            let duplicate = if key == "<<" {
                merged.replace(value).is_some().then_some(key)
            } else {
                match object.entry(key) {
                    Entry::Vacant(place) => {
                        place.insert(value);
                        None
                    }
                    Entry::Occupied(taken) => Some(taken.key().clone()),
                }
            };
            if let Some(key) = duplicate {
                return Err(self.fail(
                    self.at.pointer(),
                    format!("duplicate key '{key}' (keys are compared as strings)"),
                ));
            }
        }
        if let Some(merged) = merged {
            apply_merge(&mut object, merged).map_err(de::Error::custom)?;
        }
        Ok(Value::Object(object))
    }

    /// Tags (`!foo`) carry no meaning for an OpenAPI document: keep the tagged value.
    fn visit_enum<A: EnumAccess<'de>>(self, tagged: A) -> Result<Value, A::Error> {
        let (_tag, value): (de::IgnoredAny, _) = tagged.variant()?;
        value.newtype_variant_seed(self)
    }
}

/// YAML's spelling of a float that JSON cannot hold.
fn yaml_float(n: f64) -> &'static str {
    if n.is_nan() {
        ".nan"
    } else if n > 0.0 {
        ".inf"
    } else {
        "-.inf"
    }
}

/// A mapping key. JSON keys are strings: scalar keys (`200:`, `true:`, `~:`) take their string form.
struct MappingKey<'a>(Node<'a>);

impl<'de> DeserializeSeed<'de> for MappingKey<'_> {
    type Value = String;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for MappingKey<'_> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a scalar mapping key")
    }

    fn visit_unit<E>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }

    fn visit_bool<E>(self, b: bool) -> Result<String, E> {
        Ok(b.to_string())
    }

    fn visit_i64<E>(self, n: i64) -> Result<String, E> {
        Ok(n.to_string())
    }

    fn visit_u64<E>(self, n: u64) -> Result<String, E> {
        Ok(n.to_string())
    }

    fn visit_f64<E>(self, n: f64) -> Result<String, E> {
        Ok(if n.is_finite() {
            n.to_string()
        } else {
            yaml_float(n).to_owned()
        })
    }

    fn visit_str<E>(self, s: &str) -> Result<String, E> {
        Ok(s.to_owned())
    }

    fn visit_string<E>(self, s: String) -> Result<String, E> {
        Ok(s)
    }

    fn visit_enum<A: EnumAccess<'de>>(self, tagged: A) -> Result<String, A::Error> {
        let (_tag, value): (de::IgnoredAny, _) = tagged.variant()?;
        value.newtype_variant_seed(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(self.complex())
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(self.complex())
    }
}

impl MappingKey<'_> {
    fn complex<E: de::Error>(&self) -> E {
        self.0.fail(
            self.0.at.pointer(),
            "a mapping key is a sequence or mapping; only scalar keys are supported".to_owned(),
        )
    }
}

/// Applies a YAML merge key, `<<: {..}` or `<<: [{..}, ..]`: adds the entries the mapping does not
/// already have (the mapping's own keys win, earlier merged mappings win over later ones). `<<`
/// is a YAML convention, not data: hand-written specs use it to share blocks. Applied as each
/// mapping is read, so a merged mapping that merges in turn is already complete, and the
/// document is not walked again.
fn apply_merge(object: &mut Map<String, Value>, merged: Value) -> Result<(), String> {
    match merged {
        Value::Object(merged) => merge_into(object, merged),
        Value::Array(list) => {
            for item in list {
                let Value::Object(merged) = item else {
                    return Err("a `<<` merge list holds something other than mappings".to_owned());
                };
                merge_into(object, merged);
            }
        }
        _ => {
            return Err(
                "a `<<` merge key's value is neither a mapping nor a list of mappings".to_owned(),
            );
        }
    }
    Ok(())
}

fn merge_into(object: &mut Map<String, Value>, merged: Map<String, Value>) {
    for (key, value) in merged {
        object.entry(key).or_insert(value);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn ok(text: &str) -> Value {
        match parse("t.yaml", text) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn yaml_and_json_give_the_same_value() {
        let yaml = ok("a: 1\nb: [x, 2.5]\nc: {d: null}\n");
        let json = ok(r#"{"a": 1, "b": ["x", 2.5], "c": {"d": null}}"#);
        assert_eq!(yaml, json);
        assert_eq!(yaml, json!({"a": 1, "b": ["x", 2.5], "c": {"d": null}}));
    }

    #[test]
    fn json_and_yaml_readers_agree_on_the_real_spec() {
        let text = include_str!("../../../spec/justap.yaml");
        let via_yaml = ok(text);
        let as_json = serde_json::to_string_pretty(&via_yaml).unwrap_or_default();
        assert!(as_json.starts_with('{'));
        let failure = RefCell::new(None);
        let seed = Node::root(&failure);
        assert_eq!(json(&as_json, seed), Some(via_yaml));
    }

    #[test]
    fn json_errors_are_the_yaml_readers_errors() {
        // Not JSON (a YAML flow mapping): read as YAML.
        assert_eq!(ok("{a: 1, b: [x]}"), json!({"a": 1, "b": ["x"]}));
        // Duplicate keys in JSON are reported with a pointer as in YAML.
        let Err(Error::Spec { pointer, .. }) = parse("t.json", r#"{"a": {"k": 1, "k": 2}}"#) else {
            panic!("expected a spec error");
        };
        assert_eq!(pointer, "/a");
        // A JSON syntax error is reported by the YAML reader, with line and column.
        let Err(Error::Parse { message, .. }) = parse("t.json", "{\"a\": [1, 2}\n") else {
            panic!("expected a parse error");
        };
        assert!(message.contains("line"), "{message}");
    }

    #[test]
    fn key_order_is_kept() {
        let v = ok("z: 1\na: 2\nm: 3\n");
        let keys: Vec<_> = v
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["z", "a", "m"]);
    }

    #[test]
    fn scalar_keys_become_strings() {
        let v = ok("200: ok\ntrue: yes\n1.5: x\n~: n\n");
        assert_eq!(
            v,
            json!({"200": "ok", "true": "yes", "1.5": "x", "null": "n"})
        );
    }

    #[test]
    fn tags_are_unwrapped_and_merges_applied() {
        let v = ok("a: !custom {b: 1}\nbase: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n");
        assert_eq!(
            v,
            json!({"a": {"b": 1}, "base": {"x": 1}, "c": {"x": 1, "y": 2}})
        );
    }

    #[test]
    fn own_keys_win_over_merged_ones_and_merges_chain() {
        let v = ok(
            "a: &a {x: 1, y: 1}\nb: &b {<<: *a, y: 2, z: 2}\nc: {<<: [*b, {w: 3, x: 9}], z: 0}\n",
        );
        assert_eq!(v["b"], json!({"x": 1, "y": 2, "z": 2}));
        assert_eq!(v["c"], json!({"z": 0, "y": 2, "x": 1, "w": 3}));
        let keys: Vec<&str> = v["c"]
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(keys, ["z", "y", "x", "w"]);
    }

    #[test]
    fn a_second_merge_key_is_a_duplicate_key() {
        let Err(Error::Spec {
            pointer, message, ..
        }) = parse("t.yaml", "a: {<<: {x: 1}, <<: {y: 1}}\n")
        else {
            panic!("expected a duplicate key error");
        };
        assert_eq!(pointer, "/a");
        assert!(message.contains("duplicate key '<<'"), "{message}");
    }

    #[test]
    fn a_scalar_merge_is_a_parse_error() {
        assert!(matches!(
            parse("t.yaml", "a: {<<: 1}\n"),
            Err(Error::Parse { .. })
        ));
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let Err(Error::Parse { file, message }) = parse("bad.yaml", "a: 1\nb: [1, 2\nc: 3\n")
        else {
            panic!("expected a parse error");
        };
        assert_eq!(file, "bad.yaml");
        assert!(
            message.contains("line") && message.contains("column"),
            "{message}"
        );
    }

    #[test]
    fn non_finite_number_is_a_spec_error_with_pointer() {
        let Err(Error::Spec { pointer, .. }) = parse("t.yaml", "a:\n  b: [1, .inf]\n") else {
            panic!("expected a spec error");
        };
        assert_eq!(pointer, "/a/b/1");
    }

    #[test]
    fn complex_key_is_a_spec_error() {
        let Err(Error::Spec { pointer, .. }) = parse("t.yaml", "a:\n  ? [1, 2]\n  : x\n") else {
            panic!("expected a spec error");
        };
        assert_eq!(pointer, "/a");
    }

    #[test]
    fn colliding_keys_are_reported() {
        let Err(Error::Spec {
            pointer, message, ..
        }) = parse("t.yaml", "r:\n  200: a\n  '200': b\n")
        else {
            panic!("expected a spec error");
        };
        assert_eq!(pointer, "/r");
        assert!(message.contains("'200'"), "{message}");
    }
}
