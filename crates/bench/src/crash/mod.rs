//! `feedbridge-bench crash`: many clients push batches while the server process is killed with
//! SIGKILL at random moments and restarted on the same storage; after the drain the database must
//! hold every acknowledged transaction exactly once, the balances the pushes imply, and one outbox
//! event per push operation. Exits non-zero listing every violation.

mod oracle;
mod server;
mod setup;
mod stored;
mod workload;

use std::io::Write;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::Rng;

use crate::cli::positive;
use oracle::Expected;
use server::Process;
use workload::{Outcome, Shared};

pub use server::{serve, COMMAND as SERVER_COMMAND};

/// How long the clients may take in all before the run is declared stuck.
const DEADLINE: Duration = Duration::from_secs(30 * 60);

const PASSED: &str = "passed (each acknowledged transaction stored once, nothing else stored, \
    amounts and balances match, every acknowledged operation stored, one outbox event per operation)";
const PASSED_SQLITE: &str = "passed (each acknowledged transaction stored once, nothing else \
    stored, amounts and balances match, every acknowledged operation stored, one outbox event per \
    operation, integrity_check ok after every kill and at the end)";

/// Violations printed in full; the rest are counted.
const SHOWN: usize = 50;

/// What `crash` was asked to do.
#[derive(Debug, Clone, clap::Args)]
pub struct Options {
    /// Transactions pushed in all.
    #[arg(long, default_value_t = 200_000)]
    transactions: usize,
    /// SIGKILLs spread over the run.
    #[arg(long, default_value_t = 5)]
    kills: usize,
    /// Concurrent clients, each with its own API key.
    #[arg(long, default_value_t = 16, value_parser = positive)]
    clients: usize,
    /// Connected accounts per client.
    #[arg(long, default_value_t = 4, value_parser = positive)]
    accounts: usize,
    /// Largest batch a push carries (1 to 1000).
    #[arg(long, default_value_t = 250, value_parser = batch_size)]
    max_batch: usize,
    /// Seed of the workload's random choices.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where the server keeps its data (`postgres` needs `FEEDBRIDGE_TEST_PG`).
    #[arg(long, value_enum, default_value_t = BackendKind::Sqlite)]
    backend: BackendKind,
}

/// The database the server under test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

impl BackendKind {
    fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

fn batch_size(text: &str) -> Result<usize, String> {
    match positive(text)? {
        n if n <= 1000 => Ok(n),
        _ => Err(format!("{text} is more than 1000")),
    }
}

/// Runs the whole test and prints its summary; an error lists what went wrong.
pub async fn run(o: &Options) -> anyhow::Result<()> {
    let storage = setup::Storage::create(o.backend).await?;
    let outcome = drive(o, &storage).await;
    storage.remove().await?;
    let report = outcome?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", report.summary)?;
    if report.violations.is_empty() {
        return Ok(());
    }
    for v in report.violations.iter().take(SHOWN) {
        writeln!(out, "VIOLATION: {v}")?;
    }
    if report.violations.len() > SHOWN {
        writeln!(out, "… and {} more", report.violations.len() - SHOWN)?;
    }
    anyhow::bail!("crash test failed: {} violations", report.violations.len())
}

struct Report {
    summary: String,
    violations: Vec<String>,
}

async fn drive(o: &Options, storage: &setup::Storage) -> anyhow::Result<Report> {
    let (tenants, day) = setup::tenants(&storage.target, o.clients, o.accounts).await?;
    let tenants: Vec<Arc<workload::Tenant>> = tenants.into_iter().map(Arc::new).collect();
    let mut all = Vec::with_capacity(o.clients);
    for (n, tenant) in tenants.iter().enumerate() {
        let share = o.transactions / o.clients + usize::from(n < o.transactions % o.clients);
        let made = workload::batches(tenant, n, share, o.max_batch, o.seed, day)?;
        all.push(Arc::new(made));
    }
    let mut process = Process::start(&storage.target).await?;
    let shared = Arc::new(Shared::default());
    *shared
        .base
        .write()
        .map_err(|_| anyhow::anyhow!("poisoned"))? = process.base_url.clone();
    let started = Instant::now();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()?;
    let clients: Vec<_> = (0..o.clients)
        .map(|n| {
            let seed = o.seed ^ ((n as u64 + 1) << 32);
            tokio::spawn(workload::client(
                http.clone(),
                Arc::clone(&tenants[n]),
                Arc::clone(&all[n]),
                Arc::clone(&shared),
                seed,
                started + DEADLINE,
            ))
        })
        .collect();
    let mut violations = Vec::new();
    let mut kills = 0;
    let mut rng = rand::thread_rng();
    let thresholds: Vec<usize> = (0..o.kills)
        .map(|k| {
            let at = (k as f64 + 0.5 + rng.gen_range(0.0..0.5)) / (o.kills + 1) as f64;
            (at * o.transactions as f64) as usize
        })
        .collect();
    while !clients.iter().all(|c| c.is_finished()) {
        tokio::time::sleep(Duration::from_millis(10)).await;
        let done = shared.acknowledged.load(Ordering::Relaxed);
        if thresholds.get(kills).is_some_and(|t| done >= *t) {
            tokio::time::sleep(Duration::from_millis(rng.gen_range(0..200))).await;
            process.kill().await?;
            kills += 1;
            if storage.is_sqlite() {
                let found = stored::integrity(&storage.database_url()).await?;
                if found != "ok" {
                    violations.push(format!("integrity_check after kill {kills}: {found}"));
                }
            }
            process = Process::start(&storage.target).await?;
            *shared
                .base
                .write()
                .map_err(|_| anyhow::anyhow!("poisoned"))? = process.base_url.clone();
        }
    }
    let mut outcomes = Vec::with_capacity(o.clients);
    for (n, client) in clients.into_iter().enumerate() {
        match client.await? {
            Ok(outcome) => outcomes.push((n, outcome)),
            Err(e) => violations.push(format!("client {n}: {e:#}")),
        }
    }
    let elapsed = started.elapsed();
    process.stop().await?;
    if kills < o.kills {
        violations.push(format!("only {kills} of {} kills happened", o.kills));
    }
    if storage.is_sqlite() {
        let found = stored::integrity(&storage.database_url()).await?;
        if found != "ok" {
            violations.push(format!("integrity_check at the end: {found}"));
        }
    }
    let expected = expected(&all, &outcomes, &mut violations);
    let stored = stored::read(&storage.database_url()).await?;
    let found = oracle::check(&expected, &stored);
    let passed = found.is_empty() && violations.is_empty();
    violations.extend(found);
    let summary = summary(o, &shared, &stored, kills, elapsed, passed);
    Ok(Report {
        summary,
        violations,
    })
}

/// What the clients' answers promise, from the batches they had acknowledged.
fn expected(
    batches: &[Arc<Vec<workload::Batch>>],
    outcomes: &[(usize, Outcome)],
    violations: &mut Vec<String>,
) -> Expected {
    let mut expected = Expected::default();
    for (n, outcome) in outcomes {
        for (number, op, _) in &outcome.acknowledged {
            let batch = &batches[*n][*number];
            let into = expected
                .transactions
                .entry(batch.account.clone())
                .or_default();
            into.extend(batch.amounts.iter().cloned());
            expected
                .balances
                .insert(batch.account.clone(), batch.balance);
            expected.acknowledged_operations.insert(op.clone());
        }
        let resent = outcome.resend_operations.iter().cloned();
        expected.acknowledged_operations.extend(resent);
        violations.extend(outcome.violations.iter().cloned());
    }
    expected
}

fn summary(
    o: &Options,
    shared: &Shared,
    stored: &oracle::Stored,
    kills: usize,
    elapsed: Duration,
    passed: bool,
) -> String {
    let load = |n: &std::sync::atomic::AtomicUsize| n.load(Ordering::Relaxed);
    format!(
        "crash test ({backend}): {tx} transactions from {clients} clients on {accounts} accounts\n\
         kills: {kills} (SIGKILL, restarted on the same storage)\n\
         pushes answered: {pushes} ({attempts} attempts); re-sends: {same} same key, {new} new key\n\
         stored: {rows} transactions, {ops} push operations, {events} write events\n\
         elapsed: {secs:.1} s ({rate:.0} acknowledged tx/s)\n\
         checks: {verdict}",
        backend = o.backend.name(),
        tx = load(&shared.acknowledged),
        clients = o.clients,
        accounts = o.clients * o.accounts,
        pushes = load(&shared.pushes),
        attempts = load(&shared.attempts),
        same = load(&shared.same_key_resends),
        new = load(&shared.new_key_resends),
        rows = stored.transactions.len(),
        ops = stored.operations.len(),
        events = stored.events.len(),
        secs = elapsed.as_secs_f64(),
        rate = load(&shared.acknowledged) as f64 / elapsed.as_secs_f64(),
        verdict = match (passed, o.backend) {
            (false, _) => "FAILED",
            (true, BackendKind::Sqlite) => PASSED_SQLITE,
            (true, BackendKind::Postgres) => PASSED,
        },
    )
}
