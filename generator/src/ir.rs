//! The intermediate representation between the spec and the tokens.
//!
//! Everything the emitters need is decided here: Rust names are final (sanitized, collisions settled),
//! every schema has become a named type or a [`TypeRef`], recursion is broken with `boxed`, and wire
//! formats are explicit. Emitters only print.

/// The whole API as the SDK sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    /// `info.version` of the document.
    pub version: String,
    pub description: Option<String>,
    /// Every named type, sorted by Rust name.
    pub types: Vec<TypeDef>,
}

/// One named Rust type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Final Rust identifier (UpperCamel, unique in the crate).
    pub name: String,
    /// JSON pointer of the schema this type comes from, in the document as written.
    pub origin: String,
    /// The same place relative to the document's schema namespace (`v1Charge/properties/extra`):
    /// identical for Swagger 2.0 and OpenAPI 3.0 input, so it can appear in the emitted docs.
    pub schema_path: String,
    pub docs: Docs,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    Enum(Enum),
    /// A named schema that is not an object or enum (`type: string`, an array, ...).
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// In spec order.
    pub fields: Vec<Field>,
    /// `additionalProperties` next to `properties`: unknown keys are kept here (flattened map).
    pub extra: Option<ExtraFields>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExtraFields {
    /// Rust identifier of the flattened map field.
    pub name: String,
    /// Type of each value.
    pub value: TypeRef,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Final Rust identifier (snake_case, raw or escaped where needed, unique in the struct).
    pub name: String,
    /// Exact JSON key.
    pub wire: String,
    pub ty: TypeRef,
    /// Listed in the schema's `required`. Shapes the Rust type (see ARCHITECTURE.md), never decoding.
    pub required: bool,
    /// The field's type is part of a reference cycle and is stored behind a `Box`.
    pub boxed: bool,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// In spec order.
    pub variants: Vec<Variant>,
    /// Index into `variants` of the `Default` value: the spec's `default`, else the first value
    /// (protobuf's zero value comes first).
    pub default: usize,
    /// Identifier of the catch-all variant that keeps a value this release does not know.
    pub unknown: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub name: String,
    pub wire: String,
}

/// Documentation as the spec gives it; emitters make it rustdoc-safe.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Docs {
    pub title: Option<String>,
    pub description: Option<String>,
    /// The spec's `default`, as JSON text. Documented only: never injected into requests.
    pub default: Option<String>,
}

/// A use of a type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    String,
    Bool,
    Int(IntType),
    Float(FloatType),
    /// RFC 3339 timestamp.
    DateTime,
    /// Any JSON value (`{}` schemas, shapes the SDK cannot type).
    Json,
    /// A [`TypeDef`] by its Rust name.
    Named(String),
    Array(Box<TypeRef>),
    /// String-keyed map (`additionalProperties` without `properties`).
    Map(Box<TypeRef>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IntType {
    pub bits: IntBits,
    pub signed: bool,
    /// How the value is sent. Decoding accepts both forms.
    pub wire: IntWire,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IntBits {
    B32,
    B64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IntWire {
    /// `type: integer` (or `number`): a JSON number.
    Number,
    /// `type: string`: a JSON string of decimal digits.
    String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FloatType {
    F32,
    F64,
}

impl TypeRef {
    /// Arrays and maps have no "unset" state distinct from empty (protobuf repeated/map semantics),
    /// so they are never wrapped in `Option`.
    pub fn is_container(&self) -> bool {
        matches!(self, TypeRef::Array(_) | TypeRef::Map(_))
    }
}

impl Api {
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.types
            .binary_search_by(|t| t.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.types[i])
    }
}
