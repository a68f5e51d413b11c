//! A failure inside the server reaches the caller as a generic answer: the API's 500 is an
//! `ErrorMessage` saying only that something went wrong (with a correlation id), the Link UI's is
//! a plain page; neither names a table, a query or the storage engine. The failure is real: the
//! test takes tables away from under the running server.

use reqwest::StatusCode;
use serde_json::Value;
use sqlx::Connection;

use crate::support::{spawn, TestApp};

/// Words that would betray the internals if they reached a caller.
const INTERNALS: [&str; 6] = [
    "sqlite",
    "sqlx",
    "table",
    "select",
    "companies",
    "connections",
];

/// Renames a table through a second connection to the server's own database file.
async fn take_away(app: &TestApp, table: &str) {
    let path = app._dir.path().join("feedbridge.db");
    let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    sqlx::query(&format!("ALTER TABLE {table} RENAME TO {table}_gone"))
        .execute(&mut db)
        .await
        .unwrap();
}

fn assert_generic(body: &str) {
    let lower = body.to_lowercase();
    for word in INTERNALS {
        assert!(!lower.contains(word), "{word:?} leaked in {body}");
    }
}

#[tokio::test]
async fn a_storage_failure_answers_a_generic_error_message() {
    let app = spawn().await;
    let (company, _) = app.company_and_connection().await;
    take_away(&app, "companies").await;

    for path in ["/companies".to_owned(), format!("/companies/{company}")] {
        let res = app
            .http
            .get(app.url(&path))
            .header("authorization", crate::support::basic(&app.key))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR, "{path}");
        let text = res.text().await.unwrap();
        assert_generic(&text);
        let body: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(body["statusCode"], 500);
        assert_eq!(body["error"], "An internal error occurred.");
        assert!(body["correlationId"]
            .as_str()
            .is_some_and(|c| !c.is_empty()));
    }
}

#[tokio::test]
async fn a_storage_failure_behind_a_link_page_answers_a_plain_page() {
    let app = spawn().await;
    let (company, conn) = app.company_and_connection().await;
    let (_, got) = app
        .get(&format!("/companies/{company}/connections/{conn}"))
        .await;
    let link = got["linkUrl"].as_str().unwrap().to_owned();
    take_away(&app, "connections").await;

    let res = app.http.get(&link).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let page = res.text().await.unwrap();
    assert_generic(&page);
    assert!(page.contains("<html"), "{page}");
}
