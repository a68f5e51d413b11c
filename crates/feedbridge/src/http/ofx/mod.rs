//! OFX Direct Connect (`POST /ofx`), what the accounting platform pulls, and the Web Connect
//! statement export of the client API.

mod dispatch;
pub mod export;
mod profile;
pub mod render;

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Router};

use feedbridge_ofx::{parse_request, write_response, Header};

use feedbridge_store::StoreError;

use super::AppState;
use crate::domain::DomainError;

/// The OFX media type.
pub const OFX_CONTENT_TYPE: &str = "application/x-ofx";

/// The feed endpoint; the Web Connect export is served by the client API's router.
pub fn router() -> Router<AppState> {
    Router::new().route("/ofx", post(ofx))
}

async fn ofx(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    body: Bytes,
) -> Response {
    let parsed = match parse_request(&body) {
        Ok(p) => p,
        Err(e) => {
            return (
                StatusCode::BAD_REQUEST,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                format!("not an OFX request: {e}"),
            )
                .into_response()
        }
    };
    let address = peer
        .map(|Extension(ConnectInfo(a))| a.ip().to_string())
        .unwrap_or_default();
    match dispatch::answer(&state.services, &parsed.message, &address).await {
        Ok(resp) => {
            let bytes = write_response(&Header::response_to(&parsed.header), &resp);
            ([(header::CONTENT_TYPE, OFX_CONTENT_TYPE)], bytes).into_response()
        }
        Err(DomainError::Store(e @ StoreError::Unavailable(_))) => {
            tracing::error!(error = %e, "OFX request failed: the database is unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, "5")],
                "temporarily unavailable",
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "OFX request failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}
