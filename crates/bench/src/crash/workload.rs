//! What the crash test's clients send: deterministic batches (from a seed), each under its own
//! `Idempotency-Key`, sent until a definite answer arrives however often the server dies, plus
//! re-sends of acknowledged batches under the same key and under a new one.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use anyhow::Context;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::oracle::AccountKey;

/// One push as generated: its account, path, key, body and what it carries.
pub struct Batch {
    pub account: AccountKey,
    pub path: String,
    pub key: String,
    pub body: Vec<u8>,
    pub amounts: Vec<(String, Decimal)>,
    /// The running balance after the batch's last transaction.
    pub balance: Decimal,
}

/// A client's accounts: push paths and oracle names, and its `Authorization` header.
pub struct Tenant {
    pub auth: String,
    pub accounts: Vec<(AccountKey, String)>,
}

/// Generates client `client`'s share of `count` transactions, in batches of 1 to `max_batch`.
pub fn batches(
    tenant: &Tenant,
    client: usize,
    count: usize,
    max_batch: usize,
    seed: u64,
    day: jiff::civil::Date,
) -> anyhow::Result<Vec<Batch>> {
    let mut rng = StdRng::seed_from_u64(seed ^ (client as u64).wrapping_mul(0x9E37_79B9));
    let mut balances = vec![Decimal::ZERO; tenant.accounts.len()];
    let (mut made, mut out) = (0, Vec::new());
    while made < count {
        let size = rng.gen_range(1..=max_batch).min(count - made);
        let slot = rng.gen_range(0..tenant.accounts.len());
        let (account, path) = &tenant.accounts[slot];
        let number = out.len();
        let (mut items, mut amounts) = (Vec::with_capacity(size), Vec::with_capacity(size));
        for i in 0..size {
            let cents = rng.gen_range(1..=500_000_i64) * if rng.gen_bool(0.7) { -1 } else { 1 };
            let amount = Decimal::new(cents, 2);
            balances[slot] += amount;
            let id = format!("c{client}-b{number}-t{i}");
            items.push(json!({
                "id": id, "date": format!("{day}T10:00:00"), "description": "Crash test",
                "amount": exact(amount)?, "balance": exact(balances[slot])?,
                "transactionType": if cents < 0 { "Debit" } else { "Credit" },
            }));
            amounts.push((id, amount));
        }
        let body = json!({"accountId": account.1, "transactions": items});
        out.push(Batch {
            account: account.clone(),
            path: path.clone(),
            key: format!("crash-{seed}-{client}-{number}"),
            body: serde_json::to_vec(&body)?,
            amounts,
            balance: balances[slot],
        });
        made += size;
    }
    Ok(out)
}

/// A decimal as a JSON number with exactly its digits (never through a binary float).
fn exact(value: Decimal) -> anyhow::Result<Value> {
    Ok(serde_json::from_str(&value.to_string())?)
}

/// Where the server currently listens; replaced after each restart.
pub type BaseUrl = Arc<RwLock<String>>;

/// Shared by all clients: the server's address, progress and counters for the summary.
#[derive(Default)]
pub struct Shared {
    pub base: BaseUrl,
    /// Transactions of fresh batches acknowledged so far (drives the kill schedule).
    pub acknowledged: AtomicUsize,
    pub pushes: AtomicUsize,
    pub attempts: AtomicUsize,
    pub same_key_resends: AtomicUsize,
    pub new_key_resends: AtomicUsize,
}

/// The answers one client was given.
#[derive(Default)]
pub struct Outcome {
    /// `(batch index, pushOperationKey, body as first answered)` of each fresh batch.
    pub acknowledged: Vec<(usize, String, Vec<u8>)>,
    /// Keys of operations acknowledged for re-sends.
    pub resend_operations: Vec<String>,
    pub violations: Vec<String>,
}

/// Sends every batch in order, with random re-sends of acknowledged ones.
pub async fn client(
    http: reqwest::Client,
    tenant: Arc<Tenant>,
    batches: Arc<Vec<Batch>>,
    shared: Arc<Shared>,
    seed: u64,
    deadline: Instant,
) -> anyhow::Result<Outcome> {
    let mut rng = StdRng::seed_from_u64(seed.rotate_left(17));
    let mut out = Outcome::default();
    let auth = tenant.auth.as_str();
    for (number, batch) in batches.iter().enumerate() {
        let body = definite(&http, auth, batch, batch.key.clone(), &shared, deadline).await?;
        let op = success(&body).with_context(|| format!("batch {}", batch.key))?;
        shared
            .acknowledged
            .fetch_add(batch.amounts.len(), Ordering::Relaxed);
        out.acknowledged.push((number, op, body));
        if rng.gen_bool(0.10) {
            let (old, _, first) =
                out.acknowledged[rng.gen_range(0..out.acknowledged.len())].clone();
            let resent = &batches[old];
            let again =
                definite(&http, auth, resent, resent.key.clone(), &shared, deadline).await?;
            shared.same_key_resends.fetch_add(1, Ordering::Relaxed);
            if again != first {
                out.violations.push(format!(
                    "replay of {} differs from its first answer",
                    resent.key
                ));
            }
        }
        if rng.gen_bool(0.05) {
            let old = &batches[out.acknowledged[rng.gen_range(0..out.acknowledged.len())].0];
            let fresh_key = format!("{}-again-{number}", old.key);
            let again = definite(&http, auth, old, fresh_key, &shared, deadline).await?;
            shared.new_key_resends.fetch_add(1, Ordering::Relaxed);
            out.resend_operations.push(success(&again)?);
            let answer: Value = serde_json::from_slice(&again)?;
            if answer["changes"].as_array().is_none_or(|c| !c.is_empty()) {
                out.violations.push(format!(
                    "re-send of {} under a new key stored something: {}",
                    old.key, answer["changes"]
                ));
            }
        }
    }
    Ok(out)
}

/// The operation key of a `Success` answer, or an error naming what came back.
fn success(body: &[u8]) -> anyhow::Result<String> {
    let op: Value = serde_json::from_slice(body)?;
    anyhow::ensure!(
        op["status"] == "Success",
        "push not accepted: {} {}",
        op["status"],
        op["validation"]
    );
    op["pushOperationKey"]
        .as_str()
        .map(str::to_owned)
        .context("answer without pushOperationKey")
}

/// Posts `batch` under `key` until the server gives a definite answer (anything but a lost
/// connection, a 5xx, a 409 for a claim still running, or a 429), backing off with jitter.
async fn definite(
    http: &reqwest::Client,
    auth: &str,
    batch: &Batch,
    key: String,
    shared: &Shared,
    deadline: Instant,
) -> anyhow::Result<Vec<u8>> {
    let mut tries: u32 = 0;
    loop {
        anyhow::ensure!(
            Instant::now() < deadline,
            "no definite answer for {key} before the deadline"
        );
        shared.attempts.fetch_add(1, Ordering::Relaxed);
        let base = shared
            .base
            .read()
            .map_err(|_| anyhow::anyhow!("poisoned"))?
            .clone();
        let sent = http
            .post(format!("{base}{}", batch.path))
            .header("authorization", auth)
            .header("idempotency-key", &key)
            .header("content-type", "application/json")
            .body(batch.body.clone())
            .send()
            .await;
        if let Ok(res) = sent {
            let status = res.status();
            let retry =
                status.is_server_error() || status.as_u16() == 409 || status.as_u16() == 429;
            if let (false, Ok(bytes)) = (retry, res.bytes().await) {
                shared.pushes.fetch_add(1, Ordering::Relaxed);
                anyhow::ensure!(
                    status.is_success(),
                    "{key}: {status}: {}",
                    String::from_utf8_lossy(&bytes)
                );
                return Ok(bytes.to_vec());
            }
        }
        let cap = 50u64.saturating_mul(1 << tries.min(5)).min(1000);
        let jitter = rand::thread_rng().gen_range(0..=cap);
        tokio::time::sleep(Duration::from_millis(jitter)).await;
        tries += 1;
    }
}
