//! A passing outage of the database is not a fault of the server: while another connection holds
//! SQLite's write lock past the busy timeout (as an operator's command or a backup can), every
//! write waiting behind it is answered 503 with `Retry-After` and `canBeRetried: "Yes"`, stores
//! nothing, `/readyz` says the database takes no writes, and once the lock is gone the same
//! writes succeed.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::Connection;

use crate::support::{basic, spawn, TestApp};

/// Takes the database's write lock from a second connection, as another process would.
async fn hold_write_lock(app: &TestApp) -> sqlx::SqliteConnection {
    let path = app._dir.path().join("feedbridge.db");
    let mut other = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .unwrap();
    other
}

async fn create_company(app: &TestApp, name: &str) -> (StatusCode, Option<String>, Value) {
    let res = app
        .http
        .post(app.url("/companies"))
        .header("authorization", basic(&app.key))
        .json(&json!({ "name": name }))
        .send()
        .await
        .unwrap();
    let status = res.status();
    let retry = res
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, retry, res.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_behind_a_held_lock_answer_503_store_nothing_and_succeed_afterwards() {
    let app = spawn().await;
    let mut other = hold_write_lock(&app).await;

    // The first write waits alone in one group; the two sent while it waits form the next.
    let ready = app.http.get(app.url("/readyz")).send();
    let (first, second, third, ready) = tokio::join!(
        create_company(&app, "Bakery"),
        create_company(&app, "Florist"),
        create_company(&app, "Grocer"),
        ready
    );
    for (status, retry, body) in [first, second, third] {
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert_eq!(retry.as_deref(), Some("5"));
        assert_eq!(body["statusCode"], 503);
        assert_eq!(body["canBeRetried"], "Yes");
        assert!(!body["error"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("sqlite"));
    }
    assert_eq!(ready.unwrap().status(), StatusCode::SERVICE_UNAVAILABLE);

    sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
    let (status, listed) = app.get("/companies").await;
    assert_eq!(
        (status, listed["totalResults"].clone()),
        (StatusCode::OK, json!(0))
    );
    let (status, _, created) = create_company(&app, "Bakery").await;
    assert_eq!(status, StatusCode::OK, "{created}");
    let ready = app.http.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
    assert_eq!(app.get("/companies").await.1["totalResults"], 1);
    tokio::time::timeout(Duration::from_secs(1), other.close())
        .await
        .unwrap()
        .unwrap();
}
