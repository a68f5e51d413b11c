//! Per-client rate limiting: Codat's `X-Rate-Limit-*` headers on every answer, 429 with
//! `Retry-After` past the limit, clients counted apart, and a refused request changing nothing.

use jiff::SignedDuration;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::{basic, spawn_with, start_instant, TestApp};

const LIMIT: u32 = 3;

async fn limited() -> TestApp {
    spawn_with(|c| c.limits.requests_per_minute = LIMIT).await
}

/// Sends a request and returns the status, the three rate-limit headers, `Retry-After` and the body.
async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    key: &str,
    body: Option<Value>,
) -> (StatusCode, [Option<i64>; 4], Value) {
    let mut req = app
        .http
        .request(method, app.url(path))
        .header("authorization", basic(key));
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.unwrap();
    let header = |name: &str| {
        res.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().parse::<i64>().unwrap())
    };
    let headers = [
        header("x-rate-limit-limit"),
        header("x-rate-limit-remaining"),
        header("x-rate-limit-reset"),
        header("retry-after"),
    ];
    let status = res.status();
    let body = res.json().await.unwrap_or(Value::Null);
    (status, headers, body)
}

fn minute_end() -> i64 {
    start_instant().as_second() + 60
}

#[tokio::test]
async fn every_answer_says_how_many_requests_are_left() {
    let app = limited().await;
    for remaining in (0..i64::from(LIMIT)).rev() {
        let (status, headers, _) = send(&app, Method::GET, "/companies", &app.key, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            headers,
            [Some(3), Some(remaining), Some(minute_end()), None]
        );
    }
}

#[tokio::test]
async fn past_the_limit_the_answer_is_429_with_retry_after_and_nothing_changes() {
    let app = limited().await;
    for _ in 0..LIMIT {
        send(&app, Method::GET, "/companies", &app.key, None).await;
    }
    app.clock.advance(SignedDuration::from_secs(15));
    let create = Some(json!({"name": "Refused Ltd"}));
    let (status, headers, body) = send(&app, Method::POST, "/companies", &app.key, create).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(headers, [Some(3), Some(0), Some(minute_end()), Some(45)]);
    assert_eq!(body["statusCode"], 429);
    assert!(body["error"]
        .as_str()
        .unwrap()
        .contains("too many requests"));

    app.clock.advance(SignedDuration::from_secs(45));
    let (status, headers, body) = send(&app, Method::GET, "/companies", &app.key, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[1], Some(2), "a new minute starts afresh");
    assert_eq!(
        body["totalResults"], 0,
        "the refused request created nothing"
    );
}

#[tokio::test]
async fn another_client_keeps_its_own_allowance() {
    let app = limited().await;
    let other = app.other_key().await;
    for _ in 0..=LIMIT {
        send(&app, Method::GET, "/companies", &app.key, None).await;
    }
    let (status, headers, _) = send(&app, Method::GET, "/companies", &other, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[1], Some(2));
}

#[tokio::test]
async fn unauthenticated_requests_are_refused_before_counting() {
    let app = limited().await;
    let (status, _, _) = send(&app, Method::GET, "/companies", "fbk_wrong", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (_, headers, _) = send(&app, Method::GET, "/companies", &app.key, None).await;
    assert_eq!(headers[1], Some(2));
}
