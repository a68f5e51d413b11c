//! One HTTP attempt: re-check the target, connect to the checked address, POST the signed body.
//!
//! Redirects are not followed (a 3xx is a failure), and an attempt that takes longer than
//! [`ATTEMPT_TIMEOUT`] fails, as Standard Webhooks and Svix prescribe.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use reqwest::header::{HeaderMap, CONTENT_TYPE, RETRY_AFTER};

use feedbridge_store::ClaimedDelivery;

use super::signing;
use crate::domain::webhooks::target;

/// Longest an attempt may take, connection included.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(15);
/// Longest error text kept with a delivery.
const ERROR_LIMIT: usize = 300;

/// What an attempt came to.
#[derive(Debug)]
pub enum Sent {
    /// A 2xx answer with this status.
    Ok(u16),
    Failed {
        code: Option<u16>,
        error: String,
        retry_after: Option<SignedDuration>,
    },
}

fn failed(error: impl std::fmt::Display) -> Sent {
    let error: String = error.to_string().chars().take(ERROR_LIMIT).collect();
    Sent::Failed {
        code: None,
        error,
        retry_after: None,
    }
}

/// Sends `claimed` once, signed at `now`.
pub async fn send(claimed: &ClaimedDelivery, now: Timestamp, allow_private: bool) -> Sent {
    let endpoint = &claimed.endpoint;
    let checked = match target::parse(&endpoint.url, allow_private) {
        Ok(t) => t,
        Err(e) => return failed(e),
    };
    let addr = match checked.resolve(allow_private).await {
        Ok(addr) => addr,
        Err(e) => return failed(e),
    };
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(ATTEMPT_TIMEOUT)
        .connect_timeout(ATTEMPT_TIMEOUT);
    if let Some(name) = checked.name() {
        builder = builder.resolve(name, addr);
    }
    let client = match builder.build() {
        Ok(c) => c,
        Err(e) => return failed(e),
    };
    let mut secrets = vec![endpoint.secret.as_str()];
    if let (Some(old), Some(until)) = (&endpoint.previous_secret, endpoint.previous_until) {
        if until > now {
            secrets.push(old);
        }
    }
    let id = claimed.delivery.event_id.to_string();
    let mut request = client
        .post(checked.url.clone())
        .header(CONTENT_TYPE, "application/json");
    for (name, value) in signing::headers(&secrets, &id, now.as_second(), &claimed.body) {
        request = request.header(name, value);
    }
    match request.body(claimed.body.clone()).send().await {
        Ok(response) if response.status().is_success() => Sent::Ok(response.status().as_u16()),
        Ok(response) => Sent::Failed {
            code: Some(response.status().as_u16()),
            error: format!("the endpoint answered {}", response.status()),
            retry_after: retry_after(response.headers()),
        },
        Err(e) if e.is_timeout() => failed("no answer within 15 seconds"),
        Err(e) => failed(format!("the request failed: {e}")),
    }
}

/// `Retry-After` in seconds (the HTTP-date form is rare for webhooks and is ignored).
fn retry_after(headers: &HeaderMap) -> Option<SignedDuration> {
    let seconds: i64 = headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    (seconds >= 0).then(|| SignedDuration::from_secs(seconds))
}
