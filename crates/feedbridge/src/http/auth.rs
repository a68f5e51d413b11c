//! The `Tenant` extractor: `Authorization: Basic <base64 key>` resolved to the key's client.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use feedbridge_store::ClientId;

use super::error::ApiError;
use super::AppState;

/// The client whose API key signed the request.
#[derive(Debug, Clone, Copy)]
pub struct Tenant(pub ClientId);

impl FromRequestParts<AppState> for Tenant {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(tenant) = parts.extensions.get::<Tenant>() {
            return Ok(*tenant);
        }
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(ApiError::unauthorized)?;
        let presented = presented_key(header).ok_or_else(ApiError::unauthorized)?;
        let client = state
            .services
            .authenticate(&presented)
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        let tenant = Tenant(client);
        parts.extensions.insert(tenant);
        Ok(tenant)
    }
}

/// The key inside a `Basic` header: Codat's clients send base64 of the key.
fn presented_key(header: &str) -> Option<String> {
    let (scheme, value) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD.decode(value.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    // Some HTTP clients send `key:` (Basic user with an empty password); accept that form too.
    Some(text.strip_suffix(':').unwrap_or(&text).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_read_from_basic_headers() {
        let encoded = STANDARD.encode("fbk_abc");
        assert_eq!(
            presented_key(&format!("Basic {encoded}")).as_deref(),
            Some("fbk_abc")
        );
        let with_colon = STANDARD.encode("fbk_abc:");
        assert_eq!(
            presented_key(&format!("basic {with_colon}")).as_deref(),
            Some("fbk_abc")
        );
        assert_eq!(presented_key("Bearer x"), None);
        assert_eq!(presented_key("Basic !!!"), None);
    }
}
