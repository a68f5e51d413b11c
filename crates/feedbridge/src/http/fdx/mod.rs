//! FDX 6 under `/fdx/v6` (SPEC §15), for data recipients holding a token of the authorization
//! server. Every answer carries `x-fapi-interaction-id` (the request's, or a new one), and every
//! error is FDX's body. The OpenAPI document is our own, served at `/fdx/v6/openapi.json`.

pub mod auth;
pub mod error;
pub mod routes;
pub mod shapes;

use std::sync::Arc;

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use super::AppState;

/// The name of FAPI's interaction id header.
const INTERACTION_ID: &str = "x-fapi-interaction-id";

/// What the document says besides its paths.
#[derive(OpenApi)]
#[openapi(
    info(title = "Feedbridge FDX API", version = "6.0",
        description = "FDX 6 accounts, transactions and consents for data recipients of the institution (see docs/fdx.md)."),
    modifiers(&Auth)
)]
pub struct FdxDoc;

struct Auth;

impl Modify for Auth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
        components.add_security_scheme(
            "client",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Basic)),
        );
    }
}

/// `/fdx/v6` and its document.
pub fn router() -> Router<AppState> {
    let (router, doc) = OpenApiRouter::with_openapi(FdxDoc::openapi())
        .merge(routes::router())
        .split_for_parts();
    let doc = Arc::new(doc);
    router
        .route(
            "/fdx/v6/openapi.json",
            get(move || async move { Json(doc.as_ref().clone()) }),
        )
        .layer(middleware::from_fn(interaction_id))
}

/// The FDX document, as `/fdx/v6/openapi.json` serves it.
pub fn document() -> utoipa::openapi::OpenApi {
    OpenApiRouter::<AppState>::with_openapi(FdxDoc::openapi())
        .merge(routes::router())
        .split_for_parts()
        .1
}

/// Echoes the caller's interaction id, or gives the exchange one.
async fn interaction_id(request: Request, next: Next) -> Response {
    let given = request
        .headers()
        .get(INTERACTION_ID)
        .filter(|v| v.len() <= 128 && v.to_str().is_ok_and(|s| !s.trim().is_empty()))
        .cloned();
    let mut response = next.run(request).await;
    let id = given.unwrap_or_else(|| {
        HeaderValue::from_str(&uuid::Uuid::new_v4().to_string())
            .unwrap_or_else(|_| HeaderValue::from_static("unknown"))
    });
    response.headers_mut().insert(INTERACTION_ID, id);
    response
}
