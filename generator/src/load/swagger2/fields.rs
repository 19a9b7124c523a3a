//! Typed access to Swagger 2 objects; a wrong type is an error at the pointer of the value.

use serde_json::{Map, Value};

use crate::SpecError;
use crate::load::pointer;

pub(super) type Object = Map<String, Value>;

/// `value` as a mapping; `what` names it in the message.
pub(super) fn object<'a>(value: &'a Value, at: &str, what: &str) -> Result<&'a Object, SpecError> {
    value.as_object().ok_or_else(|| mapping_expected(at, what))
}

/// `value` as a mapping to change in place; `what` names it.
pub(super) fn object_mut<'a>(
    value: &'a mut Value,
    at: &str,
    what: &str,
) -> Result<&'a mut Object, SpecError> {
    value
        .as_object_mut()
        .ok_or_else(|| mapping_expected(at, what))
}

pub(super) fn mapping_expected(at: &str, what: &str) -> SpecError {
    SpecError::new(at, format!("expected {what} (a mapping)"))
}

pub(super) fn opt_object<'a>(
    obj: &'a Object,
    key: &str,
    at: &str,
) -> Result<Option<&'a Object>, SpecError> {
    obj.get(key)
        .map(|v| object(v, &pointer::child(at, key), &format!("'{key}'")))
        .transpose()
}

pub(super) fn opt_str<'a>(
    obj: &'a Object,
    key: &str,
    at: &str,
) -> Result<Option<&'a str>, SpecError> {
    typed(obj, key, at, Value::as_str, "a string")
}

pub(super) fn opt_array<'a>(
    obj: &'a Object,
    key: &str,
    at: &str,
) -> Result<Option<&'a Vec<Value>>, SpecError> {
    typed(obj, key, at, Value::as_array, "a list")
}

/// `obj[key]` read by `read`, or an error naming the expected `kind`.
fn typed<'a, T>(
    obj: &'a Object,
    key: &str,
    at: &str,
    read: impl FnOnce(&'a Value) -> Option<T>,
    kind: &str,
) -> Result<Option<T>, SpecError> {
    obj.get(key)
        .map(|v| {
            read(v).ok_or_else(|| {
                SpecError::new(
                    pointer::child(at, key),
                    format!("expected '{key}' to be {kind}"),
                )
            })
        })
        .transpose()
}

/// A list of strings such as `consumes`.
pub(super) fn opt_strings(
    obj: &Object,
    key: &str,
    at: &str,
) -> Result<Option<Vec<String>>, SpecError> {
    let Some(items) = opt_array(obj, key, at)? else {
        return Ok(None);
    };
    let list_at = pointer::child(at, key);
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            item.as_str()
                .map(str::to_owned)
                .ok_or_else(|| SpecError::new(pointer::index(&list_at, i), "expected a string"))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// A required string field.
pub(super) fn req_str<'a>(
    obj: &'a Object,
    key: &str,
    at: &str,
    what: &str,
) -> Result<&'a str, SpecError> {
    opt_str(obj, key, at)?.ok_or_else(|| SpecError::new(at, format!("{what} without '{key}'")))
}

/// Copies `keys` that are present, in the given order.
pub(super) fn copy_keys(from: &Object, keys: &[&str], to: &mut Object) {
    for key in keys {
        if let Some(value) = from.get(*key) {
            to.insert((*key).to_owned(), value.clone());
        }
    }
}

/// Copies the `x-` extensions but those in `except`, in document order.
pub(super) fn copy_extensions(from: &Object, except: &[&str], to: &mut Object) {
    for (key, value) in from {
        if key.starts_with("x-") && !except.contains(&key.as_str()) {
            to.insert(key.clone(), value.clone());
        }
    }
}
