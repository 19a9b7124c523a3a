//! Spec text → `serde_json::Value`. YAML is parsed with serde_yaml (JSON is YAML) and converted by
//! hand, because a YAML document can hold things JSON cannot (integer keys, tags, `.nan`).

use serde_json::{Map, Number, Value};
use serde_yaml::Value as Yaml;

use super::pointer;
use crate::{Error, SpecError};

/// Parses `text`; syntax errors become [`Error::Parse`] (with line and column), values that have no
/// JSON form become [`Error::Spec`].
pub(crate) fn parse(file: &str, text: &str) -> Result<Value, Error> {
    let syntax = |message: String| Error::Parse {
        file: file.to_owned(),
        message,
    };
    let mut yaml: Yaml = serde_yaml::from_str(text).map_err(|e| syntax(describe(&e)))?;
    // `<<` merge keys are a YAML convention, not data: hand-written specs use them to share blocks.
    yaml.apply_merge().map_err(|e| syntax(describe(&e)))?;
    to_json(&yaml, "").map_err(|e| e.in_file(file))
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

fn to_json(yaml: &Yaml, at: &str) -> Result<Value, SpecError> {
    Ok(match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(*b),
        Yaml::Number(n) => Value::Number(number(n, at)?),
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Sequence(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| to_json(item, &pointer::index(at, i)))
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Mapping(entries) => {
            let mut object = Map::with_capacity(entries.len());
            for (key, value) in entries {
                let key = key_string(key, at)?;
                let converted = to_json(value, &pointer::child(at, &key))?;
                if object.insert(key.clone(), converted).is_some() {
                    return Err(SpecError::new(
                        at,
                        format!("duplicate key '{key}' (keys are compared as strings)"),
                    ));
                }
            }
            Value::Object(object)
        }
        // Tags (`!foo`) carry no meaning for an OpenAPI document: keep the tagged value.
        Yaml::Tagged(tagged) => to_json(&tagged.value, at)?,
    })
}

fn number(n: &serde_yaml::Number, at: &str) -> Result<Number, SpecError> {
    if let Some(i) = n.as_i64() {
        return Ok(Number::from(i));
    }
    if let Some(u) = n.as_u64() {
        return Ok(Number::from(u));
    }
    n.as_f64().and_then(Number::from_f64).ok_or_else(|| {
        SpecError::new(
            at,
            format!("the number {n} (infinite or NaN) has no JSON representation"),
        )
    })
}

/// JSON keys are strings: scalar keys (`200:`, `true:`) take their string form.
fn key_string(key: &Yaml, at: &str) -> Result<String, SpecError> {
    match key {
        Yaml::String(s) => Ok(s.clone()),
        Yaml::Number(n) => Ok(n.to_string()),
        Yaml::Bool(b) => Ok(b.to_string()),
        Yaml::Null => Ok("null".to_owned()),
        Yaml::Tagged(tagged) => key_string(&tagged.value, at),
        Yaml::Sequence(_) | Yaml::Mapping(_) => Err(SpecError::new(
            at,
            "a mapping key is a sequence or mapping; only scalar keys are supported",
        )),
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
