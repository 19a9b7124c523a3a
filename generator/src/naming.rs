//! Type names: one place decides every Rust type name, so names are unique in the crate and stable
//! across regenerations (they derive from spec names, never from traversal counters).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::ident::{self, Style};

/// Names handed out so far; inline types ask for theirs as they are discovered.
#[derive(Debug, Default)]
pub(crate) struct TypeNames {
    /// Shared with forks ([`TypeNames::fork`]).
    components: Arc<Components>,
    /// Names of inline types handed out here.
    inline: BTreeSet<String>,
    /// In a fork: whether a candidate was already taken, which a fork does not settle.
    collided: Option<bool>,
}

#[derive(Debug, Default)]
struct Components {
    /// Spec schema name → Rust type name, for `components.schemas`.
    by_spec: BTreeMap<String, String>,
    names: BTreeSet<String>,
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
        let by_spec = entries
            .into_iter()
            .map(|(spec, _)| spec)
            .zip(names.iter().cloned())
            .collect();
        Self {
            components: Arc::new(Components {
                by_spec,
                names: names.into_iter().collect(),
            }),
            inline: BTreeSet::new(),
            collided: None,
        }
    }

    pub(crate) fn component(&self, spec_name: &str) -> Option<&str> {
        self.components.by_spec.get(spec_name).map(String::as_str)
    }

    fn is_taken(&self, name: &str) -> bool {
        self.components.names.contains(name) || self.inline.contains(name)
    }

    /// A name for an inline schema, from its owner's name and role (`V1Charge` + `metadata`).
    pub(crate) fn inline(&mut self, owner: &str, role: &str) -> String {
        let candidate = ident::type_ident(&format!("{owner}_{role}"));
        let name = if self.collided.is_some() {
            // A fork: the candidate as it is, and a note when naming in order would settle it.
            let bare = candidate.trim_start_matches("r#");
            if self.is_taken(bare) || self.is_taken(&format!("r#{bare}")) {
                self.collided = Some(true);
            }
            candidate
        } else {
            let entry = [(candidate.clone(), candidate)];
            ident::dedupe_with(&entry, |n| self.is_taken(n), Style::Camel)
                .pop()
                .unwrap_or_default()
        };
        self.inline.insert(name.clone());
        name
    }

    /// Names for another thread to hand out, speculatively: each candidate as it is, noting (not
    /// settling) a collision. [`TypeNames::join`] takes them in only when naming in order would
    /// have given the same names.
    pub(crate) fn fork(&self) -> TypeNames {
        TypeNames {
            components: Arc::clone(&self.components),
            inline: BTreeSet::new(),
            collided: Some(false),
        }
    }

    /// Takes in the names of `forks` (in the order their work would have been done here), or
    /// refuses all of them, changing nothing, when one had a collision or two handed out the same
    /// name: then an inline name depends on what was named first, and the work is redone in order.
    pub(crate) fn join(&mut self, forks: Vec<TypeNames>) -> bool {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for fork in &forks {
            if fork.collided != Some(false) {
                return false;
            }
            for name in &fork.inline {
                if self.is_taken(name) || !seen.insert(name) {
                    return false;
                }
            }
        }
        for fork in forks {
            self.inline.extend(fork.inline);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forks_join_when_their_names_are_distinct() {
        let mut names = TypeNames::for_components(["A", "B"]);
        let mut one = names.fork();
        let mut two = names.fork();
        assert_eq!(one.inline("A", "x"), "AX");
        assert_eq!(two.inline("B", "x"), "BX");
        assert!(names.join(vec![one, two]));
        // Joined names are taken: naming goes on after them.
        assert_eq!(names.inline("A", "x"), "AX2");
    }

    #[test]
    fn forks_are_refused_when_order_would_matter() {
        let mut names = TypeNames::for_components(["A", "A_x"]);
        let mut colliding = names.fork();
        colliding.inline("A", "x"); // `AX` is the component `A_x`
        assert!(!names.join(vec![colliding]));

        let mut one = names.fork();
        let mut two = names.fork();
        one.inline("A", "y");
        two.inline("A", "y");
        assert!(!names.join(vec![one, two]));
        // Refused joins changed nothing.
        assert_eq!(names.inline("A", "y"), "AY");
    }
}
