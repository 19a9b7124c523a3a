//! Where the client talks to and how it authenticates: the spec's first server and its `apiKey`
//! header. Both have fallbacks, reported as diagnostics; the base URL is configurable at run time.

use openapiv3::{APIKeyLocation, ReferenceOr, SecurityScheme};

use super::context::Context;
use crate::SourceFormat;

const FALLBACK_BASE_URL: &str = "http://localhost";
const FALLBACK_API_KEY_HEADER: &str = "X-JUSTAP-API-KEY";

/// The first server's URL with its variables at their defaults, without a trailing slash.
pub(super) fn base_url(cx: &mut Context<'_>) -> String {
    let (openapi, format) = (&cx.loaded.openapi, cx.loaded.format);
    // Where the server comes from in the document as written.
    let pointer = match format {
        SourceFormat::Swagger2 => "/host",
        SourceFormat::OpenApi30 => "/servers",
    };
    let Some(server) = openapi.servers.first() else {
        cx.warn(
            "/servers",
            &format!("no server in the spec; the client defaults to {FALLBACK_BASE_URL}"),
        );
        return FALLBACK_BASE_URL.to_owned();
    };
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        let message = format!(
            "server URL '{url}' is not absolute; the client defaults to {FALLBACK_BASE_URL}"
        );
        cx.warn(pointer, &message);
        return FALLBACK_BASE_URL.to_owned();
    }
    url.trim_end_matches('/').to_owned()
}

/// The header of the first `apiKey` security scheme that is sent in a header.
pub(super) fn api_key_header(cx: &mut Context<'_>) -> String {
    let (openapi, format) = (&cx.loaded.openapi, cx.loaded.format);
    let schemes = openapi
        .components
        .iter()
        .flat_map(|c| c.security_schemes.values());
    let header = schemes
        .filter_map(ReferenceOr::as_item)
        .find_map(|scheme| match scheme {
            SecurityScheme::APIKey {
                location: APIKeyLocation::Header,
                name,
                ..
            } => Some(name.clone()),
            _ => None,
        });
    header.unwrap_or_else(|| {
        let message =
            format!("no apiKey security scheme in a header; the client sends the key as {FALLBACK_API_KEY_HEADER}");
        let pointer = match format {
            SourceFormat::Swagger2 => "/securityDefinitions",
            SourceFormat::OpenApi30 => "/components/securitySchemes",
        };
        cx.warn(pointer, &message);
        FALLBACK_API_KEY_HEADER.to_owned()
    })
}
