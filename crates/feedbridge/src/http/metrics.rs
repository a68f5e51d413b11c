//! `/metrics` for the operators' Prometheus, and the layer that times every request.
//!
//! The endpoint has no authentication (it belongs behind the operators' network), so it reports
//! only totals by route pattern and outcome: no ids, no tenants, no secrets.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::error::ApiError;
use super::AppState;

/// The text format's media type.
const TEXT_FORMAT: &str = "text/plain; version=0.0.4; charset=utf-8";

pub fn router() -> Router<AppState> {
    Router::new().route("/metrics", get(metrics))
}

async fn metrics(State(state): State<AppState>) -> Result<Response, ApiError> {
    let services = &state.services;
    let backlog = services.pending_deliveries().await?;
    let text = services.metrics.render(backlog);
    Ok(([(CONTENT_TYPE, TEXT_FORMAT)], text).into_response())
}

/// Counts and times each request under its route pattern; unmatched paths share one label.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let method = req.method().clone();
    let started = Instant::now();
    let response = next.run(req).await;
    let status = response.status().as_u16();
    state
        .services
        .metrics
        .request(method.as_str(), &route, status, started.elapsed());
    response
}
