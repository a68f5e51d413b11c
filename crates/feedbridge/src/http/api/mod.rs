//! The Codat-compatible client API, one module per resource.

pub mod accounts;
pub mod companies;
pub mod connections;
pub mod credentials;
pub mod push;
pub mod transactions;
pub mod webhooks;

use axum::http::StatusCode;
use axum::Router;

use super::error::ApiError;
use super::AppState;

/// Every client API route.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(companies::router())
        .merge(connections::router())
        .merge(accounts::router())
        .merge(credentials::router())
        .merge(push::router())
        .merge(transactions::router())
        .merge(webhooks::router())
        // A known path with a method it does not take: Codat's error body, axum's `Allow` header.
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "This operation does not accept that HTTP method.",
            )
        })
}
