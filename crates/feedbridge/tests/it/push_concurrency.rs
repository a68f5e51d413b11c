//! Concurrent pushes: many clients on a few accounts end with every acknowledged transaction
//! stored exactly once and the right balances; pushes to different accounts share commits.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use jiff::ToSpan;
use reqwest::StatusCode;
use serde_json::{json, Value};

use feedbridge::domain::accounts::AccountInput;
use feedbridge::domain::companies::CompanyInput;
use feedbridge::domain::push::input::{PushInput, TransactionInput};
use feedbridge::domain::push::PushOptions;
use feedbridge::domain::Services;
use feedbridge_store::{
    AccountShape, ClientId, CompanyId, ConnectionId, PushStatus, SourceAccountId,
};

use crate::support::services::connect_account;
use crate::support::TestApp;

const ACCOUNTS: usize = 8;
const CLIENTS: usize = 32;
const BATCHES: usize = 6;

/// A small deterministic generator, so a failing interleaving can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

async fn connect_all(services: &Services, conn: ConnectionId, ids: &[String]) {
    let start = services.today() - 30.days();
    for id in ids {
        connect_account(services, conn, id, start).await;
    }
}

/// One client's batch: `(account index, body, balance of its last transaction)`.
fn batch(client: usize, number: usize, day: jiff::civil::Date) -> (usize, Value, String) {
    let account = client % ACCOUNTS;
    let balance = format!("{}.{:02}", client * 100 + number, number);
    let transactions: Vec<Value> = (0..3)
        .map(|i| {
            let amount: Value = serde_json::from_str(&format!("-{i}.25")).unwrap();
            let mut t = json!({"id": format!("c{client}-b{number}-t{i}"), "date": format!("{day}T08:00:00"),
                "description": "Card payment", "amount": amount, "transactionType": "Pos"});
            if i == 2 {
                t["balance"] = serde_json::from_str(&balance).unwrap();
            }
            t
        })
        .collect();
    let body = json!({"accountId": format!("acc-{account}"), "transactions": transactions});
    (account, body, balance)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_clients_store_each_acknowledged_transaction_once() {
    let app = Arc::new(TestApp::spawn().await);
    let (company, connection) = app.company_and_connection().await;
    let ids: Vec<String> = (0..ACCOUNTS).map(|i| format!("acc-{i}")).collect();
    let base = format!("/companies/{company}/connections/{connection}");
    for id in &ids {
        let body = json!({"id": id, "accountName": "Ops", "accountType": "checking",
            "accountNumber": "1", "currency": "USD", "balance": 0});
        app.post(&format!("{base}/connectionInfo/bankFeedAccounts"), body)
            .await
            .expect(StatusCode::OK);
    }
    let services = app.services();
    connect_all(services, connection.parse().unwrap(), &ids).await;
    let day = services.today();

    let mut tasks = Vec::new();
    for client in 0..CLIENTS {
        let (app, base) = (app.clone(), base.clone());
        tasks.push(tokio::spawn(async move {
            let mut rng = Lcg(client as u64 + 1);
            let mut acked = Vec::new();
            let mut sent: Vec<(usize, Value, String)> = Vec::new();
            for number in 0..BATCHES {
                let fresh = batch(client, number, day);
                let pick = if !sent.is_empty() && rng.next().is_multiple_of(3) {
                    sent[(rng.next() as usize) % sent.len()].clone()
                } else {
                    sent.push(fresh.clone());
                    fresh
                };
                let (account, body, balance) = pick;
                let path = format!("{base}/push/bankAccounts/acc-{account}/bankTransactions");
                let op = app.post(&path, body.clone()).await.expect(StatusCode::OK);
                assert_eq!(op["status"], "Success", "{op}");
                acked.push((op, account, body, balance));
            }
            acked
        }));
    }
    let mut acked_ids: Vec<HashSet<String>> = vec![HashSet::new(); ACCOUNTS];
    let mut expected_balance: HashMap<String, (usize, String)> = HashMap::new();
    for task in tasks {
        for (op, account, body, balance) in task.await.unwrap() {
            for t in body["transactions"].as_array().unwrap() {
                acked_ids[account].insert(t["id"].as_str().unwrap().to_owned());
            }
            if !op["changes"].as_array().unwrap().is_empty() {
                let key = op["pushOperationKey"].as_str().unwrap().to_owned();
                expected_balance.insert(key, (account, balance));
            }
        }
    }
    // Operations list in commit order (the clock stands still): the last one that stored
    // something set each account's balance.
    let ops = app
        .get(&format!("/companies/{company}/push?pageSize=5000"))
        .await
        .expect(StatusCode::OK);
    let mut last: BTreeMap<usize, String> = BTreeMap::new();
    for op in ops["results"].as_array().unwrap() {
        if let Some((account, balance)) =
            expected_balance.get(op["pushOperationKey"].as_str().unwrap())
        {
            last.insert(*account, balance.clone());
        }
    }
    let accounts = app
        .get(&format!("{base}/connectionInfo/bankFeedAccounts"))
        .await
        .expect(StatusCode::OK);
    for (index, id) in ids.iter().enumerate() {
        let stored = services
            .store_for_tests()
            .count_transactions(
                connection.parse().unwrap(),
                &SourceAccountId::parse(id).unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(stored as usize, acked_ids[index].len(), "{id}");
        let shown = accounts
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id.as_str())
            .unwrap();
        let balance: rust_decimal::Decimal = shown["balance"].to_string().parse().unwrap();
        let expected: rust_decimal::Decimal = last[&index].parse().unwrap();
        assert_eq!(balance, expected, "{id}");
    }
}

async fn company_with_accounts(services: &Services, client: ClientId) -> (CompanyId, ConnectionId) {
    let company = CompanyInput {
        name: Some("Maple Co".into()),
        description: None,
        tags: None,
    };
    let company = services.create_company(client, company).await.unwrap().id;
    let (_, conn) = services
        .create_connection(client, company, Some("hcws"))
        .await
        .unwrap();
    let ids: Vec<String> = (0..ACCOUNTS).map(|i| format!("acc-{i}")).collect();
    for id in &ids {
        let input = AccountInput {
            shape: AccountShape::V1,
            id: Some(id.clone()),
            account_name: None,
            account_type: None,
            account_number: None,
            sort_code: None,
            currency: Some("USD".into()),
            balance: None,
            routing_info: None,
            account_info: None,
            modified_date: None,
        };
        services
            .create_source_account(client, company, conn.id, input)
            .await
            .unwrap();
    }
    connect_all(services, conn.id, &ids).await;
    (company, conn.id)
}

/// The SQLite writer groups commits (PostgreSQL commits each write on its own connection), so this
/// runs on SQLite whatever backend the suite runs on.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pushes_to_different_accounts_share_commits() {
    let (domain, store) = TestApp::builder().services_on_sqlite().await;
    let (services, client) = (domain.services.clone(), domain.client.id);
    let (company, conn) = company_with_accounts(&services, client).await;
    let day = services.today();
    let before = store.commits();
    let pushes = 4 * ACCOUNTS;
    let tasks: Vec<_> = (0..pushes)
        .map(|n| {
            let services = services.clone();
            tokio::spawn(async move {
                let transaction = TransactionInput {
                    id: Some(format!("t{n}")),
                    date: Some(format!("{day}T09:00:00")),
                    description: Some("Transfer".into()),
                    amount: Some(rust_decimal::Decimal::new(-125, 2)),
                    ..TransactionInput::default()
                };
                let account = format!("acc-{}", n % ACCOUNTS);
                let input = PushInput {
                    account_id: Some(account.clone()),
                    transactions: vec![transaction],
                };
                services
                    .push_transactions(
                        client,
                        company,
                        conn,
                        &account,
                        input,
                        PushOptions::default(),
                    )
                    .await
                    .unwrap()
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().status, PushStatus::Success);
    }
    let commits = store.commits() - before;
    assert!(commits >= 1);
    assert!(
        (commits as usize) < pushes / 2,
        "{pushes} concurrent pushes took {commits} commits: the writer is not grouping them"
    );
}
