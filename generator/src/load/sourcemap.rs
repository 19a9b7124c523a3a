//! Where the pieces of an upgraded (OpenAPI 3) document came from in the Swagger 2 text, so that
//! errors found after the upgrade still point into the document the user wrote.

/// Upgraded pointer prefixes → pointers in the document as written.
#[derive(Debug, Default)]
pub(crate) struct SourceMap {
    entries: Vec<Entry>,
}

#[derive(Debug)]
struct Entry {
    upgraded: String,
    original: String,
    /// The subtree kept its shape, so the rest of a pointer below `upgraded` applies unchanged.
    same_shape: bool,
}

impl SourceMap {
    /// `upgraded` is `original` converted without changing the layout below it.
    pub(crate) fn same_shape(&mut self, upgraded: impl Into<String>, original: impl Into<String>) {
        self.entries.push(Entry {
            upgraded: upgraded.into(),
            original: original.into(),
            same_shape: true,
        });
    }

    /// `upgraded` was built from `original` with a different layout below it.
    pub(crate) fn built_from(&mut self, upgraded: impl Into<String>, original: impl Into<String>) {
        self.entries.push(Entry {
            upgraded: upgraded.into(),
            original: original.into(),
            same_shape: false,
        });
    }

    /// The pointer in the document as written for a pointer into the upgraded one, from the
    /// deepest recorded prefix; `None` when nothing recorded covers it.
    pub(crate) fn original(&self, upgraded: &str) -> Option<String> {
        if upgraded.is_empty() {
            return Some(String::new());
        }
        let (entry, rest) = self
            .entries
            .iter()
            .filter_map(|e| {
                let rest = upgraded.strip_prefix(e.upgraded.as_str())?;
                (rest.is_empty() || rest.starts_with('/')).then_some((e, rest))
            })
            .max_by_key(|(e, _)| e.upgraded.len())?;
        Some(if entry.same_shape {
            format!("{}{rest}", entry.original)
        } else {
            entry.original.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_through_the_deepest_prefix() {
        let mut map = SourceMap::default();
        map.same_shape("/components/schemas/A", "/definitions/A");
        map.same_shape("/paths/~1a/get", "/paths/~1a/get");
        map.built_from("/paths/~1a/get/parameters/0", "/paths/~1a/parameters/2");
        map.same_shape(
            "/paths/~1a/get/parameters/0/schema",
            "/paths/~1a/parameters/2",
        );
        let at = |p: &str| map.original(p);
        assert_eq!(
            at("/components/schemas/A/properties/x").as_deref(),
            Some("/definitions/A/properties/x")
        );
        assert_eq!(at("/components/schemas/AB").as_deref(), None);
        assert_eq!(
            at("/paths/~1a/get/tags/0").as_deref(),
            Some("/paths/~1a/get/tags/0")
        );
        assert_eq!(
            at("/paths/~1a/get/parameters/0/style").as_deref(),
            Some("/paths/~1a/parameters/2")
        );
        assert_eq!(
            at("/paths/~1a/get/parameters/0/schema/enum/1").as_deref(),
            Some("/paths/~1a/parameters/2/enum/1")
        );
        assert_eq!(at("").as_deref(), Some(""));
        assert_eq!(at("/servers/0").as_deref(), None);
    }
}
