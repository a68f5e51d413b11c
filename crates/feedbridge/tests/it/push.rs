//! Pushing bank transactions: every validator at and just past its boundary, idempotent
//! re-sends, the account balance, and concurrent pushes through the group-committing writer.

use jiff::civil::Date;
use jiff::ToSpan;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use feedbridge_store::SourceAccountId;

use crate::support::services::connect_account;
use crate::support::TestApp;

/// A source account of a fresh connection.
struct Account {
    company: String,
    connection: String,
    id: String,
}

impl Account {
    fn push_path(&self) -> String {
        format!(
            "/companies/{}/connections/{}/push/bankAccounts/{}/bankTransactions",
            self.company, self.connection, self.id
        )
    }
}

fn today(app: &TestApp) -> Date {
    app.services().today()
}

async fn account(app: &TestApp, company: &str, connection: &str, id: &str) -> Account {
    let path =
        format!("/companies/{company}/connections/{connection}/connectionInfo/bankFeedAccounts");
    let body = json!({"id": id, "accountName": "Checking", "accountType": "checking",
        "accountNumber": "12345678", "currency": "USD", "balance": 4002.0});
    app.post(&path, body).await.expect(StatusCode::OK);
    Account {
        company: company.to_owned(),
        connection: connection.to_owned(),
        id: id.to_owned(),
    }
}

/// Marks the account connected with the given feed start date, as the feed does on a download.
async fn connect(app: &TestApp, account: &Account, start: Date) {
    let conn = account.connection.parse().unwrap();
    connect_account(app.services(), conn, &account.id, start).await;
}

/// A connected account whose feed started long ago (so the 7-day window applies).
async fn connected(app: &TestApp) -> Account {
    let (company, connection) = app.company_and_connection().await;
    let acc = account(app, &company, &connection, "acc-001").await;
    connect(app, &acc, today(app) - 30.days()).await;
    acc
}

fn tx(id: &str, date: Date, amount: &str) -> Value {
    let amount: Value = serde_json::from_str(amount).unwrap();
    json!({"id": id, "date": format!("{date}T10:21:00"), "description": "Coffee",
        "amount": amount, "transactionType": "Unknown"})
}

async fn push(app: &TestApp, acc: &Account, transactions: Vec<Value>) -> Value {
    let body = json!({"accountId": acc.id, "transactions": transactions});
    app.post(&acc.push_path(), body)
        .await
        .expect(StatusCode::OK)
}

/// Posts `body` as JSON text, exactly as given, to the account's push path.
async fn push_text(app: &TestApp, acc: &Account, body: &str) -> crate::support::Answer {
    let req = app.req(Method::POST, &acc.push_path());
    req.body("application/json", body.to_owned()).send().await
}

async fn stored(app: &TestApp, acc: &Account) -> u64 {
    let id = SourceAccountId::parse(&acc.id).unwrap();
    let conn = acc.connection.parse().unwrap();
    let store = app.services().store_for_tests();
    store.count_transactions(conn, &id).await.unwrap()
}

fn assert_success(op: &Value) {
    assert_eq!(op["status"], "Success", "{op}");
    assert_eq!(op["statusCode"], 200, "{op}");
}

/// Asserts a Failed operation whose errors include `validator` for `item`.
fn assert_failed(op: &Value, validator: &str, item: Option<&str>) {
    assert_eq!(op["status"], "Failed", "{op}");
    assert_eq!(op["statusCode"], 400, "{op}");
    let errors = op["validation"]["errors"].as_array().unwrap();
    let found = errors.iter().any(|e| {
        e["validatorName"] == validator
            && item.is_none_or(|i| e["itemId"] == i)
            && e["message"].as_str().is_some_and(|m| m.len() > 20)
    });
    assert!(found, "no {validator} error for {item:?}: {op}");
    assert_eq!(op["changes"], json!([]), "{op}");
}

fn validators(op: &Value, kind: &str) -> Vec<String> {
    op["validation"][kind]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| i["validatorName"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_valid_push_is_stored_echoed_and_sets_the_balance() {
    let app = TestApp::spawn().await;
    let acc = connected(&app).await;
    let day = today(&app);
    let body = format!(
        r#"{{"accountId":"acc-001","transactions":[
        {{"id":"t1","date":"{day}T09:00:00","description":"Deposit","amount":4002.0,"balance":4102.0,"transactionType":"Credit"}},
        {{"id":"t2","date":"{day}T10:00:00","description":"Fee","amount":-0.10,"balance":4101.90,"transactionType":"Debit"}}]}}"#
    );
    let op = push_text(&app, &acc, &body).await.expect(StatusCode::OK);
    assert_success(&op);
    assert_eq!(op["dataType"], "bankTransactions");
    assert_eq!(op["dataConnectionKey"], acc.connection.as_str());
    assert_eq!(op["changes"][1]["recordRef"]["id"], "t2");
    assert!(op["completedOnUtc"].is_string());
    assert_eq!(op["validation"], Value::Null, "{op}");
    // The echo keeps the number text the client sent.
    assert_eq!(
        op["data"]["transactions"][0]["amount"].to_string(),
        "4002.0"
    );
    assert_eq!(stored(&app, &acc).await, 2);
    let accounts = app
        .get(&format!(
            "/companies/{}/connections/{}/connectionInfo/bankFeedAccounts",
            acc.company, acc.connection
        ))
        .await
        .expect(StatusCode::OK);
    assert_eq!(accounts[0]["balance"].to_string(), "4101.90");
    let key = op["pushOperationKey"].as_str().unwrap();
    let got = app
        .get(&format!("/companies/{}/push/{key}", acc.company))
        .await
        .expect(StatusCode::OK);
    assert_success(&got);
}

#[tokio::test]
async fn at_most_1000_transactions_per_push() {
    let app = TestApp::spawn().await;
    let acc = connected(&app).await;
    let day = today(&app);
    let batch = |n: usize, prefix: &str| -> Vec<Value> {
        (0..n)
            .map(|i| tx(&format!("{prefix}{i}"), day, "-1.00"))
            .collect()
    };
    let op = push(&app, &acc, batch(1001, "b")).await;
    assert_failed(&op, "TooManyTransactions", None);
    assert_eq!(stored(&app, &acc).await, 0);
    assert_success(&push(&app, &acc, batch(1000, "a")).await);
    assert_eq!(stored(&app, &acc).await, 1000);
}

#[tokio::test]
async fn dates_today_pass_and_tomorrow_fails_in_the_institution_time_zone() {
    // Noon, so that twelve hours later it is tomorrow.
    let app = TestApp::builder().at("2026-03-10T12:00:00Z").spawn().await;
    let acc = connected(&app).await;
    let day = today(&app);
    // An offset is ignored: 23:30 local today is today whatever the suffix says.
    let mut t = tx("t1", day, "1.00");
    t["date"] = json!(format!("{day}T23:30:00-08:00"));
    assert_success(&push(&app, &acc, vec![t]).await);
    let op = push(&app, &acc, vec![tx("late", day + 1.day(), "1.00")]).await;
    assert_failed(&op, "FutureDate", Some("late"));
    // Twelve hours later it is tomorrow in UTC, and the same transaction is accepted.
    app.clock.advance(jiff::SignedDuration::from_hours(12));
    assert_success(&push(&app, &acc, vec![tx("late", day + 1.day(), "1.00")]).await);
}

#[tokio::test]
async fn history_reaches_back_seven_days() {
    let app = TestApp::spawn().await;
    let acc = connected(&app).await;
    let day = today(&app);
    let op = push(&app, &acc, vec![tx("old", day - 8.days(), "1.00")]).await;
    assert_failed(&op, "DateTooOld", Some("old"));
    assert_success(&push(&app, &acc, vec![tx("t1", day - 7.days(), "1.00")]).await);
}

#[tokio::test]
async fn history_never_reaches_before_the_feed_start_date() {
    let app = TestApp::spawn().await;
    let (company, connection) = app.company_and_connection().await;
    let acc = account(&app, &company, &connection, "acc-9").await;
    let day = today(&app);
    connect(&app, &acc, day - 3.days()).await;
    let op = push(&app, &acc, vec![tx("early", day - 4.days(), "1.00")]).await;
    assert_failed(&op, "DateTooOld", Some("early"));
    assert_success(&push(&app, &acc, vec![tx("t1", day - 3.days(), "1.00")]).await);
}

#[tokio::test]
async fn transactions_come_in_date_order_and_never_before_the_newest_stored() {
    let app = TestApp::spawn().await;
    let acc = connected(&app).await;
    let day = today(&app);
    let op = push(
        &app,
        &acc,
        vec![tx("a", day, "1.00"), tx("b", day - 1.day(), "1.00")],
    )
    .await;
    assert_failed(&op, "DateOrder", Some("b"));
    let same_day = vec![
        tx("a", day - 1.day(), "1.00"),
        tx("b", day - 1.day(), "2.00"),
    ];
    assert_success(&push(&app, &acc, same_day).await);
    assert_success(&push(&app, &acc, vec![tx("c", day - 1.day(), "3.00")]).await);
    let op = push(&app, &acc, vec![tx("d", day - 2.days(), "4.00")]).await;
    assert_failed(&op, "BeforeNewestStored", Some("d"));
    assert_eq!(stored(&app, &acc).await, 3);
}

#[tokio::test]
async fn amounts_have_at_most_two_decimal_places_and_are_never_floats() {
    let app = TestApp::spawn().await;
    let acc = connected(&app).await;
    let day = today(&app);
    for (amount, validator) in [
        ("-0.105", "DecimalPlaces"),
        ("0.30000000000000004", "DecimalPlaces"),
        ("1e-3", "DecimalPlaces"),
        ("1e40", "InvalidAmount"),
        ("\"NaN\"", "InvalidAmount"),
    ] {
        let op = push(&app, &acc, vec![tx("x", day, amount)]).await;
        assert_failed(&op, validator, Some("x"));
    }
    let ok = vec![
        tx("a", day, "-0.10"),
        tx("b", day, "1e2"),
        tx("c", day, "4002.0"),
    ];
    assert_success(&push(&app, &acc, ok).await);
    assert_eq!(stored(&app, &acc).await, 3);
}

#[tokio::test]
async fn required_fields_and_types_are_checked_per_transaction() {
    let app = TestApp::spawn().await;
    let acc = connected(&app).await;
    let day = today(&app);
    for field in ["date", "description", "amount"] {
        let mut t = tx("t1", day, "1.00");
        t.as_object_mut().unwrap().remove(field);
        let op = push(&app, &acc, vec![t]).await;
        assert_failed(&op, "RequiredField", Some("t1"));
    }
    let mut t = tx("t1", day, "1.00");
    t.as_object_mut().unwrap().remove("id");
    assert_failed(
        &push(&app, &acc, vec![t]).await,
        "RequiredField",
        Some("transactions[0]"),
    );
    let mut t = tx("t1", day, "1.00");
    t["transactionType"] = json!("Refund");
    assert_failed(
        &push(&app, &acc, vec![t]).await,
        "TransactionType",
        Some("t1"),
    );
    let twice = vec![tx("t1", day, "1.00"), tx("t1", day, "1.00")];
    assert_failed(
        &push(&app, &acc, twice).await,
        "DuplicateIdInRequest",
        Some("t1"),
    );
    // All-or-nothing: one bad transaction keeps the good ones out.
    let mut bad = tx("t3", day, "1.00");
    bad["date"] = json!("next tuesday");
    let op = push(&app, &acc, vec![tx("t2", day, "1.00"), bad]).await;
    assert_failed(&op, "InvalidDate", Some("t3"));
    assert_eq!(stored(&app, &acc).await, 0);
}

#[tokio::test]
async fn the_account_must_exist_be_connected_and_match_the_body() {
    let app = TestApp::spawn().await;
    let (company, connection) = app.company_and_connection().await;
    let pending = account(&app, &company, &connection, "acc-p").await;
    let day = today(&app);
    let op = push(&app, &pending, vec![tx("t1", day, "1.00")]).await;
    assert_failed(&op, "AccountNotConnected", Some("acc-p"));
    let ghost = Account {
        id: "acc-none".into(),
        company: company.clone(),
        connection: connection.clone(),
    };
    let op = push(&app, &ghost, vec![tx("t1", day, "1.00")]).await;
    assert_failed(&op, "AccountNotFound", Some("acc-none"));
    connect(&app, &pending, day - 30.days()).await;
    let body = json!({"accountId": "acc-other", "transactions": [tx("t1", day, "1.00")]});
    let op = app.post(&pending.push_path(), body).await.json();
    assert_failed(&op, "AccountIdMismatch", Some("acc-other"));
    let err = push_text(&app, &pending, "{\"accountId\": ")
        .await
        .expect(StatusCode::BAD_REQUEST);
    assert_eq!(err["statusCode"], 400);
    assert!(err["canBeRetried"].is_string());
    assert_eq!(stored(&app, &pending).await, 0);
    let failed = app
        .get(&format!(
            "/companies/{company}/push?query=status%3DFailed&orderBy=-requestedOnUtc"
        ))
        .await
        .expect(StatusCode::OK);
    assert_eq!(failed["totalResults"], 3, "{failed}");
}

#[tokio::test]
async fn resending_the_same_transactions_stores_nothing_twice() {
    let app = TestApp::spawn().await;
    let acc = connected(&app).await;
    let day = today(&app);
    let mut batch = vec![tx("t1", day, "-5.00"), tx("t2", day, "-6.00")];
    batch[1]["balance"] = json!(89.0);
    assert_success(&push(&app, &acc, batch.clone()).await);
    let again = push(&app, &acc, batch.clone()).await;
    assert_success(&again);
    assert_eq!(again["changes"], json!([]));
    // A re-send may carry new transactions after the stored ones.
    batch.push(tx("t3", day, "-1.00"));
    let more = push(&app, &acc, batch.clone()).await;
    assert_success(&more);
    assert_eq!(more["changes"].as_array().unwrap().len(), 1);
    assert_eq!(stored(&app, &acc).await, 3);
    // The same id with other content is refused.
    let op = push(&app, &acc, vec![tx("t1", day, "-5.01")]).await;
    assert_failed(&op, "IdConflict", Some("t1"));
    assert_eq!(stored(&app, &acc).await, 3);
}

#[tokio::test]
async fn sign_and_running_balance_problems_are_warnings() {
    let app = TestApp::spawn().await;
    let acc = connected(&app).await;
    let day = today(&app);
    let mut first = tx("t1", day, "100");
    first["transactionType"] = json!("Credit");
    first["balance"] = json!(100);
    let mut second = tx("t2", day, "60");
    second["transactionType"] = json!("Debit");
    second["balance"] = json!(40);
    let op = push(&app, &acc, vec![first, second]).await;
    assert_success(&op);
    assert_eq!(
        validators(&op, "warnings"),
        ["AmountSign", "RunningBalance"],
        "{op}"
    );
    assert_eq!(validators(&op, "errors"), Vec::<String>::new());
    assert_eq!(stored(&app, &acc).await, 2);
}
