//! `Idempotency-Key` on POST and PATCH, with Codat's semantics: the first answer is kept for 90
//! minutes and replayed; the same key with another request is 422; the same key while the first
//! request still runs is 409. Keys are scoped to the client, and 5xx and 429 answers are not kept.
//! A claim whose request never finished (cut off by the request timeout, or the process killed)
//! lapses after the request timeout, so a retry with the same key can run again.

use axum::body::{to_bytes, Body};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jiff::SignedDuration;
use sha2::{Digest, Sha256};

use feedbridge_store::{IdempotencyClaim, StoredResponse};

use super::auth::Tenant;
use super::error::ApiError;
use super::AppState;

const HEADER: &str = "idempotency-key";
const KEEP: SignedDuration = SignedDuration::from_secs(90 * 60);
/// No request runs longer than the request timeout, so a claim older than that is abandoned.
const LEASE: SignedDuration = SignedDuration::from_secs(super::REQUEST_TIMEOUT.as_secs() as i64);
/// Bodies are already capped at 1 MiB by the body limit; answers are smaller still.
const MAX_BODY: usize = 2 * 1024 * 1024;

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match run(state, req, next).await {
        Ok(response) | Err(response) => response,
    }
}

async fn run(state: AppState, req: Request, next: Next) -> Result<Response, Response> {
    let keyed =
        matches!(*req.method(), Method::POST | Method::PATCH) && req.headers().contains_key(HEADER);
    if !keyed {
        return Ok(next.run(req).await);
    }
    let (mut parts, body) = req.into_parts();
    let key = parts
        .headers
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .trim()
        .to_owned();
    if key.is_empty() || key.len() > 255 {
        return Err(
            ApiError::bad_request("Idempotency-Key must be 1 to 255 visible characters.")
                .into_response(),
        );
    }
    let Tenant(client) = Tenant::from_request_parts(&mut parts, &state)
        .await
        .map_err(IntoResponse::into_response)?;
    let bytes = super::json::read(body)
        .await
        .map_err(IntoResponse::into_response)?;
    let request_hash = fingerprint(parts.method.as_str(), parts.uri.path(), &bytes);
    let claim = state
        .services
        .claim_idempotency_key(client, &key, &request_hash, LEASE)
        .await
        .map_err(|e| ApiError::from(e).into_response())?;
    match claim {
        IdempotencyClaim::Mismatch => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "This Idempotency-Key was already used with a different request.",
        )
        .into_response()),
        IdempotencyClaim::InFlight => Err(ApiError::new(
            StatusCode::CONFLICT,
            "A request with this Idempotency-Key is still in progress.",
        )
        .into_response()),
        IdempotencyClaim::Done(stored) => Ok(replay(stored)),
        IdempotencyClaim::Claimed => {
            let response = next
                .run(Request::from_parts(parts, Body::from(bytes)))
                .await;
            Ok(keep(&state, client, &key, response).await)
        }
    }
}

/// What makes two requests "the same": method, path and body.
pub fn fingerprint(method: &str, path: &str, body: &[u8]) -> Vec<u8> {
    let mut hasher = Sha256::new();
    for part in [method.as_bytes(), path.as_bytes(), body] {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    hasher.finalize().to_vec()
}

async fn keep(
    state: &AppState,
    client: feedbridge_store::ClientId,
    key: &str,
    response: Response,
) -> Response {
    let status = response.status();
    let (parts, body) = response.into_parts();
    let services = &state.services;
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        let _ = services.release_idempotency_key(client, key).await;
        return ApiError::internal("answer too large to keep for Idempotency-Key").into_response();
    };
    let outcome = if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
        services.release_idempotency_key(client, key).await
    } else {
        let stored = StoredResponse {
            status: status.as_u16(),
            body: bytes.to_vec(),
        };
        services
            .complete_idempotency_key(client, key, &stored, KEEP)
            .await
    };
    if let Err(e) = outcome {
        tracing::error!(error = %e, "could not record an Idempotency-Key answer");
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn replay(stored: StoredResponse) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    if stored.body.is_empty() {
        return status.into_response();
    }
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        stored.body,
    )
        .into_response()
}
