//! The Link UI's own files: its stylesheet (a file, so the CSP needs no inline styles) and the
//! institution's logo when configuration names a file rather than a URL.

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::http::AppState;

use super::error::PageError;

pub const CSS_ROUTE: &str = "/link/assets/link.css";

const CSS: &str = include_str!("../../../templates/link/link.css");

fn cached(mut response: Response, content_type: &'static str) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}

pub async fn css() -> Response {
    cached(CSS.into_response(), "text/css; charset=utf-8")
}

/// Serves the configured logo file; only PNG, SVG, JPEG and WebP, by extension.
pub async fn logo(State(state): State<AppState>) -> Result<Response, PageError> {
    let path = &state.services.settings.institution.logo;
    if path.is_empty() || path.contains("://") {
        return Err(PageError::not_found());
    }
    let content_type = match path
        .rsplit('.')
        .next()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        _ => return Err(PageError::not_found()),
    };
    let bytes = tokio::fs::read(path).await.map_err(|e| {
        tracing::warn!(error = %e, "institution logo file cannot be read");
        PageError::not_found()
    })?;
    Ok(cached(bytes.into_response(), content_type))
}
