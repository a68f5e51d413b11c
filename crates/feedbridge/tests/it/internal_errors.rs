//! A failure inside the server reaches the caller as a generic answer: the API's 500 is an
//! `ErrorMessage` saying only that something went wrong (with a correlation id), the Link UI's is
//! a plain page; neither names a table, a query or the storage engine. The failure is real: the
//! test takes tables away from under the running server.

use reqwest::StatusCode;

use crate::support::TestApp;

/// Words that would betray the internals if they reached a caller.
const INTERNALS: [&str; 7] = [
    "sqlite",
    "postgres",
    "sqlx",
    "table",
    "select",
    "companies",
    "connections",
];

/// Renames a table through a connection of the test's own to the server's database.
async fn take_away(app: &TestApp, table: &str) {
    app.sql(&format!("ALTER TABLE {table} RENAME TO {table}_gone"))
        .await;
}

fn assert_generic(body: &str) {
    let lower = body.to_lowercase();
    for word in INTERNALS {
        assert!(!lower.contains(word), "{word:?} leaked in {body}");
    }
}

#[tokio::test]
async fn a_storage_failure_answers_a_generic_error_message() {
    let app = TestApp::spawn().await;
    let (company, _) = app.company_and_connection().await;
    take_away(&app, "companies").await;

    for path in ["/companies".to_owned(), format!("/companies/{company}")] {
        let answer = app.get(&path).await;
        assert_generic(&answer.text);
        let body = answer.expect(StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body["statusCode"], 500);
        assert_eq!(body["error"], "An internal error occurred.");
        assert!(body["correlationId"]
            .as_str()
            .is_some_and(|c| !c.is_empty()));
    }
}

#[tokio::test]
async fn a_storage_failure_behind_a_link_page_answers_a_plain_page() {
    let app = TestApp::spawn().await;
    let conn = app.link_connection("Bean Counters").await;
    let link = app.link(&conn).await;
    take_away(&app, "connections").await;

    let res = app.visit(&link, None).await;
    assert_eq!(res.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(res.header("content-type").starts_with("text/html"));
    assert_generic(&res.text);
    assert!(res.text.contains("<html"), "{}", res.text);
}
