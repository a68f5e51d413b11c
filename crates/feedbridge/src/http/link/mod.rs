//! The Link UI: the SMB user's hosted pages, reached through a `linkUrl`.
//!
//! Server-rendered (askama, auto-escaped), works without JavaScript, English and French. Every
//! response passes the page layer in [`headers`] for its security headers and error pages.

pub mod assets;
pub mod connect;
pub mod credentials;
pub mod csrf;
pub mod error;
pub mod headers;
pub mod i18n;
pub mod ids;
pub mod language;
pub mod page;
pub mod revoke;
pub mod session;
pub mod setup;
pub mod start;

use axum::middleware;
use axum::routing::{get, post};
use axum::Router;

use super::AppState;
use error::PageError;

const CONNECTION: &str = "/link/companies/{companyId}/connections/{connectionId}";

pub fn router(state: AppState) -> Router<AppState> {
    let at = |suffix: &str| format!("{CONNECTION}{suffix}");
    Router::new()
        .route("/link/companies/{companyId}", get(start::company))
        .route(&at("/start"), get(start::open))
        .route(CONNECTION, get(connect::page))
        .route(&at("/setup"), get(setup::page))
        .route(&at("/credentials"), post(credentials::create))
        .route(&at("/revoke"), get(revoke::confirm).post(revoke::revoke))
        .route(&at("/language"), post(language::switch))
        .route(assets::CSS_ROUTE, get(assets::css))
        .route(page::LOGO_ROUTE, get(assets::logo))
        .route("/link", get(not_found))
        .route("/link/{*rest}", get(not_found).post(not_found))
        .layer(middleware::from_fn_with_state(state, headers::layer))
}

async fn not_found() -> PageError {
    PageError::not_found()
}
