//! The physical limit: the same `bank_transactions` rows inserted straight into a fresh SQLite
//! file with the store's pragmas (WAL, `synchronous=FULL`), one transaction per batch.

use std::str::FromStr;
use std::time::Instant;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection};

use crate::BATCH;

const SCHEMA: &str = "CREATE TABLE bank_transactions (
    connection_id TEXT NOT NULL, account_id TEXT NOT NULL, id TEXT NOT NULL, date TEXT NOT NULL,
    description TEXT NOT NULL, amount TEXT NOT NULL, balance TEXT, transaction_type TEXT NOT NULL,
    counterparty TEXT, reference TEXT, PRIMARY KEY (connection_id, account_id, id));
CREATE INDEX bank_transactions_by_date ON bank_transactions(connection_id, account_id, date);";

/// Inserts `total` rows and answers rows per second.
pub async fn run(total: usize) -> anyhow::Result<f64> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("raw.db").display());
    let mut conn = SqliteConnectOptions::from_str(&url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .connect()
        .await?;
    sqlx::raw_sql(SCHEMA).execute(&mut conn).await?;
    let started = Instant::now();
    for batch in 0..total.div_ceil(BATCH) {
        let mut tx = conn.begin().await?;
        for n in 0..BATCH {
            sqlx::query(
                "INSERT INTO bank_transactions (connection_id, account_id, id, date, description, \
                 amount, balance, transaction_type) VALUES ($1, $2, $3, $4, $5, $6, NULL, $7)",
            )
            .bind("conn")
            .bind("acc")
            .bind(format!("t-{batch}-{n}"))
            .bind("2026-03-01T10:00:00")
            .bind("Tea")
            .bind("-1.50")
            .bind("Debit")
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
    }
    Ok(total as f64 / started.elapsed().as_secs_f64())
}
