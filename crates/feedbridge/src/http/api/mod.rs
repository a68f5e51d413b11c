//! The Codat-compatible client API, one module per resource.

pub mod accounts;
pub mod companies;
pub mod connections;
pub mod credentials;
pub mod push;
pub mod transactions;
pub mod webhooks;

use axum::Router;

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
}
