//! Schemas → named types and type uses, after [`classify`] says what each schema means.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::classify::{SchemaClass, SchemaRef, classify};
use super::context::Context;
use super::enums::{EnumIndex, enumeration};
use crate::Error;
use crate::error::pointer_token;
use crate::ident::{self, Style};
use crate::ir::{
    Docs, ExtraFields, Field, FieldShape, Struct, TypeDef, TypeKind, TypeRef, ValueEncoding,
};
use crate::load::pointer;

const EXTRA_FIELDS_WIRE: &str = "additionalProperties";

/// The types lowered so far: every component's, then the inline ones the operations bring.
pub(super) struct SchemaLowering<'a> {
    pub(super) cx: Context<'a>,
    types: BTreeMap<String, TypeDef>,
    /// Empty while the components are lowered, then built once from them.
    enums: EnumIndex,
    /// Inline schemas whose types are being defined, outermost first: an `allOf` of a `$ref` to
    /// its owner brings the same inline schema back as a property of itself, without end.
    defining: Vec<&'a Schema>,
}

impl<'a> SchemaLowering<'a> {
    /// Lowers every entry of `components.schemas`, in document order, into a named type.
    pub(super) fn new(
        cx: Context<'a>,
        schemas: &'a IndexMap<String, ReferenceOr<Schema>>,
    ) -> Result<Self, Error> {
        let mut lowering = Self {
            cx,
            types: BTreeMap::new(),
            enums: EnumIndex::default(),
            defining: Vec::new(),
        };
        for (spec_name, schema) in schemas {
            let pointer = lowering.cx.loaded.schema_pointer(spec_name);
            let name = lowering.cx.names.component(spec_name).map(str::to_owned);
            let name = name.ok_or_else(|| lowering.cx.error(&pointer, "unnamed schema"))?;
            lowering.define(name, &pointer, schema.into(), None)?;
        }
        lowering.enums = EnumIndex::of(lowering.types.values());
        Ok(lowering)
    }

    /// Types sorted by Rust name, and the context (its diagnostics in the order they arose).
    pub(super) fn finish(self) -> (Vec<TypeDef>, Context<'a>) {
        (self.types.into_values().collect(), self.cx)
    }

    /// Lowers `schema` into the named type `name`; `class` is its [`SchemaClass`] when the
    /// caller has classified it already.
    fn define(
        &mut self,
        name: String,
        pointer: &str,
        schema: SchemaRef<'a>,
        class: Option<SchemaClass<'a>>,
    ) -> Result<(), Error> {
        let SchemaRef::Inline(inline) = schema else {
            return self.define_within(name, pointer, schema, class);
        };
        if self
            .defining
            .iter()
            .any(|outer| std::ptr::eq(*outer, inline))
        {
            return Err(self.cx.error(
                pointer,
                "this schema contains itself without end (an `allOf` brings back the object it is a property of); an object cannot contain itself",
            ));
        }
        self.defining.push(inline);
        let defined = self.define_within(name, pointer, schema, class);
        self.defining.pop();
        defined
    }

    /// [`Self::define`], once the schema is known not to be inside its own definition.
    fn define_within(
        &mut self,
        name: String,
        pointer: &str,
        schema: SchemaRef<'a>,
        class: Option<SchemaClass<'a>>,
    ) -> Result<(), Error> {
        let mut docs = schema.docs();
        let s = match schema {
            SchemaRef::Ref(reference) => {
                let target = self.reference(reference, pointer)?;
                self.insert(name, pointer, docs, TypeKind::Alias(target));
                return Ok(());
            }
            SchemaRef::Inline(s) => s,
        };
        let class = match class {
            Some(class) => class,
            None => classify(&self.cx, s, pointer)?,
        };
        let kind = match class {
            SchemaClass::Object {
                properties,
                required,
                additional,
            } => {
                TypeKind::Struct(self.object(&name, pointer, &properties, &required, additional)?)
            }
            // The spec default of an enum type is its `Default`, not a note in the docs.
            SchemaClass::Enum(values) => {
                docs.default = None;
                TypeKind::Enum(enumeration(&values, s.schema_data.default.as_ref()))
            }
            other => TypeKind::Alias(self.use_class(s, other, &name, "", pointer)?),
        };
        self.insert(name, pointer, docs, kind);
        Ok(())
    }

    /// Records the named type defined at `pointer`.
    fn insert(&mut self, name: String, pointer: &str, docs: Docs, kind: TypeKind) {
        let namespace = self.cx.loaded.schema_pointer("");
        let schema_path = pointer.strip_prefix(namespace.as_str()).unwrap_or(pointer);
        let def = TypeDef {
            origin: pointer.to_owned(),
            schema_path: schema_path.to_owned(),
            name,
            docs,
            kind,
        };
        self.types.insert(def.name.clone(), def);
    }

    /// The type of a use of `schema` (a property, an array item, a map value). Inline objects and
    /// enums become named types called after their owner and role, unless an enum is a named one.
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
        let class = classify(&self.cx, s, pointer)?;
        self.use_class(s, class, owner, role, pointer)
    }

    /// [`Self::use_of`] an inline schema already classified.
    fn use_class(
        &mut self,
        s: &'a Schema,
        class: SchemaClass<'a>,
        owner: &str,
        role: &str,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
        let (map, array) = (
            |ty| TypeRef::Map(Box::new(ty)),
            |ty| TypeRef::Array(Box::new(ty)),
        );
        // An inline enum identical to a named one is that one.
        if let SchemaClass::Enum(values) = &class {
            let values = enumeration(values, s.schema_data.default.as_ref());
            if let Some(existing) = self.enums.named(&values) {
                return Ok(TypeRef::Named(existing.to_owned()));
            }
        }
        Ok(match class {
            SchemaClass::Object { properties, .. } if properties.is_empty() => map(TypeRef::Json),
            class @ (SchemaClass::Enum(_) | SchemaClass::Object { .. }) => {
                let name = self.cx.names.inline(owner, role);
                self.define(name.clone(), pointer, SchemaRef::Inline(s), Some(class))?;
                TypeRef::Named(name)
            }
            SchemaClass::Map(Some(AdditionalProperties::Schema(values))) => {
                let values: &'a ReferenceOr<Schema> = values;
                let (role, pointer) = (
                    format!("{role}_value"),
                    format!("{pointer}/additionalProperties"),
                );
                map(self.use_of(values.into(), owner, &role, &pointer)?)
            }
            SchemaClass::Map(_) => map(TypeRef::Json),
            SchemaClass::Array(Some(items)) => {
                let (role, pointer) = (format!("{role}_item"), format!("{pointer}/items"));
                array(self.use_of(items, owner, &role, &pointer)?)
            }
            SchemaClass::Array(None) => array(TypeRef::Json),
            SchemaClass::Scalar(ty) => ty,
            SchemaClass::Same(inner) => {
                self.use_of(inner, owner, role, &format!("{pointer}/allOf/0"))?
            }
            SchemaClass::Json(reason) => {
                if let Some(reason) = reason {
                    self.cx.warn(pointer, reason);
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
        let idents = ident::dedupe(&entries, |_| false, Style::Snake);
        let mut fields = Vec::with_capacity(properties.len());
        for ((wire, schema), name_in_rust) in properties.iter().zip(idents.iter()) {
            let field_pointer = format!("{pointer}/properties/{}", pointer_token(wire));
            let ty = self.use_of(*schema, name, wire, &field_pointer)?;
            let required = required.contains(wire);
            fields.push(Field {
                name: name_in_rust.clone(),
                wire: (*wire).to_owned(),
                shape: FieldShape::of(&ty, required),
                ty,
                required,
                docs: schema.docs(),
            });
        }
        // Unknown keys are kept as JSON whatever `additionalProperties` says: decoding must not fail
        // on a key the spec did not describe.
        let extra = match additional {
            None | Some(AdditionalProperties::Any(false)) => None,
            Some(_) => {
                // dedupe asks for both the bare and the raw form of a name.
                let taken = |name: &str| idents.iter().any(|i| i == name);
                let entry = [(
                    EXTRA_FIELDS_WIRE.to_owned(),
                    ident::field_ident(EXTRA_FIELDS_WIRE),
                )];
                let name = ident::dedupe(&entry, taken, Style::Snake).pop();
                Some(ExtraFields {
                    name: name.unwrap_or_default(),
                    value: TypeRef::Json,
                })
            }
        };
        Ok(Struct { fields, extra })
    }

    fn reference(&self, reference: &str, pointer: &str) -> Result<TypeRef, Error> {
        let error = |what| {
            self.cx
                .error(pointer, &format!("$ref '{reference}' {what}"))
        };
        let target = pointer::component_name(reference, "schemas")
            .ok_or_else(|| error("does not name a schema"))?;
        let name = self
            .cx
            .names
            .component(&target)
            .ok_or_else(|| error("points to no schema"))?;
        Ok(TypeRef::Named(name.to_owned()))
    }

    /// The type behind aliases (an alias is the same Rust type). They may loop in a broken spec:
    /// a bounded number of them is followed.
    pub(super) fn unaliased<'t>(&'t self, mut ty: &'t TypeRef) -> &'t TypeRef {
        for _ in 0..64 {
            let Some(TypeKind::Alias(inner)) = self.kind_of(ty) else {
                break;
            };
            ty = inner;
        }
        ty
    }

    fn kind_of(&self, ty: &TypeRef) -> Option<&TypeKind> {
        let TypeRef::Named(name) = ty else {
            return None;
        };
        self.types.get(name).map(|t| &t.kind)
    }

    /// Whether a type is a struct, through aliases: an object query parameter goes out field by
    /// field (`query.rs`), not as JSON text.
    pub(super) fn is_struct(&self, ty: &TypeRef) -> bool {
        matches!(self.kind_of(self.unaliased(ty)), Some(TypeKind::Struct(_)))
    }

    /// How values of `ty` are written as URL or header text. An array parameter's encoding is its
    /// items'; items that are themselves arrays have no plain text form (no `to_string`).
    pub(super) fn encoding(&self, ty: &TypeRef) -> ValueEncoding {
        let item = match ty {
            TypeRef::Array(item) => item,
            _ => ty,
        };
        let item = self.unaliased(item);
        item.scalar_encoding()
            .unwrap_or_else(|| match self.kind_of(item) {
                Some(TypeKind::Enum(_)) => ValueEncoding::EnumName,
                _ => ValueEncoding::Json,
            })
    }
}
