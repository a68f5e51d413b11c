//! The HTTP surface: the client API, health, OpenAPI, and the layers every request passes.

pub mod api;
pub mod auth;
pub mod error;
pub mod extract;
pub mod fdx;
pub mod health;
pub mod idempotency;
pub mod json;
pub mod link;
pub mod metrics;
pub mod oauth;
pub mod ofx;
pub mod openapi;
pub mod paging;
pub mod paths;
pub mod rate_limit;

use std::time::Duration;

use axum::http::StatusCode;
use axum::middleware;
use axum::Router;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::domain::Services;
use error::ApiError;

/// Largest request body accepted.
pub const BODY_LIMIT: usize = 1024 * 1024;
/// Longest a request may take before it is answered with 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub services: Services,
    pub rate_limit: rate_limit::RateLimiter,
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    // The rate limit is outermost so a refused request never claims an idempotency key.
    let (api, doc) = api::router();
    let api = api
        .layer(middleware::from_fn_with_state(
            state.clone(),
            idempotency::layer,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            rate_limit::layer,
        ));
    Router::new()
        .merge(api)
        .merge(ofx::router())
        .merge(link::router(state.clone()))
        .merge(oauth::router(state.clone()))
        .merge(fdx::router())
        .merge(health::router())
        .merge(metrics::router())
        .merge(openapi::router(doc))
        .fallback(|| async { ApiError::not_found("No such route") })
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(middleware::map_response(json::too_large_as_error_message))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(TraceLayer::new_for_http().make_span_with(span))
}

/// The request span names the route pattern, never the raw URI: link tokens live in query strings.
fn span(req: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into());
    tracing::info_span!("request", method = %req.method(), route = %route)
}
