//! Per-client rate limiting of the client API, with Codat's headers.
//!
//! One integration must not starve the others, and a leaked key must not be able to hammer the
//! store. Each client gets `limits.requests_per_minute` requests per clock minute; every answer
//! says how many are left (`X-Rate-Limit-*`), and past the limit the request is refused with 429
//! and `Retry-After` before it reaches a handler, so a refused request changes nothing.
//!
//! Counts live in this instance's memory: with several instances behind a load balancer a client
//! may make up to the limit on each of them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use feedbridge_store::ClientId;

use super::auth::Tenant;
use super::error::ApiError;
use super::AppState;

const WINDOW_SECONDS: i64 = 60;

/// Requests counted per client in the current minute.
#[derive(Clone)]
pub struct RateLimiter {
    limit: u32,
    windows: Arc<Mutex<HashMap<ClientId, Window>>>,
}

#[derive(Clone, Copy)]
struct Window {
    minute: i64,
    used: u32,
}

/// What one request learnt from the limiter.
#[derive(Debug, PartialEq, Eq)]
pub struct Verdict {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// Unix seconds at which the current minute ends.
    pub reset: i64,
}

impl RateLimiter {
    pub fn new(requests_per_minute: u32) -> Self {
        Self {
            limit: requests_per_minute.max(1),
            windows: Arc::default(),
        }
    }

    /// Counts one request of `client` at `unix_seconds`, if the limit allows it.
    pub fn check(&self, client: ClientId, unix_seconds: i64) -> Verdict {
        let minute = unix_seconds.div_euclid(WINDOW_SECONDS);
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        // Old minutes are dropped so the map holds at most one entry per active client.
        windows.retain(|_, w| w.minute == minute);
        let window = windows.entry(client).or_insert(Window { minute, used: 0 });
        let allowed = window.used < self.limit;
        if allowed {
            window.used += 1;
        }
        Verdict {
            allowed,
            limit: self.limit,
            remaining: self.limit - window.used,
            reset: (minute + 1) * WINDOW_SECONDS,
        }
    }
}

/// The middleware: authenticates (the `Tenant` is kept for the handler), counts, and answers.
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let Tenant(client) = match Tenant::from_request_parts(&mut parts, &state).await {
        Ok(tenant) => tenant,
        Err(e) => return e.into_response(),
    };
    let now = state.services.now().as_second();
    let verdict = state.rate_limit.check(client, now);
    let mut response = if verdict.allowed {
        next.run(Request::from_parts(parts, body)).await
    } else {
        let wait = u64::try_from((verdict.reset - now).max(1)).unwrap_or(1);
        ApiError::too_many_requests(wait).into_response()
    };
    add_headers(response.headers_mut(), &verdict);
    response
}

fn add_headers(headers: &mut HeaderMap, verdict: &Verdict) {
    for (name, value) in [
        ("x-rate-limit-limit", i64::from(verdict.limit)),
        ("x-rate-limit-remaining", i64::from(verdict.remaining)),
        ("x-rate-limit-reset", verdict.reset),
    ] {
        headers.insert(name, HeaderValue::from(value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_minute_starts_afresh_and_clients_are_counted_apart() {
        let limiter = RateLimiter::new(2);
        let (a, b) = (ClientId::new(), ClientId::new());
        assert_eq!(limiter.check(a, 120).remaining, 1);
        assert_eq!(limiter.check(a, 130).remaining, 0);
        let refused = limiter.check(a, 179);
        assert!(!refused.allowed);
        assert_eq!(refused.reset, 180);
        assert!(limiter.check(b, 179).allowed);
        assert!(limiter.check(a, 180).allowed);
    }
}
