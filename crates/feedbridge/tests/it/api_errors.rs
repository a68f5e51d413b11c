//! Every 4xx of the client API is Codat's `ErrorMessage`, with a message that says what to fix.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::{Answer, TestApp};

/// Asserts an `ErrorMessage` answered with `expected`; returns it.
fn assert_error(answer: Answer, expected: StatusCode) -> Value {
    let body = answer.expect(expected);
    assert_eq!(body["statusCode"], expected.as_u16(), "{body}");
    assert!(body["canBeRetried"].is_string(), "{body}");
    assert!(
        body["correlationId"]
            .as_str()
            .is_some_and(|c| !c.is_empty()),
        "{body}"
    );
    assert!(
        body["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{body}"
    );
    body
}

#[tokio::test]
async fn requests_without_a_valid_key_get_401() {
    let app = TestApp::spawn().await;
    let anonymous = app.req(Method::GET, "/companies").anonymous().send().await;
    let body = assert_error(anonymous, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "Unauthorized");

    for req in [
        app.req(Method::GET, "/companies").key("fbk_wrong"),
        app.req(Method::GET, "/companies").authorization("Bearer x"),
        app.req(Method::GET, "/companies")
            .authorization("Basic !!!"),
    ] {
        req.send().await.expect(StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn a_revoked_key_stops_working() {
    let app = TestApp::spawn().await;
    let rotating = app.new_client("Rotating").await;
    let list = || app.req(Method::GET, "/companies").by(&rotating).send();
    list().await.expect(StatusCode::OK);
    app.services()
        .revoke_api_key(rotating.key_id)
        .await
        .unwrap();
    assert_error(list().await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn malformed_json_is_a_400_and_creates_nothing() {
    let app = TestApp::spawn().await;
    let (company, conn) = app.company_and_connection().await;
    let base = format!("/companies/{company}/connections/{conn}");
    let targets = [
        (Method::POST, "/companies".to_owned()),
        (Method::PATCH, format!("/companies/{company}")),
        (Method::PUT, format!("/companies/{company}")),
        (Method::POST, format!("/companies/{company}/connections")),
        (Method::PATCH, base.clone()),
        (
            Method::POST,
            format!("{base}/connectionInfo/bankFeedAccounts"),
        ),
        (
            Method::POST,
            format!("{base}/connectionInfo/bankFeedAccounts/batch"),
        ),
    ];
    for (method, path) in targets {
        let answer = app
            .req(method, &path)
            .body("application/json", "{oops}")
            .send()
            .await;
        let what = answer.what.clone();
        let body = assert_error(answer, StatusCode::BAD_REQUEST);
        assert!(
            body["error"].as_str().unwrap().contains("not valid JSON"),
            "{what}: {body}"
        );
    }
    let list = app.get("/companies").await.ok();
    assert_eq!(list["totalResults"], 1);
    let conns = app
        .get(&format!("/companies/{company}/connections"))
        .await
        .ok();
    assert_eq!(conns["totalResults"], 1);
    let accounts = app
        .get(&format!("{base}/connectionInfo/bankFeedAccounts"))
        .await
        .ok();
    assert_eq!(accounts, json!([]));
}

#[tokio::test]
async fn bad_queries_and_page_sizes_are_400() {
    let app = TestApp::spawn().await;
    let (company, _) = app.company_and_connection().await;
    for path in [
        "/companies".to_owned(),
        format!("/companies/{company}/connections"),
        format!("/companies/{company}/push"),
    ] {
        for query in [
            "query=name%3D%3Dx",
            "query=%7Bname%3Dx",
            "query=nosuchfield%3Dx",
            "orderBy=-nosuchfield",
        ] {
            let answer = app.get(&format!("{path}?{query}")).await;
            let body = assert_error(answer, StatusCode::BAD_REQUEST);
            assert_eq!(
                body["error"], "Error parsing query - Malformed query.",
                "{path}?{query}"
            );
        }
        for size in ["0", "5001", "x"] {
            let answer = app.get(&format!("{path}?pageSize={size}")).await;
            assert_error(answer, StatusCode::BAD_REQUEST);
        }
        app.get(&format!("{path}?pageSize=5000"))
            .await
            .expect(StatusCode::OK);
        for page in ["0", "2147483648"] {
            let answer = app.get(&format!("{path}?page={page}")).await;
            assert_error(answer, StatusCode::BAD_REQUEST);
        }
        app.get(&format!("{path}?page=2147483647"))
            .await
            .expect(StatusCode::OK);
    }
}

#[tokio::test]
async fn invalid_bodies_are_refused_with_the_reason() {
    let app = TestApp::spawn().await;
    let (company, conn) = app.company_and_connection().await;
    let answer = app.post("/companies", json!({"name": "[]()"})).await;
    assert_error(answer, StatusCode::BAD_REQUEST);
    let answer = app
        .post(
            &format!("/companies/{company}/connections"),
            json!({"platformKey": "xero"}),
        )
        .await;
    let body = assert_error(answer, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("hcws"), "{body}");
    let accounts =
        format!("/companies/{company}/connections/{conn}/connectionInfo/bankFeedAccounts");
    let answer = app.post(&accounts, json!({"accountName": "No id"})).await;
    assert_error(answer, StatusCode::BAD_REQUEST);
    let answer = app
        .post(
            &accounts,
            json!({"id": "a1", "routingInfo": {"bankCode": "1"}, "accountName": "x"}),
        )
        .await;
    let body = assert_error(answer, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("v2"), "{body}");
    let answer = app
        .post(&accounts, json!({"id": "a1", "currency": "usd"}))
        .await;
    assert_error(answer, StatusCode::BAD_REQUEST);
    app.post(&accounts, json!({"id": "a1", "accountName": "Ok"}))
        .await
        .expect(StatusCode::OK);
    let answer = app
        .post(&accounts, json!({"id": "a1", "accountName": "Again"}))
        .await;
    assert_error(answer, StatusCode::BAD_REQUEST);
    let account = format!("{accounts}/a1");
    let answer = app.patch(&account, json!({"status": "connected"})).await;
    assert_error(answer, StatusCode::BAD_REQUEST);
    let answer = app.patch(&account, json!({"accountType": "savings"})).await;
    assert_error(answer, StatusCode::BAD_REQUEST);
    let list = app.get(&accounts).await.ok();
    assert_eq!(list[0]["accountName"], "Ok");
    assert_eq!(list[0]["status"], "pending");
}

#[tokio::test]
async fn unknown_routes_answer_with_an_error_message() {
    let app = TestApp::spawn().await;
    assert_error(app.get("/nowhere").await, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn empty_optional_parameters_mean_their_defaults() {
    let app = TestApp::spawn().await;
    let (company, conn) = app.company_and_connection().await;
    let page = app
        .get("/companies?page=&pageSize=%20")
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        (page["pageNumber"].as_u64(), page["pageSize"].as_u64()),
        (Some(1), Some(100))
    );
    app.get("/webhooks/deliveries?page=&pageSize=")
        .await
        .expect(StatusCode::OK);

    let accounts =
        format!("/companies/{company}/connections/{conn}/connectionInfo/bankFeedAccounts");
    app.post(
        &accounts,
        json!({"id": "acc-1", "accountName": "Ok", "accountType": "checking",
               "accountNumber": "12345", "currency": "USD", "balance": 1}),
    )
    .await
    .expect(StatusCode::OK);
    for ext in ["qbo", "ofx"] {
        let path = format!("{accounts}/acc-1/statement.{ext}?from=&to=");
        app.get(&path).await.expect(StatusCode::OK);
        let answer = app
            .get(&format!("{accounts}/acc-1/statement.{ext}?from=x"))
            .await;
        assert_error(answer, StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn unreadable_paths_and_query_strings_get_an_error_message() {
    let app = TestApp::spawn().await;
    let (company, conn) = app.company_and_connection().await;
    for path in [
        "/companies?pageSize=1&pageSize=2".to_owned(),
        format!("/companies/{company}/push?page=1&page=1"),
        "/webhooks/deliveries?status=failed&status=failed".to_owned(),
    ] {
        let body = assert_error(app.get(&path).await, StatusCode::BAD_REQUEST);
        assert!(
            body["error"].as_str().unwrap().contains("duplicate field"),
            "{path}: {body}"
        );
    }
    // Percent-encoding that is not UTF-8 cannot name a record: the same 404 as an unknown id.
    for path in [
        "/companies/%FF".to_owned(),
        format!("/companies/{company}/connections/%C3%28"),
        format!("/companies/{company}/connections/{conn}/connectionInfo/bankFeedAccounts/%FF/statement.qbo"),
    ] {
        assert_error(app.get(&path).await, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_method_a_path_does_not_take_is_a_405_error_message() {
    let app = TestApp::spawn().await;
    let (company, _) = app.company_and_connection().await;
    for (method, path) in [
        (Method::DELETE, "/companies".to_owned()),
        (Method::POST, format!("/companies/{company}")),
    ] {
        let answer = app.req(method, &path).send().await;
        let allow = answer.header("allow").to_owned();
        assert!(allow.contains("GET"), "{answer}: Allow {allow}");
        assert_error(answer, StatusCode::METHOD_NOT_ALLOWED);
    }
    let companies = app.get("/companies").await.expect(StatusCode::OK);
    assert_eq!(companies["results"].as_array().unwrap().len(), 1);
}
