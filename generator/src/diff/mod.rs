//! API changes between two releases, computed on the IR so they speak in the SDK's terms (methods,
//! types, fields, enum values), each classified as breaking or compatible for a user of the crate.
//!
//! "Breaking" means code written against the old crate may stop compiling or silently change
//! meaning; "compatible" means it keeps working (the change may still be worth telling).
//!
//! **Operations** (keyed by operationId; area `operation`, parameters area `parameter`):
//! - removed → breaking; added → compatible.
//! - renamed: an id that disappears while another appears on the same HTTP method and path (path
//!   parameter names ignored when that is unambiguous) → one `renamed from <old id>` change, breaking
//!   when the method name changes; the pair is then compared like a kept operation.
//! - HTTP method or path changed → compatible (the Rust call is the same), reported.
//! - now deprecated / no longer deprecated → compatible.
//! - path parameters (positional arguments): added, removed, reordered or argument type changed →
//!   breaking; renamed in place → compatible (positional).
//! - the `params: &XParams` argument appearing or disappearing → breaking (a positional argument is
//!   added or removed); the params struct renamed → breaking.
//! - query/header parameters (fields of the params struct, keyed by wire name): added optional (or
//!   array, never `Option`) → compatible; added required → breaking; removed, Rust field renamed,
//!   optional ↔ required, Rust type changed → breaking; moved between query and header → compatible.
//! - body added, removed, type changed, optional ↔ required → breaking; content type → compatible.
//! - response type changed (no body is `()`) → breaking.
//!
//! **Types** (keyed by Rust name; area `type`): removed → breaking; added → compatible; kind changed
//! (struct / enum / alias) → breaking; alias target's Rust type changed → breaking (only its wire
//! format → compatible). Enums: catch-all variant renamed → breaking; `Default` value → compatible.
//!
//! **Fields** (keyed by wire name, reported by Rust name; area `field`): added optional (or array,
//! map, JSON value: never `Option`) → compatible; added required → breaking (the Rust type is plain
//! `T`, and requests now need it); removed → breaking; Rust type changed (the field's full type,
//! `Option`/`Box` included: `f32 → f64`, `now required`, `now optional`, `now boxed`) → breaking;
//! Rust name changed → breaking; only the wire format or the spec's `required` changed with the same
//! Rust type → compatible. The flattened extra-properties map: appearing → compatible, disappearing,
//! renamed or value type changed → breaking.
//!
//! **Enum values** (keyed by wire value; area `enum_value`): added → compatible (enums are
//! `#[non_exhaustive]` with an `Unrecognized(String)` catch-all); removed → breaking; Rust variant
//! renamed → breaking.
//!
//! Children of something removed or added are not listed separately. `bump` is major with any
//! breaking change, minor with only compatible ones, none without changes.

mod operations;
mod render;
mod types;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ir::Api;

/// Everything that changed from `old` to `new`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// `title version` of each side, for the report header.
    pub old: String,
    pub new: String,
    pub breaking: usize,
    pub compatible: usize,
    /// The version bump this report calls for.
    pub bump: Bump,
    /// Breaking changes first, then compatible ones; each group sorted by area, then subject.
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// Nothing changed that a user can see.
    None,
    /// Only compatible additions.
    Minor,
    /// Something breaks.
    Major,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub breaking: bool,
    pub area: Area,
    /// What changed, in SDK terms: `ChargeService_QueryCharge2`, `V1Charge`, `V1Charge.amount`,
    /// `Tradev1Channel::AlipayQr`.
    pub subject: String,
    /// One line: `removed`, `type f32 → f64`, `now required`, `renamed from TradeService_Charges`...
    pub detail: String,
}

impl Change {
    /// The report's order: breaking first, then by area, subject and detail.
    fn order(&self) -> (bool, Area, &str, &str) {
        (!self.breaking, self.area, &self.subject, &self.detail)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    Operation,
    Parameter,
    Type,
    Field,
    EnumValue,
}

impl Bump {
    /// `none`, `minor` or `major`, as reports print it.
    pub fn name(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

impl Area {
    /// `operation`, `parameter`, `type`, `field` or `enum value`, as reports print it.
    pub fn label(self) -> &'static str {
        match self {
            Area::Operation => "operation",
            Area::Parameter => "parameter",
            Area::Type => "type",
            Area::Field => "field",
            Area::EnumValue => "enum value",
        }
    }
}

pub use render::one_line;

/// Compares two lowered APIs.
pub fn diff(old: &Api, new: &Api) -> Report {
    let mut changes = Changes::default();
    operations::compare(old, new, &mut changes);
    types::compare(old, new, &mut changes);
    let mut changes = changes.0;
    changes.sort_by(|a, b| a.order().cmp(&b.order()));
    changes.dedup();
    let breaking = changes.iter().filter(|c| c.breaking).count();
    let compatible = changes.len() - breaking;
    let bump = if breaking > 0 {
        Bump::Major
    } else if compatible > 0 {
        Bump::Minor
    } else {
        Bump::None
    };
    Report {
        old: header(old),
        new: header(new),
        breaking,
        compatible,
        bump,
        changes,
    }
}

fn header(api: &Api) -> String {
    format!("{} {}", api.title, api.version)
}

impl Report {
    pub fn is_breaking(&self) -> bool {
        self.breaking > 0
    }

    /// The human-readable report: a one-line summary, then the changes grouped.
    pub fn to_text(&self) -> String {
        render::report_text(self)
    }

    /// The report as pretty JSON (the same fields as the struct).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_owned())
    }
}

/// The changes found so far, in any order (sorted at the end).
#[derive(Debug, Default)]
struct Changes(Vec<Change>);

impl Changes {
    fn push(
        &mut self,
        breaking: bool,
        area: Area,
        subject: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.0.push(Change {
            breaking,
            area,
            subject: subject.into(),
            detail: detail.into(),
        });
    }

    /// Where the changes of one subject are pushed, so that each names only its detail.
    fn of(&mut self, area: Area, subject: impl Into<String>) -> Subject<'_> {
        Subject {
            changes: self,
            area,
            subject: subject.into(),
        }
    }
}

/// [`Changes`] of one subject in one area.
struct Subject<'c> {
    changes: &'c mut Changes,
    area: Area,
    subject: String,
}

impl Subject<'_> {
    fn push(&mut self, breaking: bool, detail: impl Into<String>) {
        self.changes
            .push(breaking, self.area, self.subject.clone(), detail);
    }

    fn breaking(&mut self, detail: impl Into<String>) {
        self.push(true, detail);
    }

    fn compatible(&mut self, detail: impl Into<String>) {
        self.push(false, detail);
    }
}

/// One key of two keyed collections: only in the old one, in both, or only in the new one.
enum Pair<T> {
    Removed(T),
    Kept(T, T),
    Added(T),
}

/// `old` and `new` matched by key (a key given twice keeps its last value).
fn pairs<K: Ord, T>(
    old: impl IntoIterator<Item = (K, T)>,
    new: impl IntoIterator<Item = (K, T)>,
) -> Vec<(K, Pair<T>)> {
    let old: BTreeMap<K, T> = old.into_iter().collect();
    let mut new: BTreeMap<K, T> = new.into_iter().collect();
    let mut out: Vec<(K, Pair<T>)> = old
        .into_iter()
        .map(|(key, o)| match new.remove(&key) {
            Some(n) => (key, Pair::Kept(o, n)),
            None => (key, Pair::Removed(o)),
        })
        .collect();
    out.extend(new.into_iter().map(|(key, n)| (key, Pair::Added(n))));
    out
}
