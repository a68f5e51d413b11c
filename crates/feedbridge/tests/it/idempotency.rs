//! `Idempotency-Key`: replay, 422 for another body, 409 while the first request runs, an
//! abandoned claim lapsing after the request timeout, 90 minutes.

use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::{json, Value};

use feedbridge::http::idempotency::fingerprint;
use feedbridge_store::IdempotencyClaim;

use crate::support::{basic, spawn, TestApp};

async fn create(app: &TestApp, key: &str, api_key: &str, name: &str) -> (StatusCode, Value) {
    let res = app
        .http
        .post(app.url("/companies"))
        .header("authorization", basic(api_key))
        .header("idempotency-key", key)
        .json(&json!({"name": name}))
        .send()
        .await
        .unwrap();
    (res.status(), res.json().await.unwrap())
}

#[tokio::test]
async fn the_first_answer_is_replayed_and_nothing_is_created_twice() {
    let app = spawn().await;
    let key = uuid::Uuid::new_v4().to_string();
    let (s1, first) = create(&app, &key, &app.key, "Once Ltd").await;
    let (s2, second) = create(&app, &key, &app.key, "Once Ltd").await;
    assert_eq!((s1, s2), (StatusCode::OK, StatusCode::OK));
    assert_eq!(first["id"], second["id"]);
    let (_, list) = app.get("/companies").await;
    assert_eq!(list["totalResults"], 1);
}

#[tokio::test]
async fn another_body_with_the_same_key_is_422() {
    let app = spawn().await;
    let key = uuid::Uuid::new_v4().to_string();
    create(&app, &key, &app.key, "First").await;
    let (status, body) = create(&app, &key, &app.key, "Second").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["statusCode"], 422);
    let (_, list) = app.get("/companies").await;
    assert_eq!(list["totalResults"], 1);
}

#[tokio::test]
async fn keys_belong_to_one_client() {
    let app = spawn().await;
    let other = app.other_key().await;
    let key = uuid::Uuid::new_v4().to_string();
    let (_, mine) = create(&app, &key, &app.key, "Mine").await;
    let (status, theirs) = create(&app, &key, &other, "Theirs").await;
    assert_eq!(status, StatusCode::OK, "{theirs}");
    assert_ne!(mine["id"], theirs["id"]);
}

#[tokio::test]
async fn a_key_still_running_is_409() {
    let app = spawn().await;
    let key = uuid::Uuid::new_v4().to_string();
    let client = app
        .running
        .services
        .authenticate(&app.key)
        .await
        .unwrap()
        .unwrap();
    let body = serde_json::to_vec(&json!({"name": "Slow"})).unwrap();
    let now = app.running.services.now();
    let claim = app
        .running
        .services
        .store
        .claim_idempotency_key(
            client,
            &key,
            &fingerprint("POST", "/companies", &body),
            now,
            now + SignedDuration::from_mins(90),
        )
        .await
        .unwrap();
    assert_eq!(claim, IdempotencyClaim::Claimed);
    let (status, answer) = create(&app, &key, &app.key, "Slow").await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    let (_, list) = app.get("/companies").await;
    assert_eq!(list["totalResults"], 0);
}

#[tokio::test]
async fn a_claim_never_finished_lapses_after_the_request_timeout() {
    let app = spawn().await;
    let key = uuid::Uuid::new_v4().to_string();
    let client = app
        .running
        .services
        .authenticate(&app.key)
        .await
        .unwrap()
        .unwrap();
    let body = serde_json::to_vec(&json!({"name": "Orphan"})).unwrap();
    let now = app.running.services.now();
    let lease = SignedDuration::try_from(feedbridge::http::REQUEST_TIMEOUT).unwrap();
    app.running
        .services
        .store
        .claim_idempotency_key(
            client,
            &key,
            &fingerprint("POST", "/companies", &body),
            now,
            now + lease,
        )
        .await
        .unwrap();
    app.clock.advance(lease);
    let (status, answer) = create(&app, &key, &app.key, "Orphan").await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["name"], "Orphan");
}

#[tokio::test]
async fn keys_expire_after_90_minutes() {
    let app = spawn().await;
    let key = uuid::Uuid::new_v4().to_string();
    create(&app, &key, &app.key, "First").await;
    app.clock.advance(SignedDuration::from_mins(89));
    let (status, _) = create(&app, &key, &app.key, "Second").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    app.clock.advance(SignedDuration::from_mins(2));
    let (status, body) = create(&app, &key, &app.key, "Second").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["name"], "Second");
}
