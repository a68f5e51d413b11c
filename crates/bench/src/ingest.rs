//! Ingest through the real HTTP API: each client owns a connected account and pushes batches of
//! [`BATCH`] transactions one after another, all clients at once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use feedbridge_store::{AccountStatus, ConnectionId, Effects, SourceAccountId};
use jiff::ToSpan;
use serde_json::{json, Value};

use crate::backend::Backend;
use crate::rss;
use crate::BATCH;

pub struct Ingest {
    pub per_second: f64,
    pub p50: Duration,
    pub p99: Duration,
    /// Peak resident set of the process during the run (server and push clients).
    pub rss_mib: Option<u64>,
}

struct Client {
    http: reqwest::Client,
    base: String,
    auth: String,
}

impl Client {
    async fn post(&self, path: &str, body: &Value) -> anyhow::Result<Value> {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .header("authorization", &self.auth)
            .json(body)
            .send()
            .await?;
        anyhow::ensure!(res.status().is_success(), "POST {path}: {}", res.status());
        Ok(res.json().await?)
    }
}

pub async fn run(backend: &Backend, clients: usize, pushes: usize) -> anyhow::Result<Ingest> {
    let dir = tempfile::tempdir()?;
    rss::reset_peak();
    let running = backend.start(dir.path()).await?;
    let key = running.services.create_client("Bench").await?.plaintext;
    let client = Arc::new(Client {
        http: reqwest::Client::new(),
        base: running.base_url.clone(),
        auth: format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(key)
        ),
    });
    let mut paths = Vec::new();
    for n in 0..clients {
        paths.push(account(&client, &running.services, n).await?);
    }
    let day = running.services.today() - 1.day();
    let started = Instant::now();
    let tasks = paths.into_iter().enumerate().map(|(n, path)| {
        let client = Arc::clone(&client);
        tokio::spawn(async move { pusher(&client, &path, n, pushes, day).await })
    });
    let mut times = Vec::new();
    for task in futures::future::join_all(tasks).await {
        times.extend(task??);
    }
    let elapsed = started.elapsed();
    running.stop().await;
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    Ok(Ingest {
        per_second: (clients * pushes * BATCH) as f64 / elapsed.as_secs_f64(),
        p50: at(0.50),
        p99: at(0.99),
        rss_mib: rss::peak_mib(),
    })
}

/// A company, connection and connected account; answers the account's push path.
async fn account(
    client: &Client,
    services: &feedbridge::domain::Services,
    n: usize,
) -> anyhow::Result<String> {
    let company = client
        .post("/companies", &json!({"name": format!("Bench {n}")}))
        .await?;
    let company = company["id"].as_str().unwrap_or_default().to_owned();
    let base = format!("/companies/{company}/connections");
    let conn = client.post(&base, &json!({"platformKey": "hcws"})).await?;
    let conn = conn["id"].as_str().unwrap_or_default().to_owned();
    let base = format!("{base}/{conn}");
    let body = json!({"id": "acc-1", "accountName": "Checking", "accountType": "checking",
        "accountNumber": "12345678", "currency": "USD", "balance": 0});
    client
        .post(&format!("{base}/connectionInfo/bankFeedAccounts"), &body)
        .await?;
    let id = SourceAccountId::parse("acc-1")?;
    let conn_id: ConnectionId = conn.parse()?;
    let mut record = services.store.get_source_account(conn_id, &id).await?;
    record.status = AccountStatus::Connected;
    record.feed_start_date = Some(services.today() - 30.days());
    services
        .store
        .update_source_accounts(&[record], None, Effects::none())
        .await?;
    Ok(format!("{base}/push/bankAccounts/acc-1/bankTransactions"))
}

async fn pusher(
    client: &Client,
    path: &str,
    n: usize,
    pushes: usize,
    day: jiff::civil::Date,
) -> anyhow::Result<Vec<Duration>> {
    let mut times = Vec::with_capacity(pushes);
    for p in 0..pushes {
        let txs: Vec<Value> = (0..BATCH)
            .map(|i| {
                json!({"id": format!("t-{n}-{p}-{i}"), "date": format!("{day}T10:00:00"),
                "description": "Tea", "amount": -1.5, "transactionType": "Debit"})
            })
            .collect();
        let body = json!({"accountId": "acc-1", "transactions": txs});
        let started = Instant::now();
        let op = client.post(path, &body).await?;
        times.push(started.elapsed());
        anyhow::ensure!(
            op["status"] == "Success",
            "push refused: {}",
            op["validation"]
        );
    }
    Ok(times)
}
