//! A seeded, structure-aware random spec: Swagger 2.0 or OpenAPI 3.0 documents built from the
//! shapes the generator handles, with the names and links most likely to break it (keywords,
//! names that collide once converted to Rust, alias chains, `$ref` loops, dangling refs).

use std::collections::BTreeSet;

use fastrand::Rng;
use serde_json::{Map, Value, json};

/// Which dialect a generated document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Swagger2,
    OpenApi3,
}

/// Names that are Rust keywords, prelude or runtime types, non-identifiers, or that collide with
/// each other after case conversion: each is a way the emitted code could fail to parse or resolve.
const NASTY: &[&str] = &[
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "fn",
    "match",
    "async",
    "await",
    "dyn",
    "try",
    "union",
    "mod",
    "r#type",
    "_",
    "__",
    "",
    "123abc",
    "0",
    "foo-bar",
    "foo_bar",
    "FooBar",
    "fooBar",
    "FOO_BAR",
    "foo.bar",
    "foo/bar",
    "a b",
    "{id}",
    "Ünïcode",
    "😀",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Error",
    "Client",
    "Default",
    "Value",
    "Map",
    "serde",
    "std",
    "core",
    "id",
    "Id",
    "ID",
    "_id",
    "value",
    "Value_",
    "true",
    "null",
    "-1",
    "1.5",
    "*/",
    "\"",
    "'",
    "\\",
    "#",
    "`",
    "a\nb",
];

/// Ordinary names, so that most documents are not only noise.
const PLAIN: &[&str] = &[
    "Charge", "Refund", "Order", "Item", "Amount", "Status", "Metadata", "Page", "Link", "User",
];

/// Description text with characters doc comments must survive.
const DOCS: &[&str] = &[
    "plain text",
    "ends a comment */ and opens /* one",
    "```\nnot rust\n```",
    "[link](http://x) <b>html</b> & \\ `tick`",
    "\u{7f}\u{200b}tabs\tand\r\nCRLF",
    "#[attr] //! inner",
];

/// Every scalar type with the formats tried for it (`""`: none); some are wrong for the type.
const SCALARS: &[(&str, &[&str])] = &[
    (
        "integer",
        &["", "int32", "int64", "uint32", "uint64", "int8", "weird"],
    ),
    ("number", &["", "float", "double", "decimal", "int64"]),
    (
        "string",
        &[
            "",
            "date-time",
            "date",
            "byte",
            "binary",
            "uuid",
            "int64",
            "uint64",
            "password",
            "email",
            "double",
            "weird",
        ],
    ),
    ("boolean", &[""]),
];

/// What a parameter's or body's schema is, at its top: the part of its shape that decides how it
/// is sent.
const KINDS: &[&str] = &[
    "scalar", "enum", "object", "map", "array", "ref", "allOf", "other",
];

/// Where parameters go, per dialect (`body` is Swagger 2.0's body parameter and OpenAPI 3.0's
/// request body).
const LOCATIONS: &[&str] = &["path", "query", "header", "cookie", "formData", "body"];

/// Shapes that are not scalars or parameters, as [`SpecGen::shapes`] names them.
const OTHER_SHAPES: &[&str] = &[
    "swagger 2.0",
    "openapi 3.0",
    "default",
    "enum integer",
    "enum string",
    "enum empty",
    "enum with null",
    "enum with number",
    "object",
    "object without type",
    "object required",
    "object additionalProperties true",
    "object additionalProperties false",
    "object additionalProperties schema",
    "map",
    "array",
    "array of arrays",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "empty schema",
    "array without items",
    "object without properties",
    "deep nest",
    "ref",
    "dangling ref",
    "description",
    "nullable",
    "readOnly",
    "alias ref",
    "alias allOf",
    "alias array",
    "alias map",
    "alias back to the first",
    "name nasty",
    "name plain",
    "name suffixed",
    "name compound",
    "parameter ref",
    "dangling parameter ref",
    "formData file",
    "collectionFormat multi",
    "path-level parameter",
    "no operationId",
    "tags",
    "response ref",
    "dangling response ref",
];

/// Response codes an operation may declare.
const CODES: &[&str] = &["200", "201", "204", "default", "4XX", "500", "302"];

/// Every shape a document can contain, as [`SpecGen::shapes`] names them.
pub fn all_shapes() -> BTreeSet<String> {
    let mut all: BTreeSet<String> = OTHER_SHAPES.iter().map(|s| (*s).to_owned()).collect();
    for (ty, formats) in SCALARS {
        all.extend(
            formats
                .iter()
                .map(|f| format!("scalar {ty} {}", or_dash(f))),
        );
    }
    for location in LOCATIONS {
        all.extend(KINDS.iter().map(|kind| format!("{location} {kind}")));
    }
    all.extend(CODES.iter().map(|code| format!("response {code}")));
    all
}

fn or_dash(format: &str) -> &str {
    if format.is_empty() { "-" } else { format }
}

/// A parameter or body schema's kind, one of [`KINDS`].
fn kind_of(schema: &Value) -> &'static str {
    let has = |key: &str| schema.get(key).is_some();
    let ty = schema.get("type").and_then(Value::as_str);
    if has("$ref") {
        "ref"
    } else if has("allOf") {
        "allOf"
    } else if has("enum") {
        "enum"
    } else if ty == Some("array") {
        "array"
    } else if has("properties") {
        "object"
    } else if ty == Some("object")
        && schema
            .get("additionalProperties")
            .is_some_and(Value::is_object)
    {
        "map"
    } else if matches!(ty, Some("integer" | "number" | "string" | "boolean")) {
        "scalar"
    } else {
        "other"
    }
}

pub struct SpecGen {
    rng: Rng,
    dialect: Dialect,
    names: Vec<String>,
    shapes: BTreeSet<String>,
    /// Whether an operation refers to the shared parameter / response: only then do their
    /// shapes reach the crate.
    shared_used: [bool; 2],
}

impl SpecGen {
    pub fn new(seed: u64) -> SpecGen {
        let mut rng = Rng::with_seed(seed);
        let dialect = if rng.bool() {
            Dialect::Swagger2
        } else {
            Dialect::OpenApi3
        };
        SpecGen {
            rng,
            dialect,
            names: Vec::new(),
            shapes: BTreeSet::new(),
            shared_used: [false; 2],
        }
    }

    /// The shapes the documents made so far contain (each one of [`all_shapes`]).
    pub fn shapes(&self) -> &BTreeSet<String> {
        &self.shapes
    }

    /// A `$ref` to the shared parameter (`which` 0) or response (1): `shape` when it names it,
    /// `dangling <shape>` otherwise (the loader drops it).
    fn shared_ref(&mut self, which: usize, names_shared: bool, shape: &str) {
        if names_shared {
            self.shared_used[which] = true;
            self.shape(shape.to_owned());
        } else {
            self.shape(format!("dangling {shape}"));
        }
    }

    fn shape(&mut self, name: String) {
        self.shapes.insert(name);
    }

    /// Runs `make` with the shapes it records kept apart (returned, not counted): for parts of a
    /// document that may never reach the crate.
    fn apart<T>(&mut self, make: impl FnOnce(&mut Self) -> T) -> (T, BTreeSet<String>) {
        let counted = std::mem::take(&mut self.shapes);
        let made = make(self);
        (made, std::mem::replace(&mut self.shapes, counted))
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.rng.usize(..items.len())]
    }

    fn name(&mut self) -> String {
        let (shape, name) = match self.rng.u8(..10) {
            0..=3 => ("name nasty", self.pick(NASTY).to_owned()),
            4..=7 => ("name plain", self.pick(PLAIN).to_owned()),
            // A plain name with a suffix that case conversion may merge with another.
            8 => (
                "name suffixed",
                format!("{}_{}", self.pick(PLAIN), self.rng.u8(..3)),
            ),
            _ => (
                "name compound",
                format!("{}{}", self.pick(PLAIN), self.pick(NASTY)),
            ),
        };
        self.shape(shape.into());
        name
    }

    fn ref_to(&self, name: &str) -> Value {
        // `~` and `/` in a JSON pointer token are escaped; a name with them exercises that.
        let token = name.replace('~', "~0").replace('/', "~1");
        let prefix = match self.dialect {
            Dialect::Swagger2 => "#/definitions/",
            Dialect::OpenApi3 => "#/components/schemas/",
        };
        json!({ "$ref": format!("{prefix}{token}") })
    }

    /// A `$ref` to a definition, now and then to one that does not exist.
    fn some_ref(&mut self) -> Value {
        if self.names.is_empty() || self.rng.u8(..12) == 0 {
            self.shape("dangling ref".into());
            let dangling = format!("Missing{}", self.name());
            return self.ref_to(&dangling);
        }
        self.shape("ref".into());
        let name = self.names[self.rng.usize(..self.names.len())].clone();
        self.ref_to(&name)
    }

    fn scalar(&mut self) -> Value {
        let (ty, formats) = SCALARS[self.rng.usize(..SCALARS.len())];
        let mut schema = Map::new();
        schema.insert("type".into(), json!(ty));
        let format = self.pick(formats);
        self.shape(format!("scalar {ty} {}", or_dash(format)));
        if !format.is_empty() {
            schema.insert("format".into(), json!(format));
        }
        if self.rng.u8(..4) == 0 {
            self.shape("default".into());
            schema.insert("default".into(), self.default_for(ty));
        }
        Value::Object(schema)
    }

    /// A default, sometimes of the wrong type: specs in the wild have those.
    fn default_for(&mut self, ty: &str) -> Value {
        match (ty, self.rng.u8(..5)) {
            (_, 0) => json!("text"),
            (_, 1) => json!(null),
            ("integer", _) => json!(self.rng.i64(..)),
            ("number", _) => json!(1.5e300),
            ("boolean", _) => json!(true),
            _ => json!(self.pick(NASTY)),
        }
    }

    fn enumeration(&mut self) -> Value {
        let count = self.rng.usize(0..6);
        if count == 0 {
            self.shape("enum empty".into());
        }
        if self.rng.u8(..4) == 0 {
            self.shape("enum integer".into());
            let values: Vec<Value> = (0..count).map(|_| json!(self.rng.i64(-3..3))).collect();
            return json!({ "type": "integer", "enum": values });
        }
        self.shape("enum string".into());
        let values: Vec<Value> = (0..count)
            .map(|_| match self.rng.u8(..10) {
                0 => {
                    self.shape("enum with null".into());
                    json!(null)
                }
                1 => {
                    self.shape("enum with number".into());
                    json!(7)
                }
                _ => json!(self.pick(NASTY)),
            })
            .collect();
        json!({ "type": "string", "enum": values })
    }

    fn object(&mut self, depth: u32) -> Value {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for _ in 0..self.rng.usize(0..6) {
            let name = self.name();
            if self.rng.bool() {
                required.push(json!(name.clone()));
            }
            let schema = self.schema(depth + 1);
            properties.insert(name, schema);
        }
        let mut schema = Map::new();
        self.shape("object".into());
        if self.rng.u8(..5) != 0 {
            schema.insert("type".into(), json!("object"));
        } else {
            self.shape("object without type".into());
        }
        schema.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            self.shape("object required".into());
            schema.insert("required".into(), Value::Array(required));
        }
        let extra = match self.rng.u8(..6) {
            0 => Some(("true", json!(true))),
            1 => Some(("false", json!(false))),
            2 => Some(("schema", self.schema(depth + 1))),
            _ => None,
        };
        if let Some((shape, extra)) = extra {
            self.shape(format!("object additionalProperties {shape}"));
            schema.insert("additionalProperties".into(), extra);
        }
        Value::Object(schema)
    }

    /// Any schema; `depth` bounds nesting so that documents stay small.
    pub fn schema(&mut self, depth: u32) -> Value {
        // Now and then a deep nest of arrays, maps and objects, far past the usual depth.
        if depth == 1 && self.rng.u16(..200) == 0 {
            self.shape("deep nest".into());
            let mut schema = self.scalar();
            for _ in 0..self.rng.usize(10..60) {
                schema = match self.rng.u8(..3) {
                    0 => json!({ "type": "array", "items": schema }),
                    1 => json!({ "type": "object", "additionalProperties": schema }),
                    _ => json!({ "type": "object", "properties": { "inner": schema } }),
                };
            }
            return schema;
        }
        let leaf = depth >= 3;
        let mut schema = match (leaf, self.rng.u8(..10)) {
            (true, 0..=4) | (false, 0..=1) => self.scalar(),
            (true, 5..=7) | (false, 2) => self.some_ref(),
            (true, _) | (false, 3) => self.enumeration(),
            (false, 4) => self.object(depth),
            (false, 5) => {
                self.shape("map".into());
                let values = self.schema(depth + 1);
                json!({ "type": "object", "additionalProperties": values })
            }
            (false, 6) => {
                self.shape("array".into());
                let items = self.schema(depth + 1);
                json!({ "type": "array", "items": items })
            }
            (false, 7) => {
                self.shape("allOf".into());
                let parts = (0..self.rng.usize(1..4))
                    .map(|_| {
                        if self.rng.bool() {
                            self.some_ref()
                        } else {
                            self.object(depth + 1)
                        }
                    })
                    .collect::<Vec<_>>();
                json!({ "allOf": parts })
            }
            (false, 8) => match self.rng.u8(..5) {
                0 => {
                    self.shape("empty schema".into());
                    json!({})
                }
                1 => {
                    self.shape("array without items".into());
                    json!({ "type": "array" })
                }
                2 => {
                    self.shape("object without properties".into());
                    json!({ "type": "object" })
                }
                // Lowering types these as serde_json::Value: what is inside never reaches a crate.
                3 => {
                    let (parts, _) = self.apart(|g| vec![g.schema(depth + 1), g.some_ref()]);
                    let keyword = self.pick(&["oneOf", "anyOf"]);
                    self.shape(keyword.into());
                    json!({ keyword: parts })
                }
                _ => {
                    self.shape("not".into());
                    let (inner, _) = self.apart(|g| g.schema(depth + 1));
                    json!({ "not": inner })
                }
            },
            _ => {
                self.shape("array of arrays".into());
                json!({ "type": "array", "items": { "type": "array", "items": self.scalar() } })
            }
        };
        if let Value::Object(map) = &mut schema {
            if self.rng.u8(..6) == 0 {
                self.shape("description".into());
                let docs = self.pick(DOCS);
                map.insert("description".into(), json!(docs));
            }
            if self.dialect == Dialect::OpenApi3 && self.rng.u8(..6) == 0 {
                self.shape("nullable".into());
                map.insert("nullable".into(), json!(true));
            }
            if self.rng.u8(..10) == 0 {
                self.shape("readOnly".into());
                map.insert("readOnly".into(), json!(true));
            }
        }
        schema
    }

    /// A definition whose whole content is links to others: an alias, an `allOf` of one, an
    /// array or map of one. Chains of these, and loops of them, are the alias class.
    fn alias_of(&mut self, target: &str) -> Value {
        let link = self.ref_to(target);
        let (shape, alias) = match self.rng.u8(..4) {
            0 => ("alias allOf", json!({ "allOf": [link] })),
            1 => ("alias array", json!({ "type": "array", "items": link })),
            2 => (
                "alias map",
                json!({ "type": "object", "additionalProperties": link }),
            ),
            _ => ("alias ref", link),
        };
        self.shape(shape.into());
        alias
    }

    fn definitions(&mut self) -> Map<String, Value> {
        let count = self.rng.usize(0..8);
        self.names = (0..count).map(|_| self.name()).collect();
        // Same-name duplicates collapse in a JSON object; what is left are the real names.
        let mut definitions = Map::new();
        let names = self.names.clone();
        for (index, name) in names.iter().enumerate() {
            let schema = match self.rng.u8(..6) {
                // A link to the next definition: consecutive ones form chains, the last one
                // links back to the first to close a loop.
                0 | 1 => {
                    if index + 1 == names.len() {
                        self.shape("alias back to the first".into());
                    }
                    let target = names[(index + 1) % names.len()].clone();
                    self.alias_of(&target)
                }
                _ => self.schema(0),
            };
            definitions.insert(name.clone(), schema);
        }
        definitions
    }

    fn parameter(&mut self, location: &str, name: String) -> Value {
        let schema = self.schema(1);
        self.shape(format!("{location} {}", kind_of(&schema)));
        let required = location == "path" || self.rng.bool();
        match self.dialect {
            Dialect::OpenApi3 => {
                json!({ "name": name, "in": location, "required": required, "schema": schema })
            }
            Dialect::Swagger2 => {
                // Swagger 2.0 non-body parameters carry the schema keywords inline.
                let mut parameter = match schema {
                    Value::Object(map) => map,
                    _ => Map::new(),
                };
                parameter.insert("name".into(), json!(name));
                parameter.insert("in".into(), json!(location));
                parameter.insert("required".into(), json!(required));
                if self.rng.u8(..4) == 0 {
                    self.shape("collectionFormat multi".into());
                    parameter.insert("collectionFormat".into(), json!("multi"));
                }
                Value::Object(parameter)
            }
        }
    }

    fn response(&mut self) -> Value {
        let schema = self.schema(1);
        match self.dialect {
            Dialect::Swagger2 => json!({ "description": "r", "schema": schema }),
            Dialect::OpenApi3 => json!({
                "description": "r",
                "content": { "application/json": { "schema": schema } }
            }),
        }
    }

    fn operation(&mut self, path_params: &[String]) -> Value {
        let mut parameters = Vec::new();
        for name in path_params {
            parameters.push(self.parameter("path", name.clone()));
        }
        if self.rng.u8(..5) == 0 {
            let name = self.pick(&["Shared", "Missing", "a~1b"]);
            self.shared_ref(0, name == "Shared", "parameter ref");
            let prefix = match self.dialect {
                Dialect::Swagger2 => "#/parameters/",
                Dialect::OpenApi3 => "#/components/parameters/",
            };
            parameters.push(json!({ "$ref": format!("{prefix}{name}") }));
        }
        if self.dialect == Dialect::Swagger2 && self.rng.u8(..8) == 0 {
            self.shape("formData file".into());
            parameters.push(json!({ "name": "upload", "in": "formData", "type": "file" }));
        }
        for _ in 0..self.rng.usize(0..4) {
            let location = self.pick(&["query", "query", "header", "cookie", "formData"]);
            if location == "formData" && self.dialect == Dialect::OpenApi3 {
                continue;
            }
            let name = self.name();
            parameters.push(self.parameter(location, name));
        }
        let mut operation = Map::new();
        if self.rng.u8(..8) != 0 {
            let id = self.name();
            operation.insert("operationId".into(), json!(id));
        } else {
            self.shape("no operationId".into());
        }
        if self.rng.bool() {
            self.shape("tags".into());
            let tag = self.name();
            operation.insert("tags".into(), json!([tag]));
        }
        if self.rng.bool() {
            let schema = self.schema(0);
            self.shape(format!("body {}", kind_of(&schema)));
            match self.dialect {
                Dialect::Swagger2 => {
                    parameters.push(json!({ "name": "body", "in": "body", "schema": schema }));
                }
                Dialect::OpenApi3 => {
                    operation.insert(
                        "requestBody".into(),
                        json!({ "content": { "application/json": { "schema": schema } } }),
                    );
                }
            }
        }
        operation.insert("parameters".into(), Value::Array(parameters));
        let mut responses = Map::new();
        for _ in 0..self.rng.usize(1..3) {
            let code = self.pick(CODES);
            self.shape(format!("response {code}"));
            let response = if self.rng.u8(..6) == 0 {
                let prefix = match self.dialect {
                    Dialect::Swagger2 => "#/responses/",
                    Dialect::OpenApi3 => "#/components/responses/",
                };
                let name = self.pick(&["Shared", "Missing"]);
                self.shared_ref(1, name == "Shared", "response ref");
                json!({ "$ref": format!("{prefix}{name}") })
            } else {
                self.response()
            };
            responses.insert(code.to_owned(), response);
        }
        operation.insert("responses".into(), Value::Object(responses));
        Value::Object(operation)
    }

    fn paths(&mut self) -> Map<String, Value> {
        let mut paths = Map::new();
        for _ in 0..self.rng.usize(0..5) {
            let mut path = String::new();
            let mut params = Vec::new();
            for _ in 0..self.rng.usize(1..4) {
                if self.rng.u8(..3) == 0 {
                    let name = self.name();
                    path.push_str(&format!("/{{{name}}}"));
                    params.push(name);
                } else {
                    path.push('/');
                    path.push_str(self.pick(PLAIN));
                }
            }
            let mut item = Map::new();
            // Path-level parameters apply to every operation of the path.
            if self.rng.u8(..4) == 0 {
                self.shape("path-level parameter".into());
                let name = self.name();
                let shared = self.parameter("query", name);
                item.insert("parameters".into(), json!([shared]));
            }
            for _ in 0..self.rng.usize(1..3) {
                let method = self.pick(&["get", "post", "put", "delete", "patch"]);
                let operation = self.operation(&params);
                item.insert(method.to_owned(), operation);
            }
            paths.insert(path, Value::Object(item));
        }
        paths
    }

    /// One whole document.
    /// A document as the generator is given it: pretty JSON, which is also YAML.
    pub fn document_text(&mut self) -> String {
        // serde_json cannot fail on a Value with string keys.
        serde_json::to_string_pretty(&self.document()).unwrap_or_default()
    }

    pub fn document(&mut self) -> Value {
        self.shared_used = [false; 2];
        self.shape(
            match self.dialect {
                Dialect::Swagger2 => "swagger 2.0",
                Dialect::OpenApi3 => "openapi 3.0",
            }
            .into(),
        );
        let definitions = self.definitions();
        let paths = self.paths();
        let info = json!({ "title": "fuzz", "version": "1.0" });
        // What `$ref: '#/parameters/Shared'` and `'#/responses/Shared'` name ("Missing" dangles);
        // their shapes count only when something refers to them.
        let name = self.name();
        let (parameter, parameter_shapes) = self.apart(|g| g.parameter("query", name));
        let (response, response_shapes) = self.apart(SpecGen::response);
        for (used, shapes) in self
            .shared_used
            .into_iter()
            .zip([parameter_shapes, response_shapes])
        {
            if used {
                self.shapes.extend(shapes);
            }
        }
        match self.dialect {
            Dialect::Swagger2 => json!({
                "swagger": "2.0",
                "info": info,
                "paths": paths,
                "definitions": definitions,
                "parameters": { "Shared": parameter },
                "responses": { "Shared": response },
            }),
            Dialect::OpenApi3 => json!({
                "openapi": "3.0.3",
                "info": info,
                "paths": paths,
                "components": {
                    "schemas": definitions,
                    "parameters": { "Shared": parameter },
                    "responses": { "Shared": response },
                },
            }),
        }
    }
}
