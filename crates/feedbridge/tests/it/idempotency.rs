//! `Idempotency-Key`: replay, 422 for another body, 409 while the first request runs, an
//! abandoned claim lapsing after the request timeout, 90 minutes.

use jiff::SignedDuration;
use reqwest::{Method, StatusCode};
use serde_json::json;

use feedbridge::http::idempotency::fingerprint;
use feedbridge_store::IdempotencyClaim;

use crate::support::{Answer, Tenant, TestApp};

/// Creates a company named `name` as `tenant` with the idempotency key `key`.
async fn create(app: &TestApp, key: &str, tenant: &Tenant, name: &str) -> Answer {
    app.req(Method::POST, "/companies")
        .by(tenant)
        .header("idempotency-key", key)
        .json(&json!({"name": name}))
        .send()
        .await
}

/// Claims `key` for the body `{"name": name}` as a request still running would, until `lease`
/// from now.
async fn claim(app: &TestApp, key: &str, name: &str, lease: SignedDuration) -> IdempotencyClaim {
    let body = serde_json::to_vec(&json!({"name": name})).unwrap();
    let now = app.services().now();
    app.services()
        .store_for_tests()
        .claim_idempotency_key(
            app.client.id,
            key,
            &fingerprint("POST", "/companies", &body),
            now,
            now + lease,
        )
        .await
        .unwrap()
}

async fn total_companies(app: &TestApp) -> serde_json::Value {
    app.get("/companies").await.ok()["totalResults"].clone()
}

#[tokio::test]
async fn the_first_answer_is_replayed_and_nothing_is_created_twice() {
    let app = TestApp::spawn().await;
    let key = uuid::Uuid::new_v4().to_string();
    let first = create(&app, &key, &app.client, "Once Ltd").await;
    let second = create(&app, &key, &app.client, "Once Ltd").await;
    let (first, second) = (first.expect(StatusCode::OK), second.expect(StatusCode::OK));
    assert_eq!(first["id"], second["id"]);
    assert_eq!(total_companies(&app).await, 1);
}

#[tokio::test]
async fn another_body_with_the_same_key_is_422() {
    let app = TestApp::spawn().await;
    let key = uuid::Uuid::new_v4().to_string();
    create(&app, &key, &app.client, "First").await;
    let body = create(&app, &key, &app.client, "Second")
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["statusCode"], 422);
    assert_eq!(total_companies(&app).await, 1);
}

#[tokio::test]
async fn keys_belong_to_one_client() {
    let app = TestApp::spawn().await;
    let other = app.new_client("Other").await;
    let key = uuid::Uuid::new_v4().to_string();
    let mine = create(&app, &key, &app.client, "Mine").await.json();
    let theirs = create(&app, &key, &other, "Theirs")
        .await
        .expect(StatusCode::OK);
    assert_ne!(mine["id"], theirs["id"]);
}

#[tokio::test]
async fn a_key_still_running_is_409() {
    let app = TestApp::spawn().await;
    let key = uuid::Uuid::new_v4().to_string();
    let claimed = claim(&app, &key, "Slow", SignedDuration::from_mins(90)).await;
    assert_eq!(claimed, IdempotencyClaim::Claimed);
    create(&app, &key, &app.client, "Slow")
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(total_companies(&app).await, 0);
}

#[tokio::test]
async fn a_claim_never_finished_lapses_after_the_request_timeout() {
    let app = TestApp::spawn().await;
    let key = uuid::Uuid::new_v4().to_string();
    let lease = SignedDuration::try_from(feedbridge::http::REQUEST_TIMEOUT).unwrap();
    claim(&app, &key, "Orphan", lease).await;
    app.clock.advance(lease);
    let answer = create(&app, &key, &app.client, "Orphan")
        .await
        .expect(StatusCode::OK);
    assert_eq!(answer["name"], "Orphan");
}

#[tokio::test]
async fn keys_expire_after_90_minutes() {
    let app = TestApp::spawn().await;
    let key = uuid::Uuid::new_v4().to_string();
    create(&app, &key, &app.client, "First").await;
    app.clock.advance(SignedDuration::from_mins(89));
    create(&app, &key, &app.client, "Second")
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    app.clock.advance(SignedDuration::from_mins(2));
    let body = create(&app, &key, &app.client, "Second")
        .await
        .expect(StatusCode::OK);
    assert_eq!(body["name"], "Second");
}
