//! Sustained ingest through the real HTTP API: each client owns its connected accounts and pushes
//! batches of [`BATCH`] transactions one after another, turning from account to account, all
//! clients at once. Pushes to one account never overlap, so each request's dates follow the
//! account's stored ones, as the push rules require. The rows are defined here once, so the
//! engine limit (see `engine`) stores exactly the same ones.

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use feedbridge::app::Running;
use jiff::civil::Date;
use jiff::ToSpan;
use serde_json::{json, Value};

use crate::backend::Backend;
use crate::cli::positive;
use crate::statement::at;
use crate::{connect, rss, BATCH};

/// Every pushed transaction's description, amount and type.
pub const DESCRIPTION: &str = "Tea";
pub const AMOUNT: &str = "-1.5";
pub const KIND: &str = "Debit";

/// How much is pushed, and by whom.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct Load {
    /// Concurrent push clients.
    #[arg(long, default_value_t = 8, value_parser = positive)]
    pub clients: usize,
    /// Pushes per client, each of 1,000 transactions.
    #[arg(long, default_value_t = 25, value_parser = positive)]
    pub pushes: usize,
    /// Connected accounts per client, pushed to in turn.
    #[arg(long, default_value_t = 4, value_parser = positive)]
    pub accounts: usize,
}

impl Load {
    pub fn transactions(&self) -> usize {
        self.clients * self.pushes * BATCH
    }

    /// Which of a client's accounts its push `p` goes to.
    pub fn account_of(&self, p: usize) -> usize {
        p % self.accounts
    }
}

/// The id of item `i` of client `n`'s push `p`, unique within the account.
pub fn transaction_id(n: usize, p: usize, i: usize) -> String {
    format!("t-{n}-{p}-{i}")
}

/// The date and time every transaction carries: yesterday, inside the push window.
pub fn stamp(day: Date) -> String {
    format!("{day}T10:00:00")
}

pub struct Ingest {
    pub per_second: f64,
    pub p50: Duration,
    pub p99: Duration,
    /// Peak resident set of the process during the run (server and push clients).
    pub rss_mib: Option<u64>,
}

/// One connected source account.
#[derive(Debug, Clone)]
pub struct Account {
    pub connection: String,
    pub id: String,
    /// Its push path.
    pub path: String,
}

/// The HTTP client of one API key.
pub struct Client {
    http: reqwest::Client,
    base: String,
    auth: String,
}

impl Client {
    /// A new API key on `running`.
    pub async fn new(running: &Running) -> anyhow::Result<Self> {
        let key = running.services.create_client("Bench").await?.plaintext;
        let auth = base64::engine::general_purpose::STANDARD.encode(key);
        Ok(Self {
            http: reqwest::Client::new(),
            base: running.base_url.clone(),
            auth: format!("Basic {auth}"),
        })
    }

    async fn post(&self, path: &str, body: &Value) -> anyhow::Result<Value> {
        let answer = self.post_bytes(path, serde_json::to_vec(body)?).await?;
        Ok(serde_json::from_slice(answer.as_ref())?)
    }

    /// POSTs a JSON body already written; the answer's bytes.
    async fn post_bytes(&self, path: &str, body: Vec<u8>) -> anyhow::Result<impl AsRef<[u8]>> {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .header("authorization", &self.auth)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await?;
        anyhow::ensure!(res.status().is_success(), "POST {path}: {}", res.status());
        Ok(res.bytes().await?)
    }

    /// `load.accounts` connected accounts for each of `load.clients`, each client's on its own
    /// company and connection.
    pub async fn tenants(
        &self,
        running: &Running,
        load: Load,
    ) -> anyhow::Result<Vec<Vec<Account>>> {
        let mut tenants = Vec::with_capacity(load.clients);
        for n in 0..load.clients {
            tenants.push(self.accounts(&running.services, n, load.accounts).await?);
        }
        Ok(tenants)
    }

    async fn accounts(
        &self,
        services: &feedbridge::domain::Services,
        n: usize,
        count: usize,
    ) -> anyhow::Result<Vec<Account>> {
        let company = self
            .post("/companies", &json!({"name": format!("Bench {n}")}))
            .await?;
        let company = company["id"].as_str().unwrap_or_default().to_owned();
        let base = format!("/companies/{company}/connections");
        let conn = self.post(&base, &json!({"platformKey": "hcws"})).await?;
        let connection = conn["id"].as_str().unwrap_or_default().to_owned();
        let base = format!("{base}/{connection}");
        let mut accounts = Vec::with_capacity(count);
        for a in 0..count {
            let id = format!("acc-{a}");
            let body = json!({"id": id, "accountName": format!("Checking {a}"),
                "accountType": "checking", "accountNumber": format!("1234567{a}"),
                "currency": "USD", "balance": 0});
            self.post(&format!("{base}/connectionInfo/bankFeedAccounts"), &body)
                .await?;
            connect::connect(services, connection.parse()?, &id).await?;
            let path = format!("{base}/push/bankAccounts/{id}/bankTransactions");
            accounts.push(Account {
                connection: connection.clone(),
                id,
                path,
            });
        }
        Ok(accounts)
    }
}

pub async fn run(backend: &Backend, load: Load) -> anyhow::Result<Ingest> {
    let dir = tempfile::tempdir()?;
    rss::reset_peak();
    let running = backend.start(dir.path()).await?;
    let client = Arc::new(Client::new(&running).await?);
    let tenants = client.tenants(&running, load).await?;
    let day = running.services.today() - 1.day();
    let started = Instant::now();
    let tasks = tenants.into_iter().enumerate().map(|(n, accounts)| {
        let client = Arc::clone(&client);
        tokio::spawn(async move { pusher(&client, &accounts, n, load, day).await })
    });
    let mut times = Vec::with_capacity(load.clients * load.pushes);
    for task in futures::future::join_all(tasks).await {
        times.extend(task??);
    }
    let elapsed = started.elapsed();
    running.stop().await;
    Ok(Ingest {
        per_second: load.transactions() as f64 / elapsed.as_secs_f64(),
        p50: at(&mut times, 0.50),
        p99: at(&mut times, 0.99),
        rss_mib: rss::peak_mib(),
    })
}

async fn pusher(
    client: &Client,
    accounts: &[Account],
    n: usize,
    load: Load,
    day: Date,
) -> anyhow::Result<Vec<Duration>> {
    let date = stamp(day);
    let mut times = Vec::with_capacity(load.pushes);
    for p in 0..load.pushes {
        let account = &accounts[load.account_of(p)];
        let body = push_body(&account.id, n, p, &date)?;
        let started = Instant::now();
        let answer = client.post_bytes(&account.path, body).await?;
        times.push(started.elapsed());
        let op: Pushed = serde_json::from_slice(answer.as_ref())?;
        anyhow::ensure!(op.status == "Success", "push refused: {}", op.validation);
    }
    Ok(times)
}

/// What a client reads of a push's answer; serde skips the rest (the echoed body, the changes)
/// without building it.
#[derive(serde::Deserialize)]
struct Pushed {
    status: String,
    #[serde(default)]
    validation: Value,
}

/// Client `n`'s push `p` to `account`, written straight to bytes: the push clients share the
/// server's cores, so building each body as a JSON tree would take time from the server that a
/// real institution's own machines would spend.
fn push_body(account: &str, n: usize, p: usize, date: &str) -> anyhow::Result<Vec<u8>> {
    use std::io::Write;
    let mut body = Vec::with_capacity(BATCH * 110);
    write!(
        body,
        r#"{{"accountId":{},"transactions":["#,
        serde_json::to_string(account)?
    )?;
    for i in 0..BATCH {
        if i > 0 {
            body.push(b',');
        }
        write!(
            body,
            r#"{{"id":"{}","date":"{date}","description":"{DESCRIPTION}","amount":{AMOUNT},"transactionType":"{KIND}"}}"#,
            transaction_id(n, p, i)
        )?;
    }
    body.extend_from_slice(b"]}");
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_push_body_is_the_json_the_rows_describe() {
        let body: Value =
            serde_json::from_slice(&push_body("acc-1", 2, 3, "2026-11-30T10:00:00").unwrap())
                .unwrap();
        let txs = body["transactions"].as_array().unwrap();
        assert_eq!(body["accountId"], "acc-1");
        assert_eq!(txs.len(), BATCH);
        assert_eq!(
            txs[7],
            json!({"id": transaction_id(2, 3, 7), "date": "2026-11-30T10:00:00",
                   "description": DESCRIPTION, "amount": -1.5, "transactionType": KIND})
        );
    }
}
