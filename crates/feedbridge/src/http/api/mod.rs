//! The Codat-compatible client API, one module per resource.

pub mod accounts;
pub mod companies;
pub mod connections;
pub mod credentials;
pub mod push_operations;
pub mod transactions;
pub mod webhooks;

use axum::http::StatusCode;
use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use super::error::ApiError;
use super::ofx::export;
use super::openapi::ApiDoc;
use super::AppState;

/// Every client API route with its OpenAPI document. Each operation is declared once, by the
/// `#[utoipa::path]` of its handler (`routes!`), so no route can be served without appearing in
/// `/openapi.json`, and so in the tenancy tests generated from it.
pub fn router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(companies::router())
        .merge(connections::router())
        .merge(accounts::router())
        .merge(credentials::router())
        .merge(push_operations::router())
        .merge(transactions::router())
        .merge(export::router())
        .merge(webhooks::router())
        .split_for_parts();
    // A known path with a method it does not take: Codat's error body, axum's `Allow` header.
    let router = router.method_not_allowed_fallback(|| async {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "This operation does not accept that HTTP method.",
        )
    });
    (router, doc)
}

/// The client API's OpenAPI document, as `/openapi.json` serves it.
pub fn document() -> utoipa::openapi::OpenApi {
    router().1
}
