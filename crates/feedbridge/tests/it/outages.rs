//! A passing outage of the database is not a fault of the server. Writes that meet one are
//! answered 503 with `Retry-After` and `canBeRetried: "Yes"`, store nothing, `/readyz` says the
//! database takes no writes, and once the outage is over the same writes succeed, with nothing
//! restarted. On SQLite the outage is another connection holding the write lock past the busy
//! timeout (as an operator's command or a backup can); on PostgreSQL, a database turned
//! read-only under the server, as after a failover to a standby.

use reqwest::{Method, StatusCode};
use serde_json::json;
use sqlx::Connection;

use crate::support::{Answer, TestApp};

async fn create_company(app: &TestApp, name: &str) -> Answer {
    app.post("/companies", json!({ "name": name })).await
}

fn assert_retryable(answer: Answer) {
    assert_eq!(answer.header("retry-after"), "5", "{answer}");
    let body = answer.expect(StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["statusCode"], 503);
    assert_eq!(body["canBeRetried"], "Yes");
    let error = body["error"].as_str().unwrap().to_lowercase();
    for word in ["sqlite", "postgres", "database", "lock"] {
        assert!(!error.contains(word), "{word} leaked: {error}");
    }
}

async fn ready(app: &TestApp) -> StatusCode {
    app.req(Method::GET, "/readyz")
        .anonymous()
        .send()
        .await
        .status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_behind_a_held_sqlite_lock_answer_503_store_nothing_and_succeed_afterwards() {
    let app = TestApp::builder().on_sqlite().spawn().await;
    let file = app.data_dir().join("feedbridge.db");
    let mut other = sqlx::SqliteConnection::connect(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .unwrap();

    // The first write waits alone in one group; the two sent while it waits form the next.
    let (first, second, third, readiness) = tokio::join!(
        create_company(&app, "Bakery"),
        create_company(&app, "Florist"),
        create_company(&app, "Grocer"),
        ready(&app)
    );
    for answer in [first, second, third] {
        assert_retryable(answer);
    }
    assert_eq!(readiness, StatusCode::SERVICE_UNAVAILABLE);

    sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
    other.close().await.unwrap();
    let listed = app.get("/companies").await.expect(StatusCode::OK);
    assert_eq!(listed["totalResults"], 0, "nothing was stored half-way");
    create_company(&app, "Bakery").await.ok();
    assert_eq!(ready(&app).await, StatusCode::OK);
    assert_eq!(app.get("/companies").await.ok()["totalResults"], 1);
}

/// Every session of the app's database but the caller's ends; the pool reconnects.
const END_SESSIONS: &str = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
    WHERE datname = current_database() AND pid <> pg_backend_pid()";

#[tokio::test]
async fn writes_to_a_postgresql_database_turned_read_only_answer_503_until_it_takes_writes() {
    if !crate::support::on_postgres() {
        return;
    }
    let app = TestApp::spawn().await;
    create_company(&app, "Before").await.ok();
    app.sql(
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET default_transaction_read_only = on', \
         current_database()); END $$",
    )
    .await;
    app.sql(END_SESSIONS).await;

    assert_retryable(create_company(&app, "During").await);
    assert_eq!(ready(&app).await, StatusCode::SERVICE_UNAVAILABLE);
    let listed = app.get("/companies").await.expect(StatusCode::OK);
    assert_eq!(listed["totalResults"], 1, "reads keep working: {listed}");

    app.sql(
        "SET TRANSACTION READ WRITE; \
         DO $$ BEGIN EXECUTE format('ALTER DATABASE %I RESET default_transaction_read_only', \
         current_database()); END $$",
    )
    .await;
    app.sql(END_SESSIONS).await;
    create_company(&app, "After").await.ok();
    assert_eq!(ready(&app).await, StatusCode::OK);
    assert_eq!(app.get("/companies").await.ok()["totalResults"], 2);
}
