//! Swagger 2 `securityDefinitions` entries → OAS 3 security schemes.

use serde_json::{Map, Value};

use super::fields;
use crate::SpecError;
use crate::load::pointer;

/// One security definition written at `at`.
pub(super) fn scheme(value: &Value, at: &str) -> Result<Value, SpecError> {
    let obj = fields::object(value, at, "a security definition")?;
    let kind = fields::req_str(obj, "type", at, "security definition")?;
    let mut out = Map::new();
    match kind {
        // Same fields in both versions.
        "apiKey" => return Ok(value.clone()),
        "basic" => {
            out.insert("type".to_owned(), Value::String("http".to_owned()));
            out.insert("scheme".to_owned(), Value::String("basic".to_owned()));
        }
        "oauth2" => {
            out.insert("type".to_owned(), Value::String("oauth2".to_owned()));
            out.insert("flows".to_owned(), oauth2_flows(obj, at)?);
        }
        other => {
            return Err(SpecError::new(
                pointer::child(at, "type"),
                format!("unknown security definition type '{other}'"),
            ));
        }
    }
    fields::copy_keys(obj, &["description"], &mut out);
    fields::copy_extensions(obj, &[], &mut out);
    Ok(Value::Object(out))
}

/// Swagger 2 has one `flow` per definition; OAS 3 renames them and nests the URLs.
fn oauth2_flows(obj: &fields::Object, at: &str) -> Result<Value, SpecError> {
    let flow = fields::req_str(obj, "flow", at, "oauth2 security definition")?;
    let (name, urls): (&str, &[&str]) = match flow {
        "implicit" => ("implicit", &["authorizationUrl"]),
        "password" => ("password", &["tokenUrl"]),
        "application" => ("clientCredentials", &["tokenUrl"]),
        "accessCode" => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
        other => {
            return Err(SpecError::new(
                pointer::child(at, "flow"),
                format!("unknown oauth2 flow '{other}'"),
            ));
        }
    };
    let mut flow_out = Map::new();
    for url in urls {
        let value = fields::req_str(obj, url, at, &format!("oauth2 '{flow}' flow"))?;
        flow_out.insert((*url).to_owned(), Value::String(value.to_owned()));
    }
    let scopes = fields::opt_object(obj, "scopes", at)?
        .cloned()
        .unwrap_or_default();
    flow_out.insert("scopes".to_owned(), Value::Object(scopes));
    let mut flows = Map::new();
    flows.insert(name.to_owned(), Value::Object(flow_out));
    Ok(Value::Object(flows))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn ok(value: Value) -> Value {
        match scheme(&value, "/securityDefinitions/S") {
            Ok(v) => v,
            Err(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn api_key_is_kept() {
        let key = json!({"type": "apiKey", "name": "X-JUSTAP-API-KEY", "in": "header", "description": "d"});
        assert_eq!(ok(key.clone()), key);
    }

    #[test]
    fn basic_becomes_http() {
        assert_eq!(
            ok(json!({"type": "basic"})),
            json!({"type": "http", "scheme": "basic"})
        );
    }

    #[test]
    fn oauth2_flows_are_renamed() {
        assert_eq!(
            ok(
                json!({"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a", "tokenUrl": "https://t",
                "scopes": {"read": "r"}})
            ),
            json!({"type": "oauth2", "flows": {"authorizationCode": {"authorizationUrl": "https://a",
                "tokenUrl": "https://t", "scopes": {"read": "r"}}}})
        );
        assert_eq!(
            ok(json!({"type": "oauth2", "flow": "application", "tokenUrl": "https://t"})),
            json!({"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://t", "scopes": {}}}})
        );
        let err = scheme(
            &json!({"type": "oauth2", "flow": "magic"}),
            "/securityDefinitions/S",
        )
        .err();
        assert_eq!(
            err.map(|e| e.pointer),
            Some("/securityDefinitions/S/flow".to_owned())
        );
    }
}
