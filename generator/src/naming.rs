//! Type names: one place decides every Rust type name, so names are unique in the crate and stable
//! across regenerations (they derive from spec names, never from traversal counters).

use std::collections::{BTreeMap, BTreeSet};

use crate::ident::{self, Style};

/// Names handed out so far; inline types ask for theirs as they are discovered.
#[derive(Debug, Default)]
pub(crate) struct TypeNames {
    /// Spec schema name → Rust type name, for `components.schemas`.
    components: BTreeMap<String, String>,
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
        let names = ident::dedupe(&entries, &BTreeSet::new(), Style::Camel);
        let taken = names.iter().cloned().collect();
        let components = entries
            .into_iter()
            .map(|(spec, _)| spec)
            .zip(names)
            .collect();
        Self { components, taken }
    }

    pub(crate) fn component(&self, spec_name: &str) -> Option<&str> {
        self.components.get(spec_name).map(String::as_str)
    }

    /// A name for an inline schema, from its owner's name and role (`V1Charge` + `metadata`).
    pub(crate) fn inline(&mut self, owner: &str, role: &str) -> String {
        let candidate = ident::type_ident(&format!("{owner}_{role}"));
        let name = ident::dedupe(&[(candidate.clone(), candidate)], &self.taken, Style::Camel)
            .pop()
            .unwrap_or_default();
        self.taken.insert(name.clone());
        name
    }
}
