//! Type names: one place decides every Rust type name, so names are unique in the crate and stable
//! across regenerations (they derive from spec names, never from traversal counters).

use std::collections::{BTreeMap, BTreeSet};

use crate::ident::{self, Style};

/// Names handed out so far; inline types ask for theirs as they are discovered.
#[derive(Debug, Default)]
pub(crate) struct TypeNames {
    /// Spec schema name → Rust type name, for `components.schemas`.
    by_spec: BTreeMap<String, String>,
    /// Every name handed out: the components' and the inline types'.
    taken: BTreeSet<String>,
}

impl TypeNames {
    /// Names every component schema at once: they win over inline types, and collisions among them
    /// (`v1Charge` vs `V1Charge`) are settled by the spec names alone, whatever the document order.
    pub(crate) fn for_components<'a>(spec_names: impl IntoIterator<Item = &'a str>) -> Self {
        let entries: Vec<(String, String)> = spec_names
            .into_iter()
            .map(|n| (n.to_owned(), ident::type_ident(n)))
            .collect();
        let names = ident::dedupe(&entries, |_| false, Style::Camel);
        let by_spec = entries
            .into_iter()
            .map(|(spec, _)| spec)
            .zip(names.iter().cloned())
            .collect();
        Self {
            by_spec,
            taken: names.into_iter().collect(),
        }
    }

    pub(crate) fn component(&self, spec_name: &str) -> Option<&str> {
        self.by_spec.get(spec_name).map(String::as_str)
    }

    /// A name for an inline schema, from its owner's name and role (`V1Charge` + `metadata`).
    pub(crate) fn inline(&mut self, owner: &str, role: &str) -> String {
        let candidate = ident::type_ident(&format!("{owner}_{role}"));
        let entry = [(candidate.clone(), candidate)];
        let name = ident::dedupe(&entry, |n| self.taken.contains(n), Style::Camel)
            .pop()
            .unwrap_or_default();
        self.taken.insert(name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inline_name_yields_to_components_and_earlier_inline_names() {
        let mut names = TypeNames::for_components(["A", "A_x"]);
        // `AX` is the component `A_x`.
        assert_eq!(names.inline("A", "x"), "AX2");
        assert_eq!(names.inline("A", "y"), "AY");
        assert_eq!(names.inline("A", "y"), "AY2");
    }
}
