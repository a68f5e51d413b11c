//! The physical limit of SPEC §13: SQLite's own speed on the rows ingest stores. A server started
//! on a fresh directory applies the SQLite migrations and creates the same tenants as an ingest
//! run, so the table, its indexes and the foreign keys its rows check are the migrations' own,
//! never a copy. The server then stops, and the same rows go in through SQLite's C API
//! (rusqlite, linked to the same bundled SQLite as sqlx) with the server's pragmas: one
//! transaction per [`BATCH`] rows, one prepared statement bound and stepped for every row.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::civil::Date;
use jiff::ToSpan;
use rusqlite::{params, Connection};

use crate::backend::Backend;
use crate::ingest::{self, Account, Client, Load, AMOUNT, DESCRIPTION, KIND};
use crate::BATCH;

const INSERT: &str = "INSERT INTO bank_transactions (connection_id, account_id, id, date, \
    description, amount, balance, transaction_type, counterparty, reference) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, NULL, NULL)";

/// Stores `load`'s rows and answers rows per second of the engine's time (binding, stepping and
/// committing; generating the ids is left out).
pub async fn run(load: Load) -> anyhow::Result<f64> {
    let dir = tempfile::tempdir()?;
    let backend = Backend::default();
    let running = backend.start(dir.path()).await?;
    let client = Client::new(&running).await?;
    let tenants = client.tenants(&running, load).await?;
    let day = running.services.today() - 1.day();
    running.stop().await;
    let url = backend.url(dir.path());
    let path = PathBuf::from(
        url.strip_prefix("sqlite://")
            .ok_or_else(|| anyhow::anyhow!("not a SQLite URL: {url}"))?,
    );
    let spent = tokio::task::spawn_blocking(move || insert(&path, &tenants, load, day)).await??;
    Ok(load.transactions() as f64 / spent.as_secs_f64())
}

/// The pushes in the order the concurrent clients send them: each client's first, then each
/// one's second, and so on; answers the time spent in SQLite. The count at the end shows every
/// row went in.
fn insert(
    path: &Path,
    tenants: &[Vec<Account>],
    load: Load,
    day: Date,
) -> anyhow::Result<Duration> {
    let conn = open(path)?;
    let mut statement = conn.prepare(INSERT)?;
    let date = ingest::stamp(day);
    let mut spent = Duration::ZERO;
    for p in 0..load.pushes {
        for (n, accounts) in tenants.iter().enumerate() {
            let account = &accounts[load.account_of(p)];
            let ids: Vec<String> = (0..BATCH)
                .map(|i| ingest::transaction_id(n, p, i))
                .collect();
            let started = Instant::now();
            let tx = conn.unchecked_transaction()?;
            for id in &ids {
                statement.execute(params![
                    account.connection,
                    account.id,
                    id,
                    date,
                    DESCRIPTION,
                    AMOUNT,
                    KIND
                ])?;
            }
            tx.commit()?;
            spent += started.elapsed();
        }
    }
    let stored: usize = conn.query_row("SELECT count(*) FROM bank_transactions", [], |row| {
        row.get(0)
    })?;
    anyhow::ensure!(
        stored == load.transactions(),
        "the engine run stored {stored} rows, not {}",
        load.transactions()
    );
    Ok(spent)
}

/// The server's pragmas (see the SQLite store's `start`): WAL, `synchronous=FULL`, foreign keys,
/// temporary storage in memory.
fn open(path: &Path) -> anyhow::Result<Connection> {
    let conn = Connection::open(path)?;
    let mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    anyhow::ensure!(mode == "wal", "journal_mode is {mode}, not wal");
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.busy_timeout(Duration::from_secs(10))?;
    Ok(conn)
}
