//! `/metrics`: the counters move with requests, pushes and sign-ons, labels carry route
//! patterns rather than paths, and every line is valid Prometheus text.

use jiff::ToSpan;
use reqwest::StatusCode;
use serde_json::json;

use feedbridge_ofx::{write_request, Header, Request, SignonRq};
use feedbridge_store::{AccountStatus, ConnectionId, Effects, SourceAccountId};

use crate::support::{spawn, spawn_with, TestApp};

async fn scrape(app: &TestApp) -> String {
    let res = app.http.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let kind = res.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    res.text().await.unwrap()
}

/// The value of the sample `series` (name and labels exactly as rendered), if present.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

/// Checks `name{labels} value` (labels optional) with quoted, escaped label values.
fn valid_line(line: &str) -> bool {
    let name_end = line.find(['{', ' ']).unwrap_or(line.len());
    let name = &line[..name_end];
    let name_ok = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
    let mut rest = &line[name_end..];
    if let Some(labels) = rest.strip_prefix('{') {
        let Some(after) = labels_end(labels) else {
            return false;
        };
        rest = after;
    }
    let value = rest.strip_prefix(' ').unwrap_or("x");
    name_ok && (value.parse::<f64>().is_ok() || value == "+Inf")
}

/// Walks `k="v",…}` and returns what follows the closing brace.
fn labels_end(mut s: &str) -> Option<&str> {
    loop {
        if let Some(after) = s.strip_prefix('}') {
            return Some(after);
        }
        let eq = s.find('=')?;
        let key = &s[..eq];
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return None;
        }
        let mut chars = s[eq + 1..].strip_prefix('"')?.char_indices();
        let close = loop {
            match chars.next()? {
                (_, '\\') => {
                    chars.next()?;
                }
                (i, '"') => break i,
                _ => {}
            }
        };
        s = &s[eq + 2 + close + 1..];
        s = s.strip_prefix(',').unwrap_or(s);
    }
}

async fn push_once(app: &TestApp, company: &str, connection: &str) {
    let base = format!("/companies/{company}/connections/{connection}");
    let account = json!({"id": "acc-1", "accountName": "Checking", "accountType": "checking",
        "accountNumber": "12345678", "currency": "USD", "balance": 10.0});
    let path = format!("{base}/connectionInfo/bankFeedAccounts");
    let (status, body) = app.post(&path, account).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let store = &app.running.services.store;
    let conn: ConnectionId = connection.parse().unwrap();
    let id = SourceAccountId::parse("acc-1").unwrap();
    let mut record = store.get_source_account(conn, &id).await.unwrap();
    record.status = AccountStatus::Connected;
    record.feed_start_date = Some(app.running.services.today() - 30.days());
    store
        .update_source_accounts(&[record], None, Effects::none())
        .await
        .unwrap();
    let day = app.running.services.today() - 1.day();
    let txs: Vec<_> = ["t-1", "t-2", "t-3"]
        .iter()
        .map(|id| {
            json!({"id": id, "date": format!("{day}T10:00:00"), "description": "Tea",
            "amount": 1.5, "transactionType": "Debit"})
        })
        .collect();
    let path = format!("{base}/push/bankAccounts/acc-1/bankTransactions");
    let (status, op) = app
        .post(&path, json!({"accountId": "acc-1", "transactions": txs}))
        .await;
    assert_eq!(status, StatusCode::OK, "{op}");
    assert_eq!(op["status"], "Success", "{op}");
}

async fn refused_signon(app: &TestApp) {
    let signon = SignonRq::new(app.running.services.now(), "nobody", "wrong");
    let body = write_request(&Header::xml_220(), &Request::new(signon));
    let res = app
        .http
        .post(app.url("/ofx"))
        .header("content-type", "application/x-ofx")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn counters_move_and_the_text_parses() {
    let app = spawn().await;
    let before = scrape(&app).await;
    assert_eq!(
        sample(&before, "feedbridge_pushes_total{outcome=\"success\"}"),
        Some(0.0)
    );
    assert_eq!(sample(&before, "feedbridge_webhook_backlog"), Some(0.0));

    let (company, connection) = app.company_and_connection().await;
    push_once(&app, &company, &connection).await;
    let (status, _) = app.get(&format!("/companies/{company}")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.get("/no/such/route").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    refused_signon(&app).await;

    let text = scrape(&app).await;
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        assert!(valid_line(line), "not Prometheus text: {line:?}");
    }
    let get_company = "feedbridge_http_requests_total{method=\"GET\",\
        route=\"/companies/{companyId}\",status=\"2xx\"}";
    assert_eq!(sample(&text, get_company), Some(1.0), "{text}");
    let unmatched =
        "feedbridge_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"4xx\"}";
    assert_eq!(sample(&text, unmatched), Some(1.0), "{text}");
    assert_eq!(
        sample(&text, "feedbridge_pushes_total{outcome=\"success\"}"),
        Some(1.0)
    );
    assert_eq!(
        sample(&text, "feedbridge_transactions_stored_total"),
        Some(3.0)
    );
    assert_eq!(
        sample(&text, "feedbridge_ofx_signons_total{outcome=\"refused\"}"),
        Some(1.0)
    );
    assert!(!text.contains(&company), "tenant ids must not appear");
    assert!(!text.contains(&app.key), "secrets must not appear");
}

#[tokio::test]
async fn a_pending_delivery_shows_in_the_backlog() {
    let app = spawn_with(|c| c.webhooks.allow_private_targets = true).await;
    let (status, body) = app
        .post(
            "/webhooks/endpoints",
            json!({"url": "http://127.0.0.1:9/hook"}),
        )
        .await;
    assert!(status.is_success(), "{body}");
    app.company_and_connection().await;
    let text = scrape(&app).await;
    let backlog = sample(&text, "feedbridge_webhook_backlog").unwrap();
    assert!(backlog >= 1.0, "{text}");
}
