//! `/metrics`: the counters move with requests, pushes and sign-ons, labels carry route
//! patterns rather than paths, and every line is valid Prometheus text.

use jiff::ToSpan;
use reqwest::{Method, StatusCode};
use serde_json::json;

use feedbridge_ofx::Request;

use crate::support::services::connect_account;
use crate::support::TestApp;

async fn scrape(app: &TestApp) -> String {
    let res = app.req(Method::GET, "/metrics").anonymous().send().await;
    assert_eq!(res.status, StatusCode::OK, "{res}");
    let kind = res.header("content-type");
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    res.text
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
    app.post(&path, account).await.expect(StatusCode::OK);
    let services = app.services();
    let start = services.today() - 30.days();
    connect_account(services, connection.parse().unwrap(), "acc-1", start).await;
    let day = services.today() - 1.day();
    let txs: Vec<_> = ["t-1", "t-2", "t-3"]
        .iter()
        .map(|id| {
            json!({"id": id, "date": format!("{day}T10:00:00"), "description": "Tea",
            "amount": 1.5, "transactionType": "Debit"})
        })
        .collect();
    let path = format!("{base}/push/bankAccounts/acc-1/bankTransactions");
    let op = app
        .post(&path, json!({"accountId": "acc-1", "transactions": txs}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(op["status"], "Success", "{op}");
}

async fn refused_signon(app: &TestApp) {
    app.ofx_raw(&Request::new(app.signon("nobody", "wrong")))
        .await;
}

#[tokio::test]
async fn counters_move_and_the_text_parses() {
    let app = TestApp::spawn().await;
    let before = scrape(&app).await;
    assert_eq!(
        sample(&before, "feedbridge_pushes_total{outcome=\"success\"}"),
        Some(0.0)
    );
    assert_eq!(sample(&before, "feedbridge_webhook_backlog"), Some(0.0));

    let (company, connection) = app.company_and_connection().await;
    push_once(&app, &company, &connection).await;
    app.get(&format!("/companies/{company}"))
        .await
        .expect(StatusCode::OK);
    app.get("/no/such/route")
        .await
        .expect(StatusCode::NOT_FOUND);
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
    assert!(!text.contains(&app.client.key), "secrets must not appear");
}

#[tokio::test]
async fn a_pending_delivery_shows_in_the_backlog() {
    let app = TestApp::builder()
        .config(|c| c.webhooks.allow_private_targets = true)
        .spawn()
        .await;
    app.post(
        "/webhooks/endpoints",
        json!({"url": "http://127.0.0.1:9/hook"}),
    )
    .await
    .ok();
    app.company_and_connection().await;
    let text = scrape(&app).await;
    let backlog = sample(&text, "feedbridge_webhook_backlog").unwrap();
    assert!(backlog >= 1.0, "{text}");
}
