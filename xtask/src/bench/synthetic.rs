//! Synthetic Swagger 2.0 documents for the scaling benchmark: `units` copies of a block shaped like
//! the Justap spec (145 definitions and 39 operations per unit, as in release 3.0.3), so that a
//! document of `n` units has `n` times the definitions and operations of the real one.
//!
//! Shapes per unit: string enums (as definitions and inline), objects with `required` lists,
//! `int64`-as-string, `int32`, `double`, `boolean`, `date-time` fields, nested inline objects,
//! `additionalProperties` maps, arrays of `$ref`s, `$ref`s between definitions (also into unit 0),
//! a self-reference (a cycle to box); GET operations with path and query parameters (int64 strings,
//! enums, arrays), POST operations with a `body`, every operation with a `default` rpcStatus response.

use serde_json::{Map, Value, json};

/// Definitions and operations per unit, as in spec/justap.yaml (3.0.3).
pub const DEFINITIONS_PER_UNIT: usize = 145;
pub const OPERATIONS_PER_UNIT: usize = 39;

fn def_name(unit: usize, index: usize) -> String {
    format!("u{unit}Def{index}")
}

fn def_ref(unit: usize, index: usize) -> Value {
    json!({ "$ref": format!("#/definitions/{}", def_name(unit, index)) })
}

/// Every fifth definition is an enum; the others are objects.
fn is_enum(index: usize) -> bool {
    index % 5 == 0
}

/// The nearest object definition at or below `index` (definition 1 is always an object).
fn object_at_or_below(index: usize) -> usize {
    if is_enum(index) {
        index.max(2) - 1
    } else {
        index
    }
}

fn enum_def(unit: usize, index: usize) -> Value {
    let values: Vec<String> = (0..6)
        .map(|v| format!("U{unit}_KIND{index}_VALUE_{v}"))
        .collect();
    json!({
        "type": "string",
        "enum": values,
        "default": values[0],
        "description": format!("Kind {index} of unit {unit}.\n\n - {} : the zero value", values[0]),
    })
}

fn object_def(unit: usize, index: usize) -> Value {
    let mut properties = Map::new();
    let mut put = |name: &str, schema: Value| {
        properties.insert(name.to_owned(), schema);
    };
    put(
        "id",
        json!({ "type": "string", "description": "Identifier." }),
    );
    put("amount", json!({ "type": "number", "format": "double" }));
    put("count", json!({ "type": "integer", "format": "int32" }));
    put(
        "created_ts",
        json!({ "type": "string", "format": "int64", "title": "Unix seconds" }),
    );
    put("total", json!({ "type": "string", "format": "uint64" }));
    put("live_mode", json!({ "type": "boolean" }));
    put(
        "created_at",
        json!({ "type": "string", "format": "date-time" }),
    );
    put(
        "metadata",
        json!({ "type": "object", "additionalProperties": { "type": "string" } }),
    );
    put(
        "status",
        json!({ "type": "string", "enum": ["STATUS_UNSPECIFIED", "PENDING", "DONE", "FAILED"], "default": "STATUS_UNSPECIFIED" }),
    );
    put(
        "details",
        json!({
            "type": "object",
            "description": "Nested inline object.",
            "properties": {
                "note": { "type": "string" },
                "attempts": { "type": "string", "format": "int64" },
                "tags": { "type": "array", "items": { "type": "string" } },
                "address": {
                    "type": "object",
                    "properties": {
                        "city": { "type": "string" },
                        "zip": { "type": "integer", "format": "int32" }
                    }
                }
            }
        }),
    );
    // The enum definition just below (or unit 0's first) and objects below this one: a DAG.
    let kind = if index >= 5 { index / 5 * 5 } else { 0 };
    put("kind", def_ref(unit, kind));
    if index > 1 {
        let below = object_at_or_below(index - 1);
        put(
            "items",
            json!({ "type": "array", "items": def_ref(unit, below) }),
        );
        put("parent", def_ref(unit, object_at_or_below(index / 2)));
    }
    if unit > 0 {
        put("shared", def_ref(0, object_at_or_below(index)));
    }
    if index % 29 == 1 {
        // A reference cycle: lowered to `Option<Box<Self>>`.
        put("next", def_ref(unit, index));
    }
    put("any", json!({ "$ref": "#/definitions/protobufAny" }));
    json!({
        "type": "object",
        "description": format!("Object {index} of unit {unit}."),
        "required": ["id", "amount", "created_ts"],
        "properties": properties,
    })
}

/// A resource number as a word (`0` → `Ra`, `27` → `Rbb`): ids must not end in digits, which
/// grpc-gateway keeps for the extra routes of one RPC.
fn letters(mut n: usize) -> String {
    let mut word = String::from("R");
    loop {
        word.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            return word;
        }
    }
}

fn operation(unit: usize, index: usize) -> (String, String, Value) {
    let resource = index / 2;
    let response = def_ref(unit, object_at_or_below(index * 3 + 1));
    let responses = json!({
        "200": { "description": "A successful response.", "schema": response },
        "default": { "description": "An unexpected error response.", "schema": { "$ref": "#/definitions/rpcStatus" } }
    });
    // As grpc-gateway names them: `Service_VerbNoun`, and `…2` for a second route of one RPC
    // (every third resource's POST is a second route of its GET, about as often as in 3.0.3).
    let noun = letters(resource);
    let operation_id = match index % 2 {
        0 => format!("U{unit}Service_Get{noun}"),
        _ if resource % 3 == 2 => format!("U{unit}Service_Get{noun}2"),
        _ => format!("U{unit}Service_Create{noun}"),
    };
    let tags = json!([format!("U{unit}Service")]);
    if index % 2 == 0 {
        let path = format!("/v1/u{unit}/res{resource}/{{res_id}}");
        let parameters = json!([
            { "name": "res_id", "in": "path", "required": true, "type": "string" },
            { "name": "app_id", "in": "query", "required": false, "type": "string" },
            { "name": "limit", "in": "query", "required": false, "type": "integer", "format": "int32" },
            { "name": "starting_after", "in": "query", "required": false, "type": "string", "format": "int64" },
            { "name": "status", "in": "query", "required": false, "type": "string",
              "enum": ["STATUS_UNSPECIFIED", "PENDING", "DONE"], "default": "STATUS_UNSPECIFIED" },
            { "name": "ids", "in": "query", "required": false, "type": "array",
              "items": { "type": "string" }, "collectionFormat": "multi" },
            { "name": "live_mode", "in": "query", "required": false, "type": "boolean" }
        ]);
        let op = json!({
            "summary": format!("Get resource {resource}"),
            "operationId": operation_id,
            "tags": tags,
            "parameters": parameters,
            "responses": responses,
        });
        (path, "get".to_owned(), op)
    } else {
        let path = format!("/v1/u{unit}/res{resource}");
        let body = def_ref(unit, object_at_or_below(index * 3 + 2));
        let op = json!({
            "summary": format!("Create resource {resource}"),
            "operationId": operation_id,
            "tags": tags,
            "parameters": [
                { "name": "body", "in": "body", "required": true, "schema": body }
            ],
            "responses": responses,
        });
        (path, "post".to_owned(), op)
    }
}

/// A Swagger 2.0 document (JSON text) with `units` × (145 definitions, 39 operations), plus the two
/// shared gRPC-gateway definitions every operation's error response uses.
pub fn spec(units: usize) -> String {
    let mut definitions = Map::new();
    let mut paths: Map<String, Value> = Map::new();
    for unit in 0..units {
        for index in 0..DEFINITIONS_PER_UNIT {
            let def = if is_enum(index) {
                enum_def(unit, index)
            } else {
                object_def(unit, index)
            };
            definitions.insert(def_name(unit, index), def);
        }
        for index in 0..OPERATIONS_PER_UNIT {
            let (path, method, op) = operation(unit, index);
            let item = paths.entry(path).or_insert_with(|| json!({}));
            item[method] = op;
        }
    }
    definitions.insert(
        "protobufAny".to_owned(),
        json!({
            "type": "object",
            "properties": { "@type": { "type": "string" } },
            "additionalProperties": {}
        }),
    );
    definitions.insert(
        "rpcStatus".to_owned(),
        json!({
            "type": "object",
            "properties": {
                "code": { "type": "integer", "format": "int32" },
                "message": { "type": "string" },
                "details": { "type": "array", "items": { "$ref": "#/definitions/protobufAny" } }
            }
        }),
    );
    let doc = json!({
        "swagger": "2.0",
        "info": { "title": "Synthetic", "version": "1.0.0" },
        "host": "api.example.com",
        "schemes": ["https"],
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "paths": paths,
        "definitions": definitions,
    });
    doc.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_unit_generates_with_the_counts_of_the_real_spec() {
        let text = spec(1);
        let doc: Value = serde_json::from_str(&text).expect("json");
        // + protobufAny and rpcStatus.
        assert_eq!(
            doc["definitions"].as_object().expect("definitions").len(),
            DEFINITIONS_PER_UNIT + 2
        );
        let operations: usize = doc["paths"]
            .as_object()
            .expect("paths")
            .values()
            .map(|item| item.as_object().expect("path item").len())
            .sum();
        assert_eq!(operations, OPERATIONS_PER_UNIT);
        let source = generator::SpecSource {
            name: "synthetic.json",
            text: &text,
        };
        let generated =
            generator::generate(&source, &generator::CrateOptions::default()).expect("generates");
        assert!(generated.files["src/models.rs"].contains("pub struct U0Def1 "));
        let operations_rs = &generated.files["src/operations.rs"];
        assert!(operations_rs.contains("pub async fn u0_service_get_ra("));
        // Resource 2's POST is a second route of its GET, and their docs link each other.
        assert!(operations_rs.contains("pub async fn u0_service_get_rc2("));
        assert!(operations_rs.contains("also served by [`Client::u0_service_get_rc2`]"));
    }
}
