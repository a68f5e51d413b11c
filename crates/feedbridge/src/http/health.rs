//! `/healthz` (the process answers) and `/readyz` (the database answers, is migrated and takes
//! writes).

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;

use super::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

async fn healthz() -> &'static str {
    "ok"
}

/// A probe must answer within its own timeout; a database that cannot take a write in this
/// time is not ready, whatever it would answer later.
const READY_WITHIN: Duration = Duration::from_secs(2);

async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match tokio::time::timeout(READY_WITHIN, state.services.ready()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready"),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "not ready")
        }
        Err(_) => {
            tracing::warn!("not ready: the database took no write within {READY_WITHIN:?}");
            (StatusCode::SERVICE_UNAVAILABLE, "not ready")
        }
    }
}
