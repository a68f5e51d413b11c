//! Reading what the database holds after the drain, straight from its tables (the same SQL on
//! both backends, every column read as text), and SQLite's own integrity check.

use std::collections::HashMap;
use std::str::FromStr;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, Database, Pool, Row};

use super::oracle::{Stored, StoredEvent, StoredOperation};

const TRANSACTIONS: &str = "SELECT connection_id, account_id, id, amount FROM bank_transactions";
const ACCOUNTS: &str = "SELECT connection_id, id, COALESCE(balance, '') FROM source_accounts";
const OPERATIONS: &str = "SELECT key, status, changes FROM push_operations";
const EVENTS: &str = "SELECT event_type, body FROM outbox_events \
    WHERE event_type LIKE 'bankTransactions.write.%'";

/// `PRAGMA integrity_check` on the SQLite file at `url`: `ok`, or what it found.
pub async fn integrity(url: &str) -> anyhow::Result<String> {
    let mut conn = SqliteConnectOptions::from_str(url)?.connect().await?;
    let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await?;
    conn.close().await?;
    Ok(rows.join("; "))
}

/// Everything the oracle compares, from the database at `url`.
pub async fn read(url: &str) -> anyhow::Result<Stored> {
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await?;
        let stored = read_from(&pool).await;
        pool.close().await;
        stored
    } else {
        let pool = sqlx::PgPool::connect(url).await?;
        let stored = read_from(&pool).await;
        pool.close().await;
        stored
    }
}

async fn read_from<DB: Database>(pool: &Pool<DB>) -> anyhow::Result<Stored>
where
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'r> String: sqlx::Decode<'r, DB> + sqlx::Type<DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    let mut stored = Stored::default();
    for row in texts(pool, TRANSACTIONS).await? {
        let [conn, account, id, amount] = <[String; 4]>::try_from(row).map_err(short)?;
        stored.transactions.push(((conn, account), id, amount));
    }
    let mut balances = HashMap::new();
    for row in texts(pool, ACCOUNTS).await? {
        let [conn, account, balance] = <[String; 3]>::try_from(row).map_err(short)?;
        balances.insert((conn, account), Some(balance).filter(|b| !b.is_empty()));
    }
    stored.balances = balances;
    for row in texts(pool, OPERATIONS).await? {
        let [key, status, changes] = <[String; 3]>::try_from(row).map_err(short)?;
        let changes = serde_json::from_str(&changes)?;
        stored.operations.push(StoredOperation {
            key,
            status,
            changes,
        });
    }
    for row in texts(pool, EVENTS).await? {
        let [event_type, body] = <[String; 2]>::try_from(row).map_err(short)?;
        let body: serde_json::Value = serde_json::from_str(&body)?;
        let operation = body["payload"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        stored.events.push(StoredEvent {
            event_type,
            operation,
        });
    }
    Ok(stored)
}

fn short(row: Vec<String>) -> anyhow::Error {
    anyhow::anyhow!("unexpected row shape: {row:?}")
}

/// Every row of `sql`, each column as text.
async fn texts<DB: Database>(pool: &Pool<DB>, sql: &str) -> anyhow::Result<Vec<Vec<String>>>
where
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'r> String: sqlx::Decode<'r, DB> + sqlx::Type<DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    let rows = sqlx::raw_sql(sql).fetch_all(pool).await?;
    rows.iter()
        .map(|row| {
            (0..row.len())
                .map(|i| row.try_get::<String, _>(i).map_err(anyhow::Error::from))
                .collect()
        })
        .collect()
}
