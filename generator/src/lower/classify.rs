//! Every schema is first classified into a [`SchemaClass`] (what it means for Rust, whatever
//! spelling the spec used: `type: object`, a typeless schema with `properties`, an `allOf`
//! wrapper), then lowered (`schema.rs`).

use std::borrow::Borrow;
use std::collections::BTreeSet;

use openapiv3::{
    AdditionalProperties, AnySchema, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaData,
    SchemaKind, StringFormat, Type,
};

use super::context::Context;
use super::scalars::{self, spelled};
use crate::Error;
use crate::ir::{Docs, TypeRef};
use crate::load::pointer;

/// A schema or a reference to one, whatever box the spec model put it in.
#[derive(Clone, Copy)]
pub(super) enum SchemaRef<'s> {
    Ref(&'s str),
    Inline(&'s Schema),
}

impl SchemaRef<'_> {
    /// Docs of an inline schema; a reference documents nothing by itself (its type does).
    pub(super) fn docs(&self) -> Docs {
        match self {
            SchemaRef::Inline(s) => docs_of(&s.schema_data),
            SchemaRef::Ref(_) => Docs::default(),
        }
    }
}

/// `Borrow`: openapiv3 holds schemas both as `Schema` and as `Box<Schema>`.
impl<'s, S: Borrow<Schema>> From<&'s ReferenceOr<S>> for SchemaRef<'s> {
    fn from(r: &'s ReferenceOr<S>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Inline(s.borrow()),
        }
    }
}

/// What a schema means for the Rust side.
pub(super) enum SchemaClass<'s> {
    /// An object with named properties (possibly none).
    Object {
        properties: Vec<(&'s str, SchemaRef<'s>)>,
        required: BTreeSet<&'s str>,
        additional: Option<&'s AdditionalProperties>,
    },
    /// A free-form object: only `additionalProperties` (or nothing) describes its values.
    Map(Option<&'s AdditionalProperties>),
    Enum(Vec<&'s str>),
    Array(Option<SchemaRef<'s>>),
    Scalar(TypeRef),
    /// Stands for another schema (`allOf: [$ref]`, the idiom that keeps a `description` next to a ref).
    Same(SchemaRef<'s>),
    /// No Rust type fits; carried as JSON. `Some(reason)` is reported as a diagnostic.
    Json(Option<&'static str>),
}

/// Classifies a schema. `allOf` parts are merged into one object.
pub(super) fn classify<'a>(
    cx: &Context<'a>,
    schema: &'a Schema,
    pointer: &str,
) -> Result<SchemaClass<'a>, Error> {
    classify_within(cx, schema, pointer, &mut Vec::new())
}

/// [`classify`], inside the `allOf` merges of `merging` (outermost first).
fn classify_within<'a>(
    cx: &Context<'a>,
    schema: &'a Schema,
    pointer: &str,
    merging: &mut Vec<&'a Schema>,
) -> Result<SchemaClass<'a>, Error> {
    let json = |reason| SchemaClass::Json(Some(reason));
    Ok(match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => {
            object(&o.properties, &o.required, o.additional_properties.as_ref())
        }
        SchemaKind::Type(Type::Array(a)) => SchemaClass::Array(a.items.as_ref().map(Into::into)),
        SchemaKind::Type(Type::String(s)) if s.enumeration.iter().any(Option::is_some) => {
            SchemaClass::Enum(s.enumeration.iter().flatten().map(String::as_str).collect())
        }
        SchemaKind::Type(Type::String(s)) => scalar(
            "string",
            spelled(&s.format, (StringFormat::DateTime, "date-time")),
        ),
        SchemaKind::Type(Type::Integer(i)) => scalar(
            "integer",
            spelled(&i.format, (IntegerFormat::Int32, "int32")),
        ),
        SchemaKind::Type(Type::Number(n)) => {
            scalar("number", spelled(&n.format, (NumberFormat::Float, "float")))
        }
        SchemaKind::Type(Type::Boolean(_)) => SchemaClass::Scalar(TypeRef::Bool),
        SchemaKind::AllOf { all_of } => match all_of.as_slice() {
            [only] => SchemaClass::Same(only.into()),
            parts => {
                merging.push(schema);
                let merged = merge_all_of(cx, parts, pointer, merging);
                merging.pop();
                merged?
            }
        },
        SchemaKind::OneOf { .. } => {
            json("`oneOf` has no Rust type here yet; typed as serde_json::Value")
        }
        SchemaKind::AnyOf { .. } => {
            json("`anyOf` has no Rust type here yet; typed as serde_json::Value")
        }
        SchemaKind::Not { .. } => json("`not` has no Rust type; typed as serde_json::Value"),
        SchemaKind::Any(any) => untyped(any),
    })
}

/// A schema openapiv3 could not file under one `type` (no `type`, or `type` with unusual keywords).
fn untyped(any: &AnySchema) -> SchemaClass<'_> {
    if !any.properties.is_empty() || any.typ.as_deref() == Some("object") {
        object(
            &any.properties,
            &any.required,
            any.additional_properties.as_ref(),
        )
    } else if let Some(items) = &any.items {
        SchemaClass::Array(Some(items.into()))
    } else if any.additional_properties.is_some() {
        SchemaClass::Map(any.additional_properties.as_ref())
    } else {
        any_scalar(any.typ.as_deref(), any.format.as_deref(), &any.enumeration)
    }
}

/// `allOf: [A, B, {properties}]` → one object with every part's properties.
fn merge_all_of<'a>(
    cx: &Context<'a>,
    parts: &'a [ReferenceOr<Schema>],
    pointer: &str,
    merging: &mut Vec<&'a Schema>,
) -> Result<SchemaClass<'a>, Error> {
    let mut properties = Vec::new();
    let mut required = BTreeSet::new();
    let mut additional = None;
    for (i, part) in parts.iter().enumerate() {
        let part_pointer = format!("{pointer}/allOf/{i}");
        let schema = resolve(cx, part.into(), &part_pointer)?;
        // Merging a schema into itself never ends: the object would contain itself.
        if merging.iter().any(|outer| std::ptr::eq(*outer, schema)) {
            return Err(cx.error(
                &part_pointer,
                "`allOf` includes the schema it belongs to (through $refs); an object cannot contain itself",
            ));
        }
        let SchemaClass::Object {
            properties: p,
            required: r,
            additional: a,
        } = classify_within(cx, schema, &part_pointer, merging)?
        else {
            return Ok(SchemaClass::Json(Some(
                "`allOf` of non-object schemas has no Rust type; typed as serde_json::Value",
            )));
        };
        for (wire, s) in p {
            // A later part redefines a property: last wins, as in a JSON merge.
            properties.retain(|(w, _)| *w != wire);
            properties.push((wire, s));
        }
        required.extend(r);
        additional = additional.or(a);
    }
    Ok(SchemaClass::Object {
        properties,
        required,
        additional,
    })
}

/// Follows references to the schema they name.
fn resolve<'a>(
    cx: &Context<'a>,
    schema: SchemaRef<'a>,
    pointer: &str,
) -> Result<&'a Schema, Error> {
    let mut current = schema;
    for _ in 0..64 {
        let reference = match current {
            SchemaRef::Inline(s) => return Ok(s),
            SchemaRef::Ref(reference) => reference,
        };
        let components = cx.loaded.openapi.components.as_ref();
        let target = pointer::component_name(reference, "schemas")
            .and_then(|name| components?.schemas.get(&name))
            .ok_or_else(|| cx.error(pointer, &format!("$ref '{reference}' points to no schema")))?;
        current = target.into();
    }
    Err(cx.error(
        pointer,
        "$ref chain does not end (a schema refers to itself)",
    ))
}

fn object<'s>(
    properties: &'s indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &'s [String],
    additional: Option<&'s AdditionalProperties>,
) -> SchemaClass<'s> {
    if properties.is_empty() && additional.is_some() {
        return SchemaClass::Map(additional);
    }
    SchemaClass::Object {
        properties: properties
            .iter()
            .map(|(k, v)| (k.as_str(), v.into()))
            .collect(),
        required: required.iter().map(String::as_str).collect(),
        additional,
    }
}

/// A scalar `type`; the caller has matched one, so the fallback is never taken.
fn scalar(typ: &str, format: Option<&str>) -> SchemaClass<'static> {
    scalars::scalar(typ, format).map_or(SchemaClass::Json(None), SchemaClass::Scalar)
}

/// [`untyped`], when it is no object, array or map.
fn any_scalar<'s>(
    typ: Option<&str>,
    format: Option<&str>,
    enumeration: &'s [serde_json::Value],
) -> SchemaClass<'s> {
    let values: Vec<&str> = enumeration
        .iter()
        .filter_map(serde_json::Value::as_str)
        .collect();
    match typ {
        Some("string") if !values.is_empty() => SchemaClass::Enum(values),
        Some("array") => SchemaClass::Array(None),
        // A typeless, propertyless schema (`{}`) is any JSON value by definition: no diagnostic.
        None => SchemaClass::Json(None),
        Some(typ) => scalars::scalar(typ, format).map_or(
            SchemaClass::Json(Some("unknown `type`; typed as serde_json::Value")),
            SchemaClass::Scalar,
        ),
    }
}

fn docs_of(data: &SchemaData) -> Docs {
    let default = data.default.as_ref().map(|d| match d {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    Docs {
        title: data.title.clone(),
        description: data.description.clone(),
        default,
    }
}
