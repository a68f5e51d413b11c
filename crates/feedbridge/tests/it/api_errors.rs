//! Every 4xx of the client API is Codat's `ErrorMessage`, with a message that says what to fix.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::{basic, spawn};

fn assert_error(status: StatusCode, body: &Value, expected: StatusCode) {
    assert_eq!(status, expected, "{body}");
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
}

#[tokio::test]
async fn requests_without_a_valid_key_get_401() {
    let app = spawn().await;
    let res = app.http.get(app.url("/companies")).send().await.unwrap();
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_error(status, &body, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "Unauthorized");

    for header in [basic("fbk_wrong"), "Bearer x".into(), "Basic !!!".into()] {
        let res = app
            .http
            .get(app.url("/companies"))
            .header("authorization", header)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn a_revoked_key_stops_working() {
    let app = spawn().await;
    let issued = app
        .running
        .services
        .create_client("Rotating")
        .await
        .unwrap();
    let (status, _) = app
        .call(Method::GET, "/companies", &issued.plaintext, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    app.running
        .services
        .revoke_api_key(issued.key.id)
        .await
        .unwrap();
    let (status, body) = app
        .call(Method::GET, "/companies", &issued.plaintext, None)
        .await;
    assert_error(status, &body, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn malformed_json_is_a_400_and_creates_nothing() {
    let app = spawn().await;
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
        let res = app
            .http
            .request(method.clone(), app.url(&path))
            .header("authorization", basic(&app.key))
            .header("content-type", "application/json")
            .body("{oops}")
            .send()
            .await
            .unwrap();
        let status = res.status();
        let body: Value = res.json().await.unwrap();
        assert_error(status, &body, StatusCode::BAD_REQUEST);
        assert!(
            body["error"].as_str().unwrap().contains("not valid JSON"),
            "{method} {path}: {body}"
        );
    }
    let (_, list) = app.get("/companies").await;
    assert_eq!(list["totalResults"], 1);
    let (_, conns) = app.get(&format!("/companies/{company}/connections")).await;
    assert_eq!(conns["totalResults"], 1);
    let (_, accounts) = app
        .get(&format!("{base}/connectionInfo/bankFeedAccounts"))
        .await;
    assert_eq!(accounts, json!([]));
}

#[tokio::test]
async fn bad_queries_and_page_sizes_are_400() {
    let app = spawn().await;
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
            let (status, body) = app.get(&format!("{path}?{query}")).await;
            assert_error(status, &body, StatusCode::BAD_REQUEST);
            assert_eq!(
                body["error"], "Error parsing query - Malformed query.",
                "{path}?{query}"
            );
        }
        for size in ["0", "5001", "x"] {
            let (status, body) = app.get(&format!("{path}?pageSize={size}")).await;
            assert_error(status, &body, StatusCode::BAD_REQUEST);
        }
        let (status, _) = app.get(&format!("{path}?pageSize=5000")).await;
        assert_eq!(status, StatusCode::OK);
        for page in ["0", "2147483648"] {
            let (status, body) = app.get(&format!("{path}?page={page}")).await;
            assert_error(status, &body, StatusCode::BAD_REQUEST);
        }
        let (status, _) = app.get(&format!("{path}?page=2147483647")).await;
        assert_eq!(status, StatusCode::OK);
    }
}

#[tokio::test]
async fn invalid_bodies_are_refused_with_the_reason() {
    let app = spawn().await;
    let (company, conn) = app.company_and_connection().await;
    let (status, body) = app.post("/companies", json!({"name": "[]()"})).await;
    assert_error(status, &body, StatusCode::BAD_REQUEST);
    let (status, body) = app
        .post(
            &format!("/companies/{company}/connections"),
            json!({"platformKey": "xero"}),
        )
        .await;
    assert_error(status, &body, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("hcws"), "{body}");
    let accounts =
        format!("/companies/{company}/connections/{conn}/connectionInfo/bankFeedAccounts");
    let (status, body) = app.post(&accounts, json!({"accountName": "No id"})).await;
    assert_error(status, &body, StatusCode::BAD_REQUEST);
    let (status, body) = app
        .post(
            &accounts,
            json!({"id": "a1", "routingInfo": {"bankCode": "1"}, "accountName": "x"}),
        )
        .await;
    assert_error(status, &body, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("v2"), "{body}");
    let (status, body) = app
        .post(&accounts, json!({"id": "a1", "currency": "usd"}))
        .await;
    assert_error(status, &body, StatusCode::BAD_REQUEST);
    let (status, body) = app
        .post(&accounts, json!({"id": "a1", "accountName": "Ok"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app
        .post(&accounts, json!({"id": "a1", "accountName": "Again"}))
        .await;
    assert_error(status, &body, StatusCode::BAD_REQUEST);
    let (status, body) = app
        .call(
            Method::PATCH,
            &format!("{accounts}/a1"),
            &app.key.clone(),
            Some(json!({"status": "connected"})),
        )
        .await;
    assert_error(status, &body, StatusCode::BAD_REQUEST);
    let (status, body) = app
        .call(
            Method::PATCH,
            &format!("{accounts}/a1"),
            &app.key.clone(),
            Some(json!({"accountType": "savings"})),
        )
        .await;
    assert_error(status, &body, StatusCode::BAD_REQUEST);
    let (_, list) = app.get(&accounts).await;
    assert_eq!(list[0]["accountName"], "Ok");
    assert_eq!(list[0]["status"], "pending");
}

#[tokio::test]
async fn unknown_routes_answer_with_an_error_message() {
    let app = spawn().await;
    let (status, body) = app.get("/nowhere").await;
    assert_error(status, &body, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn empty_optional_parameters_mean_their_defaults() {
    let app = spawn().await;
    let (company, conn) = app.company_and_connection().await;
    let (status, page) = app.get("/companies?page=&pageSize=%20").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(
        (page["pageNumber"].as_u64(), page["pageSize"].as_u64()),
        (Some(1), Some(100))
    );
    let (status, page) = app.get("/webhooks/deliveries?page=&pageSize=").await;
    assert_eq!(status, StatusCode::OK, "{page}");

    let accounts =
        format!("/companies/{company}/connections/{conn}/connectionInfo/bankFeedAccounts");
    let (status, body) = app
        .post(
            &accounts,
            json!({"id": "acc-1", "accountName": "Ok", "accountType": "checking",
                   "accountNumber": "12345", "currency": "USD", "balance": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for ext in ["qbo", "ofx"] {
        let path = format!("{accounts}/acc-1/statement.{ext}?from=&to=");
        let res = app
            .http
            .get(app.url(&path))
            .header("authorization", basic(&app.key))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let (status, body) = app
            .get(&format!("{accounts}/acc-1/statement.{ext}?from=x"))
            .await;
        assert_error(status, &body, StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn unreadable_paths_and_query_strings_get_an_error_message() {
    let app = spawn().await;
    let (company, conn) = app.company_and_connection().await;
    for path in [
        "/companies?pageSize=1&pageSize=2".to_owned(),
        format!("/companies/{company}/push?page=1&page=1"),
        "/webhooks/deliveries?status=failed&status=failed".to_owned(),
    ] {
        let (status, body) = app.get(&path).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST);
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
        let (status, body) = app.get(&path).await;
        assert_error(status, &body, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_method_a_path_does_not_take_is_a_405_error_message() {
    let app = spawn().await;
    let (company, _) = app.company_and_connection().await;
    for (method, path) in [
        (Method::DELETE, "/companies".to_owned()),
        (Method::POST, format!("/companies/{company}")),
    ] {
        let res = app
            .http
            .request(method.clone(), app.url(&path))
            .header("authorization", basic(&app.key))
            .send()
            .await
            .unwrap();
        let status = res.status();
        let allow = res.headers()["allow"].to_str().unwrap().to_owned();
        assert!(allow.contains("GET"), "{method} {path}: Allow {allow}");
        let body: Value = res.json().await.unwrap();
        assert_error(status, &body, StatusCode::METHOD_NOT_ALLOWED);
    }
    let (status, companies) = app.get("/companies").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(companies["results"].as_array().unwrap().len(), 1);
}
