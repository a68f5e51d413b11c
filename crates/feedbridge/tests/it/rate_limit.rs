//! Per-client rate limiting: Codat's `X-Rate-Limit-*` headers on every answer, 429 with
//! `Retry-After` past the limit, clients counted apart, and a refused request changing nothing.

use jiff::SignedDuration;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::{t0, Answer, TestApp};

const LIMIT: u32 = 3;

async fn limited() -> TestApp {
    TestApp::builder()
        .config(|c| c.limits.requests_per_minute = LIMIT)
        .spawn()
        .await
}

/// The three rate-limit headers and `Retry-After` of an answer.
fn limits(answer: &Answer) -> [Option<i64>; 4] {
    [
        "x-rate-limit-limit",
        "x-rate-limit-remaining",
        "x-rate-limit-reset",
        "retry-after",
    ]
    .map(|name| {
        let value = answer.headers.get(name)?;
        Some(value.to_str().unwrap().parse::<i64>().unwrap())
    })
}

fn minute_end() -> i64 {
    t0().as_second() + 60
}

#[tokio::test]
async fn every_answer_says_how_many_requests_are_left() {
    let app = limited().await;
    for remaining in (0..i64::from(LIMIT)).rev() {
        let answer = app.get("/companies").await;
        assert_eq!(answer.status, StatusCode::OK, "{answer}");
        assert_eq!(
            limits(&answer),
            [Some(3), Some(remaining), Some(minute_end()), None]
        );
    }
}

#[tokio::test]
async fn past_the_limit_the_answer_is_429_with_retry_after_and_nothing_changes() {
    let app = limited().await;
    for _ in 0..LIMIT {
        app.get("/companies").await;
    }
    app.clock.advance(SignedDuration::from_secs(15));
    let answer = app.post("/companies", json!({"name": "Refused Ltd"})).await;
    assert_eq!(
        limits(&answer),
        [Some(3), Some(0), Some(minute_end()), Some(45)]
    );
    let body = answer.expect(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["statusCode"], 429);
    assert!(body["error"]
        .as_str()
        .unwrap()
        .contains("too many requests"));

    app.clock.advance(SignedDuration::from_secs(45));
    let answer = app.get("/companies").await;
    assert_eq!(limits(&answer)[1], Some(2), "a new minute starts afresh");
    let body = answer.expect(StatusCode::OK);
    assert_eq!(
        body["totalResults"], 0,
        "the refused request created nothing"
    );
}

#[tokio::test]
async fn another_client_keeps_its_own_allowance() {
    let app = limited().await;
    let other = app.new_client("Other").await;
    for _ in 0..=LIMIT {
        app.get("/companies").await;
    }
    let answer = app.req(Method::GET, "/companies").by(&other).send().await;
    assert_eq!(limits(&answer)[1], Some(2));
    answer.expect(StatusCode::OK);
}

#[tokio::test]
async fn unauthenticated_requests_are_refused_before_counting() {
    let app = limited().await;
    let wrong = app.req(Method::GET, "/companies").key("fbk_wrong");
    wrong.send().await.expect(StatusCode::UNAUTHORIZED);
    let answer = app.get("/companies").await;
    assert_eq!(limits(&answer)[1], Some(2));
}
