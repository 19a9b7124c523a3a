//! Schemas → named types and type uses.
//!
//! Every schema is first classified into a [`Shape`] (what it means for Rust, whatever spelling the
//! spec used: `type: object`, a typeless schema with `properties`, an `allOf` wrapper), then lowered.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaData, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use crate::error::pointer_token;
use crate::ident::{self, Style};
use crate::ir::{
    Docs, Enum, ExtraFields, Field, FieldShape, FloatType, IntBits, IntType, IntWire, Struct,
    TypeDef, TypeKind, TypeRef, ValueEncoding, Variant,
};
use crate::load::pointer::unescape_token;
use crate::naming::TypeNames;
use crate::{Diagnostic, Error, Loaded};

const SCHEMA_REF_PREFIX: &str = "#/components/schemas/";
/// The enum variant that keeps a value this release does not know. Spec values that would take the
/// name are suffixed instead, so the catch-all is the same in every release.
const CATCH_ALL_VARIANT: &str = "Unrecognized";
const EXTRA_FIELDS_WIRE: &str = "additionalProperties";

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

impl<'s> From<&'s ReferenceOr<Schema>> for SchemaRef<'s> {
    fn from(r: &'s ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Inline(s),
        }
    }
}

impl<'s> From<&'s ReferenceOr<Box<Schema>>> for SchemaRef<'s> {
    fn from(r: &'s ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Inline(s),
        }
    }
}

/// What a schema means for the Rust side.
enum Shape<'s> {
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

pub(super) struct SchemaLowering<'a> {
    loaded: &'a Loaded,
    names: TypeNames,
    types: BTreeMap<String, TypeDef>,
    diagnostics: Vec<Diagnostic>,
    reuse_enums: bool,
    /// Once `reuse_enums` is on: every named (component) enum, by value, to the smallest Rust name
    /// with that value, so that finding an identical enum is a lookup, not a scan of all types
    /// (which made lowering operations × types, see BENCHMARKS.md).
    named_enums: BTreeMap<EnumKey, String>,
    /// Inline schemas whose types are being defined, outermost first: an `allOf` of a `$ref` to
    /// its owner brings the same inline schema back as a property of itself, without end.
    defining: Vec<&'a Schema>,
}

/// An [`Enum`] as an ordered map key (the IR type is only `PartialEq`).
type EnumKey = (Vec<(String, String)>, usize, String);

fn enum_key(e: &Enum) -> EnumKey {
    (
        e.variants
            .iter()
            .map(|v| (v.name.clone(), v.wire.clone()))
            .collect(),
        e.default,
        e.unknown.clone(),
    )
}

/// Adds a named enum to `named_enums`, keeping the smallest Rust name per value (the one a scan of
/// the types, sorted by name, would find first).
fn index_named_enum(named_enums: &mut BTreeMap<EnumKey, String>, def: &TypeDef) {
    if let TypeKind::Enum(e) = &def.kind
        && !def.schema_path.contains('/')
    {
        let name = named_enums
            .entry(enum_key(e))
            .or_insert_with(|| def.name.clone());
        if def.name < *name {
            *name = def.name.clone();
        }
    }
}

impl<'a> SchemaLowering<'a> {
    pub(super) fn new(loaded: &'a Loaded, names: TypeNames) -> Self {
        Self {
            loaded,
            names,
            types: BTreeMap::new(),
            diagnostics: Vec::new(),
            reuse_enums: false,
            named_enums: BTreeMap::new(),
            defining: Vec::new(),
        }
    }

    /// Types sorted by Rust name, and the diagnostics in the order they arose.
    pub(super) fn finish(self) -> (Vec<TypeDef>, Vec<Diagnostic>) {
        (self.types.into_values().collect(), self.diagnostics)
    }

    /// Lowers every entry of `components.schemas`, in document order.
    pub(super) fn components(
        &mut self,
        schemas: &'a IndexMap<String, ReferenceOr<Schema>>,
    ) -> Result<(), Error> {
        for (spec_name, schema) in schemas {
            self.component(spec_name, schema)?;
        }
        Ok(())
    }

    /// Lowers one entry of `components.schemas` into a named type.
    fn component(&mut self, spec_name: &str, schema: &'a ReferenceOr<Schema>) -> Result<(), Error> {
        let pointer = self.loaded.schema_pointer(spec_name);
        let name = self
            .names
            .component(spec_name)
            .map(str::to_owned)
            .ok_or_else(|| self.error(&pointer, "unnamed schema"))?;
        self.define(name, &pointer, schema.into())
    }

    /// Lowers `schema` into the named type `name`.
    fn define(&mut self, name: String, pointer: &str, schema: SchemaRef<'a>) -> Result<(), Error> {
        let SchemaRef::Inline(inline) = schema else {
            return self.define_within(name, pointer, schema);
        };
        if self
            .defining
            .iter()
            .any(|outer| std::ptr::eq(*outer, inline))
        {
            return Err(self.error(
                pointer,
                "this schema contains itself without end (an `allOf` brings back the object it is a property of); an object cannot contain itself",
            ));
        }
        self.defining.push(inline);
        let defined = self.define_within(name, pointer, schema);
        self.defining.pop();
        defined
    }

    /// [`Self::define`], once the schema is known not to be inside its own definition.
    fn define_within(
        &mut self,
        name: String,
        pointer: &str,
        schema: SchemaRef<'a>,
    ) -> Result<(), Error> {
        let mut docs = schema.docs();
        let kind = match schema {
            SchemaRef::Inline(s) => match self.shape(s, pointer)? {
                Shape::Object {
                    properties,
                    required,
                    additional,
                } => TypeKind::Struct(self.object(
                    &name,
                    pointer,
                    &properties,
                    &required,
                    additional,
                )?),
                // The spec default of an enum type is its `Default`, not a note in the docs.
                Shape::Enum(values) => {
                    docs.default = None;
                    TypeKind::Enum(enumeration(&values, s.schema_data.default.as_ref()))
                }
                _ => TypeKind::Alias(self.use_of(schema, &name, "", pointer)?),
            },
            SchemaRef::Ref(_) => TypeKind::Alias(self.use_of(schema, &name, "", pointer)?),
        };
        let origin = pointer.to_owned();
        let namespace = self.loaded.schema_pointer("");
        let schema_path = pointer
            .strip_prefix(namespace.as_str())
            .unwrap_or(pointer)
            .to_owned();
        let def = TypeDef {
            name,
            origin,
            schema_path,
            docs,
            kind,
        };
        if self.reuse_enums {
            index_named_enum(&mut self.named_enums, &def);
        }
        self.types.insert(def.name.clone(), def);
        Ok(())
    }

    /// The type of a use of `schema` (a property, an array item, a map value). Inline objects and
    /// enums become named types called after their owner and role.
    pub(super) fn use_of(
        &mut self,
        schema: SchemaRef<'a>,
        owner: &str,
        role: &str,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
        let s = match schema {
            SchemaRef::Ref(reference) => return self.reference(reference, pointer),
            SchemaRef::Inline(s) => s,
        };
        Ok(match self.shape(s, pointer)? {
            Shape::Object { properties, .. } if properties.is_empty() => {
                TypeRef::Map(Box::new(TypeRef::Json))
            }
            Shape::Enum(values) if self.reuse_enums => {
                match self.identical_enum(&values, s.schema_data.default.as_ref()) {
                    Some(existing) => TypeRef::Named(existing),
                    None => {
                        let name = self.names.inline(owner, role);
                        self.define(name.clone(), pointer, schema)?;
                        TypeRef::Named(name)
                    }
                }
            }
            Shape::Object { .. } | Shape::Enum(_) => {
                let name = self.names.inline(owner, role);
                self.define(name.clone(), pointer, schema)?;
                TypeRef::Named(name)
            }
            Shape::Map(additional) => {
                TypeRef::Map(Box::new(self.map_values(additional, owner, role, pointer)?))
            }
            Shape::Array(items) => {
                let item = match items {
                    Some(items) => self.use_of(
                        items,
                        owner,
                        &format!("{role}_item"),
                        &format!("{pointer}/items"),
                    )?,
                    None => TypeRef::Json,
                };
                TypeRef::Array(Box::new(item))
            }
            Shape::Scalar(ty) => ty,
            Shape::Same(inner) => self.use_of(inner, owner, role, &format!("{pointer}/allOf/0"))?,
            Shape::Json(reason) => {
                if let Some(reason) = reason {
                    self.warn(pointer, reason);
                }
                TypeRef::Json
            }
        })
    }

    fn object(
        &mut self,
        name: &str,
        pointer: &str,
        properties: &[(&'a str, SchemaRef<'a>)],
        required: &BTreeSet<&str>,
        additional: Option<&AdditionalProperties>,
    ) -> Result<Struct, Error> {
        let entries: Vec<(String, String)> = properties
            .iter()
            .map(|(wire, _)| ((*wire).to_owned(), ident::field_ident(wire)))
            .collect();
        let idents = ident::dedupe(&entries, &BTreeSet::new(), Style::Snake);
        let mut fields = Vec::with_capacity(properties.len());
        for ((wire, schema), name_in_rust) in properties.iter().zip(idents.iter()) {
            let field_pointer = format!("{pointer}/properties/{}", pointer_token(wire));
            let ty = self.use_of(*schema, name, wire, &field_pointer)?;
            let docs = schema.docs();
            fields.push(Field {
                name: name_in_rust.clone(),
                wire: (*wire).to_owned(),
                shape: FieldShape::of(&ty, required.contains(wire)),
                ty,
                required: required.contains(wire),
                docs,
            });
        }
        // Unknown keys are kept as JSON whatever `additionalProperties` says: decoding must not fail
        // on a key the spec did not describe.
        let extra = match additional {
            None | Some(AdditionalProperties::Any(false)) => None,
            Some(_) => {
                let taken = idents
                    .iter()
                    .map(|i| i.trim_start_matches("r#").to_owned())
                    .collect();
                let entry = [(
                    EXTRA_FIELDS_WIRE.to_owned(),
                    ident::field_ident(EXTRA_FIELDS_WIRE),
                )];
                let name = ident::dedupe(&entry, &taken, Style::Snake)
                    .pop()
                    .unwrap_or_default();
                Some(ExtraFields {
                    name,
                    value: TypeRef::Json,
                })
            }
        };
        Ok(Struct { fields, extra })
    }

    fn map_values(
        &mut self,
        additional: Option<&'a AdditionalProperties>,
        owner: &str,
        role: &str,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
        match additional {
            Some(AdditionalProperties::Schema(values)) => {
                let values: &'a ReferenceOr<Schema> = values;
                self.use_of(
                    values.into(),
                    owner,
                    &format!("{role}_value"),
                    &format!("{pointer}/additionalProperties"),
                )
            }
            _ => Ok(TypeRef::Json),
        }
    }

    fn reference(&self, reference: &str, pointer: &str) -> Result<TypeRef, Error> {
        let target = reference
            .strip_prefix(SCHEMA_REF_PREFIX)
            .filter(|rest| !rest.contains('/'))
            .map(unescape_token)
            .ok_or_else(|| {
                self.error(
                    pointer,
                    &format!("$ref '{reference}' does not name a schema"),
                )
            })?;
        self.names
            .component(&target)
            .map(|name| TypeRef::Named(name.to_owned()))
            .ok_or_else(|| self.error(pointer, &format!("$ref '{reference}' points to no schema")))
    }

    /// Classifies a schema. `allOf` parts are merged into one object.
    fn shape(&self, schema: &'a Schema, pointer: &str) -> Result<Shape<'a>, Error> {
        self.shape_within(schema, pointer, &mut Vec::new())
    }

    /// [`Self::shape`], inside the `allOf` merges of `merging` (outermost first).
    fn shape_within(
        &self,
        schema: &'a Schema,
        pointer: &str,
        merging: &mut Vec<&'a Schema>,
    ) -> Result<Shape<'a>, Error> {
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                object_shape(&o.properties, &o.required, o.additional_properties.as_ref())
            }
            SchemaKind::Type(Type::Array(a)) => Shape::Array(a.items.as_ref().map(SchemaRef::from)),
            SchemaKind::Type(Type::String(s)) => {
                let values: Vec<&str> =
                    s.enumeration.iter().flatten().map(String::as_str).collect();
                if values.is_empty() {
                    Shape::Scalar(string_type(&s.format))
                } else {
                    Shape::Enum(values)
                }
            }
            SchemaKind::Type(Type::Integer(i)) => Shape::Scalar(integer_type(&i.format)),
            SchemaKind::Type(Type::Number(n)) => Shape::Scalar(number_type(&n.format)),
            SchemaKind::Type(Type::Boolean(_)) => Shape::Scalar(TypeRef::Bool),
            SchemaKind::AllOf { all_of } => match all_of.as_slice() {
                [only] => Shape::Same(only.into()),
                parts => {
                    merging.push(schema);
                    let merged = self.merge_all_of(parts, pointer, merging);
                    merging.pop();
                    merged?
                }
            },
            SchemaKind::OneOf { .. } => Shape::Json(Some(
                "`oneOf` has no Rust type here yet; typed as serde_json::Value",
            )),
            SchemaKind::AnyOf { .. } => Shape::Json(Some(
                "`anyOf` has no Rust type here yet; typed as serde_json::Value",
            )),
            SchemaKind::Not { .. } => {
                Shape::Json(Some("`not` has no Rust type; typed as serde_json::Value"))
            }
            SchemaKind::Any(any) => {
                if !any.properties.is_empty() || any.typ.as_deref() == Some("object") {
                    object_shape(
                        &any.properties,
                        &any.required,
                        any.additional_properties.as_ref(),
                    )
                } else if let Some(items) = &any.items {
                    Shape::Array(Some(items.into()))
                } else if any.additional_properties.is_some() {
                    Shape::Map(any.additional_properties.as_ref())
                } else {
                    any_scalar(any.typ.as_deref(), any.format.as_deref(), &any.enumeration)
                }
            }
        })
    }

    /// `allOf: [A, B, {properties}]` → one object with every part's properties.
    fn merge_all_of(
        &self,
        parts: &'a [ReferenceOr<Schema>],
        pointer: &str,
        merging: &mut Vec<&'a Schema>,
    ) -> Result<Shape<'a>, Error> {
        let mut properties = Vec::new();
        let mut required = BTreeSet::new();
        let mut additional = None;
        for (i, part) in parts.iter().enumerate() {
            let part_pointer = format!("{pointer}/allOf/{i}");
            let schema = self.resolve(part.into(), &part_pointer)?;
            // Merging a schema into itself never ends: the object would contain itself.
            if merging.iter().any(|outer| std::ptr::eq(*outer, schema)) {
                return Err(self.error(
                    &part_pointer,
                    "`allOf` includes the schema it belongs to (through $refs); an object cannot contain itself",
                ));
            }
            match self.shape_within(schema, &part_pointer, merging)? {
                Shape::Object {
                    properties: p,
                    required: r,
                    additional: a,
                } => {
                    for (wire, s) in p {
                        // A later part redefines a property: last wins, as in a JSON merge.
                        properties.retain(|(w, _)| *w != wire);
                        properties.push((wire, s));
                    }
                    required.extend(r);
                    additional = additional.or(a);
                }
                _ => {
                    return Ok(Shape::Json(Some(
                        "`allOf` of non-object schemas has no Rust type; typed as serde_json::Value",
                    )));
                }
            }
        }
        Ok(Shape::Object {
            properties,
            required,
            additional,
        })
    }

    /// Follows references to the schema they name.
    fn resolve(&self, schema: SchemaRef<'a>, pointer: &str) -> Result<&'a Schema, Error> {
        let mut current = schema;
        for _ in 0..64 {
            match current {
                SchemaRef::Inline(s) => return Ok(s),
                SchemaRef::Ref(reference) => {
                    let name = reference
                        .strip_prefix(SCHEMA_REF_PREFIX)
                        .map(unescape_token)
                        .unwrap_or_default();
                    let target = self
                        .loaded
                        .openapi
                        .components
                        .as_ref()
                        .and_then(|c| c.schemas.get(&name))
                        .ok_or_else(|| {
                            self.error(pointer, &format!("$ref '{reference}' points to no schema"))
                        })?;
                    current = target.into();
                }
            }
        }
        Err(self.error(
            pointer,
            "$ref chain does not end (a schema refers to itself)",
        ))
    }

    /// A name for a type the operations need (a params struct), settled with every other type name.
    pub(super) fn type_name(&mut self, owner: &str, role: &str) -> String {
        self.names.inline(owner, role)
    }

    /// How values of `ty` are written as URL or header text.
    /// The map a type is, through aliases (an alias is the same Rust type), if it is one: the
    /// query form of a map parameter is one pair per entry.
    pub(super) fn map_behind_aliases(&self, ty: &TypeRef) -> Option<TypeRef> {
        let mut ty = ty;
        // Aliases may loop in a broken spec: follow a bounded number of them.
        for _ in 0..64 {
            ty = match ty {
                TypeRef::Map(_) => return Some(ty.clone()),
                TypeRef::Named(name) => match self.types.get(name).map(|t| &t.kind) {
                    Some(TypeKind::Alias(inner)) => inner,
                    _ => return None,
                },
                _ => return None,
            };
        }
        None
    }

    /// Whether a type is a struct, through aliases: an object query parameter goes out field by
    /// field (`query.rs`), not as JSON text.
    pub(super) fn is_struct(&self, ty: &TypeRef) -> bool {
        let mut ty = ty;
        for _ in 0..64 {
            ty = match ty {
                TypeRef::Named(name) => match self.types.get(name).map(|t| &t.kind) {
                    Some(TypeKind::Alias(inner)) => inner,
                    Some(TypeKind::Struct(_)) => return true,
                    _ => return false,
                },
                _ => return false,
            };
        }
        false
    }

    pub(super) fn encoding(&self, ty: &TypeRef) -> ValueEncoding {
        let mut ty = ty;
        // An array parameter's encoding is its items'; items that are themselves arrays have no
        // plain text form (their `to_string` does not exist).
        let mut in_array = false;
        // Aliases may chain (and, in a broken spec, loop): follow a bounded number of them.
        for _ in 0..64 {
            ty = match ty {
                TypeRef::Array(_) if in_array => return ValueEncoding::Json,
                TypeRef::String => return ValueEncoding::Text,
                TypeRef::Bool | TypeRef::Int(_) | TypeRef::Float(_) => {
                    return ValueEncoding::Display;
                }
                TypeRef::DateTime => return ValueEncoding::DateTime,
                TypeRef::Json | TypeRef::Map(_) => return ValueEncoding::Json,
                TypeRef::Array(item) => {
                    in_array = true;
                    item
                }
                TypeRef::Named(name) => match self.types.get(name).map(|t| &t.kind) {
                    Some(TypeKind::Enum(_)) => return ValueEncoding::EnumName,
                    Some(TypeKind::Alias(inner)) if !matches!(inner, TypeRef::Array(_)) => inner,
                    _ => return ValueEncoding::Json,
                },
            };
        }
        ValueEncoding::Json
    }

    /// From now on an inline enum identical to a named one (same values, same default) is that
    /// enum: grpc-gateway inlines enum query parameters, and `channel` should be `Tradev1Channel`.
    /// Switched on only after every component is lowered, so the result does not depend on order.
    pub(super) fn reuse_identical_enums(&mut self) {
        self.reuse_enums = true;
        for def in self.types.values() {
            index_named_enum(&mut self.named_enums, def);
        }
    }

    fn identical_enum(
        &self,
        values: &[&str],
        default: Option<&serde_json::Value>,
    ) -> Option<String> {
        self.named_enums
            .get(&enum_key(&enumeration(values, default)))
            .cloned()
    }

    pub(super) fn warn(&mut self, pointer: &str, message: &str) {
        self.diagnostics.push(Diagnostic {
            message: message.to_owned(),
            pointers: vec![pointer.to_owned()],
        });
    }

    pub(super) fn error(&self, pointer: &str, message: &str) -> Error {
        Error::Spec {
            file: self.loaded.file.clone(),
            pointer: pointer.to_owned(),
            message: message.to_owned(),
        }
    }
}

fn object_shape<'s>(
    properties: &'s indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &'s [String],
    additional: Option<&'s AdditionalProperties>,
) -> Shape<'s> {
    if properties.is_empty() && additional.is_some() {
        return Shape::Map(additional);
    }
    Shape::Object {
        properties: properties
            .iter()
            .map(|(k, v)| (k.as_str(), v.into()))
            .collect(),
        required: required.iter().map(String::as_str).collect(),
        additional,
    }
}

fn int(bits: IntBits, signed: bool, wire: IntWire) -> TypeRef {
    TypeRef::Int(IntType { bits, signed, wire })
}

/// Integer formats written as unknown strings (`uint64`, or `int64` on `type: string`/`number`).
fn int_format(format: &str, wire: IntWire) -> Option<TypeRef> {
    Some(match format {
        "int32" => int(IntBits::B32, true, wire),
        "uint32" => int(IntBits::B32, false, wire),
        "int64" => int(IntBits::B64, true, wire),
        "uint64" => int(IntBits::B64, false, wire),
        _ => return None,
    })
}

fn string_type(format: &VariantOrUnknownOrEmpty<StringFormat>) -> TypeRef {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
        VariantOrUnknownOrEmpty::Unknown(f) => {
            int_format(f, IntWire::String).unwrap_or(TypeRef::String)
        }
        _ => TypeRef::String,
    }
}

fn integer_type(format: &VariantOrUnknownOrEmpty<IntegerFormat>) -> TypeRef {
    match format {
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => {
            int(IntBits::B32, true, IntWire::Number)
        }
        VariantOrUnknownOrEmpty::Unknown(f) => {
            int_format(f, IntWire::Number).unwrap_or(int(IntBits::B64, true, IntWire::Number))
        }
        _ => int(IntBits::B64, true, IntWire::Number),
    }
}

fn number_type(format: &VariantOrUnknownOrEmpty<NumberFormat>) -> TypeRef {
    match format {
        VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::Float(FloatType::F32),
        VariantOrUnknownOrEmpty::Unknown(f) => {
            int_format(f, IntWire::Number).unwrap_or(TypeRef::Float(FloatType::F64))
        }
        _ => TypeRef::Float(FloatType::F64),
    }
}

/// A schema openapiv3 could not file under one `type` (e.g. `type` with unusual keywords).
fn any_scalar<'s>(
    typ: Option<&str>,
    format: Option<&str>,
    enumeration: &'s [serde_json::Value],
) -> Shape<'s> {
    let values: Vec<&str> = enumeration
        .iter()
        .filter_map(serde_json::Value::as_str)
        .collect();
    match typ {
        Some("string") if !values.is_empty() => Shape::Enum(values),
        Some("string") => Shape::Scalar(match format {
            Some("date-time") => TypeRef::DateTime,
            Some(f) => int_format(f, IntWire::String).unwrap_or(TypeRef::String),
            None => TypeRef::String,
        }),
        Some("integer") => Shape::Scalar(
            format
                .and_then(|f| int_format(f, IntWire::Number))
                .unwrap_or(int(IntBits::B64, true, IntWire::Number)),
        ),
        Some("number") => Shape::Scalar(match format {
            Some("float") => TypeRef::Float(FloatType::F32),
            Some(f) => int_format(f, IntWire::Number).unwrap_or(TypeRef::Float(FloatType::F64)),
            None => TypeRef::Float(FloatType::F64),
        }),
        Some("boolean") => Shape::Scalar(TypeRef::Bool),
        Some("array") => Shape::Array(None),
        // A typeless, propertyless schema (`{}`) is any JSON value by definition: no diagnostic.
        None => Shape::Json(None),
        Some(_) => Shape::Json(Some("unknown `type`; typed as serde_json::Value")),
    }
}

fn enumeration(values: &[&str], default: Option<&serde_json::Value>) -> Enum {
    let entries: Vec<(String, String)> = values
        .iter()
        .map(|v| ((*v).to_owned(), ident::variant_ident(v)))
        .collect();
    let taken = BTreeSet::from([CATCH_ALL_VARIANT.to_owned()]);
    let names = ident::dedupe(&entries, &taken, Style::Camel);
    let variants: Vec<Variant> = values
        .iter()
        .zip(names)
        .map(|(wire, name)| Variant {
            name,
            wire: (*wire).to_owned(),
        })
        .collect();
    let default = default
        .and_then(serde_json::Value::as_str)
        .and_then(|d| variants.iter().position(|v| v.wire == d))
        .unwrap_or(0);
    Enum {
        variants,
        default,
        unknown: CATCH_ALL_VARIANT.to_owned(),
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
