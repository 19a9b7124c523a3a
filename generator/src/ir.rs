//! The intermediate representation between the spec and the tokens.
//!
//! Everything the emitters need is decided here: Rust names are final (sanitized, collisions settled),
//! every schema has become a named type or a [`TypeRef`], every field has its [`FieldShape`], every
//! declared type its [`RustType`], and wire formats are explicit. Emitters only print.

mod rust_type;

use std::collections::HashMap;

pub use rust_type::RustType;

/// The whole API as the SDK sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    /// `info.version` of the document.
    pub version: String,
    pub description: Option<String>,
    /// Every named type, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Every operation of the spec, sorted by method name.
    pub operations: Vec<Operation>,
    /// Default base URL of the client: the spec's first server.
    pub base_url: String,
    /// Header that carries the API key (the spec's `apiKey` security scheme).
    pub api_key_header: String,
    /// Operations whose answer is a page of items, sorted by method name (`lower/pagination.rs`).
    pub lists: Vec<List>,
}

/// One operation: one HTTP method on one path, one client method.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId` as written (or derived from method and path when the spec has none).
    pub id: String,
    /// Rust method name on the client: snake_case of `id`, unique.
    pub method_name: String,
    pub http_method: HttpMethod,
    /// Path template as written, e.g. `/v1/business_users/{user.id}`.
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// Path parameters in template order: required method arguments.
    pub path_params: Vec<Param>,
    /// Query and header parameters, gathered in a params struct.
    pub params: Option<ParamsStruct>,
    pub body: Option<Body>,
    /// Type of the success (2xx) response body; `None` for no body.
    pub response: Option<TypeRef>,
    /// Media type asked for in `Accept`.
    pub accept: String,
    /// Other operations that serve the same RPC on another route (`ChargeService_QueryCharge` and
    /// `ChargeService_QueryCharge2`), sorted by method name.
    pub same_rpc: Vec<Route>,
    /// JSON pointer of the operation in the document as written.
    pub origin: String,
}

/// An operation whose answer is a page of items: a GET answered by an object with an array `data`
/// and a boolean more-flag (`has_more`, or `hasMore` as the settlement-account list spells it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List {
    /// `operationId` of the plain operation.
    pub operation: String,
    /// Its method on the client.
    pub method_name: String,
    pub paging: Paging,
}

/// Whether a list can be walked page by page, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paging {
    /// Walked with cursors: stream and pages methods are emitted.
    Cursor(Box<Pagination>),
    /// No `starting_after` query parameter (the `…Search…` operations): not walked automatically.
    NoCursor,
    /// The items have no id field to use as the cursor (reported as a diagnostic): not walked
    /// automatically, rather than walked with a wrong cursor.
    NoItemId,
}

/// How to walk one list operation, every name final.
///
/// The cursor of the next page is the id of the last item of this one (`starting_after`), of the
/// previous page the id of the first item (`ending_before`). The id field of an item is `id` when
/// the item has one, else `<resource>_id` where `<resource>` is the last words of the item type's
/// name (`V1Charge` → `charge_id`, `V1Refund` → `refund_id`); it must be a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// Rust name of the operation's params struct.
    pub params_type: String,
    /// Walking forwards: the cursor goes in `starting_after`.
    pub forward: Walk,
    /// Walking backwards, the cursor in `ending_before`; `None` without that parameter.
    pub backward: Option<Walk>,
    /// Rust name of the answer (one page).
    pub page_type: String,
    /// The page's field holding the items (`data`).
    pub data_field: String,
    /// Rust name of the item type.
    pub item_type: String,
    /// The page's more-flag field (Rust name).
    pub more_field: String,
    /// The flag is `Option<bool>` ([`FieldShape::Optional`]); absent means no more pages.
    pub more_optional: bool,
    /// The item's id field (Rust name) and its JSON key.
    pub cursor_field: String,
    pub cursor_wire: String,
    /// The id is `Option<String>` ([`FieldShape::Optional`]).
    pub cursor_optional: bool,
}

/// One direction of a [`Pagination`]: the params field that carries the cursor, and the client
/// methods that walk that way (items, pages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Walk {
    pub cursor_param: String,
    pub stream_method: String,
    pub pages_method: String,
}

/// Another operation, as docs and error messages name it: its method and route.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Route {
    pub method_name: String,
    /// Its `operationId`.
    pub id: String,
    pub http_method: HttpMethod,
    pub path: String,
}

/// `GET /v1/charges`: how every message and doc line writes a route.
impl std::fmt::Display for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.http_method.as_str(), self.path)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

/// Query and header parameters of one operation, as a struct with `Default`.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamsStruct {
    /// Rust type name (`ChargeServiceQueryChargeListParams`).
    pub name: String,
    /// In spec order.
    pub params: Vec<Param>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Rust identifier (argument or field).
    pub name: String,
    /// Exact name on the wire (`created.lt`, `user.id`).
    pub wire: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    /// How a value becomes text on the wire.
    pub encoding: ValueEncoding,
    /// Required parameters are plain `T` (always sent); optional ones `Option<T>` (sent when set).
    pub required: bool,
    /// For arrays: one `name=value` pair per item (`true`), or one comma-joined value.
    pub explode: bool,
    pub docs: Docs,
    /// Path parameters only: values that would send the request to another route of the same HTTP
    /// method, whose template has a literal segment where this one has the parameter
    /// (`search` for `GET /v1/business_users/{id}`). The client refuses them.
    pub reserved: Vec<ReservedValue>,
    /// Query parameters that are objects: their fields as sent, one dotted name each
    /// (`filter.id`), as grpc-gateway reads a message field. Empty for every other parameter.
    pub leaves: Vec<QueryLeaf>,
}

/// One plain-text field of an object query parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryLeaf {
    /// The dotted name on the wire (`filter.window.start`).
    pub wire: String,
    /// The fields from the parameter's value to this one, outermost first.
    pub steps: Vec<LeafStep>,
    pub encoding: ValueEncoding,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeafStep {
    /// The Rust field name.
    pub field: String,
    /// How the field is held, so the emitter can reach into it (a container: a `Vec` of plain
    /// values, one pair per item, the last step only).
    pub shape: FieldShape,
}

/// A path parameter value that belongs to another route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReservedValue {
    /// The other route's literal segment, as written in its template.
    pub value: String,
    /// Other path parameters of the operation that must also equal the other route's literal
    /// segments (wire name, literal) for the request to reach it; usually none.
    pub with: Vec<(String, String)>,
    /// The operation the request would reach.
    pub route: Route,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

/// How one scalar value is written as URL or header text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueEncoding {
    /// `String`: as is.
    Text,
    /// Integers, floats, booleans: `Display` (decimal digits, `true`/`false`).
    Display,
    /// Generated enums: their wire name (`as_str`).
    EnumName,
    /// RFC 3339.
    DateTime,
    /// Anything else: its JSON text (reported as a diagnostic when lowered).
    Json,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub ty: TypeRef,
    pub content_type: String,
    pub required: bool,
    /// The body's idempotency token field (`ClientToken`), which makes the request safe to repeat;
    /// see [`crate::lower`] for the rule.
    pub idempotency_token: Option<TokenField>,
}

/// A request body's field that holds an idempotency token: a string the SDK fills once per call
/// when the caller leaves it empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenField {
    /// Rust identifier of the field in the body's struct.
    pub field: String,
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
    /// How the struct holds `ty`.
    pub shape: FieldShape,
    /// Listed in the schema's `required`, as the spec says (the Rust type follows `shape`).
    pub required: bool,
    pub docs: Docs,
}

/// How a struct holds a field: the type rules of ARCHITECTURE.md. Lowering sets it from the type
/// and `required` ([`FieldShape::of`]); the cycle and boxing passes (`cycles.rs`, `boxes.rs`) box
/// fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldShape {
    /// `T`: `null` or absent decodes as the zero value; always sent.
    Required,
    /// `Option<T>`: not sent when `None`.
    Optional,
    /// `Option<Box<T>>`: an optional struct, or a field on a reference cycle (even a required one).
    Boxed,
    /// `Vec<T>` or `BTreeMap<String, T>`, never `Option`: `null` decodes as empty, empty is not sent.
    Container,
    /// `serde_json::Value`, never `Option`: `null` is not sent.
    Json,
}

impl FieldShape {
    /// A field's shape before any boxing.
    pub fn of(ty: &TypeRef, required: bool) -> FieldShape {
        match ty {
            _ if ty.is_container() => FieldShape::Container,
            TypeRef::Json => FieldShape::Json,
            _ if required => FieldShape::Required,
            _ => FieldShape::Optional,
        }
    }
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
    /// The JSON form the value is sent in. Decoding accepts both forms.
    pub json: IntJson,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IntBits {
    B32,
    B64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IntJson {
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

    /// The type inside any arrays and maps (`V1Charge` in `Vec<BTreeMap<String, V1Charge>>`): a
    /// `TypeRef` holds at most one other type.
    pub fn innermost(&self) -> &TypeRef {
        let mut ty = self;
        while let TypeRef::Array(inner) | TypeRef::Map(inner) = ty {
            ty = inner;
        }
        ty
    }

    /// How a value of a scalar type is written as URL or header text; `None` for the others
    /// (named types, containers, JSON).
    pub fn scalar_encoding(&self) -> Option<ValueEncoding> {
        match self {
            TypeRef::String => Some(ValueEncoding::Text),
            TypeRef::Bool | TypeRef::Int(_) | TypeRef::Float(_) => Some(ValueEncoding::Display),
            TypeRef::DateTime => Some(ValueEncoding::DateTime),
            _ => None,
        }
    }

    /// Whether the Rust type mentions `BTreeMap`.
    pub fn contains_map(&self) -> bool {
        match self {
            TypeRef::Map(_) => true,
            TypeRef::Array(item) => item.contains_map(),
            _ => false,
        }
    }
}

impl Operation {
    /// How other operations' docs and errors name this one.
    pub fn route(&self) -> Route {
        Route {
            method_name: self.method_name.clone(),
            id: self.id.clone(),
            http_method: self.http_method,
            path: self.path.clone(),
        }
    }
}

impl Api {
    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.id == id)
    }

    /// The list facts of an operation, if its answer is a page.
    pub fn list(&self, operation_id: &str) -> Option<&List> {
        self.lists.iter().find(|l| l.operation == operation_id)
    }

    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.types
            .binary_search_by(|t| t.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.types[i])
    }

    /// For every type, for every field of a struct (empty for other types): the position of the
    /// named type the field holds inline, looking through aliases (`type A = B;`), or `None`
    /// (scalars, containers, unknown names, alias loops). One name lookup per field, hashed: the
    /// passes over every field (cycles, boxing) were dominated by looking names up.
    pub fn field_targets(&self) -> Vec<Vec<Option<usize>>> {
        let index = type_positions(&self.types);
        let target = |ty: &TypeRef| {
            let mut ty = ty;
            // A chain longer than the number of types loops (lowering reports alias loops).
            for _ in 0..=self.types.len() {
                let TypeRef::Named(name) = ty else {
                    return None;
                };
                let found = *index.get(name.as_str())?;
                match &self.types[found].kind {
                    TypeKind::Alias(inner) => ty = inner,
                    _ => return Some(found),
                }
            }
            None
        };
        self.types
            .iter()
            .map(|def| match &def.kind {
                TypeKind::Struct(s) => s.fields.iter().map(|f| target(&f.ty)).collect(),
                _ => Vec::new(),
            })
            .collect()
    }
}

/// Each type's position in `types` (an [`Api::types`]), by name: hashed, for the passes that look
/// up many names, some while the operations are borrowed mutably.
pub fn type_positions(types: &[TypeDef]) -> HashMap<&str, usize> {
    types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect()
}

/// IR values for unit tests of the passes over the IR.
#[cfg(test)]
pub(crate) mod fixtures {
    use heck::ToSnakeCase;

    use super::{Docs, Field, FieldShape, TypeDef, TypeKind, TypeRef};

    pub(crate) fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.into(),
            origin: String::new(),
            schema_path: String::new(),
            docs: Docs::default(),
            kind,
        }
    }

    /// A field named after its JSON key, not boxed.
    pub(crate) fn field(wire: &str, ty: TypeRef, required: bool) -> Field {
        Field {
            name: wire.to_snake_case(),
            wire: wire.into(),
            shape: FieldShape::of(&ty, required),
            ty,
            required,
            docs: Docs::default(),
        }
    }
}
