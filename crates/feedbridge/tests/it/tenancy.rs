//! A key never sees or touches another client's objects: every route answers 404, exactly as for an
//! id that does not exist, and the owner's data stays as it was.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::{spawn, TestApp};

/// Every client API operation on one company/connection/account.
fn routes(company: &str, conn: &str) -> Vec<(Method, String, Option<Value>)> {
    let c = format!("/companies/{company}");
    let k = format!("{c}/connections/{conn}");
    let accounts = format!("{k}/connectionInfo/bankFeedAccounts");
    vec![
        (Method::GET, c.clone(), None),
        (Method::PATCH, c.clone(), Some(json!({"name": "Taken"}))),
        (Method::PUT, c.clone(), Some(json!({"name": "Taken"}))),
        (Method::GET, format!("{c}/connections"), None),
        (
            Method::POST,
            format!("{c}/connections"),
            Some(json!({"platformKey": "hcws"})),
        ),
        (Method::GET, k.clone(), None),
        (
            Method::PATCH,
            k.clone(),
            Some(json!({"status": "Unlinked"})),
        ),
        (Method::GET, accounts.clone(), None),
        (
            Method::POST,
            accounts.clone(),
            Some(json!({"id": "new", "accountName": "n"})),
        ),
        (
            Method::POST,
            format!("{accounts}/batch"),
            Some(json!([{"id": "new2"}])),
        ),
        (
            Method::PATCH,
            format!("{accounts}/acc-1"),
            Some(json!({"accountName": "Taken"})),
        ),
        (
            Method::POST,
            format!("{accounts}/credentials"),
            Some(json!({})),
        ),
        (Method::DELETE, format!("{accounts}/credentials"), None),
        (Method::POST, format!("{k}/bankFeeds/otp"), None),
        (Method::GET, format!("{c}/push"), None),
        (
            Method::GET,
            format!("{c}/push/{}", uuid::Uuid::new_v4()),
            None,
        ),
        (Method::DELETE, format!("{accounts}/acc-1"), None),
        (Method::DELETE, k.clone(), None),
        (Method::DELETE, c, None),
    ]
}

async fn seeded(app: &TestApp) -> (String, String) {
    let (company, conn) = app.company_and_connection().await;
    let accounts =
        format!("/companies/{company}/connections/{conn}/connectionInfo/bankFeedAccounts");
    let (status, _) = app
        .post(
            &accounts,
            json!({"id": "acc-1", "accountName": "Operating"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    (company, conn)
}

#[tokio::test]
async fn another_tenant_gets_404_everywhere_and_changes_nothing() {
    let app = spawn().await;
    let other = app.other_key().await;
    let (company, conn) = seeded(&app).await;
    let (_, before) = app.get(&format!("/companies/{company}")).await;
    for (method, path, body) in routes(&company, &conn) {
        let (status, answer) = app.call(method.clone(), &path, &other, body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {answer}");
        assert_eq!(answer["statusCode"], 404);
    }
    let (status, after) = app.get(&format!("/companies/{company}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(after["name"], before["name"]);
    let accounts =
        format!("/companies/{company}/connections/{conn}/connectionInfo/bankFeedAccounts");
    let (_, list) = app.get(&accounts).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["accountName"], "Operating");
    let creds = app
        .running
        .services
        .store
        .list_credentials(conn.parse().unwrap())
        .await
        .unwrap();
    assert!(creds.is_empty(), "the other tenant created credentials");
    let (_, companies) = app.call(Method::GET, "/companies", &other, None).await;
    assert_eq!(companies["totalResults"], 0);
}

#[tokio::test]
async fn unknown_and_malformed_ids_get_the_same_404() {
    let app = spawn().await;
    let (company, conn) = seeded(&app).await;
    let unknown = uuid::Uuid::new_v4().to_string();
    let cases = [
        (unknown.clone(), conn.clone(), false),
        ("not-a-uuid".to_owned(), conn.clone(), false),
        (company.clone(), unknown, true),
        (company.clone(), "not-a-uuid".to_owned(), true),
    ];
    for (company, conn, connection_scoped_only) in cases {
        for (method, path, body) in routes(&company, &conn) {
            if connection_scoped_only && !path.contains("/connections/") {
                continue;
            }
            let (status, answer) = app
                .call(method.clone(), &path, &app.key.clone(), body)
                .await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {answer}");
        }
    }
    let accounts =
        format!("/companies/{company}/connections/{conn}/connectionInfo/bankFeedAccounts");
    let (status, _) = app
        .call(
            Method::DELETE,
            &format!("{accounts}/nope"),
            &app.key.clone(),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
