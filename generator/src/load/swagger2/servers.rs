//! Swagger 2 `host` / `basePath` / `schemes` → OAS 3 `servers`.

use serde_json::{Map, Value};

use super::fields::{self, Object};
use crate::SpecError;

/// One server per scheme (`https` when none is listed); without a host, the base path alone.
pub(super) fn servers(top: &Object) -> Result<Value, SpecError> {
    let host = fields::opt_str(top, "host", "")?;
    let base_path = fields::opt_str(top, "basePath", "")?
        .map(str::trim)
        .unwrap_or_default();
    let schemes = fields::opt_strings(top, "schemes", "")?.filter(|s| !s.is_empty());
    // Normalized to `/x` or empty, so it can follow the host directly.
    let base = match base_path.trim_end_matches('/') {
        "" => String::new(),
        b if b.starts_with('/') => b.to_owned(),
        b => format!("/{b}"),
    };
    let urls: Vec<String> = match host {
        Some(host) => {
            let mut urls = Vec::new();
            for scheme in schemes.unwrap_or_else(|| vec!["https".to_owned()]) {
                let url = format!("{scheme}://{host}{base}");
                if !urls.contains(&url) {
                    urls.push(url);
                }
            }
            urls
        }
        None if base.is_empty() => vec!["/".to_owned()],
        None => vec![base],
    };
    Ok(Value::Array(
        urls.into_iter()
            .map(|url| {
                let mut server = Map::new();
                server.insert("url".to_owned(), Value::String(url));
                Value::Object(server)
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn urls(top: Value) -> Vec<String> {
        let Some(top) = top.as_object() else {
            return Vec::new();
        };
        match servers(top) {
            Ok(Value::Array(list)) => list
                .iter()
                .filter_map(|s| s.get("url").and_then(Value::as_str).map(str::to_owned))
                .collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn one_server_per_scheme() {
        assert_eq!(
            urls(
                json!({"host": "api.justap.cn", "basePath": "/v1/", "schemes": ["https", "http"]})
            ),
            ["https://api.justap.cn/v1", "http://api.justap.cn/v1"]
        );
        assert_eq!(
            urls(json!({"host": "127.0.0.1:21011", "schemes": ["http"]})),
            ["http://127.0.0.1:21011"]
        );
    }

    #[test]
    fn defaults() {
        assert_eq!(urls(json!({"host": "h"})), ["https://h"]);
        assert_eq!(urls(json!({"basePath": "/api"})), ["/api"]);
        assert_eq!(urls(json!({})), ["/"]);
    }
}
