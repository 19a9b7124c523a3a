//! JSON pointers (RFC 6901): building them while walking a document and resolving local `$ref`s.

use serde_json::Value;

use crate::error::pointer_token;

/// `parent` extended by one (unescaped) key.
pub(crate) fn child(parent: &str, key: &str) -> String {
    format!("{parent}/{}", pointer_token(key))
}

/// `parent` extended by an array index.
pub(crate) fn index(parent: &str, i: usize) -> String {
    format!("{parent}/{i}")
}

/// Appends one (unescaped) key to a pointer being built in place.
pub(crate) fn push_key(pointer: &mut String, key: &str) {
    pointer.push('/');
    if key.contains(['~', '/']) {
        pointer.push_str(&pointer_token(key));
    } else {
        pointer.push_str(key);
    }
}

/// Appends an array index to a pointer being built in place.
pub(crate) fn push_index(pointer: &mut String, i: usize) {
    use std::fmt::Write as _;
    // Writing to a String cannot fail.
    let _ = write!(pointer, "/{i}");
}

/// The unescaped tokens of a pointer; `None` if it is neither empty nor starts with `/`.
pub(crate) fn tokens(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    Some(rest.split('/').map(unescape_token).collect())
}

/// One reference token unescaped. `~1` first: `~01` must become `~1`, not `/` (RFC 6901 §4).
pub(crate) fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The pointer of a local `$ref` (`#/a/b` → `/a/b`), percent-decoded when that is well-formed.
///
/// `None` for external refs. The raw form is also returned because a name may contain a literal `%`.
pub(crate) fn local_ref_pointers(reference: &str) -> Option<Vec<String>> {
    let fragment = reference.strip_prefix('#')?;
    let mut forms = Vec::with_capacity(2);
    if let Some(decoded) = percent_decode(fragment) {
        forms.push(decoded);
    }
    if !forms.iter().any(|f| f == fragment) {
        forms.push(fragment.to_owned());
    }
    Some(forms)
}

/// The unescaped tokens a local `$ref` points at (first well-formed form).
pub(crate) fn local_ref_tokens(reference: &str) -> Option<Vec<String>> {
    local_ref_pointers(reference)?
        .iter()
        .find_map(|p| tokens(p))
}

/// The name a `$ref` gives in `#/components/{section}/`, decoded as the loader resolves refs
/// (percent-encoding, `~1`, `~0`); `None` for a reference anywhere else.
pub(crate) fn component_name(reference: &str, section: &str) -> Option<String> {
    match local_ref_tokens(reference)?.as_slice() {
        [components, found, name] if components == "components" && found == section => {
            Some(name.clone())
        }
        _ => None,
    }
}

/// Resolves a local `$ref` against `doc`; `None` when it is external or dangling.
pub(crate) fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    resolve_at(doc, reference).map(|(_, value)| value)
}

/// Like [`resolve`], also giving the pointer that resolved (for messages about the target).
pub(crate) fn resolve_at<'a>(doc: &'a Value, reference: &str) -> Option<(String, &'a Value)> {
    local_ref_pointers(reference)?
        .into_iter()
        .find_map(|p| doc.pointer(&p).map(|v| (p, v)))
}

/// `%XX` decoding; `None` on a malformed escape or when the bytes are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_owned());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn component_names_are_decoded_as_refs_resolve() {
        let name = |reference: &str| component_name(reference, "schemas");
        assert_eq!(
            name("#/components/schemas/V1Charge").as_deref(),
            Some("V1Charge")
        );
        assert_eq!(
            name("#/components/schemas/a~1b~0c").as_deref(),
            Some("a/b~c")
        );
        assert_eq!(
            name("#/components/schemas/Foo%20Bar").as_deref(),
            Some("Foo Bar")
        );
        assert_eq!(name("#/components/parameters/Limit"), None);
        assert_eq!(name("#/components/schemas/A/properties/b"), None);
        assert_eq!(name("#/definitions/A"), None);
        assert_eq!(name("other.yaml#/components/schemas/A"), None);
    }

    #[test]
    fn builds_escaped_pointers() {
        assert_eq!(child("/paths", "/a/{id}"), "/paths/~1a~1{id}");
        assert_eq!(child("", "x~y"), "/x~0y");
        assert_eq!(index("/p", 3), "/p/3");
        let mut built = String::from("/paths");
        push_key(&mut built, "/a/{id}");
        push_index(&mut built, 3);
        push_key(&mut built, "plain");
        assert_eq!(built, "/paths/~1a~1{id}/3/plain");
    }

    #[test]
    fn splits_and_unescapes() {
        assert_eq!(tokens(""), Some(vec![]));
        assert_eq!(
            tokens("/a~1b/c~01"),
            Some(vec!["a/b".to_owned(), "c~1".to_owned()])
        );
        assert_eq!(tokens("a"), None);
    }

    #[test]
    fn resolves_local_refs() {
        let doc = json!({"definitions": {"a b": {"type": "string"}, "x/y": {}, "50%": {}}});
        assert!(resolve(&doc, "#/definitions/a%20b").is_some());
        assert!(resolve(&doc, "#/definitions/a b").is_some());
        assert!(resolve(&doc, "#/definitions/x~1y").is_some());
        assert!(resolve(&doc, "#/definitions/50%").is_some());
        assert!(resolve(&doc, "#/definitions/missing").is_none());
        assert!(resolve(&doc, "other.yaml#/definitions/a").is_none());
        assert!(resolve(&doc, "#").is_some());
        assert_eq!(
            local_ref_tokens("#/definitions/a%20b"),
            Some(vec!["definitions".to_owned(), "a b".to_owned()])
        );
    }
}
